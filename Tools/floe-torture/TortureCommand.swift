import ArgumentParser
import Foundation
import Floe

/// `floe-torture`: concurrency and crash torture of Floe tables with real processes.
///
/// Each scenario prints one `torture <scenario>: ...` figure line and exits non-zero when an
/// invariant broke (each broken invariant is printed as `torture VIOLATION ...` on standard error).
/// See Spec/TESTING.md.
@main
struct TortureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "floe-torture",
        abstract: "Concurrency, crash, disk-full and read-only torture of Floe tables with real processes.",
        discussion: """
        Writers and readers are separate processes: this executable in worker mode, and the `floe` \
        executable built next to it (for idempotent `floe append --app-id/--txn-version`). Sizes \
        suit CI (about a minute on 2 cores in a debug build); --soak runs much longer. Random \
        choices follow --seed (printed), so a failing run can be repeated.

        Examples:
          floe-torture                          # every scenario, CI sizes
          floe-torture concurrency --writers 32 --appends 20
          floe-torture crash --soak
        """,
        subcommands: [AllScenarios.self, ConcurrencyScenario.self, CrashScenario.self, IdempotentScenario.self,
                      DiskFullScenario.self, ReadOnlyScenario.self, WriterWorker.self, ReaderWorker.self],
        defaultSubcommand: AllScenarios.self)
}

/// Options every scenario takes.
struct TortureOptions: ParsableArguments {
    @Flag(help: "Run long: many more writers, appends and kills.") var soak = false
    @Option(help: "Seed of the random choices (default: random, printed).") var seed: UInt64?
    @Option(help: ArgumentHelp("Where scratch tables go (default: the temporary directory).", valueName: "DIR"))
    var dir: String?
    @Flag(help: "Keep the scratch tables.") var keep = false
}

/// Sizes a scenario takes, with CI and soak defaults.
struct SizeOptions: ParsableArguments {
    @Option(help: "Writer processes (default: 32 for concurrency, 4 otherwise; soak 32/8).") var writers: Int?
    @Option(help: "Appends per writer (default: 4 for concurrency, 16 otherwise; soak 40/150).") var appends: Int?
    @Option(help: "Reader processes (default 2).") var readers: Int = 2
    @Option(help: "Rows per append (default 20).") var rows: Int = 20
    @Option(help: "Kills to survive in crash and idempotent (default 24; soak 400).") var kills: Int?

    func validate() throws {
        if let writers, !(1...200).contains(writers) { throw ValidationError("--writers must be 1...200") }
        if let appends, !(1...5000).contains(appends) { throw ValidationError("--appends must be 1...5000") }
        if !(0...32).contains(readers) { throw ValidationError("--readers must be 0...32") }
        if !(1...50_000).contains(rows) { throw ValidationError("--rows must be 1...50000") }
        if let kills, kills < 0 { throw ValidationError("--kills must not be negative") }
    }
}

/// What a scenario run needs: paths, the random generator, and the violations found.
final class TortureRun {
    let options: TortureOptions
    let scratch: String
    let executable: String
    var random: SeededGenerator
    let seed: UInt64
    private(set) var violations: [String] = []

    init(options: TortureOptions, name: String) throws {
        self.options = options
        seed = options.seed ?? UInt64.random(in: 1...UInt64(UInt32.max))
        random = SeededGenerator(seed: seed)
        guard let executable = Bundle.main.executablePath else { throw TortureFailure("cannot find this executable's path") }
        self.executable = executable
        let parent = options.dir ?? NSTemporaryDirectory()
        scratch = (parent as NSString).appendingPathComponent("floe-torture-\(name)-\(getpid())-\(seed)")
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    }

    /// The `floe` executable next to this one.
    var floeExecutable: String {
        ((executable as NSString).deletingLastPathComponent as NSString).appendingPathComponent("floe")
    }

    func violation(_ text: String) {
        violations.append(text)
        warn("torture VIOLATION: \(text)")
    }

    func check(_ condition: Bool, _ text: @autoclosure () -> String) {
        if !condition { violation(text()) }
    }

    /// Removes the scratch directory, unless asked to keep it or an invariant broke (then its
    /// tables and process logs are kept for inspection).
    func finish() {
        if options.keep || !violations.isEmpty {
            warn("torture: scratch tables and logs kept in \(scratch)")
        } else {
            try? FileManager.default.removeItem(atPath: scratch)
        }
    }

    /// Starts a `worker-write` process.
    func startWriter(table: String, writer: Int, first: Int, count: Int, rows: Int, acks: String?, pad: Int = 0,
                     appID: String? = nil, failPoint: String? = nil, log: String) throws -> ChildProcess {
        var arguments = ["worker-write", "--table", table, "--writer", String(writer), "--first", String(first),
                         "--count", String(count), "--rows", String(rows), "--pad", String(pad)]
        if let acks { arguments += ["--acks", acks] }
        if let appID { arguments += ["--app-id", appID] }
        return try ChildProcess(executable, arguments, environment: ["FLOE_FAILPOINT": failPoint], logPrefix: log)
    }

