import FloeColumnar

/// Appending to an LSB-first bitmap (Arrow validity and boolean layout) held in a ``BufferBuilder``,
/// a byte at a time rather than a bit at a time: the fast path for validity bitmaps and BOOLEAN
/// values (see also ``BitWriter``). ``BitmapBuilder`` has no bulk append, and its per-bit append
/// costs several nanoseconds a bit.
///
/// Invariants the caller keeps and these functions preserve: the builder holds exactly the
/// bitmap, `(bitCount + 7) / 8` bytes, where `bitCount` is the number of bits appended so far
/// (the caller's variable); bits at positions `bitCount` and above in the last byte are zero.
enum PackedBits {
    /// Appends bits `bitOffset ..< bitOffset + count` of the LSB-first bits at `src`, which must be
    /// readable for `(bitOffset + count + 7) / 8` bytes.
    static func append(_ src: UnsafeRawPointer, bitOffset: Int, count: Int, to bitmap: BufferBuilder,
                       bitCount: inout Int) {
        guard count > 0 else { return }
        let start = bitCount
        let newBytes = (start + count + 7) >> 3
        bitmap.appendZeros(newBytes - ((start + 7) >> 3))
        bitmap.withUnsafeMutableBytes { raw in
            guard let base = raw.baseAddress, raw.count >= newBytes else { return }
            let d = base.assumingMemoryBound(to: UInt8.self)
            let s = src.assumingMemoryBound(to: UInt8.self)
            let sourceEnd = (bitOffset + count + 7) >> 3
            let sourceShift = UInt8(bitOffset & 7)
            let destinationShift = UInt8(start & 7)
            var sb = bitOffset >> 3
            var db = start >> 3
            var done = 0
            while done < count {
                var byte = s[sb] &>> sourceShift
                if sourceShift != 0 && sb + 1 < sourceEnd { byte |= s[sb + 1] &<< (8 - sourceShift) }
                let n = count - done
                if n < 8 { byte &= UInt8(truncatingIfNeeded: (1 << n) - 1) }
                d[db] |= byte &<< destinationShift
                if destinationShift != 0 && db + 1 < newBytes { d[db + 1] |= byte &>> (8 - destinationShift) }
                sb += 1
                db += 1
                done += 8
            }
        }
        bitCount = start + count
    }
}
