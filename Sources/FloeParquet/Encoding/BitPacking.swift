/// Bit unpacking and packing in the order shared by the RLE / bit-packing hybrid and
/// DELTA_BINARY_PACKED encodings: values lie back to back, filling each byte from its least
/// significant bit; each value keeps its own bits in the usual order.
///
/// Invariants: the unpack functions never read outside `src ..< src + readable` (bits past
/// `readable` read as zero) and write exactly `count` values; the pack functions write exactly
/// `count * bitWidth / 8` bytes. Hot loops are specialised per bit width: a `switch` on the width
/// calls an always-inlined kernel with a literal width, so shifts and masks are constants and each
/// group of 8 values unrolls into plain unaligned 64-bit loads.
enum BitPacking {
    /// Bytes a fast kernel may read past the end of the group it unpacks.
    static let slack = 8

    // MARK: Unpacking to 32-bit values

    /// Unpacks `count` values of `bitWidth` bits (`0...32`) starting at bit 0 of `src` into `dst`.
    static func unpack32(_ src: UnsafeRawPointer, readable: Int, into dst: UnsafeMutablePointer<UInt32>,
                         count: Int, bitWidth: Int) {
        guard count > 0 else { return }
        let w = bitWidth
        if w == 0 {
            dst.initialize(repeating: 0, count: count)
            return
        }
        let fullGroups = count >> 3
        var fastGroups = 0
        if readable >= w + slack { fastGroups = Swift.min(fullGroups, (readable - w - slack) / w + 1) }
        if fastGroups > 0 { unpackGroups32(src, dst, fastGroups, w) }
        var done = fastGroups * 8
        var offset = fastGroups * w
        // The rest (groups too near the end of the readable bytes, and a final partial group)
        // goes through a zero-padded copy, one group at a time.
        while done < count {
            var input: (UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0)
            var output: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
            let available = Swift.max(0, Swift.min(w, readable - offset))
            let n = Swift.min(8, count - done)
            withUnsafeMutableBytes(of: &input) { inRaw in
                withUnsafeMutableBytes(of: &output) { outRaw in
                    guard let inBase = inRaw.baseAddress, let outBase = outRaw.baseAddress else { return }
                    if available > 0 { inBase.copyMemory(from: src + offset, byteCount: available) }
                    let values = outBase.bindMemory(to: UInt32.self, capacity: 8)
                    unpackGroups32(UnsafeRawPointer(inBase), values, 1, w)
                    (dst + done).initialize(from: values, count: n)
                }
            }
            done += n
            offset += w
        }
    }

    /// Unpacks `count` values of `bitWidth` bits (`0...32`) starting with value number
    /// `firstValue` of the packed sequence at `src` (which need not be a multiple of 8).
    static func unpack32(_ src: UnsafeRawPointer, readable: Int, firstValue: Int,
                         into dst: UnsafeMutablePointer<UInt32>, count: Int, bitWidth: Int) {
        let w = bitWidth
        var first = firstValue
        var remaining = count
        var out = dst
        let head = first & 7
        if head != 0 && remaining > 0 {
            var output: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
            let groupOffset = (first >> 3) * w
            let n = Swift.min(8 - head, remaining)
            withUnsafeMutableBytes(of: &output) { outRaw in
                guard let outBase = outRaw.baseAddress else { return }
                let values = outBase.bindMemory(to: UInt32.self, capacity: 8)
                unpack32(src + groupOffset, readable: readable - groupOffset, into: values, count: 8, bitWidth: w)
                out.initialize(from: values + head, count: n)
            }
            first += n
            remaining -= n
            out += n
        }
        if remaining > 0 {
            let offset = (first >> 3) * w
            unpack32(src + offset, readable: readable - offset, into: out, count: remaining, bitWidth: w)
        }
    }

