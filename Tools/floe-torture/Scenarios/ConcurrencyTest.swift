import ArgumentParser
import Foundation
import Floe

/// `floe-torture concurrency`.
struct ConcurrencyScenario: ScenarioCommand {
    static let configuration = CommandConfiguration(
        commandName: "concurrency",
        abstract: "N writer processes append M batches each while readers scan; nothing may fail or be lost.")
    @OptionGroup var common: TortureOptions
    @OptionGroup var sizes: SizeOptions
    func scenario() -> any Scenario { ConcurrencyTest(sizes: Sizes(sizes, soak: common.soak, concurrency: true)) }
}

/// N writers each append M batches (one commit each) at once while readers scan continuously.
///
/// Checks: every append succeeds (no conflict, timeout or I/O failure), every acknowledged batch
/// is present exactly once, versions are contiguous and number N x M, and every reader saw only
/// complete versions with monotonically increasing versions and row counts.
struct ConcurrencyTest: Scenario {
    var name: String { "concurrency" }
    var sizes: Sizes

    func run(_ run: TortureRun) throws {
        let table = run.scratch + "/table"
        try Workload.create(at: table)
        let readers = try run.startReaders(sizes.readers, table: table, rows: sizes.rows)
        let started = monotonicSeconds()
        var writers: [(ChildProcess, LineLog)] = []
        for w in 0..<sizes.writers {
            let acks = LineLog(path: run.scratch + "/writer-\(w).acks")
            writers.append((try run.startWriter(table: table, writer: w, first: 0, count: sizes.appends, rows: sizes.rows,
                                                acks: acks.path, log: run.scratch + "/writer-\(w)"), acks))
        }
        var acknowledged = Set<BatchKey>(), sent = Set<BatchKey>(), failed = 0
        for (w, (process, acks)) in writers.enumerated() {
            let termination = process.wait()
            let log = AckLog(acks)
            failed += log.failed.count
            if termination != .exited(0) {
                run.violation("writer \(w) ended with \(termination): \(process.errorTail)")
                if log.failed.isEmpty { failed += 1 }
            }
            for b in log.acked.keys { acknowledged.insert(BatchKey(writer: w, batch: b)) }
            for b in log.tried { sent.insert(BatchKey(writer: w, batch: b)) }
        }
        let elapsed = monotonicSeconds() - started
        let (scans, versionsSeen) = run.stopReaders(readers)
        let commits = sizes.writers * sizes.appends
        run.check(failed == 0, "\(failed) appends failed")
        run.check(acknowledged.count == commits, "\(acknowledged.count) of \(commits) appends acknowledged")
        if let contents = run.audit(table: table, rows: sizes.rows, acknowledged: acknowledged, sent: sent) {
            run.check(contents.version == Int64(commits), "latest version \(contents.version), expected \(commits)")
        }
        run.report(name, "\(sizes.writers) writers x \(sizes.appends) appends = \(commits) commits in "
                   + "\(String(format: "%.1f", elapsed)) s (\(String(format: "%.1f", Double(commits) / elapsed)) commits/s), "
                   + "\(failed) failed appends, \(sizes.readers) readers \(scans) scans (\(versionsSeen) versions seen by one)")
    }
}
