import FloeColumnar

/// Encodes BYTE_ARRAY or FIXED_LEN_BYTE_ARRAY values with DELTA_BYTE_ARRAY (`= 7`): for each value
/// the length of the prefix it shares with the previous value, and the rest as a suffix.
///
/// Invariants: the prefix lengths and the suffix lengths are both DELTA_BINARY_PACKED, followed by
/// the suffix bytes back to back; inconsistent inputs throw
/// ``ParquetError/Code-swift.struct/internalError`` before anything is appended; encoding only
/// appends to the output builder.
enum DeltaByteArrayEncoder {
    /// Appends the encoding of the byte arrays given in Arrow layout (value `i` is
    /// `data[offsets[i] ..< offsets[i + 1]]`).
    static func encode(offsets: UnsafeBufferPointer<Int32>, data: UnsafeRawBufferPointer,
                       into out: BufferBuilder) throws {
        let count = Swift.max(offsets.count - 1, 0)
        if count > 0 { try PlainEncoder.validate(offsets: offsets, dataCount: data.count) }
        encode(count: count, data: data, into: out) { i in
            (Int(offsets[i]), Int(offsets[i + 1] - offsets[i]))
        }
    }

    /// Appends the encoding of FIXED_LEN_BYTE_ARRAY values of `byteWidth` bytes given back to back.
    static func encodeFixedLength(_ values: UnsafeRawBufferPointer, byteWidth: Int, into out: BufferBuilder) throws {
        guard byteWidth > 0, values.count % byteWidth == 0 else {
            throw ParquetError(.internalError, "\(values.count) bytes are not whole values of \(byteWidth) bytes")
        }
        encode(count: values.count / byteWidth, data: values, into: out) { i in (i * byteWidth, byteWidth) }
    }

    /// `value(i)` gives the start and length of value `i` within `data`.
    private static func encode(count: Int, data: UnsafeRawBufferPointer, into out: BufferBuilder,
                               value: (Int) -> (start: Int, length: Int)) {
        var prefixes = [Int32](repeating: 0, count: count)
        var suffixes = [Int32](repeating: 0, count: count)
        var suffixTotal = 0
        let base = data.baseAddress
        prefixes.withUnsafeMutableBufferPointer { p in
            suffixes.withUnsafeMutableBufferPointer { s in
                var previous = (start: 0, length: 0)
                for i in 0..<count {
                    let current = value(i)
                    var shared = 0
                    if let base {
                        let limit = Swift.min(previous.length, current.length)
                        let a = base + previous.start
                        let b = base + current.start
                        while shared + 8 <= limit
                            && a.loadUnaligned(fromByteOffset: shared, as: UInt64.self)
                            == b.loadUnaligned(fromByteOffset: shared, as: UInt64.self) {
                            shared += 8
                        }
                        while shared < limit
                            && a.load(fromByteOffset: shared, as: UInt8.self) == b.load(fromByteOffset: shared, as: UInt8.self) {
                            shared += 1
                        }
                    }
                    p[i] = Int32(shared)
                    s[i] = Int32(current.length - shared)
                    suffixTotal += current.length - shared
                    previous = current
                }
            }
        }
        prefixes.withUnsafeBufferPointer { DeltaBinaryPackedEncoder.encode($0, into: out) }
        suffixes.withUnsafeBufferPointer { DeltaBinaryPackedEncoder.encode($0, into: out) }
        guard let base, suffixTotal > 0 else { return }
        out.appendUninitialized(suffixTotal) { raw in
            guard let dst = raw.baseAddress else { return }
            var o = 0
            for i in 0..<count {
                let current = value(i)
                let shared = Int(prefixes[i])
                let length = current.length - shared
                (dst + o).copyMemory(from: base + current.start + shared, byteCount: length)
                o += length
            }
        }
    }
}
