import FloeColumnar

/// Encodes BYTE_ARRAY values with DELTA_LENGTH_BYTE_ARRAY (`= 6`): the lengths with
/// DELTA_BINARY_PACKED, then all the bytes back to back.
///
/// Invariants: inputs are Arrow layout (value `i` is `data[offsets[i] ..< offsets[i + 1]]`);
/// inconsistent offsets throw ``ParquetError/Code-swift.struct/internalError`` before anything is
/// appended; encoding only appends to the output builder.
enum DeltaLengthByteArrayEncoder {
    /// Appends the encoding of the `offsets.count - 1` values to `out`.
    static func encode(offsets: UnsafeBufferPointer<Int32>, data: UnsafeRawBufferPointer,
                       into out: BufferBuilder) throws {
        let count = Swift.max(offsets.count - 1, 0)
        if count > 0 { try PlainEncoder.validate(offsets: offsets, dataCount: data.count) }
        var lengths = [Int32](repeating: 0, count: count)
        lengths.withUnsafeMutableBufferPointer { l in
            for i in 0..<count { l[i] = offsets[i + 1] - offsets[i] }
        }
        lengths.withUnsafeBufferPointer { DeltaBinaryPackedEncoder.encode($0, into: out) }
        if count > 0, let base = data.baseAddress {
            let start = Int(offsets[0])
            out.append(bytes: UnsafeRawBufferPointer(start: base + start, count: Int(offsets[count]) - start))
        }
    }
}
