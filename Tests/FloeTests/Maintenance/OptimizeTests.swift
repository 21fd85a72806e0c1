import Foundation
import Testing
import FloeColumnar
@testable import Floe

@Suite struct OptimizeTests {
    @Test func compactsEachPartitionIntoOneFileWithoutChangingRows() throws {
        let dir = try Fixtures.scratchDirectory("optimize")
        defer { Fixtures.remove(dir) }
        let table = try MaintenanceFixtures.table(in: dir, configuration: ["delta.enableChangeDataFeed": "true"])
        let before = try MaintenanceFixtures.rows(table)
        let snapshot = try table.snapshot()
        #expect(snapshot.activeFiles.count == 8)

        let result = try table.optimize()
        #expect(result.version == snapshot.version + 1)
        #expect(result.filesRemoved == 8 && result.filesAdded == 2 && result.partitionsOptimized == 2)
        #expect(result.consideredFiles == 8 && result.skippedFiles == 0)
        #expect(result.compactions.map(\.rows) == [40, 40])
        #expect(Set(result.compactions.map { $0.partitionValues["part"] ?? nil }) == ["a", "b"])
        #expect(result.compactions.allSatisfy { $0.addedFile.hasPrefix("part=\(($0.partitionValues["part"] ?? nil) ?? "")/") })

        let after = try table.snapshot()
        #expect(after.activeFiles.count == 2)
        #expect(try MaintenanceFixtures.rows(table) == before)
        // Statistics of the new files allow skipping.
        #expect(try table.scan(where: .comparison(column: "id", op: .greaterOrEqual, value: .int(75))).files().count == 1)

        // The commit: OPTIMIZE, dataChange=false everywhere, metrics recorded.
        let actions = try MaintenanceFixtures.actions(table, version: after.version)
        let info = try #require(after.commitInfo)
        #expect(info.operation == "OPTIMIZE" && info.isBlindAppend == false)
        #expect(info.operationMetrics?["numRemovedFiles"] == "8" && info.operationMetrics?["numAddedFiles"] == "2")
        #expect(info.operationMetrics?["numRemovedBytes"] == String(result.bytesRemoved))
        #expect(info.operationParameters?["predicate"] == "[]")
        var removes = 0, adds = 0
        for action in actions {
            switch action {
            case .remove(let r): removes += 1; #expect(!r.dataChange)
            case .add(let a): adds += 1; #expect(!a.dataChange)
            default: break
            }
        }
        #expect(removes == 8 && adds == 2)
        // The change data feed sees nothing in the compaction.
        #expect(try table.changes(from: after.version).isEmpty)

        // Nothing left to do: no commit.
        let again = try table.optimize()
        #expect(again.version == nil && again.consideredFiles == 2 && again.skippedFiles == 2)
        #expect(try table.snapshot().version == after.version)
    }

    @Test func packsBinsUpToTheTargetAndLeavesLargeFiles() throws {
        let dir = try Fixtures.scratchDirectory("optimize-target")
        defer { Fixtures.remove(dir) }
        let table = try MaintenanceFixtures.table(in: dir, parts: ["a"], appends: 6)
        let sizes = try table.snapshot().activeFiles.map(\.size).sorted()
        // Room for two files per bin, not three.
        let target = (sizes[0] + sizes[1] + sizes[2]) - 1
        let result = try table.optimize(targetFileSize: target)
        #expect(result.compactions.count == 3 && result.compactions.allSatisfy { $0.removedFiles.count == 2 })
        #expect(result.compactions.allSatisfy { $0.removedBytes <= target })
        // A target below every file's size compacts nothing.
        let none = try table.optimize(targetFileSize: 10)
        #expect(none.version == nil && none.skippedFiles == 3)
        #expect(try MaintenanceFixtures.rows(table).count == 60)
        #expect { try table.optimize(targetFileSize: 0) } throws: { ($0 as? DeltaError)?.code == .invalidArgument }
    }

    @Test func conditionSelectsPartitionsOnly() throws {
        let dir = try Fixtures.scratchDirectory("optimize-where")
        defer { Fixtures.remove(dir) }
        let table = try MaintenanceFixtures.table(in: dir, parts: ["a", "b", "c"])
        let result = try table.optimize(where: .comparison(column: "part", op: .equal, value: .string("b")))
        #expect(result.compactions.count == 1 && result.compactions[0].partitionValues == ["part": "b"])
        #expect(result.consideredFiles == 4)
        #expect(try table.snapshot().activeFiles.count == 9)
        #expect(try table.snapshot().commitInfo?.operationParameters?["predicate"] == "[\"part = 'b'\"]")
        #expect { try table.optimize(where: .comparison(column: "id", op: .less, value: .int(3))) } throws: { error in
            guard let e = error as? DeltaError else { return false }
            return e.code == .invalidArgument && e.message.contains("partition columns")
        }
    }

    @Test func concurrentAppendsDoNotConflict() throws {
        let dir = try Fixtures.scratchDirectory("optimize-append")
        defer { Fixtures.remove(dir) }
        let table = try MaintenanceFixtures.table(in: dir)
        let stale = try table.snapshot()
        // Another writer appends after the compaction read its snapshot.
        try table.append([try MaintenanceFixtures.batch(1000..<1010, part: "a")])
        let result = try table.optimize(stale)
        #expect(result.version == stale.version + 2)
        let latest = try table.snapshot()
        #expect(latest.activeFiles.count == 3)  // two compacted files and the concurrent append
        #expect(try MaintenanceFixtures.rows(table).count == 90)
    }

    @Test func concurrentDeleteOfACompactedFileConflicts() throws {
        let dir = try Fixtures.scratchDirectory("optimize-delete")
        defer { Fixtures.remove(dir) }
        let table = try MaintenanceFixtures.table(in: dir)
        let stale = try table.snapshot()
        let filesBefore = MaintenanceFixtures.parquetFiles(dir)
        // Another writer deletes partition a's files (rows) after the compaction read its snapshot.
        var delete = try table.transaction(operation: "DELETE")
        for file in try table.snapshot().activeFiles where file.partitionValues["part"] == "a" { delete.remove(file) }
        try delete.commit()
        #expect { try table.optimize(stale) } throws: { error in
            guard let e = error as? DeltaError else { return false }
            return e.code == .conflict && e.message.contains("removed")
        }
        // The refused compaction's files were deleted again; the table is as the delete left it.
        #expect(MaintenanceFixtures.parquetFiles(dir) == filesBefore)
        #expect(try MaintenanceFixtures.rows(table).count == 40)
    }

    @Test(.enabled(if: TestPython.hasDeltalake, "needs deltalake"))
    func deltaRSReadsTheCompactedTable() throws {
        let dir = try Fixtures.scratchDirectory("optimize-interop")
        defer { Fixtures.remove(dir) }
        let table = try MaintenanceFixtures.table(in: dir)
        try table.optimize()
        let json = try TestPython.json("""
            import sys, json
            from deltalake import DeltaTable
            t = DeltaTable(sys.argv[1])
            print(json.dumps({"rows": t.to_pyarrow_table().num_rows, "files": len(t.file_uris()), "op": t.history(1)[0]["operation"]}))
            """, [dir])
        #expect(json.objectValue?["rows"]?.int64Value == 80)
        #expect(json.objectValue?["files"]?.int64Value == 2)
        #expect(json.objectValue?["op"]?.stringValue == "OPTIMIZE")
    }
}
