/// The column mapping mode of a table (`delta.columnMapping.mode`).
public enum ColumnMappingMode: String, Sendable, Hashable {
    /// Data files use the display names.
    case none
    /// Data files are resolved by Parquet field id (`delta.columnMapping.id`).
    case id
    /// Data files are resolved by physical name (`delta.columnMapping.physicalName`).
    case name
}

extension StructField {
    /// The metadata key holding a column's column-mapping id.
    public static let columnMappingIDKey = "delta.columnMapping.id"
    /// The metadata key holding a column's physical name.
    public static let physicalNameKey = "delta.columnMapping.physicalName"

    /// The column-mapping id (`delta.columnMapping.id`), if present.
    public var columnMappingID: Int64? {
        get { metadata[Self.columnMappingIDKey]?.int64Value }
        set { metadata[Self.columnMappingIDKey] = newValue.map { .int($0) } }
    }

    /// The physical name (`delta.columnMapping.physicalName`), if present.
    public var physicalName: String? {
        get { metadata[Self.physicalNameKey]?.stringValue }
        set { metadata[Self.physicalNameKey] = newValue.map { .string($0) } }
    }

    /// The name this column has in data files under `mode`: the physical name in `id` and `name`
    /// modes (falling back to the display name when absent), the display name otherwise.
    public func physicalName(for mode: ColumnMappingMode) -> String {
        mode == .none ? name : (physicalName ?? name)
    }
}
