import Foundation
import FloeColumnar
import FloeParquet

// floe-bench: prints throughput figures for Floe and for pyarrow/deltalake measured in the same run.
//   floe-bench parquet [--rows N] [--python PATH] [--dir DIR]
// Internal (run as child processes so each phase's peak memory is its own):
//   floe-bench parquet-write FILE ROWS CODEC      floe-bench parquet-read FILE THREADS

/// Prints a line immediately (stdout is a pipe in CI, where `print` would buffer).
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

func peakRSSBytes() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Int(usage.ru_maxrss) * 1024
}

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

struct Figure: Codable {
    var seconds: Double
    var bytes: Int
    var peakRSS: Int
}

func emit(_ f: Figure) {
    if let data = try? JSONEncoder().encode(f), let s = String(data: data, encoding: .utf8) { print(s) }
}

/// Runs a phase in a child process (`floe-bench` itself, or python) and decodes the `Figure`
/// it prints as its last line.
func runFigure(_ executable: URL, _ arguments: [String]) throws -> Figure {
    let p = Process()
    p.executableURL = executable
    p.arguments = arguments
    let pipe = Pipe()
    p.standardOutput = pipe
    try p.run()
    let out = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    guard p.terminationStatus == 0, let line = String(data: out, encoding: .utf8)?.split(separator: "\n").last,
          let f = try? JSONDecoder().decode(Figure.self, from: Data(line.utf8)) else {
        throw BenchError("\(executable.lastPathComponent) \(arguments) failed (status \(p.terminationStatus))")
    }
    return f
}

func runChild(_ arguments: [String]) throws -> Figure {
    try runFigure(URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath(), arguments)
}

