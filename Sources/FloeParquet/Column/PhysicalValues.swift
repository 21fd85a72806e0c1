import FloeColumnar

/// Dense non-null values of one leaf column in their Parquet physical representation, as pages
/// decode them (and as the writer encodes them).
///
/// Invariants: `.boolean` holds `count` bits; `.fixed` holds `count * width` bytes (INT32 = 4,
/// INT64 = 8, INT96 already converted to Int64 nanoseconds = 8, FLOAT = 4, DOUBLE = 8,
/// FIXED_LEN_BYTE_ARRAY = its type length); `.byteArray` holds `count + 1` Int32 offsets and the data.
enum PhysicalValues {
    case boolean(bits: Buffer, count: Int)
    case fixed(Buffer, width: Int, count: Int)
    case byteArray(offsets: Buffer, data: Buffer, count: Int)

    var count: Int {
        switch self {
        case .boolean(_, let c), .fixed(_, _, let c), .byteArray(_, _, let c): c
        }
    }
}

extension PhysicalValues {
    /// Converts decoded physical values into a dense Arrow column of `type` (see ``ParquetSchema``
    /// for the mapping). Identity for the common types; narrows, widens or re-encodes otherwise.
    func arrowColumn(_ type: DataType, node: SchemaNode, path: String) throws -> Column {
        func mismatch() -> ParquetError {
            ParquetError(.internalError, "column '\(path)': physical values do not match Arrow type \(type)")
        }
        switch (self, type) {
        case (_, .null):
            guard count == 0 else { throw ParquetError(.corrupt, "column '\(path)' of the null type holds values") }
            return Column.nulls(.null, count: 0)
        case (.boolean(let bits, let count), .boolean):
            return Column(dataType: type, count: count, buffers: [bits])
        case (.fixed(let buffer, 4, let count), .int32), (.fixed(let buffer, 4, let count), .uint32),
             (.fixed(let buffer, 4, let count), .date32), (.fixed(let buffer, 4, let count), .float32),
             (.fixed(let buffer, 8, let count), .int64), (.fixed(let buffer, 8, let count), .uint64),
             (.fixed(let buffer, 8, let count), .timestamp), (.fixed(let buffer, 8, let count), .float64),
             (.fixed(let buffer, 2, let count), .float16):
            return Column(dataType: type, count: count, buffers: [buffer])
        case (.fixed(let buffer, let w, let count), .fixedSizeBinary(let n)) where w == n:
            return Column(dataType: type, count: count, buffers: [buffer])
        case (.fixed(let buffer, 4, let count), .int8):
            return Column(dataType: type, count: count, buffers: [Self.narrow(buffer, count, Int8.self)])
        case (.fixed(let buffer, 4, let count), .int16):
            return Column(dataType: type, count: count, buffers: [Self.narrow(buffer, count, Int16.self)])
        case (.fixed(let buffer, 4, let count), .uint8):
            return Column(dataType: type, count: count, buffers: [Self.narrow(buffer, count, UInt8.self)])
        case (.fixed(let buffer, 4, let count), .uint16):
            return Column(dataType: type, count: count, buffers: [Self.narrow(buffer, count, UInt16.self)])
        case (.fixed(let buffer, 4, let count), .decimal) where node.physicalType == .int32:
            // INT32 decimals only: a FIXED_LEN_BYTE_ARRAY(4) decimal is big-endian (below).
            let out = BufferBuilder(capacity: count * 16)
            buffer.withUnsafeValues(of: Int32.self) { for v in $0.prefix(count) { out.append(Int128(v)) } }
            return Column(dataType: type, count: count, buffers: [out.finish()])
        case (.fixed(let buffer, 8, let count), .decimal) where node.physicalType == .int64:
            let out = BufferBuilder(capacity: count * 16)
            buffer.withUnsafeValues(of: Int64.self) { for v in $0.prefix(count) { out.append(Int128(v)) } }
            return Column(dataType: type, count: count, buffers: [out.finish()])
        case (.fixed(let buffer, let width, let count), .decimal):
            let out = BufferBuilder(capacity: count * 16)
            try buffer.withUnsafeBytes { bytes in
                for i in 0..<count {
                    out.append(try Self.bigEndianDecimal(UnsafeRawBufferPointer(rebasing: bytes[(i * width)..<((i + 1) * width)]), path))
                }
            }
            return Column(dataType: type, count: count, buffers: [out.finish()])
        case (.byteArray(let offsets, let data, let count), .string), (.byteArray(let offsets, let data, let count), .binary):
            return Column(dataType: type, count: count, buffers: [offsets, data])
        case (.byteArray(let offsets, let data, let count), .decimal):
            let out = BufferBuilder(capacity: count * 16)
            try offsets.withUnsafeValues(of: Int32.self) { off in
                try data.withUnsafeBytes { bytes in
                    for i in 0..<count {
                        let r = Int(off[i])..<Int(off[i + 1])
                        out.append(try Self.bigEndianDecimal(UnsafeRawBufferPointer(rebasing: bytes[r]), path))
                    }
                }
            }
            return Column(dataType: type, count: count, buffers: [out.finish()])
        default:
            throw mismatch()
        }
    }

