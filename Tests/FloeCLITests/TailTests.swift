import Foundation
import Testing

/// A `floe` process running in the background with its output in files.
final class BackgroundFloe {
    let process = Process()
    let scratch: String
    var outPath: String { scratch + "/stdout" }
    var errPath: String { scratch + "/stderr" }

    init(_ arguments: [String]) throws {
        scratch = NSTemporaryDirectory() + "floe-cli-bg-" + UUID().uuidString.lowercased()
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: scratch + "/stdout", contents: nil)
        _ = FileManager.default.createFile(atPath: scratch + "/stderr", contents: nil)
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        try process.run()
    }

    var stdout: String { (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "" }
    var lines: [String] { stdout.split(separator: "\n").map(String.init) }

    /// Waits until stdout holds `count` complete lines, or `timeout` seconds.
    func waitForLines(_ count: Int, timeout: TimeInterval = 60) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if stdout.filter({ $0 == "\n" }).count >= count { return true }
            if !process.isRunning { return stdout.filter({ $0 == "\n" }).count >= count }
            Thread.sleep(forTimeInterval: 0.01)
        }
        return false
    }

    /// Sends `signal` and waits for the exit status (a kill after `timeout` seconds).
    func stop(_ signal: Int32, timeout: TimeInterval = 30) -> Int32 {
        kill(process.processIdentifier, signal)
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.005) }
        if process.isRunning {
            Issue.record("floe did not stop within \(timeout) s of signal \(signal)")
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(atPath: scratch)
    }
}

@Suite("floe tail")
struct TailTests {
    /// The `id` and `_commit_version` of ndjson rows.
    static func ids(_ lines: [String]) throws -> [(id: Int, version: Int)] {
        try lines.map { line in
            guard let o = try CLI.json(line) as? [String: Any], let id = o["id"] as? Int, let v = o["_commit_version"] as? Int else {
                throw HarnessError("not a tail row: \(line)")
            }
            return (id, v)
        }
    }

    static func makeTable(_ label: String, rows: [Int]) throws -> String {
        let table = CLI.scratch(label)
        expectSuccess(try CLI.run(["create", table, "--schema", "id long not null, kind string"]))
        for id in rows { expectSuccess(try CLI.run(["append", table], stdin: "{\"id\":\(id),\"kind\":\"k\"}\n")) }
        return table
    }

    @Test("prints the snapshot, then commits, with _commit_version and _commit_timestamp; starts, --columns, --where, csv")
    func printsRowsWithCommitColumns() throws {
        let table = try Self.makeTable("tail-rows", rows: [1, 2, 3])  // v1...v3
        defer { CLI.cleanup(table) }
        let all = try CLI.run(["tail", table])
        expectSuccess(all)
        #expect(try Self.ids(all.stdoutLines).map(\.id).sorted() == [1, 2, 3])
        #expect(try Self.ids(all.stdoutLines).allSatisfy { $0.version == 3 })  // the snapshot's version
        #expect(all.stdoutLines.first?.contains("\"_commit_timestamp\":\"20") == true)

        let from2 = try CLI.run(["tail", table, "--from-version", "2"])
        expectSuccess(from2)
        #expect(try Self.ids(from2.stdoutLines).map { "\($0.id)@\($0.version)" } == ["2@2", "3@3"])

        let filtered = try CLI.run(["tail", table, "--from-version", "1", "--columns", "id", "--where", "id >= 2", "--format", "csv"])
        expectSuccess(filtered)
        #expect(filtered.stdoutLines.first == "id,_commit_version,_commit_timestamp")
        #expect(filtered.stdoutLines.dropFirst().map { $0.split(separator: ",").prefix(2).joined(separator: ",") } == ["2,2", "3,3"])

        let latest = try CLI.run(["tail", table, "--from-latest"])
        expectSuccess(latest)
        #expect(latest.stdout.isEmpty)
        let tableFormat = try CLI.run(["tail", table, "--format", "table"])
        expectSuccess(tableFormat)
        #expect(tableFormat.stdout.contains("(3 rows)"))
    }

