import Foundation
import Testing
import FloeColumnar
@testable import Floe

/// Runs `Tests/Interop/delta_interop.py` (delta-rs, the `deltalake` package) and compares its view
/// of a table with Floe's: rows, schema, protocol, files, statistics, filtered reads, history and
/// time travel by timestamp, version by version.
///
/// One Python process per scenario: a plan of steps (deltalake writes, maintenance, dumps) runs in
/// order and its results come back as JSON. Tests using it are disabled without a Python that
/// imports `deltalake` (`FLOE_PYTHON`, else `.venv-test/bin/python` of the package).
enum DeltaInterop {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static var isAvailable: Bool { TestPython.hasDeltalake }

    static let script: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Interop/delta_interop.py").path

    // MARK: Plans

    /// Runs `steps` against the table at `table` in one Python process and returns one result per
    /// step. Throws when the process fails or produces no results.
    static func run(table: String, _ steps: [JSONValue], timestampDigits: Int = 9, timeout: TimeInterval = 120) throws -> [JSONValue] {
        guard let python = TestPython.executable else { throw Failure(description: "no Python") }
        let work = try Fixtures.scratchDirectory("delta-interop")
        defer { Fixtures.remove(work) }
        let plan: JSONValue = .object(["table": .string(table), "timestampDigits": .int(Int64(timestampDigits)),
                                       "steps": .array(steps)])
        try Data(plan.jsonText.utf8).write(to: URL(fileURLWithPath: work + "/plan.json"))
        let process = try start(python, [script, work + "/plan.json", work + "/out.json"], stderr: work + "/stderr")
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        let stderr = (try? String(contentsOfFile: work + "/stderr", encoding: .utf8)) ?? ""
        guard process.terminationStatus == 0, let data = FileManager.default.contents(atPath: work + "/out.json") else {
            throw Failure(description: "delta_interop.py exited with status \(process.terminationStatus): \(stderr)")
        }
        let out = try JSONValue.parse(Array(data))
        guard let results = out["steps"]?.arrayValue, results.count == steps.count else {
            throw Failure(description: "delta_interop.py returned \(out.jsonText.prefix(300))")
        }
        return results
    }

    /// Starts `executable` with standard output discarded and standard error to a file.
    static func start(_ executable: String, _ arguments: [String], stderr: String) throws -> Process {
        FileManager.default.createFile(atPath: stderr, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: stderr))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// A deltalake `write_deltalake` step writing `rows` (ndjson objects) with `schema`'s types.
    static func write(_ schema: StructType, _ rows: [JSONValue], mode: String = "append", partitionBy: [String] = [],
                      schemaMode: String? = nil, predicate: String? = nil, configuration: [String: String]? = nil) -> JSONValue {
        var step: JSONObject = ["op": .string("write"), "schema": DeltaType.struct(schema).jsonValue, "rows": .array(rows),
                                "mode": .string(mode), "partitionBy": .array(partitionBy.map { .string($0) })]
        if let schemaMode { step["schemaMode"] = .string(schemaMode) }
        if let predicate { step["predicate"] = .string(predicate) }
        if let configuration {
            step["configuration"] = .object(JSONObject(configuration.sorted { $0.key < $1.key }.map { .init(key: $0.key, value: .string($0.value)) }))
        }
        return .object(step)
    }

    /// A step without arguments (`checkpoint`, `compact`) or with the given ones.
    static func step(_ op: String, _ arguments: JSONObject = [:]) -> JSONValue {
        var step = arguments
        step["op"] = .string(op)
        return .object(step)
    }

    /// A dump step: every version (or `versions`), time travel to `timestamps` (milliseconds, or
    /// nil for `"between"`: before the first commit, between commits, after the last, by commit
    /// file times), filtered reads with `queries` at every version.
    /// With `duckdb`, DuckDB's delta extension (delta-kernel-rs) reads every version too, and its
    /// rows are compared with Floe's as delta-rs's are.
    static func dump(versions: [Int64]? = nil, latestOnly: Bool = false, timestamps: [Int64]? = nil, queries: [String] = [],
                     duckdb: Bool = false) -> JSONValue {
        var step: JSONObject = ["op": .string("dump"), "queries": .array(queries.map { .string($0) })]
        if duckdb { step["duckdb"] = .bool(true) }
        if latestOnly { step["versions"] = .string("latest") } else if let versions { step["versions"] = .array(versions.map { .int($0) }) }
        step["timestamps"] = timestamps.map { .array($0.map { .int($0) }) } ?? .string("between")
        return .object(step)
    }

    // MARK: Floe's view

