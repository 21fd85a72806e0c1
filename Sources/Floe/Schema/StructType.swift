/// A struct type: an ordered list of named fields. The table schema is a `StructType`.
///
/// Invariant (checked by ``init(json:)`` and ``validate()``): field names are unique within one
/// struct, ignoring case.
public struct StructType: Sendable, Hashable {
    /// The fields, in order.
    public var fields: [StructField]

    /// Creates a struct type.
    public init(_ fields: [StructField]) { self.fields = fields }

    /// The field named `name` (exact match), if any.
    public func field(named name: String) -> StructField? {
        fields.first { $0.name == name }
    }

    /// The index of the field whose name equals `name` ignoring case, if any.
    public func indexOfField(caseInsensitive name: String) -> Int? {
        let lowered = name.lowercased()
        return fields.firstIndex { $0.name.lowercased() == lowered }
    }

    /// The names of the fields, in order.
    public var fieldNames: [String] { fields.map(\.name) }

    /// Checks that field names are unique (ignoring case) at every nesting level.
    ///
    /// - Throws: ``DeltaError/Code/schemaMismatch`` naming the duplicated column, or an empty
    ///   column name.
    public func validate(path: String = "") throws {
        var seen = Set<String>()
        for field in fields {
            let full = path.isEmpty ? field.name : "\(path).\(field.name)"
            guard !field.name.isEmpty else {
                throw DeltaError(.schemaMismatch, path.isEmpty ? "a column name cannot be empty" : "a field name in '\(path)' cannot be empty")
            }
            guard seen.insert(field.name.lowercased()).inserted else {
                throw DeltaError(.schemaMismatch, "duplicate column name '\(full)' (names are compared ignoring case)")
            }
            try field.type.validateNested(path: full)
        }
    }
}

/// One field (column) of a ``StructType``.
public struct StructField: Sendable, Hashable {
    /// The field's (logical, display) name.
    public var name: String
    /// The field's type.
    public var type: DeltaType
    /// Whether the field may be null.
    public var nullable: Bool
    /// Column metadata (arbitrary JSON), preserved in order; keys starting with `delta.` are
    /// reserved for the Delta protocol.
    public var metadata: JSONObject

    /// Creates a field.
    public init(name: String, type: DeltaType, nullable: Bool = true, metadata: JSONObject = JSONObject()) {
        self.name = name
        self.type = type
        self.nullable = nullable
        self.metadata = metadata
    }
}

extension DeltaType {
    func validateNested(path: String) throws {
        switch self {
        case .struct(let s): try s.validate(path: path)
        case .array(let a): try a.elementType.validateNested(path: path + ".element")
        case .map(let m):
            try m.keyType.validateNested(path: path + ".key")
            try m.valueType.validateNested(path: path + ".value")
        default: break
        }
    }
}
