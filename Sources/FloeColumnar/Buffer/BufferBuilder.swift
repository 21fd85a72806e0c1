#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A growable byte buffer that decoders and column builders write into, then turn into an
/// immutable ``Buffer`` without copying (`finish()`).
///
/// Invariants: `count <= capacity`; bytes `0..<count` are initialised. It is a reference type
/// so that hot loops can append through it without copy-on-write checks; it is not `Sendable`
/// and must be used by one task at a time.
public final class BufferBuilder {
    @usableFromInline var pointer: UnsafeMutableRawPointer
    @usableFromInline var capacity: Int
    @usableFromInline var _count: Int
    /// The number of bytes written so far.
    @inlinable public var count: Int { _count }

    /// A builder with room for `capacity` bytes before it first grows.
    public init(capacity: Int = 64) {
        self.capacity = Swift.max(capacity, 64)
        self.pointer = UnsafeMutableRawPointer.allocate(byteCount: self.capacity, alignment: 64)
        self._count = 0
    }

    deinit { pointer.deallocate() }

    /// Makes room for at least `additional` more bytes.
    @inlinable
    public func reserve(_ additional: Int) {
        let needed = count + additional
        if needed > capacity { grow(to: needed) }
    }

    @usableFromInline
    func grow(to needed: Int) {
        var newCapacity = Swift.max(capacity * 2, 64)
        while newCapacity < needed { newCapacity *= 2 }
        let newPointer = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 64)
        newPointer.copyMemory(from: pointer, byteCount: count)
        pointer.deallocate()
        pointer = newPointer
        capacity = newCapacity
    }

    /// Appends one fixed-width value in its in-memory (little-endian) representation.
    @inlinable
    public func append<T: BitwiseCopyable>(_ value: T) {
        let size = MemoryLayout<T>.size
        if count + size > capacity { grow(to: count + size) }
        pointer.storeBytes(of: value, toByteOffset: count, as: T.self)
        _count += size
    }

    /// Appends raw bytes.
    @inlinable
    public func append(bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0, let base = bytes.baseAddress else { return }
        if count + bytes.count > capacity { grow(to: count + bytes.count) }
        (pointer + count).copyMemory(from: base, byteCount: bytes.count)
        _count += bytes.count
    }

    /// Appends the bytes of a collection.
    public func append<C: Collection>(contentsOf bytes: C) where C.Element == UInt8 {
        let done: Void? = bytes.withContiguousStorageIfAvailable { append(bytes: UnsafeRawBufferPointer($0)) }
        if done == nil { for b in bytes { append(b) } }
    }

    /// Appends `byteCount` zero bytes.
    public func appendZeros(_ byteCount: Int) {
        guard byteCount > 0 else { return }
        reserve(byteCount)
        (pointer + count).initializeMemory(as: UInt8.self, repeating: 0, count: byteCount)
        _count += byteCount
    }

    /// Grows the builder by `byteCount` bytes and lets `body` write them, starting at the old end.
    /// `body` must initialise all `byteCount` bytes.
    @inlinable
    public func appendUninitialized<R>(_ byteCount: Int, _ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
        reserve(byteCount)
        let result = try body(UnsafeMutableRawBufferPointer(start: pointer + count, count: byteCount))
        _count += byteCount
        return result
    }

    /// Calls `body` with all bytes written so far, for in-place updates.
    @inlinable
    public func withUnsafeMutableBytes<R>(_ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeMutableRawBufferPointer(start: pointer, count: count))
    }

    /// Drops bytes beyond `newCount` (which must not exceed `count`).
    public func truncate(to newCount: Int) {
        precondition(newCount >= 0 && newCount <= count)
        _count = newCount
    }

    /// The value of type `T` at element index `index` written so far.
    @inlinable
    public func value<T: BitwiseCopyable>(at index: Int, as type: T.Type = T.self) -> T {
        precondition(index >= 0 && (index + 1) * MemoryLayout<T>.stride <= count)
        return pointer.loadUnaligned(fromByteOffset: index * MemoryLayout<T>.stride, as: T.self)
    }

    /// Hands the bytes over as an immutable ``Buffer`` and leaves this builder empty and reusable.
    public func finish() -> Buffer {
        let storage = BufferStorage(adopting: pointer, capacity: capacity)
        let result = Buffer(storage: storage, count: count)
        capacity = 64
        pointer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 64)
        _count = 0
        return result
    }
}
