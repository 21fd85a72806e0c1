/// The header that precedes every page of a column chunk (parquet.thrift `PageHeader`).
///
/// Decode one with `PageHeader.decode(from:at:)`, which also returns the header's byte length: the
/// page body (`compressedPageSize` bytes) follows immediately.
///
/// Invariants (checked on decoding): the three required fields are present; both page sizes are
/// non-negative; and the page-specific header matching a known `type` is present (`dataPageHeader`
/// for DATA_PAGE, `dictionaryPageHeader` for DICTIONARY_PAGE, `dataPageHeaderV2` for DATA_PAGE_V2).
/// A page of unknown type decodes, so a reader can skip it by its size.
struct PageHeader: Hashable, Sendable {
    /// Field 1: the page type, which says which page-specific header is set.
    var type: PageType
    /// Field 2: the page body size after decompression (excluding this header).
    var uncompressedPageSize: Int32
    /// Field 3: the page body size as stored (excluding this header).
    var compressedPageSize: Int32
    /// Field 4: the CRC-32 of the stored page body.
    var crc: Int32?
    /// Field 5: set for DATA_PAGE.
    var dataPageHeader: DataPageHeader?
    /// Field 6: set for INDEX_PAGE.
    var indexPageHeader: IndexPageHeader?
    /// Field 7: set for DICTIONARY_PAGE.
    var dictionaryPageHeader: DictionaryPageHeader?
    /// Field 8: set for DATA_PAGE_V2.
    var dataPageHeaderV2: DataPageHeaderV2?
}

extension PageHeader: ThriftStruct {
    init(from reader: inout ThriftCompactReader) throws {
        // Decoded in place (no per-field locals) and required fields tracked by bit: page headers
        // are decoded once per page, so copies of this large value matter.
        type = PageType(rawValue: -1)
        uncompressedPageSize = 0
        compressedPageSize = 0
        crc = nil
        dataPageHeader = nil
        indexPageHeader = nil
        dictionaryPageHeader = nil
        dataPageHeaderV2 = nil
        var seen: UInt32 = 0
        let saved = try reader.beginStruct()
        while let field = try reader.readFieldHeader() {
            switch (field.id, field.type) {
            case (1, .i32): self.type = PageType(rawValue: try reader.readI32()); seen |= 1
            case (2, .i32): self.uncompressedPageSize = try reader.readI32(); seen |= 2
            case (3, .i32): self.compressedPageSize = try reader.readI32(); seen |= 4
            case (4, .i32): self.crc = try reader.readI32()
            case (5, .struct): self.dataPageHeader = try DataPageHeader(from: &reader); seen |= 8
            case (6, .struct): self.indexPageHeader = try IndexPageHeader(from: &reader)
            case (7, .struct): self.dictionaryPageHeader = try DictionaryPageHeader(from: &reader); seen |= 16
            case (8, .struct): self.dataPageHeaderV2 = try DataPageHeaderV2(from: &reader); seen |= 32
            default: try reader.skip(field.type)
            }
        }
        reader.endStruct(saved)
        try ThriftCompactReader.requireFields(seen, count: 3, [
            "PageHeader.type", "PageHeader.uncompressed_page_size", "PageHeader.compressed_page_size"])
        guard self.uncompressedPageSize >= 0, self.compressedPageSize >= 0 else {
            throw ParquetError(.invalidMetadata, "PageHeader has a negative page size (uncompressed \(self.uncompressedPageSize), compressed \(self.compressedPageSize))")
        }
        let missing: StaticString? = switch self.type {
        case .dataPage where seen & 8 == 0: "data_page_header"
        case .dictionaryPage where seen & 16 == 0: "dictionary_page_header"
        case .dataPageV2 where seen & 32 == 0: "data_page_header_v2"
        default: nil
        }
        if let missing {
            throw ParquetError(.invalidMetadata, "PageHeader of type \(self.type) has no \(missing)")
        }
    }

    func write(to writer: inout ThriftCompactWriter) {
        writer.writeStruct { w in
            w.writeI32Field(1, type.rawValue)
            w.writeI32Field(2, uncompressedPageSize)
            w.writeI32Field(3, compressedPageSize)
            if let crc { w.writeI32Field(4, crc) }
            if let dataPageHeader { w.writeStructField(5, dataPageHeader) }
            if let indexPageHeader { w.writeStructField(6, indexPageHeader) }
            if let dictionaryPageHeader { w.writeStructField(7, dictionaryPageHeader) }
            if let dataPageHeaderV2 { w.writeStructField(8, dataPageHeaderV2) }
        }
    }
}
