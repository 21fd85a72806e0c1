/// A set of equal-length columns with a schema: the unit that scans produce and writers take.
///
/// Invariants: `columns.count == schema.fields.count`; every column has `count` values and the type
/// of its field.
public struct RecordBatch: Sendable {
    /// The batch's schema.
    public let schema: Schema
    /// The columns, in schema order.
    public let columns: [Column]
    /// The number of rows.
    public let count: Int

    /// Creates a batch, checking that columns match the schema's types and share one length
    /// (`count`, which must be given when there are no columns).
    public init(schema: Schema, columns: [Column], count explicitCount: Int? = nil) throws {
        guard schema.fields.count == columns.count else {
            throw ColumnarError(.schemaMismatch, "schema has \(schema.fields.count) fields but \(columns.count) columns were given")
        }
        let count = explicitCount ?? columns.first?.count ?? 0
        for (field, column) in zip(schema.fields, columns) {
            guard column.count == count else {
                throw ColumnarError(.schemaMismatch, "column '\(field.name)' has \(column.count) rows, expected \(count)")
            }
            guard column.dataType == field.dataType else {
                throw ColumnarError(.schemaMismatch, "column '\(field.name)' has type \(column.dataType), schema says \(field.dataType)")
            }
        }
        self.schema = schema
        self.columns = columns
        self.count = count
    }

    /// An empty batch (zero rows) of `schema`.
    public static func empty(_ schema: Schema) -> RecordBatch {
        let cols = schema.fields.map { f -> Column in
            let c = Column.nulls(f.dataType, count: 0)
            return c
        }
        // Zero-row columns of the right types always satisfy the initialiser's checks.
        return RecordBatch(unchecked: schema, columns: cols, count: 0)
    }

    init(unchecked schema: Schema, columns: [Column], count: Int) {
        self.schema = schema
        self.columns = columns
        self.count = count
    }

    /// The column of the first field named `name`.
    public func column(named name: String) -> Column? { schema.index(of: name).map { columns[$0] } }
}

