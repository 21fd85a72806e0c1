import FloeColumnar

/// Writes bits LSB-first to raw memory through a 64-bit accumulator: the inner loop of building
/// validity and boolean bitmaps from levels and runs.
///
/// Invariants: `base` is writable for every byte up to `(bitsWritten + 7) / 8` plus 8 bytes of
/// slack (whole accumulator words are stored); bits at positions `bits ..< 64` of `accumulator`
/// are zero; after ``flush()`` the bytes up to `(bitsWritten + 7) / 8` hold every bit written and
/// the bits past the last one in the last byte are zero.
struct BitWriter {
    private let base: UnsafeMutableRawPointer
    private var byteOffset = 0
    private var accumulator: UInt64
    private var bits: Int

    /// A writer whose first `initialBitCount` (`0..<8`) bits are the low bits of `initialByte`.
    init(_ base: UnsafeMutableRawPointer, initialByte: UInt8 = 0, initialBitCount: Int = 0) {
        self.base = base
        self.bits = initialBitCount
        self.accumulator = initialBitCount == 0 ? 0 : UInt64(initialByte) & ((UInt64(1) << UInt64(initialBitCount)) - 1)
    }

    /// Appends the low `count` (`1...64`) bits of `word`, whose other bits must be zero.
    @inline(__always)
    mutating func append(_ word: UInt64, count: Int) {
        accumulator |= word &<< UInt64(bits)
        let total = bits + count
        if total >= 64 {
            base.storeBytes(of: accumulator.littleEndian, toByteOffset: byteOffset, as: UInt64.self)
            byteOffset += 8
            accumulator = bits == 0 ? 0 : word &>> UInt64(64 - bits)
            bits = total - 64
        } else {
            bits = total
        }
    }

    /// Appends `count` copies of `bit`.
    @inline(__always)
    mutating func append(repeating bit: Bool, count: Int) {
        var n = count
        let head = Swift.min(n, 64 - bits)
        if head > 0 {
            append(bit ? (head == 64 ? ~0 : (UInt64(1) << UInt64(head)) - 1) : 0, count: head)
            n -= head
        }
        guard n > 0 else { return }
        // The accumulator is empty now: whole words go straight to memory.
        let words = n >> 6
        if words > 0 {
            (base + byteOffset).initializeMemory(as: UInt8.self, repeating: bit ? 0xFF : 0, count: words * 8)
            byteOffset += words * 8
            n &= 63
        }
        if n > 0 { append(bit ? (UInt64(1) << UInt64(n)) - 1 : 0, count: n) }
    }

    /// Stores the bits still in the accumulator.
    mutating func flush() {
        var a = accumulator
        for i in 0..<((bits + 7) / 8) {
            base.storeBytes(of: UInt8(truncatingIfNeeded: a), toByteOffset: byteOffset + i, as: UInt8.self)
            a >>= 8
        }
    }

    /// Appends `count` bits to the LSB-first bitmap in `bitmap` (holding `bitCount` bits, see
    /// ``PackedBits``) through a writer handed to `body`, which must append exactly `count` bits.
    static func append(count: Int, to bitmap: BufferBuilder, bitCount: inout Int,
                       _ body: (inout BitWriter) throws -> Void) throws {
        guard count > 0 else { return }
        let start = bitCount
        var carried: UInt8 = 0
        let startByte = start >> 3
        if start & 7 != 0 && bitmap.count > 0 {
            // Take the partly filled last byte back into the accumulator.
            carried = bitmap.value(at: bitmap.count - 1, as: UInt8.self)
            bitmap.truncate(to: bitmap.count - 1)
        }
        let bytesBefore = bitmap.count
        let newBytes = (start + count + 7) >> 3 - startByte
        do {
            try bitmap.appendUninitialized(newBytes + 8) { raw in
                guard let base = raw.baseAddress else { return }
                var writer = BitWriter(base, initialByte: carried, initialBitCount: start & 7)
                try body(&writer)
                writer.flush()
            }
        } catch {
            // Leave the bitmap as it was.
            if start & 7 != 0 && bytesBefore == startByte { bitmap.append(carried) }
            throw error
        }
        bitmap.truncate(to: bytesBefore + newBytes)
        bitCount = start + count
    }
}
