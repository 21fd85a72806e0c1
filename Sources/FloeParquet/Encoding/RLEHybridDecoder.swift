import FloeColumnar

/// Decodes the RLE / bit-packing hybrid encoding (`RLE = 3`): repetition and definition levels,
/// dictionary indices (`RLE_DICTIONARY`, `PLAIN_DICTIONARY`) and RLE-encoded booleans.
///
/// The data is a sequence of runs, each a ULEB128 header then either one repeated value in
/// `ceil(bitWidth / 8)` little-endian bytes (`header = count << 1`) or `groups` groups of 8
/// bit-packed values (`header = groups << 1 | 1`). Values are decoded in batches of any size; a run
/// may span any number of batches.
///
/// Invariants: `0 <= bitWidth <= 32`; reads never leave `data`; every value handed out is in
/// `0 ..< 2^bitWidth` and actually present in the data. A bit-packed run cut short by the end of
/// the data yields only the values whose bits are all present; values beyond the count the caller
/// asks for (the padding of a final group) are never handed out. Asking for more values than the
/// data holds throws ``ParquetError/Code-swift.struct/corrupt`` and leaves the output unspecified.
struct RLEHybridDecoder {
    /// The encoded runs (without any length prefix or bit-width byte).
    let data: Buffer
    /// The width in bits of every value, `0...32`.
    let bitWidth: Int
    /// The number of bytes of the source this decoder covers, including a length prefix or
    /// bit-width byte: the offset at which the next section of a page starts.
    let encodedByteCount: Int

    /// The byte offset of the next run header.
    private var position = 0
    /// Values left in the current repeated (RLE) run.
    private var repeatCount = 0
    /// The value of the current repeated run.
    private var repeatedValue: UInt32 = 0
    /// The byte offset of the values of the current bit-packed run.
    private var literalStart = 0
    /// The number of values of the current bit-packed run that are present in the data.
    private var literalCount = 0
    /// The number of values of the current bit-packed run already handed out.
    private var literalIndex = 0

    /// A decoder over `data`, which holds runs only (data page v2 levels, or a slice the caller
    /// has already cut out).
    init(_ data: Buffer, bitWidth: Int) throws {
        try self.init(data, bitWidth: bitWidth, encodedByteCount: data.count)
    }

    private init(_ data: Buffer, bitWidth: Int, encodedByteCount: Int) throws {
        guard bitWidth >= 0 && bitWidth <= 32 else {
            throw ParquetError.corrupt("RLE bit width \(bitWidth) is outside 0...32")
        }
        self.data = data
        self.bitWidth = bitWidth
        self.encodedByteCount = encodedByteCount
    }

    /// A decoder over the 4-byte little-endian length-prefixed form that starts `source` (data
    /// page v1 levels, RLE booleans). ``encodedByteCount`` is `4 + length`.
    init(lengthPrefixed source: Buffer, bitWidth: Int) throws {
        guard source.count >= 4 else {
            throw ParquetError.corrupt("RLE length prefix truncated: \(source.count) bytes")
        }
        let length = Int(UInt32(littleEndian: source.value(at: 0, as: UInt32.self)))
        guard length <= source.count - 4 else {
            throw ParquetError.corrupt("RLE data length \(length) exceeds the \(source.count - 4) bytes available")
        }
        try self.init(source.slice(bytesFrom: 4, count: length), bitWidth: bitWidth, encodedByteCount: 4 + length)
    }

    /// A decoder over the dictionary-index form of a data page: one byte holding the bit width
    /// (at most 32), then runs up to the end of `source`. An empty `source` yields a decoder of
    /// bit width 0 with no data (fine for pages without non-null values).
    init(dictionaryIndices source: Buffer) throws {
        guard source.count > 0 else {
            try self.init(source, bitWidth: 0)
            return
        }
        let width = Int(source.value(at: 0, as: UInt8.self))
        guard width <= 32 else {
            throw ParquetError.corrupt("dictionary index bit width \(width) is greater than 32")
        }
        try self.init(source.slice(bytesFrom: 1, count: source.count - 1), bitWidth: width,
                      encodedByteCount: source.count)
    }

    /// The number of bits needed for values up to `maxValue` (the bit width of levels whose
    /// maximum is `maxValue`, or of indices into a dictionary of `maxValue + 1` entries).
    static func bitWidth(forMaxValue maxValue: Int) -> Int {
        maxValue <= 0 ? 0 : Int.bitWidth - maxValue.leadingZeroBitCount
    }

    // MARK: Decoding

    /// Decodes `values.count` values into `values`.
    mutating func decode(into values: UnsafeMutableBufferPointer<Int32>) throws {
        guard let base = values.baseAddress, values.count > 0 else { return }
        try base.withMemoryRebound(to: UInt32.self, capacity: values.count) {
            try decodeUnsigned(into: $0, count: values.count)
        }
    }

    /// Decodes `count` values and appends them to `builder` as `Int32`s.
    mutating func decode(count: Int, into builder: BufferBuilder) throws {
        guard count > 0 else { return }
        try builder.appendUninitialized(count * 4) { raw in
            guard let base = raw.baseAddress else { return }
            try decodeUnsigned(into: base.bindMemory(to: UInt32.self, capacity: count), count: count)
        }
    }

