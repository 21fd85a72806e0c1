/// The page index's per-page statistics for one column chunk (parquet.thrift `ColumnIndex`).
///
/// Invariants: the four required fields are present (checked on decoding). Entry `i` of every list
/// describes the page at `OffsetIndex.pageLocations[i]`; the lists should have equal lengths, which
/// readers must verify. Bounds of all-null pages (`nullPages[i] == true`) are empty and meaningless.
struct ColumnIndex: Hashable, Sendable {
    /// Field 1: per page, whether it holds only nulls.
    var nullPages: [Bool]
    /// Field 2: per page, the lower bound (PLAIN-encoded, no length prefix).
    var minValues: [[UInt8]]
    /// Field 3: per page, the upper bound (PLAIN-encoded, no length prefix).
    var maxValues: [[UInt8]]
    /// Field 4: whether the bounds are ordered across pages, and how.
    var boundaryOrder: BoundaryOrder
    /// Field 5: per page, the number of nulls.
    var nullCounts: [Int64]?
    /// Field 6: the pages' repetition level histograms, concatenated.
    var repetitionLevelHistograms: [Int64]?
    /// Field 7: the pages' definition level histograms, concatenated.
    var definitionLevelHistograms: [Int64]?
    /// Field 8: per page, the number of NaN values.
    var nanCounts: [Int64]?
}

extension ColumnIndex: ThriftStruct {
    init(from reader: inout ThriftCompactReader) throws {
        var nullPages: [Bool]?
        var minValues: [[UInt8]]?
        var maxValues: [[UInt8]]?
        var boundaryOrder: BoundaryOrder?
        var nullCounts: [Int64]?
        var repetitionLevelHistograms: [Int64]?
        var definitionLevelHistograms: [Int64]?
        var nanCounts: [Int64]?
        try reader.readStruct { r, field in
            switch (field.id, field.type) {
            case (1, .list): nullPages = try r.readList(of: .boolTrue, "ColumnIndex.null_pages") { try $0.readBool() }
            case (2, .list): minValues = try r.readList(of: .binary, "ColumnIndex.min_values") { try $0.readBinary() }
            case (3, .list): maxValues = try r.readList(of: .binary, "ColumnIndex.max_values") { try $0.readBinary() }
            case (4, .i32): boundaryOrder = BoundaryOrder(rawValue: try r.readI32())
            case (5, .list): nullCounts = try r.readList(of: .i64, "ColumnIndex.null_counts") { try $0.readI64() }
            case (6, .list):
                repetitionLevelHistograms = try r.readList(of: .i64, "ColumnIndex.repetition_level_histograms") { try $0.readI64() }
            case (7, .list):
                definitionLevelHistograms = try r.readList(of: .i64, "ColumnIndex.definition_level_histograms") { try $0.readI64() }
            case (8, .list): nanCounts = try r.readList(of: .i64, "ColumnIndex.nan_counts") { try $0.readI64() }
            default: try r.skip(field.type)
            }
        }
        self.init(nullPages: try nullPages.thriftRequired("ColumnIndex.null_pages"),
                  minValues: try minValues.thriftRequired("ColumnIndex.min_values"),
                  maxValues: try maxValues.thriftRequired("ColumnIndex.max_values"),
                  boundaryOrder: try boundaryOrder.thriftRequired("ColumnIndex.boundary_order"),
                  nullCounts: nullCounts, repetitionLevelHistograms: repetitionLevelHistograms,
                  definitionLevelHistograms: definitionLevelHistograms, nanCounts: nanCounts)
    }

    func write(to writer: inout ThriftCompactWriter) {
        writer.writeStruct { w in
            w.writeListField(1, of: .boolTrue, nullPages) { $0.writeBool($1) }
            w.writeListField(2, of: .binary, minValues) { $0.writeBinary($1) }
            w.writeListField(3, of: .binary, maxValues) { $0.writeBinary($1) }
            w.writeI32Field(4, boundaryOrder.rawValue)
            if let nullCounts { w.writeListField(5, of: .i64, nullCounts) { $0.writeI64($1) } }
            if let repetitionLevelHistograms { w.writeListField(6, of: .i64, repetitionLevelHistograms) { $0.writeI64($1) } }
            if let definitionLevelHistograms { w.writeListField(7, of: .i64, definitionLevelHistograms) { $0.writeI64($1) } }
            if let nanCounts { w.writeListField(8, of: .i64, nanCounts) { $0.writeI64($1) } }
        }
    }
}
