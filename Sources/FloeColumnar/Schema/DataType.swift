/// The unit of a timestamp or time value.
public enum TimeUnit: String, Sendable, Hashable, Codable {
    case second, millisecond, microsecond, nanosecond

    /// Ticks of this unit in one second.
    public var ticksPerSecond: Int64 {
        switch self {
        case .second: 1
        case .millisecond: 1_000
        case .microsecond: 1_000_000
        case .nanosecond: 1_000_000_000
        }
    }
}

/// The logical type of a column, following Arrow's type system and physical layouts.
///
/// Layouts (buffers of a ``Column``):
/// - `boolean`: one bitmap buffer of values.
/// - fixed-width numbers, `date32` (days since epoch, Int32), `timestamp` (Int64 ticks of its unit;
///   `timezone` non-nil means instants normalised to UTC), `decimal` (16-byte little-endian two's
///   complement unscaled integer, like Arrow decimal128), `float16` (IEEE half, 2 bytes),
///   `fixedSizeBinary(n)`: one values buffer.
/// - `string`, `binary`: an Int32 offsets buffer (`count + 1` entries, starting at 0, non-decreasing)
///   and a data buffer.
/// - `list`: an Int32 offsets buffer and one child column.
/// - `map`: an Int32 offsets buffer and one child: a non-nullable struct of key and value.
/// - `struct`: no buffers; one child per field, each with the parent's length.
/// - `null`: no buffers; every value is null.
public indirect enum DataType: Sendable, Hashable {
    case null
    case boolean
    case int8, int16, int32, int64
    case uint8, uint16, uint32, uint64
    case float16, float32, float64
    case decimal(precision: Int, scale: Int)
    case date32
    case timestamp(TimeUnit, timezone: String?)
    case string
    case binary
    case fixedSizeBinary(Int)
    case list(Field)
    case `struct`([Field])
    case map(Field, keysSorted: Bool)

    /// The width in bytes of one value for fixed-width types, nil otherwise (and for booleans).
    public var byteWidth: Int? {
        switch self {
        case .int8, .uint8: 1
        case .int16, .uint16, .float16: 2
        case .int32, .uint32, .float32, .date32: 4
        case .int64, .uint64, .float64, .timestamp: 8
        case .decimal: 16
        case .fixedSizeBinary(let n): n
        default: nil
        }
    }

    /// Whether values are variable-length bytes (string or binary).
    public var isVariableWidth: Bool {
        switch self { case .string, .binary: true; default: false }
    }

    /// Whether the type has child columns.
    public var isNested: Bool {
        switch self { case .list, .struct, .map: true; default: false }
    }
}

extension DataType: CustomStringConvertible {
    public var description: String {
        switch self {
        case .null: "null"
        case .boolean: "boolean"
        case .int8: "int8"
        case .int16: "int16"
        case .int32: "int32"
        case .int64: "int64"
        case .uint8: "uint8"
        case .uint16: "uint16"
        case .uint32: "uint32"
        case .uint64: "uint64"
        case .float16: "float16"
        case .float32: "float32"
        case .float64: "float64"
        case .decimal(let p, let s): "decimal(\(p),\(s))"
        case .date32: "date32"
        case .timestamp(let unit, let tz): "timestamp[\(unit.rawValue)\(tz.map { ", tz=\($0)" } ?? "")]"
        case .string: "string"
        case .binary: "binary"
        case .fixedSizeBinary(let n): "fixed_size_binary[\(n)]"
        case .list(let f): "list<\(f.name): \(f.dataType)>"
        case .struct(let fields): "struct<\(fields.map { "\($0.name): \($0.dataType)" }.joined(separator: ", "))>"
        case .map(let f, _):
            if case .struct(let kv) = f.dataType, kv.count == 2 { "map<\(kv[0].dataType), \(kv[1].dataType)>" } else { "map<?>" }
        }
    }
}
