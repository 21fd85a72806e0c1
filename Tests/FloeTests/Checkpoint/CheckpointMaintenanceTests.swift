import Foundation
import Synchronization
import Testing
@testable import Floe

/// Collects maintenance events from a table's observer.
final class EventLog: Sendable {
    private let events = Mutex<[LogMaintenanceEvent]>([])
    var all: [LogMaintenanceEvent] { events.withLock { $0 } }
    func record(_ event: LogMaintenanceEvent) { events.withLock { $0.append(event) } }
}

/// A checkpoint writer that always fails.
struct FailingWriter: CheckpointWriter {
    func checkpointFile(for actions: [Action], of snapshot: Snapshot) throws -> [UInt8] {
        throw DeltaError(.io, "disk full (test)")
    }
}

/// Makes a table with `commits` one-file appends after creation, with the given properties.
func makeAppendedTable(_ label: String, commits: Int, configuration: [String: String] = [:],
                       policy: LogMaintenancePolicy = .disabled) throws -> (Table, String) {
    let root = try Fixtures.scratchDirectory(label)
    var table = Table(path: root)
    table.logMaintenance = policy
    try table.create(schema: testSchema, configuration: configuration, options: TableCreationOptions(inCommitTimestamps: false))
    for i in 0..<commits {
        var t = try table.transaction()
        t.add(makeFile("f\(i).parquet"))
        try t.commit()
    }
    return (table, root)
}

func logNames(_ root: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: root + "/_delta_log").sorted()
}

@Suite("Automatic checkpoints")
struct AutomaticCheckpointTests {
    @Test("commits write a checkpoint every delta.checkpointInterval versions (default 10)")
    func interval() throws {
        let events = EventLog()
        let policy = LogMaintenancePolicy(observer: { events.record($0) })
        let (table, root) = try makeAppendedTable("auto10", commits: 11, policy: policy)
        defer { Fixtures.remove(root) }
        let names = try logNames(root)
        #expect(names.filter { $0.contains(".checkpoint.") } == [LogFile.versionPrefix(10) + ".checkpoint.parquet"])
        #expect(LastCheckpoint(json: try table.storage.read(LastCheckpoint.path))?.version == 10)
        let written = events.all.compactMap { if case .checkpointWritten(let hint) = $0 { hint } else { nil } }
        #expect(written.map(\.version) == [10])
        #expect(written.first?.numOfAddFiles == 10)
        let snapshot = try table.snapshot()
        #expect(snapshot.logSegment.checkpoint?.version == 10 && snapshot.activeFiles.count == 11)
        // Cleanup ran after the checkpoint and found nothing expired.
        let cleaned = events.all.compactMap { if case .expiredLogsCleanedUp(let r) = $0 { r } else { nil } }
        #expect(cleaned.count == 1 && cleaned.first?.deletedFiles == [])

        let (custom, root3) = try makeAppendedTable("auto3", commits: 7, configuration: ["delta.checkpointInterval": "3"],
                                                    policy: LogMaintenancePolicy())
        defer { Fixtures.remove(root3) }
        #expect(try logNames(root3).filter { $0.hasSuffix(".checkpoint.parquet") }.map { Int($0.prefix(20)) } == [3, 6])
        #expect(try custom.snapshot().logSegment.checkpoint?.version == 6)
    }

    @Test("a failing checkpoint does not fail the commit and is reported")
    func failureReported() throws {
        let events = EventLog()
        let policy = LogMaintenancePolicy(checkpointWriter: FailingWriter(), observer: { events.record($0) })
        let (table, root) = try makeAppendedTable("autofail", commits: 2, configuration: ["delta.checkpointInterval": "2"], policy: policy)
        defer { Fixtures.remove(root) }
        #expect(try table.snapshot().version == 2)
        #expect(!(try logNames(root)).contains { $0.contains("checkpoint") })
        guard case .checkpointFailed(let version, let error)? = events.all.first else {
            Issue.record("expected a failure event, got \(events.all)")
            return
        }
        #expect(version == 2 && error.message.contains("disk full"))
    }