    /// Unpacks `groups` whole groups of 8 values; the source must be readable for
    /// `groups * bitWidth + slack` bytes.
    static func unpackGroups32(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<UInt32>,
                               _ groups: Int, _ bitWidth: Int) {
        switch bitWidth {
        case 1: groups32(src, dst, groups, 1)
        case 2: groups32(src, dst, groups, 2)
        case 3: groups32(src, dst, groups, 3)
        case 4: groups32(src, dst, groups, 4)
        case 5: groups32(src, dst, groups, 5)
        case 6: groups32(src, dst, groups, 6)
        case 7: groups32(src, dst, groups, 7)
        case 8: groups32(src, dst, groups, 8)
        case 9: groups32(src, dst, groups, 9)
        case 10: groups32(src, dst, groups, 10)
        case 11: groups32(src, dst, groups, 11)
        case 12: groups32(src, dst, groups, 12)
        case 13: groups32(src, dst, groups, 13)
        case 14: groups32(src, dst, groups, 14)
        case 15: groups32(src, dst, groups, 15)
        case 16: groups32(src, dst, groups, 16)
        case 17: groups32(src, dst, groups, 17)
        case 18: groups32(src, dst, groups, 18)
        case 19: groups32(src, dst, groups, 19)
        case 20: groups32(src, dst, groups, 20)
        case 21: groups32(src, dst, groups, 21)
        case 22: groups32(src, dst, groups, 22)
        case 23: groups32(src, dst, groups, 23)
        case 24: groups32(src, dst, groups, 24)
        case 25: groups32(src, dst, groups, 25)
        case 26: groups32(src, dst, groups, 26)
        case 27: groups32(src, dst, groups, 27)
        case 28: groups32(src, dst, groups, 28)
        case 29: groups32(src, dst, groups, 29)
        case 30: groups32(src, dst, groups, 30)
        case 31: groups32(src, dst, groups, 31)
        case 32:
            for i in 0..<(groups * 8) {
                dst[i] = UInt32(littleEndian: src.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self))
            }
        default: dst.initialize(repeating: 0, count: groups * 8)
        }
    }

    @inline(__always)
    static func groups32(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<UInt32>, _ groups: Int, _ w: Int) {
        var s = src
        var d = dst
        for _ in 0..<groups {
            unpack8x32(s, d, w)
            s += w
            d += 8
        }
    }

    /// Unpacks one group of 8 values of width `w` (`1...31`); reads at most `w + slack` bytes.
    @inline(__always)
    static func unpack8x32(_ s: UnsafeRawPointer, _ d: UnsafeMutablePointer<UInt32>, _ w: Int) {
        let mask = (UInt64(1) &<< UInt64(w)) &- 1
        @inline(__always) func value(_ i: Int) -> UInt32 {
            let bit = i &* w
            let word = UInt64(littleEndian: s.loadUnaligned(fromByteOffset: bit &>> 3, as: UInt64.self))
            return UInt32(truncatingIfNeeded: (word &>> UInt64(bit & 7)) & mask)
        }
        d[0] = value(0); d[1] = value(1); d[2] = value(2); d[3] = value(3)
        d[4] = value(4); d[5] = value(5); d[6] = value(6); d[7] = value(7)
    }

    // MARK: Unpacking to 64-bit values

    /// Unpacks `count` values of `bitWidth` bits (`0...64`) starting at bit 0 of `src` into `dst`.
    static func unpack64(_ src: UnsafeRawPointer, readable: Int, into dst: UnsafeMutablePointer<UInt64>,
                         count: Int, bitWidth: Int) {
        guard count > 0 else { return }
        let w = bitWidth
        if w == 0 {
            dst.initialize(repeating: 0, count: count)
            return
        }
        let fullGroups = count >> 3
        var fastGroups = 0
        if readable >= w + slack { fastGroups = Swift.min(fullGroups, (readable - w - slack) / w + 1) }
        if fastGroups > 0 { unpackGroups64(src, dst, fastGroups, w) }
        var done = fastGroups * 8
        var offset = fastGroups * w
        while done < count {
            var input: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0)
            var output: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
            let available = Swift.max(0, Swift.min(w, readable - offset))
            let n = Swift.min(8, count - done)
            withUnsafeMutableBytes(of: &input) { inRaw in
                withUnsafeMutableBytes(of: &output) { outRaw in
                    guard let inBase = inRaw.baseAddress, let outBase = outRaw.baseAddress else { return }
                    if available > 0 { inBase.copyMemory(from: src + offset, byteCount: available) }
                    let values = outBase.bindMemory(to: UInt64.self, capacity: 8)
                    unpackGroups64(UnsafeRawPointer(inBase), values, 1, w)
                    (dst + done).initialize(from: values, count: n)
                }
            }
            done += n
            offset += w
        }
    }

    /// Unpacks `count` values of `bitWidth` bits (`0...64`) starting with value number
    /// `firstValue` of the packed sequence at `src`.
    static func unpack64(_ src: UnsafeRawPointer, readable: Int, firstValue: Int,
                         into dst: UnsafeMutablePointer<UInt64>, count: Int, bitWidth: Int) {
        let w = bitWidth
        var first = firstValue
        var remaining = count
        var out = dst
        let head = first & 7
        if head != 0 && remaining > 0 {
            var output: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
            let groupOffset = (first >> 3) * w
            let n = Swift.min(8 - head, remaining)
            withUnsafeMutableBytes(of: &output) { outRaw in
                guard let outBase = outRaw.baseAddress else { return }
                let values = outBase.bindMemory(to: UInt64.self, capacity: 8)
                unpack64(src + groupOffset, readable: readable - groupOffset, into: values, count: 8, bitWidth: w)
                out.initialize(from: values + head, count: n)
            }
            first += n
            remaining -= n
            out += n
        }
        if remaining > 0 {
            let offset = (first >> 3) * w
            unpack64(src + offset, readable: readable - offset, into: out, count: remaining, bitWidth: w)
        }
    }

    /// Unpacks `groups` whole groups of 8 values; the source must be readable for
    /// `groups * bitWidth + slack` bytes.
    static func unpackGroups64(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<UInt64>,
                               _ groups: Int, _ bitWidth: Int) {
        switch bitWidth {
        case 1: groups64(src, dst, groups, 1)
        case 2: groups64(src, dst, groups, 2)
        case 3: groups64(src, dst, groups, 3)
        case 4: groups64(src, dst, groups, 4)
        case 5: groups64(src, dst, groups, 5)
        case 6: groups64(src, dst, groups, 6)
        case 7: groups64(src, dst, groups, 7)
        case 8: groups64(src, dst, groups, 8)
        case 9: groups64(src, dst, groups, 9)
        case 10: groups64(src, dst, groups, 10)
        case 11: groups64(src, dst, groups, 11)
        case 12: groups64(src, dst, groups, 12)
        case 13: groups64(src, dst, groups, 13)
        case 14: groups64(src, dst, groups, 14)
        case 15: groups64(src, dst, groups, 15)
        case 16: groups64(src, dst, groups, 16)
        case 17: groups64(src, dst, groups, 17)
        case 18: groups64(src, dst, groups, 18)
        case 19: groups64(src, dst, groups, 19)
        case 20: groups64(src, dst, groups, 20)
        case 21: groups64(src, dst, groups, 21)
        case 22: groups64(src, dst, groups, 22)
        case 23: groups64(src, dst, groups, 23)
        case 24: groups64(src, dst, groups, 24)
        case 25: groups64(src, dst, groups, 25)
        case 26: groups64(src, dst, groups, 26)
        case 27: groups64(src, dst, groups, 27)
        case 28: groups64(src, dst, groups, 28)
        case 29: groups64(src, dst, groups, 29)
        case 30: groups64(src, dst, groups, 30)
        case 31: groups64(src, dst, groups, 31)
        case 32: groups64(src, dst, groups, 32)
        case 33: groups64(src, dst, groups, 33)
        case 34: groups64(src, dst, groups, 34)
        case 35: groups64(src, dst, groups, 35)
        case 36: groups64(src, dst, groups, 36)
        case 37: groups64(src, dst, groups, 37)
        case 38: groups64(src, dst, groups, 38)
        case 39: groups64(src, dst, groups, 39)
        case 40: groups64(src, dst, groups, 40)
        case 41: groups64(src, dst, groups, 41)
        case 42: groups64(src, dst, groups, 42)
        case 43: groups64(src, dst, groups, 43)
        case 44: groups64(src, dst, groups, 44)
        case 45: groups64(src, dst, groups, 45)
        case 46: groups64(src, dst, groups, 46)
        case 47: groups64(src, dst, groups, 47)
        case 48: groups64(src, dst, groups, 48)
        case 49: groups64(src, dst, groups, 49)
        case 50: groups64(src, dst, groups, 50)
        case 51: groups64(src, dst, groups, 51)
        case 52: groups64(src, dst, groups, 52)
        case 53: groups64(src, dst, groups, 53)
        case 54: groups64(src, dst, groups, 54)
        case 55: groups64(src, dst, groups, 55)
        case 56: groups64(src, dst, groups, 56)
        case 57: groups64(src, dst, groups, 57)
        case 58: groups64(src, dst, groups, 58)
        case 59: groups64(src, dst, groups, 59)
        case 60: groups64(src, dst, groups, 60)
        case 61: groups64(src, dst, groups, 61)
        case 62: groups64(src, dst, groups, 62)
        case 63: groups64(src, dst, groups, 63)
        case 64:
            for i in 0..<(groups * 8) {
                dst[i] = UInt64(littleEndian: src.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self))
            }
        default: dst.initialize(repeating: 0, count: groups * 8)
        }
    }

    @inline(__always)
    static func groups64(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<UInt64>, _ groups: Int, _ w: Int) {
        var s = src
        var d = dst
        for _ in 0..<groups {
            unpack8x64(s, d, w)
            s += w
            d += 8
        }
    }

    /// Unpacks one group of 8 values of width `w` (`1...63`); reads at most `w + slack` bytes.
    @inline(__always)
    static func unpack8x64(_ s: UnsafeRawPointer, _ d: UnsafeMutablePointer<UInt64>, _ w: Int) {
        let mask = (UInt64(1) &<< UInt64(w)) &- 1
        @inline(__always) func value(_ i: Int) -> UInt64 {
            let bit = i &* w
            let byte = bit &>> 3
            let shift = bit & 7
            var v = UInt64(littleEndian: s.loadUnaligned(fromByteOffset: byte, as: UInt64.self)) &>> UInt64(shift)
            if shift + w > 64 {
                v |= UInt64(s.load(fromByteOffset: byte &+ 8, as: UInt8.self)) &<< UInt64(64 - shift)
            }
            return v & mask
        }
        d[0] = value(0); d[1] = value(1); d[2] = value(2); d[3] = value(3)
        d[4] = value(4); d[5] = value(5); d[6] = value(6); d[7] = value(7)
    }
}
