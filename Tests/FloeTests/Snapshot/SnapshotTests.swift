import Foundation
import Testing
@testable import Floe

/// An independent, deliberately naive replay used to check snapshot reconstruction.
func naiveActiveFiles(_ tableRoot: String, through version: Int64) throws -> Set<String> {
    var active = Set<String>()
    for v in 0...version {
        let path = tableRoot + "/_delta_log/" + LogFile.commitName(v)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        for action in try Action.parseLines(bytes, source: path) {
            switch action {
            case .add(let a): active.insert(a.path + "|" + (a.deletionVector?.uniqueID ?? ""))
            case .remove(let r): active.remove(r.path + "|" + (r.deletionVector?.uniqueID ?? ""))
            default: break
            }
        }
    }
    return active
}

@Suite("Snapshot")
struct SnapshotTests {
    @Test("simple_table at every version", .enabled(if: Fixtures.goldenAvailable))
    func simpleTable() throws {
        let root = Fixtures.golden("simple_table")
        let table = Table(path: root)
        // Facts from the log (computed independently with Python's json module): active files per version.
        var counts: [Int] = []
        for version in Int64(0)...4 {
            let snapshot = try table.snapshot(version: version)
            #expect(snapshot.version == version)
            let expected = try naiveActiveFiles(root, through: version)
            #expect(Set(snapshot.activeFiles.map { $0.path + "|" + ($0.deletionVector?.uniqueID ?? "") }) == expected)
            counts.append(snapshot.activeFiles.count)
        }
        #expect(counts == [6, 22, 6, 6, 5])
        let latest = try table.snapshot()
        #expect(latest.version == 4)
        #expect(latest.protocol == ProtocolAction(minReaderVersion: 1, minWriterVersion: 2))
        #expect(latest.schema.fieldNames == ["id"])
        #expect(latest.metadata.id == "5fba94ed-9794-4965-ba6e-6ee3c0d22af9")
        #expect(latest.tombstones.count > 0)
        #expect(Set(latest.tombstones.map(\.path)).isDisjoint(with: Set(latest.activeFiles.map(\.path))))
    }

    /// (latest version, active logical files) per golden table, computed independently with
    /// Python's `json` module by replaying every commit keyed by (path, deletion vector id).
    static let goldenFacts: [String: (version: Int64, files: Int)] = [
        "COVID-19_NYT": (0, 8), "cdc_ict_table": (3, 2), "cdf-table": (3, 9), "cdf-table-non-partitioned": (4, 11),
        "cdf-table-with-cdc-and-dvs": (25, 2), "checkpoints": (12, 12), "delta-0.8-empty": (1, 0), "delta-0.8.0": (1, 2),
        "delta-0.8.0-date": (0, 1), "delta-0.8.0-null-partition": (0, 2), "delta-0.8.0-numeric-partition": (0, 2),
        "delta-0.8.0-partitioned": (0, 6), "delta-0.8.0-special-partition": (0, 2), "delta-2.2.0-partitioned-types": (0, 3),
        "delta-live-table": (1, 0), "delta-stats-optional": (2, 2), "http_requests": (1, 2), "issue-2152": (0, 0),
        "partition-type-primitives": (0, 16), "simple_commit": (0, 0), "simple_table_with_cdc": (2, 1),
        "spark-variant-stable-feature-checkpoint": (1, 4), "table-with-dv-small": (1, 1), "table-without-dv-small": (0, 1),
        "table_with_column_mapping": (0, 2), "table_with_edge_timestamps": (0, 2), "table_with_liquid_clustering": (0, 10),
        "table_with_null_stats_in_notnull_struct": (1, 2), "table_with_partitioning_mapping": (4, 2),
        "golden/data-reader-array-primitives": (0, 2),
        // Tables with checkpoints whose commits all remain: replayed from JSON without a Parquet reader.
        "simple_table_with_checkpoint": (10, 11), "delta-1.2.1-only-struct-stats": (12, 12), "latest_not_checkpointed": (3, 1),
        "table_failed_last_checkpoint_update": (3, 4), "with_checkpoint_no_last_checkpoint": (3, 1), "checkpoint-v2-table": (9, 8),
        "table_with_deletion_logs": (20, 1), "delta-0.2.0": (3, 3), "python-0.25.5-checkpoint": (1, 2),
        "delta-checkpoint-stats-optional": (2, 2), "spark-variant-checkpoint": (2, 4), "spark-shredded-variant-preview-delta": (2, 4),
        "issue_1374": (1, 2),
    ]

