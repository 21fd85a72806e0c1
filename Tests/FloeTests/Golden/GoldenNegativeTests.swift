import Foundation
import Testing
@testable import Floe

/// Tables Floe must not read, each refused with a clear error.
@Suite("Unreadable tables")
struct GoldenNegativeTests {
    static let metadata = Fixtures.metadataLine()

    static func expectError(_ lines: [[String]], _ code: DeltaError.Code, mentions words: [String], versions: [Int64]? = nil,
                            scan: Bool = false, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let root = try Fixtures.scratchDirectory("negative")
        defer { Fixtures.remove(root) }
        for (i, commit) in lines.enumerated() {
            try Fixtures.writeCommit(root, versions?[i] ?? Int64(i), commit)
        }
        let error = try #require(throws: DeltaError.self, sourceLocation: sourceLocation) {
            let table = Table(path: root)
            let snapshot = try table.snapshot()
            if scan { _ = try table.scan(snapshot).readAll() }
        }
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        for word in words { #expect(error.message.contains(word), "\(error) should mention \(word)", sourceLocation: sourceLocation) }
    }

    @Test func noDeltaLog() throws {
        let root = try Fixtures.scratchDirectory("negative")
        defer { Fixtures.remove(root) }
        let error = try #require(throws: DeltaError.self) { try Table(path: root).snapshot() }
        #expect(error.code == .tableNotFound && error.message.contains(root))
        let missing = try #require(throws: DeltaError.self) { try Table(path: root + "/absent").snapshot() }
        #expect(missing.code == .tableNotFound)
    }

    @Test func missingProtocolOrMetadata() throws {
        try Self.expectError([[Self.metadata]], .corruptLog, mentions: ["protocol"])
        try Self.expectError([[Fixtures.protocolLine]], .corruptLog, mentions: ["metaData"])
        try Self.expectError([[Fixtures.protocolLine, Self.metadata], [Fixtures.addLine("a.parquet")]], .fileNotFound,
                             mentions: ["a.parquet"], scan: true)
    }

    @Test func unknownReaderFeatures() throws {
        let unknown = #"{"protocol":{"minReaderVersion":3,"minWriterVersion":7,"readerFeatures":["deletionVectors","fancyNewThing"],"writerFeatures":["deletionVectors","fancyNewThing"]}}"#
        try Self.expectError([[unknown, Self.metadata]], .unsupportedFeature, mentions: ["fancyNewThing"])
        let catalog = #"{"protocol":{"minReaderVersion":3,"minWriterVersion":7,"readerFeatures":["catalogManaged"],"writerFeatures":["catalogManaged"]}}"#
        try Self.expectError([[catalog, Self.metadata]], .unsupportedFeature, mentions: ["catalogManaged"])
        // A later protocol upgrade counts from its version on.
        try Self.expectError([[Fixtures.protocolLine, Self.metadata], [unknown]], .unsupportedFeature, mentions: ["fancyNewThing"])
    }

    @Test("simple_table_features: reader version 5 and the reader feature blahabl", .enabled(if: Fixtures.goldenAvailable))
    func goldenUnknownFeature() throws {
        for version: Int64 in 0...4 {
            let error = try #require(throws: DeltaError.self) { try Table(path: Fixtures.golden("simple_table_features")).snapshot(version: version) }
            #expect(error.code == .unsupportedFeature && error.message.contains("blahabl") && error.message.contains("reader version 5"))
        }
    }

    @Test("shredded variants are refused naming the feature; the log stays readable", .enabled(if: Fixtures.goldenAvailable))
    func shreddedVariants() throws {
        let table = Table(path: Fixtures.golden("spark-shredded-variant-preview-delta"))
        let snapshot = try table.snapshot()
        #expect(snapshot.protocol.readerFeatures?.contains(.variantShreddingPreview) == true)
        let error = try #require(throws: DeltaError.self) { try table.scan(snapshot) }
        #expect(error.code == .unsupportedFeature && error.message.contains("variantShredding-preview"))
    }

    @Test func invalidProtocolVersions() throws {
        for reader in [0, -1, 4, 17] {
            let p = #"{"protocol":{"minReaderVersion":\#(reader),"minWriterVersion":2}}"#
            try Self.expectError([[p, Self.metadata]], .unsupportedFeature, mentions: ["reader version \(reader)"])
        }
    }

    @Test func nonContiguousVersions() throws {
        try Self.expectError([[Fixtures.protocolLine, Self.metadata], [Fixtures.addLine("a.parquet")]], .corruptLog,
                             mentions: ["contiguous", "00000000000000000001.json"], versions: [0, 2])
        // No commit 0 and no checkpoint: nothing can rebuild the table.
        try Self.expectError([[Fixtures.protocolLine, Self.metadata]], .corruptLog, mentions: ["checkpoint"], versions: [3])
    }

    @Test func corruptCommits() throws {
        try Self.expectError([[Fixtures.protocolLine, Self.metadata], ["{not json"]], .corruptLog, mentions: ["00000000000000000001.json"])
        try Self.expectError([[Fixtures.protocolLine, Self.metadata, #"{"add":{"path":"a.parquet"}}"#]], .corruptLog, mentions: ["add"])
    }

    @Test func dataFilesOutsideTheTable() throws {
        let outside = #"{"add":{"path":"/etc/passwd","partitionValues":{},"size":1,"modificationTime":1,"dataChange":true}}"#
        try Self.expectError([[Fixtures.protocolLine, Self.metadata, outside]], .pathEscapesTable, mentions: ["/etc/passwd"], scan: true)
        let dots = #"{"add":{"path":"../x.parquet","partitionValues":{},"size":1,"modificationTime":1,"dataChange":true}}"#
        try Self.expectError([[Fixtures.protocolLine, Self.metadata, dots]], .pathEscapesTable, mentions: ["x.parquet"], scan: true)
    }
}