func runPython(_ python: String, _ arguments: [String]) throws -> Figure {
    try runFigure(URL(fileURLWithPath: python), arguments)
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

func option(_ name: String, _ args: [String]) -> String? {
    guard let i = args.firstIndex(of: name), i + 1 < args.count else { return nil }
    return args[i + 1]
}

func mb(_ b: Int) -> String { String(format: "%.1f MB", Double(b) / 1e6) }
func rate(_ rows: Int, _ s: Double) -> String { String(format: "%.2f M rows/s", Double(rows) / s / 1e6) }

func parquetBenchmark(_ args: [String]) throws {
    let rows = Int(option("--rows", args) ?? "") ?? 10_000_000
    let dir = option("--dir", args) ?? NSTemporaryDirectory() + "floe-bench-\(getpid())"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let python = option("--python", args) ?? ProcessInfo.processInfo.environment["FLOE_PYTHON"]
    let script = option("--script", args) ?? "Tools/floe-bench/pyarrow_bench.py"
    say("Parquet benchmark: \(rows) rows of (id int64, user_id int64, revenue double, session string, ts timestamp[us, UTC]), ZSTD level 1, 1Mi-row row groups")
    let floePath = dir + "/floe.parquet"
    let fw = try runChild(["parquet-write", floePath, String(rows)])
    let fw1 = try runChild(["parquet-write", floePath + ".1", String(rows), "1"])
    let fr1 = try runChild(["parquet-read", floePath, "1"])
    let fr2 = try runChild(["parquet-read", floePath, "2"])
    var rowsOut: [(String, String, String, String)] = [
        ("Floe write (default, \(ParquetWriteOptions.defaultParallelism) thr)", rate(rows, fw.seconds), mb(fw.bytes), mb(fw.peakRSS)),
        ("Floe write, 1 thread", rate(rows, fw1.seconds), mb(fw1.bytes), mb(fw1.peakRSS)),
        ("Floe read, 1 thread", rate(rows, fr1.seconds), mb(fr1.bytes), mb(fr1.peakRSS)),
        ("Floe read, 2 threads", rate(rows, fr2.seconds), mb(fr2.bytes), mb(fr2.peakRSS)),
    ]
    var ratios: [String] = []
    if let python, FileManager.default.isExecutableFile(atPath: python) {
        let pyPath = dir + "/pyarrow.parquet"
        let pw = try runPython(python, [script, "write", pyPath, String(rows)])
        let pr1 = try runPython(python, [script, "read", pyPath, "1"])
        let pr2 = try runPython(python, [script, "read", pyPath, "2"])
        let cross = try runPython(python, [script, "read", floePath, "1"])
        rowsOut += [
            ("pyarrow write", rate(rows, pw.seconds), mb(pw.bytes), mb(pw.peakRSS)),
            ("pyarrow read, 1 thread", rate(rows, pr1.seconds), mb(pr1.bytes), mb(pr1.peakRSS)),
            ("pyarrow read, 2 threads", rate(rows, pr2.seconds), mb(pr2.bytes), mb(pr2.peakRSS)),
            ("pyarrow reads Floe's file", rate(rows, cross.seconds), mb(cross.bytes), mb(cross.peakRSS)),
        ]
        ratios = [
            String(format: "write: Floe %.2f s (1 thread %.2f s), pyarrow %.2f s -> Floe is %.2fx pyarrow's speed, %.2fx on 1 thread (target >= 1.00x)", fw.seconds, fw1.seconds, pw.seconds, pw.seconds / fw.seconds, pw.seconds / fw1.seconds),
            String(format: "read 1 thread: Floe %.2f s, pyarrow %.2f s -> Floe takes %.2fx pyarrow's time (target <= 1.25x)", fr1.seconds, pr1.seconds, fr1.seconds / pr1.seconds),
            String(format: "read 2 threads: Floe %.2f s vs pyarrow 1 thread %.2f s -> %.2fx (target < 1.00x); pyarrow 2 threads %.2f s", fr2.seconds, pr1.seconds, fr2.seconds / pr1.seconds, pr2.seconds),
            String(format: "file size: Floe %@, pyarrow %@", mb(fw.bytes), mb(pw.bytes)),
        ]
    } else {
        ratios = ["pyarrow not measured: pass --python or set FLOE_PYTHON to a python with pyarrow"]
    }
    say("")
    say("phase".padding(toLength: 28, withPad: " ", startingAt: 0) + "throughput".padding(toLength: 18, withPad: " ", startingAt: 0) + "bytes on disk".padding(toLength: 16, withPad: " ", startingAt: 0) + "peak RSS")
    for (a, b, c, d) in rowsOut {
        say(a.padding(toLength: 28, withPad: " ", startingAt: 0) + b.padding(toLength: 18, withPad: " ", startingAt: 0) + c.padding(toLength: 16, withPad: " ", startingAt: 0) + d)
    }
    say("")
    for r in ratios { say(r) }
}

/// Keeps freed large blocks in the heap for reuse instead of returning them to the OS after every
/// row group (pyarrow gets the same effect from its jemalloc/mimalloc pool).
func tuneAllocator() {
    #if canImport(Glibc)
    let mmapThreshold: Int32 = -3, trimThreshold: Int32 = -1 // M_MMAP_THRESHOLD, M_TRIM_THRESHOLD in <malloc.h>
    _ = glibcMallopt(mmapThreshold, 1 << 30)
    _ = glibcMallopt(trimThreshold, 1 << 30)
    #endif
}

#if canImport(Glibc)
@_silgen_name("mallopt") func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
#endif

func main() throws {
    tuneAllocator()
    let args = Array(CommandLine.arguments.dropFirst())
    switch args.first {
    case "parquet":
        try parquetBenchmark(Array(args.dropFirst()))
    case "table":
        try TableBenchmark.run(Array(args.dropFirst()))
    case "tail":
        try TailBenchmark.run(Array(args.dropFirst()))
    case "tail-append":
        guard args.count >= 5, let w = Int(args[2]), let n = Int(args[3]), let ms = Int(args[4]) else { throw BenchError("usage: tail-append PATH WRITER COMMITS INTERVAL_MS") }
        try TailBenchmark.appendChild(path: args[1], writer: w, commits: n, intervalMillis: ms)
    case "table-append":
        guard args.count >= 4, let w = Int(args[2]), let n = Int(args[3]) else { throw BenchError("usage: table-append PATH WRITER COMMITS") }
        try TableBenchmark.appendChild(path: args[1], writer: w, commits: n)
    case "parquet-write":
        guard args.count >= 3, let rows = Int(args[2]) else { throw BenchError("usage: parquet-write FILE ROWS") }
        let batches = try ParquetBenchmark.makeBatches(rows: rows)
        var options = ParquetWriteOptions()
        if args.count >= 4, let threads = Int(args[3]) { options.parallelism = threads }
        let start = now()
        let summary = try ParquetFileWriter.write(batches, to: args[1], options: options)
        let seconds = now() - start
        emit(Figure(seconds: seconds, bytes: summary.fileSize, peakRSS: peakRSSBytes()))
    case "parquet-read":
        guard args.count >= 3, let threads = Int(args[2]) else { throw BenchError("usage: parquet-read FILE THREADS") }
        let start = now()
        let reader = try ParquetFileReader(path: args[1])
        var it = try reader.batches(parallelism: threads)
        var rows = 0
        while let b = try it.next() { rows += b.count }
        let seconds = now() - start
        guard rows == reader.metadata.numRows else { throw BenchError("read \(rows) rows, expected \(reader.metadata.numRows)") }
        emit(Figure(seconds: seconds, bytes: reader.source.size, peakRSS: peakRSSBytes()))
    default:
        print("usage: floe-bench parquet [--rows N] [--python PATH] | floe-bench table [--commits N] [--sizes 1000,10000,100000] [--checkpoint-interval N (0: one checkpoint at the latest version)] [--open-only] [--ict (synthetic tables with In-Commit Timestamps)] [--python PATH] | floe-bench tail [--writers 4] [--commits 200 (per writer)] [--interval-ms 5]")
        exit(2)
    }
}

do { try main() } catch { FileHandle.standardError.write(Data("floe-bench: error: \(error)\n".utf8)); exit(1) }