    @Test("JSON-only golden tables reconstruct to the independently computed facts", .enabled(if: Fixtures.goldenAvailable))
    func jsonOnlyTables() throws {
        for (name, fact) in Self.goldenFacts {
            let root = Fixtures.golden(name)
            let snapshot = try Table(path: root).snapshot()
            #expect(snapshot.version == fact.version, "\(name)")
            #expect(snapshot.activeFiles.count == fact.files, "\(name)")
            let expected = try naiveActiveFiles(root, through: snapshot.version)
            #expect(Set(snapshot.activeFiles.map { $0.path + "|" + ($0.deletionVector?.uniqueID ?? "") }) == expected, "\(name)")
        }
    }

    @Test("protocol and ICT facts of golden tables", .enabled(if: Fixtures.goldenAvailable))
    func goldenFacts() throws {
        let ict = try Table(path: Fixtures.golden("cdc_ict_table")).snapshot()
        #expect(ict.version == 3)
        #expect(ict.isInCommitTimestampEnabled)
        #expect(ict.timestamp == ict.commitInfo?.inCommitTimestamp)
        #expect(ict.partitionColumns == ["birthyear"])
        let v0 = try Table(path: Fixtures.golden("cdc_ict_table")).snapshot(version: 0)
        #expect(v0.timestamp == 1783874203271)

        let txn = try Table(path: Fixtures.golden("delta-0.2.0")).snapshot()
        #expect(!txn.setTransactions.isEmpty || txn.version == 3)

        let mapped = try Table(path: Fixtures.golden("table_with_column_mapping")).snapshot()
        #expect(mapped.columnMappingMode == .name)
        #expect(mapped.schema.fields.allSatisfy { $0.physicalName != nil })

        let dv = try Table(path: Fixtures.golden("table-with-dv-small")).snapshot()
        #expect(dv.activeFiles.count == 1)
        #expect(dv.activeFiles.first?.deletionVector?.cardinality == 2)

        let special = try Table(path: Fixtures.golden("delta-0.8.0-special-partition")).snapshot()
        #expect(Set(special.activeFiles.map(\.decodedPath)).contains { $0.hasPrefix("x=A%2FA/") })
    }

    @Test("unsupported reader versions and features are refused by name", .enabled(if: Fixtures.goldenAvailable))
    func unsupportedFeatures() throws {
        let error = try #require(throws: DeltaError.self) { try Table(path: Fixtures.golden("simple_table_features")).snapshot() }
        #expect(error.code == .unsupportedFeature)
        #expect(error.message.contains("blahabl"))
        #expect(error.message.contains("reader version 5"))

        let p = ProtocolAction(minReaderVersion: 3, minWriterVersion: 7, readerFeatures: [.deletionVectors, "fancyThing"], writerFeatures: [])
        let e2 = try #require(throws: DeltaError.self) { try Snapshot.validateReadable(p, table: "t") }
        #expect(e2.message.contains("fancyThing") && !e2.message.contains("deletionVectors"))
        #expect(throws: Never.self) { try Snapshot.validateReadable(ProtocolAction(minReaderVersion: 2, minWriterVersion: 5), table: "t") }
    }

    @Test("logs that need a Parquet checkpoint fail clearly without a reader", .enabled(if: Fixtures.goldenAvailable))
    func parquetCheckpointNeeded() throws {
        for name in ["checkpoints_vacuumed", "checkpoint-cdf-table", "checkpoint_with_partitions", "table-with-domain-metadata"] {
            let error = try #require(throws: DeltaError.self, "\(name)") { try Table(path: Fixtures.golden(name), checkpointReader: nil).snapshot() }
            #expect(error.code == .unsupportedFeature, "\(name): \(error)")
            #expect(error.message.contains("CheckpointReader"), "\(name): \(error)")
        }
    }

