import FloeColumnar

/// Encodes INT32 or INT64 values with DELTA_BINARY_PACKED (`= 5`): blocks of 128 values in 4
/// miniblocks of 32.
///
/// Invariants: deltas are computed in the value's own width with wrapping arithmetic, so INT32
/// data never uses more than 32 bits per delta; the last block's unused miniblocks get bit width 0
/// and no bytes; a partly filled last miniblock is padded with zero bits to its full size;
/// encoding only appends to the output builder.
enum DeltaBinaryPackedEncoder {
    static let blockSize = 128
    static let miniblocksPerBlock = 4
    static let miniblockSize = 32

    /// Appends the encoding of `values` to `out`.
    static func encode(_ values: UnsafeBufferPointer<Int32>, into out: BufferBuilder) {
        let first = values.first.map { Int64($0) } ?? 0
        guard let base = values.baseAddress else {
            encode(UnsafePointer<UInt32>?.none, count: 0, firstValue: first, into: out)
            return
        }
        base.withMemoryRebound(to: UInt32.self, capacity: values.count) {
            encode($0, count: values.count, firstValue: first, into: out)
        }
    }

    /// Appends the encoding of `values` to `out`.
    static func encode(_ values: UnsafeBufferPointer<Int64>, into out: BufferBuilder) {
        let first = values.first ?? 0
        guard let base = values.baseAddress else {
            encode(UnsafePointer<UInt64>?.none, count: 0, firstValue: first, into: out)
            return
        }
        base.withMemoryRebound(to: UInt64.self, capacity: values.count) {
            encode($0, count: values.count, firstValue: first, into: out)
        }
    }

    /// The largest number of bytes the encoding of `count` values of `bitWidth` (32 or 64) bits takes.
    static func maxEncodedByteCount(count: Int, bitWidth: Int) -> Int {
        let blocks = (count + blockSize - 1) / blockSize
        return 4 * 10 + blocks * (10 + miniblocksPerBlock + blockSize * bitWidth / 8)
    }

    /// `U` is `UInt32` for INT32 values, `UInt64` for INT64; `firstValue` is the first value
    /// sign-extended.
    private static func encode<U: FixedWidthInteger & UnsignedInteger>(
        _ values: UnsafePointer<U>?, count: Int, firstValue: Int64, into out: BufferBuilder
    ) {
        LEB128.appendUnsigned(UInt64(blockSize), to: out)
        LEB128.appendUnsigned(UInt64(miniblocksPerBlock), to: out)
        LEB128.appendUnsigned(UInt64(count), to: out)
        LEB128.appendZigZag(firstValue, to: out)
        guard let values, count > 1 else { return }
        let signBit = U(1) << (U.bitWidth - 1)
        withUnsafeTemporaryAllocation(of: U.self, capacity: blockSize) { scratch in
            guard let deltas = scratch.baseAddress else { return }
            var i = 1
            while i < count {
                let n = Swift.min(blockSize, count - i)
                // Deltas, and their minimum in signed order (an unsigned minimum with the sign bit flipped).
                var minKey = U.max
                for j in 0..<n {
                    let delta = values[i + j] &- values[i + j - 1]
                    deltas[j] = delta
                    minKey = Swift.min(minKey, delta ^ signBit)
                }
                let minDelta = minKey ^ signBit
                for j in 0..<n { deltas[j] = deltas[j] &- minDelta }
                for j in n..<blockSize { deltas[j] = 0 }
                let signedMin = U.bitWidth == 32
                    ? Int64(Int32(truncatingIfNeeded: minDelta))
                    : Int64(truncatingIfNeeded: minDelta)
                LEB128.appendZigZag(signedMin, to: out)
                let used = (n + miniblockSize - 1) / miniblockSize
                var widths: (Int, Int, Int, Int) = (0, 0, 0, 0)
                withUnsafeMutableBytes(of: &widths) { raw in
                    let w = raw.bindMemory(to: Int.self)
                    for m in 0..<miniblocksPerBlock {
                        var all: U = 0
                        if m < used {
                            for j in (m * miniblockSize)..<((m + 1) * miniblockSize) { all |= deltas[j] }
                        }
                        w[m] = U.bitWidth - all.leadingZeroBitCount
                        out.append(UInt8(w[m]))
                    }
                    for m in 0..<used {
                        let width = w[m]
                        let miniblock = deltas + m * miniblockSize
                        out.appendUninitialized(miniblockSize * width / 8) { dst in
                            guard let d = dst.baseAddress else { return }
                            if U.self == UInt32.self {
                                BitPacking.pack32(UnsafeRawPointer(miniblock).assumingMemoryBound(to: UInt32.self),
                                                  count: miniblockSize, bitWidth: width, into: d)
                            } else {
                                BitPacking.pack64(UnsafeRawPointer(miniblock).assumingMemoryBound(to: UInt64.self),
                                                  count: miniblockSize, bitWidth: width, into: d)
                            }
                        }
                    }
                }
                i += n
            }
        }
    }
}
