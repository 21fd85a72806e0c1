import FloeColumnar

/// Decodes the PLAIN encoding (`PLAIN = 0`) of every physical type into Arrow-layout builders.
/// It also decodes dictionary pages, which are always PLAIN.
///
/// Each function reads `count` values from the start of `source` and returns the number of bytes
/// it consumed, so a caller decoding a page in batches advances by that much.
///
/// Invariants: reads never leave `source`; truncated data, a negative `count`, and byte-array
/// lengths that are negative or run past the data throw ``ParquetError/Code-swift.struct/corrupt``;
/// on any throw the output builders are left as they were. Assumes a little-endian host (as the
/// Arrow layout and Parquet both are little-endian, fixed-width values are copied as they are).
enum PlainDecoder {
    /// Appends `count` values of `byteWidth` bytes each (INT32, INT64, FLOAT, DOUBLE,
    /// FIXED_LEN_BYTE_ARRAY(byteWidth), or INT96 as raw 12-byte values) to `out` with one copy.
    static func decodeFixedWidth(_ source: UnsafeRawBufferPointer, count: Int, byteWidth: Int,
                                 into out: BufferBuilder) throws -> Int {
        let byteCount = try checkedSize(count: count, byteWidth: byteWidth, available: source.count, what: "values")
        guard byteCount > 0, let base = source.baseAddress else { return 0 }
        out.append(bytes: UnsafeRawBufferPointer(start: base, count: byteCount))
        return byteCount
    }

    /// Appends `count` values of `T` (`Int32`, `Int64`, `Float`, `Double`) to `out`.
    static func decode<T: BitwiseCopyable>(_ source: UnsafeRawBufferPointer, count: Int, as type: T.Type,
                                           into out: BufferBuilder) throws -> Int {
        try decodeFixedWidth(source, count: count, byteWidth: MemoryLayout<T>.size, into: out)
    }

    /// Appends `count` BOOLEAN values (bit-packed LSB-first) starting at bit `bitOffset` of
    /// `source` to `bitmap`. Returns the number of bytes holding the bits read, counted from the
    /// start of `source` (`(bitOffset + count + 7) / 8`); a caller decoding booleans in batches
    /// keeps its own bit offset.
    static func decodeBooleans(_ source: UnsafeRawBufferPointer, bitOffset: Int = 0, count: Int,
                               into bitmap: BitmapBuilder) throws -> Int {
        guard count >= 0, bitOffset >= 0 else { throw ParquetError.corrupt("negative PLAIN BOOLEAN count") }
        guard bitOffset + count <= source.count * 8 else {
            throw ParquetError.corrupt("PLAIN BOOLEAN data truncated: \(count) values at bit \(bitOffset), \(source.count) bytes")
        }
        var i = 0
        while i < count {
            let bit = bitOffset + i
            // Whole bytes of equal bits become bulk appends.
            if bit & 7 == 0 && count - i >= 8 {
                let byte = source[bit >> 3]
                if byte == 0 || byte == 0xFF {
                    bitmap.append(repeating: byte != 0, count: 8)
                    i += 8
                    continue
                }
            }
            bitmap.append(bitIsSet(source, bit))
            i += 1
        }
        return (bitOffset + count + 7) / 8
    }

    /// Appends `count` BOOLEAN values (bit-packed LSB-first) starting at bit `bitOffset` of
    /// `source` to the LSB-first bitmap in `bitmap`, which holds `bitCount` bits (see
    /// ``PackedBits``): a bit-block copy. Returns `(bitOffset + count + 7) / 8` like the
    /// ``BitmapBuilder`` form.
    static func decodeBooleans(_ source: UnsafeRawBufferPointer, bitOffset: Int = 0, count: Int,
                               into bitmap: BufferBuilder, bitCount: inout Int) throws -> Int {
        guard count >= 0, bitOffset >= 0 else { throw ParquetError.corrupt("negative PLAIN BOOLEAN count") }
        guard bitOffset + count <= source.count * 8 else {
            throw ParquetError.corrupt("PLAIN BOOLEAN data truncated: \(count) values at bit \(bitOffset), \(source.count) bytes")
        }
        if count > 0, let base = source.baseAddress {
            PackedBits.append(base, bitOffset: bitOffset, count: count, to: bitmap, bitCount: &bitCount)
        }
        return (bitOffset + count + 7) / 8
    }

    /// Julian day number of 1970-01-01.
    static let julianDayOfUnixEpoch: Int64 = 2_440_588
    /// Nanoseconds per day.
    static let nanosecondsPerDay: Int64 = 86_400_000_000_000

