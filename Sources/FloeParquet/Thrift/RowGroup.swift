/// One row group of a file (parquet.thrift `RowGroup`).
///
/// Invariants: the three required fields are present (checked on decoding). `columns` should hold
/// one chunk per schema leaf, in schema order; that is the file reader's to check.
struct RowGroup: Hashable, Sendable {
    /// Field 1: the column chunks, in the order of the schema's leaves.
    var columns: [ColumnChunk]
    /// Field 2: the total uncompressed byte size of the column data.
    var totalByteSize: Int64
    /// Field 3: the number of rows.
    var numRows: Int64
    /// Field 4: the sort order of the rows, if known.
    var sortingColumns: [SortingColumn]?
    /// Field 5: the file offset of the first page of the row group.
    var fileOffset: Int64?
    /// Field 6: the total stored byte size of the column data.
    var totalCompressedSize: Int64?
    /// Field 7: the ordinal of the row group in the file.
    var ordinal: Int16?
}

extension RowGroup: ThriftStruct {
    init(from reader: inout ThriftCompactReader) throws {
        var columns: [ColumnChunk]?
        var totalByteSize: Int64?
        var numRows: Int64?
        var sortingColumns: [SortingColumn]?
        var fileOffset: Int64?
        var totalCompressedSize: Int64?
        var ordinal: Int16?
        try reader.readStruct { r, field in
            switch (field.id, field.type) {
            case (1, .list): columns = try r.readStructList("RowGroup.columns")
            case (2, .i64): totalByteSize = try r.readI64()
            case (3, .i64): numRows = try r.readI64()
            case (4, .list): sortingColumns = try r.readStructList("RowGroup.sorting_columns")
            case (5, .i64): fileOffset = try r.readI64()
            case (6, .i64): totalCompressedSize = try r.readI64()
            case (7, .i16): ordinal = try r.readI16()
            default: try r.skip(field.type)
            }
        }
        self.init(columns: try columns.thriftRequired("RowGroup.columns"),
                  totalByteSize: try totalByteSize.thriftRequired("RowGroup.total_byte_size"),
                  numRows: try numRows.thriftRequired("RowGroup.num_rows"),
                  sortingColumns: sortingColumns, fileOffset: fileOffset,
                  totalCompressedSize: totalCompressedSize, ordinal: ordinal)
    }

    func write(to writer: inout ThriftCompactWriter) {
        writer.writeStruct { w in
            w.writeStructListField(1, columns)
            w.writeI64Field(2, totalByteSize)
            w.writeI64Field(3, numRows)
            if let sortingColumns { w.writeStructListField(4, sortingColumns) }
            if let fileOffset { w.writeI64Field(5, fileOffset) }
            if let totalCompressedSize { w.writeI64Field(6, totalCompressedSize) }
            if let ordinal { w.writeI16Field(7, ordinal) }
        }
    }
}
