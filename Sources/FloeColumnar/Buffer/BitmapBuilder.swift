/// Builds an LSB-first bitmap (Arrow validity and boolean layout): bit `i` is bit `i % 8` of byte `i / 8`.
///
/// Invariants: `count` bits have been appended; bits past `count` in the last byte are zero.
public final class BitmapBuilder {
    @usableFromInline let bytes: BufferBuilder
    /// The number of bits appended so far.
    @usableFromInline var _count: Int = 0
    /// The number of bits appended so far.
    @inlinable public var count: Int { _count }
    /// The number of `true` bits appended so far.
    @usableFromInline var _trueCount: Int = 0
    /// The number of `true` bits appended so far.
    @inlinable public var trueCount: Int { _trueCount }

    /// A builder with room for `capacity` bits before it grows.
    public init(capacity: Int = 512) {
        bytes = BufferBuilder(capacity: (capacity + 7) / 8)
    }

    /// Appends one bit.
    @inlinable
    public func append(_ bit: Bool) {
        let n = _count
        if n & 7 == 0 { bytes.append(UInt8(0)) }
        if bit {
            bytes.pointer.storeBytes(of: bytes.pointer.load(fromByteOffset: n >> 3, as: UInt8.self) | (UInt8(1) << UInt8(n & 7)),
                                     toByteOffset: n >> 3, as: UInt8.self)
            _trueCount += 1
        }
        _count += 1
    }

    /// Appends `n` copies of `bit`.
    public func append(repeating bit: Bool, count n: Int) {
        guard n > 0 else { return }
        var remaining = n
        while remaining > 0 && count & 7 != 0 { append(bit); remaining -= 1 }
        let wholeBytes = remaining / 8
        if wholeBytes > 0 {
            if bit {
                _ = bytes.appendUninitialized(wholeBytes) { $0.initializeMemory(as: UInt8.self, repeating: 0xFF) }
                _trueCount += wholeBytes * 8
            } else {
                bytes.appendZeros(wholeBytes)
            }
            _count += wholeBytes * 8
            remaining -= wholeBytes * 8
        }
        while remaining > 0 { append(bit); remaining -= 1 }
    }

    /// The bit at `index`.
    public func bit(at index: Int) -> Bool {
        precondition(index >= 0 && index < count)
        return bytes.value(at: index >> 3, as: UInt8.self) & (UInt8(1) << UInt8(index & 7)) != 0
    }

    /// Hands the bits over as a ``Buffer`` of `(count + 7) / 8` bytes and resets the builder.
    public func finish() -> Buffer {
        _count = 0
        _trueCount = 0
        return bytes.finish()
    }
}

/// Reads bit `index` of an LSB-first bitmap.
@inlinable
public func bitIsSet(_ bytes: UnsafeRawBufferPointer, _ index: Int) -> Bool {
    bytes[index >> 3] & (UInt8(1) << UInt8(index & 7)) != 0
}

extension Buffer {
    /// Reads bit `index` of this buffer viewed as an LSB-first bitmap.
    @inlinable
    public func bit(at index: Int) -> Bool {
        precondition(index >= 0 && index < count * 8, "bit index out of range")
        return value(at: index >> 3, as: UInt8.self) & (UInt8(1) << UInt8(index & 7)) != 0
    }
}