    /// Starts reader processes; stop them with ``stopReaders(_:)``.
    func startReaders(_ count: Int, table: String, rows: Int) throws -> Readers {
        let stop = scratch + "/stop-readers"
        try? FileManager.default.removeItem(atPath: stop)
        var processes: [(ChildProcess, LineLog)] = []
        for i in 0..<count {
            let out = LineLog(path: scratch + "/reader-\(i).log")
            try? FileManager.default.removeItem(atPath: out.path)
            let process = try ChildProcess(executable, ["worker-read", "--table", table, "--rows", String(rows), "--stop", stop,
                                                        "--out", out.path], logPrefix: scratch + "/reader-\(i)")
            processes.append((process, out))
        }
        return Readers(stopFile: stop, processes: processes)
    }

    /// Stops the readers and checks their reports; returns the total scans and the most versions one saw.
    func stopReaders(_ readers: Readers) -> (scans: Int, versions: Int) {
        _ = FileManager.default.createFile(atPath: readers.stopFile, contents: nil)
        var scans = 0, versions = 0
        for (i, (process, out)) in readers.processes.enumerated() {
            let termination = process.wait()
            let report = ReaderReport(out)
            for v in report.violations { violation("reader \(i): \(v)") }
            if termination != .exited(0) && report.violations.isEmpty {
                violation("reader \(i) ended with \(termination): \(process.errorTail)")
            }
            if report.scans == 0 { violation("reader \(i) completed no scan") }
            scans += report.scans
            versions = max(versions, report.versions)
        }
        return (scans, versions)
    }

    /// Checks the table at the end of a scenario: it opens, versions are contiguous, every commit
    /// is one whole append, time travel to a sample of versions finds one data file per commit,
    /// every batch is complete and has unique ids, every acknowledged batch is present and nothing
    /// that was never sent is.
    ///
    /// - Returns: The latest contents.
    @discardableResult
    func audit(table path: String, rows: Int, acknowledged: Set<BatchKey>, sent: Set<BatchKey>) -> TableContents? {
        let table = Table(path: path)
        let contents: TableContents
        do {
            contents = try TableContents(table: table, snapshot: try table.snapshot())
        } catch {
            violation("the table does not open or scan: \(error)")
            return nil
        }
        if let gap = TableFiles.gap(in: TableFiles.commitVersions(path)) { violation("commit versions are not contiguous: \(gap)") }
        let partial = contents.incompleteBatches { _ in rows }
        check(partial.isEmpty, "partial batches visible: \(partial.prefix(5).map { "\($0) has \(contents.batches[$0] ?? 0) rows" })")
        check(contents.duplicateIDs == 0, "\(contents.duplicateIDs) duplicate ids")
        let missing = acknowledged.subtracting(contents.batches.keys).sorted()
        check(missing.isEmpty, "\(missing.count) acknowledged appends are missing, e.g. \(missing.prefix(5))")
        let phantom = Set(contents.batches.keys).subtracting(sent).sorted()
        check(phantom.isEmpty, "batches never sent are present: \(phantom.prefix(5))")
        check(contents.rows == rows * Int(contents.version),
              "version \(contents.version) has \(contents.rows) rows, not \(rows) per commit")
        // No partial commit at any version: every commit after the creation holds its commitInfo
        // and exactly one add (one batch, one file) and nothing else of data.
        for version in TableFiles.commitVersions(path) where version > 0 {
            let name = String(format: "%020lld.json", version)
            guard let text = try? String(contentsOfFile: path + "/_delta_log/" + name, encoding: .utf8) else {
                violation("commit \(version) cannot be read")
                continue
            }
            var kinds: [String: Int] = [:]
            for line in text.split(separator: "\n") {
                guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], let kind = object.keys.first else {
                    violation("commit \(version) has a line that is not a JSON action: \(line.prefix(80))")
                    continue
                }
                kinds[kind, default: 0] += 1
            }
            check(kinds["commitInfo"] == 1 && kinds["add"] == 1 && kinds["remove"] == nil,
                  "commit \(version) is not one whole append: \(kinds.sorted { $0.key < $1.key })")
        }
        // Time travel to a sample of versions (the first, the last, around checkpoints, random ones):
        // version v has exactly v one-file appends.
        var sample: Set<Int64> = [0, contents.version]
        for v in stride(from: Int64(5), through: contents.version, by: 5) where sample.count < 16 { sample.formUnion([v - 1, v]) }
        while sample.count < min(32, Int(contents.version) + 1) { sample.insert(Int64.random(in: 0...contents.version, using: &random)) }
        for version in sample.sorted() {
            do {
                let files = try table.snapshot(version: version).activeFiles.count
                check(files == Int(version), "version \(version) has \(files) data files, not \(version)")
            } catch {
                violation("version \(version) does not open: \(error)")
            }
        }
        return contents
    }

    /// Removes orphaned files with vacuum (retention 0) and checks it removed exactly the files no
    /// version refers to, and nothing the table needs.
    func vacuumOrphans(table path: String, rows: Int) -> (orphans: Int, temporary: Int, removed: Int) {
        let table = Table(path: path)
        do {
            let before = try table.snapshot()
            let referenced = Set(before.activeFiles.map(\.path))
            let onDisk = TableFiles.dataFiles(path)
            let orphans = onDisk.subtracting(referenced)
            let temporary = TableFiles.temporaryFiles(path)
            TableFiles.age(path)
            let result = try table.vacuum(retentionHours: 0, enforceRetentionDuration: false)
            let after = TableFiles.dataFiles(path)
            check(after == referenced, "after vacuum the data files are not exactly the referenced ones (\(after.count) on disk, \(referenced.count) referenced)")
            let left = TableFiles.temporaryFiles(path)
            check(left.data == 0 && left.log == 0, "vacuum left \(left.data) temporary data files and \(left.log) temporary log files")
            check(result.files.count == orphans.count + temporary.data + temporary.log,
                  "vacuum removed \(result.files.count) files, expected \(orphans.count) orphans + \(temporary.data + temporary.log) temporary")
            let contents = try TableContents(table: table, snapshot: try table.snapshot())
            check(contents.rows == rows * Int(before.version), "after vacuum the table has \(contents.rows) rows, not \(rows * Int(before.version))")
            return (orphans.count, temporary.data + temporary.log, result.files.count)
        } catch {
            violation("vacuum failed: \(error)")
            return (0, 0, 0)
        }
    }

    /// Prints the scenario's figure line and its verdict.
    func report(_ scenario: String, _ figures: String) {
        let verdict = violations.isEmpty ? "ok" : "\(violations.count) VIOLATIONS"
        say("torture \(scenario): \(figures); seed \(seed); \(verdict)")
    }
}