    @Test("Table.checkpoint() checkpoints the latest version on demand")
    func explicit() throws {
        let (table, root) = try makeAppendedTable("explicit", commits: 3)
        defer { Fixtures.remove(root) }
        let hint = try table.checkpoint()
        #expect(hint.version == 3 && hint.numOfAddFiles == 3 && hint.size == 5)
        #expect(try table.snapshot().logSegment.checkpoint?.version == 3)
    }
}

@Suite("Log cleanup")
struct LogCleanupTests {
    static let day: Int64 = 24 * 3600 * 1000

    /// A table with commits 0...20 dated one day apart (commit v at `base + v` days), checkpoints
    /// at 5, 10 and 15, and `.crc` files.
    static func agedTable(configuration: [String: String] = [:]) throws -> (Table, String, base: Int64) {
        let (table, root) = try makeAppendedTable("cleanup", commits: 20, configuration: configuration)
        for v: Int64 in [5, 10, 15] { try table.writeCheckpoint(of: try table.snapshot(version: v), using: ParquetCheckpointWriter(), now: 0) }
        let base: Int64 = 1_600_000_000_000 / day * day  // a midnight
        for v: Int64 in 0...20 {
            let log = root + "/_delta_log/" + LogFile.versionPrefix(v)
            try Fixtures.write("{}", to: log + ".crc")
            for suffix in [".json", ".crc", ".checkpoint.parquet"] where FileManager.default.fileExists(atPath: log + suffix) {
                try Fixtures.setModificationTime(log + suffix, millis: base + v * day + 3_600_000)
            }
        }
        return (table, root, base)
    }

    @Test("cleanup keeps the newest checkpoint at or before the cutoff commit and everything after it")
    func retention() throws {
        let (table, root, base) = try Self.agedTable()
        defer { Fixtures.remove(root) }
        let before = try table.snapshot()
        // 30 days of retention: now = day 42.5 → cutoff midnight of day 12 → cutoff commit 11
        // (committed 01:00 on day 11) → retained checkpoint 10.
        let now = base + 42 * Self.day + Self.day / 2
        let result = try table.cleanUpExpiredLogs(now: now)
        #expect(result.cutoff == base + 12 * Self.day)
        #expect(result.retainedCheckpointVersion == 10)
        let names = try logNames(root)
        let versions = Set(names.compactMap { Int64($0.prefix(20)) })
        #expect(versions.min() == 10)
        #expect(names.contains(LogFile.versionPrefix(10) + ".checkpoint.parquet"))
        #expect(names.contains(LogFile.commitName(10)) && names.contains(LogFile.versionPrefix(10) + ".crc"))
        #expect(!names.contains(LogFile.versionPrefix(5) + ".checkpoint.parquet"))
        #expect(result.deletedFiles.count == 10 * 2 + 1)  // commits and .crc of 0...9, checkpoint 5
        #expect(result.deletedFiles.first == "_delta_log/" + LogFile.versionPrefix(0) + ".crc")

        // Every version from the retained checkpoint on is readable and unchanged.
        for v: Int64 in 10...20 {
            let s = try table.snapshot(version: v)
            #expect(s.activeFiles.count == Int(v))
        }
        #expect(try table.snapshot().activeFiles == before.activeFiles)
        // Older versions fail clearly.
        let error = try #require(throws: DeltaError.self) { try table.snapshot(version: 9) }
        #expect(error.code == .versionNotFound)
        #expect(error.message.contains("available versions are 10...20"))
        let travel = try #require(throws: DeltaError.self) {
            try table.snapshot(asOf: Date(timeIntervalSince1970: Double(base + 3 * Self.day) / 1000))
        }
        #expect(travel.code == .timestampBeforeFirstCommit)
        #expect(try table.history().last?.version == 10)