    @Test("a checkpoint reader is used for Parquet checkpoints", .enabled(if: Fixtures.goldenAvailable))
    func checkpointReaderUsed() throws {
        // A fake reader standing in for the Parquet one: it replays the JSON commits up to the checkpoint.
        struct ReplayingReader: CheckpointReader {
            let root: String
            func actions(in files: [FileEntry], from storage: any LogStorage) throws -> [Action] {
                guard let file = files.first, let log = LogFile(entry: file) else { return [] }
                var actions: [Action] = []
                for v in 0...log.version {
                    actions += try Action.parseLines(try storage.read(LogFile.commitPath(v)), source: "v\(v)")
                }
                return actions.filter { if case .commitInfo = $0 { false } else { true } }
            }
        }
        let root = Fixtures.golden("simple_table_with_checkpoint")
        let snapshot = try Table(path: root, checkpointReader: ReplayingReader(root: root)).snapshot()
        #expect(snapshot.logSegment.checkpoint?.version == 10)
        #expect(snapshot.logSegment.commits.isEmpty)
        #expect(Set(snapshot.activeFiles.map(\.path)) == Set(try naiveActiveFiles(root, through: 10).map { String($0.dropLast()) }))
        let older = try Table(path: root, checkpointReader: ReplayingReader(root: root)).snapshot(version: 9)
        #expect(older.logSegment.checkpoint == nil)
    }
}

@Suite("Log segments and errors")
struct LogSegmentTests {
    func makeTable(_ versions: [Int64], lines: (Int64) -> [String] = { v in
        v == 0 ? [Fixtures.protocolLine, Fixtures.metadataLine(), Fixtures.addLine("f0.parquet")] : [Fixtures.addLine("f\(v).parquet")]
    }) throws -> String {
        let root = try Fixtures.scratchDirectory("segment")
        for v in versions { try Fixtures.writeCommit(root, v, lines(v)) }
        return root
    }

    @Test("latest and requested versions")
    func versions() throws {
        let root = try makeTable([0, 1, 2, 3])
        defer { Fixtures.remove(root) }
        let table = Table(path: root)
        #expect(try table.snapshot().activeFiles.count == 4)
        #expect(try table.snapshot(version: 1).activeFiles.map(\.path) == ["f0.parquet", "f1.parquet"])
        #expect(try table.latestVersion() == 3)
        let error = try #require(throws: DeltaError.self) { try table.snapshot(version: 7) }
        #expect(error.code == .versionNotFound)
        #expect(error.message.contains("0...3"))
    }

    @Test("non-contiguous versions are a corrupt log")
    func gap() throws {
        let root = try makeTable([0, 1, 3])
        defer { Fixtures.remove(root) }
        let error = try #require(throws: DeltaError.self) { try Table(path: root).snapshot() }
        #expect(error.code == .corruptLog)
        #expect(error.message.contains("00000000000000000002.json"))
        #expect(try Table(path: root).snapshot(version: 1).version == 1)
    }

    @Test("missing protocol or metadata")
    func missingActions() throws {
        let noProtocol = try makeTable([0]) { _ in [Fixtures.metadataLine()] }
        defer { Fixtures.remove(noProtocol) }
        let e1 = try #require(throws: DeltaError.self) { try Table(path: noProtocol).snapshot() }
        #expect(e1.code == .corruptLog && e1.message.contains("protocol"))
        let noMetadata = try makeTable([0]) { _ in [Fixtures.protocolLine] }
        defer { Fixtures.remove(noMetadata) }
        let e2 = try #require(throws: DeltaError.self) { try Table(path: noMetadata).snapshot() }
        #expect(e2.code == .corruptLog && e2.message.contains("metaData"))
    }

    @Test("malformed and torn commit files name the file")
    func corruptFiles() throws {
        let root = try makeTable([0, 1])
        defer { Fixtures.remove(root) }
        try Fixtures.write(Fixtures.addLine("x") + "\n{\"add\":{\"path\":\"y\",\"size\"", to: root + "/_delta_log/00000000000000000002.json")
        let error = try #require(throws: DeltaError.self) { try Table(path: root).snapshot() }
        #expect(error.code == .corruptLog)
        #expect(error.message.contains("00000000000000000002.json line 2"))
        try Fixtures.write("", to: root + "/_delta_log/00000000000000000002.json")
        let empty = try #require(throws: DeltaError.self) { try Table(path: root).snapshot() }
        #expect(empty.code == .corruptLog && empty.message.contains("empty"))
    }

    @Test("a missing table is reported as such")
    func noTable() throws {
        let root = try Fixtures.scratchDirectory("empty")
        defer { Fixtures.remove(root) }
        let error = try #require(throws: DeltaError.self) { try Table(path: root + "/nothing").snapshot() }
        #expect(error.code == .tableNotFound)
    }

