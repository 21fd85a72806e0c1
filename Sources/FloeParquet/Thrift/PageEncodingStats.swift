/// How many pages of one type use one encoding in a column chunk (parquet.thrift `PageEncodingStats`).
///
/// Invariants: all three fields are required in the file; `count` is as stored (not validated).
struct PageEncodingStats: Hashable, Sendable {
    /// Field 1: the page type (data, dictionary, ...).
    var pageType: PageType
    /// Field 2: the encoding of those pages.
    var encoding: Encoding
    /// Field 3: the number of such pages.
    var count: Int32
}

extension PageEncodingStats: ThriftStruct {
    init(from reader: inout ThriftCompactReader) throws {
        var pageType: PageType?
        var encoding: Encoding?
        var count: Int32?
        try reader.readStruct { r, field in
            switch (field.id, field.type) {
            case (1, .i32): pageType = PageType(rawValue: try r.readI32())
            case (2, .i32): encoding = Encoding(rawValue: try r.readI32())
            case (3, .i32): count = try r.readI32()
            default: try r.skip(field.type)
            }
        }
        self.pageType = try pageType.thriftRequired("PageEncodingStats.page_type")
        self.encoding = try encoding.thriftRequired("PageEncodingStats.encoding")
        self.count = try count.thriftRequired("PageEncodingStats.count")
    }

    func write(to writer: inout ThriftCompactWriter) {
        writer.writeStruct { w in
            w.writeI32Field(1, pageType.rawValue)
            w.writeI32Field(2, encoding.rawValue)
            w.writeI32Field(3, count)
        }
    }
}
