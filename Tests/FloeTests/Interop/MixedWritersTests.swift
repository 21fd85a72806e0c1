import Foundation
import Testing
import FloeColumnar
@testable import Floe

/// Floe and delta-rs writing the same table at the same time, and the one place their time travel
/// differs.
@Suite("Interop with delta-rs: concurrent writers, in-commit timestamps", .enabled(if: DeltaInterop.isAvailable, "needs FLOE_PYTHON with deltalake"))
struct MixedWritersTests {
    /// Two Floe writers (threads, each with its own `Table`) and one delta-rs process append to a
    /// table created by Floe without in-commit timestamps. Every Floe append must commit; delta-rs
    /// may give up on some after its retries (not acknowledged). Every acknowledged append is in
    /// the table exactly once, an unacknowledged one at most once, and delta-rs reads what Floe
    /// reads.
    @Test("Floe and delta-rs append concurrently: every acknowledged append exactly once")
    func concurrentAppends() throws {
        let root = try Fixtures.scratchDirectory("interop-mixed")
        defer { Fixtures.remove(root) }
        let schema = try StructType(ddl: "id long not null, writer string, seq int")
        try Table(path: root).create(schema: schema, options: TableCreationOptions(inCommitTimestamps: false))
        let perWriter = 12, rowsPerAppend = 3
        @Sendable func rows(writer: String, seq: Int, base: Int) -> [JSONValue] {
            (0..<rowsPerAppend).map { r in
                .object(["id": .int(Int64(base + seq * rowsPerAppend + r)), "writer": .string(writer), "seq": .int(Int64(seq))])
            }
        }
        let deltaBatches: [JSONValue] = (0..<perWriter).map { .array(rows(writer: "delta", seq: $0, base: 0)) }
        let work = try Fixtures.scratchDirectory("interop-mixed-signals")
        defer { Fixtures.remove(work) }
        let ready = work + "/ready", go = work + "/go"

        // delta-rs starts, says it is ready, and waits for the go signal.
        let pythonResult = InteropLocked<Result<[JSONValue], any Error>?>(nil)
        let python = Thread {
            let r = Result { try DeltaInterop.run(table: root, [
                DeltaInterop.step("appends", ["schema": DeltaType.struct(schema).jsonValue, "batches": .array(deltaBatches),
                                              "ready": .string(ready), "go": .string(go), "pauseMs": .int(60)]),
            ]) }
            pythonResult.withLock { $0 = r }
        }
        python.start()
        let readyBy = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: ready) && Date() < readyBy && pythonResult.withLock({ $0 == nil }) {
            Thread.sleep(forTimeInterval: 0.005)
        }
        #expect(FileManager.default.fileExists(atPath: ready), "the delta-rs writer did not start")
        _ = FileManager.default.createFile(atPath: go, contents: nil)

        // Floe starts once delta-rs has committed its first append (its first write pays for
        // setting up its runtime), so that the rest of both run at the same time.
        let firstBy = Date().addingTimeInterval(60)
        while (try? Table(path: root).latestVersion()) == 0 && Date() < firstBy && pythonResult.withLock({ $0 == nil }) {
            Thread.sleep(forTimeInterval: 0.002)
        }
        let floeErrors = InteropLocked<[String]>([])
        let group = DispatchGroup()
        for (w, name) in ["floe-a", "floe-b"].enumerated() {
            DispatchQueue.global().async(group: group) {
                let table = Table(path: root)
                for seq in 0..<perWriter {
                    do {
                        try table.append([try InteropData.batch(rows(writer: name, seq: seq, base: (w + 1) * 10_000), schema: schema)])
                        Thread.sleep(forTimeInterval: Double.random(in: 0.005...0.03))
                    } catch {
                        floeErrors.withLock { $0.append("\(name) #\(seq): \(error)") }
                    }
                }
            }
        }
        group.wait()
        let pythonBy = Date().addingTimeInterval(120)
        while pythonResult.withLock({ $0 == nil }) && Date() < pythonBy { Thread.sleep(forTimeInterval: 0.01) }
        let result = try #require(try pythonResult.withLock { $0 }?.get().first)
        #expect(floeErrors.withLock { $0 }.isEmpty, "\(floeErrors.withLock { $0 })")
        #expect(result["ok"]?.boolValue == true, "\(result.jsonText)")
        let acknowledged = Set(result["acknowledged"]?.arrayValue?.compactMap { $0.int64Value.map(Int.init) } ?? [])
        let failed = result["failed"]?.arrayValue ?? []
        #expect(acknowledged.count + failed.count == perWriter)

