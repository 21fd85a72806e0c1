import FloeColumnar

/// Encodes values with the PLAIN encoding (`PLAIN = 0`), for data pages and dictionary pages.
///
/// Inputs are the non-null values only, in Arrow layout. Invariants: encoding only appends to the
/// output builder; inconsistent inputs (offsets out of order or out of bounds) throw
/// ``ParquetError/Code-swift.struct/internalError`` before anything is appended. Assumes a
/// little-endian host.
enum PlainEncoder {
    /// Appends fixed-width values (INT32, INT64, FLOAT, DOUBLE, FIXED_LEN_BYTE_ARRAY) given as
    /// their contiguous little-endian bytes.
    static func encodeFixedWidth(_ values: UnsafeRawBufferPointer, into out: BufferBuilder) {
        out.append(bytes: values)
    }

    /// Appends `values` (`Int32`, `Int64`, `Float`, `Double`).
    static func encode<T: BitwiseCopyable>(_ values: UnsafeBufferPointer<T>, into out: BufferBuilder) {
        out.append(bytes: UnsafeRawBufferPointer(values))
    }

    /// Appends `count` booleans, bits `bitOffset ..< bitOffset + count` of the LSB-first `bitmap`,
    /// bit-packed LSB-first and padded with zero bits to a whole byte.
    static func encodeBooleans(bitmap: UnsafeRawBufferPointer, bitOffset: Int = 0, count: Int,
                               into out: BufferBuilder) throws {
        guard bitOffset >= 0, count >= 0, bitOffset + count <= bitmap.count * 8 else {
            throw ParquetError(.internalError, "boolean bitmap range out of bounds")
        }
        let byteCount = (count + 7) / 8
        guard byteCount > 0, let src = bitmap.baseAddress else { return }
        out.appendUninitialized(byteCount) { raw in
            guard let dst = raw.baseAddress else { return }
            let shift = bitOffset & 7
            let first = bitOffset >> 3
            for i in 0..<byteCount {
                var byte = src.load(fromByteOffset: first + i, as: UInt8.self) >> UInt8(shift)
                if shift != 0 && first + i + 1 < bitmap.count {
                    byte |= src.load(fromByteOffset: first + i + 1, as: UInt8.self) << UInt8(8 - shift)
                }
                let bitsHere = Swift.min(8, count - i * 8)
                if bitsHere < 8 { byte &= UInt8((1 << bitsHere) - 1) }
                dst.storeBytes(of: byte, toByteOffset: i, as: UInt8.self)
            }
        }
    }

    /// Appends timestamps given as `Int64` nanoseconds since the Unix epoch as INT96 values
    /// (8-byte nanoseconds of the day, 4-byte Julian day).
    static func encodeInt96Timestamps(_ nanoseconds: UnsafeBufferPointer<Int64>, into out: BufferBuilder) {
        let count = nanoseconds.count
        guard count > 0 else { return }
        out.appendUninitialized(count * 12) { raw in
            guard let dst = raw.baseAddress else { return }
            for i in 0..<count {
                let value = nanoseconds[i]
                var days = value / PlainDecoder.nanosecondsPerDay
                var nanosOfDay = value % PlainDecoder.nanosecondsPerDay
                if nanosOfDay < 0 {
                    nanosOfDay += PlainDecoder.nanosecondsPerDay
                    days -= 1
                }
                let julian = UInt32(truncatingIfNeeded: days &+ PlainDecoder.julianDayOfUnixEpoch)
                dst.storeBytes(of: UInt64(nanosOfDay).littleEndian, toByteOffset: i * 12, as: UInt64.self)
                dst.storeBytes(of: julian.littleEndian, toByteOffset: i * 12 + 8, as: UInt32.self)
            }
        }
    }

    /// Appends BYTE_ARRAY values given in Arrow layout: value `i` is
    /// `data[offsets[i] ..< offsets[i + 1]]`, so `offsets` holds one more entry than there are values.
    static func encodeByteArrays(offsets: UnsafeBufferPointer<Int32>, data: UnsafeRawBufferPointer,
                                 into out: BufferBuilder) throws {
        let count = offsets.count - 1
        guard count > 0 else { return }
        try validate(offsets: offsets, dataCount: data.count)
        let first = Int(offsets[0])
        let total = Int(offsets[count]) - first
        guard let src = data.baseAddress else { return }
        let size = total + 4 * count
        out.reserve(size + ByteCopy.slack)
        out.appendUninitialized(size + ByteCopy.slack) { raw in
            guard let dst = raw.baseAddress else { return }
            var o = 0
            for i in 0..<count {
                let start = Int(offsets[i])
                let length = Int(offsets[i + 1]) - start
                dst.storeBytes(of: UInt32(length).littleEndian, toByteOffset: o, as: UInt32.self)
                o += 4
                ByteCopy.copy(from: src + start, readable: data.count - start, to: dst + o, count: length)
                o += length
            }
        }
        out.truncate(to: out.count - ByteCopy.slack)
    }

    /// Checks that `offsets` is non-decreasing and within `0 ... dataCount`.
    static func validate(offsets: UnsafeBufferPointer<Int32>, dataCount: Int) throws {
        guard let first = offsets.first, first >= 0 else {
            throw ParquetError(.internalError, "byte array offsets are empty or negative")
        }
        var previous = first
        for offset in offsets {
            guard offset >= previous else { throw ParquetError(.internalError, "byte array offsets decrease") }
            previous = offset
        }
        guard Int(previous) <= dataCount else {
            throw ParquetError(.internalError, "byte array offsets run past the data")
        }
    }
}
