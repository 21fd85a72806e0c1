/// Size estimates and level histograms of a column chunk (parquet.thrift `SizeStatistics`).
/// Every field is optional.
///
/// Invariants: values are kept as stored. When present, `repetitionLevelHistogram` has
/// max repetition level + 1 entries and `definitionLevelHistogram` max definition level + 1
/// (not validated here: the schema is needed).
struct SizeStatistics: Hashable, Sendable {
    /// Field 1: the unencoded byte size of BYTE_ARRAY values (without length prefixes).
    var unencodedByteArrayDataBytes: Int64?
    /// Field 2: how often each repetition level occurs.
    var repetitionLevelHistogram: [Int64]?
    /// Field 3: how often each definition level occurs.
    var definitionLevelHistogram: [Int64]?
}

extension SizeStatistics: ThriftStruct {
    init(from reader: inout ThriftCompactReader) throws {
        var result = SizeStatistics()
        try reader.readStruct { r, field in
            switch (field.id, field.type) {
            case (1, .i64): result.unencodedByteArrayDataBytes = try r.readI64()
            case (2, .list):
                result.repetitionLevelHistogram = try r.readList(of: .i64, "SizeStatistics.repetition_level_histogram") { try $0.readI64() }
            case (3, .list):
                result.definitionLevelHistogram = try r.readList(of: .i64, "SizeStatistics.definition_level_histogram") { try $0.readI64() }
            default: try r.skip(field.type)
            }
        }
        self = result
    }

    func write(to writer: inout ThriftCompactWriter) {
        writer.writeStruct { w in
            if let unencodedByteArrayDataBytes { w.writeI64Field(1, unencodedByteArrayDataBytes) }
            if let repetitionLevelHistogram { w.writeListField(2, of: .i64, repetitionLevelHistogram) { $0.writeI64($1) } }
            if let definitionLevelHistogram { w.writeListField(3, of: .i64, definitionLevelHistogram) { $0.writeI64($1) } }
        }
    }
}
