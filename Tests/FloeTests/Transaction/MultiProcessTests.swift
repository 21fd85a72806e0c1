import Foundation
import Testing
@testable import Floe

/// Blind appends from several OS processes: the test binary re-runs itself as workers.
@Suite("Multi-process commits")
struct MultiProcessTests {
    static let environment = ProcessInfo.processInfo.environment

    @Test("worker (does nothing unless spawned by the coordinator)")
    func multiProcessWorker() throws {
        guard let root = Self.environment["FLOE_MP_TABLE"], let id = Self.environment["FLOE_MP_ID"],
              let count = Self.environment["FLOE_MP_COMMITS"].flatMap(Int.init) else { return }
        let table = Table(path: root)
        for i in 0..<count {
            var txn = try table.transaction()
            txn.add(makeFile("proc\(id)-\(i).parquet"))
            try txn.commit()
        }
    }

    /// The coordinator re-executes this test binary; that works where the binary runs directly
    /// (Linux), not under macOS's `xctest` host.
    static var canSpawnWorkers: Bool {
        #if os(Linux)
        return environment["FLOE_MP_TABLE"] == nil
        #else
        return false
        #endif
    }

    @Test("concurrent blind appends from several processes all commit", .enabled(if: canSpawnWorkers))
    func concurrentProcesses() throws {
        let root = try Fixtures.scratchDirectory("multiprocess")
        defer { Fixtures.remove(root) }
        let table = Table(path: root)
        try table.create(schema: testSchema)
        let binary = URL(fileURLWithPath: CommandLine.arguments[0])
        let processes = 4, commits = 8
        var running: [Process] = []
        for id in 0..<processes {
            let process = Process()
            process.executableURL = binary
            process.arguments = ["--testing-library", "swift-testing", "--filter", "multiProcessWorker"]
            var env = Self.environment
            env["FLOE_MP_TABLE"] = root
            env["FLOE_MP_ID"] = String(id)
            env["FLOE_MP_COMMITS"] = String(commits)
            process.environment = env
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            running.append(process)
        }
        for process in running {
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
        }
        let snapshot = try table.snapshot()
        #expect(snapshot.version == Int64(processes * commits))
        #expect(snapshot.activeFiles.count == processes * commits)
        let history = try table.history()
        #expect(Set(history.compactMap { $0.commitInfo?.transactionID }).count == processes * commits + 1)
    }
}