    @Test("bad inputs: start beyond the latest, malformed timestamp, combined starts, bad group names, unknown columns, cleaned-up versions")
    func badInputs() throws {
        let table = try Self.makeTable("tail-bad", rows: [1, 2, 3, 4])
        defer { CLI.cleanup(table) }
        expectError(try CLI.run(["tail", table, "--from-version", "9"]), "start version 9", "latest version is 4")
        expectUsageError(try CLI.run(["tail", table, "--from-timestamp", "yesterday-ish"]), "--from-timestamp")
        expectUsageError(try CLI.run(["tail", table, "--from-version", "1", "--from-latest"]), "cannot be combined")
        expectUsageError(try CLI.run(["tail", table, "--from-version", "-1"]))
        expectUsageError(try CLI.run(["tail", table, "--group", "../etc"]), "--group")
        expectUsageError(try CLI.run(["tail", table, "--group", "a/b"]), "--group")
        expectUsageError(try CLI.run(["tail", table, "--max-files", "0"]), "--max-files")
        expectUsageError(try CLI.run(["tail", table, "--on-change", "ignore"]))
        expectError(try CLI.run(["tail", table, "--columns", "nope"]), "unknown column 'nope'")
        expectError(try CLI.run(["tail", table, "--where", "id >"]))
        expectError(try CLI.run(["tail", table + "-missing"]))
        // A timestamp after the latest commit means: only new commits.
        let future = try CLI.run(["tail", table, "--from-timestamp", "2999-01-01T00:00:00Z"])
        expectSuccess(future)
        #expect(future.stdout.isEmpty)

        expectSuccess(try CLI.run(["checkpoint", table]))
        for v in 0...2 { try FileManager.default.removeItem(atPath: table + "/_delta_log/" + String(format: "%020d.json", v)) }
        expectError(try CLI.run(["tail", table, "--from-version", "1"]), "version 1", "no longer in the log")
        expectSuccess(try CLI.run(["tail", table, "--from-version", "3"]))
    }

    @Test("commits that remove data: fail names the version, skip drops them, cdf prints _change_type; optimize prints nothing")
    func removalPolicies() throws {
        let table = try Self.makeTable("tail-removal", rows: [1, 2])  // v1, v2
        defer { CLI.cleanup(table) }
        expectSuccess(try CLI.run(["optimize", table]))  // v3: dataChange=false
        expectSuccess(try CLI.run(["alter", table, "set-property", "delta.enableChangeDataFeed=true"]))  // v4
        expectSuccess(try CLI.run(["overwrite", table], stdin: "{\"id\":5,\"kind\":\"o\"}\n"))  // v5
        let optimized = try CLI.run(["tail", table, "--from-version", "1", "--on-change", "skip"])
        expectSuccess(optimized)
        #expect(try Self.ids(optimized.stdoutLines).map { "\($0.id)@\($0.version)" } == ["1@1", "2@2"])

        let failed = try CLI.run(["tail", table, "--from-version", "1"])
        expectError(failed, "version 5", "removes data")
        #expect(try Self.ids(failed.stdoutLines).map(\.id) == [1, 2])  // what came before is printed

        let cdf = try CLI.run(["tail", table, "--from-version", "5", "--on-change", "cdf"])
        expectSuccess(cdf)
        let changes = try cdf.stdoutLines.map { line -> String in
            let o = try #require(try CLI.json(line) as? [String: Any])
            return "\(o["id"] ?? "")/\(o["_change_type"] ?? "")"
        }
        #expect(changes.sorted() == ["1/delete", "2/delete", "5/insert"])
    }

