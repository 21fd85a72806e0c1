import Foundation
import Testing
@testable import FloeParquet

@Suite("Golden Parquet footers", .enabled(if: GoldenFiles.available, "golden corpus ../shared/golden/delta-rs is absent"))
struct ThriftGoldenFooterTests {
    @Test("every golden file's footer decodes, is consistent, and re-encodes identically")
    func decodeAll() throws {
        let files = GoldenFiles.parquetFiles
        #expect(!files.isEmpty)
        var pageHeaders = 0
        for url in files {
            let name = url.lastPathComponent
            let file = try GoldenFiles.contents(of: url)
            #expect(Array(file.prefix(4)) == FileMetaData.magic, "\(name)")
            let metadata = try FileMetaData.decodeFooter(fileTail: file)
            #expect(!metadata.schema.isEmpty, "\(name): empty schema")
            #expect(metadata.numRows == metadata.rowGroups.reduce(0) { $0 + $1.numRows }, "\(name): num_rows")
            #expect(!metadata.isEncrypted, "\(name)")
            #expect(!metadata.hasExternalColumnChunks, "\(name)")
            let leaves = metadata.schema.filter { $0.numChildren == nil || $0.numChildren == 0 }
            for group in metadata.rowGroups {
                #expect(group.columns.count == leaves.count, "\(name): columns per row group")
                for chunk in group.columns {
                    let meta = try #require(chunk.metaData, "\(name): column chunk without metadata")
                    #expect(meta.numValues >= 0)
                    // The first page of the chunk decodes as a page header, and its page lies in the file.
                    let start = Int(meta.chunkStartOffset)
                    #expect(start >= 4 && start < file.count, "\(name): chunk start \(start)")
                    guard start >= 4 && start < file.count else { continue }
                    let (header, byteCount) = try file.withUnsafeBytes { try PageHeader.decode(from: $0, at: start) }
                    #expect([PageType.dataPage, .dictionaryPage, .dataPageV2].contains(header.type), "\(name): \(header.type)")
                    #expect(start + byteCount + Int(header.compressedPageSize) <= file.count, "\(name): page overruns the file")
                    pageHeaders += 1
                }
            }
            // Re-encoding the decoded footer and decoding again gives the same metadata. (Byte
            // equality is not expected: writers may order or encode fields differently.)
            let reencoded = try FileMetaData(thriftBytes: metadata.thriftEncoded())
            #expect(reencoded == metadata, "\(name): re-encoding changed the metadata")
        }
        #expect(pageHeaders > 0)
    }

    @Test("every page header of every golden column chunk decodes, tiles the chunk, and round-trips")
    func walkAllPages() throws {
        var pages = 0
        for url in GoldenFiles.parquetFiles {
            let name = url.lastPathComponent
            let file = try GoldenFiles.contents(of: url)
            let metadata = try FileMetaData.decodeFooter(fileTail: file)
            for group in metadata.rowGroups {
                for chunk in group.columns {
                    let meta = try #require(chunk.metaData)
                    var position = Int(meta.chunkStartOffset)
                    let end = position + Int(meta.totalCompressedSize)
                    try #require(position >= 4 && end <= file.count, "\(name): chunk outside the file")
                    var values: Int64 = 0
                    while position < end {
                        let (header, byteCount) = try file.withUnsafeBytes { try PageHeader.decode(from: $0, at: position) }
                        #expect(try PageHeader(thriftBytes: header.thriftEncoded()) == header, "\(name): page header round trip")
                        if let v1 = header.dataPageHeader { values += Int64(v1.numValues) }
                        if let v2 = header.dataPageHeaderV2 { values += Int64(v2.numValues) }
                        position += byteCount + Int(header.compressedPageSize)
                        pages += 1
                    }
                    #expect(position == end, "\(name): pages do not tile the column chunk")
                    #expect(values == meta.numValues, "\(name): page value counts do not add up to num_values")
                }
            }
        }
        #expect(pages > 0)
    }

    @Test("golden footers carry the logical types and statistics Delta writers produce")
    func contentsLookRight() throws {
        var sawStatistics = false
        var sawLogicalType = false
        var sawCreatedBy = false
        for url in GoldenFiles.parquetFiles {
            let metadata = try FileMetaData.decodeFooter(fileTail: try GoldenFiles.contents(of: url))
            sawCreatedBy = sawCreatedBy || metadata.createdBy != nil
            sawLogicalType = sawLogicalType || metadata.schema.contains { $0.logicalType != nil || $0.convertedType != nil }
            sawStatistics = sawStatistics || metadata.rowGroups.contains { $0.columns.contains { $0.metaData?.statistics != nil } }
        }
        #expect(sawStatistics && sawLogicalType && sawCreatedBy)
    }
}