        // Running again the same day deletes nothing more.
        #expect(try table.cleanUpExpiredLogs(now: now).deletedFiles.isEmpty)
    }

    @Test("nothing is deleted without a checkpoint at or before the cutoff commit, or within retention")
    func nothingToDelete() throws {
        let (table, root, base) = try Self.agedTable(configuration: ["delta.logRetentionDuration": "interval 2 weeks"])
        defer { Fixtures.remove(root) }
        // Cutoff commit 3: no checkpoint at or before it.
        let early = try table.cleanUpExpiredLogs(now: base + 18 * Self.day)
        #expect(early.retainedCheckpointVersion == nil && early.deletedFiles.isEmpty)
        // Cutoff commit 7 (2 weeks before day 22.x): checkpoint 5 retained.
        let later = try table.cleanUpExpiredLogs(now: base + 22 * Self.day + 5)
        #expect(later.retainedCheckpointVersion == 5)
        #expect(try table.snapshot(version: 5).activeFiles.count == 5)
        #expect(throws: DeltaError.self) { try table.snapshot(version: 4) }
    }

    @Test("automatic cleanup follows delta.enableExpiredLogCleanup and delta.logRetentionDuration")
    func automatic() throws {
        for enabled in [true, false] {
            let events = EventLog()
            let config = ["delta.checkpointInterval": "5", "delta.logRetentionDuration": "interval 1 hours",
                          "delta.enableExpiredLogCleanup": enabled ? "true" : "false"]
            let (table, root) = try makeAppendedTable("autoclean", commits: 4, configuration: config,
                                                      policy: LogMaintenancePolicy(observer: { events.record($0) }))
            defer { Fixtures.remove(root) }
            // Age commits 0...4 by two days so that the cutoff (previous midnight) passes them.
            let old = Transaction.nowMillis() - 2 * Self.day
            for v: Int64 in 0...4 {
                try Fixtures.setModificationTime(root + "/_delta_log/" + LogFile.commitName(v), millis: old + v)
            }
            var t = try table.transaction()
            t.add(makeFile("f5.parquet"))
            try t.commit()  // version 5: checkpoint, then cleanup
            // The cutoff commit is 4, and no checkpoint is at or before it: nothing was deleted.
            let names = try logNames(root)
            #expect(names.contains(LogFile.versionPrefix(5) + ".checkpoint.parquet"))
            #expect(names.contains(LogFile.commitName(0)))
            // With a checkpoint at 3, the cleanup after the checkpoint at 10 deletes commits 0...2.
            try table.writeCheckpoint(of: try table.snapshot(version: 3), using: ParquetCheckpointWriter(), now: 0)
            for i in 6...10 {
                var t = try table.transaction()
                t.add(makeFile("f\(i).parquet"))
                try t.commit()
            }
            let after = try logNames(root)
            #expect(after.contains(LogFile.commitName(0)) != enabled, "enabled=\(enabled): \(after)")
            #expect(after.contains(LogFile.commitName(3)))
            let cleanups = events.all.compactMap { if case .expiredLogsCleanedUp(let r) = $0 { r } else { nil } }
            #expect(cleanups.isEmpty != enabled)
            #expect(try table.snapshot().activeFiles.count == 10)
            #expect(try table.snapshot(version: 3).activeFiles.count == 3)
        }
    }
}