    /// Floe's reading of one snapshot in the shape of the script's: rows (each an array in column
    /// order, as JSON values), columns, schema, partition columns, protocol, files.
    struct Reading {
        var version: Int64
        var columns: [String]
        var rows: [JSONValue]
        var schema: JSONValue
        var partitionColumns: [String]
        var protocolValue: JSONValue
        var files: [ScanFile]
        var queries: [String: Result<[JSONValue], DeltaError>] = [:]
    }

    /// Reads `snapshot` with Floe (and each query as a filtered scan).
    static func read(_ table: Table, _ snapshot: Snapshot, queries: [String] = []) throws -> Reading {
        let scan = try table.scan(snapshot)
        let rows = try encodeRows(scan.readAll())
        let p = snapshot.protocol
        let features: ([TableFeature]?) -> JSONValue = { list in list.map { .array($0.map { .string($0.rawValue) }) } ?? .null }
        let protocolValue: JSONValue = .object(["minReaderVersion": .int(Int64(p.minReaderVersion)),
                                                "minWriterVersion": .int(Int64(p.minWriterVersion)),
                                                "readerFeatures": features(p.readerFeatures),
                                                "writerFeatures": features(p.writerFeatures)])
        var reading = Reading(version: snapshot.version, columns: scan.schema.fields.map(\.name), rows: rows,
                              schema: DeltaType.struct(snapshot.schema).jsonValue, partitionColumns: snapshot.partitionColumns,
                              protocolValue: protocolValue, files: try scan.files())
        for q in queries {
            do {
                let filtered = try table.scan(snapshot, where: try Condition(sql: q))
                reading.queries[q] = .success(try encodeRows(filtered.readAll()))
            } catch let e as DeltaError {
                reading.queries[q] = .failure(e)
            }
        }
        return reading
    }

    /// Rows as JSON arrays in the value encoding of `make_parquet_fixtures.py`, sorted by their
    /// canonical text.
    static func encodeRows(_ batches: [RecordBatch]) throws -> [JSONValue] {
        var rows: [JSONValue] = []
        for batch in batches {
            for r in 0..<batch.count {
                var json = GoldenValueJSON()
                json.append("[")
                for (c, column) in batch.columns.enumerated() {
                    if c > 0 { json.append(",") }
                    json.cell(column, r)
                }
                json.append("]")
                rows.append(try JSONValue.parse(json.bytes))
            }
        }
        return sortedRows(rows)
    }

    static func sortedRows(_ rows: [JSONValue]) -> [JSONValue] {
        rows.map { ($0, canonical($0)) }.sorted { $0.1 < $1.1 }.map(\.0)
    }

    /// A scalar of `type` in the value encoding.
    static func encode(_ value: Scalar, _ type: DataType) throws -> JSONValue {
        var json = GoldenValueJSON()
        json.value(value, type)
        return try JSONValue.parse(json.bytes)
    }

