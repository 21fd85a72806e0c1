import FloeColumnar

extension RLEHybridDecoder {
    /// Decodes `count` BOOLEAN values stored with the `RLE` encoding (a 4-byte length prefix, then
    /// runs of bit width 1) from the start of `source` and appends them to `bitmap`.
    /// Returns the number of bytes of `source` consumed.
    static func decodeBooleans(_ source: Buffer, count: Int, into bitmap: BitmapBuilder) throws -> Int {
        var decoder = try RLEHybridDecoder(lengthPrefixed: source, bitWidth: 1)
        _ = try decoder.appendBits(count: count, setWhenEqualTo: 1, into: bitmap)
        return decoder.encodedByteCount
    }

    /// Decodes `count` definition levels and appends one validity bit per level to `bitmap`: set
    /// when the level equals `maxDefinitionLevel` (the value is present), clear otherwise.
    /// Returns the number of present values. Repeated runs become bulk bitmap appends, so the
    /// common all-present or all-null page costs almost nothing per value.
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
