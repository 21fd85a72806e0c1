extension BitPacking {
    /// Packs `count` values (a multiple of 8) of `bitWidth` bits (`0...32`) into `dst`, LSB-first,
    /// writing exactly `count * bitWidth / 8` bytes. Bits of a value above `bitWidth` must be zero.
    static func pack32(_ values: UnsafePointer<UInt32>, count: Int, bitWidth: Int, into dst: UnsafeMutableRawPointer) {
        let w = bitWidth
        guard w > 0, count > 0 else { return }
        if w == 32 {
            for i in 0..<count { dst.storeBytes(of: values[i].littleEndian, toByteOffset: i * 4, as: UInt32.self) }
            return
        }
        var accumulator: UInt64 = 0
        var bits = 0
        var out = 0
        for i in 0..<count {
            let v = UInt64(values[i])
            accumulator |= v &<< UInt64(bits)
            bits += w
            if bits >= 64 {
                dst.storeBytes(of: accumulator.littleEndian, toByteOffset: out, as: UInt64.self)
                out += 8
                bits -= 64
                accumulator = bits == 0 ? 0 : v &>> UInt64(w - bits)
            }
        }
        flush(accumulator, bits: bits, into: dst + out)
    }

    /// Packs `count` values (a multiple of 8) of `bitWidth` bits (`0...64`) into `dst`, LSB-first,
    /// writing exactly `count * bitWidth / 8` bytes. Bits of a value above `bitWidth` must be zero.
    static func pack64(_ values: UnsafePointer<UInt64>, count: Int, bitWidth: Int, into dst: UnsafeMutableRawPointer) {
        let w = bitWidth
        guard w > 0, count > 0 else { return }
        if w == 64 {
            for i in 0..<count { dst.storeBytes(of: values[i].littleEndian, toByteOffset: i * 8, as: UInt64.self) }
            return
        }
        var accumulator: UInt64 = 0
        var bits = 0
        var out = 0
        for i in 0..<count {
            let v = values[i]
            accumulator |= v &<< UInt64(bits)
            bits += w
            if bits >= 64 {
                dst.storeBytes(of: accumulator.littleEndian, toByteOffset: out, as: UInt64.self)
                out += 8
                bits -= 64
                accumulator = bits == 0 ? 0 : v &>> UInt64(w - bits)
            }
        }
        flush(accumulator, bits: bits, into: dst + out)
    }

    /// Writes the low `bits` (a multiple of 8) bits of `accumulator` byte by byte.
    @inline(__always)
    private static func flush(_ accumulator: UInt64, bits: Int, into dst: UnsafeMutableRawPointer) {
        var a = accumulator
        for i in 0..<(bits / 8) {
            dst.storeBytes(of: UInt8(truncatingIfNeeded: a), toByteOffset: i, as: UInt8.self)
            a >>= 8
        }
    }

    /// The number of bits needed to represent `value` (0 for 0).
    @inline(__always)
    static func bitWidth(of value: UInt64) -> Int { 64 - value.leadingZeroBitCount }
}
