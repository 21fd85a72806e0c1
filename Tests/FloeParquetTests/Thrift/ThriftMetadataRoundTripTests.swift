import Testing
@testable import FloeParquet
import FloeColumnar

/// Encodes `value`, decodes it back and checks equality and that decoding consumed every byte.
private func roundTrip<T: ThriftStruct & Equatable>(_ value: T, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let bytes = value.thriftEncoded()
    let (decoded, byteCount) = try bytes.withUnsafeBytes { try T.decode(from: $0) }
    #expect(decoded == value, sourceLocation: sourceLocation)
    #expect(byteCount == bytes.count, sourceLocation: sourceLocation)
    // Re-encoding is stable.
    #expect(decoded.thriftEncoded() == bytes, sourceLocation: sourceLocation)
}

/// The `ParquetError` thrown when decoding `bytes` as `T`.
private func decodeError<T: ThriftStruct>(_ type: T.Type, _ bytes: [UInt8]) -> ParquetError? {
    do {
        _ = try T(thriftBytes: bytes)
        return nil
    } catch let error as ParquetError {
        return error
    } catch {
        Issue.record("unexpected error type \(error)")
        return nil
    }
}

enum Samples {
    static let fullStatistics = Statistics(
        max: [9, 0, 0, 0], min: [1, 0, 0, 0], nullCount: 3, distinctCount: 7,
        maxValue: Array("zebra".utf8), minValue: Array("aardvark".utf8),
        isMaxValueExact: true, isMinValueExact: false, nanCount: 0)

    static let fullColumnMetaData = ColumnMetaData(
        type: .byteArray, encodings: [.plain, .rle, .rleDictionary, Encoding(rawValue: 42)],
        pathInSchema: ["a", "b", "élément"], codec: .zstd, numValues: 1_000_000,
        totalUncompressedSize: 1 << 33, totalCompressedSize: 123_456,
        keyValueMetadata: [KeyValue(key: "k", value: "v"), KeyValue(key: "only key", value: nil)],
        dataPageOffset: 4096, indexPageOffset: 77, dictionaryPageOffset: 4,
        statistics: fullStatistics,
        encodingStats: [PageEncodingStats(pageType: .dictionaryPage, encoding: .plain, count: 1),
                        PageEncodingStats(pageType: .dataPage, encoding: .rleDictionary, count: 12)],
        bloomFilterOffset: 999_999, bloomFilterLength: 1024,
        sizeStatistics: SizeStatistics(unencodedByteArrayDataBytes: 5000, repetitionLevelHistogram: [10, 20],
                                       definitionLevelHistogram: [1, 2, 3]))

    static let minimalColumnMetaData = ColumnMetaData(
        type: .int32, encodings: [], pathInSchema: ["x"], codec: .uncompressed, numValues: 0,
        totalUncompressedSize: 0, totalCompressedSize: 0, dataPageOffset: 4)

    static let allLogicalTypes: [LogicalType] = [
        .string, .map, .list, .enum, .decimal(scale: 2, precision: 38), .date,
        .time(isAdjustedToUTC: true, unit: .millis), .time(isAdjustedToUTC: false, unit: .nanos),
        .timestamp(isAdjustedToUTC: true, unit: .micros), .timestamp(isAdjustedToUTC: false, unit: .unrecognized(fieldID: 9)),
        .integer(bitWidth: 8, isSigned: false), .integer(bitWidth: 64, isSigned: true),
        .unknown, .json, .bson, .uuid, .float16,
        .variant(specificationVersion: 1), .variant(specificationVersion: nil),
        .geometry(crs: "OGC:CRS84"), .geometry(crs: nil),
        .geography(crs: "srid:4326", algorithm: 1), .geography(crs: nil, algorithm: nil),
        .unrecognized(fieldID: 19), .unrecognized(fieldID: 300),
    ]

    static let schema: [SchemaElement] = [
        SchemaElement(name: "root", numChildren: 3),
        SchemaElement(name: "id", type: .int64, repetitionType: .required, fieldID: 1,
                      logicalType: .integer(bitWidth: 64, isSigned: true)),
        SchemaElement(name: "price", type: .fixedLenByteArray, typeLength: 16, repetitionType: .optional,
                      convertedType: .decimal, scale: 2, precision: 38, fieldID: 2,
                      logicalType: .decimal(scale: 2, precision: 38)),
        SchemaElement(name: "tags", repetitionType: FieldRepetitionType(rawValue: 3), numChildren: 1,
                      convertedType: .list, logicalType: .list),
    ]

