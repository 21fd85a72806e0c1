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
        numValues = 0
        encoding = .plain
        definitionLevelEncoding = .rle
        repetitionLevelEncoding = .rle
        statistics = nil
        var seen: UInt32 = 0
        let saved = try reader.beginStruct()
        while let field = try reader.readFieldHeader() {
            switch (field.id, field.type) {
            case (1, .i32): self.numValues = try reader.readI32(); seen |= 1
            case (2, .i32): self.encoding = Encoding(rawValue: try reader.readI32()); seen |= 2
            case (3, .i32): self.definitionLevelEncoding = Encoding(rawValue: try reader.readI32()); seen |= 4
            case (4, .i32): self.repetitionLevelEncoding = Encoding(rawValue: try reader.readI32()); seen |= 8
            case (5, .struct): self.statistics = try Statistics(from: &reader)
            default: try reader.skip(field.type)
            }
        }
        reader.endStruct(saved)
        try ThriftCompactReader.requireFields(seen, count: 4, [
            "DataPageHeader.num_values", "DataPageHeader.encoding",
            "DataPageHeader.definition_level_encoding", "DataPageHeader.repetition_level_encoding"])
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