    /// JSON text with object keys sorted and numbers normalized (integers as integers, other
    /// numbers as Swift's shortest `Double` rendering), for order-insensitive comparison.
    static func canonical(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let n):
            if let i = n.int64Value { return String(i) }
            if let d = n.doubleValue {
                if d == d.rounded(), abs(d) < 9e15, !(d == 0 && d.sign == .minus) { return String(Int64(d)) }
                return "\(d)"
            }
            return n.text
        case .string(let s): return JSONValue.string(s).jsonText
        case .array(let items): return "[" + items.map(canonical).joined(separator: ",") + "]"
        case .object(let object):
            let members = object.members.sorted { $0.key < $1.key }
            return "{" + members.map { JSONValue.string($0.key).jsonText + ":" + canonical($0.value) }.joined(separator: ",") + "}"
        }
    }

    static func same(_ a: JSONValue?, _ b: JSONValue?) -> Bool {
        canonical(a ?? .null) == canonical(b ?? .null)
    }

    // MARK: Comparison

    /// Differences between delta-rs's reading (`delta`, from a dump) and Floe's of the same
    /// version, each a sentence naming the version and what differs.
    static func differences(_ delta: JSONValue, _ floe: Reading, label: String) throws -> [String] {
        var out: [String] = []
        let at = "\(label) v\(floe.version)"
        if let v = delta["version"]?.int64Value, v != floe.version {
            out.append("\(at): delta-rs read version \(v)")
        }
        let deltaColumns = delta["columns"]?.arrayValue?.compactMap(\.stringValue) ?? []
        if deltaColumns != floe.columns {
            out.append("\(at): columns: delta-rs \(deltaColumns), Floe \(floe.columns)")
        } else {
            let deltaRows = sortedRows(delta["rows"]?.arrayValue ?? [])
            out += rowDifferences(deltaRows, floe.rows, at: at)
        }
        if !same(delta["schema"], floe.schema) {
            out.append("\(at): schema: delta-rs \(delta["schema"]?.jsonText ?? "-"), Floe \(floe.schema.jsonText)")
        }
        if (delta["partitionColumns"]?.arrayValue?.compactMap(\.stringValue) ?? []) != floe.partitionColumns {
            out.append("\(at): partition columns: delta-rs \(delta["partitionColumns"]?.jsonText ?? "-"), Floe \(floe.partitionColumns)")
        }
        if !same(delta["protocol"], floe.protocolValue) {
            out.append("\(at): protocol: delta-rs \(delta["protocol"]?.jsonText ?? "-"), Floe \(floe.protocolValue.jsonText)")
        }
        out += try fileDifferences(delta, floe, at: at)
        if let duck = delta["duckdb"] {
            if let error = duck["error"]?.stringValue {
                out.append("\(at): DuckDB failed: \(error)")
            } else {
                let duckColumns = duck["columns"]?.arrayValue?.compactMap(\.stringValue) ?? []
                if duckColumns != floe.columns {
                    out.append("\(at): columns: DuckDB \(duckColumns), Floe \(floe.columns)")
                } else {
                    out += rowDifferences(sortedRows(duck["rows"]?.arrayValue ?? []), floe.rows, at: "\(at) (DuckDB)")
                }
            }
        }
        for query in delta["queries"]?.arrayValue ?? [] {
            guard let q = query["where"]?.stringValue else { continue }
            let mine = floe.queries[q]
            switch (query["rows"]?.arrayValue, mine) {
            case (let rows?, .success(let floeRows)?):
                out += rowDifferences(sortedRows(rows), floeRows, at: "\(at) where \(q)")
            case (nil, .failure?): break
            case (let rows?, .failure(let e)?): out.append("\(at) where \(q): Floe failed (\(e)), delta-rs read \(rows.count) rows")
            case (nil, .success(let rows)?): out.append("\(at) where \(q): delta-rs failed (\(query["error"]?.stringValue ?? "")), Floe read \(rows.count) rows")
            case (_, nil): out.append("\(at) where \(q): Floe did not run the query")
            }
        }
        return out
    }

    static func rowDifferences(_ delta: [JSONValue], _ floe: [JSONValue], at: String) -> [String] {
        let d = delta.map(canonical), f = floe.map(canonical)
        guard d != f else { return [] }
        let onlyDelta = d.filter { !f.contains($0) }.prefix(3), onlyFloe = f.filter { !d.contains($0) }.prefix(3)
        return ["\(at): rows differ (delta-rs \(d.count), Floe \(f.count)); only delta-rs: \(Array(onlyDelta)); only Floe: \(Array(onlyFloe))"]
    }

    /// Files: the same `add` paths (as in the log) and decoded paths; per file the same size,
    /// record count, typed partition values, and statistics (null counts, minima and maxima as
    /// each side parses them).
    static func fileDifferences(_ delta: JSONValue, _ floe: Reading, at: String) throws -> [String] {
        var out: [String] = []
        let deltaFiles = delta["files"]?.arrayValue ?? []
        let deltaPaths = deltaFiles.compactMap { $0["path"]?.stringValue }.sorted()
        let floePaths = floe.files.map(\.add.path).sorted()
        if deltaPaths != floePaths {
            return ["\(at): files: delta-rs \(deltaPaths), Floe \(floePaths)"]
        }
        let uris = delta["fileURIs"]?.arrayValue?.compactMap(\.stringValue).sorted() ?? []
        if uris != floe.files.map(\.add.decodedPath).sorted() {
            out.append("\(at): decoded file paths: delta-rs \(uris), Floe \(floe.files.map(\.add.decodedPath).sorted())")
        }
        let fields = try floe.schemaType.fields.map { try PhysicalField($0, mode: .none) }
        var leafTypes: [String: DataType] = [:]
        func collect(_ fields: [PhysicalField], _ prefix: String) {
            for f in fields {
                let path = prefix.isEmpty ? f.logical.name : prefix + "." + f.logical.name
                if case .struct = f.logical.dataType { collect(f.children, path) } else { leafTypes[path] = f.logical.dataType }
            }
        }
        collect(fields, "")
        for file in floe.files {
            guard let d = deltaFiles.first(where: { $0["path"]?.stringValue == file.add.path }) else { continue }
            let name = "\(at) file \(file.add.path)"
            if d["size"]?.int64Value != file.add.size { out.append("\(name): size delta-rs \(d["size"]?.jsonText ?? "-"), Floe \(file.add.size)") }
            if d["numRecords"]?.int64Value != file.statistics?.numRecords {
                out.append("\(name): numRecords delta-rs \(d["numRecords"]?.jsonText ?? "-"), Floe \(file.statistics?.numRecords.map(String.init) ?? "none")")
            }
            var partition = JSONObject()
            for c in floe.partitionColumns {
                let type = try floe.arrowType(of: c)
                partition[c] = try encode(file.partitionValues[c] ?? .null, type)
            }
            if !same(d["partitionValues"], .object(partition)) {
                out.append("\(name): partition values delta-rs \(d["partitionValues"]?.jsonText ?? "-"), Floe \(JSONValue.object(partition).jsonText)")
            }
            let raw = file.add.stats.flatMap { try? JSONValue.parse($0) }
            out += statisticsDifferences(d, file.statistics, raw: raw, leafTypes: leafTypes, at: name)
        }
        return out
    }

    /// Each side's parsed statistics per leaf column: where Floe has a null count or bounds,
    /// delta-rs has the same; where delta-rs has bounds, so has Floe (except string maxima of 32
    /// or more characters, which Floe drops as possibly truncated, and one-sided bounds — a
    /// minimum without a maximum, as written for a column whose maximum is infinite — which Floe's
    /// reader does not use but which must then be in the `add` action's `stats` as delta-rs read them).
    static func statisticsDifferences(_ d: JSONValue, _ stats: FileStatistics?, raw: JSONValue?, leafTypes: [String: DataType], at: String) -> [String] {
        var out: [String] = []
        func lookup(_ root: JSONValue?, _ path: String) -> JSONValue? {
            var value = root
            for part in path.split(separator: ".") { value = value?[String(part)] }
            return value
        }
        for (path, type) in leafTypes.sorted(by: { $0.key < $1.key }) {
            let bounds = stats?.columns[path]
            let deltaNulls = lookup(d["nullCount"], path)
            if let n = bounds?.nullCount, deltaNulls?.int64Value != Int64(n) {
                out.append("\(at): null count of \(path): delta-rs \(deltaNulls?.jsonText ?? "none"), Floe \(n)")
            }
            for (label, deltaValue, floeValue) in [("min", lookup(d["minValues"], path), bounds?.min),
                                                   ("max", lookup(d["maxValues"], path), bounds?.max)] {
                var mine = floeValue
                // Floe widens timestamp maxima by 999 µs (writers truncate them to milliseconds).
                if label == "max", case .timestamp = type, case .int(let v)? = mine { mine = .int(v - 999) }
                let deltaHas = deltaValue.map { !$0.isNull } ?? false
                switch (deltaHas, mine) {
                case (false, nil): break
                case (true, nil):
                    if label == "max", case .string(let s)? = deltaValue, type == .string, s.count >= 32 { break }
                    let other = label == "min" ? lookup(d["maxValues"], path) : lookup(d["minValues"], path)
                    if other?.isNull ?? true, let stored = lookup(raw?[label + "Values"], path),
                       let value = FileStatistics.scalar(stored, type: type, isMax: false),
                       let encoded = try? encode(value, type), same(deltaValue, encoded) { break }
                    out.append("\(at): \(label) of \(path): delta-rs \(deltaValue?.jsonText ?? ""), Floe none")
                case (false, let v?):
                    out.append("\(at): \(label) of \(path): delta-rs none, Floe \(v)")
                case (true, let v?):
                    let encoded = (try? encode(v, type)) ?? .null
                    if !same(deltaValue, encoded) {
                        out.append("\(at): \(label) of \(path): delta-rs \(deltaValue?.jsonText ?? ""), Floe \(encoded.jsonText)")
                    }
                }
            }
        }
        return out
    }

    /// History: the same versions, newest first, and for each the same `commitInfo` (delta-rs adds
    /// `version`; Floe's `HistoryEntry` has it separately).
    static func historyDifferences(_ delta: JSONValue?, _ floe: [HistoryEntry], label: String) -> [String] {
        let entries = delta?.arrayValue ?? []
        let deltaVersions = entries.compactMap { $0["version"]?.int64Value }
        guard deltaVersions == floe.map(\.version) else {
            return ["\(label): history versions: delta-rs \(deltaVersions), Floe \(floe.map(\.version))"]
        }
        var out: [String] = []
        for (d, f) in zip(entries, floe) {
            guard case .object(var object) = d else { continue }
            object["version"] = nil
            let info: JSONValue = f.commitInfo.map { .object($0.fields) } ?? .null
            if !same(.object(object), info) {
                out.append("\(label): history of v\(f.version): delta-rs \(JSONValue.object(object).jsonText), Floe \(info.jsonText)")
            }
        }
        return out
    }

    /// The comparison of dumps with Floe's readings: differences found, and how often the one
    /// known divergence of time travel was seen (delta-rs 1.6.6 loads the first version for a
    /// time before the first commit; Floe refuses with `timestampBeforeFirstCommit`, as Spark does).
    struct DumpCheck {
        var differences: [String] = []
        var beforeFirstCommit = 0
        /// Readings (versions and times) compared, and the rows in them.
        var readings = 0
        var rows = 0
        /// Versions that DuckDB read too (dumps with `duckdb: true`).
        var duckdbReadings = 0

        /// Compares a dump (every version it read, and its time travel by timestamp) with Floe's
        /// readings of the same versions and timestamps.
        mutating func compare(_ dump: JSONValue, table: Table, queries: [String] = [], label: String) throws {
            guard dump["ok"]?.boolValue == true else {
                differences.append("\(label): the dump failed: \(dump["error"]?.stringValue ?? dump.jsonText)")
                return
            }
            for reading in dump["versions"]?.arrayValue ?? [] {
                guard let version = reading["version"]?.int64Value else { continue }
                readings += 1
                rows += reading["rows"]?.arrayValue?.count ?? 0
                if reading["duckdb"] != nil { duckdbReadings += 1 }
                differences += try DeltaInterop.compareReading(reading, table: table, label: label, queries: queries) {
                    try table.snapshot(version: version)
                }
            }
            for reading in dump["timestamps"]?.arrayValue ?? [] {
                guard let ms = reading["timestamp"]?.int64Value else { continue }
                let date = Date(timeIntervalSince1970: Double(ms) / 1000)
                if let first = try table.history().last, ms < first.timestamp {
                    // The known divergence, checked rather than compared.
                    do {
                        _ = try table.snapshot(asOf: date)
                        differences.append("\(label) at \(ms) ms: Floe travelled to a time before the first commit")
                    } catch let e as DeltaError where e.code == .timestampBeforeFirstCommit {
                        // delta-rs loads the first version (which fails if its files were vacuumed).
                        if reading["version"]?.int64Value == first.version
                            || reading["error"]?.stringValue?.hasPrefix("FileNotFoundError") == true { beforeFirstCommit += 1 }
                        else { differences.append("\(label) at \(ms) ms (before the first commit): delta-rs \(reading.jsonText.prefix(200))") }
                    }
                    continue
                }
                readings += 1
                rows += reading["rows"]?.arrayValue?.count ?? 0
                differences += try DeltaInterop.compareReading(reading, table: table, label: "\(label) at \(ms) ms", queries: []) {
                    try table.snapshot(asOf: date)
                }
            }
        }
    }

    /// One reading: both sides read it alike, or both fail (delta-rs's error, Floe's must be a
    /// missing file or version or a timestamp before the first commit).
    static func compareReading(_ reading: JSONValue, table: Table, label: String, queries: [String],
                               snapshot: () throws -> Snapshot) throws -> [String] {
        let floe: Result<Reading, DeltaError>
        do {
            floe = .success(try read(table, try snapshot(), queries: queries))
        } catch let e as DeltaError {
            floe = .failure(e)
        }
        switch (reading["error"]?.stringValue, floe) {
        case (nil, .success(let mine)):
            return try differences(reading, mine, label: label)
        case (let error?, .failure(let e)):
            let expected: Set<DeltaError.Code> = [.fileNotFound, .versionNotFound, .timestampBeforeFirstCommit]
            return expected.contains(e.code) ? [] : ["\(label): both failed, Floe unexpectedly: \(e) | delta-rs: \(error)"]
        case (let error?, .success(let mine)):
            return ["\(label): delta-rs failed (\(error)) but Floe read v\(mine.version) (\(mine.rows.count) rows)"]
        case (nil, .failure(let e)):
            return ["\(label): Floe failed (\(e)) but delta-rs read v\(reading["version"]?.int64Value ?? -1)"]
        }
    }
}

extension DeltaInterop.Reading {
    var schemaType: StructType {
        get throws {
            try StructType(json: schema.jsonText)
        }
    }

    func arrowType(of column: String) throws -> DataType {
        guard let field = try schemaType.field(named: column) else {
            throw DeltaInterop.Failure(description: "no column \(column)")
        }
        return try field.type.arrowType()
    }
}

extension JSONValue {
    /// The member `key` of an object (nil for other values).
    subscript(key: String) -> JSONValue? { objectValue?[key] }
}