    static let fullFileMetaData = FileMetaData(
        version: 2, schema: schema, numRows: 300,
        rowGroups: [
            RowGroup(columns: [ColumnChunk(filePath: nil, fileOffset: 0, metaData: fullColumnMetaData,
                                           offsetIndexOffset: 10, offsetIndexLength: 20,
                                           columnIndexOffset: 30, columnIndexLength: 40)],
                     totalByteSize: 5000, numRows: 100,
                     sortingColumns: [SortingColumn(columnIndex: 0, descending: true, nullsFirst: false)],
                     fileOffset: 4, totalCompressedSize: 4000, ordinal: 0),
            RowGroup(columns: [ColumnChunk(metaData: minimalColumnMetaData)], totalByteSize: 1, numRows: 200),
        ],
        keyValueMetadata: [KeyValue(key: "ARROW:schema", value: "base64..."), KeyValue(key: "empty", value: "")],
        createdBy: "floe version 0.1", columnOrders: [.typeDefinedOrder, .ieee754TotalOrder, .unrecognized(fieldID: 4)])
}

@Suite("Parquet metadata round trips")
struct ThriftMetadataRoundTripTests {
    @Test("small structs round-trip")
    func smallStructs() throws {
        try roundTrip(KeyValue(key: "a", value: "b"))
        try roundTrip(KeyValue(key: "", value: nil))
        try roundTrip(SortingColumn(columnIndex: 3, descending: false, nullsFirst: true))
        try roundTrip(PageEncodingStats(pageType: .dataPageV2, encoding: .deltaBinaryPacked, count: 5))
        try roundTrip(PageLocation(offset: 1 << 40, compressedPageSize: 8192, firstRowIndex: 123_456_789))
        try roundTrip(IndexPageHeader())
        try roundTrip(SizeStatistics())
        try roundTrip(SizeStatistics(unencodedByteArrayDataBytes: 0, repetitionLevelHistogram: [], definitionLevelHistogram: [5]))
    }

    @Test("Statistics round-trips with every field, none, and each alone")
    func statistics() throws {
        try roundTrip(Samples.fullStatistics)
        try roundTrip(Statistics())
        try roundTrip(Statistics(nullCount: 0))
        try roundTrip(Statistics(max: [], min: []))
        try roundTrip(Statistics(isMaxValueExact: false))
        try roundTrip(Statistics(isMinValueExact: true))
    }

    @Test("Statistics keeps value semantics although its fields are boxed")
    func statisticsValueSemantics() {
        let original = Samples.fullStatistics
        var copy = original
        copy.nullCount = 99
        copy.maxValue = nil
        #expect(original.nullCount == 3 && original.maxValue == Array("zebra".utf8))
        #expect(copy.nullCount == 99 && copy.maxValue == nil && copy.minValue == original.minValue)
        #expect(copy != original)
        copy.nullCount = 3
        copy.maxValue = original.maxValue
        #expect(copy == original && copy.hashValue == original.hashValue)
        #expect(Set([original, copy, Statistics()]).count == 2)
    }

    @Test("every LogicalType variant round-trips", arguments: Samples.allLogicalTypes)
    func logicalType(_ type: LogicalType) throws {
        try roundTrip(type)
        try roundTrip(SchemaElement(name: "c", type: .int32, repetitionType: .optional, logicalType: type))
    }

    @Test("ThriftTimeUnit and ColumnOrder round-trip")
    func unions() throws {
        for unit in [ThriftTimeUnit.millis, .micros, .nanos, .unrecognized(fieldID: 4)] { try roundTrip(unit) }
        for order in [ColumnOrder.typeDefinedOrder, .ieee754TotalOrder, .int96TimestampOrder, .unrecognized(fieldID: 77)] {
            try roundTrip(order)
        }
    }

    @Test("schema elements round-trip")
    func schemaElements() throws {
        for element in Samples.schema { try roundTrip(element) }
    }

    @Test("column metadata, chunks and row groups round-trip")
    func columnStructs() throws {
        try roundTrip(Samples.fullColumnMetaData)
        try roundTrip(Samples.minimalColumnMetaData)
        try roundTrip(ColumnChunk())
        try roundTrip(ColumnChunk(filePath: "other.parquet", fileOffset: 17, metaData: Samples.minimalColumnMetaData))
        try roundTrip(ColumnChunk(metaData: Samples.minimalColumnMetaData, hasCryptoMetadata: true, encryptedColumnMetadata: [1, 2, 3]))
        for group in Samples.fullFileMetaData.rowGroups { try roundTrip(group) }
    }

