import FloeColumnar

/// ULEB128 variable-length integers and their zigzag form for signed values, as used by the
/// RLE / bit-packing hybrid run headers and the DELTA_BINARY_PACKED headers.
///
/// Invariants: readers never read past the end of the bytes they are given and reject encodings
/// longer than 10 bytes or wider than 64 bits with ``ParquetError/Code-swift.struct/corrupt``.
enum LEB128 {
    /// Reads an unsigned LEB128 integer at `position`, advancing `position` past it.
    @inline(__always)
    static func readUnsigned(_ bytes: UnsafeRawBufferPointer, at position: inout Int) throws -> UInt64 {
        var p = position
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard p >= 0, p < bytes.count else { throw ParquetError.corrupt("truncated ULEB128 integer") }
            let byte = bytes[p]
            p += 1
            let payload = UInt64(byte & 0x7F)
            if shift == 63 && payload > 1 || shift > 63 {
                throw ParquetError.corrupt("ULEB128 integer wider than 64 bits")
            }
            result |= payload << shift
            if byte & 0x80 == 0 { break }
            shift += 7
        }
        position = p
        return result
    }

    /// Reads a zigzag ULEB128 integer at `position`, advancing `position` past it.
    @inline(__always)
    static func readZigZag(_ bytes: UnsafeRawBufferPointer, at position: inout Int) throws -> Int64 {
        decodeZigZag(try readUnsigned(bytes, at: &position))
    }

    /// Maps a zigzag-encoded value back to a signed one (0, 1, 2, 3, ... → 0, -1, 1, -2, ...).
    @inline(__always)
    static func decodeZigZag(_ value: UInt64) -> Int64 {
        Int64(bitPattern: (value >> 1) ^ (0 &- (value & 1)))
    }

    /// Maps a signed value to its zigzag form (0, -1, 1, -2, ... → 0, 1, 2, 3, ...).
    @inline(__always)
    static func encodeZigZag(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: (value &<< 1) ^ (value >> 63))
    }

    /// Appends `value` as unsigned LEB128.
    static func appendUnsigned(_ value: UInt64, to out: BufferBuilder) {
        var v = value
        while v >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        out.append(UInt8(truncatingIfNeeded: v))
    }

    /// Appends `value` as zigzag ULEB128.
    static func appendZigZag(_ value: Int64, to out: BufferBuilder) {
        appendUnsigned(encodeZigZag(value), to: out)
    }
}
