import Foundation
import Testing
import FloeColumnar
import FloeParquet
import FloeTestSupport

/// Runs `Tests/Interop/make_parquet_fixtures.py` with the test virtualenv's python (`FLOE_PYTHON`,
/// exported by Tools/test.sh; `bash Tools/setup-python.sh` creates it) and reads what it writes.
///
/// Suites using it are disabled, with a message saying why, when `FLOE_PYTHON` is unset
/// (``unsetMessage``) or its python cannot import pyarrow (``noPyarrowMessage``).
enum InteropPython {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The package root (this file is Tests/FloeParquetTests/Interop/InteropPython.swift).
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The fixture generator and dumper.
    static let script: String = packageRoot.appendingPathComponent("Tests/Interop/make_parquet_fixtures.py").path

    static let unsetMessage: Comment =
        "FLOE_PYTHON is unset: run `bash Tools/setup-python.sh` and export FLOE_PYTHON=$PWD/.venv-test/bin/python (Tools/test.sh does both)"
    static let noPyarrowMessage = Comment(rawValue:
        "FLOE_PYTHON=\(configuredPython ?? "") is not a python that can import pyarrow.parquet: run `bash Tools/setup-python.sh` and use .venv-test/bin/python")

    /// `FLOE_PYTHON`, when set.
    static let configuredPython: String? = ProcessInfo.processInfo.environment["FLOE_PYTHON"].flatMap { $0.isEmpty ? nil : $0 }

    /// The python to run, when `FLOE_PYTHON` names one that imports pyarrow (checked once).
    static let python: String? = {
        guard let path = configuredPython, FileManager.default.isExecutableFile(atPath: path) else { return nil }
        guard let result = try? run(executable: path, ["-c", "import pyarrow.parquet"]), result.status == 0 else { return nil }
        return path
    }()

    /// Whether suites needing `FLOE_PYTHON` run: it is set, or FLOE_REQUIRE_PEERS makes them run
    /// (and fail) without it.
    static var isConfigured: Bool { TestEnvironment.gate(configuredPython != nil) }
    /// Whether suites needing pyarrow run (likewise).
    static var isAvailable: Bool { TestEnvironment.gate(python != nil) }

    /// This test process's scratch folder, removed when the process exits.
    static let scratchRoot: URL = {
        atexit {
            try? FileManager.default.removeItem(at: FileManager.default.temporaryDirectory.appendingPathComponent("floe-interop-\(getpid())"))
        }
        return FileManager.default.temporaryDirectory.appendingPathComponent("floe-interop-\(getpid())", isDirectory: true)
    }()