    @Test("page headers of every kind round-trip")
    func pageHeaders() throws {
        let v1 = DataPageHeader(numValues: 100, encoding: .plain, definitionLevelEncoding: .rle,
                                repetitionLevelEncoding: .bitPacked, statistics: Samples.fullStatistics)
        let v2 = DataPageHeaderV2(numValues: 100, numNulls: 4, numRows: 90, encoding: .byteStreamSplit,
                                  definitionLevelsByteLength: 12, repetitionLevelsByteLength: 0,
                                  isCompressed: false, statistics: Statistics(nullCount: 4))
        let dictionary = DictionaryPageHeader(numValues: 7, encoding: .plainDictionary, isSorted: true)
        try roundTrip(v1)
        try roundTrip(v2)
        try roundTrip(dictionary)
        try roundTrip(DataPageHeaderV2(numValues: 0, numNulls: 0, numRows: 0, encoding: .plain,
                                       definitionLevelsByteLength: 0, repetitionLevelsByteLength: 0))
        try roundTrip(PageHeader(type: .dataPage, uncompressedPageSize: 1000, compressedPageSize: 600, crc: -12345, dataPageHeader: v1))
        try roundTrip(PageHeader(type: .dataPageV2, uncompressedPageSize: 1000, compressedPageSize: 600, dataPageHeaderV2: v2))
        try roundTrip(PageHeader(type: .dictionaryPage, uncompressedPageSize: 70, compressedPageSize: 70, dictionaryPageHeader: dictionary))
        try roundTrip(PageHeader(type: .indexPage, uncompressedPageSize: 0, compressedPageSize: 0, indexPageHeader: IndexPageHeader()))
        try roundTrip(PageHeader(type: PageType(rawValue: 9), uncompressedPageSize: 5, compressedPageSize: 5))
        #expect(v2.valuesAreCompressed == false)
        #expect(DataPageHeaderV2(numValues: 1, numNulls: 0, numRows: 1, encoding: .plain, definitionLevelsByteLength: 0,
                                 repetitionLevelsByteLength: 0).valuesAreCompressed)
    }

    @Test("a page header reports its byte length when followed by page data")
    func pageHeaderLength() throws {
        let header = PageHeader(type: .dictionaryPage, uncompressedPageSize: 3, compressedPageSize: 3,
                                dictionaryPageHeader: DictionaryPageHeader(numValues: 3, encoding: .plain))
        let encoded = header.thriftEncoded()
        let page = [0xEE, 0xEE] + encoded + [1, 2, 3]
        let (decoded, byteCount) = try page.withUnsafeBytes { try PageHeader.decode(from: $0, at: 2) }
        #expect(decoded == header)
        #expect(byteCount == encoded.count)
        let buffer = Buffer(bytes: page)
        let (fromBuffer, bufferCount) = try PageHeader.decode(from: buffer, at: 2)
        #expect(fromBuffer == header && bufferCount == encoded.count)
        #expect(throws: ParquetError.self) { _ = try page.withUnsafeBytes { try PageHeader.decode(from: $0, at: page.count + 1) } }
    }

    @Test("page index structs round-trip")
    func pageIndex() throws {
        let locations = (0 ..< 20).map { PageLocation(offset: Int64($0) * 1000 + 4, compressedPageSize: 1000, firstRowIndex: Int64($0) * 50) }
        try roundTrip(OffsetIndex(pageLocations: locations, unencodedByteArrayDataBytes: Array(repeating: 7, count: 20)))
        try roundTrip(OffsetIndex(pageLocations: []))
        try roundTrip(ColumnIndex(nullPages: [false, true, false], minValues: [[1], [], [3]], maxValues: [[2], [], [4, 4]],
                                  boundaryOrder: .ascending, nullCounts: [0, 10, 1], repetitionLevelHistograms: [1, 2],
                                  definitionLevelHistograms: [3, 4], nanCounts: [0, 0, 0]))
        try roundTrip(ColumnIndex(nullPages: [], minValues: [], maxValues: [], boundaryOrder: BoundaryOrder(rawValue: 5)))
    }

    @Test("file metadata round-trips, and the footer helpers frame it")
    func fileMetaData() throws {
        let metadata = Samples.fullFileMetaData
        try roundTrip(metadata)
        #expect(!metadata.isEncrypted)
        #expect(!metadata.hasExternalColumnChunks)

        let footer = metadata.encodedFooter()
        #expect(Array(footer.suffix(4)) == Array("PAR1".utf8))
        let fileTail = Array("PAR1 some page bytes".utf8) + footer
        #expect(try FileMetaData.decodeFooter(fileTail: fileTail) == metadata)
        let length = try fileTail.withUnsafeBytes { try FileMetaData.footerLength(fileTail: $0) }
        #expect(length == footer.count - 8)
        #expect(try FileMetaData(footerBytes: Array(footer.dropLast(8))) == metadata)

        // A tail that does not hold the whole footer, bad magic, encrypted footer, too short.
        #expect(decodeFooterCode(Array(footer.suffix(20))) == .corrupt)
        #expect(decodeFooterCode(Array(footer.dropLast(1)) + Array("X".utf8)) == .corrupt)
        #expect(decodeFooterCode(Array(footer.dropLast(4)) + Array("PARE".utf8)) == .unsupported)
        #expect(decodeFooterCode([0x50, 0x41, 0x52]) == .corrupt)
        #expect(decodeFooterCode([0xFF, 0xFF, 0xFF, 0xFF] + Array("PAR1".utf8)) == .corrupt)
    }

    @Test("encryption markers and external chunks are detected")
    func encryptionDetection() throws {
        var metadata = Samples.fullFileMetaData
        metadata.hasEncryptionAlgorithm = true
        try roundTrip(metadata)
        #expect(try FileMetaData(thriftBytes: metadata.thriftEncoded()).isEncrypted)

        metadata = Samples.fullFileMetaData
        metadata.footerSigningKeyMetadata = [1, 2]
        #expect(try FileMetaData(thriftBytes: metadata.thriftEncoded()).isEncrypted)

        metadata = Samples.fullFileMetaData
        metadata.rowGroups[1].columns[0].hasCryptoMetadata = true
        #expect(try FileMetaData(thriftBytes: metadata.thriftEncoded()).isEncrypted)

        metadata = Samples.fullFileMetaData
        metadata.rowGroups[1].columns[0].encryptedColumnMetadata = [9]
        #expect(try FileMetaData(thriftBytes: metadata.thriftEncoded()).isEncrypted)

        metadata = Samples.fullFileMetaData
        metadata.rowGroups[0].columns[0].filePath = "elsewhere.parquet"
        let decoded = try FileMetaData(thriftBytes: metadata.thriftEncoded())
        #expect(decoded.hasExternalColumnChunks)
        #expect(decoded.rowGroups[0].columns[0].filePath == "elsewhere.parquet")
    }

    @Test("unknown fields of every shape are skipped")
    func unknownFields() throws {
        var writer = ThriftCompactWriter()
        writer.writeStruct { w in
            w.writeFieldHeader(id: 0, type: .double)   // id 0: long form
            w.writeDouble(1)
            w.writeStringField(1, "key")
            w.writeFieldHeader(id: 50, type: .struct)
            w.writeStruct { w in
                w.writeListField(1, of: .list, [[Int64(1)], [2, 3]]) { w, inner in w.writeList(of: .i64, inner) { $0.writeI64($1) } }
                w.writeFieldHeader(id: 2, type: .map)
                w.writeMapHeader(keyType: .binary, valueType: .struct, count: 1)
                w.writeString("nested")
                w.writeStruct { w in w.writeBoolField(1, true) }
            }
            w.writeStringField(51, "value placed after an unknown field, out of order")
            w.writeStringField(2, "value")
            w.writeFieldHeader(id: 1000, type: .set)
            w.writeListHeader(elementType: .i16, count: 2)
            w.writeI16(1); w.writeI16(2)
        }
        #expect(try KeyValue(thriftBytes: writer.bytes) == KeyValue(key: "key", value: "value"))
    }

    @Test("a known field with an unexpected wire type is skipped like an unknown one")
    func mismatchedWireType() throws {
        var writer = ThriftCompactWriter()
        writer.writeStruct { w in
            w.writeStringField(1, "k")
            w.writeI32Field(2, 5)   // value should be a string
        }
        #expect(try KeyValue(thriftBytes: writer.bytes) == KeyValue(key: "k", value: nil))
    }

    @Test("missing required fields are named in the error")
    func requiredFields() {
        var writer = ThriftCompactWriter()
        writer.writeStruct { w in
            w.writeI32Field(1, PageType.dataPage.rawValue)
            w.writeI32Field(3, 10)
        }
        let error = decodeError(PageHeader.self, writer.bytes)
        #expect(error?.code == .invalidMetadata)
        #expect(error?.message.contains("PageHeader.uncompressed_page_size") == true)

        var schema = ThriftCompactWriter()
        schema.writeStruct { w in w.writeI32Field(1, 1) }
        #expect(decodeError(SchemaElement.self, schema.bytes)?.message.contains("SchemaElement.name") == true)

        var logical = ThriftCompactWriter()
        logical.writeStruct { w in
            w.writeFieldHeader(id: 5, type: .struct)
            w.writeStruct { w in w.writeI32Field(1, 2) }
        }
        #expect(decodeError(LogicalType.self, logical.bytes)?.message.contains("DecimalType.precision") == true)
        #expect(decodeError(LogicalType.self, [0x00])?.code == .invalidMetadata)
        #expect(decodeError(ThriftTimeUnit.self, [0x00])?.code == .invalidMetadata)
        #expect(decodeError(ColumnOrder.self, [0x00])?.code == .invalidMetadata)
        #expect(decodeError(FileMetaData.self, [0x15, 0x02, 0x00])?.message.contains("FileMetaData.schema") == true)
    }

    @Test("page headers with inconsistent sizes or a missing page-specific header are refused")
    func pageHeaderValidation() {
        let missingDataHeader = PageHeader(type: .dataPage, uncompressedPageSize: 1, compressedPageSize: 1).thriftEncoded()
        #expect(decodeError(PageHeader.self, missingDataHeader)?.message.contains("data_page_header") == true)
        let negative = PageHeader(type: .indexPage, uncompressedPageSize: -1, compressedPageSize: 1).thriftEncoded()
        #expect(decodeError(PageHeader.self, negative)?.code == .invalidMetadata)
        let badV2 = DataPageHeaderV2(numValues: 1, numNulls: 2, numRows: 1, encoding: .plain,
                                     definitionLevelsByteLength: 0, repetitionLevelsByteLength: 0).thriftEncoded()
        #expect(decodeError(DataPageHeaderV2.self, badV2)?.code == .invalidMetadata)
        let badDictionary = DictionaryPageHeader(numValues: -3, encoding: .plain).thriftEncoded()
        #expect(decodeError(DictionaryPageHeader.self, badDictionary)?.code == .invalidMetadata)
        let badV1 = DataPageHeader(numValues: -3, encoding: .plain, definitionLevelEncoding: .rle, repetitionLevelEncoding: .rle).thriftEncoded()
        #expect(decodeError(DataPageHeader.self, badV1)?.code == .invalidMetadata)
    }

    @Test("enumerations keep unknown values and describe themselves")
    func enumerations() {
        #expect(Encoding(rawValue: 8) == .rleDictionary)
        #expect(CompressionCodec.lz4Raw.description == "LZ4_RAW")
        #expect(CompressionCodec(rawValue: 99).description == "CompressionCodec(99)")
        #expect(ThriftType.fixedLenByteArray.rawValue == 7)
        #expect(ConvertedType.interval.rawValue == 21)
        #expect(FieldRepetitionType.repeated.rawValue == 2)
        #expect(PageType.dataPageV2.rawValue == 3)
        #expect(BoundaryOrder.descending.rawValue == 2)
    }

    @Test("the chunk start offset prefers a plausible dictionary page offset")
    func chunkStart() {
        var metadata = Samples.minimalColumnMetaData
        metadata.dataPageOffset = 100
        #expect(metadata.chunkStartOffset == 100)
        metadata.dictionaryPageOffset = 0
        #expect(metadata.chunkStartOffset == 100)
        metadata.dictionaryPageOffset = 40
        #expect(metadata.chunkStartOffset == 40)
    }

    private func decodeFooterCode(_ tail: [UInt8]) -> ParquetError.Code? {
        do {
            _ = try FileMetaData.decodeFooter(fileTail: tail)
            return nil
        } catch let error as ParquetError {
            return error.code
        } catch {
            return nil
        }
    }
}