    private static func narrow<T: FixedWidthInteger & BitwiseCopyable>(_ buffer: Buffer, _ count: Int, _: T.Type) -> Buffer {
        let out = BufferBuilder(capacity: count * MemoryLayout<T>.size)
        buffer.withUnsafeValues(of: Int32.self) { for v in $0.prefix(count) { out.append(T(truncatingIfNeeded: v)) } }
        return out.finish()
    }

    /// A big-endian two's complement integer of 1...16 bytes (longer only with redundant sign bytes).
    static func bigEndianDecimal(_ bytes: UnsafeRawBufferPointer, _ path: String) throws -> Int128 {
        guard !bytes.isEmpty else { return 0 }
        var start = 0
        if bytes.count > 16 {
            // Allow redundant sign extension only.
            let sign: UInt8 = bytes[bytes.count - 16] & 0x80 != 0 ? 0xFF : 0
            for i in 0..<(bytes.count - 16) where bytes[i] != sign {
                throw ParquetError(.corrupt, "column '\(path)': decimal value wider than 128 bits")
            }
            start = bytes.count - 16
        }
        var value: Int128 = bytes[start] & 0x80 != 0 ? -1 : 0
        for i in start..<bytes.count { value = (value << 8) | Int128(bytes[i]) }
        return value
    }
}

extension PhysicalValues {
    /// Converts a dense (null-free) Arrow column into the physical values the schema node stores.
    static func fromArrow(_ column: Column, node: SchemaNode, path: String) throws -> PhysicalValues {
        let count = column.count
        switch column.dataType {
        case .boolean:
            return .boolean(bits: column.buffers[0], count: count)
        case .int32, .uint32, .date32, .float32:
            return .fixed(column.buffers[0], width: 4, count: count)
        case .int64, .uint64, .float64:
            return .fixed(column.buffers[0], width: 8, count: count)
        case .timestamp(let unit, _):
            if unit == .second {
                let out = BufferBuilder(capacity: count * 8)
                try column.buffers[0].withUnsafeValues(of: Int64.self) { values in
                    for v in values.prefix(count) {
                        let (ms, overflow) = v.multipliedReportingOverflow(by: 1000)
                        if overflow { throw ParquetError(.overflow, "column '\(path)': timestamp \(v)s overflows milliseconds") }
                        out.append(ms)
                    }
                }
                return .fixed(out.finish(), width: 8, count: count)
            }
            return .fixed(column.buffers[0], width: 8, count: count)
        case .int8: return .fixed(widen(column.buffers[0], count, Int8.self), width: 4, count: count)
        case .int16: return .fixed(widen(column.buffers[0], count, Int16.self), width: 4, count: count)
        case .uint8: return .fixed(widen(column.buffers[0], count, UInt8.self), width: 4, count: count)
        case .uint16: return .fixed(widen(column.buffers[0], count, UInt16.self), width: 4, count: count)
        case .float16: return .fixed(column.buffers[0], width: 2, count: count)
        case .fixedSizeBinary(let n): return .fixed(column.buffers[0], width: n, count: count)
        case .string, .binary:
            return .byteArray(offsets: column.buffers[0], data: column.buffers[1], count: count)
        case .decimal:
            let out = BufferBuilder()
            column.buffers[0].withUnsafeValues(of: Int128.self) { values in
                switch node.physicalType {
                case .int32?: for v in values.prefix(count) { out.append(Int32(truncatingIfNeeded: v)) }
                case .int64?: for v in values.prefix(count) { out.append(Int64(truncatingIfNeeded: v)) }
                default:
                    let width = node.typeLength
                    for v in values.prefix(count) {
                        for b in stride(from: width - 1, through: 0, by: -1) {
                            out.append(UInt8(truncatingIfNeeded: b >= 16 ? (v < 0 ? -1 : 0) : v >> (b * 8)))
                        }
                    }
                }
            }
            switch node.physicalType {
            case .int32?: return .fixed(out.finish(), width: 4, count: count)
            case .int64?: return .fixed(out.finish(), width: 8, count: count)
            default: return .fixed(out.finish(), width: node.typeLength, count: count)
            }
        case .null:
            return .fixed(Buffer(), width: 4, count: 0)
        case .list, .map, .struct:
            throw ParquetError(.internalError, "column '\(path)': nested type reached the leaf writer")
        }
    }

    private static func widen<T: FixedWidthInteger & BitwiseCopyable>(_ buffer: Buffer, _ count: Int, _: T.Type) -> Buffer {
        let out = BufferBuilder(capacity: count * 4)
        buffer.withUnsafeValues(of: T.self) { for v in $0.prefix(count) { out.append(Int32(truncatingIfNeeded: v)) } }
        return out.finish()
    }
}