/// Running reader processes.
struct Readers {
    var stopFile: String
    var processes: [(ChildProcess, LineLog)]
}

/// A scenario: runs, checks, prints its figure line.
protocol Scenario {
    var name: String { get }
    func run(_ run: TortureRun) throws
}

/// Runs `scenario` in a fresh scratch directory; returns its violation count.
func execute(_ scenario: some Scenario, options: TortureOptions) throws -> Int {
    let name = scenario.name
    let run = try TortureRun(options: options, name: name)
    defer { run.finish() }
    do {
        try scenario.run(run)
    } catch let failure as TortureFailure {
        run.violation("\(name): \(failure)")
        run.report(name, "stopped early")
    }
    return run.violations.count
}

/// Scenario sizes: explicit options, else the CI or soak defaults.
struct Sizes {
    var writers: Int
    var appends: Int
    var readers: Int
    var rows: Int
    var kills: Int

    /// - Parameter concurrency: The concurrency scenario's defaults (many writers, few appends).
    init(_ options: SizeOptions, soak: Bool, concurrency: Bool) {
        writers = options.writers ?? (concurrency ? 32 : (soak ? 8 : 4))
        appends = options.appends ?? (concurrency ? (soak ? 40 : 4) : (soak ? 150 : 16))
        readers = options.readers
        rows = options.rows
        kills = options.kills ?? (soak ? 400 : 24)
    }
}

/// A scenario's command: its options, run through ``execute(_:options:)``.
protocol ScenarioCommand: ParsableCommand {
    var common: TortureOptions { get }
    var sizes: SizeOptions { get }
    func scenario() -> any Scenario
}

extension ScenarioCommand {
    func run() throws {
        if try execute(scenario(), options: common) > 0 { throw ExitCode(1) }
    }
}

/// `floe-torture all` (the default): every scenario in turn.
struct AllScenarios: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "all", abstract: "Run every scenario (the default).")
    @OptionGroup var common: TortureOptions
    @OptionGroup var sizes: SizeOptions

    func run() throws {
        let started = monotonicSeconds()
        let scenarios: [any Scenario] = [
            ConcurrencyTest(sizes: Sizes(sizes, soak: common.soak, concurrency: true)),
            CrashTest(sizes: Sizes(sizes, soak: common.soak, concurrency: false), idempotent: false),
            CrashTest(sizes: Sizes(sizes, soak: common.soak, concurrency: false), idempotent: true),
            DiskFullTest(),
            ReadOnlyTest(),
        ]
        var violations = 0
        for scenario in scenarios { violations += try execute(scenario, options: common) }
        say("torture all: \(violations) violations in \(String(format: "%.1f", monotonicSeconds() - started)) s")
        if violations > 0 { throw ExitCode(1) }
    }
}
