import Foundation
import Testing
import FloeColumnar
@testable import Floe

/// Writers killed at each fail point (`FLOE_FAILPOINT`, see Spec/FORMAT.md) and restarted: the
/// test binary re-runs itself as the writer. (The long version is `floe-torture`, Spec/TESTING.md.)
@Suite("Crash recovery")
struct CrashRecoveryTests {
    static let environment = ProcessInfo.processInfo.environment
    static let rowsPerBatch = 5

    @Test("worker (does nothing unless spawned by the coordinator)")
    func crashRecoveryWorker() throws {
        guard let root = Self.environment["FLOE_CRASH_TABLE"],
              let count = Self.environment["FLOE_CRASH_BATCHES"].flatMap(Int.init) else { return }
        let table = Table(path: root)
        for batch in 0..<count {
            let ids = (0..<Self.rowsPerBatch).map { Scalar.int(Int64(batch * 100 + $0)) }
            let schema = try table.latestSnapshot().arrowSchema()
            let rows = try RecordBatch(schema: schema, columns: [try Column(ids, type: .int64),
                                                                 try Column(ids.map { _ in .int(Int64(batch)) }, type: .int32)])
            var options = WriteOptions()
            options.applicationTransaction = ApplicationTransaction(appID: "crash-test", version: Int64(batch))
            do {
                try table.append([rows], options: options)
            } catch let error as DeltaError {
                // Lets the coordinator see which error a failed append reported.
                if let path = Self.environment["FLOE_CRASH_ERROR_FILE"] {
                    FileManager.default.createFile(atPath: path, contents: Data(error.code.rawValue.utf8))
                }
                throw error
            }
        }
    }

    /// Re-executing the test binary works where it runs directly (Linux), not under `xctest`.
    static var canSpawnWorkers: Bool {
        #if os(Linux)
        return environment["FLOE_CRASH_TABLE"] == nil
        #else
        return false
        #endif
    }

