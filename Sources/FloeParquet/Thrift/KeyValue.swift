/// One entry of key/value metadata (parquet.thrift `KeyValue`), attached to a file or column chunk.
///
/// Invariants: `key` is always present (the field is required); `value` may be absent, which is
/// distinct from an empty string.
struct KeyValue: Hashable, Sendable {
    /// Field 1 (required): the key.
    var key: String
    /// Field 2: the value, if any.
    var value: String?
}

extension KeyValue: ThriftStruct {
    init(from reader: inout ThriftCompactReader) throws {
        var key: String?
        var value: String?
        try reader.readStruct { r, field in
            switch (field.id, field.type) {
            case (1, .binary): key = try r.readString()
            case (2, .binary): value = try r.readString()
            default: try r.skip(field.type)
            }
        }
        self.key = try key.thriftRequired("KeyValue.key")
        self.value = value
    }

    func write(to writer: inout ThriftCompactWriter) {
        writer.writeStruct { w in
            w.writeStringField(1, key)
            if let value { w.writeStringField(2, value) }
        }
    }
}
