/// Where one data page of a column chunk lies (parquet.thrift `PageLocation`), an entry of the
/// page index's `OffsetIndex`.
///
/// Invariants: all three fields are required (checked on decoding); values are kept as stored.
struct PageLocation: Hashable, Sendable {
    /// Field 1: the file offset of the page (its header).
    var offset: Int64
    /// Field 2: the page's stored size, header included.
    var compressedPageSize: Int32
    /// Field 3: the index, within the row group, of the page's first row.
    var firstRowIndex: Int64
}

extension PageLocation: ThriftStruct {
    init(from reader: inout ThriftCompactReader) throws {
        var offset: Int64?
        var compressedPageSize: Int32?
        var firstRowIndex: Int64?
        try reader.readStruct { r, field in
            switch (field.id, field.type) {
            case (1, .i64): offset = try r.readI64()
            case (2, .i32): compressedPageSize = try r.readI32()
            case (3, .i64): firstRowIndex = try r.readI64()
            default: try r.skip(field.type)
            }
        }
        self.offset = try offset.thriftRequired("PageLocation.offset")
        self.compressedPageSize = try compressedPageSize.thriftRequired("PageLocation.compressed_page_size")
        self.firstRowIndex = try firstRowIndex.thriftRequired("PageLocation.first_row_index")
    }

    func write(to writer: inout ThriftCompactWriter) {
        writer.writeStruct { w in
            w.writeI64Field(1, offset)
            w.writeI32Field(2, compressedPageSize)
            w.writeI64Field(3, firstRowIndex)
        }
    }
}
