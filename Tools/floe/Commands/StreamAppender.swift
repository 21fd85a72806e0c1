import Foundation
import Floe
import FloeColumnar

/// Records read by a background thread, handed to the committing thread.
private final class RecordQueue: @unchecked Sendable {
    let condition = NSCondition()
    var records: [InputRecord] = []
    /// When the oldest queued record arrived.
    var oldestArrival: Date?
    var csvHeader: (names: [String], line: Int)?
    var finished = false
    var interrupted = false
    var error: (any Error)?
}

/// `append --stream`: reads records continuously and commits a batch every `batchRows` rows or
/// `interval` seconds after the batch's first row arrived, whichever comes first.
struct StreamAppender {
    let tablePath: String
    let options: InputOptions
    let batchRows: Int
    let interval: Double

    func run() throws {
        let table = Table(path: tablePath)
        let format = options.resolvedFormat
        let target = try WriteTarget(table: table, options: options)
        var fd: Int32 = 0
        if !options.readsStandardInput, let path = options.input {
            fd = open(path, O_RDONLY)
            guard fd >= 0 else { throw CLIError("cannot open input '\(path)': \(String(cString: strerror(errno)))") }
        }
        // A recorded version of Int64.max leaves no next version: refuse before reading any input.
        if let app = options.appID, options.txnVersion == nil, let recorded = try? table.snapshot().transactionVersion(for: app) {
            _ = try Self.version(after: recorded, app: app, firstLine: nil)
        }
        let queue = RecordQueue()
        startReader(fd: fd, format: format, queue: queue)
        let signals = trapSignals(queue)
        defer { for s in signals { s.cancel() } }

        var snapshot: Snapshot?
        var created = false
        var nextTxn: Int64?
        /// The last batch used version Int64.max: no later batch can be committed.
        var txnExhausted = false
        while true {
            queue.condition.lock()
            while queue.records.isEmpty && !queue.finished && !queue.interrupted && queue.error == nil {
                queue.condition.wait()
            }
            if !queue.records.isEmpty && !queue.finished && !queue.interrupted && queue.error == nil {
                let deadline = (queue.oldestArrival ?? Date()).addingTimeInterval(interval)
                while queue.records.count < batchRows && !queue.finished && !queue.interrupted && queue.error == nil {
                    if !queue.condition.wait(until: deadline) { break }
                }
            }
            let take = min(batchRows, queue.records.count)
            let batchRecords = Array(queue.records.prefix(take))
            queue.records.removeFirst(take)
            queue.condition.broadcast()  // the reader may wait for room
            queue.oldestArrival = queue.records.isEmpty ? nil : Date()
            let header = queue.csvHeader
            let error = queue.error
            let done = queue.finished || queue.interrupted
            queue.condition.unlock()
            // A syntax error in the input: the batch being formed (which holds the bad record's
            // predecessors) is not committed.
            if let error { throw error }

            if !batchRecords.isEmpty {
                if !created {
                    try target.createIfNeeded(table: table)
                    created = true
                }
                let current = try snapshot.map { try table.update($0) } ?? table.snapshot()
                snapshot = current
                let decoder = RowDecoder(schema: try current.arrowSchema(), allowsNewColumns: options.mergeSchema)
                if format == .csv {
                    guard let header else { throw CLIError("CSV input has no header row") }
                    try decoder.setCSVHeader(header.names, line: header.line)
                }
                for record in batchRecords { try decoder.append(record) }
                let batch = try decoder.finish()
                var write = WriteOptions()
                write.mode = .append
                write.mergesSchema = options.mergeSchema
                write.inputLines = batchRecords.map(\.line)
                if let app = options.appID {
                    let firstLine = batchRecords.first?.line
                    if txnExhausted { _ = try Self.version(after: .max, app: app, firstLine: firstLine) }
                    let version = try nextTxn ?? options.txnVersion
                        ?? Self.version(after: current.transactionVersion(for: app) ?? -1, app: app, firstLine: firstLine)
                    write.applicationTransaction = ApplicationTransaction(appID: app, version: version)
                    // Checked: the batch after one at Int64.max has no version.
                    (nextTxn, txnExhausted) = version == .max ? (nil, true) : (version + 1, false)
                }
                let result = try table.write(batch.map { [$0] } ?? [], options: write)
                try Terminal.emit(result.isSkipped ? "{\"version\":\(result.version),\"skipped\":true}" : "{\"version\":\(result.version)}")
                continue
            }
            if done { break }
        }
    }

    /// The transaction version after `version` for `app`; an error when `version` is Int64.max,
    /// naming the input line from which rows were not committed (when rows were read).
    static func version(after version: Int64, app: String, firstLine: Int?) throws -> Int64 {
        let (next, overflow) = version.addingReportingOverflow(1)
        guard !overflow else {
            let lost = firstLine.map { "; the rows from input line \($0) on were not committed" } ?? ""
            throw CLIError("application '\(app)' has used transaction version \(Int64.max), the largest, so no later batch can be committed\(lost)")
        }
        return next
    }

    private func startReader(fd: Int32, format: RowInputFormat, queue: RecordQueue) {
        let thread = Thread {
            var splitter = RecordSplitter(format: format, maxRecordBytes: options.maxRecordBytes)
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            // Backpressure: the reader waits while a few batches' worth of records are queued, so
            // input arriving faster than it is committed is not buffered without bound.
            let limit = max(batchRows.multipliedReportingOverflow(by: 2).overflow ? Int.max : 2 * batchRows, 10_000)
            func publish(_ records: [InputRecord]) {
                queue.condition.lock()
                while queue.records.count >= limit && !queue.interrupted && queue.error == nil { queue.condition.wait() }
                if queue.csvHeader == nil, let names = splitter.csvHeader {
                    queue.csvHeader = (names, splitter.csvHeaderLine)
                }
                if !records.isEmpty {
                    if queue.records.isEmpty { queue.oldestArrival = Date() }
                    queue.records.append(contentsOf: records)
                }
                queue.condition.broadcast()
                queue.condition.unlock()
            }
            do {
                while true {
                    let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                    if n < 0 {
                        if errno == EINTR { continue }
                        throw CLIError("reading input: \(String(cString: strerror(errno)))")
                    }
                    if n == 0 { break }
                    publish(try splitter.feed(buffer[0..<n]))
                }
                publish(try splitter.finish())
                queue.condition.lock()
                queue.finished = true
                queue.condition.broadcast()
                queue.condition.unlock()
            } catch {
                queue.condition.lock()
                queue.error = error
                queue.condition.broadcast()
                queue.condition.unlock()
            }
        }
        thread.start()
    }

    /// SIGINT and SIGTERM stop reading; the rows already read are committed.
    private func trapSignals(_ queue: RecordQueue) -> [any DispatchSourceSignal] {
        [SIGINT, SIGTERM].map { sig in
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                queue.condition.lock()
                queue.interrupted = true
                queue.condition.broadcast()
                queue.condition.unlock()
            }
            source.resume()
            return source
        }
    }
}
