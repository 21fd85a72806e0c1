import ArgumentParser
import Foundation
import Floe
import FloeColumnar

/// `floe demo [DIR]`: concurrent streaming writers, a consistent reader, history, time travel,
/// schema evolution and a filtered scan on one events table.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run a tour: concurrent writer processes, snapshot reads, history, time travel, schema evolution.",
        discussion: """
        Creates an events table in DIR (default: a new directory under the system temporary \
        directory), starts --writers `floe append --stream` processes that append small batches \
        concurrently for --seconds while this process prints consistent snapshot aggregates, then \
        shows the history, time travel by version and by timestamp, a schema evolution and a \
        filtered scan. Prints where the table is, so you can explore it with the other commands.

        Examples:
          floe demo
          floe demo /tmp/floe-events --writers 3 --seconds 5
        """)

    @Argument(help: "The table directory to create (must not hold a table).") var directory: String?
    @Option(help: ArgumentHelp("Concurrent writer processes.", valueName: "N")) var writers: Int = 4
    @Option(help: ArgumentHelp("How long the writers run.", valueName: "S")) var seconds: Double = 4

    func validate() throws {
        if let directory { try validateTablePath(directory) }
        if !(1...16).contains(writers) { throw ValidationError("--writers must be between 1 and 16, got \(writers)") }
        if !(seconds > 0 && seconds <= 60) { throw ValidationError("--seconds must be more than 0 and at most 60, got \(seconds)") }
    }

    func run() throws {
        let started = Date()
        let path: String
        if let directory {
            path = (directory as NSString).standardizingPath
        } else {
            let base = (NSTemporaryDirectory() as NSString).appendingPathComponent("floe-demo-" + UUID().uuidString.prefix(8).lowercased())
            path = (base as NSString).appendingPathComponent("events")
        }
        let absolute = path.hasPrefix("/") ? path : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
        let table = Table(path: absolute)
        if (try? table.latestVersion()) != nil {
            throw CLIError("\(absolute) already holds a table; give the demo a new directory")
        }
        signal(SIGPIPE, SIG_IGN)
        let say = Terminal.emit
        let rule = String(repeating: "─", count: 72)

        try say("Floe demo: one Delta table, \(writers) concurrent writer processes, snapshot-isolated reads.")
        try say("")
        try say("1. Create the events table")
        let ddl = "event_id long not null, writer string not null, seq long not null, ts timestamp not null, kind string, amount decimal(10,2)"
        let schema = try StructType(ddl: ddl)
        try table.create(schema: schema)
        try say("   floe create \(shellQuote(absolute)) --schema '\(ddl)'")
        try say("   → version 0")
        try say("")

        // 2. Writers.
        try say("2. \(writers) writer processes append for \(String(format: "%.0f", seconds)) s  (floe append --stream --app-id demo-wN)")
        try say("   while this process reads a snapshot every 0.5 s:")
        let executable = Self.executablePath()
        var children: [DemoWriter] = []
        for w in 1...writers {
            children.append(try DemoWriter(index: w, executable: executable, table: absolute))
        }
        let kinds = ["view", "view", "view", "click", "click", "purchase"]
        var generator = SystemRandomNumberGenerator()
        let writeEnd = Date().addingTimeInterval(seconds)
        var nextRead = Date().addingTimeInterval(0.5)
        var snapshot = try table.snapshot()
        var readings = 0
        var inconsistent = 0
        let firstTimestamp = snapshot.timestamp
        while Date() < writeEnd {
            for child in children where child.alive {
                let n = Int.random(in: 1...4, using: &generator)
                var text = ""
                for _ in 0..<n {
                    let seq = child.sent
                    child.sent += 1
                    let kind = kinds.randomElement(using: &generator) ?? "view"
                    let cents = kind == "purchase" ? Int.random(in: 500...25_000, using: &generator) : 0
                    let amount = kind == "purchase" ? String(format: "\"%d.%02d\"", cents / 100, cents % 100) : "null"
                    let micros = Int64(Date().timeIntervalSince1970 * 1_000_000)
                    text += "{\"event_id\":\(child.index * 1_000_000_000 + seq),\"writer\":\"w\(child.index)\",\"seq\":\(seq),\"ts\":\(micros),\"kind\":\"\(kind)\",\"amount\":\(amount)}\n"
                }
                child.send(text)
            }
            if Date() >= nextRead {
                nextRead = nextRead.addingTimeInterval(0.5)
                snapshot = try table.update(snapshot)
                let reading = try Self.aggregate(table, snapshot, writers: writers)
                readings += 1
                if !reading.consistent { inconsistent += 1 }
                try say(String(format: "   t=%4.1fs  ", Date().timeIntervalSince(started)) + Self.describe(reading, version: snapshot.version)
                    + (reading.consistent ? "   ✓ consistent" : "   ✗ INCONSISTENT"))
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        for child in children { child.closeInput() }
        let progress = ProgressLine()
        progress.update("   waiting for the writers to commit their last rows…", force: true)
        let deadline = Date().addingTimeInterval(45)
        for child in children {
            try child.wait(until: deadline)
        }
        progress.clear()
        snapshot = try table.update(snapshot)
        let final = try Self.aggregate(table, snapshot, writers: writers)
        let sent = children.reduce(Int64(0)) { $0 + Int64($1.sent) }
        let commits = children.reduce(0) { $0 + $1.commits }
        try say("   final:   " + Self.describe(final, version: snapshot.version))
        let exact = final.rows == sent && final.consistent
        try say("   \(exact ? "✓" : "✗") \(Format.count(sent)) rows sent in \(commits) commits by \(writers) processes; \(Format.count(final.rows)) in the table\(exact ? ", each exactly once" : "")")
        try say("   \(inconsistent == 0 ? "✓" : "✗") every one of \(readings) snapshot reads saw whole batches only (each writer's rows a gap-free prefix)")
        if !exact || inconsistent > 0 {
            throw CLIError("the demo found an inconsistency (\(final.rows) rows in the table, \(sent) sent); the table is at \(absolute)")
        }
        try say("")

        // 3. History.
        try say("3. History (newest first)   floe history \(shellQuote(absolute)) --limit 5")
        let history = try table.history()
        try say(indent(HistoryCommand.renderText(Array(history.prefix(5)))))
        try say("   … \(history.count) commits in all")
        try say("")

        // 4. Time travel.
        let middle = max(1, snapshot.version / 2)
        let byVersion = try table.snapshot(version: middle)
        let rowsThen = try Self.aggregate(table, byVersion, writers: writers).rows
        try say("4. Time travel")
        try say("   by version:   floe scan \(shellQuote(absolute)) --version \(middle)")
        try say("                 → \(Format.count(rowsThen)) rows at version \(middle) (now \(Format.count(final.rows)))")
        let stamp = byVersion.timestamp
        let isoStamp = Temporal.formatTimestamp(micros: stamp * 1000, utc: true)
        let resolved = try table.version(atOrBefore: Date(timeIntervalSince1970: Double(stamp) / 1000))
        try say("   by timestamp: floe scan \(shellQuote(absolute)) --timestamp \(isoStamp)")
        try say("                 → version \(resolved), committed at \(Format.time(millis: stamp))")
        do {
            _ = try table.version(atOrBefore: Date(timeIntervalSince1970: Double(firstTimestamp - 60_000) / 1000))
        } catch let e as DeltaError where e.code == .timestampBeforeFirstCommit {
            try say("   a minute before the table existed: error: \(e.message)")
        }
        try say("")

        // 5. Schema evolution.
        try say("5. Schema evolution: append rows with a new column, merging it into the schema")
        let newRows = """
            {"event_id":900000001,"writer":"cli","seq":0,"ts":"\(isoStamp)","kind":"purchase","amount":"42.50","country":"NL"}
            {"event_id":900000002,"writer":"cli","seq":1,"ts":"\(isoStamp)","kind":"view","country":"JP"}
            """
        try say("   echo '{…,\"country\":\"NL\"}' | floe append \(shellQuote(absolute)) --merge-schema")
        let decoder = RowDecoder(schema: try snapshot.arrowSchema(), allowsNewColumns: true)
        var splitter = RecordSplitter(format: .ndjson)
        for record in try splitter.feed(Array((newRows + "\n").utf8)) + (try splitter.finish()) { try decoder.append(record) }
        var options = WriteOptions()
        options.mergesSchema = true
        let evolved = try table.append(decoder.finish().map { [$0] } ?? [], options: options)
        snapshot = try table.snapshot()
        try say("   → version \(evolved.version); columns now: \(snapshot.schema.fieldNames.joined(separator: ", "))")
        try say("   older rows read the new column as null:")
        let evolvedScan = try table.scan(snapshot, columns: ["event_id", "writer", "kind", "amount", "country"],
                                         where: try Condition(sql: "writer IN ('cli', 'w1') AND seq < 2", schema: try snapshot.arrowSchema()))
        try say(indent(try Self.renderTable(evolvedScan, limit: 6)))
        try say("")

        // 6. Filtered scan.
        let predicate = "kind = 'purchase' AND amount >= 100 AND writer <> 'cli'"
        try say("6. A filtered scan   floe scan \(shellQuote(absolute)) --columns writer,seq,kind,amount,ts --where \"\(predicate)\" --limit 5")
        let filtered = try table.scan(snapshot, columns: ["writer", "seq", "kind", "amount", "ts"],
                                      where: try Condition(sql: predicate, schema: try snapshot.arrowSchema()))
        try say(indent(try Self.renderTable(filtered, limit: 5)))
        try say("")

        // 7. SQL over the table, now and as of an earlier version, through SQLite virtual tables.
        let sql = "SELECT n.writer, count(*) AS events, round(sum(n.amount), 2) AS revenue, "
            + "(SELECT count(*) FROM old o WHERE o.writer = n.writer) AS events_at_v\(middle) "
            + "FROM events n GROUP BY n.writer ORDER BY n.writer"
        try say("7. SQL, with time travel   floe sql \"\(sql)\" --table events=\(shellQuote(absolute)) --table old=\(shellQuote(absolute))@\(middle)")
        try say(indent(try Self.runSQL(executable: executable, sql: sql, tables: ["events=\(absolute)", "old=\(absolute)@\(middle)"])))
        try say("")

        try say(rule)
        try say(String(format: "Done in %.1f s. The table is at:", Date().timeIntervalSince(started)))
        try say("  \(absolute)")
        try say("Explore it:")
        try say("  floe describe \(shellQuote(absolute))")
        try say("  floe history \(shellQuote(absolute))")
        try say("  floe files \(shellQuote(absolute))")
        try say("  floe scan \(shellQuote(absolute)) --where \"writer = 'w1' AND seq < 10\"")
        try say("  floe scan \(shellQuote(absolute)) --version 1 --format ndjson")
    }

    struct Reading {
        var rows: Int64
        var perWriter: [Int64]
        var consistent: Bool
    }

    /// `version  12  rows  1,234  w1 300 · w2 310 …`, padded so that successive lines align.
    static func describe(_ reading: Reading, version: Int64) -> String {
        func pad(_ s: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - s.count)) + s }
        return "version " + pad(String(version), 3) + "  rows " + pad(Format.count(reading.rows), 6) + "   "
            + reading.perWriter.enumerated().map { "w\($0.offset + 1) " + pad(String($0.element), 4) }.joined(separator: " · ")
    }

    /// Rows per writer in a snapshot, and whether each writer's sequence numbers are 0..<count.
    static func aggregate(_ table: Table, _ snapshot: Snapshot, writers: Int) throws -> Reading {
        var counts = [Int64](repeating: 0, count: writers)
        var maxSeq = [Int64](repeating: -1, count: writers)
        var rows: Int64 = 0
        var batches = try table.scan(snapshot, columns: ["writer", "seq"]).batches()
        while let batch = try batches.next() {
            rows += Int64(batch.count)
            let w = batch.columns[0], s = batch.columns[1]
            for i in 0..<batch.count {
                guard case .string(let name) = w.scalar(at: i), name.hasPrefix("w"), let k = Int(name.dropFirst()),
                      k >= 1, k <= writers, case .int(let seq) = s.scalar(at: i) else { continue }
                counts[k - 1] += 1
                maxSeq[k - 1] = max(maxSeq[k - 1], seq)
            }
        }
        let consistent = zip(counts, maxSeq).allSatisfy { $0 == $1 + 1 }
        return Reading(rows: rows, perWriter: counts, consistent: consistent)
    }

    /// Rows of a scan in the aligned table format, as a string.
    static func renderTable(_ scan: Scan, limit: Int) throws -> String {
        var rows: [[String]] = [scan.schema.fields.map(\.name)]
        var numeric = Set<Int>()
        for (i, f) in scan.schema.fields.enumerated() {
            switch f.dataType {
            case .int8, .int16, .int32, .int64, .float32, .float64, .decimal: numeric.insert(i)
            default: break
            }
        }
        var it = try scan.batches()
        outer: while let batch = try it.next() {
            for r in 0..<batch.count {
                if rows.count > limit { break outer }
                rows.append(batch.schema.fields.enumerated().map { k, f in
                    let v = batch.columns[k].scalar(at: r)
                    return v.isNull ? "NULL" : ValueEncoding.text(v, f.dataType)
                })
            }
        }
        return Format.columns(rows, rightAligned: numeric) + "\n(\(rows.count - 1) row\(rows.count == 2 ? "" : "s"))"
    }

    func indent(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { "   " + $0 }.joined(separator: "\n")
    }

    /// Runs `floe sql` as a child process and returns its table output.
    static func runSQL(executable: String, sql: String, tables: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["sql", sql] + tables.flatMap { ["--table", $0] }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        do { try process.run() } catch {
            throw CLIError("cannot start \(executable): \(error.localizedDescription)")
        }
        let text = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CLIError("floe sql failed: \(String(decoding: errors, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        return String(decoding: text, as: UTF8.self).trimmingCharacters(in: .newlines)
    }

    /// This executable, to start writer processes.
    static func executablePath() -> String {
        #if os(Linux)
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return resolved }
        #endif
        if let path = Bundle.main.executablePath { return path }
        return CommandLine.arguments[0]
    }
}