@Suite("Damaged and partial checkpoints")
struct DamagedCheckpointTests {
    @Test("a corrupt checkpoint falls back to the commits, or fails naming the file when they are gone")
    func corrupt() throws {
        let (table, root) = try makeAppendedTable("corrupt", commits: 12)
        defer { Fixtures.remove(root) }
        let expected = try table.snapshot().activeFiles
        try table.checkpoint()
        var t = try table.transaction()
        t.add(makeFile("f12.parquet"))
        try t.commit()
        let checkpoint = root + "/_delta_log/" + LogFile.versionPrefix(12) + ".checkpoint.parquet"
        let bytes = try Data(contentsOf: URL(fileURLWithPath: checkpoint))
        // Truncate it: the footer is gone.
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: checkpoint))
        let fallback = try table.snapshot()
        #expect(fallback.logSegment.checkpoint == nil)
        #expect(fallback.activeFiles == expected + [makeFile("f12.parquet")])

        // Without the earlier commits the checkpoint is needed: a clear error names it.
        for v: Int64 in 0..<12 { try FileManager.default.removeItem(atPath: root + "/_delta_log/" + LogFile.commitName(v)) }
        let error = try #require(throws: DeltaError.self) { try table.snapshot() }
        #expect(error.code == .corruptLog)
        #expect(error.message.contains(LogFile.versionPrefix(12) + ".checkpoint.parquet"), "\(error)")
        #expect(error.message.contains("not a readable Parquet file"), "\(error)")

        // Garbage that looks like Parquet (right magic, bad footer) is reported the same way.
        var garbage = Array("PAR1".utf8) + [UInt8](repeating: 7, count: 64)
        garbage += [10, 0, 0, 0] + Array("PAR1".utf8)
        try Data(garbage).write(to: URL(fileURLWithPath: checkpoint))
        let e2 = try #require(throws: DeltaError.self) { try table.snapshot() }
        #expect(e2.code == .corruptLog && e2.message.contains(".checkpoint.parquet"))
    }

    @Test("_last_checkpoint pointing at a broken checkpoint falls back to an older checkpoint")
    func brokenHintedCheckpoint() throws {
        let (table, root) = try makeAppendedTable("hinted", commits: 10)
        defer { Fixtures.remove(root) }
        try table.writeCheckpoint(of: try table.snapshot(version: 5), using: ParquetCheckpointWriter(), now: 0)
        try table.checkpoint()
        for v: Int64 in 0..<5 { try FileManager.default.removeItem(atPath: root + "/_delta_log/" + LogFile.commitName(v)) }
        try Data("not parquet".utf8).write(to: URL(fileURLWithPath: root + "/_delta_log/" + LogFile.versionPrefix(10) + ".checkpoint.parquet"))
        #expect(LastCheckpoint(json: try table.storage.read(LastCheckpoint.path))?.version == 10)
        let snapshot = try table.snapshot()
        #expect(snapshot.logSegment.checkpoint?.version == 5)
        #expect(snapshot.activeFiles.count == 10)
    }

    @Test("multi-part checkpoints are read in part order; an incomplete set is ignored")
    func multiPart() throws {
        let (table, root) = try makeAppendedTable("multipart", commits: 8)
        defer { Fixtures.remove(root) }
        let snapshot = try table.snapshot()
        let actions = try snapshot.checkpointActions(now: Transaction.nowMillis())
        let writer = ParquetCheckpointWriter()
        let parts = [Array(actions.prefix(3)), Array(actions.dropFirst(3).prefix(4)), Array(actions.dropFirst(7))]
        for (i, part) in parts.enumerated() {
            let name = String(format: "%@.checkpoint.%010d.%010d.parquet", LogFile.versionPrefix(8), i + 1, parts.count)
            try table.storage.write("_delta_log/" + name, contents: try writer.checkpointFile(for: part, of: snapshot))
        }
        let fromParts = try table.snapshot()
        #expect(fromParts.logSegment.checkpoint?.files.count == 3)
        #expect(fromParts.activeFiles.map(\.path) == snapshot.activeFiles.map(\.path))
        let read = try ParquetCheckpointReader().actions(in: fromParts.logSegment.checkpoint?.files.map(\.entry) ?? [], from: table.storage)
        #expect(read == actions)

        // Remove part 2: the set is incomplete and ignored; the commits rebuild the version.
        try FileManager.default.removeItem(atPath: root + "/_delta_log/" + String(format: "%@.checkpoint.%010d.%010d.parquet", LogFile.versionPrefix(8), 2, 3))
        let without = try table.snapshot()
        #expect(without.logSegment.checkpoint == nil)
        #expect(without.activeFiles.map(\.path) == snapshot.activeFiles.map(\.path))
    }
}
