import FloeColumnar

extension RLEHybridEncoder {
    /// Appends `count` booleans, bits `bitOffset ..< bitOffset + count` of the LSB-first `bitmap`,
    /// in the `RLE` encoding for BOOLEAN data: a 4-byte length prefix, then runs of bit width 1.
    static func encodeBooleans(bitmap: UnsafeRawBufferPointer, bitOffset: Int, count: Int,
                               into out: BufferBuilder) throws {
        guard bitOffset >= 0, count >= 0, bitOffset + count <= bitmap.count * 8 else {
            throw ParquetError(.internalError, "boolean bitmap range out of bounds")
        }
        var values = [Int32](repeating: 0, count: count)
        values.withUnsafeMutableBufferPointer { v in
            for i in 0..<count where bitIsSet(bitmap, bitOffset + i) { v[i] = 1 }
        }
        let encoder = try RLEHybridEncoder(bitWidth: 1)
        try values.withUnsafeBufferPointer { try encoder.encodeLengthPrefixed($0, into: out) }
    }
}