    @Test("a group starts from the beginning when new, then resumes where it committed")
    func groupsResume() throws {
        let table = try Self.makeTable("tail-group", rows: [1, 2])
        defer { CLI.cleanup(table) }
        let first = try CLI.run(["tail", table, "--group", "g"])
        expectSuccess(first)
        #expect(try Self.ids(first.stdoutLines).map(\.id).sorted() == [1, 2])
        let nothing = try CLI.run(["tail", table, "--group", "g"])
        expectSuccess(nothing)
        #expect(nothing.stdout.isEmpty)
        expectSuccess(try CLI.run(["append", table], stdin: "{\"id\":3,\"kind\":\"k\"}\n"))
        let next = try CLI.run(["tail", table, "--group", "g"])
        expectSuccess(next)
        #expect(try Self.ids(next.stdoutLines).map { "\($0.id)@\($0.version)" } == ["3@3"])
        // A start option repositions the group.
        let again = try CLI.run(["tail", table, "--group", "g", "--from-version", "2"])
        #expect(try Self.ids(again.stdoutLines).map(\.id) == [2, 3])
        #expect(FileManager.default.fileExists(atPath: table + "/_floe/groups/g"))
        // Delta readers and vacuum ignore _floe.
        expectSuccess(try CLI.run(["vacuum", table, "--retain-hours", "0", "--force"]))
        #expect(FileManager.default.fileExists(atPath: table + "/_floe/groups/g"))
    }

    @Test("--follow prints new commits until SIGTERM, then exits 0 with the group's offset committed")
    func followStopsOnSigterm() throws {
        let table = try Self.makeTable("tail-follow", rows: [1])
        defer { CLI.cleanup(table) }
        let follower = try BackgroundFloe(["tail", table, "--follow", "--group", "live"])
        #expect(follower.waitForLines(1))
        expectSuccess(try CLI.run(["append", table], stdin: "{\"id\":2,\"kind\":\"k\"}\n{\"id\":3,\"kind\":\"k\"}\n"))
        #expect(follower.waitForLines(3))
        #expect(follower.stop(SIGTERM) == 0)
        #expect(follower.stderr.isEmpty)
        #expect(try Self.ids(follower.lines).map { "\($0.id)@\($0.version)" } == ["1@1", "2@2", "3@2"])
        expectSuccess(try CLI.run(["append", table], stdin: "{\"id\":4,\"kind\":\"k\"}\n"))
        let rest = try CLI.run(["tail", table, "--group", "live"])
        expectSuccess(rest)
        #expect(try Self.ids(rest.stdoutLines).map(\.id) == [4])  // exactly after what was printed

        let interrupted = try BackgroundFloe(["tail", table, "--follow", "--from-latest"])
        Thread.sleep(forTimeInterval: 0.3)
        #expect(interrupted.stop(SIGINT) == 0)
    }

    @Test("a group consumer killed with SIGKILL mid-follow and restarted misses no row (duplicates only at-least-once)")
    func killedConsumerHasNoGap() throws {
        let table = try Self.makeTable("tail-kill", rows: [])
        defer { CLI.cleanup(table) }
        let writer = Thread {
            for id in 1...40 {
                _ = try? CLI.run(["append", table], stdin: "{\"id\":\(id),\"kind\":\"k\"}\n")
            }
        }
        var outputs: [String] = []
        var consumer = try BackgroundFloe(["tail", table, "--follow", "--group", "crash"])
        writer.start()
        for round in 1...3 {
            _ = consumer.waitForLines(5 * round, timeout: 30)
            outputs += consumer.lines
            _ = consumer.stop(SIGKILL)
            consumer = try BackgroundFloe(["tail", table, "--follow", "--group", "crash"])
        }
        while !writer.isFinished { Thread.sleep(forTimeInterval: 0.05) }
        #expect(try CLI.version(of: table) == 40)
        Thread.sleep(forTimeInterval: 0.5)
        #expect(consumer.stop(SIGTERM) == 0)
        outputs += consumer.lines
        // Whatever remains after the last consumer's committed offset.
        let rest = try CLI.run(["tail", table, "--group", "crash"])
        expectSuccess(rest)
        outputs += rest.stdoutLines
        // A killed process may leave a torn last line; every complete row counts.
        let rows = outputs.compactMap { line in try? Self.ids([line]).first }
        #expect(Set(rows.map(\.id)) == Set(1...40))
        for row in rows { #expect(row.version == row.id, "id \(row.id) printed with version \(row.version)") }
    }
}