    /// Runs the worker appending batches 0..<batches idempotently, with `failPoint` set.
    static func runWorker(table: String, batches: Int, failPoint: String?, errorFile: String? = nil) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        process.arguments = ["--testing-library", "swift-testing", "--filter", "crashRecoveryWorker"]
        var env = environment
        env["FLOE_CRASH_TABLE"] = table
        env["FLOE_CRASH_BATCHES"] = String(batches)
        env["FLOE_FAILPOINT"] = failPoint
        env["FLOE_CRASH_ERROR_FILE"] = errorFile
        process.environment = env
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process
    }

    /// The table's rows per batch, checking ids are unique.
    static func batches(_ table: Table) throws -> [Int64: Int] {
        var counts: [Int64: Int] = [:]
        var ids = Set<Int64>()
        var scanned = try table.scan(try table.snapshot()).batches()
        while let batch = try scanned.next() {
            for row in 0..<batch.count {
                guard case .int(let id) = batch.columns[0].scalar(at: row), case .int(let b) = batch.columns[1].scalar(at: row) else {
                    Issue.record("null id or batch")
                    continue
                }
                #expect(ids.insert(id).inserted, "duplicate id \(id)")
                counts[b, default: 0] += 1
            }
        }
        return counts
    }

    static func hiddenLogTemporaries(_ root: String) throws -> Int {
        try FileManager.default.contentsOfDirectory(atPath: root + "/_delta_log").filter { $0.hasPrefix(".") && $0.hasSuffix(".tmp") }.count
    }

    @Test("a writer killed at each fail point leaves a consistent table; its idempotent restart lands each batch once",
          .enabled(if: canSpawnWorkers),
          arguments: [
              // fail point, versions committed before the kill, orphaned files vacuum removes
              ("before-data-file:2", 1, 0),
              ("after-data-file:2", 1, 1),      // the data file of batch 1
              ("before-commit-link:2", 1, 2),   // batch 1's data file and commit temporary file
              ("after-commit-link:2", 2, 1),    // batch 1 committed; the commit's temporary name is left
              ("during-checkpoint:1", 2, 0),    // checkpoint of version 2 written, _last_checkpoint not
          ])
    func killedAtFailPoint(failPoint: String, committed: Int, orphans: Int) throws {
        let root = try Fixtures.scratchDirectory("crash")
        defer { Fixtures.remove(root) }
        let table = Table(path: root)
        try table.create(schema: try StructType(ddl: "id long not null, batch int"),
                         configuration: ["delta.checkpointInterval": "2"])

        let killed = try Self.runWorker(table: root, batches: 4, failPoint: failPoint)
        #expect(killed.terminationReason == .uncaughtSignal && killed.terminationStatus == SIGKILL)
        let afterKill = try Table(path: root).snapshot()
        #expect(afterKill.version == Int64(committed))
        #expect(try Self.batches(table) == Dictionary(uniqueKeysWithValues: (0..<committed).map { (Int64($0), Self.rowsPerBatch) }))
        if failPoint.hasPrefix("during-checkpoint") {
            #expect(FileManager.default.fileExists(atPath: root + "/_delta_log/00000000000000000002.checkpoint.parquet"))
            #expect(try LastCheckpoint.read(from: table.storage) == nil)
        }

        // The restarted writer re-sends every batch; the committed ones are skipped.
        let restarted = try Self.runWorker(table: root, batches: 4, failPoint: nil)
        #expect(restarted.terminationReason == .exit && restarted.terminationStatus == 0)
        #expect(try Table(path: root).snapshot().version == 4)
        #expect(try Self.batches(table) == [0: 5, 1: 5, 2: 5, 3: 5])

        // As of just after vacuum's protection of commits in flight has passed for the orphans.
        let result = try table.vacuum(retentionHours: 0, dryRun: false, enforceRetentionDuration: false, recordsHistory: false,
                                      now: Transaction.nowMillis() + Table.inFlightSlackMillis + 1000, progress: nil)
        #expect(result.files.count == orphans, "\(result.files.map(\.path))")
        #expect(try Self.hiddenLogTemporaries(root) == 0)
        #expect(try Self.batches(table) == [0: 5, 1: 5, 2: 5, 3: 5])
    }

    @Test("ENOSPC injected at the data file or the commit fails the append and leaves the version",
          .enabled(if: canSpawnWorkers), arguments: ["before-data-file:2:enospc", "before-commit-link:2:enospc"])
    func injectedDiskFull(failPoint: String) throws {
        let root = try Fixtures.scratchDirectory("crash-enospc")
        defer { Fixtures.remove(root) }
        let table = Table(path: root)
        try table.create(schema: try StructType(ddl: "id long not null, batch int"))
        let failed = try Self.runWorker(table: root, batches: 3, failPoint: failPoint)
        #expect(failed.terminationReason == .exit && failed.terminationStatus != 0)
        #expect(try Table(path: root).snapshot().version == 1)
        #expect(try Self.batches(table) == [0: 5])
        #expect(try Self.hiddenLogTemporaries(root) == 0)
    }

    @Test("a failure after the commit is published reports commitNotDurable, and the version is visible",
          .enabled(if: canSpawnWorkers))
    func failureAfterPublication() throws {
        let root = try Fixtures.scratchDirectory("crash-not-durable")
        defer { Fixtures.remove(root) }
        let table = Table(path: root)
        try table.create(schema: try StructType(ddl: "id long not null, batch int"))
        let errorFile = root + "/../" + URL(fileURLWithPath: root).lastPathComponent + ".error"
        defer { try? FileManager.default.removeItem(atPath: errorFile) }
        let failed = try Self.runWorker(table: root, batches: 3, failPoint: "after-commit-link:2:enospc", errorFile: errorFile)
        #expect(failed.terminationReason == .exit && failed.terminationStatus != 0)
        #expect(try String(contentsOfFile: errorFile, encoding: .utf8) == DeltaError.Code.commitNotDurable.rawValue)
        // The second batch's commit was published before the failure: it is there, once.
        #expect(try Table(path: root).snapshot().version == 2)
        #expect(try Self.batches(table) == [0: 5, 1: 5])
    }

    @Test func parsesFailPointRules() {
        let rules = FailPoint.parse("before-commit-link:3:enospc, after-data-file,no-such-point,during-checkpoint:0")
        #expect(rules.map(\.point) == [.beforeCommitLink, .afterDataFile])
        #expect(rules.map(\.hit) == [3, 1])
        #expect(rules.map(\.action) == [.enospc, .kill])
    }
}
