import FloeColumnar

/// Decodes DELTA_LENGTH_BYTE_ARRAY (`= 6`) BYTE_ARRAY values in batches into Arrow string layout.
///
/// Layout: the value lengths encoded with DELTA_BINARY_PACKED, then all the values' bytes back to
/// back. The lengths are decoded batch by batch alongside the bytes, so no array of all lengths
/// is ever allocated.
///
/// Invariants: reads never leave `data`; a negative length or a length running past the bytes
/// throws ``ParquetError/Code-swift.struct/corrupt``; at most ``valueCount`` values are handed out.
/// When a batch throws, values of earlier chunks of that batch may already have been appended.
struct DeltaLengthByteArrayDecoder {
    /// The encoded bytes.
    let data: Buffer
    private var lengths: DeltaBinaryPackedDecoder
    /// Offset in ``data`` of the next value's bytes.
    private var dataPosition: Int

    /// Reads the length header and locates the value bytes.
    init(_ data: Buffer) throws {
        self.data = data
        lengths = try DeltaBinaryPackedDecoder(data)
        var probe = lengths
        dataPosition = try probe.skipToEnd()
    }

    /// The number of values the encoding holds.
    var valueCount: Int { lengths.valueCount }

    /// Values not yet handed out.
    var remaining: Int { lengths.remaining }

    /// The offset in ``data`` just past the bytes of the values handed out so far; once all are,
    /// the end of the encoding.
    var consumedByteCount: Int { dataPosition }

    /// Decodes `count` values: their bytes go to `data`, and for each its end offset (`data.count`
    /// after it) to `offsets` as `Int32`. The caller has already appended the first offset.
    mutating func decode(count: Int, offsets: BufferBuilder, data out: BufferBuilder) throws {
        var left = count
        try withUnsafeTemporaryAllocation(of: Int32.self, capacity: DictionaryDecoder.chunkSize) { scratch in
            guard let lengthBase = scratch.baseAddress else { return }
            while left > 0 {
                let n = Swift.min(left, DictionaryDecoder.chunkSize)
                try lengths.decode(into: UnsafeMutableBufferPointer(start: lengthBase, count: n))
                try copyValues(lengths: UnsafeBufferPointer(start: lengthBase, count: n), offsets: offsets, data: out)
                left -= n
            }
        }
    }

    /// Decodes the next `count` lengths into `lengthsOut` without copying any bytes; returns the
    /// offset in ``data`` of the first value's bytes. The caller then calls
    /// ``advance(byteCount:)`` for what it consumed. (For DELTA_BYTE_ARRAY, whose suffixes these are.)
    mutating func nextLengths(into lengthsOut: UnsafeMutableBufferPointer<Int32>) throws -> (start: Int, total: Int) {
        try lengths.decode(into: lengthsOut)
        let total = try Self.sum(UnsafeBufferPointer(lengthsOut), available: data.count - dataPosition)
        let start = dataPosition
        dataPosition += total
        return (start, total)
    }

    /// Sums non-negative `lengths`, throwing if any is negative or the sum exceeds `available`.
    static func sum(_ lengths: UnsafeBufferPointer<Int32>, available: Int) throws -> Int {
        var total = 0
        var anyNegative: Int32 = 0
        for length in lengths {
            anyNegative |= length
            total &+= Int(length)
        }
        guard anyNegative >= 0 else { throw ParquetError.corrupt("negative byte array length") }
        guard total <= available else {
            throw ParquetError.corrupt("byte array lengths total \(total) bytes, only \(available) present")
        }
        return total
    }

    private mutating func copyValues(lengths: UnsafeBufferPointer<Int32>, offsets: BufferBuilder,
                                     data out: BufferBuilder) throws {
        let n = lengths.count
        let available = data.count - dataPosition
        let total = try Self.sum(lengths, available: available)
        let dataStart = out.count
        guard dataStart + total <= Int(Int32.max) else {
            throw ParquetError(.overflow, "string data exceeds 2 GiB; Int32 offsets cannot address it")
        }
        let position = dataPosition
        if total > 0 {
            data.withUnsafeBytes { raw in
                guard let src = raw.baseAddress else { return }
                out.appendUninitialized(total) { dst in
                    if let d = dst.baseAddress { d.copyMemory(from: src + position, byteCount: total) }
                }
            }
        }
        offsets.appendUninitialized(n * 4) { raw in
            guard let base = raw.baseAddress else { return }
            let ends = base.bindMemory(to: Int32.self, capacity: n)
            var end = Int32(truncatingIfNeeded: dataStart)
            for i in 0..<n {
                end &+= lengths[i]
                ends[i] = end
            }
        }
        dataPosition += total
    }
}
