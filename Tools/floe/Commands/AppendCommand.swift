import ArgumentParser
import Foundation
import Floe
import FloeColumnar

/// The input options `append` and `overwrite` share.
struct InputOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Read rows from FILE instead of standard input ('-' is standard input).", valueName: "FILE"))
    var input: String?

    @Option(help: ArgumentHelp("Input format: ndjson, csv or parquet (default: from the --input extension, else ndjson).",
                               valueName: "FORMAT"))
    var format: InputFormatArgument?

    @Flag(name: .customLong("merge-schema"), help: "Add input columns the table lacks (types inferred) instead of refusing them.")
    var mergeSchema = false

    @Option(name: .customLong("app-id"), help: ArgumentHelp("Application id for idempotent writes (with --txn-version).", valueName: "ID"))
    var appID: String?

    @Option(name: .customLong("txn-version"), help: ArgumentHelp("The write's version for --app-id; a version at or below the table's recorded one is skipped.", valueName: "N"))
    var txnVersion: Int64?

    @Option(name: .customLong("max-record-bytes"),
            help: ArgumentHelp("The longest ndjson line or CSV record accepted, in bytes (default 64 MiB); a longer one is an error.", valueName: "N"))
    var maxRecordBytes: Int = RecordSplitter.defaultMaxRecordBytes

    @Flag(help: "Create the table first when it does not exist (needs --schema).")
    var create = false

    @Option(help: ArgumentHelp("With --create: the schema (DDL, Delta schema JSON, or @FILE).", valueName: "SCHEMA"))
    var schema: String?

    @Option(name: .customLong("partition-by"), help: ArgumentHelp("With --create: comma-separated partition columns.", valueName: "C1,C2"))
    var partitionBy: String?

    func validate() throws {
        if create && schema == nil { throw ValidationError("--create needs --schema") }
        if !create && schema != nil { throw ValidationError("--schema applies only with --create") }
        if !create && partitionBy != nil { throw ValidationError("--partition-by applies only with --create") }
        if txnVersion != nil && appID == nil { throw ValidationError("--txn-version needs --app-id") }
        if let txnVersion, txnVersion < 0 { throw ValidationError("--txn-version must not be negative, got \(txnVersion)") }
        if let appID, appID.isEmpty { throw ValidationError("--app-id must not be empty") }
        if maxRecordBytes < 1 { throw ValidationError("--max-record-bytes must be at least 1, got \(maxRecordBytes)") }
    }

    /// The input format: explicit, else from the file extension, else ndjson.
    var resolvedFormat: RowInputFormat {
        if let format { return format.value }
        if let input, input != "-", let f = RowInputFormat(fileExtension: input) { return f }
        return .ndjson
    }

    var readsStandardInput: Bool { input == nil || input == "-" }
}

struct InputFormatArgument: ExpressibleByArgument {
    let value: RowInputFormat
    init?(argument: String) {
        guard let v = RowInputFormat(rawValue: argument.lowercased()) else { return nil }
        value = v
    }
    static var allValueStrings: [String] { RowInputFormat.allCases.map(\.rawValue) }
}

