import ArgumentParser
import Foundation
import Floe

/// `floe-torture worker-write`: appends batches `first..<first+count` of one writer, one commit
/// each, logging `try B` before and `ack B VERSION` after each acknowledged append to --acks (one
/// `write(2)` per line, so the log survives a SIGKILL). Exits 1 at the first failed append.
struct WriterWorker: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "worker-write", shouldDisplay: false)

    @Option var table: String
    @Option var writer: Int
    @Option var first: Int = 0
    @Option var count: Int = 1
    @Option var rows: Int = 10
    @Option(help: "Random characters per row in the pad column.") var pad: Int = 0
    @Option(help: "The acknowledgement log.") var acks: String?
    @Option(name: .customLong("app-id"), help: "Append idempotently: batch B as transaction version B of this id.")
    var appID: String?

    func run() throws {
        let log = acks.map(LineLog.init(path:))
        let table = Table(path: table)
        for batch in first..<(first + count) {
            log?.append("try \(batch)")
            do {
                let schema = try table.latestSnapshot().arrowSchema()
                let rows = try Workload.batch(writer: writer, batch: batch, rows: rows, padBytes: pad, schema: schema)
                var options = WriteOptions()
                if let appID { options.applicationTransaction = ApplicationTransaction(appID: appID, version: Int64(batch)) }
                let result = try table.append([rows], options: options)
                log?.append("ack \(batch) \(result.version)\(result.isSkipped ? " skipped" : "")")
            } catch {
                log?.append("fail \(batch)")
                warn("floe-torture worker-write: writer \(writer) batch \(batch): \(error)")
                throw ExitCode(1)
            }
        }
    }
}

/// One writer's acknowledgement log, read back.
struct AckLog {
    var tried = Set<Int>()
    /// Acknowledged batches and the version each committed at (or was skipped at).
    var acked: [Int: Int64] = [:]
    var skipped = Set<Int>()
    var failed = Set<Int>()

    init(_ log: LineLog) {
        for line in log.lines() {
            let parts = line.split(separator: " ")
            guard parts.count >= 2, let batch = Int(parts[1]) else { continue }
            switch parts[0] {
            case "try": tried.insert(batch)
            case "ack":
                if parts.count >= 3, let version = Int64(parts[2]) { acked[batch] = version }
                if parts.count >= 4 { skipped.insert(batch) }
            case "fail": failed.insert(batch)
            default: break
            }
        }
    }

    /// The next batch a restarted non-idempotent writer may send: after every batch it tried
    /// (a batch in flight at the kill may have committed unacknowledged).
    var nextUntried: Int { (tried.max() ?? -1) + 1 }
}
