import Foundation
import Testing
import FloeTestSupport

/// The `deltalake` Python package, when `FLOE_PYTHON` (or the package's `.venv-test`) has it.
enum DeltaPython {
    static var executable: String? { TestEnvironment.python }

    static var packageRoot: String { TestEnvironment.packageRoot }

    /// Whether these tests run: deltalake is installed, or FLOE_REQUIRE_PEERS makes them run (and
    /// fail) without it.
    static var isAvailable: Bool { TestEnvironment.gate(TestEnvironment.hasDeltalake) }

    /// Runs `Tests/Interop/delta_interop.py` with a plan of `steps` (JSON objects) against
    /// `table`, timestamps encoded as `floe scan --format ndjson` prints them; returns the results.
    static func run(table: String, steps: [[String: Any]]) throws -> [[String: Any]] {
        guard let executable else { throw HarnessError("no Python") }
        let work = NSTemporaryDirectory() + "floe-cli-delta-" + UUID().uuidString.lowercased()
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        let plan: [String: Any] = ["table": table, "timestampDigits": 6, "steps": steps]
        try JSONSerialization.data(withJSONObject: plan).write(to: URL(fileURLWithPath: work + "/plan.json"))
        FileManager.default.createFile(atPath: work + "/stderr", contents: nil)
        let stderr = try FileHandle(forWritingTo: URL(fileURLWithPath: work + "/stderr"))
        defer { try? stderr.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [packageRoot + "/Tests/Interop/delta_interop.py", work + "/plan.json", work + "/out.json"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = stderr
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0, let data = FileManager.default.contents(atPath: work + "/out.json"),
              let out = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let results = out["steps"] as? [[String: Any]] else {
            throw HarnessError("delta_interop.py failed (\(process.terminationStatus)): \((try? String(contentsOfFile: work + "/stderr", encoding: .utf8)) ?? "")")
        }
        return results
    }

    /// JSON text with sorted keys, for comparing parsed values.
    static func canonical(_ value: Any?) -> String {
        guard let value, !(value is NSNull) else { return "null" }
        guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed]) else { return "\(value)" }
        return String(decoding: data, as: UTF8.self)
    }
}

