/// The sort order of one leaf column within a row group (parquet.thrift `SortingColumn`).
///
/// Invariants: all three fields are required in the file; `columnIndex` is an ordinal among the
/// row group's column chunks (not validated here against the schema).
struct SortingColumn: Hashable, Sendable {
    /// Field 1 (`column_idx`): the ordinal of the column chunk within the row group.
    var columnIndex: Int32
    /// Field 2: whether the column is sorted in descending order.
    var descending: Bool
    /// Field 3: whether nulls sort before non-null values.
    var nullsFirst: Bool
}

extension SortingColumn: ThriftStruct {
    init(from reader: inout ThriftCompactReader) throws {
        var columnIndex: Int32?
        var descending: Bool?
        var nullsFirst: Bool?
        try reader.readStruct { r, field in
            switch (field.id, field.type) {
            case (1, .i32): columnIndex = try r.readI32()
            case (2, .boolTrue), (2, .boolFalse): descending = field.boolValue
            case (3, .boolTrue), (3, .boolFalse): nullsFirst = field.boolValue
            default: try r.skip(field.type)
            }
        }
        self.columnIndex = try columnIndex.thriftRequired("SortingColumn.column_idx")
        self.descending = try descending.thriftRequired("SortingColumn.descending")
        self.nullsFirst = try nullsFirst.thriftRequired("SortingColumn.nulls_first")
    }

    func write(to writer: inout ThriftCompactWriter) {
        writer.writeStruct { w in
            w.writeI32Field(1, columnIndex)
            w.writeBoolField(2, descending)
            w.writeBoolField(3, nullsFirst)
        }
    }
}
