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
        self.init(numValues: 0, numNulls: 0, numRows: 0, encoding: .plain,
                                      definitionLevelsByteLength: 0, repetitionLevelsByteLength: 0)
        var seen: UInt32 = 0
        let saved = try reader.beginStruct()
        while let field = try reader.readFieldHeader() {
            switch (field.id, field.type) {
            case (1, .i32): self.numValues = try reader.readI32(); seen |= 1
            case (2, .i32): self.numNulls = try reader.readI32(); seen |= 2
            case (3, .i32): self.numRows = try reader.readI32(); seen |= 4
            case (4, .i32): self.encoding = Encoding(rawValue: try reader.readI32()); seen |= 8
            case (5, .i32): self.definitionLevelsByteLength = try reader.readI32(); seen |= 16
            case (6, .i32): self.repetitionLevelsByteLength = try reader.readI32(); seen |= 32
            case (7, .boolTrue), (7, .boolFalse): self.isCompressed = field.type == .boolTrue
            case (8, .struct): self.statistics = try Statistics(from: &reader)
            default: try reader.skip(field.type)
            }
        }
        reader.endStruct(saved)
        try ThriftCompactReader.requireFields(seen, count: 6, [
            "DataPageHeaderV2.num_values", "DataPageHeaderV2.num_nulls", "DataPageHeaderV2.num_rows",
            "DataPageHeaderV2.encoding", "DataPageHeaderV2.definition_levels_byte_length",
            "DataPageHeaderV2.repetition_levels_byte_length"])
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
