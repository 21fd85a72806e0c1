import ArgumentParser
import Foundation
import Floe

/// `floe-torture crash`.
struct CrashScenario: ScenarioCommand {
    static let configuration = CommandConfiguration(
        commandName: "crash",
        abstract: "Writers are SIGKILLed at random moments and at fail points, then restarted.")
    @OptionGroup var common: TortureOptions
    @OptionGroup var sizes: SizeOptions
    func scenario() -> any Scenario { CrashTest(sizes: Sizes(sizes, soak: common.soak, concurrency: false), idempotent: false) }
}

/// `floe-torture idempotent`.
struct IdempotentScenario: ScenarioCommand {
    static let configuration = CommandConfiguration(
        commandName: "idempotent",
        abstract: "`floe append --app-id/--txn-version` writers are SIGKILLed and re-send; each batch lands exactly once.")
    @OptionGroup var common: TortureOptions
    @OptionGroup var sizes: SizeOptions
    func scenario() -> any Scenario { CrashTest(sizes: Sizes(sizes, soak: common.soak, concurrency: false), idempotent: true) }
}

/// Writers killed with SIGKILL — after a random delay, or by a fail point at a named moment —
/// and restarted until each has appended its M batches, while readers scan.
///
/// Plain writers (`worker-write`, the library) restart after the last batch they tried;
/// idempotent writers (`floe append --app-id torture-W --txn-version B`, one process per batch)
/// re-send the batch they were killed in. Checks: the table always opens and readers only ever
/// see complete versions; every acknowledged batch is present exactly once (idempotent: every
/// batch, and exactly N x M commits); no version shows a partial commit; no data file disappears
/// before `vacuum`, which then removes exactly the orphans.
struct CrashTest: Scenario {
    var sizes: Sizes
    var idempotent: Bool
    var name: String { idempotent ? "idempotent" : "crash" }

    static let failPoints = ["before-data-file", "after-data-file", "before-commit-link", "after-commit-link", "during-checkpoint"]

    struct Slot {
        var writer: Int
        var next = 0
        var process: ChildProcess?
        var killAt: Double?
        var failPoint: String?
        var done = false
        var acks: LineLog
    }

