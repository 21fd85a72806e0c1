import Foundation
import Testing
@testable import Floe

/// Reads every golden table with Parquet checkpoints and compares the snapshot with facts computed
/// independently: a pyarrow replay of the same checkpoint and commits, and delta-rs.
@Suite("Golden checkpoint tables")
struct GoldenCheckpointTests {
    static let expectedTables = [
        "checkpoint-cdf-table", "checkpoint-v2-table", "checkpoint_with_partitions", "checkpoints_vacuumed",
        "delta-1.2.1-only-struct-stats", "delta-checkpoint-stats-optional", "issue_1374", "latest_not_checkpointed",
        "python-0.25.5-checkpoint", "simple_table_with_checkpoint", "spark-variant-checkpoint",
        "table-with-domain-metadata", "table_failed_last_checkpoint_update", "with_checkpoint_no_last_checkpoint",
    ]

    @Test("the golden tables with Parquet checkpoints are all found", .enabled(if: Fixtures.goldenAvailable))
    func discovered() {
        let names = Set(GoldenCheckpoints.names)
        for name in Self.expectedTables { #expect(names.contains(name), "\(name)") }
    }

    @Test("every golden checkpoint table matches a pyarrow replay of its log",
          .enabled(if: Fixtures.goldenAvailable && TestPython.hasPyarrow))
    func matchesPyarrowReplay() throws {
        var snapshots: [(name: String, root: String, snapshot: Snapshot)] = []
        for name in GoldenCheckpoints.names {
            let root = Fixtures.golden(name)
            do {
                snapshots.append((name, root, try Table(path: root).snapshot()))
            } catch let error as DeltaError {
                Issue.record("\(name): \(error)")
            }
        }
        let arguments = snapshots.flatMap { [$0.root, String($0.snapshot.version)] }
        let allFacts = try #require(try TestPython.json(pythonReplayScript, arguments).objectValue)
        var summary: [String] = []
        for (name, root, snapshot) in snapshots {
            let facts = try #require(allFacts[root]?.objectValue, "\(name)")
            #expect(facts["version"]?.int64Value == snapshot.version, "\(name)")
            #expect(facts["checkpoint"]?.int64Value == snapshot.logSegment.checkpoint?.version ?? -1, "\(name) checkpoint used")
            try Self.compare(snapshot, with: facts, name: name)
            let statsCount = snapshot.activeFiles.filter { $0.stats != nil }.count
            summary.append("\(name): v\(snapshot.version) from checkpoint \(snapshot.logSegment.checkpoint?.version ?? -1), \(snapshot.activeFiles.count) files (\(statsCount) with stats), \(snapshot.tombstones.count) tombstones")
        }
        print(summary.joined(separator: "\n"))
    }

    /// Compares a snapshot with the JSON facts of `pythonReplayScript`.
    static func compare(_ snapshot: Snapshot, with facts: JSONObject, name: String) throws {
        let expected = facts["files"]?.arrayValue?.compactMap(\.objectValue) ?? []
        #expect(snapshot.activeFiles.count == expected.count, "\(name): file count")
        var byKey: [String: AddFile] = [:]
        for file in snapshot.activeFiles { byKey[file.path + "|" + (file.deletionVector?.uniqueID ?? "")] = file }
        for fact in expected {
            let path = fact["path"]?.stringValue ?? ""
            let key = path + "|" + (fact["dv"]?.stringValue ?? "")
            guard let file = byKey[key] else {
                Issue.record("\(name): file \(key) missing from the snapshot")
                continue
            }
            #expect(file.size == fact["size"]?.int64Value, "\(name) \(path): size")
            var partitionValues: [String: String?] = [:]
            for member in fact["partitionValues"]?.objectValue ?? [:] { partitionValues[member.key] = .some(member.value.stringValue) }
            #expect(file.partitionValues == partitionValues, "\(name) \(path): partition values")
            if let stats = fact["stats"]?.stringValue {
                #expect(file.stats == stats, "\(name) \(path): stats")
            } else if let numRecords = fact["statsParsedNumRecords"]?.int64Value {
                // Only stats_parsed in the checkpoint: Floe synthesizes the JSON.
                let json = try #require(file.stats, "\(name) \(path): stats synthesized from stats_parsed")
                let parsed = try JSONValue.parse(Array(json.utf8)).objectValue
                #expect(parsed?["numRecords"]?.int64Value == numRecords, "\(name) \(path): numRecords")
            } else {
                #expect(file.stats == nil, "\(name) \(path): no stats")
            }
            #expect(file.baseRowID == fact["baseRowId"]?.int64Value, "\(name) \(path): baseRowId")
            #expect(file.defaultRowCommitVersion == fact["defaultRowCommitVersion"]?.int64Value, "\(name) \(path)")
            if let tags = fact["tags"]?.objectValue {
                var expectedTags: [String: String] = [:]
                for member in tags { if let v = member.value.stringValue { expectedTags[member.key] = v } }
                #expect(file.tags == expectedTags, "\(name) \(path): tags")
            }
        }
        #expect(snapshot.tombstones.count == facts["tombstones"]?.int64Value.map(Int.init), "\(name): tombstones")
        #expect(snapshot.metadata.id == facts["metadataId"]?.stringValue, "\(name): metadata id")
        let proto = facts["protocol"]?.arrayValue?.compactMap(\.int64Value) ?? []
        #expect(proto == [Int64(snapshot.protocol.minReaderVersion), Int64(snapshot.protocol.minWriterVersion)], "\(name): protocol")
        var txns: [String: Int64] = [:]
        for member in facts["txns"]?.objectValue ?? [:] { txns[member.key] = member.value.int64Value }
        #expect(snapshot.setTransactions.mapValues(\.version) == txns, "\(name): txns")
        let domains = facts["domains"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(snapshot.domainMetadata.keys.sorted() == domains, "\(name): domains")
    }

    @Test("golden checkpoint tables agree with delta-rs", .enabled(if: Fixtures.goldenAvailable && TestPython.hasDeltalake))
    func matchesDeltaRS() throws {
        let names = GoldenCheckpoints.names
        let allFacts = try #require(try TestPython.json(deltalakeFactsScript, names.map(Fixtures.golden)).objectValue)
        var compared: [String] = [], skipped: [String] = []
        for name in names {
            let root = Fixtures.golden(name)
            guard let facts = allFacts[root]?.objectValue, facts["error"] == nil else {
                skipped.append(name)
                continue
            }
            let snapshot = try Table(path: root).snapshot()
            #expect(facts["version"]?.int64Value == snapshot.version, "\(name)")
            // delta-rs reports paths as the log holds them (URI-encoded).
            let paths = facts["paths"]?.arrayValue?.compactMap(\.stringValue) ?? []
            #expect(snapshot.activeFiles.map(\.path).sorted() == paths.sorted(), "\(name)")
            let sizes = facts["sizes"]?.arrayValue?.compactMap(\.int64Value) ?? []
            #expect(snapshot.activeFiles.map(\.size).sorted() == sizes, "\(name)")
            compared.append(name)
        }
        print("delta-rs compared: \(compared.joined(separator: ", ")); delta-rs cannot open: \(skipped.joined(separator: ", "))")
        #expect(compared.count >= 8)
    }

    @Test("checkpoint specifics: V2 sidecars, struct-only stats, stale hints, missing hints",
          .enabled(if: Fixtures.goldenAvailable))
    func specifics() throws {
        // V2: a JSON UUID checkpoint whose file actions live in Parquet sidecars.
        let v2 = try Table(path: Fixtures.golden("checkpoint-v2-table")).snapshot()
        #expect(v2.version == 9)
        #expect(v2.logSegment.checkpoint?.version == 8)
        #expect(v2.activeFiles.count == 8)
        let v2at8 = try Table(path: Fixtures.golden("checkpoint-v2-table")).snapshot(version: 8)
        #expect(v2at8.activeFiles.count == 7)
        #expect(v2at8.activeFiles.allSatisfy { $0.stats != nil })

        // Struct-only statistics are turned into JSON with typed values.
        let structStats = try Table(path: Fixtures.golden("delta-1.2.1-only-struct-stats")).snapshot(version: 10)
        #expect(structStats.logSegment.checkpoint?.version == 10)
        let stats = try #require(structStats.activeFiles.first?.stats)
        let object = try #require(try JSONValue.parse(Array(stats.utf8)).objectValue)
        let minValues = try #require(object["minValues"]?.objectValue)
        #expect(minValues["decimal"]?.doubleValue == -5.678)
        #expect(minValues["date"]?.stringValue == "2022-10-24")
        #expect(minValues["timestamp"]?.stringValue?.hasSuffix("Z") == true)
        #expect(object["nullCount"]?.objectValue?["nested_struct"]?.objectValue?["struct_element"] != nil)

        // _last_checkpoint points at version 1 but a checkpoint at 3 exists: the newer one is used.
        let stale = try Table(path: Fixtures.golden("table_failed_last_checkpoint_update")).snapshot()
        #expect(stale.logSegment.checkpoint?.version == 3)

        // No _last_checkpoint, and the log starts at the first checkpoint.
        let vacuumed = try Table(path: Fixtures.golden("checkpoints_vacuumed")).snapshot()
        #expect(vacuumed.logSegment.checkpoint?.version == 10)
        let oldest = try Table(path: Fixtures.golden("checkpoints_vacuumed")).snapshot(version: 5)
        #expect(oldest.logSegment.checkpoint?.version == 5)
        let gone = try #require(throws: DeltaError.self) { try Table(path: Fixtures.golden("checkpoints_vacuumed")).snapshot(version: 4) }
        #expect(gone.code == .versionNotFound)

        // Domain metadata and row tracking fields from a checkpoint.
        let domains = try Table(path: Fixtures.golden("table-with-domain-metadata")).snapshot()
        #expect(!domains.domainMetadata.isEmpty)
        #expect(domains.activeFiles.allSatisfy { $0.baseRowID != nil && $0.defaultRowCommitVersion != nil })
    }
}
