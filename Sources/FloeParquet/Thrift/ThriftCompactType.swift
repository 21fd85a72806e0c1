/// The type codes of the Thrift compact protocol, as they appear in the low nibble of a field
/// header and in list, set and map headers.
///
/// Invariants: the raw values are exactly the wire codes of the compact protocol; `stop` (0) is only
/// meaningful as a field header, never as a container element type. A boolean carried in a field
/// header is encoded in the type itself (`boolTrue` / `boolFalse`); as a container element type
/// either code means "bool" and each element is one byte.
enum ThriftCompactType: UInt8, Sendable, CustomStringConvertible {
    case stop = 0
    case boolTrue = 1
    case boolFalse = 2
    case byte = 3
    case i16 = 4
    case i32 = 5
    case i64 = 6
    case double = 7
    case binary = 8
    case list = 9
    case set = 10
    case map = 11
    case `struct` = 12

    /// Whether this is one of the two boolean codes.
    @inlinable
    var isBool: Bool { self == .boolTrue || self == .boolFalse }

    var description: String {
        switch self {
        case .stop: "stop"
        case .boolTrue, .boolFalse: "bool"
        case .byte: "i8"
        case .i16: "i16"
        case .i32: "i32"
        case .i64: "i64"
        case .double: "double"
        case .binary: "binary"
        case .list: "list"
        case .set: "set"
        case .map: "map"
        case .struct: "struct"
        }
    }
}

/// One field header of a Thrift struct: the field id and its wire type.
///
/// Invariants: `type` is never `.stop` (a stop is reported as the end of the struct instead);
/// for a boolean field the value is carried by `type` (see ``boolValue``).
struct ThriftFieldHeader: Sendable {
    /// The field id as numbered in the `.thrift` definition.
    var id: Int16
    /// The wire type of the value that follows (for booleans: the value itself).
    var type: ThriftCompactType

    /// The value of a boolean field, or `nil` if this field is not a boolean.
    @inlinable
    var boolValue: Bool? {
        switch type {
        case .boolTrue: true
        case .boolFalse: false
        default: nil
        }
    }
}

/// The header of a Thrift list or set: element type and element count.
///
/// Invariants: `count >= 0`, and `count` never exceeds the bytes left in the input when it was read
/// divided by the smallest encoding of one element (one byte; eight for doubles), so iterating over
/// the elements is bounded by the input. Decoders still cap up-front reservations (see
/// ``ThriftCompactReader/maxListReservation``): a decoded element may be far larger than its encoding.
struct ThriftListHeader: Sendable {
    /// The element type (either boolean code means bool).
    var elementType: ThriftCompactType
    /// The number of elements.
    var count: Int
}

/// The header of a Thrift map: key type, value type and entry count.
///
/// Invariants: `count >= 0` and bounded by the remaining input as for ``ThriftListHeader``; when
/// `count == 0` the key and value types are meaningless (the wire format omits them) and are `.stop`.
struct ThriftMapHeader: Sendable {
    /// The key type.
    var keyType: ThriftCompactType
    /// The value type.
    var valueType: ThriftCompactType
    /// The number of key/value pairs.
    var count: Int
}
