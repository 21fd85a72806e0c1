import ArgumentParser
import Foundation
import Floe
import FloeColumnar
import Synchronization

/// `floe tail TABLE`: print a table's rows as a stream of commits, optionally following new ones,
/// with a consumer group's resumable offset.
struct TailCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tail",
        abstract: "Print a table's committed rows as a stream, optionally following new commits.",
        discussion: """
        Prints the rows of each commit in version order, each with the table's columns (or \
        --columns) followed by _commit_version and _commit_timestamp (and _change_type before \
        them with --on-change cdf). Without a start option the tail begins with the table's \
        current snapshot, then the commits after it; --from-version V starts at commit V \
        (inclusive), --from-timestamp T at the first commit at or after T, --from-latest with the \
        next commit. Without --follow it stops at the version that was the latest when it \
        started; with --follow it runs until SIGINT or SIGTERM, then exits 0.

        --group NAME keeps the position in the table (under _floe/groups/NAME): a group that has \
        committed resumes after the last row it committed; a new group starts as without a group \
        (from the beginning unless a start option is given); a start option given with a group \
        overrides its position. The position is committed after the printed rows are flushed: a \
        consumer killed in between prints those rows again when restarted (at-least-once), never \
        skips any.

        Commits that remove data (overwrite, DELETE, UPDATE, MERGE) stop the tail with an error \
        by default (--on-change fail); skip drops such commits; cdf prints their change rows \
        from the change data feed. Commits that only rewrite files (optimize) print nothing.

        Examples:
          floe tail events
          floe tail events --follow --group billing
          floe tail events --from-version 12 --where "kind = 'click'" --columns id,kind
          floe tail events --from-timestamp 2026-11-24T10:00:00Z --format csv
          floe tail events --follow --from-latest --on-change cdf
        """)

    @Argument(help: "The table directory.") var table: String
    @Option(name: .customLong("from-version"), help: ArgumentHelp("Start at this commit version (inclusive).", valueName: "V"))
    var fromVersion: Int64?
    @Option(name: .customLong("from-timestamp"), help: ArgumentHelp("Start at the first commit at or after this time: ISO-8601 (2026-11-24T10:00:00Z, an offset, or a date) or milliseconds since the epoch.", valueName: "T"))
    var fromTimestamp: TimestampArgument?
    @Flag(name: .customLong("from-latest"), help: "Start with the next commit (print only new commits).")
    var fromLatest = false
    @Flag(help: "Keep printing new commits until SIGINT or SIGTERM.")
    var follow = false
    @Option(help: ArgumentHelp("A consumer group whose position is kept in the table.", valueName: "NAME"))
    var group: String?
    @Option(name: .customLong("max-files"), help: ArgumentHelp("Read at most N files per trigger (with --group, the position is committed when caught up and at least once a second).", valueName: "N"))
    var maxFiles: Int = 1000
    @Option(name: .customLong("on-change"), help: "What to do with commits that remove data: fail, skip or cdf.")
    var onChange: RemovalPolicyOption = .fail
    @Option(help: ArgumentHelp("Comma-separated columns to print (default: all).", valueName: "a,b")) var columns: String?
    @Option(name: .customLong("where"), help: ArgumentHelp("Print only rows matching this SQL predicate.", valueName: "PREDICATE"))
    var predicate: String?
    @Option(help: "Output format: ndjson, csv or table.") var format: RowFormatOption = .ndjson

    func validate() throws {
        try validateTablePath(table)
        let starts = [fromVersion != nil, fromTimestamp != nil, fromLatest].filter { $0 }.count
        if starts > 1 { throw ValidationError("--from-version, --from-timestamp and --from-latest cannot be combined") }
        if let fromVersion, fromVersion < 0 { throw ValidationError("--from-version must not be negative, got \(fromVersion)") }
        if maxFiles < 1 { throw ValidationError("--max-files must be at least 1, got \(maxFiles)") }
        if let columns, splitList(columns).isEmpty { throw ValidationError("--columns needs at least one column name") }
        if let group {
            do { try ConsumerGroup.validate(name: group) } catch let e as DeltaError { throw ValidationError("--group: \(e.message)") }
        }
    }

    func run() throws {
        let t = Table(path: table)
        let latest = try t.snapshot()
        let schema = try latest.arrowSchema()
        var options = TailOptions()
        options.maxFiles = maxFiles
        options.onRemoval = onChange.value
        if let columns {
            options.columns = try splitList(columns).map { name in
                guard let f = schema[name] ?? schema.fields.first(where: { $0.name.lowercased() == name.lowercased() }) else {
                    throw CLIError("unknown column '\(name)' (columns: \(schema.fields.map(\.name).joined(separator: ", ")))")
                }
                return f.name
            }
        }
        options.condition = try predicate.map { try parsePredicate($0, snapshot: latest) }

        let consumer = try group.map { try ConsumerGroup(name: $0, table: t) }
        let start: TailStart
        if let fromVersion {
            start = .version(fromVersion)
        } else if let fromTimestamp {
            start = .timestamp(Date(timeIntervalSince1970: Double(fromTimestamp.millis) / 1000))
        } else if fromLatest {
            start = .latest
        } else if let committed = try consumer?.committedOffset() {
            start = .offset(committed)
        } else {
            start = .beginning
        }
        var tail = try TableTail(table: t, from: start, follow: follow, options: options)

        let stop = StopFlag()
        let signals = stop.trap([SIGINT, SIGTERM])
        defer { for s in signals { s.cancel() } }

        let printer = RowPrinter(format: format.value)
        printer.setSchema(tail.schema)
        var rows = 0
        var committed: StreamOffset? = nil
        var lastCommit = ContinuousClock.now
        // Prints what was written, then records the position after it.
        func checkpoint() throws {
            try printer.flush()
            guard consumer != nil, committed != tail.offset else { return }
            try StandardOutput.shared.flushDurably()
            try consumer?.commit(tail.offset)
            committed = tail.offset
            lastCommit = .now
        }
        var waitSeconds = 0.001
        do {
            while !stop.isSet {
                if let batch = try tail.next() {
                    waitSeconds = 0.001
                    if batch.records.count > 0 {
                        try printer.write(batch.records)
                        rows += batch.records.count
                    }
                    if ContinuousClock.now - lastCommit > .seconds(1) { try checkpoint() }
                    continue
                }
                // Caught up: everything printed so far is flushed and committed.
                try checkpoint()
                if tail.isFinished { break }
                Thread.sleep(forTimeInterval: waitSeconds)
                waitSeconds = min(waitSeconds * 2, 0.05)
            }
        } catch {
            // The rows printed before the failure were delivered: flush and record them, so a
            // restart (e.g. with --on-change skip) continues at the failing commit.
            try? checkpoint()
            throw error
        }
        try printer.finish(rowCount: rows)
        try checkpoint()
    }
}

/// `--on-change` values.
struct RemovalPolicyOption: ExpressibleByArgument {
    let value: TailOptions.RemovalPolicy
    init(value: TailOptions.RemovalPolicy) { self.value = value }
    init?(argument: String) {
        guard let v = TailOptions.RemovalPolicy(rawValue: argument) else { return nil }
        value = v
    }
    static let fail = RemovalPolicyOption(value: .fail)
    static var allValueStrings: [String] { TailOptions.RemovalPolicy.allCases.map(\.rawValue) }
    var defaultValueDescription: String { value.rawValue }
}

extension RowFormatOption {
    static let ndjson = RowFormatOption(value: .ndjson)
}

/// Set by SIGINT or SIGTERM: the command stops at the next batch boundary.
final class StopFlag: Sendable {
    private let flag = Atomic<Bool>(false)

    var isSet: Bool { flag.load(ordering: .acquiring) }

    /// Ignores `signals`' default action and sets the flag when one arrives.
    func trap(_ signals: [Int32]) -> [any DispatchSourceSignal] {
        signals.map { sig in
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [self] in flag.store(true, ordering: .releasing) }
            source.resume()
            return source
        }
    }
}
