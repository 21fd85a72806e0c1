import FloeColumnar

extension RLEHybridDecoder {
    // MARK: Into a bitmap held in a BufferBuilder (fast)

    /// Decodes `count` BOOLEAN values stored with the `RLE` encoding (a 4-byte length prefix, then
    /// runs of bit width 1) from the start of `source` and appends them to the LSB-first bitmap in
    /// `bitmap`, which holds `bitCount` bits (see ``PackedBits``). Returns the number of bytes of
    /// `source` consumed.
    static func decodeBooleans(_ source: Buffer, count: Int, into bitmap: BufferBuilder, bitCount: inout Int) throws -> Int {
        var decoder = try RLEHybridDecoder(lengthPrefixed: source, bitWidth: 1)
        _ = try decoder.appendBits(count: count, setWhenEqualTo: 1, into: bitmap, bitCount: &bitCount)
        return decoder.encodedByteCount
    }

    /// Decodes `count` definition levels and appends one validity bit per level to the LSB-first
    /// bitmap in `bitmap`, which holds `bitCount` bits (see ``PackedBits``): set when the level
    /// equals `maxDefinitionLevel`, clear otherwise. Returns the number of present values.
    /// Repeated runs become byte fills; bit-packed levels are packed 8 to a byte.
    mutating func decodeValidity(count: Int, maxDefinitionLevel: Int32, into bitmap: BufferBuilder,
                                 bitCount: inout Int) throws -> Int {
        try appendBits(count: count, setWhenEqualTo: UInt32(truncatingIfNeeded: maxDefinitionLevel),
                       into: bitmap, bitCount: &bitCount)
    }

    /// Decodes `count` values, appending a set bit for each value equal to `target` and a clear
    /// bit for any other to the bitmap in `bitmap` (holding `bitCount` bits). Returns the number
    /// of set bits appended.
    mutating func appendBits(count: Int, setWhenEqualTo target: UInt32, into bitmap: BufferBuilder,
                             bitCount: inout Int) throws -> Int {
        var setCount = 0
        try BitWriter.append(count: count, to: bitmap, bitCount: &bitCount) { writer in
            try decodeRuns(count: count, repeated: { value, n in
                let bit = value == target
                writer.append(repeating: bit, count: n)
                if bit { setCount += n }
            }, literal: { values, n in
                var i = 0
                while i < n {
                    let m = Swift.min(64, n - i)
                    var word: UInt64 = 0
                    for k in 0..<m { word |= UInt64(values[i + k] == target ? 1 : 0) &<< UInt64(k) }
                    writer.append(word, count: m)
                    setCount += word.nonzeroBitCount
                    i += m
                }
            })
        }
        return setCount
    }

    // MARK: Into a BitmapBuilder (convenient, a bit at a time)

    /// Decodes `count` BOOLEAN values stored with the `RLE` encoding (a 4-byte length prefix, then
    /// runs of bit width 1) from the start of `source` and appends them to `bitmap`.
    /// Returns the number of bytes of `source` consumed. Slower than the `BufferBuilder` form.
    static func decodeBooleans(_ source: Buffer, count: Int, into bitmap: BitmapBuilder) throws -> Int {
        var decoder = try RLEHybridDecoder(lengthPrefixed: source, bitWidth: 1)
        _ = try decoder.appendBits(count: count, setWhenEqualTo: 1, into: bitmap)
        return decoder.encodedByteCount
    }

    /// Decodes `count` definition levels and appends one validity bit per level to `bitmap`: set
    /// when the level equals `maxDefinitionLevel` (the value is present), clear otherwise.
    /// Returns the number of present values. Repeated runs become bulk bitmap appends, so the
    /// common all-present or all-null page costs almost nothing per value; bit-packed levels cost
    /// a ``BitmapBuilder`` append each (slower than the `BufferBuilder` form).
    mutating func decodeValidity(count: Int, maxDefinitionLevel: Int32, into bitmap: BitmapBuilder) throws -> Int {
        try appendBits(count: count, setWhenEqualTo: UInt32(truncatingIfNeeded: maxDefinitionLevel), into: bitmap)
    }

    /// Decodes `count` values, appending to `bitmap` a set bit for each value equal to `target`
    /// and a clear bit for any other. Returns the number of set bits appended.
    mutating func appendBits(count: Int, setWhenEqualTo target: UInt32, into bitmap: BitmapBuilder) throws -> Int {
        var remaining = count
        var setCount = 0
        let chunk = 1024
        try withUnsafeTemporaryAllocation(of: UInt32.self, capacity: chunk) { scratch in
            guard let values = scratch.baseAddress else { return }
            while remaining > 0 {
                if let run = try nextRepeated(limit: remaining) {
                    let bit = run.value == target
                    bitmap.append(repeating: bit, count: run.count)
                    if bit { setCount += run.count }
                    remaining -= run.count
                } else {
                    let n = Swift.min(literalValuesLeft, remaining, chunk)
                    try decodeUnsigned(into: values, count: n)
                    for i in 0..<n {
                        let bit = values[i] == target
                        bitmap.append(bit)
                        setCount += bit ? 1 : 0
                    }
                    remaining -= n
                }
            }
        }
        return setCount
    }
}
