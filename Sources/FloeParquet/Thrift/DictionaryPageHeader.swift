/// The header of a dictionary page (parquet.thrift `DictionaryPageHeader`). At most one dictionary
/// page starts a column chunk.
///
/// Invariants: both required fields are present and `numValues >= 0` (checked on decoding).
struct DictionaryPageHeader: Hashable, Sendable {
    /// Field 1: the number of entries in the dictionary.
    var numValues: Int32
    /// Field 2: the encoding of the entries (PLAIN, or the deprecated PLAIN_DICTIONARY).
    var encoding: Encoding
    /// Field 3: whether the entries are sorted ascending.
    var isSorted: Bool?
}

extension DictionaryPageHeader: ThriftStruct {
    init(from reader: inout ThriftCompactReader) throws {
        self.init(numValues: 0, encoding: .plain)
        var seen: UInt32 = 0
        let saved = try reader.beginStruct()
        while let field = try reader.readFieldHeader() {
            switch (field.id, field.type) {
            case (1, .i32): self.numValues = try reader.readI32(); seen |= 1
            case (2, .i32): self.encoding = Encoding(rawValue: try reader.readI32()); seen |= 2
            case (3, .boolTrue), (3, .boolFalse): self.isSorted = field.type == .boolTrue
            default: try reader.skip(field.type)
            }
        }
        reader.endStruct(saved)
        try ThriftCompactReader.requireFields(seen, count: 2, ["DictionaryPageHeader.num_values", "DictionaryPageHeader.encoding"])
        guard self.numValues >= 0 else {
            throw ParquetError(.invalidMetadata, "DictionaryPageHeader.num_values is negative (\(self.numValues))")
        }
    }

    func write(to writer: inout ThriftCompactWriter) {
        writer.writeStruct { w in
            w.writeI32Field(1, numValues)
            w.writeI32Field(2, encoding.rawValue)
            if let isSorted { w.writeBoolField(3, isSorted) }
        }
    }
}