    @Test("log file names")
    func names() {
        func kind(_ name: String) -> LogFile.Kind? { LogFile(entry: FileEntry(path: "_delta_log/" + name, size: 0, modificationTime: 0))?.kind }
        #expect(kind("00000000000000000010.json") == .commit)
        #expect(kind("00000000000000000010.checkpoint.parquet") == .classicCheckpoint)
        #expect(kind("00000000000000000010.checkpoint.0000000002.0000000003.parquet") == .multiPartCheckpoint(part: 2, parts: 3))
        #expect(kind("00000000000000000010.checkpoint.80a083e8-7026-4e79-81be-64bd76c43a11.json") == .uuidCheckpoint(uuid: "80a083e8-7026-4e79-81be-64bd76c43a11", isJSON: true))
        #expect(kind("00000000000000000004.00000000000000000006.compacted.json") == .compaction(endVersion: 6))
        #expect(kind("00000000000000000010.crc") == .checksum)
        for bad in ["0000000000000000010.json", "00000000000000000010.json.tmp", "_last_checkpoint", ".00000000000000000010.json.crc",
                    "00000000000000000010.checkpoint.0000000004.0000000003.parquet", "00000000000000000006.00000000000000000004.compacted.json"] {
            #expect(kind(bad) == nil, "\(bad)")
        }
    }

    @Test("multi-part checkpoints count only when complete; stale hints fall back to listing")
    func checkpointSelection() throws {
        let root = try makeTable([0, 1, 2, 3, 4])
        defer { Fixtures.remove(root) }
        let log = root + "/_delta_log/"
        try Fixtures.write("x", to: log + "00000000000000000002.checkpoint.0000000001.0000000002.parquet")
        try Fixtures.write("x", to: log + "00000000000000000002.checkpoint.0000000002.0000000002.parquet")
        try Fixtures.write("x", to: log + "00000000000000000003.checkpoint.0000000001.0000000002.parquet")
        try Fixtures.write(#"{"version":3,"size":4,"parts":2}"#, to: log + "_last_checkpoint")
        let storage = LocalStorage(root: root)
        let segment = try LogSegment.build(storage: storage, canReadParquet: true)
        #expect(segment.checkpoint?.version == 2)
        #expect(segment.checkpoint?.files.count == 2)
        #expect(segment.commits.map(\.version) == [3, 4])
        let noReader = try LogSegment.build(storage: storage, canReadParquet: false)
        #expect(noReader.checkpoint == nil && noReader.commits.count == 5)
        try Fixtures.write("garbage", to: log + "_last_checkpoint")
        #expect(try LogSegment.build(storage: storage, canReadParquet: true).checkpoint?.version == 2)
        // A JSON V2 checkpoint is used without a Parquet reader.
        let v2 = #"{"checkpointMetadata":{"version":3}}"# + "\n" + Fixtures.protocolLine + "\n" + Fixtures.metadataLine() + "\n" + Fixtures.addLine("only.parquet") + "\n"
        try Fixtures.write(v2, to: log + "00000000000000000003.checkpoint.80a083e8-7026-4e79-81be-64bd76c43a11.json")
        let snapshot = try Table(path: root).snapshot()
        #expect(snapshot.logSegment.checkpoint?.isJSON == true)
        #expect(snapshot.activeFiles.map(\.path) == ["only.parquet", "f4.parquet"])
    }
}

@Suite("Checkpoint actions")
struct CheckpointActionTests {
    @Test("checkpoint actions hold the reconciled state and unexpired tombstones")
    func checkpointActions() throws {
        let root = try Fixtures.scratchDirectory("ckpt")
        defer { Fixtures.remove(root) }
        let table = Table(path: root)
        try table.create(schema: testSchema, configuration: ["delta.deletedFileRetentionDuration": "interval 2 days"])
        var t1 = try table.transaction()
        t1.add(makeFile("a.parquet"))
        t1.add(makeFile("b.parquet"))
        t1.setTransaction(appID: "app", version: 3)
        try t1.commit()
        var t2 = try table.transaction(operation: "DELETE")
        t2.remove(RemoveFile(path: "a.parquet", deletionTimestamp: 10_000, stats: "{}"))
        t2.remove(RemoveFile(path: "old.parquet", deletionTimestamp: 1_000))
        try t2.commit()
        let snapshot = try table.snapshot()
        #expect(try snapshot.tombstoneRetention() == 2 * 24 * 3600 * 1000)
        let actions = try snapshot.checkpointActions(now: 2 * 24 * 3600 * 1000 + 5_000)
        #expect(actions.count == 5)
        #expect(actions.contains(.txn(SetTransaction(appID: "app", version: 3, lastUpdated: snapshot.setTransactions["app"]?.lastUpdated))))
        let removes = actions.compactMap { if case .remove(let r) = $0 { r } else { nil } }
        #expect(removes.map(\.path) == ["a.parquet"])
        #expect(removes.first?.stats == nil && removes.first?.dataChange == false)
        #expect(Snapshot.parseInterval("interval 1 week") == Int64(604_800_000))
        #expect(Snapshot.parseInterval("168 hours") == Int64(604_800_000))
        #expect(Snapshot.parseInterval("interval x days") == nil)
    }
}

@Suite("Incremental update")
struct IncrementalUpdateTests {
    @Test("updating a snapshot equals loading the latest")
    func update() throws {
        let root = try Fixtures.scratchDirectory("update")
        defer { Fixtures.remove(root) }
        let table = Table(path: root)
        let s0 = try table.create(schema: testSchema)
        #expect(try table.update(s0).version == 0)
        for i in 0..<3 {
            var t = try table.transaction()
            t.add(makeFile("f\(i).parquet"))
            t.setTransaction(appID: "a", version: Int64(i))
            try t.commit()
        }
        var d = try table.transaction(operation: "DELETE")
        d.remove(try table.snapshot().activeFiles[1])
        try d.commit()
        let updated = try table.update(s0)
        let full = try table.snapshot()
        #expect(updated.version == full.version)
        #expect(updated.activeFiles == full.activeFiles)
        #expect(Set(updated.tombstones) == Set(full.tombstones))
        #expect(updated.setTransactions == full.setTransactions)
        #expect(updated.timestamp == full.timestamp)
        #expect(updated.commitInfo == full.commitInfo)
        #expect(updated.logSegment.commits.map(\.version) == Array(0...4))
    }
}

@Suite("Checkpoint writing")
struct CheckpointWritingTests {
    /// Stands in for the Parquet writer: encodes actions as JSON lines, read back by `JSONLinesReader`.
    struct JSONLinesWriter: CheckpointWriter {
        func checkpointFile(for actions: [Action], of snapshot: Snapshot) throws -> [UInt8] {
            Action.commitFileContents(actions, partitionColumns: snapshot.partitionColumns)
        }
    }

