import FloeColumnar

/// How table-conformed (logical) batches are laid out in data files under a column mapping mode:
/// with `name` or `id` mapping, columns (nested struct fields included) are written under their
/// physical names with their column-mapping ids as Parquet field ids, and partition values are
/// keyed by physical names (PROTOCOL.md, "Writer Requirements for Column Mapping"). Without
/// mapping everything stays as it is.
struct PhysicalWriteLayout {
    let mode: ColumnMappingMode
    /// The physical layout of each top-level column, by logical name.
    private let physical: [String: PhysicalField]

    init(schema: StructType, mode: ColumnMappingMode) throws {
        self.mode = mode
        var physical: [String: PhysicalField] = [:]
        if mode != .none {
            for field in schema.fields { physical[field.name] = try PhysicalField(field, mode: mode) }
        }
        self.physical = physical
    }

    /// The file fields for logical fields.
    func fileFields(_ fields: [Field]) -> [Field] {
        guard mode != .none else { return fields }
        return fields.map { physical[$0.name]?.physicalArrowField ?? $0 }
    }

    /// The physical name of the top-level column `name`.
    func physicalName(of name: String) -> String {
        physical[name]?.physicalName ?? name
    }

    /// `batch` (logical columns) with the file fields' names and field ids.
    func fileBatch(_ batch: RecordBatch) throws -> RecordBatch {
        guard mode != .none else { return batch }
        let fields = fileFields(batch.schema.fields)
        let columns = zip(batch.columns, fields).map { Self.retyped($0, to: $1.dataType) }
        return try RecordBatch(schema: Schema(fields), columns: columns, count: batch.count)
    }

    /// Partition values keyed by physical names.
    func filePartitionValues(_ values: [String: String?]) -> [String: String?] {
        guard mode != .none else { return values }
        var result: [String: String?] = [:]
        for (key, value) in values { result[physicalName(of: key)] = value }
        return result
    }

    /// `column` with the (same-shaped) `type`: only nested field names and metadata differ.
    static func retyped(_ column: Column, to type: DataType) -> Column {
        let children: [Column]
        switch type {
        case .struct(let fields):
            children = zip(column.children, fields).map { retyped($0, to: $1.dataType) }
        case .list(let element):
            children = column.children.map { retyped($0, to: element.dataType) }
        case .map(let entries, _):
            children = column.children.map { retyped($0, to: entries.dataType) }
        default:
            children = column.children
        }
        return Column(dataType: type, count: column.count, nullCount: column.nullCount, validity: column.validity,
                      buffers: column.buffers, children: children)
    }
}
