import Foundation
import Synchronization
import FloeColumnar
import Floe

/// The tail benchmark: the latency from an append being acknowledged to its rows being delivered
/// by a following tail (``Table/tail(from:follow:options:)``, the async API), while 4 writer
/// processes append small commits.
///
/// Each writer process prints, per commit, the version and the `CLOCK_MONOTONIC` time its append
/// returned (the clock is system-wide, so the times compare across processes); the tail records
/// the time it first delivered rows of each version. Latency = delivered - acknowledged (0 when
/// the tail saw the commit before its writer's append returned).
enum TailBenchmark {
    /// First delivery time per version, shared with the tail's task.
    final class Deliveries: Sendable {
        let times = Mutex<[Int64: Double]>([:])
        let done = DispatchSemaphore(value: 0)
    }

    static func run(_ args: [String]) throws {
        let writers = Int(option("--writers", args) ?? "") ?? 4
        let commits = Int(option("--commits", args) ?? "") ?? 200
        let intervalMillis = Int(option("--interval-ms", args) ?? "") ?? 5
        let dir = option("--dir", args) ?? NSTemporaryDirectory() + "floe-bench-tail-\(getpid())"
        try? FileManager.default.removeItem(atPath: dir)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let table = Table(path: dir)
        try table.create(schema: TableBenchmark.schema)
        let total = writers * commits
        say("Tail benchmark: \(writers) writer processes x \(commits) durable 10-row appends (\(intervalMillis) ms apart each); one following tail in this process")

        let deliveries = Deliveries()
        let start = try StreamOffset(tableID: try table.snapshot().metadata.id, version: 1)
        let tail = Task.detached {
            do {
                for try await batch in table.tail(from: .offset(start), follow: true) where batch.records.count > 0 {
                    let t = now()
                    let seen = deliveries.times.withLock { times -> Int in
                        if times[batch.version] == nil { times[batch.version] = t }
                        return times.count
                    }
                    if seen >= total { break }
                }
            } catch {
                FileHandle.standardError.write(Data("tail failed: \(error)\n".utf8))
            }
            deliveries.done.signal()
        }

        var processes: [(Process, Pipe)] = []
        for w in 0..<writers {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            p.arguments = ["tail-append", dir, String(w), String(commits), String(intervalMillis)]
            let pipe = Pipe()
            p.standardOutput = pipe
            try p.run()
            processes.append((p, pipe))
        }
        var acknowledged: [Int64: Double] = [:]
        for (p, pipe) in processes {
            let out = pipe.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            guard p.terminationStatus == 0 else { throw BenchError("a writer failed (status \(p.terminationStatus))") }
            for line in String(decoding: out, as: UTF8.self).split(separator: "\n") {
                let parts = line.split(separator: " ")
                if parts.count == 2, let v = Int64(parts[0]), let t = Double(parts[1]) { acknowledged[v] = t }
            }
        }
        if deliveries.done.wait(timeout: .now() + 60) == .timedOut {
            tail.cancel()
            throw BenchError("the tail did not deliver every commit within 60 s of the last append")
        }
        let delivered = deliveries.times.withLock { $0 }
        guard acknowledged.count == total, delivered.count == total else {
            throw BenchError("\(acknowledged.count) commits acknowledged, \(delivered.count) delivered, expected \(total)")
        }
        let latencies = acknowledged.map { v, ack in max(0, (delivered[v] ?? .infinity) - ack) * 1000 }.sorted()
        func percentile(_ p: Double) -> Double { latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
        say(String(format: "append acknowledged -> row delivered: p50 %.2f ms, p99 %.2f ms, max %.2f ms over %d commits (targets: p50 <= 20 ms, p99 <= 100 ms)",
                   percentile(0.50), percentile(0.99), latencies.last ?? 0, latencies.count))
    }

    /// A writer process: `commits` 10-row appends `intervalMillis` apart, printing
    /// `version monotonic-seconds` as each is acknowledged.
    static func appendChild(path: String, writer: Int, commits: Int, intervalMillis: Int) throws {
        let table = Table(path: path)
        for c in 0..<commits {
            let result = try table.append([try TableBenchmark.batch(writer: writer, start: c * 10, rows: 10)])
            say("\(result.version) \(now())")
            if intervalMillis > 0 { usleep(useconds_t(intervalMillis * 1000)) }
        }
    }
}
