/// Copying of short byte strings (the values of string columns) without a `memcpy` call each.
///
/// Invariant: ``copy(from:readable:to:count:)`` writes at most 16 bytes past `dst + count`, so a
/// destination must always have 16 writable bytes of slack after the last value copied into it.
enum ByteCopy {
    /// Bytes of slack a destination needs after its last value.
    static let slack = 16

    /// Copies `count` bytes from `src` to `dst`. `readable` is how many bytes may be read at `src`
    /// (at least `count`); `dst` must be writable for `max(count, 16)` bytes.
    @inline(__always)
    static func copy(from src: UnsafeRawPointer, readable: Int, to dst: UnsafeMutableRawPointer, count: Int) {
        if count <= 16 && readable >= 16 {
            let a = src.loadUnaligned(as: UInt64.self)
            let b = src.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
            dst.storeBytes(of: a, as: UInt64.self)
            dst.storeBytes(of: b, toByteOffset: 8, as: UInt64.self)
        } else if count > 0 {
            dst.copyMemory(from: src, byteCount: count)
        }
    }
}