/// `floe append TABLE`: add rows in one atomic commit (or, with --stream, one commit per batch).
struct AppendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "append",
        abstract: "Append rows from ndjson, CSV or Parquet as one atomic commit.",
        discussion: """
        Reads standard input unless --input is given. Prints {"version":N}; a write whose \
        --txn-version is at or below the version the table records for --app-id is skipped and \
        prints {"version":N,"skipped":true}. A malformed line or a value that does not fit its \
        column fails with the line number and column, and nothing is committed.

        ndjson values: numbers; "NaN"/"Infinity"/"-Infinity" for floats; decimals as "12.30" or \
        12.3; base64 binary; dates "YYYY-MM-DD"; timestamps as ISO-8601 or epoch microseconds; \
        objects for structs; arrays; maps as [[key,value],...] or objects. CSV: a header row, \
        RFC 4180 quoting, the same values as text, an empty cell is null.

        --stream keeps reading and commits a batch every --batch-rows rows or --batch-interval-ms \
        milliseconds, whichever comes first, printing one {"version":N} line per commit; with \
        --app-id, batches use consecutive transaction versions from --txn-version (default: the \
        table's recorded version + 1). A malformed line stops the stream with an error; nothing of \
        its batch is committed. SIGINT or SIGTERM commits the rows already read, then exits.

        Examples:
          floe append events --input events.ndjson
          cat events.csv | floe append events --format csv
          floe append events --input more.parquet --merge-schema
          floe append events --input b7.ndjson --app-id loader --txn-version 7
          tail -f app.ndjson | floe append events --stream --batch-rows 1000 \\
            --batch-interval-ms 2000
          floe append new --create --schema 'id long, name string' < rows.ndjson
        """)

    @Argument(help: "The table directory.") var table: String
    @OptionGroup var inputOptions: InputOptions

    @Flag(help: "Keep reading and commit a batch every --batch-rows rows or --batch-interval-ms milliseconds.")
    var stream = false
    @Option(name: .customLong("batch-rows"), help: ArgumentHelp("With --stream: the most rows per commit.", valueName: "R"))
    var batchRows: Int?
    @Option(name: .customLong("batch-interval-ms"), help: ArgumentHelp("With --stream: the longest time a row waits before its batch is committed.", valueName: "T"))
    var batchIntervalMs: Int?

    func validate() throws {
        try validateTablePath(table)
        if !stream && (batchRows != nil || batchIntervalMs != nil) {
            throw ValidationError("--batch-rows and --batch-interval-ms apply only with --stream")
        }
        if let batchRows, batchRows < 1 { throw ValidationError("--batch-rows must be at least 1, got \(batchRows)") }
        if let batchIntervalMs, batchIntervalMs < 1 { throw ValidationError("--batch-interval-ms must be at least 1, got \(batchIntervalMs)") }
        if stream && inputOptions.resolvedFormat == .parquet { throw ValidationError("--stream reads ndjson or csv, not parquet") }
        if !stream && inputOptions.appID != nil && inputOptions.txnVersion == nil {
            throw ValidationError("--app-id needs --txn-version (except with --stream)")
        }
    }

    func run() throws {
        if stream {
            try StreamAppender(tablePath: table, options: inputOptions, batchRows: batchRows ?? 10_000,
                               interval: Double(batchIntervalMs ?? 1_000) / 1000).run()
        } else {
            try TableWriteRunner(tablePath: table, options: inputOptions, mode: .append, replaceWhere: nil).run()
        }
    }
}

/// `floe overwrite TABLE`: replace all rows, or the rows matching a partition predicate.
struct OverwriteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "overwrite",
        abstract: "Replace the table's rows (or those matching --where) with the input, atomically.",
        discussion: """
        Same input options as append. Without --where every row is replaced. With --where, only \
        rows matching the predicate (over partition columns) are replaced, and every input row \
        must match it. Prints {"version":N}.

        Examples:
          floe overwrite events --input snapshot.parquet
          floe overwrite events --where "day = DATE '2026-11-24'" < day.ndjson
          floe overwrite events < /dev/null        # remove every row
        """)

    @Argument(help: "The table directory.") var table: String
    @Option(name: .customLong("where"), help: ArgumentHelp("Replace only rows matching this SQL predicate over partition columns.", valueName: "PREDICATE"))
    var predicate: String?
    @OptionGroup var inputOptions: InputOptions

    func validate() throws {
        try validateTablePath(table)
        if inputOptions.appID != nil && inputOptions.txnVersion == nil {
            throw ValidationError("--app-id needs --txn-version")
        }
    }

    func run() throws {
        try TableWriteRunner(tablePath: table, options: inputOptions, mode: .overwrite, replaceWhere: predicate).run()
    }
}

