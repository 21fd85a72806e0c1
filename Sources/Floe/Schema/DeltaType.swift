/// A Delta column type (the Spark SQL type subset that Delta schemas use).
///
/// Named `DeltaType` rather than `DataType` so it can be used alongside `FloeColumnar.DataType`.
public indirect enum DeltaType: Sendable, Hashable, CustomStringConvertible {
    /// UTF-8 text.
    case string
    /// 64-bit signed integer.
    case long
    /// 32-bit signed integer.
    case integer
    /// 16-bit signed integer.
    case short
    /// 8-bit signed integer.
    case byte
    /// 32-bit IEEE float.
    case float
    /// 64-bit IEEE float.
    case double
    /// Fixed-point decimal. Invariant: `1 <= precision <= 38`, `0 <= scale <= precision`.
    case decimal(precision: Int, scale: Int)
    /// `true` or `false`.
    case boolean
    /// Arbitrary bytes.
    case binary
    /// A calendar date.
    case date
    /// Microseconds since the Unix epoch, UTC-adjusted.
    case timestamp
    /// Microseconds since the Unix epoch in an unspecified local time zone (`timestamp_ntz`).
    case timestampNtz
    /// Semi-structured variant data.
    case variant
    /// A column that is always null and never materialized in data files (`void`).
    case void
    /// A list of values.
    case array(ArrayType)
    /// A map of keys to values.
    case map(MapType)
    /// A nested struct.
    case `struct`(StructType)

    /// The name used for primitive types in schema JSON (e.g. `"long"`, `"decimal(10,2)"`), or
    /// `nil` for nested types.
    public var primitiveName: String? {
        switch self {
        case .string: "string"
        case .long: "long"
        case .integer: "integer"
        case .short: "short"
        case .byte: "byte"
        case .float: "float"
        case .double: "double"
        case .decimal(let p, let s): "decimal(\(p),\(s))"
        case .boolean: "boolean"
        case .binary: "binary"
        case .date: "date"
        case .timestamp: "timestamp"
        case .timestampNtz: "timestamp_ntz"
        case .variant: "variant"
        case .void: "void"
        case .array, .map, .struct: nil
        }
    }

    /// Whether this is a primitive (non-nested) type.
    public var isPrimitive: Bool { primitiveName != nil }

    /// The schema JSON text of this type.
    public var description: String { primitiveName ?? jsonValue.jsonText }

    /// Parses a primitive type name such as `"integer"` or `"decimal(10, 2)"`.
    ///
    /// - Returns: `nil` for an unknown name.
    public init?(primitiveName name: String) {
        switch name {
        case "string": self = .string
        case "long", "bigint": self = .long
        case "integer", "int": self = .integer
        case "short", "smallint": self = .short
        case "byte", "tinyint": self = .byte
        case "float", "real": self = .float
        case "double": self = .double
        case "boolean": self = .boolean
        case "binary": self = .binary
        case "date": self = .date
        case "timestamp": self = .timestamp
        case "timestamp_ntz": self = .timestampNtz
        case "variant": self = .variant
        case "void", "null": self = .void
        case "decimal": self = .decimal(precision: 10, scale: 0)
        default:
            guard name.hasPrefix("decimal("), name.hasSuffix(")") else { return nil }
            let inner = name.dropFirst("decimal(".count).dropLast()
            let parts = inner.split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimming(" ") }
            guard parts.count == 2, let p = Int(parts[0]), let s = Int(parts[1]),
                  (1...38).contains(p), s >= 0, s <= p else { return nil }
            self = .decimal(precision: p, scale: s)
        }
    }
}

/// The type of an array column.
public struct ArrayType: Sendable, Hashable {
    /// The element type.
    public var elementType: DeltaType
    /// Whether elements may be null.
    public var containsNull: Bool

    /// Creates an array type.
    public init(elementType: DeltaType, containsNull: Bool = true) {
        self.elementType = elementType
        self.containsNull = containsNull
    }
}

/// The type of a map column.
public struct MapType: Sendable, Hashable {
    /// The key type; keys are never null.
    public var keyType: DeltaType
    /// The value type.
    public var valueType: DeltaType
    /// Whether values may be null.
    public var valueContainsNull: Bool

    /// Creates a map type.
    public init(keyType: DeltaType, valueType: DeltaType, valueContainsNull: Bool = true) {
        self.keyType = keyType
        self.valueType = valueType
        self.valueContainsNull = valueContainsNull
    }
}

extension Substring {
    /// This text without leading and trailing `character`s.
    func trimming(_ character: Character) -> String {
        var s = self
        while s.first == character { s = s.dropFirst() }
        while s.last == character { s = s.dropLast() }
        return String(s)
    }
}


extension DeltaType {
    /// The deepest nesting a column type may have, counting the column's own type (`long` is 1,
    /// `struct<a: long>` 2): what DDL accepts, and what schema merging (`--merge-schema`) and new
    /// columns inferred from input accept; deeper schemas would exceed what readers' JSON parsers
    /// take when the schema is stored in the log.
    public static let maxNestingDepth = 64

    /// The nesting depth of this type (see ``maxNestingDepth``).
    public var nestingDepth: Int {
        switch self {
        case .array(let a): 1 + a.elementType.nestingDepth
        case .map(let m): 1 + max(m.keyType.nestingDepth, m.valueType.nestingDepth)
        case .struct(let s): 1 + (s.fields.map(\.type.nestingDepth).max() ?? 0)
        default: 1
        }
    }
}
