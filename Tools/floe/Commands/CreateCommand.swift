import ArgumentParser
import Foundation
import Floe

/// `floe create TABLE --schema SCHEMA`: a new, empty table at version 0.
struct CreateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create an empty table.",
        discussion: """
        SCHEMA is a DDL column list, Delta schema JSON, or @FILE holding either. DDL types: \
        boolean, byte (tinyint), short (smallint), int (integer), long (bigint), float, double, \
        decimal(p,s), string, binary, date, timestamp, timestamp_ntz, array<T>, map<K,V>, \
        struct<name:T,...>; a column may be followed by `not null`; names may be backquoted.

        Prints {"version":0}. In-Commit Timestamps are enabled unless --no-in-commit-timestamps.

        Examples:
          floe create events --schema 'id long not null, kind string, ts timestamp'
          floe create events --schema @schema.json --partition-by day
          floe create events --schema 'id bigint, amount decimal(10,2)' \\
            --property delta.appendOnly=true
          floe create places --schema 'loc struct<lat:double,lon:double>, \\
            tags array<string>, attrs map<string,string>'
        """)

    @Argument(help: "The table directory (created if missing).") var table: String
    @Option(help: ArgumentHelp("The schema: DDL, Delta schema JSON, or @FILE.", valueName: "SCHEMA")) var schema: String
    @Option(name: .customLong("partition-by"), help: ArgumentHelp("Comma-separated partition columns.", valueName: "C1,C2"))
    var partitionBy: String?
    @Option(name: .customLong("property"), help: ArgumentHelp("A table property (repeatable).", valueName: "KEY=VALUE"))
    var properties: [String] = []
    @Flag(name: .customLong("no-in-commit-timestamps"), help: "Use file modification times as commit times (widest compatibility).")
    var noInCommitTimestamps = false

    func validate() throws {
        try validateTablePath(table)
        for p in properties where !p.contains("=") || p.hasPrefix("=") {
            throw ValidationError("--property must be KEY=VALUE, got '\(p)'")
        }
    }

    func run() throws {
        let parsed = try loadSchemaArgument(schema)
        let snapshot = try Table(path: table).create(
            schema: parsed, partitionColumns: try resolvePartitionColumns(partitionBy, schema: parsed),
            configuration: parseProperties(properties),
            options: TableCreationOptions(inCommitTimestamps: !noInCommitTimestamps))
        try StandardOutput.shared.line("{\"version\":\(snapshot.version)}")
    }
}

/// `KEY=VALUE` pairs (validated beforehand) as a dictionary.
func parseProperties(_ pairs: [String]) -> [String: String] {
    var out: [String: String] = [:]
    for p in pairs {
        guard let eq = p.firstIndex(of: "=") else { continue }
        out[String(p[..<eq]).trimmingCharacters(in: .whitespaces)] = String(p[p.index(after: eq)...])
    }
    return out
}

/// `--partition-by` names resolved to the schema's spelling (ignoring case).
func resolvePartitionColumns(_ text: String?, schema: StructType) throws -> [String] {
    guard let text else { return [] }
    return try splitList(text).map { name in
        guard let i = schema.indexOfField(caseInsensitive: name) else {
            throw CLIError("partition column '\(name)' is not in the schema (columns: \(schema.fieldNames.joined(separator: ", ")))")
        }
        return schema.fields[i].name
    }
}
