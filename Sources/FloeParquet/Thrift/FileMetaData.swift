/// The footer metadata of a Parquet file (parquet.thrift `FileMetaData`).
///
/// Decode from the footer with `FileMetaData(footerBytes:)` or `FileMetaData.decodeFooter(fileTail:)`.
///
/// Invariants: the four required fields are present (checked on decoding); everything else is kept
/// as stored, and the file reader validates the schema and the row groups against it. Encryption is
/// detected, never decrypted: ``isEncrypted`` tells the reader to refuse the file.
struct FileMetaData: Hashable, Sendable {
    /// Field 1: the format version (1 or 2; readers treat both alike).
    var version: Int32
    /// Field 2: the schema, flattened depth-first, root first.
    var schema: [SchemaElement]
    /// Field 3: the number of rows in the file.
    var numRows: Int64
    /// Field 4: the row groups.
    var rowGroups: [RowGroup]
    /// Field 5: key/value metadata of the file.
    var keyValueMetadata: [KeyValue]?
    /// Field 6: the writing application, e.g. `parquet-cpp-arrow version 14.0.0`.
    var createdBy: String?
    /// Field 7: the statistics order of each leaf column, in leaf order.
    var columnOrders: [ColumnOrder]?
    /// Whether field 8 (`encryption_algorithm`, set in encrypted files with a plaintext footer) is
    /// present; its contents are not kept. Encoded as an empty `AES_GCM_V1` when written.
    var hasEncryptionAlgorithm: Bool = false
    /// Field 9: the footer signing key metadata (encrypted files with a plaintext footer only).
    var footerSigningKeyMetadata: [UInt8]?

    /// Whether any part of the file is encrypted: the footer declares an encryption algorithm or
    /// signing key, or any column chunk carries crypto metadata.
    var isEncrypted: Bool {
        hasEncryptionAlgorithm || footerSigningKeyMetadata != nil
            || rowGroups.contains { $0.columns.contains { $0.isEncrypted } }
    }

    /// Whether any column chunk stores its data in another file (`ColumnChunk.filePath`).
    var hasExternalColumnChunks: Bool {
        rowGroups.contains { $0.columns.contains { $0.filePath != nil } }
    }
}

extension FileMetaData: ThriftStruct {
    init(from reader: inout ThriftCompactReader) throws {
        var version: Int32?
        var schema: [SchemaElement]?
        var numRows: Int64?
        var rowGroups: [RowGroup]?
        var keyValueMetadata: [KeyValue]?
        var createdBy: String?
        var columnOrders: [ColumnOrder]?
        var hasEncryptionAlgorithm = false
        var footerSigningKeyMetadata: [UInt8]?
        try reader.readStruct { r, field in
            switch (field.id, field.type) {
            case (1, .i32): version = try r.readI32()
            case (2, .list): schema = try r.readStructList("FileMetaData.schema")
            case (3, .i64): numRows = try r.readI64()
            case (4, .list): rowGroups = try r.readStructList("FileMetaData.row_groups")
            case (5, .list): keyValueMetadata = try r.readStructList("FileMetaData.key_value_metadata")
            case (6, .binary): createdBy = try r.readString()
            case (7, .list): columnOrders = try r.readStructList("FileMetaData.column_orders")
            case (8, .struct):
                hasEncryptionAlgorithm = true
                try r.skip(.struct)
            case (9, .binary): footerSigningKeyMetadata = try r.readBinary()
            default: try r.skip(field.type)
            }
        }
        self.init(version: try version.thriftRequired("FileMetaData.version"),
                  schema: try schema.thriftRequired("FileMetaData.schema"),
                  numRows: try numRows.thriftRequired("FileMetaData.num_rows"),
                  rowGroups: try rowGroups.thriftRequired("FileMetaData.row_groups"),
                  keyValueMetadata: keyValueMetadata, createdBy: createdBy, columnOrders: columnOrders,
                  hasEncryptionAlgorithm: hasEncryptionAlgorithm,
                  footerSigningKeyMetadata: footerSigningKeyMetadata)
    }

    func write(to writer: inout ThriftCompactWriter) {
        writer.writeStruct { w in
            w.writeI32Field(1, version)
            w.writeStructListField(2, schema)
            w.writeI64Field(3, numRows)
            w.writeStructListField(4, rowGroups)
            if let keyValueMetadata { w.writeStructListField(5, keyValueMetadata) }
            if let createdBy { w.writeStringField(6, createdBy) }
            if let columnOrders { w.writeStructListField(7, columnOrders) }
            if hasEncryptionAlgorithm {
                w.writeFieldHeader(id: 8, type: .struct)
                w.writeStruct { w in w.writeEmptyStructField(1) }
            }
            if let footerSigningKeyMetadata { w.writeBinaryField(9, footerSigningKeyMetadata) }
        }
    }
}
