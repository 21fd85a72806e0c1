import Foundation
import Testing
@testable import Floe

@Suite("Checkpoint performance")
struct CheckpointPerformanceTests {
    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    /// 100,000 files in optimized builds; 20,000 in debug builds, whose timings mean little (set
    /// `FLOE_CHECKPOINT_PERF_FILES` to override).
    static var defaultCount: Int {
        #if DEBUG
        20_000
        #else
        100_000
        #endif
    }

    @Test("a table of 100,000 files opens from its checkpoint")
    func hundredThousandFiles() throws {
        let count = Int(ProcessInfo.processInfo.environment["FLOE_CHECKPOINT_PERF_FILES"] ?? "") ?? Self.defaultCount
        let root = try Fixtures.scratchDirectory("ckpt-perf")
        defer { Fixtures.remove(root) }
        var table = Table(path: root)
        table.logMaintenance = .disabled
        let created = try table.create(schema: checkpointTestSchema, partitionColumns: ["p"],
                                       options: TableCreationOptions(inCommitTimestamps: false))
        // Commit 1 adds every file (written directly: parsing it is not what is measured).
        var adds: [Action] = [.commitInfo(CommitInfo(fields: ["operation": .string("WRITE")]))]
        adds.reserveCapacity(count + 1)
        for i in 0..<count {
            let day = 1 + i % 28
            let stats = #"{"numRecords":\#(1000 + i % 7),"minValues":{"id":\#(i * 1000),"name":"name-\#(i)","amount":1.25,"ts":"2024-01-\#(day < 10 ? "0" : "")\#(day)T00:00:00.000Z","day":"2024-01-01","nested":{"x":0.5}},"maxValues":{"id":\#(i * 1000 + 999),"name":"name-\#(i)-z","amount":99.75,"ts":"2024-01-\#(day < 10 ? "0" : "")\#(day)T23:59:59.999Z","day":"2024-01-31","nested":{"x":9.5}},"nullCount":{"id":0,"name":0,"amount":\#(i % 3),"ts":0,"day":0,"nested":{"x":0}},"tightBounds":true}"#
            adds.append(.add(AddFile(path: "p=\(i % 50)/part-\(String(i, radix: 16))-c000.zstd.parquet", partitionValues: ["p": "\(i % 50)"],
                                     size: Int64(100_000 + i), modificationTime: 1_700_000_000_000 + Int64(i), dataChange: true,
                                     stats: stats, tags: i % 10 == 0 ? ["INSERTION_TIME": "1700000000000000"] : nil)))
        }
        try table.storage.write(LogFile.commitPath(1), contents: Action.commitFileContents(adds, partitionColumns: ["p"]))

        let clock = ContinuousClock()
        var actions: [Action] = try created.checkpointActions(now: 0)
        for case .add(var add) in adds { add.dataChange = false; actions.append(.add(add)) }
        var bytes: [UInt8] = []
        let writeTime = try clock.measure {
            bytes = try ParquetCheckpointWriter().checkpointFile(for: actions, of: created)
        }
        try table.storage.write("_delta_log/" + LogFile.versionPrefix(1) + ".checkpoint.parquet", contents: bytes)
        try table.storage.write(LastCheckpoint.path, contents: Array(LastCheckpoint(version: 1, size: Int64(actions.count)).json.utf8))

        var decoded: [Action] = []
        let decodeTime = try clock.measure {
            decoded = try ParquetCheckpointReader().actions(ofParquet: bytes, label: "perf")
        }
        #expect(decoded.count == actions.count)
        var snapshot: Snapshot?
        let openTime = try clock.measure { snapshot = try Table(path: root).snapshot() }
        #expect(snapshot?.activeFiles.count == count)
        #expect(snapshot?.logSegment.checkpoint?.version == 1)
        #expect(snapshot?.activeFiles.last?.stats == adds.last.flatMap { if case .add(let a) = $0 { a.stats } else { nil } })
        print("checkpoint of \(count) files: \(bytes.count) bytes; write \(Self.seconds(writeTime))s, decode \(Self.seconds(decodeTime))s, open table \(Self.seconds(openTime))s")
        // Generous bounds for unoptimized debug builds on a busy machine (release is far faster).
        #expect(Self.seconds(decodeTime) < 20)
        #expect(Self.seconds(openTime) < 30)
    }
}
