/// The header of a version 2 data page (parquet.thrift `DataPageHeaderV2`). The page body is the
/// repetition levels, then the definition levels (both RLE, uncompressed, without length prefix),
/// then the values, compressed unless `isCompressed == false`.
///
/// Invariants: the six required fields are present; the counts and level byte lengths are
/// non-negative, and `numNulls <= numValues` (checked on decoding). The page reader must still check
/// the level lengths against the page size.
struct DataPageHeaderV2: Hashable, Sendable {
    /// Field 1: the number of values in the page, nulls included.
    var numValues: Int32
    /// Field 2: the number of nulls in the page.
    var numNulls: Int32
    /// Field 3: the number of rows in the page (v2 pages start and end on row boundaries).
    var numRows: Int32
    /// Field 4: the encoding of the values.
    var encoding: Encoding
    /// Field 5: the byte length of the definition levels.
    var definitionLevelsByteLength: Int32
    /// Field 6: the byte length of the repetition levels.
    var repetitionLevelsByteLength: Int32
    /// Field 7: whether the values section is compressed, as stored; absent means true
    /// (see ``valuesAreCompressed``).
    var isCompressed: Bool?
    /// Field 8: statistics of the page.
    var statistics: Statistics?

    /// Whether the values section is compressed (the field defaults to true).
    var valuesAreCompressed: Bool { isCompressed ?? true }
}

extension DataPageHeaderV2: ThriftStruct {
    init(from reader: inout ThriftCompactReader) throws {
        var numValues: Int32?
        var numNulls: Int32?
        var numRows: Int32?
        var encoding: Encoding?
        var definitionLevelsByteLength: Int32?
        var repetitionLevelsByteLength: Int32?
        var isCompressed: Bool?
        var statistics: Statistics?
        try reader.readStruct { r, field in
            switch (field.id, field.type) {
            case (1, .i32): numValues = try r.readI32()
            case (2, .i32): numNulls = try r.readI32()
            case (3, .i32): numRows = try r.readI32()
            case (4, .i32): encoding = Encoding(rawValue: try r.readI32())
            case (5, .i32): definitionLevelsByteLength = try r.readI32()
            case (6, .i32): repetitionLevelsByteLength = try r.readI32()
            case (7, .boolTrue), (7, .boolFalse): isCompressed = field.boolValue
            case (8, .struct): statistics = try Statistics(from: &r)
            default: try r.skip(field.type)
            }
        }
        self.numValues = try numValues.thriftRequired("DataPageHeaderV2.num_values")
        self.numNulls = try numNulls.thriftRequired("DataPageHeaderV2.num_nulls")
        self.numRows = try numRows.thriftRequired("DataPageHeaderV2.num_rows")
        self.encoding = try encoding.thriftRequired("DataPageHeaderV2.encoding")
        self.definitionLevelsByteLength = try definitionLevelsByteLength.thriftRequired("DataPageHeaderV2.definition_levels_byte_length")
        self.repetitionLevelsByteLength = try repetitionLevelsByteLength.thriftRequired("DataPageHeaderV2.repetition_levels_byte_length")
        self.isCompressed = isCompressed
        self.statistics = statistics
        guard self.numValues >= 0, self.numNulls >= 0, self.numNulls <= self.numValues, self.numRows >= 0,
              self.definitionLevelsByteLength >= 0, self.repetitionLevelsByteLength >= 0 else {
            throw ParquetError(.invalidMetadata, "DataPageHeaderV2 has inconsistent counts: num_values \(self.numValues), num_nulls \(self.numNulls), num_rows \(self.numRows), level byte lengths \(self.definitionLevelsByteLength)/\(self.repetitionLevelsByteLength)")
        }
    }

    func write(to writer: inout ThriftCompactWriter) {
        writer.writeStruct { w in
            w.writeI32Field(1, numValues)
            w.writeI32Field(2, numNulls)
            w.writeI32Field(3, numRows)
            w.writeI32Field(4, encoding.rawValue)
            w.writeI32Field(5, definitionLevelsByteLength)
            w.writeI32Field(6, repetitionLevelsByteLength)
            if let isCompressed { w.writeBoolField(7, isCompressed) }
            if let statistics { w.writeStructField(8, statistics) }
        }
    }
}
