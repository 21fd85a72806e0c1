import FloeColumnar

/// Entry points for coverage-guided fuzzing of Floe's text parsers (`Tools/fuzz-floe`, run by
/// `Tools/fuzz.sh`) and for the tests that replay the committed seeds and what fuzzing found
/// (`Tests/FloeTests/FuzzSeeds/`, `Tests/FloeTests/FuzzRegressions/`).
///
/// Not part of the library's API (`package` access): nothing in Floe calls these.
///
/// The contract being fuzzed: any input either parses or throws a ``DeltaError`` whose code is not
/// ``DeltaError/Code/internalError`` (evaluating a parsed predicate may also throw FloeColumnar's
/// `ColumnarError`); it never crashes, hangs or allocates without bound, and what parses
/// re-serializes to text that parses to the same value. ``check(_:_:)`` turns a violation Swift can
/// observe into a description; crashes, hangs and excessive allocation are observed by libFuzzer
/// and the sanitizers.
package enum DeltaFuzzing {
    /// What an input is fed to.
    package enum Target: String, CaseIterable, Sendable {
        /// The input is a table's log: commit files 0, 1, ... separated by a blank line pair
        /// (`"\n\n\n"`). Each is parsed (`Action.parseLines`), re-serialized and parsed again; then the
        /// table is loaded from an in-memory storage and its files planned (stats, partition values,
        /// deletion vector paths).
        case log
        /// The input is a SQL predicate: parsed without and with a schema, bound and evaluated.
        case condition
        /// The input is a DDL column list (`StructType(ddl:)`), round-tripped and converted to Arrow.
        case ddl
        /// The input is ndjson text decoded into a fixed schema, and with new columns allowed.
        case ndjson
        /// The input is CSV text decoded likewise.
        case csv

        /// The target an input is routed to when no target is fixed: its first byte selects one.
        static func select(_ byte: UInt8) -> Target { allCases[Int(byte) % allCases.count] }
    }

    /// A failure of the contract that Swift code can observe (as opposed to a crash).
    package struct ContractViolation: Error, CustomStringConvertible {
        package let description: String
    }

    /// Runs `data` through `target`. Returns nil when the input parsed or threw an acceptable error;
    /// otherwise a description of the contract violation.
    package static func check(_ target: Target, _ data: UnsafeRawBufferPointer) -> String? {
        do {
            try run(target, data)
            return nil
        } catch let error as DeltaError where error.code != .internalError {
            return nil
        } catch let error as DeltaError {
            return "\(target): internal error (a Floe bug) on bad input: \(error)"
        } catch let error as ContractViolation {
            return "\(target): \(error)"
        } catch {
            return "\(target): threw \(type(of: error)) instead of a DeltaError: \(error)"
        }
    }

    /// Routes `data` by its first byte (see ``Target/select(_:)``), passing on the rest.
    package static func checkSelectingTarget(_ data: UnsafeRawBufferPointer) -> String? {
        guard let first = data.first else { return nil }
        return check(Target.select(first), UnsafeRawBufferPointer(rebasing: data[1...]))
    }

    /// Runs `data` through `target`, throwing whatever the parsers throw.
    package static func run(_ target: Target, _ data: UnsafeRawBufferPointer) throws {
        switch target {
        case .log: try fuzzLog(Array(data))
        case .condition: try fuzzCondition(String(decoding: data, as: UTF8.self))
        case .ddl: try fuzzDDL(String(decoding: data, as: UTF8.self))
        case .ndjson: try fuzzRows(Array(data), format: .ndjson)
        case .csv: try fuzzRows(Array(data), format: .csv)
        }
    }

    // MARK: Log

    /// The commit files of a log input: split at each `"\n\n\n"`, at most 8.
    static func commits(_ bytes: [UInt8]) -> [[UInt8]] {
        var out: [[UInt8]] = []
        var start = 0
        var i = 0
        while i + 2 < bytes.count && out.count < 7 {
            if bytes[i] == 0x0A && bytes[i + 1] == 0x0A && bytes[i + 2] == 0x0A {
                out.append(Array(bytes[start..<i + 1]))
                i += 3
                start = i
            } else {
                i += 1
            }
        }
        out.append(Array(bytes[start...]))
        return out
    }

    static func fuzzLog(_ bytes: [UInt8]) throws {
        let files = commits(bytes)
        var parsed = true
        for (version, file) in files.enumerated() {
            let actions: [Action]
            do { actions = try Action.parseLines(file, source: "commit \(version)") } catch let e as DeltaError where e.code != .internalError {
                parsed = false
                continue
            }
            // What parsed must serialize to lines that parse to the same actions.
            let text = Action.commitFileContents(actions)
            let again: [Action]
            do { again = try Action.parseLines(text, source: "re-serialized commit \(version)") } catch {
                throw ContractViolation(description: "log: re-serialized actions do not parse: \(error)")
            }
            guard Action.commitFileContents(again) == text else {
                throw ContractViolation(description: "log: re-serialized actions parse to different actions")
            }
            for action in actions { try exercise(action) }
        }
        guard parsed || files.count > 1 else { return }
        // Load the table (a broken commit must fail the load with a DeltaError, never crash).
        var storage = MemoryLogStorage()
        for (version, file) in files.enumerated() {
            storage.files[LogFile.commitPath(Int64(version))] = file
        }
        let table = Table(storage: storage, checkpointReader: nil)
        let snapshot = try table.snapshot()
        let arrow = try snapshot.schema.arrowSchema()
        for predicate in predicates(for: snapshot.schema) where predicate.map({ (try? $0.bound(to: arrow)) != nil }) ?? true {
            let files = try Scan(snapshot: snapshot, storage: storage, columns: nil, predicate: predicate).files()
            for file in files.prefix(64) {
                _ = try? file.add.deletionVector?.relativePath(in: storage)
            }
        }
        _ = try table.history()
    }

    /// Parses what an action carries in nested text (schemas, statistics, paths).
    static func exercise(_ action: Action) throws {
        switch action {
        case .metadata(let m):
            if let schema = try? m.schema() {
                _ = try? schema.arrowSchema()
                for column in m.partitionColumns {
                    if let field = schema.field(named: column) { _ = try? PartitionValue(parsing: "1", as: field.type) }
                }
            }
        case .add(let a):
            _ = PathCoding.decodeURIPath(a.path)
            for value in a.partitionValues.values { _ = try? PartitionValue(parsing: value, as: .date) }
            if let dv = a.deletionVector { _ = try? dv.relativePath(in: MemoryLogStorage()) }
        default:
            break
        }
    }

    /// A few predicates over the first columns of `schema` (none when it has no columns).
    static func predicates(for schema: StructType) -> [Condition?] {
        var out: [Condition?] = [nil]
        let literals: [Scalar] = [.int(0), .float(0.5), .string("m"), .bool(true), .null]
        for (i, field) in schema.fields.prefix(4).enumerated() {
            let literal = literals[i % literals.count]
            out.append(.or([.comparison(column: field.name, op: .greater, value: literal), .isNull(column: field.name)]))
        }
        return out
    }

    // MARK: Condition

    /// The schema predicates are resolved against.
    static let conditionSchema = Schema([
        Field("id", .int64, isNullable: false), Field("i", .int32), Field("s", .int16), Field("b", .int8),
        Field("f", .float32), Field("d", .float64), Field("dec", .decimal(precision: 10, scale: 2)),
        Field("name", .string), Field("bin", .binary), Field("day", .date32),
        Field("ts", .timestamp(.microsecond, timezone: "UTC")), Field("ntz", .timestamp(.microsecond, timezone: nil)),
        Field("ok", .boolean),
        Field("loc", .struct([Field("lat", .float64), Field("lon", .float64)])),
        Field("tags", .list(Field("element", .string))),
    ])

    /// A few rows of ``conditionSchema`` with nulls, extremes and ordinary values.
    static func conditionBatch() throws -> RecordBatch {
        let n = 4
        func column(_ type: DataType, _ values: [Scalar]) throws -> Column { try Column(values, type: type) }
        return try RecordBatch(schema: conditionSchema, columns: [
            try column(.int64, [.int(1), .int(.min), .int(.max), .int(0)]),
            try column(.int32, [.int(1), .null, .int(Int64(Int32.max)), .int(-5)]),
            try column(.int16, [.int(2), .null, .int(-1), .int(300)]),
            try column(.int8, [.int(3), .null, .int(-128), .int(127)]),
            try column(.float32, [.float(0.5), .null, .float(.infinity), .float(-0.0)]),
            try column(.float64, [.float(.nan), .float(1e300), .null, .float(-2.5)]),
            try column(.decimal(precision: 10, scale: 2), [.decimal(12345), .null, .decimal(-1), .decimal(0)]),
            try column(.string, [.string("a"), .string(""), .null, .string("zé")]),
            try column(.binary, [.binary([0]), .null, .binary([]), .binary([255, 1])]),
            try column(.date32, [.int(0), .int(20000), .null, .int(-1)]),
            try column(.timestamp(.microsecond, timezone: "UTC"), [.int(0), .null, .int(1_700_000_000_000_000), .int(-1)]),
            try column(.timestamp(.microsecond, timezone: nil), [.null, .int(5), .int(0), .int(.max)]),
            try column(.boolean, [.bool(true), .bool(false), .null, .bool(true)]),
            Column.nulls(conditionSchema.fields[13].dataType, count: n),
            Column.nulls(conditionSchema.fields[14].dataType, count: n),
        ], count: n)
    }

    static func fuzzCondition(_ text: String) throws {
        let batch = try conditionBatch()
        if let generic = try? Condition(sql: text) {
            // Binding may refuse (unknown column, literal of the wrong type) with either module's error.
            if let bound = try? generic.bound(to: conditionSchema) {
                try evaluate(bound, batch)
            }
        }
        let resolved: Condition
        do { resolved = try Condition(sql: text, schema: conditionSchema) } catch let e as DeltaError where e.code != .internalError {
            return
        }
        try evaluate(resolved, batch)
        _ = resolved.mightMatch { _ in ColumnBounds(min: .int(0), max: .int(10), nullCount: 1) }
        _ = resolved.mightMatch { _ in ColumnBounds(min: .string("a"), max: .string("z"), nullCount: 0) }
        _ = resolved.mightMatch { _ in nil }
        // The description of a parsed predicate is what the CLI prints; it must not be empty.
        guard !"\(resolved)".isEmpty else { throw ContractViolation(description: "condition: empty description") }
    }

    /// Evaluates `condition`; a resolved condition over the batch's own schema must evaluate.
    static func evaluate(_ condition: Condition, _ batch: RecordBatch) throws {
        do {
            let mask = try condition.evaluate(batch)
            guard mask.count == batch.count else {
                throw ContractViolation(description: "condition: \(mask.count) results for \(batch.count) rows")
            }
        } catch let error as ColumnarError {
            throw ContractViolation(description: "condition: a bound predicate failed to evaluate: \(error)")
        }
    }

    // MARK: DDL

    static func fuzzDDL(_ text: String) throws {
        let schema = try StructType(ddl: text)
        let ddl = schema.ddl
        let again: StructType
        do { again = try StructType(ddl: ddl) } catch {
            throw ContractViolation(description: "ddl: the DDL of a parsed schema does not parse: \(ddl): \(error)")
        }
        guard again.ddl == ddl else {
            throw ContractViolation(description: "ddl: round trip changed \(ddl) to \(again.ddl)")
        }
        let arrow = try schema.arrowSchema()
        let back = try StructType(arrow: arrow)
        guard back.fields.count == schema.fields.count else {
            throw ContractViolation(description: "ddl: Arrow round trip changed the column count")
        }
        _ = schema.jsonString
    }

    // MARK: Rows

    /// The table schema rows are decoded into.
    static let rowSchema = Schema([
        Field("id", .int64, isNullable: false), Field("i", .int32), Field("s", .int16), Field("b", .int8),
        Field("f", .float32), Field("d", .float64), Field("dec", .decimal(precision: 6, scale: 2)),
        Field("str", .string), Field("bin", .binary), Field("day", .date32),
        Field("ts", .timestamp(.microsecond, timezone: "UTC")), Field("ntz", .timestamp(.microsecond, timezone: nil)),
        Field("tags", .list(Field("element", .int32))),
        Field("attrs", .map(Field("key_value", .struct([Field("key", .string, isNullable: false), Field("value", .int64)]),
                                  isNullable: false), keysSorted: false)),
        Field("loc", .struct([Field("lat", .float64), Field("lon", .float64, isNullable: false)])),
        Field("ok", .boolean),
    ])

    /// Decodes `bytes` twice — into ``rowSchema``, then with new columns allowed — feeding the
    /// splitter in chunks whose size depends on the input length (records split across reads).
    static func fuzzRows(_ bytes: [UInt8], format: RowInputFormat) throws {
        let chunk = 1 + bytes.count % 17
        // Into the fixed schema, where unknown columns are refused; then with new columns allowed,
        // whose error (if any) is the one reported.
        do {
            try decodeRows(bytes, format: format, chunk: chunk, allowsNewColumns: false)
        } catch let error as DeltaError where error.code != .internalError {}
        try decodeRows(bytes, format: format, chunk: chunk, allowsNewColumns: true)
    }

    static func decodeRows(_ bytes: [UInt8], format: RowInputFormat, chunk: Int, allowsNewColumns: Bool) throws {
        var splitter = RecordSplitter(format: format)
        let decoder = RowDecoder(schema: rowSchema, allowsNewColumns: allowsNewColumns)
        var headerSet = false
        func consume(_ records: [InputRecord]) throws {
            if format == .csv && !headerSet, let header = splitter.csvHeader {
                try decoder.setCSVHeader(header, line: splitter.csvHeaderLine)
                headerSet = true
            }
            for record in records {
                try decoder.append(record)
                // Small batches, as a long input in the CLI is cut into several.
                if decoder.count >= 5, let batch = try decoder.finish() { try checkBatch(batch) }
            }
        }
        var start = 0
        while start < bytes.count {
            try consume(try splitter.feed(bytes[start..<min(bytes.count, start + chunk)]))
            start += chunk
        }
        try consume(try splitter.finish())
        if let batch = try decoder.finish() { try checkBatch(batch) }
    }

    /// A decoded batch must be well formed: every column as long as the batch, readable by row.
    static func checkBatch(_ batch: RecordBatch) throws {
        for (column, field) in zip(batch.columns, batch.schema.fields) {
            guard column.count == batch.count else {
                throw ContractViolation(description: "rows: column \(field.name) has \(column.count) values for \(batch.count) rows")
            }
            for row in 0..<column.count { _ = column.scalar(at: row) }
        }
    }
}