    struct JSONLinesReader: CheckpointReader {
        func actions(in files: [FileEntry], from storage: any LogStorage) throws -> [Action] {
            try files.flatMap { try Action.parseLines(try storage.read($0.path), source: $0.path) }
        }
    }

    @Test("checkpoints are written, hinted, and used for later snapshots")
    func writeAndUse() throws {
        let root = try Fixtures.scratchDirectory("ckptw")
        defer { Fixtures.remove(root) }
        let table = Table(path: root, checkpointReader: JSONLinesReader())
        try table.create(schema: testSchema, options: TableCreationOptions(inCommitTimestamps: false))
        for i in 0..<4 {
            var t = try table.transaction()
            t.add(makeFile("f\(i).parquet"))
            try t.commit()
        }
        let s4 = try table.snapshot()
        let hint = try table.writeCheckpoint(of: s4, using: JSONLinesWriter(), now: Transaction.nowMillis())
        #expect(hint.version == 4 && hint.numOfAddFiles == 4)
        #expect(LastCheckpoint(json: try LocalStorage(root: root).read(LastCheckpoint.path)) == hint)
        var t = try table.transaction()
        t.add(makeFile("f5.parquet"))
        try t.commit()
        let s5 = try table.snapshot()
        #expect(s5.logSegment.checkpoint?.version == 4)
        #expect(s5.logSegment.commits.map(\.version) == [5])
        #expect(s5.activeFiles.count == 5)
        // An older checkpoint does not move the hint backwards.
        try table.writeCheckpoint(of: try table.snapshot(version: 2), using: JSONLinesWriter(), now: Transaction.nowMillis())
        #expect(LastCheckpoint(json: try LocalStorage(root: root).read(LastCheckpoint.path))?.version == 4)
        // Without a reader the commits are replayed instead.
        #expect(try Table(path: root, checkpointReader: nil).snapshot().activeFiles.map(\.path) == s5.activeFiles.map(\.path))
    }
}
