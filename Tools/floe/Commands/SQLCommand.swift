import ArgumentParser
import Foundation
import Floe
import FloeColumnar
import FloeSQLite

/// `floe sql QUERY --table NAME=PATH[@VERSION|@TIMESTAMP]…`: SQL (SQLite's dialect) over Floe
/// tables exposed as virtual tables, each at its own version.
struct SQLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sql",
        abstract: "Query Floe tables with SQL (SQLite), at any versions.",
        discussion: """
        Each --table exposes a table as NAME. PATH@VERSION reads that version, PATH@TIMESTAMP the \
        version current at that time (ISO 8601; without an offset, UTC). The same table may be \
        exposed several times at different versions. Filters on columns (=, <, <=, >, >=, IN, IS \
        [NOT] NULL against constants) are pushed into Floe's scans for partition pruning and \
        statistics skipping. Column types: integers and booleans INTEGER, floats and decimals REAL, \
        strings TEXT, binary BLOB, dates and timestamps TEXT (ndjson encoding), nested values TEXT \
        holding JSON.

        Examples:
          floe sql "SELECT region, count(*) FROM t GROUP BY region" --table t=/data/sales
          floe sql "SELECT n.id FROM n LEFT JOIN o USING (id) WHERE o.id IS NULL" \\
              --table o=/data/sales@3 --table n=/data/sales --format ndjson
        """)

    @Argument(help: "The SQL to run; several statements may be separated by ';'.")
    var query: String

    @Option(name: .customLong("table"), help: ArgumentHelp("Expose a table as NAME (repeatable).", valueName: "NAME=PATH[@VERSION|@TIMESTAMP]"),
            transform: { try TableBinding(parsing: $0) })
    var tables: [TableBinding] = []

    @Option(help: "Output format: table, ndjson or csv.")
    var format: RowFormatOption = .table

    @Flag(help: "Print per-table scan statistics (files read and skipped) to standard error.")
    var stats = false

    func validate() throws {
        var seen = Set<String>()
        for binding in tables where !seen.insert(binding.name.lowercased()).inserted {
            throw ValidationError("--table \(binding.name) is given twice")
        }
    }

    func run() throws {
        // The inspector's SQLite never touches the file system (Spec/CLI.md, "SQL sandbox").
        let database = try Database(sandboxed: true)
        var sources: [FloeTableSource] = []
        for binding in tables {
            do {
                let (table, snapshot) = try binding.open()
                sources.append(try database.attach(table, snapshot: snapshot, as: binding.name))
            } catch {
                // With several --tables, say which one failed.
                throw CLIError("\(FloeCommand.describe(error)) (--table \(binding.name)=\(binding.path))")
            }
        }
        try database.forEachStatement(in: query) { statement in
            if statement.columnCount == 0 {
                while try statement.step() {}
            } else {
                try Self.printRows(of: statement, format: format.value)
            }
            return true
        }
        if stats {
            for source in sources {
                let s = source.statistics
                let line = "table \(source.name) (version \(source.snapshot.version)): \(s.scans) scan\(s.scans == 1 ? "" : "s"), \(s.filesRead) files read, \(s.filesSkipped) skipped, \(s.rowsReturned) rows\n"
                StandardError.write(line)
            }
        }
    }

    /// Prints a statement's rows, streaming them in chunks of 1024 rows.
    static func printRows(of statement: Statement, format: RowFormat) throws {
        let names = statement.columnNames
        let printer = RowPrinter(format: format)
        printer.setSchema(Schema(names.map { Field($0, .string) }))
        var chunk: [[SQLiteValue]] = []
        var total = 0
        while try statement.step() {
            chunk.append(statement.row)
            if chunk.count == 1024 {
                try printer.write(try batch(chunk, names: names))
                total += chunk.count
                chunk.removeAll(keepingCapacity: true)
            }
        }
        if !chunk.isEmpty {
            try printer.write(try batch(chunk, names: names))
            total += chunk.count
        }
        try printer.finish(rowCount: total)
    }

    /// SQL rows as a batch. A column's type is taken from the values in the chunk: INTEGER only →
    /// int64, REAL (and INTEGER) → float64, BLOB only → binary, anything with TEXT (or mixed) →
    /// string; all-NULL → string.
    static func batch(_ rows: [[SQLiteValue]], names: [String]) throws -> RecordBatch {
        var fields: [Field] = []
        var columns: [Column] = []
        for (k, name) in names.enumerated() {
            var integers = false, reals = false, texts = false, blobs = false
            for row in rows {
                switch row[k] {
                case .null: break
                case .integer: integers = true
                case .real: reals = true
                case .text: texts = true
                case .blob: blobs = true
                }
            }
            let type: DataType
            if texts || (blobs && (integers || reals)) || !(integers || reals || blobs) {
                type = .string
            } else if blobs {
                type = .binary
            } else if reals {
                type = .float64
            } else {
                type = .int64
            }
            let values: [Scalar] = rows.map { row in
                switch (row[k], type) {
                case (.null, _): return .null
                case (.integer(let v), .float64): return .float(Double(v))
                case (.integer(let v), .int64): return .int(v)
                case (.integer(let v), _): return .string(String(v))
                case (.real(let d), .float64): return .float(d)
                case (.real(let d), _): return .string("\(d)")
                case (.text(let s), _): return .string(s)
                case (.blob(let b), .binary): return .binary(b)
                case (.blob(let b), _): return .string(Data(b).base64EncodedString())
                }
            }
            fields.append(Field(name, type))
            columns.append(try Column(values, type: type))
        }
        return try RecordBatch(schema: Schema(fields), columns: columns, count: rows.count)
    }

    /// One `--table NAME=PATH[@VERSION|@TIMESTAMP]`.
    struct TableBinding {
        /// The SQL name.
        var name: String
        /// The table directory.
        var path: String
        /// The version to read, when given.
        var version: Int64?
        /// Read the version current at this time (milliseconds since the epoch), when given.
        var timestamp: Int64?

        /// Splits the argument. A location that exists as written is a path even with an `@`;
        /// otherwise the text after the last `@` is a version (digits) or an ISO 8601 timestamp
        /// (without an offset, UTC).
        init(parsing text: String) throws {
            guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
                throw ValidationError("--table expects NAME=PATH[@VERSION|@TIMESTAMP], got '\(text)'")
            }
            name = String(text[..<equals])
            let location = String(text[text.index(after: equals)...])
            guard !location.isEmpty else { throw ValidationError("--table \(name)= needs a table path") }
            guard !FileManager.default.fileExists(atPath: location), let at = location.lastIndex(of: "@") else {
                path = location
                return
            }
            path = String(location[..<at])
            let spec = String(location[location.index(after: at)...])
            if !spec.isEmpty, spec.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int64(spec) {
                version = number
            } else if let micros = Temporal.parseTimestampMicros(spec) {
                timestamp = micros >= 0 ? micros / 1000 : -((-micros + 999) / 1000)
            } else {
                throw ValidationError("--table \(name): '\(spec)' is neither a version number nor an ISO 8601 timestamp")
            }
        }

        /// The table and the snapshot named.
        ///
        /// - Throws: `DeltaError`: no table, no such version, a timestamp before the first commit.
        func open() throws -> (Table, Snapshot) {
            let table = Table(path: path)
            if let version { return (table, try table.snapshot(version: version)) }
            if let timestamp { return (table, try table.snapshot(version: try table.version(atOrBefore: Date(timeIntervalSince1970: Double(timestamp) / 1000)))) }
            return (table, try table.snapshot())
        }
    }
}
