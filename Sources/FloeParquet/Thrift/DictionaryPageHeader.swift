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
        var numValues: Int32?
        var encoding: Encoding?
        var isSorted: Bool?
        try reader.readStruct { r, field in
            switch (field.id, field.type) {
            case (1, .i32): numValues = try r.readI32()
            case (2, .i32): encoding = Encoding(rawValue: try r.readI32())
            case (3, .boolTrue), (3, .boolFalse): isSorted = field.boolValue
            default: try r.skip(field.type)
            }
        }
        self.numValues = try numValues.thriftRequired("DictionaryPageHeader.num_values")
        self.encoding = try encoding.thriftRequired("DictionaryPageHeader.encoding")
        self.isSorted = isSorted
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
