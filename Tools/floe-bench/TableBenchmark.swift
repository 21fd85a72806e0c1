import Foundation
import FloeColumnar
import Floe

/// The table benchmark: durable commit throughput of small appends (1 and 4 processes) and the
/// time to open / time-travel tables with many commits, for Floe and for deltalake.
enum TableBenchmark {
    static let schema = StructType([
        StructField(name: "id", type: .long, nullable: false),
        StructField(name: "writer", type: .integer, nullable: false),
        StructField(name: "value", type: .double),
    ])

    static func batch(writer: Int, start: Int, rows: Int = 100) throws -> RecordBatch {
        let ids = BufferBuilder(capacity: rows * 8), writers = BufferBuilder(capacity: rows * 4), values = BufferBuilder(capacity: rows * 8)
        for i in 0..<rows {
            ids.append(Int64(start + i))
            writers.append(Int32(writer))
            values.append(Double(i) * 0.5)
        }
        let arrow = try schema.arrowSchema()
        return try RecordBatch(schema: arrow, columns: [
            Column(dataType: .int64, count: rows, buffers: [ids.finish()]),
            Column(dataType: .int32, count: rows, buffers: [writers.finish()]),
            Column(dataType: .float64, count: rows, buffers: [values.finish()]),
        ])
    }

    /// Appends `commits` 100-row batches; prints one JSON line with the elapsed seconds.
    static func appendChild(path: String, writer: Int, commits: Int) throws {
        let table = Table(path: path)
        let start = now()
        for c in 0..<commits {
            try table.append([try batch(writer: writer, start: c * 100)])
        }
        say("{\"seconds\":\(now() - start),\"commits\":\(commits)}")
    }

    /// Writes a synthetic log of `commits` commits (one small `add` each) quickly and
    /// non-durably, for the open/time-travel figures (data files are not needed to open a table).
    /// With `ict`, In-Commit Timestamps are enabled from version 0 (as on Floe's default tables)
    /// and every `commitInfo` carries its `inCommitTimestamp`; otherwise the file modification
    /// times are the commit times.
    static func synthesize(path: String, commits: Int, ict: Bool) throws {
        try synthesize(path: path, versions: 0..<commits, ict: ict)
    }