/// Tables written with the `floe` command (create, append, overwrite --where, append
/// --merge-schema, optimize, checkpoint) read by delta-rs: `floe scan --version/--timestamp`,
/// `floe history` and `floe files` print what delta-rs reads at every version.
@Suite("floe and delta-rs", .enabled(if: DeltaPython.isAvailable, "needs FLOE_PYTHON with deltalake"))
struct DeltaInteropCLITests {
    @Test("floe writes; delta-rs reads every version, by version and by time, with the same history and files")
    func floeWritesDeltaReads() throws {
        let table = CLI.scratch("delta-interop")
        defer { CLI.cleanup(table) }
        func commit(_ arguments: [String], _ input: String? = nil) throws {
            expectSuccess(try CLI.run(arguments, stdin: input))
            Thread.sleep(forTimeInterval: 0.03)
        }
        try commit(["create", table, "--schema", "id long not null, region string, day date, amount decimal(8,2), ts timestamp, tags array<string>, attrs map<string,long>, loc struct<x:double, y:double>",
                    "--partition-by", "region"])
        func rows(_ ids: Range<Int>, region: String? = nil, note: Bool = false) -> String {
            let regions = ["eu west", "us/east", "100%", "null"]
            return ids.map { i in
                let r = region ?? regions[i % regions.count]
                let regionJSON = r == "null" ? "null" : "\"\(r)\""
                let extra = note ? ",\"note\":\"n\(i)\"" : ""
                return "{\"id\":\(i),\"region\":\(regionJSON),\"day\":\"2024-0\(i % 9 + 1)-1\(i % 10)\",\"amount\":\"\(i * 3).\(i % 10)0\",\"ts\":\"2024-05-01T0\(i % 10):00:00.123456Z\",\"tags\":[\"t\(i)\",null],\"attrs\":[[\"k\",\(i)]],\"loc\":{\"x\":\(i).5,\"y\":null}\(extra)}"
            }.joined(separator: "\n") + "\n"
        }
        try commit(["append", table], rows(0..<8))
        try commit(["append", table], rows(8..<12))
        try commit(["overwrite", table, "--where", "region = 'us/east'"], rows(20..<23, region: "us/east"))
        try commit(["append", table, "--merge-schema"], rows(30..<34, note: true))
        try commit(["optimize", table])
        expectSuccess(try CLI.run(["checkpoint", table]))

        let historyRun = try CLI.run(["history", table, "--format", "json"])
        expectSuccess(historyRun)
        let history = try #require(try CLI.json(historyRun.stdout) as? [[String: Any]])
        #expect(history.count == 6)
        let times = history.compactMap { $0["timestamp"] as? Int }.sorted()
        let travel = zip(times, times.dropFirst()).map { ($0 + $1) / 2 } + [(times.last ?? 0) + 1000]
        let results = try DeltaPython.run(table: table, steps: [["op": "dump", "timestamps": travel, "queries": []]])
        let dump = try #require(results.first)
        #expect(dump["ok"] as? Bool == true, "\(dump)")

        // History: delta-rs's commitInfo (plus version) is floe history's object, key for key.
        let deltaHistory = dump["history"] as? [[String: Any]] ?? []
        #expect(deltaHistory.count == history.count)
        for (d, f) in zip(deltaHistory, history) {
            #expect(DeltaPython.canonical(d) == DeltaPython.canonical(f))
        }

        func compare(_ reading: [String: Any], floeArguments: [String], label: String) throws {
            let columns = reading["columns"] as? [String] ?? []
            let scan = try CLI.run(["scan", table, "--format", "ndjson"] + floeArguments)
            expectSuccess(scan)
            let floeRows = try scan.stdoutLines.map { line -> String in
                let object = try #require(try CLI.json(line) as? [String: Any])
                #expect(Array(object.keys).sorted() == columns.sorted(), "\(label): columns")
                return DeltaPython.canonical(columns.map { object[$0] ?? NSNull() })
            }.sorted()
            let deltaRows = (reading["rows"] as? [Any] ?? []).map { DeltaPython.canonical($0) }.sorted()
            #expect(floeRows == deltaRows, "\(label): rows differ\nfloe: \(floeRows)\ndelta-rs: \(deltaRows)")

            let files = try CLI.run(["files", table, "--format", "json"] + floeArguments)
            expectSuccess(files)
            let floeFiles = try #require(try CLI.json(files.stdout) as? [[String: Any]]).map {
                "\($0["path"] ?? "") \($0["size"] ?? "") \($0["numRecords"] ?? "")"
            }.sorted()
            let deltaFiles = (reading["files"] as? [[String: Any]] ?? []).map {
                "\($0["path"] ?? "") \($0["size"] ?? "") \($0["numRecords"] ?? "")"
            }.sorted()
            #expect(floeFiles == deltaFiles, "\(label): files differ")
        }
        let versions = dump["versions"] as? [[String: Any]] ?? []
        #expect(versions.count == 6)
        for reading in versions {
            let v = try #require(reading["version"] as? Int)
            try compare(reading, floeArguments: ["--version", String(v)], label: "v\(v)")
        }
        let stamps = dump["timestamps"] as? [[String: Any]] ?? []
        #expect(stamps.count == travel.count)
        for (i, reading) in stamps.enumerated() {
            let ms = try #require(reading["timestamp"] as? Int)
            // Between versions i and i+1 (after the last: the last).
            #expect(reading["version"] as? Int == min(i, 5), "at \(ms) ms delta-rs read \(reading["version"] ?? "an error")")
            try compare(reading, floeArguments: ["--timestamp", String(ms)], label: "at \(ms) ms")
        }
    }
}
