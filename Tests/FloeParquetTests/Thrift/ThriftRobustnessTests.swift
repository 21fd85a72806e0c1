import Foundation
import Testing
@testable import FloeParquet

/// Produces a randomly damaged copy of `bytes`: flipped bits, overwritten bytes, inserted or
/// deleted runs, or bytes chosen to make lengths and counts huge.
func mutate(_ bytes: [UInt8], using rng: inout SeededGenerator) -> [UInt8] {
    var copy = bytes
    let edits = Int.random(in: 1 ... 6, using: &rng)
    for _ in 0 ..< edits where !copy.isEmpty {
        let at = Int.random(in: 0 ..< copy.count, using: &rng)
        switch Int.random(in: 0 ..< 6, using: &rng) {
        case 0: copy[at] ^= UInt8(1) << UInt8.random(in: 0 ..< 8, using: &rng)
        case 1: copy[at] = UInt8.random(in: 0 ... 255, using: &rng)
        case 2: copy.insert(contentsOf: (0 ..< Int.random(in: 1 ... 8, using: &rng)).map { _ in UInt8.random(in: 0 ... 255, using: &rng) }, at: at)
        case 3: copy.removeSubrange(at ..< Swift.min(copy.count, at + Int.random(in: 1 ... 8, using: &rng)))
        case 4: copy.replaceSubrange(at ..< Swift.min(copy.count, at + 5), with: [0xFF, 0xFF, 0xFF, 0xFF, 0x0F])
        default: copy[at] = [0x00, 0x0F, 0x1C, 0x19, 0xF9, 0xFC, 0x7F, 0x80][Int.random(in: 0 ..< 8, using: &rng)]
        }
    }
    return copy
}

/// Decodes `bytes` as `T`; succeeding or throwing a `ParquetError` are both fine, anything else is
/// recorded. Returns whether it decoded.
@discardableResult
func decodeOrParquetError<T: ThriftStruct>(_ type: T.Type, _ bytes: [UInt8], _ label: @autoclosure () -> String) -> Bool {
    do {
        _ = try T(thriftBytes: bytes)
        return true
    } catch is ParquetError {
        return false
    } catch {
        Issue.record("\(label()): non-Parquet error \(error)")
        return false
    }
}

@Suite("Thrift decoding robustness")
struct ThriftRobustnessTests {
    /// Up to `count` real footers of different sizes, or synthetic ones when the corpus is absent.
    private func sampleFooters(count: Int) throws -> [[UInt8]] {
        var footers: [[UInt8]] = []
        if GoldenFiles.available {
            let files = GoldenFiles.parquetFiles
            var seenSizes = Set<Int>()
            for url in files {
                let footer = try GoldenFiles.footerBytes(of: try GoldenFiles.contents(of: url))
                // One footer per size bucket, to vary shapes without decoding near-duplicates.
                if seenSizes.insert(footer.count / 512).inserted { footers.append(footer) }
                if footers.count == count { break }
            }
        }
        footers.append(Samples.fullFileMetaData.thriftEncoded())
        var everyLogicalType = Samples.fullFileMetaData
        everyLogicalType.schema = [SchemaElement(name: "root", numChildren: Int32(Samples.allLogicalTypes.count))]
            + Samples.allLogicalTypes.map { SchemaElement(name: "c", type: .int32, repetitionType: .optional, logicalType: $0) }
        everyLogicalType.hasEncryptionAlgorithm = true
        footers.append(everyLogicalType.thriftEncoded())
        return footers
    }

    @Test("truncated footers throw ParquetError and never crash")
    func truncations() throws {
        var rng = SeededGenerator(seed: 0x5EED_0001)
        let footers = try sampleFooters(count: 8)
        var cases = 0
        for (index, footer) in footers.enumerated() {
            // Every length for short footers, random lengths for long ones.
            let lengths = footer.count <= 600 ? Array(0 ..< footer.count)
                : (0 ..< 300).map { _ in Int.random(in: 0 ..< footer.count, using: &rng) }
            for length in lengths {
                let decoded = decodeOrParquetError(FileMetaData.self, Array(footer[..<length]), "footer \(index) cut at \(length)")
                #expect(!decoded, "footer \(index) decoded although cut at \(length) of \(footer.count)")
                cases += 1
            }
        }
        #expect(cases >= 500)
    }

    @Test("randomly mutated footers decode or throw ParquetError")
    func mutations() throws {
        var rng = SeededGenerator(seed: 0xF1_0E_F0_07)
        let footers = try sampleFooters(count: 8)
        let clock = ContinuousClock()
        let start = clock.now
        var decodedCount = 0
        // FLOE_THRIFT_FUZZ_CASES raises the case count for a longer local run.
        let total = ProcessInfo.processInfo.environment["FLOE_THRIFT_FUZZ_CASES"].flatMap { Int($0) } ?? 3000
        for caseIndex in 0 ..< total {
            let footer = footers[caseIndex % footers.count]
            let mutated = mutate(footer, using: &rng)
            if decodeOrParquetError(FileMetaData.self, mutated, "mutation case \(caseIndex)") { decodedCount += 1 }
        }
        // Some mutations land in values and still decode; most break the structure.
        #expect(decodedCount > 0 && decodedCount < total)
        #expect(clock.now - start < .seconds(120) || total > 3000, "decoding damaged footers is too slow")
    }

    @Test("randomly mutated page headers decode or throw ParquetError")
    func pageHeaderMutations() {
        var rng = SeededGenerator(seed: 0xBA5E)
        let headers: [[UInt8]] = [
            PageHeader(type: .dataPage, uncompressedPageSize: 1000, compressedPageSize: 600, crc: 5,
                       dataPageHeader: DataPageHeader(numValues: 100, encoding: .plain, definitionLevelEncoding: .rle,
                                                      repetitionLevelEncoding: .rle, statistics: Samples.fullStatistics)).thriftEncoded(),
            PageHeader(type: .dataPageV2, uncompressedPageSize: 10, compressedPageSize: 10,
                       dataPageHeaderV2: DataPageHeaderV2(numValues: 4, numNulls: 1, numRows: 4, encoding: .rleDictionary,
                                                          definitionLevelsByteLength: 2, repetitionLevelsByteLength: 0)).thriftEncoded(),
            PageHeader(type: .dictionaryPage, uncompressedPageSize: 70, compressedPageSize: 70,
                       dictionaryPageHeader: DictionaryPageHeader(numValues: 7, encoding: .plain)).thriftEncoded(),
        ]
        for caseIndex in 0 ..< 3000 {
            let mutated = mutate(headers[caseIndex % headers.count], using: &rng)
            decodeOrParquetError(PageHeader.self, mutated, "page header case \(caseIndex)")
        }
    }

    @Test("random bytes decode or throw ParquetError")
    func randomBytes() {
        var rng = SeededGenerator(seed: 42)
        for caseIndex in 0 ..< 2000 {
            let bytes = (0 ..< Int.random(in: 0 ..< 64, using: &rng)).map { _ in UInt8.random(in: 0 ... 255, using: &rng) }
            decodeOrParquetError(FileMetaData.self, bytes, "random case \(caseIndex)")
            decodeOrParquetError(PageHeader.self, bytes, "random case \(caseIndex)")
            decodeOrParquetError(ColumnIndex.self, bytes, "random case \(caseIndex)")
            decodeOrParquetError(OffsetIndex.self, bytes, "random case \(caseIndex)")
        }
    }
}