    func run(_ run: TortureRun) throws {
        let table = run.scratch + "/table"
        try Workload.create(at: table, checkpointInterval: 5)
        let m = sizes.appends
        if idempotent {
            guard FileManager.default.isExecutableFile(atPath: run.floeExecutable) else {
                throw TortureFailure("the floe executable is not next to floe-torture (\(run.floeExecutable)); build it")
            }
        }
        let readers = try run.startReaders(sizes.readers, table: table, rows: sizes.rows)
        var slots = (0..<sizes.writers).map { Slot(writer: $0, acks: LineLog(path: run.scratch + "/writer-\($0).acks")) }
        // A writer that finished its M batches before the kills were survived starts over as a new
        // writer (new ids, new app id), until then or until the time limit.
        var nextWriter = sizes.writers
        let timeLimit = run.options.soak ? 3600.0 : 60.0
        var failPointSpawns = 0
        var randomKills = 0, failPointKills: [String: Int] = [:], restarts = 0, spawns = 0, skippedResends = 0, failed = 0
        var acknowledged = Set<BatchKey>(), sent = Set<BatchKey>()
        var seenDataFiles = Set<String>(), lastListing = 0.0
        let started = monotonicSeconds()

        while slots.contains(where: { !$0.done }) {
            let now = monotonicSeconds()
            for i in slots.indices where !slots[i].done && slots[i].process == nil {
                let kills = randomKills + failPointKills.values.reduce(0, +)
                slots[i].killAt = nil
                slots[i].failPoint = nil
                if kills < sizes.kills {
                    let choice = Int.random(in: 0..<10, using: &run.random)
                    if choice < 4 {
                        slots[i].killAt = now + Double.random(in: 0.01...(idempotent ? 0.3 : 0.6), using: &run.random)
                    } else if choice < 9 {
                        // In turn, so that every run reaches each named moment.
                        let point = Self.failPoints[failPointSpawns % Self.failPoints.count]
                        failPointSpawns += 1
                        let hit = idempotent ? 1 : Int.random(in: 1...2, using: &run.random)
                        slots[i].failPoint = "\(point):\(hit)"
                    }
                }
                let w = slots[i].writer, log = run.scratch + "/writer-\(w)-\(spawns)"
                if idempotent {
                    let b = slots[i].next
                    sent.insert(BatchKey(writer: w, batch: b))
                    let input = run.scratch + "/batch-\(w)-\(b).ndjson"
                    if !FileManager.default.fileExists(atPath: input) {
                        try Workload.ndjson(writer: w, batch: b, rows: sizes.rows).write(toFile: input, atomically: false, encoding: .utf8)
                    }
                    slots[i].process = try ChildProcess(
                        run.floeExecutable,
                        ["append", table, "--input", input, "--app-id", "torture-\(w)",
                         "--txn-version", String(b)],
                        environment: ["FLOE_FAILPOINT": slots[i].failPoint], logPrefix: log)
                } else {
                    slots[i].process = try run.startWriter(table: table, writer: w, first: slots[i].next, count: m - slots[i].next,
                                                           rows: sizes.rows, acks: slots[i].acks.path,
                                                           failPoint: slots[i].failPoint, log: log)
                }
                spawns += 1
            }
            for i in slots.indices {
                guard let process = slots[i].process else { continue }
                if let killAt = slots[i].killAt, now >= killAt { process.kill() }
                if process.isRunning { continue }
                let termination = process.wait()
                slots[i].process = nil
                let w = slots[i].writer
                if !idempotent {
                    let log = AckLog(slots[i].acks)
                    slots[i].next = log.nextUntried
                    for b in log.tried { sent.insert(BatchKey(writer: w, batch: b)) }
                    for b in log.acked.keys { acknowledged.insert(BatchKey(writer: w, batch: b)) }
                    failed += log.failed.count
                }
                switch termination {
                case .exited(0):
                    if idempotent {
                        acknowledged.insert(BatchKey(writer: w, batch: slots[i].next))
                        if process.standardOutput.contains("\"skipped\":true") { skippedResends += 1 }
                        slots[i].next += 1
                    }
                    slots[i].done = slots[i].next >= m
                case .signaled(SIGKILL) where process.wasKilled || slots[i].failPoint != nil:
                    if process.wasKilled {
                        randomKills += 1
                    } else if let point = slots[i].failPoint?.split(separator: ":").first {
                        failPointKills[String(point), default: 0] += 1
                    }
                    slots[i].done = slots[i].next >= m
                    if !slots[i].done { restarts += 1 }
                default:
                    slots[i].done = true
                    run.violation("writer \(w) ended with \(termination) (fail point \(slots[i].failPoint ?? "none")): \(process.errorTail)")
                    if idempotent { failed += 1 }
                    continue
                }
                let kills = randomKills + failPointKills.values.reduce(0, +)
                if slots[i].done && kills < sizes.kills && monotonicSeconds() - started < timeLimit {
                    slots[i] = Slot(writer: nextWriter, acks: LineLog(path: run.scratch + "/writer-\(nextWriter).acks"))
                    nextWriter += 1
                }
            }
            if now - lastListing > 0.02 {
                seenDataFiles.formUnion(TableFiles.dataFiles(table))
                lastListing = now
            }
            usleep(2_000)
        }
        let elapsed = monotonicSeconds() - started
        // A restarted idempotent writer racing its not-quite-dead predecessor: several processes
        // send the same batch with the same app id and version at once; exactly one commits it.
        var racedBatches = 0, raceLosers = 0
        if idempotent {
            let w = nextWriter
            nextWriter += 1
            for b in 0..<m where b < 6 {
                let input = run.scratch + "/batch-\(w)-\(b).ndjson"
                try Workload.ndjson(writer: w, batch: b, rows: sizes.rows).write(toFile: input, atomically: false, encoding: .utf8)
                sent.insert(BatchKey(writer: w, batch: b))
                let senders = try (0..<4).map { i in
                    try ChildProcess(run.floeExecutable, ["append", table, "--input", input, "--app-id", "torture-\(w)",
                                                          "--txn-version", String(b)],
                                     logPrefix: run.scratch + "/race-\(w)-\(b)-\(i)")
                }
                var committed = 0
                for sender in senders {
                    let termination = sender.wait()
                    if termination == .exited(0) && !sender.standardOutput.contains("\"skipped\":true") {
                        committed += 1
                    } else if termination == .exited(0) || (termination == .exited(1) && sender.standardError.contains("conflicts")) {
                        raceLosers += 1
                    } else {
                        run.violation("a racing sender of writer \(w) batch \(b) ended with \(termination): \(sender.errorTail)")
                    }
                }
                run.check(committed == 1, "\(committed) of 4 racing senders committed writer \(w) batch \(b), not 1")
                acknowledged.insert(BatchKey(writer: w, batch: b))
                racedBatches += 1
            }
        }
        let (scans, _) = run.stopReaders(readers)
        run.check(failed == 0, "\(failed) appends failed")

        let contents = run.audit(table: table, rows: sizes.rows, acknowledged: acknowledged, sent: sent)
        if idempotent, let contents {
            let all = (nextWriter - 1) * m + min(m, 6)
            run.check(acknowledged.count == all, "\(acknowledged.count) of \(all) batches acknowledged")
            run.check(contents.batches.count == all, "\(contents.batches.count) of \(all) batches present")
            run.check(contents.version == Int64(all), "latest version \(contents.version), expected \(all) (one commit per batch)")
        }
        let vanished = seenDataFiles.subtracting(TableFiles.dataFiles(table))
        run.check(vanished.isEmpty, "\(vanished.count) data files disappeared before vacuum, e.g. \(vanished.first ?? "")")
        let temporaryLeft = TableFiles.temporaryFiles(table)
        let vacuumed = run.vacuumOrphans(table: table, rows: sizes.rows)

        let kills = randomKills + failPointKills.values.reduce(0, +)
        let points = Self.failPoints.map { "\($0) \(failPointKills[$0] ?? 0)" }.joined(separator: ", ")
        var figures = "\(sizes.writers) writers (\(nextWriter) writer ids) x \(m) appends, \(kills) kills survived (\(randomKills) random; \(points)), "
            + "\(restarts) restarts, \(spawns) processes, \(acknowledged.count) acknowledged appends all present once"
        if idempotent {
            figures += ", \(skippedResends) re-sends skipped as already committed, \(racedBatches) batches sent by 4 racing processes "
                + "each committed once (\(raceLosers) losers skipped or refused as conflicts)"
        }
        figures += ", \(contents?.version ?? -1) versions, \(failed) failed appends, \(sizes.readers) readers \(scans) scans, "
            + "\(vacuumed.orphans) orphaned data files and \(temporaryLeft.data) + \(temporaryLeft.log) temporary data + log files "
            + "kept until vacuum removed \(vacuumed.removed), \(String(format: "%.1f", elapsed)) s"
        run.report(name, figures)
    }
}
