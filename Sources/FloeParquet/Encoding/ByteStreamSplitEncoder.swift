import FloeColumnar

/// Encodes FLOAT, DOUBLE, INT32, INT64 and FIXED_LEN_BYTE_ARRAY(n) values with BYTE_STREAM_SPLIT
/// (`= 9`): byte `k` of every value goes to stream `k`, and the streams follow one another.
///
/// Invariants: the output is exactly as long as the input; encoding only appends to the output.
enum ByteStreamSplitEncoder {
    /// Appends the encoding of the values of `byteWidth` bytes given back to back in `values`.
    static func encode(_ values: UnsafeRawBufferPointer, byteWidth: Int, into out: BufferBuilder) throws {
        guard byteWidth > 0, values.count % byteWidth == 0 else {
            throw ParquetError(.internalError, "\(values.count) bytes are not whole values of \(byteWidth) bytes")
        }
        let count = values.count / byteWidth
        guard count > 0, let src = values.baseAddress else { return }
        out.appendUninitialized(values.count) { raw in
            guard let dst = raw.baseAddress else { return }
            let s = src.assumingMemoryBound(to: UInt8.self)
            let d = dst.assumingMemoryBound(to: UInt8.self)
            switch byteWidth {
            case 4: split(s, into: d, count: count, width: 4)
            case 8: split(s, into: d, count: count, width: 8)
            default: split(s, into: d, count: count, width: byteWidth)
            }
        }
    }

    @inline(__always)
    private static func split(_ s: UnsafePointer<UInt8>, into d: UnsafeMutablePointer<UInt8>, count: Int, width: Int) {
        for k in 0..<width {
            let stream = d + k * count
            for i in 0..<count { stream[i] = s[i * width + k] }
        }
    }
}
