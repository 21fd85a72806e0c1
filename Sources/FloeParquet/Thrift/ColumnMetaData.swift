/// The metadata of one column chunk (parquet.thrift `ColumnMetaData`).
///
/// Invariants: the eight required fields are present (checked on decoding); offsets and sizes are
/// kept as stored, and the column reader must check them against the file size before use.
/// Enumerations keep unknown values (e.g. a newer codec) for the reader to refuse.
struct ColumnMetaData: Hashable, Sendable {
    /// Field 1: the physical type.
    var type: ThriftType
    /// Field 2: every encoding used by the chunk's pages (values and levels).
    var encodings: [Encoding]
    /// Field 3: the path of the leaf column from the schema root (root excluded).
    var pathInSchema: [String]
    /// Field 4: the compression codec of the chunk's pages.
    var codec: CompressionCodec
    /// Field 5: the number of values, nulls included.
    var numValues: Int64
    /// Field 6: the total uncompressed size of all pages, headers included.
    var totalUncompressedSize: Int64
    /// Field 7: the total stored size of all pages, headers included.
    var totalCompressedSize: Int64
    /// Field 8: key/value metadata of the chunk.
    var keyValueMetadata: [KeyValue]?
    /// Field 9: the file offset of the first data page.
    var dataPageOffset: Int64
    /// Field 10: the file offset of the root index page.
    var indexPageOffset: Int64?
    /// Field 11: the file offset of the dictionary page, if any.
    var dictionaryPageOffset: Int64?
    /// Field 12: statistics of the chunk.
    var statistics: Statistics?
    /// Field 13: page counts per page type and encoding.
    var encodingStats: [PageEncodingStats]?
    /// Field 14: the file offset of the Bloom filter.
    var bloomFilterOffset: Int64?
    /// Field 15: the byte length of the Bloom filter, header included.
    var bloomFilterLength: Int32?
    /// Field 16: size statistics and level histograms.
    var sizeStatistics: SizeStatistics?

    /// The file offset where the chunk's pages start: the dictionary page if there is one before the
    /// first data page, otherwise the first data page. (Some writers store a dictionary offset of 0
    /// to mean "none"; only a positive offset below `dataPageOffset` is trusted.)
    var chunkStartOffset: Int64 {
        if let dictionaryPageOffset, dictionaryPageOffset > 0, dictionaryPageOffset < dataPageOffset {
            return dictionaryPageOffset
        }
        return dataPageOffset
    }
}

extension ColumnMetaData: ThriftStruct {
    init(from reader: inout ThriftCompactReader) throws {
        var type: ThriftType?
        var encodings: [Encoding]?
        var pathInSchema: [String]?
        var codec: CompressionCodec?
        var numValues: Int64?
        var totalUncompressedSize: Int64?
        var totalCompressedSize: Int64?
        var keyValueMetadata: [KeyValue]?
        var dataPageOffset: Int64?
        var indexPageOffset: Int64?
        var dictionaryPageOffset: Int64?
        var statistics: Statistics?
        var encodingStats: [PageEncodingStats]?
        var bloomFilterOffset: Int64?
        var bloomFilterLength: Int32?
        var sizeStatistics: SizeStatistics?
        try reader.readStruct { r, field in
            switch (field.id, field.type) {
            case (1, .i32): type = ThriftType(rawValue: try r.readI32())
            case (2, .list):
                encodings = try r.readList(of: .i32, "ColumnMetaData.encodings") { Encoding(rawValue: try $0.readI32()) }
            case (3, .list):
                pathInSchema = try r.readList(of: .binary, "ColumnMetaData.path_in_schema") { try $0.readString() }
            case (4, .i32): codec = CompressionCodec(rawValue: try r.readI32())
            case (5, .i64): numValues = try r.readI64()
            case (6, .i64): totalUncompressedSize = try r.readI64()
            case (7, .i64): totalCompressedSize = try r.readI64()
            case (8, .list): keyValueMetadata = try r.readStructList("ColumnMetaData.key_value_metadata")
            case (9, .i64): dataPageOffset = try r.readI64()
            case (10, .i64): indexPageOffset = try r.readI64()
            case (11, .i64): dictionaryPageOffset = try r.readI64()
            case (12, .struct): statistics = try Statistics(from: &r)
            case (13, .list): encodingStats = try r.readStructList("ColumnMetaData.encoding_stats")
            case (14, .i64): bloomFilterOffset = try r.readI64()
            case (15, .i32): bloomFilterLength = try r.readI32()
            case (16, .struct): sizeStatistics = try SizeStatistics(from: &r)
            default: try r.skip(field.type)
            }
        }
        self.init(type: try type.thriftRequired("ColumnMetaData.type"),
                  encodings: try encodings.thriftRequired("ColumnMetaData.encodings"),
                  pathInSchema: try pathInSchema.thriftRequired("ColumnMetaData.path_in_schema"),
                  codec: try codec.thriftRequired("ColumnMetaData.codec"),
                  numValues: try numValues.thriftRequired("ColumnMetaData.num_values"),
                  totalUncompressedSize: try totalUncompressedSize.thriftRequired("ColumnMetaData.total_uncompressed_size"),
                  totalCompressedSize: try totalCompressedSize.thriftRequired("ColumnMetaData.total_compressed_size"),
                  keyValueMetadata: keyValueMetadata,
                  dataPageOffset: try dataPageOffset.thriftRequired("ColumnMetaData.data_page_offset"),
                  indexPageOffset: indexPageOffset, dictionaryPageOffset: dictionaryPageOffset,
                  statistics: statistics, encodingStats: encodingStats, bloomFilterOffset: bloomFilterOffset,
                  bloomFilterLength: bloomFilterLength, sizeStatistics: sizeStatistics)
    }

    func write(to writer: inout ThriftCompactWriter) {
        writer.writeStruct { w in
            w.writeI32Field(1, type.rawValue)
            w.writeListField(2, of: .i32, encodings) { $0.writeI32($1.rawValue) }
            w.writeListField(3, of: .binary, pathInSchema) { $0.writeString($1) }
            w.writeI32Field(4, codec.rawValue)
            w.writeI64Field(5, numValues)
            w.writeI64Field(6, totalUncompressedSize)
            w.writeI64Field(7, totalCompressedSize)
            if let keyValueMetadata { w.writeStructListField(8, keyValueMetadata) }
            w.writeI64Field(9, dataPageOffset)
            if let indexPageOffset { w.writeI64Field(10, indexPageOffset) }
            if let dictionaryPageOffset { w.writeI64Field(11, dictionaryPageOffset) }
            if let statistics { w.writeStructField(12, statistics) }
            if let encodingStats { w.writeStructListField(13, encodingStats) }
            if let bloomFilterOffset { w.writeI64Field(14, bloomFilterOffset) }
            if let bloomFilterLength { w.writeI32Field(15, bloomFilterLength) }
            if let sizeStatistics { w.writeStructField(16, sizeStatistics) }
        }
    }
}