/// Quotes a path for a shell command line when needed.
func shellQuote(_ s: String) -> String {
    if s.allSatisfy({ $0.isLetter || $0.isNumber || "/._-+:@".contains($0) }) { return s }
    return "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
}

/// One `floe append --stream` child process fed through its standard input.
final class DemoWriter: @unchecked Sendable {
    let index: Int
    let process = Process()
    let stdin = Pipe()
    let stdout = Pipe()
    let stderr = Pipe()
    var sent = 0
    private let lock = NSLock()
    private var committed = 0
    private var errorText = Data()
    private let readers = DispatchGroup()
    private(set) var alive = true

    init(index: Int, executable: String, table: String) throws {
        self.index = index
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["append", table, "--stream", "--batch-rows", "200", "--batch-interval-ms", "150",
                             "--app-id", "demo-w\(index)"]
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        do { try process.run() } catch {
            throw CLIError("cannot start writer process \(executable): \(error.localizedDescription)")
        }
        // Drain the child's output on background threads.
        readers.enter()
        Thread { [self] in
            let handle = stdout.fileHandleForReading
            var buffer = Data()
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                buffer.append(chunk)
                let lines = buffer.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
                let complete = lines.dropLast().filter { !$0.isEmpty }.count
                if let last = buffer.lastIndex(of: UInt8(ascii: "\n")) { buffer = Data(buffer[buffer.index(after: last)...]) }
                lock.lock(); committed += complete; lock.unlock()
            }
            readers.leave()
        }.start()
        readers.enter()
        Thread { [self] in
            let data = stderr.fileHandleForReading.readDataToEndOfFile()
            lock.lock(); errorText = data; lock.unlock()
            readers.leave()
        }.start()
    }

    var commits: Int { lock.lock(); defer { lock.unlock() }; return committed }

    /// Writes rows to the child; a child that has exited stops being fed.
    func send(_ text: String) {
        guard alive else { return }
        let fd = stdin.fileHandleForWriting.fileDescriptor
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                alive = false
                return
            }
            bytes = bytes.dropFirst(n)
        }
    }

    func closeInput() {
        try? stdin.fileHandleForWriting.close()
    }

    /// Waits for the child to commit its last batch and exit.
    func wait(until deadline: Date) throws {
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning {
            process.terminate()
            throw CLIError("writer process \(index) did not finish in time")
        }
        _ = readers.wait(timeout: .now() + 5)
        if process.terminationStatus != 0 {
            lock.lock(); let text = String(decoding: errorText, as: UTF8.self); lock.unlock()
            let line = text.split(separator: "\n").first.map(String.init) ?? "exit status \(process.terminationStatus)"
            throw CLIError("writer process \(index) failed: \(line)")
        }
    }
}