    /// Writes the commits `versions` of a synthetic log (see ``synthesize(path:commits:ict:)``).
    static func synthesize(path: String, versions: Range<Int>, ict: Bool) throws {
        let log = path + "/_delta_log"
        try FileManager.default.createDirectory(atPath: log, withIntermediateDirectories: true)
        let base: Int64 = 1_767_225_600_000 // 2026-01-01
        let schemaJSON = schema.jsonString.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        for v in versions {
            let ictField = ict ? "\"inCommitTimestamp\":\(base + Int64(v) * 1000)," : ""
            var text = "{\"commitInfo\":{\(ictField)\"timestamp\":\(base + Int64(v) * 1000),\"operation\":\"WRITE\",\"operationParameters\":{\"mode\":\"Append\"}}}\n"
            if v == 0 {
                text += ict ? "{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":7,\"writerFeatures\":[\"inCommitTimestamp\"]}}\n"
                    : "{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":2}}\n"
                let configuration = ict ? "{\"delta.enableInCommitTimestamps\":\"true\"}" : "{}"
                text += "{\"metaData\":{\"id\":\"bench\",\"format\":{\"provider\":\"parquet\",\"options\":{}},\"schemaString\":\"\(schemaJSON)\",\"partitionColumns\":[],\"configuration\":\(configuration),\"createdTime\":\(base)}}\n"
            } else {
                text += "{\"add\":{\"path\":\"part-\(v).parquet\",\"partitionValues\":{},\"size\":1000,\"modificationTime\":\(base + Int64(v) * 1000),\"dataChange\":true,\"stats\":\"{\\\"numRecords\\\":100}\"}}\n"
            }
            let file = log + "/" + String(format: "%020d.json", v)
            FileManager.default.createFile(atPath: file, contents: Data(text.utf8))
            // File times carry the commit timestamps too (the commit times without ICT).
            var times = [timespec(tv_sec: Int((base + Int64(v) * 1000) / 1000), tv_nsec: 0), timespec(tv_sec: Int((base + Int64(v) * 1000) / 1000), tv_nsec: 0)]
            _ = utimensat(AT_FDCWD, file, &times, 0)
        }
    }

    static func run(_ args: [String]) throws {
        let python = option("--python", args) ?? ProcessInfo.processInfo.environment["FLOE_PYTHON"]
        let script = option("--script", args) ?? "Tools/floe-bench/deltalake_bench.py"
        let dir = option("--dir", args) ?? NSTemporaryDirectory() + "floe-table-bench-\(getpid())"
        let sizes = (option("--sizes", args) ?? "1000,10000,100000").split(separator: ",").compactMap { Int($0) }
        let commits = Int(option("--commits", args) ?? "") ?? 300
        // Checkpoints where `delta.checkpointInterval` auto-checkpointing would have put the last
        // ones before the measured versions (0: one checkpoint at the latest version only).
        let interval = Int(option("--checkpoint-interval", args) ?? "") ?? 100
        // Synthetic tables with In-Commit Timestamps (Floe's default) instead of file times.
        let ict = args.contains("--ict")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let hasPython = python.map { FileManager.default.isExecutableFile(atPath: $0) } ?? false
        say("Table benchmark: durable commits of 100-row appends; opening and time travel at \(sizes.map(String.init).joined(separator: ", ")) commits")
        say("")

        // Commit throughput, after the disk's floor for any implementation of the commit protocol.
        if !args.contains("--open-only") {
            let floor = try diskFloor(directory: dir + "/floor", commits: commits)
            say(String(format: "disk floor: %.0f bare commits/s (1 KB temp file + fsync + link + log directory fsync, no data file, %d commits)", floor, commits))
        }
        for processes in args.contains("--open-only") ? [] : [1, 4] {
            let path = dir + "/commits-\(processes)"
            try Table(path: path).create(schema: schema)
            let perProcess = processes == 1 ? commits : commits / 2
            let start = now()
            let children = try (0..<processes).map { w in try spawnSelf(["table-append", path, String(w), String(perProcess)]) }
            for c in children { c.waitUntilExit(); guard c.terminationStatus == 0 else { throw BenchError("append child failed") } }
            let seconds = now() - start
            let total = processes * perProcess
            let rows = try Table(path: path).scan().readAll().reduce(0) { $0 + $1.count }
            guard rows == total * 100 else { throw BenchError("expected \(total * 100) rows, found \(rows)") }
            say(String(format: "Floe: %d process(es) x %d commits: %.0f durable commits/s (%.2f s), every append present", processes, perProcess, Double(total) / seconds, seconds))
            if hasPython, let python {
                let dpath = dir + "/dl-commits-\(processes)"
                let out = try runPythonText(python, [script, "commits", dpath, String(processes), String(max(10, perProcess / 10))])
                say("deltalake: " + out)
            }
        }
        say("")
        // Opening and time travel.
        for n in sizes {
            let path = dir + "/log-\(n)"
            let mid = Int64(n / 2)
            let table = Table(path: path)
            var checkpointSeconds = 0.0
            let tNoCkpt: Double
            if interval > 0 {
                // The newest multiples of the interval strictly below the middle and the latest
                // version: the worst case of commits to replay after a checkpoint.
                let cpMid = Int((mid - 1) / Int64(interval)) * interval, cpLatest = ((n - 1) / interval) * interval
                var written = 0
                for cp in Set([cpMid, cpLatest]).sorted() where cp > 0 {
                    try synthesize(path: path, versions: written..<(cp + 1), ict: ict)
                    written = cp + 1
                    let t0 = now()
                    try table.checkpoint()
                    checkpointSeconds += now() - t0
                }
                try synthesize(path: path, versions: written..<n, ict: ict)
                tNoCkpt = .nan
            } else {
                try synthesize(path: path, commits: n, ict: ict)
                tNoCkpt = try timeBest(3) { _ = try Table(path: path).snapshot() }
                let t0 = now()
                try table.checkpoint()
                checkpointSeconds = now() - t0
            }
            let tOpen = try timeBest(5) { _ = try Table(path: path).snapshot() }
            let tVersion = try timeBest(5) { _ = try Table(path: path).snapshot(version: mid) }
            let when = Date(timeIntervalSince1970: Double(1_767_225_600 + n / 2) + 0.5)
            let tTime = try timeBest(5) { _ = try Table(path: path).snapshot(asOf: when) }
            let setup = interval > 0
                ? String(format: "last checkpoints at multiples of %d before the versions read, writing them took %.0f ms", interval, checkpointSeconds * 1000)
                : String(format: "one checkpoint at the latest version; no checkpoint %.1f ms; writing the checkpoint took %.0f ms", tNoCkpt * 1000, checkpointSeconds * 1000)
            say((ict ? "ICT " : "") + String(format: "Floe, %6d commits: open latest %.1f ms, version %lld %.1f ms, timestamp %.1f ms",
                         n, tOpen * 1000, mid, tVersion * 1000, tTime * 1000) + " (\(setup))")
            if hasPython, let python {
                let out = try runPythonText(python, [script, "open", path, String(mid), String(1_767_225_600 + n / 2)])
                say(String(format: "deltalake, %6d commits: ", n) + out)
            }
        }
    }

    static func timeBest(_ times: Int, _ body: () throws -> Void) throws -> Double {
        var best = Double.infinity
        for _ in 0..<times {
            let s = now()
            try body()
            best = min(best, now() - s)
        }
        return best
    }

    static func spawnSelf(_ arguments: [String]) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        p.arguments = arguments
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        return p
    }

    static func runPythonText(_ python: String, _ arguments: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = arguments
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let out = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (String(data: out, encoding: .utf8) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
