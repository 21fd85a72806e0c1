import ArgumentParser
import Foundation
import Floe

/// `floe-torture worker-read`: scans the latest snapshot again and again until --stop exists,
/// checking that every version it sees is complete and that versions and row counts never go
/// back. Alternates a fresh `Table` (a full snapshot load, from the newest checkpoint) with one
/// long-lived `Table` (incremental `latestSnapshot()` refreshes).
///
/// Writes `scans S versions V first F last L` and one `violation ...` line per problem to --out;
/// exits 1 when there was a violation.
struct ReaderWorker: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "worker-read", shouldDisplay: false)

    @Option var table: String
    @Option(help: "Rows of every batch (each commit appends one batch).") var rows: Int
    @Option(help: "Stop once this file exists.") var stop: String
    @Option var out: String

    func run() throws {
        let log = LineLog(path: out)
        let longLived = Table(path: table)
        var scans = 0, lastVersion: Int64 = -1, lastRows = -1, violations = 0
        var seen = Set<Int64>()
        var firstVersion: Int64?
        func violation(_ text: String) {
            violations += 1
            if violations <= 20 { log.append("violation \(text)") }
        }
        var stopping = false
        while true {
            // One last scan after the stop file appears, so the final version is seen.
            if FileManager.default.fileExists(atPath: stop) { stopping = true }
            let fresh = scans % 2 == 0
            let table = fresh ? Table(path: self.table) : longLived
            do {
                let snapshot = fresh ? try table.snapshot() : try table.latestSnapshot()
                let contents = try TableContents(table: table, snapshot: snapshot)
                scans += 1
                seen.insert(snapshot.version)
                if firstVersion == nil { firstVersion = snapshot.version }
                if snapshot.version < lastVersion {
                    violation("version went back from \(lastVersion) to \(snapshot.version)")
                }
                if contents.rows < lastRows {
                    violation("row count went back from \(lastRows) to \(contents.rows) (version \(snapshot.version))")
                }
                if contents.rows != rows * Int(snapshot.version) {
                    violation("version \(snapshot.version) has \(contents.rows) rows, not \(rows) x \(snapshot.version) (one batch per commit)")
                }
                let partial = contents.incompleteBatches { _ in rows }
                if let key = partial.first {
                    violation("version \(snapshot.version) shows \(contents.batches[key] ?? 0) of \(rows) rows of \(key)")
                }
                if contents.duplicateIDs > 0 {
                    violation("version \(snapshot.version) has \(contents.duplicateIDs) duplicate ids")
                }
                lastVersion = max(lastVersion, snapshot.version)
                lastRows = max(lastRows, contents.rows)
            } catch {
                violation("scan failed: \(error)")
            }
            if stopping { break }
        }
        log.append("scans \(scans) versions \(seen.count) first \(firstVersion ?? -1) last \(lastVersion)")
        if violations > 0 { throw ExitCode(1) }
    }
}

/// A reader's result line, read back.
struct ReaderReport {
    var scans = 0
    var versions = 0
    var last: Int64 = -1
    var violations: [String] = []

    init(_ log: LineLog) {
        for line in log.lines() {
            if line.hasPrefix("violation ") {
                violations.append(String(line.dropFirst("violation ".count)))
            } else if line.hasPrefix("scans ") {
                let parts = line.split(separator: " ")
                if parts.count >= 8 {
                    scans = Int(parts[1]) ?? 0
                    versions = Int(parts[3]) ?? 0
                    last = Int64(parts[7]) ?? -1
                }
            }
        }
    }
}