        // Count every (writer, seq) in the final table.
        let table = Table(path: root)
        var counts: [String: Int] = [:]
        for batch in try table.scan().readAll() {
            for r in 0..<batch.count {
                guard case .string(let writer) = batch.columns[1].scalar(at: r), case .int(let seq) = batch.columns[2].scalar(at: r) else { continue }
                counts["\(writer)#\(seq)", default: 0] += 1
            }
        }
        for writer in ["floe-a", "floe-b"] {
            for seq in 0..<perWriter {
                #expect(counts["\(writer)#\(seq)"] == rowsPerAppend, "\(writer) append \(seq): \(counts["\(writer)#\(seq)"] ?? 0) rows")
            }
        }
        for seq in 0..<perWriter {
            let n = counts["delta#\(seq)"] ?? 0
            if acknowledged.contains(seq) {
                #expect(n == rowsPerAppend, "acknowledged delta-rs append \(seq): \(n) rows")
            } else {
                #expect(n == 0 || n == rowsPerAppend, "unacknowledged delta-rs append \(seq): \(n) rows")
            }
        }
        let snapshot = try table.snapshot()
        // One commit per append (the create is version 0), whichever writer won each version.
        let deltaCommitted = (0..<perWriter).filter { (counts["delta#\($0)"] ?? 0) > 0 }.count
        #expect(snapshot.version == Int64(2 * perWriter + deltaCommitted))
        let engines = try table.history().reversed().compactMap(\.commitInfo?.engineInfo).map { $0.hasPrefix("delta-rs") }
        #expect(engines.filter { $0 }.count == deltaCommitted)
        // How interleaved the two engines' commits are (1 switch: one ran after the other).
        let switches = zip(engines, engines.dropFirst()).filter { $0 != $1 }.count
        // Commits delta-rs had to retry because another writer took its version.
        let deltaRetries = try table.history().compactMap { $0.commitInfo?.fields["operationMetrics"]?["num_retries"]?.int64Value }.reduce(0, +)

        // delta-rs reads the result as Floe does.
        let dump = try DeltaInterop.run(table: root, [DeltaInterop.dump(latestOnly: true, timestamps: [])])
        var check = DeltaInterop.DumpCheck()
        try check.compare(dump[0], table: table, label: "mixed writers")
        check.differences += DeltaInterop.historyDifferences(dump[0]["history"], try table.history(), label: "mixed writers")
        #expect(check.differences.isEmpty, "\(check.differences.joined(separator: "\n"))")
        print("mixed writers: \(2 * perWriter) Floe appends, \(acknowledged.count) of \(perWriter) delta-rs appends acknowledged, latest version \(snapshot.version), \(switches) switches between Floe and delta-rs commits (\(String(engines.map { $0 ? "D" : "F" }))), \(deltaRetries) delta-rs commit retries")
    }

    /// With in-commit timestamps, the protocol makes them the commit times for time travel. Floe
    /// uses them; delta-rs 1.6.6 uses the commit files' modification times, so a table whose files
    /// were copied (times reset) travels differently in delta-rs. Checked on a copy whose commit
    /// files are dated 1970.
    @Test("time travel on a copied table with in-commit timestamps: Floe follows them, delta-rs the file times")
    func copiedTableTimeTravel() throws {
        let root = try Fixtures.scratchDirectory("interop-ict-copy")
        defer { Fixtures.remove(root) }
        let table = Table(path: root)
        let schema = try StructType(ddl: "id long")
        try table.create(schema: schema)
        for i in 0..<3 {
            Thread.sleep(forTimeInterval: 0.03)
            try table.append([try InteropData.batch([.object(["id": .int(Int64(i))])], schema: schema)])
        }
        let history = try table.history().sorted { $0.version < $1.version }
        // Commit files dated 1000 s, 2000 s, ... after the epoch, as after a copy that lost them.
        var mtimes = JSONObject()
        for entry in history { mtimes[String(entry.version)] = .int((entry.version + 1) * 1_000_000) }
        let betweenICT = (history[1].timestamp + history[2].timestamp) / 2
        let results = try DeltaInterop.run(table: root, [
            DeltaInterop.step("touch", ["mtimes": .object(mtimes)]),
            DeltaInterop.dump(versions: [], timestamps: [betweenICT, 2_500_000]),
            // delta-rs 1.6.6 cannot write tables with the inCommitTimestamp writer feature.
            DeltaInterop.write(schema, [.object(["id": .int(9)])]),
        ])
        #expect(results[2]["ok"]?.boolValue == false && results[2]["error"]?.stringValue?.contains("InCommitTimestamp") == true,
                "\(results[2].jsonText.prefix(300))")
        #expect(try table.latestVersion() == 3)
        let stamps = results[1]["timestamps"]?.arrayValue ?? []
        #expect(stamps.count == 2)
        // Floe: between the in-commit timestamps of versions 1 and 2 is version 1; delta-rs: the
        // latest version (every file time is earlier).
        #expect(try table.snapshot(asOf: Date(timeIntervalSince1970: Double(betweenICT) / 1000)).version == 1)
        #expect(stamps.first?["version"]?.int64Value == 3)
        // At 2,500 s delta-rs travels to version 1 by file time; for Floe that is before the first commit.
        #expect(stamps.last?["version"]?.int64Value == 1)
        #expect(throws: DeltaError.self) { try table.snapshot(asOf: Date(timeIntervalSince1970: 2_500)) }
        // History agrees: both report the in-commit timestamps.
        #expect(DeltaInterop.historyDifferences(results[1]["history"], try table.history(), label: "copied").isEmpty)
        #expect(results[1]["history"]?.arrayValue?.compactMap { $0["timestamp"]?.int64Value } == history.reversed().map(\.timestamp))
    }
}

/// A value shared between threads of a test, behind a lock.
final class InteropLocked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