/// Reads the whole input, then writes it in one commit.
struct TableWriteRunner {
    let tablePath: String
    let options: InputOptions
    let mode: WriteOptions.Mode
    let replaceWhere: String?

    func run() throws {
        let table = Table(path: tablePath)
        let target = try WriteTarget(table: table, options: options)
        // A bad predicate fails before any input is read.
        let condition = try replaceWhere.map { try Condition(sql: $0, schema: target.schema) }
        let progress = ProgressLine()
        let format = options.resolvedFormat
        var batches: [RecordBatch]
        var lines: [Int]? = nil
        let label = options.readsStandardInput ? "standard input" : options.input ?? ""
        let total: Int64? = options.readsStandardInput ? nil
            : (try? FileManager.default.attributesOfItem(atPath: label)[.size] as? NSNumber)?.int64Value
        func report(_ bytes: Int) {
            var text = "reading \(label): \(Format.bytes(Int64(bytes)))"
            if let total, total > 0 { text += " of \(Format.bytes(total)) (\(Int64(bytes) * 100 / total)%)" }
            progress.update(text)
        }
        switch format {
        case .parquet:
            progress.update("reading \(label)…", force: true)
            if options.readsStandardInput {
                batches = try RowInput.readParquet(fileDescriptor: 0)
            } else {
                batches = try RowInput.readParquet(path: label)
            }
        case .ndjson, .csv:
            lines = []
            if options.readsStandardInput {
                batches = try RowInput.readText(fileDescriptor: 0, format: format, schema: target.schema,
                                                allowsNewColumns: options.mergeSchema,
                                                maxRecordBytes: options.maxRecordBytes, lines: &lines, progress: report)
            } else {
                batches = try RowInput.readText(path: label, format: format, schema: target.schema,
                                                allowsNewColumns: options.mergeSchema,
                                                maxRecordBytes: options.maxRecordBytes, lines: &lines, progress: report)
            }
        }
        let rows = batches.reduce(0) { $0 + $1.count }
        progress.update("writing \(Format.count(Int64(rows))) rows…", force: true)
        defer { progress.clear() }
        try target.createIfNeeded(table: table)

        var write = WriteOptions()
        write.mode = mode
        write.mergesSchema = options.mergeSchema
        if let app = options.appID, let v = options.txnVersion { write.applicationTransaction = ApplicationTransaction(appID: app, version: v) }
        write.replaceWhere = condition
        write.inputLines = lines
        let result = try table.write(batches, options: write)
        progress.clear()
        try StandardOutput.shared.line(result.isSkipped ? "{\"version\":\(result.version),\"skipped\":true}" : "{\"version\":\(result.version)}")
    }
}

/// The table a write goes to: its current columns, or the schema it will be created with.
struct WriteTarget {
    /// The Arrow schema input is decoded against.
    let schema: Schema
    /// The schema and partition columns to create the table with (when it does not exist).
    let creation: (StructType, [String])?

    init(table: Table, options: InputOptions) throws {
        do {
            schema = try table.snapshot().arrowSchema()
            creation = nil
        } catch let e as DeltaError where e.code == .tableNotFound && options.create {
            let structType = try loadSchemaArgument(options.schema ?? "")
            schema = try structType.arrowSchema()
            creation = (structType, try resolvePartitionColumns(options.partitionBy, schema: structType))
        } catch let e as DeltaError where e.code == .tableNotFound {
            throw DeltaError(.tableNotFound, e.message + "; to create it with this write, add --create --schema SCHEMA", underlying: e)
        }
    }

    /// Creates the table when it did not exist (another process creating it first is fine).
    func createIfNeeded(table: Table) throws {
        guard let (structType, partitions) = creation else { return }
        do {
            try table.create(schema: structType, partitionColumns: partitions)
        } catch let e as DeltaError where e.code == .tableAlreadyExists {
            // Created concurrently: append to it.
        }
    }
}
