import Foundation
import Testing
import FloeColumnar
@testable import Floe

@Suite struct VacuumTests {
    static let hour: Int64 = 3_600_000
    static let week: Int64 = 168 * hour

    /// Sets the modification time of `path` (relative to `dir`) to `millis`.
    static func age(_ dir: String, _ path: String, to millis: Int64) throws {
        try Fixtures.setModificationTime(dir + "/" + path, millis: millis)
    }

    /// A table whose first four files were replaced by an overwrite (tombstones now).
    static func rewrittenTable(_ dir: String) throws -> (Table, removed: [String], active: [String]) {
        let table = try MaintenanceFixtures.table(in: dir, appends: 2)  // 4 files
        let removed = try table.snapshot().activeFiles.map(\.decodedPath)
        try table.overwrite([try MaintenanceFixtures.batch(0..<5, part: "a")])
        let active = try table.snapshot().activeFiles.map(\.decodedPath)
        return (table, removed, active)
    }

    @Test func keepsEverythingWithinTheRetentionPeriod() throws {
        let dir = try Fixtures.scratchDirectory("vacuum-recent")
        defer { Fixtures.remove(dir) }
        let (table, _, _) = try Self.rewrittenTable(dir)
        let before = MaintenanceFixtures.parquetFiles(dir)
        let result = try table.vacuum()
        #expect(result.files.isEmpty && result.retentionHours == 168)
        #expect(MaintenanceFixtures.parquetFiles(dir) == before)
    }

    @Test func deletesExpiredTombstonesAndRecordsHistory() throws {
        let dir = try Fixtures.scratchDirectory("vacuum-expired")
        defer { Fixtures.remove(dir) }
        let (table, removed, active) = try Self.rewrittenTable(dir)
        let now = Transaction.nowMillis() + Self.week + Self.hour  // eight days later
        let version = try table.snapshot().version

        let dry = try table.vacuum(retentionHours: nil, dryRun: true, enforceRetentionDuration: true, recordsHistory: true,
                                   now: now, progress: nil)
        #expect(dry.isDryRun && Set(dry.files.map(\.path)) == Set(removed))
        #expect(MaintenanceFixtures.parquetFiles(dir).isSuperset(of: removed))
        #expect(try table.snapshot().version == version)  // a dry run commits nothing

        var reported: [VacuumProgress] = []
        let result = try table.vacuum(retentionHours: nil, dryRun: false, enforceRetentionDuration: true, recordsHistory: true,
                                      now: now) { reported.append($0) }
        #expect(Set(result.files.map(\.path)) == Set(removed) && result.bytes > 0)
        #expect(reported.count == removed.count && reported.last?.deleted == removed.count && reported.last?.total == removed.count)
        #expect(MaintenanceFixtures.parquetFiles(dir) == Set(active))
        #expect(try MaintenanceFixtures.rows(table).count == 5)
        // The emptied partition directory b is older than the retention (as of `now`): removed.
        #expect(result.directories == ["part=b"])

        #expect(result.startVersion == version + 1 && result.endVersion == version + 2)
        let history = try table.history(limit: 2)
        #expect(history.map { $0.commitInfo?.operation } == ["VACUUM END", "VACUUM START"])
        #expect(history[1].commitInfo?.operationMetrics?["numFilesToDelete"] == String(removed.count))
        #expect(history[0].commitInfo?.operationMetrics?["numDeletedFiles"] == String(removed.count))
        #expect(history[0].commitInfo?.operationParameters?["status"] == "COMPLETED")
        // Time travel to versions whose files are gone fails loudly, as after any vacuum.
        #expect { try table.scan(try table.snapshot(version: 1)).readAll() } throws: { ($0 as? DeltaError)?.code == .fileNotFound }
    }

