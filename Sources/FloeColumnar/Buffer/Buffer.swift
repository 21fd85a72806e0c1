#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The memory behind a ``Buffer``: one 64-byte aligned allocation, freed when the last
/// ``Buffer`` referring to it goes away. It is never mutated after a ``BufferBuilder`` hands it over.
@usableFromInline
final class BufferStorage: @unchecked Sendable {
    @usableFromInline let pointer: UnsafeMutableRawPointer
    @usableFromInline let capacity: Int

    @usableFromInline
    init(capacity: Int) {
        self.capacity = Swift.max(capacity, 0)
        self.pointer = UnsafeMutableRawPointer.allocate(byteCount: Swift.max(self.capacity, 1), alignment: 64)
    }

    @usableFromInline
    init(adopting pointer: UnsafeMutableRawPointer, capacity: Int) {
        self.pointer = pointer
        self.capacity = capacity
    }

    deinit { pointer.deallocate() }
}

/// An immutable, contiguous, 64-byte aligned run of bytes: the unit of Arrow-compatible column memory.
///
/// Invariants: `count` bytes starting at the storage's pointer are initialised; the bytes never
/// change once the buffer exists, so copies share storage freely and the type is `Sendable`.
public struct Buffer: Sendable {
    @usableFromInline let storage: BufferStorage
    @usableFromInline let offset: Int
    /// The number of bytes in the buffer.
    public let count: Int

    @usableFromInline
    init(storage: BufferStorage, offset: Int = 0, count: Int) {
        self.storage = storage
        self.offset = offset
        self.count = count
    }

    /// An empty buffer.
    public init() { self.init(storage: BufferStorage(capacity: 0), count: 0) }

    /// A buffer holding a copy of `bytes`.
    public init<C: Collection>(bytes: C) where C.Element == UInt8 {
        let builder = BufferBuilder(capacity: bytes.count)
        builder.append(contentsOf: bytes)
        self = builder.finish()
    }

    /// A buffer holding the in-memory (little-endian) representation of `values`.
    public init<T: BitwiseCopyable>(values: [T]) {
        let byteCount = values.count * MemoryLayout<T>.stride
        let storage = BufferStorage(capacity: byteCount)
        values.withUnsafeBytes { src in
            if let base = src.baseAddress, byteCount > 0 { storage.pointer.copyMemory(from: base, byteCount: byteCount) }
        }
        self.init(storage: storage, count: byteCount)
    }

    /// Calls `body` with the buffer's bytes. The pointer is valid only inside `body`.
    @inlinable
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withExtendedLifetime(storage) {
            try body(UnsafeRawBufferPointer(start: storage.pointer + offset, count: count))
        }
    }

    /// Calls `body` with the buffer viewed as `count / stride(T)` values of `T`.
    /// The pointer is valid only inside `body`.
    @inlinable
    public func withUnsafeValues<T: BitwiseCopyable, R>(of type: T.Type, _ body: (UnsafeBufferPointer<T>) throws -> R) rethrows -> R {
        try withExtendedLifetime(storage) {
            let base = (storage.pointer + offset).assumingMemoryBound(to: T.self)
            return try body(UnsafeBufferPointer(start: base, count: count / MemoryLayout<T>.stride))
        }
    }

    /// The value of type `T` at element index `index`. Bounds are checked with a precondition
    /// (an out-of-range index here is a Floe bug, never a property of input data).
    @inlinable
    public func value<T: BitwiseCopyable>(at index: Int, as type: T.Type = T.self) -> T {
        precondition(index >= 0 && (index + 1) * MemoryLayout<T>.stride <= count, "Buffer index out of range")
        return withExtendedLifetime(storage) {
            (storage.pointer + offset).loadUnaligned(fromByteOffset: index * MemoryLayout<T>.stride, as: T.self)
        }
    }

    /// The buffer's bytes as an array (a copy).
    public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

    /// The values as an array of `T` (a copy).
    public func values<T: BitwiseCopyable>(as type: T.Type) -> [T] { withUnsafeValues(of: T.self) { Array($0) } }

    /// A view of `length` bytes starting at byte `start`, sharing storage.
    public func slice(bytesFrom start: Int, count length: Int) -> Buffer {
        precondition(start >= 0 && length >= 0 && start + length <= count, "Buffer slice out of range")
        return Buffer(storage: storage, offset: offset + start, count: length)
    }
}

extension Buffer: Equatable {
    public static func == (lhs: Buffer, rhs: Buffer) -> Bool {
        guard lhs.count == rhs.count else { return false }
        return lhs.withUnsafeBytes { a in rhs.withUnsafeBytes { b in
            a.count == 0 || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0
        } }
    }
}
