/// One column chunk of a row group (parquet.thrift `ColumnChunk`).
///
/// Invariants: decoding keeps everything a reader needs to refuse what Floe does not support:
/// `filePath` (column data stored in another file) and the encryption markers (``isEncrypted``).
/// `metaData` is optional in the format but required by every major implementation; the column
/// reader must refuse a chunk without it. `fileOffset` defaults to 0 when absent (it is deprecated
/// and carries no information readers may rely on).
struct ColumnChunk: Hashable, Sendable {
    /// Field 1: the file holding the column data, relative to this file; `nil` means this file.
    var filePath: String?
    /// Field 2: DEPRECATED byte offset of the column metadata in `filePath`; should be 0.
    var fileOffset: Int64 = 0
    /// Field 3: the column metadata (always present in files Floe can read).
    var metaData: ColumnMetaData?
    /// Field 4: the file offset of the chunk's OffsetIndex.
    var offsetIndexOffset: Int64?
    /// Field 5: the byte length of the chunk's OffsetIndex.
    var offsetIndexLength: Int32?
    /// Field 6: the file offset of the chunk's ColumnIndex.
    var columnIndexOffset: Int64?
    /// Field 7: the byte length of the chunk's ColumnIndex.
    var columnIndexLength: Int32?
    /// Whether field 8 (`crypto_metadata`, a `ColumnCryptoMetaData` union) is present; its contents
    /// are not kept. Encoded as `ENCRYPTION_WITH_FOOTER_KEY` when written.
    var hasCryptoMetadata: Bool = false
    /// Field 9: the encrypted column metadata.
    var encryptedColumnMetadata: [UInt8]?

    /// Whether the chunk is encrypted (crypto metadata or encrypted column metadata present).
    var isEncrypted: Bool { hasCryptoMetadata || encryptedColumnMetadata != nil }
}

extension ColumnChunk: ThriftStruct {
    init(from reader: inout ThriftCompactReader) throws {
        var result = ColumnChunk()
        try reader.readStruct { r, field in
            switch (field.id, field.type) {
            case (1, .binary): result.filePath = try r.readString()
            case (2, .i64): result.fileOffset = try r.readI64()
            case (3, .struct): result.metaData = try ColumnMetaData(from: &r)
            case (4, .i64): result.offsetIndexOffset = try r.readI64()
            case (5, .i32): result.offsetIndexLength = try r.readI32()
            case (6, .i64): result.columnIndexOffset = try r.readI64()
            case (7, .i32): result.columnIndexLength = try r.readI32()
            case (8, .struct):
                result.hasCryptoMetadata = true
                try r.skip(.struct)
            case (9, .binary): result.encryptedColumnMetadata = try r.readBinary()
            default: try r.skip(field.type)
            }
        }
        self = result
    }

    func write(to writer: inout ThriftCompactWriter) {
        writer.writeStruct { w in
            if let filePath { w.writeStringField(1, filePath) }
            w.writeI64Field(2, fileOffset)
            if let metaData { w.writeStructField(3, metaData) }
            if let offsetIndexOffset { w.writeI64Field(4, offsetIndexOffset) }
            if let offsetIndexLength { w.writeI32Field(5, offsetIndexLength) }
            if let columnIndexOffset { w.writeI64Field(6, columnIndexOffset) }
            if let columnIndexLength { w.writeI32Field(7, columnIndexLength) }
            if hasCryptoMetadata {
                w.writeFieldHeader(id: 8, type: .struct)
                w.writeStruct { w in w.writeEmptyStructField(1) }
            }
            if let encryptedColumnMetadata { w.writeBinaryField(9, encryptedColumnMetadata) }
        }
    }
}