    /// A fresh scratch folder (under ``scratchRoot``).
    static func scratchDirectory(_ name: String) throws -> URL {
        let url = scratchRoot.appendingPathComponent(name, isDirectory: true)
        try? FileManager.default.removeItem(at: url)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs `executable` with `arguments`; standard output and error go through files (no pipe
    /// deadlocks on large output).
    static func run(executable: String, _ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("floe-interop-io-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let outURL = dir.appendingPathComponent("stdout")
        let errURL = dir.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        let stdout = (try? String(contentsOf: outURL, encoding: .utf8)) ?? ""
        let stderr = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
        return (process.terminationStatus, stdout, stderr)
    }

    /// Runs the script with `arguments`; throws with its standard error when it fails.
    @discardableResult
    static func runScript(_ arguments: [String]) throws -> String {
        guard let python else { throw Failure(description: "\(noPyarrowMessage)") }
        let result = try run(executable: python, [script] + arguments)
        guard result.status == 0 else {
            throw Failure(description: "make_parquet_fixtures.py \(arguments.prefix(3).joined(separator: " ")) failed (exit \(result.status)):\n\(result.stderr)")
        }
        return result.stdout
    }

    /// Reads and parses a JSON file.
    static func readJSON(_ url: URL) throws -> JSONValue {
        try JSONParser.parse([UInt8](try Data(contentsOf: url)))
    }

    /// The folder of generated fixtures: `FLOE_FIXTURES` when it holds a manifest (Tools/test.sh
    /// generates them before the Swift tests), else generated once per test process.
    static let fixtures: Result<URL, Failure> = {
        if let dir = ProcessInfo.processInfo.environment["FLOE_FIXTURES"], !dir.isEmpty,
           FileManager.default.fileExists(atPath: dir + "/manifest.json") {
            return .success(URL(fileURLWithPath: dir, isDirectory: true))
        }
        do {
            let dir = try scratchDirectory("fixtures")
            try runScript([dir.path])
            return .success(dir)
        } catch let error as Failure {
            return .failure(error)
        } catch {
            return .failure(Failure(description: "\(error)"))
        }
    }()

    /// What `dump-many` produced for one file: pyarrow's document, or the error pyarrow raised.
    struct Dump {
        var file: String
        var document: Result<JSONValue, Failure>
    }

    /// Dumps `files` with pyarrow in one python process (`dump-many`; `check` adds warnings and
    /// statistics checks to each document) and calls `body` with each file's dump, in input order,
    /// as soon as python has written it: Swift compares file i while python dumps the next ones.
    static func dumpMany(_ files: [String], check: Bool, scratch: String, _ body: (Int, Dump) throws -> Void) throws {
        guard let python else { throw Failure(description: "\(noPyarrowMessage)") }
        let dir = try scratchDirectory(scratch)
        let list = dir.appendingPathComponent("files.txt")
        try files.joined(separator: "\n").write(to: list, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("dumps")
        let errURL = dir.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let err = try FileHandle(forWritingTo: errURL)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script, "dump-many", out.path, "--files-from", list.path] + (check ? ["--check"] : [])
        process.standardOutput = FileHandle.nullDevice
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        defer {
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
            try? err.close()
            try? FileManager.default.removeItem(at: dir)
        }
        func failed() -> Failure {
            let stderr = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
            return Failure(description: "make_parquet_fixtures.py dump-many exited with status \(process.terminationStatus):\n\(stderr)")
        }
        for (i, file) in files.enumerated() {
            let json = out.appendingPathComponent("\(i).json")
            let error = out.appendingPathComponent("\(i).error")
            var exited = false
            while true {
                if FileManager.default.fileExists(atPath: json.path) {
                    try body(i, Dump(file: file, document: .success(try readJSON(json))))
                    break
                }
                if FileManager.default.fileExists(atPath: error.path) {
                    let message = (try? String(contentsOf: error, encoding: .utf8)) ?? "unknown error"
                    try body(i, Dump(file: file, document: .failure(Failure(description: message))))
                    break
                }
                if exited { throw failed() }
                if !process.isRunning { exited = true; continue } // look once more: it may have just finished
                usleep(5_000)
            }
        }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw failed() }
    }
}

/// Reading a Parquet file with Floe and comparing it with pyarrow's JSON document of it.
enum InteropCheck {
    /// Reads the whole file with Floe and returns the differences from pyarrow's `document`:
    /// schema (names, nullability, field ids, types under the documented mapping) and every row.
    /// Throws what Floe throws.
    static func differences(file: String, document: JSONValue, parallelism: Int = 1) throws -> [String] {
        let reader = try ParquetFileReader(path: file)
        let fields = document["schema"]?.arrayValue?.map(PyarrowField.init) ?? []
        var problems = InteropComparer.schemaDifferences(reader.arrowSchema, fields)
        let batches = try reader.readAll(parallelism: parallelism)
        let expectedRowGroups = document["parquet"]?["row_group_rows"]?.arrayValue?.compactMap(\.intValue) ?? []
        let actualRowGroups = batches.map(\.count)
        if actualRowGroups != expectedRowGroups && !(expectedRowGroups.allSatisfy { $0 == 0 } && actualRowGroups.allSatisfy { $0 == 0 }) {
            problems.append("row groups of \(expectedRowGroups) rows expected, Floe read \(actualRowGroups)")
        }
        let expected = document["rows"]?.arrayValue ?? []
        if let d = InteropComparer.firstDifference(expected: expected, batches: batches, pyarrow: fields) {
            problems.append(d)
        }
        problems += statisticsProblems(reader, batches)
        return problems
    }

    /// Checks the statistics Floe decodes from the footer against the data Floe read, for every
    /// top-level flat column of every row group: the null count equals the column's, and min/max
    /// (when decoded) are the smallest and largest non-null, non-NaN values (or bounds of them when
    /// marked inexact). Wrong bounds would make statistics-based row group skipping drop matching rows.
    static func statisticsProblems(_ reader: ParquetFileReader, _ batches: [RecordBatch]) -> [String] {
        var problems: [String] = []
        var leafOfField: [String: Int] = [:]
        for column in reader.schema.columns where column.path.count == 1 && column.maxRepetitionLevel == 0 {
            leafOfField[column.path[0]] = column.index
        }
        for (g, batch) in batches.enumerated() where g < reader.metadata.rowGroups.count {
            for (field, column) in zip(batch.schema.fields, batch.columns) {
                guard let j = leafOfField[field.name], let stats = reader.metadata.rowGroups[g].columns[j].statistics else { continue }
                let where_ = "row group \(g) column \(field.name)"
                if let n = stats.nullCount, n != column.nullCount {
                    problems.append("\(where_): statistics null count \(n), the data has \(column.nullCount)")
                }
                guard let lo = stats.min, let hi = stats.max else { continue }
                guard let (actualMin, actualMax) = extremes(column) else {
                    problems.append("\(where_): statistics bounds \(lo)...\(hi) but no non-null value")
                    continue
                }
                // Bounds must hold; they must be the extremes themselves unless marked inexact.
                let minOK = stats.isMinExact ? order(lo, actualMin) == 0 : order(lo, actualMin) <= 0
                let maxOK = stats.isMaxExact ? order(hi, actualMax) == 0 : (0...1).contains(order(hi, actualMax))
                if !minOK || !maxOK {
                    problems.append("\(where_): statistics min/max \(lo) / \(hi)\(stats.isMinExact && stats.isMaxExact ? "" : " (inexact)"), the data has \(actualMin) / \(actualMax)")
                }
            }
        }
        return problems
    }

    /// The smallest and largest non-null, non-NaN values of a flat column (nil if there are none).
    static func extremes(_ column: Column) -> (Scalar, Scalar)? {
        // Pointer loops for integers and strings (the golden corpus has columns of 150k rows; tests
        // run unoptimised); scalars otherwise.
        let count = column.count
        func withValidity<R>(_ body: (UnsafeRawBufferPointer?) -> R) -> R {
            if let validity = column.validity { return validity.withUnsafeBytes { body($0) } }
            return body(nil)
        }
        func integers<T: FixedWidthInteger & BitwiseCopyable>(_: T.Type, _ wrap: (T) -> Scalar) -> (Scalar, Scalar)? {
            var lo = T.max, hi = T.min, any = false
            withValidity { bits in
                column.buffers[0].withUnsafeValues(of: T.self) { values in
                    for row in 0..<count {
                        if let bits, !bitIsSet(bits, row) { continue }
                        let v = values[row]
                        if v < lo { lo = v }
                        if v > hi { hi = v }
                        any = true
                    }
                }
            }
            return any ? (wrap(lo), wrap(hi)) : nil
        }
        switch column.dataType {
        case .int8: return integers(Int8.self) { .int(Int64($0)) }
        case .int16: return integers(Int16.self) { .int(Int64($0)) }
        case .int32, .date32: return integers(Int32.self) { .int(Int64($0)) }
        case .int64, .timestamp: return integers(Int64.self) { .int($0) }
        case .uint8: return integers(UInt8.self) { .uint(UInt64($0)) }
        case .uint16: return integers(UInt16.self) { .uint(UInt64($0)) }
        case .uint32: return integers(UInt32.self) { .uint(UInt64($0)) }
        case .uint64: return integers(UInt64.self) { .uint($0) }
        case .string, .binary:
            var lo = -1, hi = -1
            withValidity { bits in
                column.buffers[0].withUnsafeValues(of: Int32.self) { offsets in
                    column.buffers[1].withUnsafeBytes { data in
                        guard let base = data.baseAddress ?? UnsafeRawPointer(bitPattern: 1) else { return }
                        func less(_ a: Int, _ b: Int) -> Bool {
                            let x = Int(offsets[a]), xn = Int(offsets[a + 1]) - x
                            let y = Int(offsets[b]), yn = Int(offsets[b + 1]) - y
                            let n = min(xn, yn)
                            let c = n == 0 ? 0 : memcmp(base + x, base + y, n)
                            return c < 0 || (c == 0 && xn < yn)
                        }
                        for row in 0..<count {
                            if let bits, !bitIsSet(bits, row) { continue }
                            if lo < 0 || less(row, lo) { lo = row }
                            if hi < 0 || less(hi, row) { hi = row }
                        }
                    }
                }
            }
            guard lo >= 0 else { return nil }
            return (column.scalar(at: lo), column.scalar(at: hi))
        default:
            var lo: Scalar?, hi: Scalar?
            for row in 0..<column.count {
                let v = column.scalar(at: row)
                if case .null = v { continue }
                if case .float(let x) = v, x.isNaN { continue }
                if lo.map({ order(v, $0) < 0 }) ?? true { lo = v }
                if hi.map({ order(v, $0) > 0 }) ?? true { hi = v }
            }
            guard let lo, let hi else { return nil }
            return (lo, hi)
        }
    }

    /// The order of two non-null scalars of one type (negative, zero, positive); -0.0 equals 0.0,
    /// strings and binaries compare as unsigned bytes.
    static func order(_ a: Scalar, _ b: Scalar) -> Int {
        func cmp<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x == y ? 0 : 1) }
        func bytes(_ x: [UInt8], _ y: [UInt8]) -> Int {
            for (p, q) in zip(x, y) where p != q { return p < q ? -1 : 1 }
            return cmp(x.count, y.count)
        }
        switch (a, b) {
        case (.bool(let x), .bool(let y)): return cmp(x ? 1 : 0, y ? 1 : 0)
        case (.int(let x), .int(let y)): return cmp(x, y)
        case (.uint(let x), .uint(let y)): return cmp(x, y)
        case (.float(let x), .float(let y)): return cmp(x, y)
        case (.decimal(let x), .decimal(let y)): return cmp(x, y)
        case (.string(let x), .string(let y)): return bytes(Array(x.utf8), Array(y.utf8))
        case (.binary(let x), .binary(let y)): return bytes(x, y)
        default: return a == b ? 0 : 2 // different kinds: never equal
        }
    }
}