/// A read-only in-memory ``LogStorage`` for fuzzing the log: writes are refused.
struct MemoryLogStorage: LogStorage {
    var files: [String: [UInt8]] = [:]

    var rootDescription: String { "memory:/fuzz" }

    func list(directory: String, prefix: String, startingAt: String?) throws -> [FileEntry] {
        let base = directory.isEmpty ? "" : (directory.hasSuffix("/") ? directory : directory + "/")
        return files.keys.filter { path in
            guard path.hasPrefix(base) else { return false }
            let name = path.dropFirst(base.count)
            return !name.contains("/") && name.hasPrefix(prefix) && startingAt.map { String(name) >= $0 } != false
        }.sorted().map { FileEntry(path: $0, size: Int64(files[$0]?.count ?? 0), modificationTime: 0, isDirectory: false) }
    }

    func read(_ path: String) throws -> [UInt8] {
        guard let bytes = files[path] else { throw DeltaError(.fileNotFound, "'\(path)' does not exist") }
        return bytes
    }

    func writeIfAbsent(_ path: String, contents: [UInt8]) throws -> PutOutcome {
        throw DeltaError(.io, "the fuzzing storage is read-only")
    }

    func write(_ path: String, contents: [UInt8]) throws {
        throw DeltaError(.io, "the fuzzing storage is read-only")
    }

    func delete(_ path: String) throws {
        throw DeltaError(.io, "the fuzzing storage is read-only")
    }

    func entry(at path: String) throws -> FileEntry? {
        files[path].map { FileEntry(path: path, size: Int64($0.count), modificationTime: 0, isDirectory: false) }
    }
}
