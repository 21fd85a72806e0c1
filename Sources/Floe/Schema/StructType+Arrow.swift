import FloeColumnar

extension DeltaType {
    /// The Arrow type Floe uses in memory for this Delta type: `timestamp` is
    /// `timestamp[µs, UTC]`, `timestamp_ntz` is `timestamp[µs]`, `date` is `date32`, arrays are
    /// lists of `element`, maps are lists of `key_value` structs with a non-null key, `variant` is
    /// its unshredded Parquet form: a struct of non-null binary `metadata` and `value` (the
    /// Variant binary encoding, undecoded).
    public func arrowType() throws -> DataType {
        switch self {
        case .string: return .string
        case .long: return .int64
        case .integer: return .int32
        case .short: return .int16
        case .byte: return .int8
        case .float: return .float32
        case .double: return .float64
        case .decimal(let p, let s): return .decimal(precision: p, scale: s)
        case .boolean: return .boolean
        case .binary: return .binary
        case .date: return .date32
        case .timestamp: return .timestamp(.microsecond, timezone: "UTC")
        case .timestampNtz: return .timestamp(.microsecond, timezone: nil)
        case .void: return .null
        case .variant:
            return .struct([Field("metadata", .binary, isNullable: false), Field("value", .binary, isNullable: false)])
        case .array(let a):
            return .list(Field("element", try a.elementType.arrowType(), isNullable: a.containsNull))
        case .map(let m):
            return .map(Field("key_value", .struct([Field("key", try m.keyType.arrowType(), isNullable: false),
                                                     Field("value", try m.valueType.arrowType(), isNullable: m.valueContainsNull)]),
                              isNullable: false), keysSorted: false)
        case .struct(let s):
            return .struct(try s.fields.map { try $0.arrowField() })
        }
    }

    /// The Delta type for an Arrow type; throws ``DeltaError/Code/schemaMismatch`` for Arrow types
    /// Delta cannot store (unsigned integers beyond their signed widening, float16 is widened to float).
    public init(arrow type: DataType, column: String) throws {
        switch type {
        case .null: self = .void
        case .boolean: self = .boolean
        case .int8: self = .byte
        case .int16, .uint8: self = .short
        case .int32, .uint16: self = .integer
        case .int64, .uint32: self = .long
        case .float16, .float32: self = .float
        case .float64: self = .double
        case .decimal(let p, let s): self = .decimal(precision: p, scale: s)
        case .date32: self = .date
        case .timestamp(_, let tz): self = tz == nil ? .timestampNtz : .timestamp
        case .string: self = .string
        case .binary, .fixedSizeBinary: self = .binary
        case .uint64:
            throw DeltaError(.schemaMismatch, "column '\(column)': unsigned 64-bit integers cannot be stored in a Delta table")
        case .list(let f):
            self = .array(ArrayType(elementType: try DeltaType(arrow: f.dataType, column: column + ".element"), containsNull: f.isNullable))
        case .map(let f, _):
            guard case .struct(let kv) = f.dataType, kv.count == 2 else {
                throw DeltaError(.schemaMismatch, "column '\(column)': malformed map type")
            }
            self = .map(MapType(keyType: try DeltaType(arrow: kv[0].dataType, column: column + ".key"),
                                valueType: try DeltaType(arrow: kv[1].dataType, column: column + ".value"),
                                valueContainsNull: kv[1].isNullable))
        case .struct(let fields):
            self = .struct(StructType(try fields.map {
                StructField(name: $0.name, type: try DeltaType(arrow: $0.dataType, column: column + "." + $0.name), nullable: $0.isNullable)
            }))
        }
    }
}

extension StructField {
    /// The Arrow field with the logical name.
    public func arrowField() throws -> Field {
        Field(name, try type.arrowType(), isNullable: nullable)
    }
}

extension StructType {
    /// The Arrow schema of the table's logical columns.
    public func arrowSchema() throws -> Schema {
        Schema(try fields.map { try $0.arrowField() })
    }

    /// The Delta schema of an Arrow schema (field metadata is not carried over).
    public init(arrow schema: Schema) throws {
        self.init(try schema.fields.map {
            StructField(name: $0.name, type: try DeltaType(arrow: $0.dataType, column: $0.name), nullable: $0.isNullable)
        })
    }
}

/// How a logical (table) field is stored in data files: its physical name, and its Parquet
/// field id under id mapping, recursively for struct fields, list elements and map entries.
struct PhysicalField: Sendable {
    let logical: Field
    let physicalName: String
    let fieldID: Int32?
    let children: [PhysicalField]
    /// Whether the field is a `variant` (stored as a `metadata`/`value` group; shredded files
    /// add `typed_value`).
    let isVariant: Bool

    /// The physical layout of a Delta field under `mode`.
    init(_ field: StructField, mode: ColumnMappingMode) throws {
        let logical = try field.arrowField()
        self.logical = logical
        self.physicalName = field.physicalName(for: mode)
        self.fieldID = mode == .none ? nil : field.columnMappingID.map { Int32(truncatingIfNeeded: $0) }
        self.children = try PhysicalField.children(of: field.type, mode: mode)
        self.isVariant = field.type == .variant
    }

    private init(logical: Field, physicalName: String, fieldID: Int32?, children: [PhysicalField], isVariant: Bool = false) {
        self.logical = logical
        self.physicalName = physicalName
        self.fieldID = fieldID
        self.children = children
        self.isVariant = isVariant
    }

    private static func children(of type: DeltaType, mode: ColumnMappingMode) throws -> [PhysicalField] {
        switch type {
        case .struct(let s): return try s.fields.map { try PhysicalField($0, mode: mode) }
        case .array(let a):
            let f = Field("element", try a.elementType.arrowType(), isNullable: a.containsNull)
            return [PhysicalField(logical: f, physicalName: "element", fieldID: nil, children: try children(of: a.elementType, mode: mode),
                                  isVariant: a.elementType == .variant)]
        case .map(let m):
            let k = Field("key", try m.keyType.arrowType(), isNullable: false)
            let v = Field("value", try m.valueType.arrowType(), isNullable: m.valueContainsNull)
            return [PhysicalField(logical: k, physicalName: "key", fieldID: nil, children: try children(of: m.keyType, mode: mode)),
                    PhysicalField(logical: v, physicalName: "value", fieldID: nil, children: try children(of: m.valueType, mode: mode),
                                  isVariant: m.valueType == .variant)]
        case .variant:
            return [PhysicalField(logical: Field("metadata", .binary, isNullable: false), physicalName: "metadata", fieldID: nil, children: []),
                    PhysicalField(logical: Field("value", .binary, isNullable: false), physicalName: "value", fieldID: nil, children: [])]
        default: return []
        }
    }

    /// The Arrow field as written to Parquet: physical names and field ids all the way down.
    var physicalArrowField: Field {
        var f = Field(physicalName, physicalType, isNullable: logical.isNullable)
        f.fieldID = fieldID
        return f
    }

    var physicalType: DataType {
        switch logical.dataType {
        case .struct: return .struct(children.map(\.physicalArrowField))
        case .list(let e): var pe = children.first?.physicalArrowField ?? e; pe.name = e.name; return .list(pe)
        case .map(let entries, let sorted):
            guard children.count == 2 else { return logical.dataType }
            return .map(Field(entries.name, .struct([children[0].physicalArrowField, children[1].physicalArrowField]), isNullable: false),
                        keysSorted: sorted)
        default: return logical.dataType
        }
    }
}
