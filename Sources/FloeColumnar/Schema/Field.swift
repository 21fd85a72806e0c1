/// A named, typed column in a ``Schema`` or a child of a nested type.
///
/// `metadata` carries key/value annotations (for Parquet, `"PARQUET:field_id"` holds the field id).
public struct Field: Sendable, Hashable {
    /// The column name; may be any string, including empty.
    public var name: String
    /// The column's type.
    public var dataType: DataType
    /// Whether the column may hold nulls.
    public var isNullable: Bool
    /// Annotations; keys are unique.
    public var metadata: [String: String]

    /// Creates a field.
    public init(_ name: String, _ dataType: DataType, isNullable: Bool = true, metadata: [String: String] = [:]) {
        self.name = name
        self.dataType = dataType
        self.isNullable = isNullable
        self.metadata = metadata
    }

    /// The metadata key under which a Parquet field id is kept.
    public static let fieldIDKey = "PARQUET:field_id"

    /// The Parquet field id, when the field carries one.
    public var fieldID: Int32? {
        get { metadata[Field.fieldIDKey].flatMap { Int32($0) } }
        set { metadata[Field.fieldIDKey] = newValue.map { String($0) } }
    }
}

/// The fields of a ``RecordBatch`` or a file, in order.
///
/// Invariants: none on names (duplicates are allowed, as in Arrow); lookups by name return the first.
public struct Schema: Sendable, Hashable {
    /// The top-level fields.
    public var fields: [Field]
    /// Schema-level annotations.
    public var metadata: [String: String]

    /// Creates a schema.
    public init(_ fields: [Field], metadata: [String: String] = [:]) {
        self.fields = fields
        self.metadata = metadata
    }

    /// The index of the first field named `name`.
    public func index(of name: String) -> Int? { fields.firstIndex { $0.name == name } }

    /// The first field named `name`.
    public subscript(name: String) -> Field? { index(of: name).map { fields[$0] } }
}
