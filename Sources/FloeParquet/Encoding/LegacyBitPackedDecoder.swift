import FloeColumnar

/// Decodes the deprecated BIT_PACKED encoding (`= 4`) of repetition and definition levels, still
/// found in files from old writers: values of a fixed bit width packed back to back from the most
/// significant bit of each byte, without header or length; the last byte is zero padded.
///
/// Invariants: `0 <= bitWidth <= 32`; reads never leave `source`; the data section is
/// `ceil(count * bitWidth / 8)` bytes, and data shorter than that throws
/// ``ParquetError/Code-swift.struct/corrupt``. Writers never produce this encoding.
enum LegacyBitPackedDecoder {
    /// Decodes `values.count` values from the start of `source`; returns the bytes consumed.
    static func decode(_ source: UnsafeRawBufferPointer, bitWidth: Int,
                       into values: UnsafeMutableBufferPointer<Int32>) throws -> Int {
        guard bitWidth >= 0 && bitWidth <= 32 else {
            throw ParquetError.corrupt("BIT_PACKED bit width \(bitWidth) is outside 0...32")
        }
        let count = values.count
        let (bits, overflow) = count.multipliedReportingOverflow(by: bitWidth)
        let byteCount = (bits + 7) / 8
        guard !overflow, byteCount <= source.count else {
            throw ParquetError.corrupt("BIT_PACKED levels truncated: \(count) values of \(bitWidth) bits, \(source.count) bytes")
        }
        guard count > 0, let out = values.baseAddress else { return byteCount }
        guard bitWidth > 0, let src = source.baseAddress else {
            out.initialize(repeating: 0, count: count)
            return byteCount
        }
        var bit = 0
        for i in 0..<count {
            // Gather the value's bits from up to five bytes, most significant first.
            var value: UInt64 = 0
            let first = bit >> 3
            let last = (bit + bitWidth - 1) >> 3
            for b in first...last { value = value << 8 | UInt64(src.load(fromByteOffset: b, as: UInt8.self)) }
            let trailing = (last + 1) * 8 - (bit + bitWidth)
            value = (value >> UInt64(trailing)) & ((UInt64(1) << UInt64(bitWidth)) - 1)
            out[i] = Int32(truncatingIfNeeded: value)
            bit += bitWidth
        }
        return byteCount
    }
}