    /// Appends `count` INT96 timestamps (8-byte little-endian nanoseconds of the day, then a
    /// 4-byte little-endian Julian day) to `out` as `Int64` ticks of `unit` since the Unix epoch
    /// (sub-unit nanoseconds of the day truncated; nanoseconds wrap on overflow, as other readers
    /// do for dates outside 1677–2262, while microseconds hold every date).
    static func decodeInt96Timestamps(_ source: UnsafeRawBufferPointer, count: Int,
                                      into out: BufferBuilder, unit: TimeUnit = .nanosecond) throws -> Int {
        let byteCount = try checkedSize(count: count, byteWidth: 12, available: source.count, what: "INT96 values")
        guard byteCount > 0, let src = source.baseAddress else { return 0 }
        let nanosPerTick = 1_000_000_000 / unit.ticksPerSecond
        let ticksPerDay = 86_400 * unit.ticksPerSecond
        out.appendUninitialized(count * 8) { raw in
            guard let dst = raw.baseAddress else { return }
            for i in 0..<count {
                let nanos = UInt64(littleEndian: src.loadUnaligned(fromByteOffset: i * 12, as: UInt64.self))
                let day = UInt32(littleEndian: src.loadUnaligned(fromByteOffset: i * 12 + 8, as: UInt32.self))
                let value = unit == .nanosecond
                    ? (Int64(day) &- julianDayOfUnixEpoch) &* nanosecondsPerDay &+ Int64(bitPattern: nanos)
                    : (Int64(day) &- julianDayOfUnixEpoch) &* ticksPerDay &+ Int64(bitPattern: nanos / UInt64(nanosPerTick))
                dst.storeBytes(of: value, toByteOffset: i * 8, as: Int64.self)
            }
        }
        return byteCount
    }

    /// Appends `count` BYTE_ARRAY values (each a 4-byte little-endian length, then the bytes) in
    /// Arrow string layout: the bytes to `data` and, per value, the end offset (`data.count` after
    /// the value) to `offsets` as `Int32`. The caller has already appended the first offset.
    /// Throws ``ParquetError/Code-swift.struct/overflow`` if `data` would outgrow `Int32` offsets.
    static func decodeByteArrays(_ source: UnsafeRawBufferPointer, count: Int,
                                 offsets: BufferBuilder, data: BufferBuilder) throws -> Int {
        guard count >= 0 else { throw ParquetError.corrupt("negative PLAIN BYTE_ARRAY count \(count)") }
        guard count > 0 else { return 0 }
        let sourceCount = source.count
        guard count <= sourceCount / 4, let src = source.baseAddress else {
            throw ParquetError.corrupt("PLAIN BYTE_ARRAY data truncated: \(count) values in \(sourceCount) bytes")
        }
        let maxDataCount = sourceCount - 4 * count
        let dataStart = data.count
        return try offsets.appendUninitialized(count * 4) { offsetRaw -> Int in
            guard let offsetBase = offsetRaw.baseAddress else { return 0 }
            let ends = offsetBase.bindMemory(to: Int32.self, capacity: count)
            let (consumed, written) = try data.appendUninitialized(maxDataCount + ByteCopy.slack) { dataRaw -> (Int, Int) in
                guard let dst = dataRaw.baseAddress else { return (0, 0) }
                var p = 0
                var o = 0
                for i in 0..<count {
                    guard sourceCount - p >= 4 else {
                        throw ParquetError.corrupt("PLAIN BYTE_ARRAY value \(i) of \(count): length truncated")
                    }
                    let length = Int(UInt32(littleEndian: src.loadUnaligned(fromByteOffset: p, as: UInt32.self)))
                    p += 4
                    // The bytes left must also hold the later values' length prefixes, or the data
                    // would outgrow the `maxDataCount` bytes reserved for it. (As `p == o + 4 * (i + 1)`,
                    // `maxDataCount - o <= sourceCount - p`: this also keeps reads inside `source`.)
                    guard length <= maxDataCount - o else {
                        throw ParquetError.corrupt(
                            "PLAIN BYTE_ARRAY value \(i) of \(count): length \(Int32(truncatingIfNeeded: length)) exceeds the \(maxDataCount - o) bytes left for it")
                    }
                    ByteCopy.copy(from: src + p, readable: sourceCount - p, to: dst + o, count: length)
                    p += length
                    o += length
                    ends[i] = Int32(truncatingIfNeeded: dataStart + o)
                }
                guard dataStart + o <= Int(Int32.max) else {
                    throw ParquetError(.overflow, "string data exceeds 2 GiB; Int32 offsets cannot address it")
                }
                return (p, o)
            }
            data.truncate(to: dataStart + written)
            return consumed
        }
    }

    /// `count * byteWidth`, checked against overflow and against the `available` bytes.
    static func checkedSize(count: Int, byteWidth: Int, available: Int, what: String) throws -> Int {
        guard count >= 0 else { throw ParquetError.corrupt("negative count \(count) of PLAIN \(what)") }
        let (size, overflow) = count.multipliedReportingOverflow(by: byteWidth)
        guard !overflow, size <= available else {
            throw ParquetError.corrupt("PLAIN \(what) truncated: \(count) × \(byteWidth) bytes needed, \(available) available")
        }
        return size
    }
}
