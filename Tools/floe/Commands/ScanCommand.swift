import ArgumentParser
import Foundation
import Floe
import FloeColumnar

/// `floe scan TABLE`: print rows of a snapshot.
struct ScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Print a table's rows (optionally projected, filtered, at a version or time).",
        discussion: """
        PREDICATE is a SQL boolean expression: comparisons (= != <> < <= > >=), IN (...), NOT IN, \
        IS [NOT] NULL, BETWEEN a AND b, AND, OR, NOT and parentheses over columns (dotted for \
        struct fields, `quoted` for other names) and literals ('text', 42, 1.5, true, NULL, \
        DATE '2026-11-24', TIMESTAMP '2026-11-24T10:00:00Z').

        Formats: table (aligned, for people), ndjson (one JSON object per row; see Spec/CLI.md \
        for the value encoding) and csv (with a header row).

        Examples:
          floe scan events
          floe scan events --columns id,kind --limit 20 \\
            --where "kind IN ('click','view') AND amount > 10"
          floe scan events --version 3 --format ndjson
          floe scan events --timestamp 2026-11-24T10:00:00Z --format csv > ev.csv
          floe scan events --where "loc.lat > 52 OR \\`order id\\` IS NULL"
        """)

    @Argument(help: "The table directory.") var table: String
    @OptionGroup var snapshotOptions: SnapshotOptions
    @Option(help: ArgumentHelp("Comma-separated columns to print (default: all).", valueName: "a,b")) var columns: String?
    @Option(name: .customLong("where"), help: ArgumentHelp("Print only rows matching this SQL predicate.", valueName: "PREDICATE"))
    var predicate: String?
    @Option(help: ArgumentHelp("Print at most N rows.", valueName: "N")) var limit: Int?
    @Option(help: "Output format: table, ndjson or csv.") var format: RowFormatOption = .table

    func validate() throws {
        try validateTablePath(table)
        if let limit, limit < 0 { throw ValidationError("--limit must not be negative, got \(limit)") }
        if let columns, splitList(columns).isEmpty { throw ValidationError("--columns needs at least one column name") }
    }

    func run() throws {
        let t = Table(path: table)
        let snapshot = try snapshotOptions.snapshot(of: t)
        let schema = try snapshot.arrowSchema()
        var names: [String]?
        if let columns {
            names = try splitList(columns).map { name in
                guard let f = schema[name] ?? schema.fields.first(where: { $0.name.lowercased() == name.lowercased() }) else {
                    throw CLIError("unknown column '\(name)' (columns: \(schema.fields.map(\.name).joined(separator: ", ")))")
                }
                return f.name
            }
        }
        let condition = try predicate.map { try parsePredicate($0, snapshot: snapshot) }
        let scan = try t.scan(snapshot, columns: names, where: condition)
        let printer = RowPrinter(format: format.value)
        printer.setSchema(scan.schema)
        var printed = 0
        if limit != 0 {
            var batches = try scan.batches()
            while let batch = try batches.next() {
                var b = batch
                if let limit, printed + b.count > limit { b = b.slice(0, limit - printed) }
                try printer.write(b)
                printed += b.count
                if let limit, printed >= limit { break }
            }
        }
        try printer.finish(rowCount: printed)
    }
}