    @Test func refusesShortRetentionUnlessForcedOrConfigured() throws {
        let dir = try Fixtures.scratchDirectory("vacuum-retention")
        defer { Fixtures.remove(dir) }
        let (table, removed, _) = try Self.rewrittenTable(dir)
        #expect { try table.vacuum(retentionHours: 1) } throws: { error in
            guard let e = error as? DeltaError else { return false }
            return e.code == .invalidArgument && e.message.contains("delta.deletedFileRetentionDuration (168 hours)")
        }
        #expect { try table.vacuum(retentionHours: -1, enforceRetentionDuration: false) } throws: { ($0 as? DeltaError)?.code == .invalidArgument }
        // Forced: tombstones younger than the retention are still kept, so nothing goes yet…
        #expect(try table.vacuum(retentionHours: 1, dryRun: true, enforceRetentionDuration: false).files.isEmpty)
        // …until they are older than it.
        let later = Transaction.nowMillis() + 2 * Self.hour
        let forced = try table.vacuum(retentionHours: 1, dryRun: true, enforceRetentionDuration: false, recordsHistory: false,
                                      now: later, progress: nil)
        #expect(Set(forced.files.map(\.path)) == Set(removed))

        // A table configured for one hour accepts one hour.
        var transaction = try table.transaction(operation: "SET TBLPROPERTIES")
        var metadata = try table.snapshot().metadata
        metadata.configuration["delta.deletedFileRetentionDuration"] = "interval 1 hours"
        try transaction.updateMetadata(metadata)
        try transaction.commit()
        let configured = try table.vacuum(retentionHours: nil, dryRun: true, enforceRetentionDuration: true, recordsHistory: false,
                                          now: later, progress: nil)
        #expect(configured.retentionHours == 1 && Set(configured.files.map(\.path)) == Set(removed))
        metadata.configuration["delta.deletedFileRetentionDuration"] = "interval 3 fortnights"
        var bad = try table.transaction(operation: "SET TBLPROPERTIES")
        try bad.updateMetadata(metadata)
        try bad.commit()
        #expect { try table.vacuum(dryRun: true) } throws: { ($0 as? DeltaError)?.message.contains("invalid delta.deletedFileRetentionDuration") == true }
    }

    @Test func handlesOrphansHiddenFilesTemporaryFilesAndChangeData() throws {
        let dir = try Fixtures.scratchDirectory("vacuum-orphans")
        defer { Fixtures.remove(dir) }
        let table = try MaintenanceFixtures.table(in: dir, appends: 1)
        let old = Transaction.nowMillis() - 2 * Self.week
        let files = [
            "orphan.parquet",                            // never committed, old: deleted
            "part=a/recent-orphan.parquet",              // never committed, recent: kept (a writer may commit it)
            "part=a/.part-0001.zstd.parquet.floe-tmp-42", // crashed writer's temporary file, old: deleted
            ".hidden.parquet",                           // hidden: kept
            "part=a/.part-0002.parquet.crc",             // hidden checksum: kept
            "_ignored/data.parquet",                     // under a hidden directory: kept
            "_change_data/cdc-old.parquet",              // change data no commit refers to, old: deleted
            "empty/nothing/x.parquet",                   // old orphan in old directories: deleted with them
            "_delta_log/.00000000000000000007.json.5b1e.tmp", // crashed committer's temporary file, old: deleted
            "_delta_log/.00000000000000000008.json.77aa.tmp", // a commit being written now: kept
        ]
        for path in files {
            try Fixtures.write("x", to: dir + "/" + path)
            if path != "part=a/recent-orphan.parquet" && !path.contains("0008") { try Self.age(dir, path, to: old) }
        }
        try Self.age(dir, "empty/nothing", to: old)
        try Self.age(dir, "empty", to: old)
        let result = try table.vacuum(recordsHistory: false)
        #expect(result.files.map(\.path) == ["_change_data/cdc-old.parquet", "_delta_log/.00000000000000000007.json.5b1e.tmp",
                                             "empty/nothing/x.parquet", "orphan.parquet",
                                             "part=a/.part-0001.zstd.parquet.floe-tmp-42"])
        #expect(result.directories == ["empty/nothing", "empty"])
        for path in ["part=a/recent-orphan.parquet", ".hidden.parquet", "part=a/.part-0002.parquet.crc", "_ignored/data.parquet",
                     "_delta_log/.00000000000000000008.json.77aa.tmp"] {
            #expect(FileManager.default.fileExists(atPath: dir + "/" + path), "\(path)")
        }
        #expect(try MaintenanceFixtures.rows(table).count == 20)
    }

    @Test func keepsFilesOfCommitsWithinTheRetentionPeriodWhateverTheirTombstonesSay() throws {
        let dir = try Fixtures.scratchDirectory("vacuum-window")
        defer { Fixtures.remove(dir) }
        let table = try MaintenanceFixtures.table(in: dir, appends: 1)
        let snapshot = try table.snapshot()
        let victim = try #require(snapshot.activeFiles.first)
        let old = Transaction.nowMillis() - 2 * Self.week
        // A remove whose deletionTimestamp claims it is old, in a commit made now; and a change
        // data file of that commit. Both files have old modification times.
        var transaction = table.transaction(from: snapshot, operation: "DELETE")
        transaction.remove(victim.removal(deletionTimestamp: old))
        transaction.addChangeData(AddCDCFile(path: "_change_data/cdc-recent.parquet", size: 1))
        try transaction.commit()
        try Fixtures.write("x", to: dir + "/_change_data/cdc-recent.parquet")
        try Self.age(dir, victim.decodedPath, to: old)
        try Self.age(dir, "_change_data/cdc-recent.parquet", to: old)
        #expect(try table.vacuum(dryRun: true).files.isEmpty)
        // A week later the commit is outside the retention period too.
        let later = Transaction.nowMillis() + Self.week + Self.hour
        let result = try table.vacuum(retentionHours: nil, dryRun: true, enforceRetentionDuration: true, recordsHistory: false,
                                      now: later, progress: nil)
        #expect(Set(result.files.map(\.path)) == [victim.decodedPath, "_change_data/cdc-recent.parquet"])
    }

    @Test(.enabled(if: Fixtures.goldenAvailable, "needs ../shared/golden"))
    func keepsDeletionVectorFilesOfActiveFiles() throws {
        let dir = try Fixtures.scratchDirectory("vacuum-dv")
        defer { Fixtures.remove(dir) }
        let source = Fixtures.golden("table-with-dv-small")
        for name in try FileManager.default.contentsOfDirectory(atPath: source) {
            try FileManager.default.copyItem(atPath: source + "/" + name, toPath: dir + "/" + name)
        }
        let table = Table(path: dir)
        let dv = try #require(try table.snapshot().activeFiles.compactMap(\.deletionVector).first)
        #expect(try dv.relativePath(in: LocalStorage(root: "/tmp")) == "deletion_vector_61d16c75-6994-46b7-a15b-8b538852e50e.bin")
        // An unreferenced deletion vector file, and everything made old.
        try Fixtures.write("x", to: dir + "/deletion_vector_00000000-0000-0000-0000-000000000000.bin")
        let old = Transaction.nowMillis() - 2 * Self.week
        for name in try FileManager.default.contentsOfDirectory(atPath: dir) where !name.hasPrefix("_") {
            try Self.age(dir, name, to: old)
        }
        let result = try table.vacuum(retentionHours: nil, dryRun: true, enforceRetentionDuration: true, recordsHistory: false,
                                      now: Transaction.nowMillis() + 10 * Self.week, progress: nil)
        #expect(result.files.map(\.path) == ["deletion_vector_00000000-0000-0000-0000-000000000000.bin"])
    }

    @Test func parsesRetentionIntervals() {
        #expect(RetentionDuration.hours("interval 1 week") == 168)
        #expect(RetentionDuration.hours("interval 7 days") == 168)
        #expect(RetentionDuration.hours("INTERVAL 36 HOURS 30 minutes") == 36.5)
        #expect(RetentionDuration.hours("interval 0 seconds") == 0)
        #expect(RetentionDuration.hours("interval 2 months") == nil)
        #expect(RetentionDuration.hours("7 days") == 168)
        #expect(RetentionDuration.hours("interval") == nil)
    }
}
