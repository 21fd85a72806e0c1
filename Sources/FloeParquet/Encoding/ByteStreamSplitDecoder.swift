import FloeColumnar

/// Decodes BYTE_STREAM_SPLIT (`= 9`) FLOAT, DOUBLE, INT32, INT64 and FIXED_LEN_BYTE_ARRAY(n) values
/// in batches.
///
/// Layout: for values of `byteWidth` bytes, `byteWidth` streams of `valueCount` bytes each, stream
/// `k` holding byte `k` of every value. The number of values is the data size over the width.
///
/// Invariants: `data.count` is a multiple of `byteWidth` (else
/// ``ParquetError/Code-swift.struct/corrupt``); reads never leave `data`; at most ``valueCount``
/// values are handed out.
struct ByteStreamSplitDecoder {
    /// The encoded bytes.
    let data: Buffer
    /// The size of one value in bytes.
    let byteWidth: Int
    /// The number of values in the data (the length of each stream).
    let valueCount: Int
    /// The index of the next value to hand out.
    private(set) var position = 0

    /// A decoder over `data`, which must be exactly the streams of values of `byteWidth` bytes.
    init(_ data: Buffer, byteWidth: Int) throws {
        guard byteWidth > 0 else { throw ParquetError.corrupt("BYTE_STREAM_SPLIT value width \(byteWidth)") }
        guard data.count % byteWidth == 0 else {
            throw ParquetError.corrupt("BYTE_STREAM_SPLIT data of \(data.count) bytes is not whole values of \(byteWidth) bytes")
        }
        self.data = data
        self.byteWidth = byteWidth
        self.valueCount = data.count / byteWidth
    }

    /// Values not yet handed out.
    var remaining: Int { valueCount - position }

    /// Decodes `count` values and appends their `count * byteWidth` bytes to `out`.
    mutating func decode(count: Int, into out: BufferBuilder) throws {
        guard count >= 0, count <= remaining else {
            throw ParquetError.corrupt("BYTE_STREAM_SPLIT data holds \(remaining) more values, \(count) requested")
        }
        guard count > 0 else { return }
        let width = byteWidth
        let stride = valueCount
        let first = position
        data.withUnsafeBytes { raw in
            guard let src = raw.baseAddress else { return }
            out.appendUninitialized(count * width) { dstRaw in
                guard let dst = dstRaw.baseAddress else { return }
                switch width {
                case 4: Self.merge4(src + first, stride: stride, into: dst, count: count)
                case 8: Self.merge8(src + first, stride: stride, into: dst, count: count)
                case 2: Self.merge(src + first, stride: stride, into: dst, count: count, width: 2)
                default: Self.merge(src + first, stride: stride, into: dst, count: count, width: width)
                }
            }
        }
        position += count
    }

    /// ``merge(_:stride:into:count:width:)`` for 4-byte values, one word store per value.
    static func merge4(_ src: UnsafeRawPointer, stride: Int, into dst: UnsafeMutableRawPointer, count: Int) {
        let s = src.assumingMemoryBound(to: UInt8.self)
        let (s0, s1, s2, s3) = (s, s + stride, s + 2 * stride, s + 3 * stride)
        for i in 0..<count {
            let v = UInt32(s0[i]) | UInt32(s1[i]) &<< 8 | UInt32(s2[i]) &<< 16 | UInt32(s3[i]) &<< 24
            dst.storeBytes(of: v.littleEndian, toByteOffset: i &* 4, as: UInt32.self)
        }
    }

    /// ``merge(_:stride:into:count:width:)`` for 8-byte values, one word store per value.
    static func merge8(_ src: UnsafeRawPointer, stride: Int, into dst: UnsafeMutableRawPointer, count: Int) {
        let s = src.assumingMemoryBound(to: UInt8.self)
        let (s0, s1, s2, s3) = (s, s + stride, s + 2 * stride, s + 3 * stride)
        let (s4, s5, s6, s7) = (s + 4 * stride, s + 5 * stride, s + 6 * stride, s + 7 * stride)
        for i in 0..<count {
            let low = UInt64(s0[i]) | UInt64(s1[i]) &<< 8 | UInt64(s2[i]) &<< 16 | UInt64(s3[i]) &<< 24
            let high = UInt64(s4[i]) &<< 32 | UInt64(s5[i]) &<< 40 | UInt64(s6[i]) &<< 48 | UInt64(s7[i]) &<< 56
            dst.storeBytes(of: (low | high).littleEndian, toByteOffset: i &* 8, as: UInt64.self)
        }
    }

    /// Interleaves `width` streams `stride` bytes apart into `count` values of `width` bytes.
    @inline(__always)
    static func merge(_ src: UnsafeRawPointer, stride: Int, into dst: UnsafeMutableRawPointer, count: Int, width: Int) {
        let s = src.assumingMemoryBound(to: UInt8.self)
        let d = dst.assumingMemoryBound(to: UInt8.self)
        for k in 0..<width {
            let stream = s + k * stride
            for i in 0..<count { d[i * width + k] = stream[i] }
        }
    }
}
