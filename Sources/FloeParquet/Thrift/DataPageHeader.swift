/// The header of a version 1 data page (parquet.thrift `DataPageHeader`).
///
/// Invariants: the four required fields are present and `numValues >= 0` (checked on decoding).
/// Levels in a v1 page are stored inside the (possibly compressed) page body.
struct DataPageHeader: Hashable, Sendable {
    /// Field 1: the number of values in the page, nulls included.
    var numValues: Int32
    /// Field 2: the encoding of the values.
    var encoding: Encoding
    /// Field 3: the encoding of the definition levels.
    var definitionLevelEncoding: Encoding
    /// Field 4: the encoding of the repetition levels.
    var repetitionLevelEncoding: Encoding
    /// Field 5: statistics of the page.
    var statistics: Statistics?
}

extension DataPageHeader: ThriftStruct {
    init(from reader: inout ThriftCompactReader) throws {
        var numValues: Int32?
        var encoding: Encoding?
        var definitionLevelEncoding: Encoding?
        var repetitionLevelEncoding: Encoding?
        var statistics: Statistics?
        try reader.readStruct { r, field in
            switch (field.id, field.type) {
            case (1, .i32): numValues = try r.readI32()
            case (2, .i32): encoding = Encoding(rawValue: try r.readI32())
            case (3, .i32): definitionLevelEncoding = Encoding(rawValue: try r.readI32())
            case (4, .i32): repetitionLevelEncoding = Encoding(rawValue: try r.readI32())
            case (5, .struct): statistics = try Statistics(from: &r)
            default: try r.skip(field.type)
            }
        }
        self.numValues = try numValues.thriftRequired("DataPageHeader.num_values")
        self.encoding = try encoding.thriftRequired("DataPageHeader.encoding")
        self.definitionLevelEncoding = try definitionLevelEncoding.thriftRequired("DataPageHeader.definition_level_encoding")
        self.repetitionLevelEncoding = try repetitionLevelEncoding.thriftRequired("DataPageHeader.repetition_level_encoding")
        self.statistics = statistics
        guard self.numValues >= 0 else {
            throw ParquetError(.invalidMetadata, "DataPageHeader.num_values is negative (\(self.numValues))")
        }
    }

    func write(to writer: inout ThriftCompactWriter) {
        writer.writeStruct { w in
            w.writeI32Field(1, numValues)
            w.writeI32Field(2, encoding.rawValue)
            w.writeI32Field(3, definitionLevelEncoding.rawValue)
            w.writeI32Field(4, repetitionLevelEncoding.rawValue)
            if let statistics { w.writeStructField(5, statistics) }
        }
    }
}
