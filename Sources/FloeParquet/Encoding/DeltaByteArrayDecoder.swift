import FloeColumnar

/// Decodes DELTA_BYTE_ARRAY (`= 7`, incremental or front coding) BYTE_ARRAY values into Arrow
/// string layout, or FIXED_LEN_BYTE_ARRAY values into contiguous bytes, in batches.
///
/// Layout: the prefix lengths (DELTA_BINARY_PACKED), then the suffixes (DELTA_LENGTH_BYTE_ARRAY);
/// value `i` is the first `prefix[i]` bytes of value `i - 1` followed by suffix `i`.
///
/// Invariants: reads never leave `data`; a prefix longer than the previous value, negative
/// lengths, lengths running past the data, or prefix and suffix counts that differ throw
/// ``ParquetError/Code-swift.struct/corrupt``. The previous value is kept by the decoder between
/// batches, so output builders may be finished between calls. When a batch throws, values of
/// earlier chunks of that batch may already have been appended.
struct DeltaByteArrayDecoder {
    /// The encoded bytes.
    let data: Buffer
    private var prefixLengths: DeltaBinaryPackedDecoder
    private var suffixes: DeltaLengthByteArrayDecoder
    /// The last value handed out.
    private var previous: [UInt8] = []

    /// Reads the headers and locates the suffix bytes.
    init(_ data: Buffer) throws {
        self.data = data
        prefixLengths = try DeltaBinaryPackedDecoder(data)
        var probe = prefixLengths
        let end = try probe.skipToEnd()
        suffixes = try DeltaLengthByteArrayDecoder(data.slice(bytesFrom: end, count: data.count - end))
        guard suffixes.valueCount == prefixLengths.valueCount else {
            throw ParquetError.corrupt(
                "DELTA_BYTE_ARRAY has \(prefixLengths.valueCount) prefix lengths but \(suffixes.valueCount) suffixes")
        }
    }

    /// The number of values the encoding holds.
    var valueCount: Int { prefixLengths.valueCount }

    /// Values not yet handed out.
    var remaining: Int { prefixLengths.remaining }

    /// Decodes `count` values: their bytes go to `data`, and for each its end offset (`data.count`
    /// after it) to `offsets` as `Int32`. The caller has already appended the first offset.
    mutating func decode(count: Int, offsets: BufferBuilder, data out: BufferBuilder) throws {
        try decode(count: count, offsets: offsets, fixedLength: nil, into: out)
    }

    /// Decodes `count` FIXED_LEN_BYTE_ARRAY values of `byteWidth` bytes each into `out`; a value
    /// of another length throws ``ParquetError/Code-swift.struct/corrupt``.
    mutating func decodeFixedLength(count: Int, byteWidth: Int, into out: BufferBuilder) throws {
        try decode(count: count, offsets: nil, fixedLength: byteWidth, into: out)
    }

    private mutating func decode(count: Int, offsets: BufferBuilder?, fixedLength: Int?,
                                 into out: BufferBuilder) throws {
        guard count <= remaining else {
            throw ParquetError.corrupt("DELTA_BYTE_ARRAY data holds \(remaining) more values, \(count) requested")
        }
        let chunk = DictionaryDecoder.chunkSize
        var left = count
        try withUnsafeTemporaryAllocation(of: Int32.self, capacity: 2 * chunk) { scratch in
            guard let prefixes = scratch.baseAddress else { return }
            let suffixLengths = prefixes + chunk
            while left > 0 {
                let n = Swift.min(left, chunk)
                try prefixLengths.decode(into: UnsafeMutableBufferPointer(start: prefixes, count: n))
                let prefixTotal = try DeltaLengthByteArrayDecoder.sum(
                    UnsafeBufferPointer(start: prefixes, count: n), available: Int.max)
                let (suffixStart, suffixTotal) = try suffixes.nextLengths(
                    into: UnsafeMutableBufferPointer(start: suffixLengths, count: n))
                try appendValues(n, prefixes, suffixLengths, suffixStart: suffixStart,
                                 total: prefixTotal + suffixTotal, offsets: offsets, fixedLength: fixedLength, into: out)
                left -= n
            }
        }
    }

    private mutating func appendValues(_ n: Int, _ prefixes: UnsafePointer<Int32>, _ suffixLengths: UnsafePointer<Int32>,
                                       suffixStart: Int, total: Int, offsets: BufferBuilder?, fixedLength: Int?,
                                       into out: BufferBuilder) throws {
        if let fixedLength {
            for i in 0..<n where Int(prefixes[i]) + Int(suffixLengths[i]) != fixedLength {
                throw ParquetError.corrupt(
                    "DELTA_BYTE_ARRAY value of \(Int(prefixes[i]) + Int(suffixLengths[i])) bytes in a FIXED_LEN_BYTE_ARRAY(\(fixedLength)) column")
            }
        }
        // Each prefix must fit in the value before it. Checked before `total` bytes are reserved:
        // `total` adds up prefix lengths the data has not vouched for, so one lying prefix
        // length would otherwise allocate up to 2^31 bytes per value.
        var lengthBefore = previous.count
        for i in 0..<n {
            let prefix = Int(prefixes[i])
            guard prefix <= lengthBefore else {
                throw ParquetError.corrupt(
                    "DELTA_BYTE_ARRAY prefix of \(prefix) bytes is longer than the previous value (\(lengthBefore))")
            }
            lengthBefore = prefix + Int(suffixLengths[i])
        }
        let dataStart = out.count
        if offsets != nil {
            guard dataStart + total <= Int(Int32.max) else {
                throw ParquetError(.overflow, "string data exceeds 2 GiB; Int32 offsets cannot address it")
            }
        }
        let suffixData = suffixes.data
        let lastLength = previous.withUnsafeBytes { previousBytes in
            suffixData.withUnsafeBytes { source in
                out.appendUninitialized(total) { dst -> Int in
                    guard let d = dst.baseAddress ?? UnsafeMutableRawPointer(bitPattern: 0x10),
                          let src = source.baseAddress ?? UnsafeRawPointer(bitPattern: 0x10) else { return 0 }
                    var previousStart = UnsafeRawPointer(previousBytes.baseAddress)
                    var previousLength = previousBytes.count
                    var o = 0
                    var s = suffixStart
                    for i in 0..<n {
                        let prefix = Int(prefixes[i])  // at most previousLength: checked above
                        let suffix = Int(suffixLengths[i])
                        if prefix > 0, let p = previousStart { (d + o).copyMemory(from: p, byteCount: prefix) }
                        if suffix > 0 { (d + o + prefix).copyMemory(from: src + s, byteCount: suffix) }
                        previousStart = UnsafeRawPointer(d + o)
                        previousLength = prefix + suffix
                        o += previousLength
                        s += suffix
                    }
                    return previousLength
                }
            }
        }
        // Keep the last value for the next batch.
        out.withUnsafeMutableBytes { all in
            previous = Array(UnsafeRawBufferPointer(rebasing: all[(out.count - lastLength)...]))
        }
        if let offsets {
            offsets.appendUninitialized(n * 4) { raw in
                guard let base = raw.baseAddress else { return }
                let ends = base.bindMemory(to: Int32.self, capacity: n)
                var end = dataStart
                for i in 0..<n {
                    end += Int(prefixes[i]) + Int(suffixLengths[i])
                    ends[i] = Int32(truncatingIfNeeded: end)
                }
            }
        }
    }
}