    /// Decodes `count` values into `dst`.
    mutating func decodeUnsigned(into dst: UnsafeMutablePointer<UInt32>, count: Int) throws {
        let data = self.data
        try data.withUnsafeBytes { raw in
            var produced = 0
            while produced < count {
                if repeatCount > 0 {
                    let n = Swift.min(repeatCount, count - produced)
                    (dst + produced).initialize(repeating: repeatedValue, count: n)
                    repeatCount -= n
                    produced += n
                } else if literalIndex < literalCount {
                    let n = Swift.min(literalCount - literalIndex, count - produced)
                    if let base = raw.baseAddress {
                        BitPacking.unpack32(base + literalStart, readable: raw.count - literalStart,
                                            firstValue: literalIndex, into: dst + produced, count: n,
                                            bitWidth: bitWidth)
                    } else {
                        (dst + produced).initialize(repeating: 0, count: n)  // bit width 0: no bytes
                    }
                    literalIndex += n
                    produced += n
                } else {
                    try readRunHeader(raw, missing: count - produced)
                }
            }
        }
    }

    /// Skips `count` values.
    mutating func skip(count: Int) throws {
        var remaining = count
        while remaining > 0 {
            if repeatCount > 0 || literalIndex < literalCount {
                let n = Swift.min(remaining, repeatCount > 0 ? repeatCount : literalCount - literalIndex)
                if repeatCount > 0 { repeatCount -= n } else { literalIndex += n }
                remaining -= n
            } else {
                let data = self.data
                try data.withUnsafeBytes { try readRunHeader($0, missing: remaining) }
            }
        }
    }

    // MARK: Run-level access for fused consumers

    /// The most bit-packed values ``decodeRuns(count:repeated:literal:)`` hands over at once.
    static let runChunk = 1024

    /// Decodes `count` values run by run, within one access to the data: `repeated(value, n)` for
    /// `n` repeats of one value, `literal(values, n)` for `n` (at most ``runChunk``) bit-packed
    /// values unpacked into scratch memory valid only during the call. The closures must not use
    /// this decoder.
    @inline(__always)
    mutating func decodeRuns(count: Int, repeated: (UInt32, Int) throws -> Void,
                             literal: (UnsafePointer<UInt32>, Int) throws -> Void) throws {
        guard count > 0 else { return }
        let data = self.data
        let chunk = Self.runChunk
        try withUnsafeTemporaryAllocation(of: UInt32.self, capacity: chunk) { scratch in
            guard let values = scratch.baseAddress else { return }
            try data.withUnsafeBytes { raw in
                var left = count
                while left > 0 {
                    if repeatCount > 0 {
                        let n = Swift.min(repeatCount, left)
                        repeatCount -= n
                        left -= n
                        try repeated(repeatedValue, n)
                    } else if literalIndex < literalCount {
                        let n = Swift.min(literalCount - literalIndex, left, chunk)
                        if let base = raw.baseAddress {
                            BitPacking.unpack32(base + literalStart, readable: raw.count - literalStart,
                                                firstValue: literalIndex, into: values, count: n, bitWidth: bitWidth)
                        } else {
                            values.initialize(repeating: 0, count: n)
                        }
                        literalIndex += n
                        left -= n
                        try literal(values, n)
                    } else {
                        try readRunHeader(raw, missing: left)
                    }
                }
            }
        }
    }

    /// Makes sure the decoder stands inside a run with at least one value left, reading run
    /// headers as needed; throws if the data ends first. `missing` is for the error message.
    mutating func prepareRun(missing: Int) throws {
        while repeatCount == 0 && literalIndex == literalCount {
            let data = self.data
            try data.withUnsafeBytes { try readRunHeader($0, missing: missing) }
        }
    }

    /// If the next values belong to a repeated run, consumes up to `limit` of them and returns
    /// the value and how many were consumed; returns nil (consuming nothing) when the next values
    /// are bit-packed. Reads run headers as needed; throws if the data ends.
    mutating func nextRepeated(limit: Int) throws -> (value: UInt32, count: Int)? {
        try prepareRun(missing: limit)
        guard repeatCount > 0 else { return nil }
        let n = Swift.min(limit, repeatCount)
        repeatCount -= n
        return (repeatedValue, n)
    }

    /// The number of bit-packed values left in the current run (0 inside a repeated run).
    var literalValuesLeft: Int { repeatCount > 0 ? 0 : literalCount - literalIndex }

    /// Reads the run header at ``position`` and sets up the run it starts.
    private mutating func readRunHeader(_ raw: UnsafeRawBufferPointer, missing: Int) throws {
        guard position < raw.count else {
            throw ParquetError.corrupt("RLE data ends with \(missing) values still expected")
        }
        let header = try LEB128.readUnsigned(raw, at: &position)
        guard header <= UInt64(UInt32.max) else {
            throw ParquetError.corrupt("RLE run header \(header) is larger than 2^32 - 1")
        }
        let w = bitWidth
        if header & 1 == 1 {
            let groups = Int(header >> 1)
            let available = raw.count - position
            literalStart = position
            literalIndex = 0
            if groups * w <= available {
                literalCount = groups * 8
                position += groups * w
            } else {
                // A truncated final run: only values whose bits are all present are usable.
                literalCount = available * 8 / w
                position = raw.count
            }
        } else {
            let byteCount = (w + 7) / 8
            guard byteCount <= raw.count - position else {
                throw ParquetError.corrupt("RLE run value truncated")
            }
            var value: UInt32 = 0
            for i in 0..<byteCount { value |= UInt32(raw[position + i]) << UInt32(8 * i) }
            position += byteCount
            guard w == 32 || value >> UInt32(w) == 0 else {
                throw ParquetError.corrupt("RLE run value \(value) does not fit in \(w) bits")
            }
            repeatedValue = value
            repeatCount = Int(header >> 1)
        }
    }
}
