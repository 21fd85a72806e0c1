import ArgumentParser
import Foundation
import Floe
import FloeColumnar

/// `floe describe TABLE`: schema, partitioning, protocol, properties and size of a snapshot.
struct DescribeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe",
        abstract: "Describe a table: schema, partitioning, protocol, properties, files and rows.",
        discussion: """
        --format json prints one object with the keys version, timestamp (ms since the epoch), \
        schema (the Delta schema JSON object), partitionColumns, protocol (minReaderVersion, \
        minWriterVersion, readerFeatures, writerFeatures), properties, numFiles, numRecords \
        (null when a file has no statistics) and sizeInBytes.

        Examples:
          floe describe events
          floe describe events --version 0 --format json
          floe describe events --timestamp 2026-11-24 --format json | jq .schema
        """)

    @Argument(help: "The table directory.") var table: String
    @OptionGroup var snapshotOptions: SnapshotOptions
    @Option(help: "Output format: text or json.") var format: TextOrJSON = .text

    func validate() throws {
        try validateTablePath(table)
    }

    func run() throws {
        let t = Table(path: table)
        let snapshot = try snapshotOptions.snapshot(of: t)
        let files = snapshot.activeFiles
        let size = files.reduce(Int64(0)) { saturatingSum($0, $1.size) }
        let records = try recordCount(t, snapshot)
        let p = snapshot.protocol
        switch format {
        case .json:
            var o = JSONObjectBuilder()
            o.set("version", snapshot.version)
            o.set("timestamp", snapshot.timestamp)
            o.set("schema", DeltaType.struct(snapshot.schema).jsonValue)
            o.set("partitionColumns", .strings(snapshot.partitionColumns))
            var proto = JSONObjectBuilder()
            proto.set("minReaderVersion", p.minReaderVersion)
            proto.set("minWriterVersion", p.minWriterVersion)
            proto.set("readerFeatures", p.readerFeatures.map { .strings($0.map(\.rawValue)) } ?? .null)
            proto.set("writerFeatures", p.writerFeatures.map { .strings($0.map(\.rawValue)) } ?? .null)
            o.set("protocol", proto.value)
            o.set("properties", .stringMap(snapshot.properties))
            o.set("numFiles", files.count)
            o.set("numRecords", records.map { JSONValue.int($0) } ?? .null)
            o.set("sizeInBytes", size)
            try StandardOutput.shared.line(o.text)
        case .text:
            var lines: [String] = []
            lines.append("table:      \(t.root)")
            lines.append("version:    \(snapshot.version)  (committed \(Format.time(millis: snapshot.timestamp)))")
            if let name = snapshot.metadata.name { lines.append("name:       \(name)") }
            if let d = snapshot.metadata.description { lines.append("about:      \(d)") }
            lines.append("id:         \(snapshot.metadata.id)")
            lines.append("columns:")
            let columnRows = snapshot.schema.fields.map { f -> [String] in
                var notes: [String] = []
                if !f.nullable { notes.append("not null") }
                if snapshot.partitionColumns.contains(f.name) { notes.append("partition") }
                if let c = f.metadata["comment"]?.stringValue { notes.append("-- " + c) }
                return ["  " + StructField.ddlName(f.name), f.type.ddl, notes.joined(separator: ", ")]
            }
            lines.append(Format.columns(columnRows))
            lines.append("partitioned by: " + (snapshot.partitionColumns.isEmpty ? "(none)" : snapshot.partitionColumns.joined(separator: ", ")))
            var protocolText = "reader \(p.minReaderVersion), writer \(p.minWriterVersion)"
            if let rf = p.readerFeatures, !rf.isEmpty { protocolText += "; reader features: " + rf.map(\.rawValue).joined(separator: ", ") }
            if let wf = p.writerFeatures, !wf.isEmpty { protocolText += "; writer features: " + wf.map(\.rawValue).joined(separator: ", ") }
            lines.append("protocol:   \(protocolText)")
            if snapshot.properties.isEmpty {
                lines.append("properties: (none)")
            } else {
                lines.append("properties:")
                for key in snapshot.properties.keys.sorted() { lines.append("  \(key) = \(snapshot.properties[key] ?? "")") }
            }
            lines.append("files:      \(Format.count(Int64(files.count))) (\(Format.bytes(size)))")
            lines.append("rows:       \(records.map { Format.count($0) } ?? "unknown (some files have no statistics)")")
            try StandardOutput.shared.line(lines.joined(separator: "\n"))
        }
    }

    /// The rows of the snapshot from file statistics; nil when a file has none.
    func recordCount(_ table: Table, _ snapshot: Snapshot) throws -> Int64? {
        var total: Int64 = 0
        for file in try table.scan(snapshot).files() {
            guard let n = file.statistics?.numRecords else { return nil }
            total = saturatingSum(total, n)
        }
        return total
    }
}

/// `floe history TABLE`: the commits, newest first.
struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Show a table's commits, newest first.",
        discussion: """
        --format json prints an array of objects with version, timestamp (ms since the epoch: the \
        in-commit timestamp, else the commit file's time), operation, operationParameters and \
        every other commitInfo field.

        Examples:
          floe history events
          floe history events --limit 5 --format json
        """)

    @Argument(help: "The table directory.") var table: String
    @Option(help: ArgumentHelp("Show at most N commits.", valueName: "N")) var limit: Int?
    @Option(help: "Output format: text or json.") var format: TextOrJSON = .text

    func validate() throws {
        try validateTablePath(table)
        if let limit, limit < 0 { throw ValidationError("--limit must not be negative, got \(limit)") }
    }

    func run() throws {
        let entries = try Table(path: table).history(limit: limit)
        switch format {
        case .json:
            let items = entries.map { entry -> JSONValue in
                var o = JSONObjectBuilder()
                o.set("version", entry.version)
                o.set("timestamp", entry.timestamp)
                o.set("operation", entry.commitInfo?.fields["operation"] ?? .null)
                o.set("operationParameters", entry.commitInfo?.fields["operationParameters"] ?? .object(JSONObject()))
                for member in entry.commitInfo?.fields ?? JSONObject() {
                    switch member.key {
                    case "version", "timestamp", "operation", "operationParameters": continue
                    default: o.set(member.key, member.value)
                    }
                }
                return o.value
            }
            try StandardOutput.shared.line(JSONValue.array(items).jsonText)
        case .text:
            try StandardOutput.shared.line(Self.renderText(entries))
        }
    }

    /// The history as aligned text: version, time, operation and the notable parameters and
    /// metrics.
    static func renderText(_ entries: [HistoryEntry]) -> String {
        var rows = [["VERSION", "TIMESTAMP", "OPERATION", "DETAILS"]]
        for entry in entries {
            let info = entry.commitInfo
            var details: [String] = []
            let params = info?.operationParameters ?? [:]
            for key in params.keys.sorted() where !(params[key] ?? "").isEmpty && params[key] != "[]" {
                details.append("\(key)=\(params[key] ?? "")")
            }
            let metrics = info?.operationMetrics ?? [:]
            if let rows = metrics["numOutputRows"] { details.append("rows=\(rows)") }
            if let files = metrics["numFiles"] { details.append("files=\(files)") }
            if let removed = metrics["numRemovedFiles"] { details.append("removed=\(removed)") }
            if let user = info?.userMetadata { details.append("userMetadata=\(user)") }
            rows.append([String(entry.version), Format.time(millis: entry.timestamp), info?.operation ?? "?",
                         details.joined(separator: " ")])
        }
        return Format.columns(rows, rightAligned: [0])
    }
}

/// `floe files TABLE`: the active data files.
struct FilesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "files",
        abstract: "List a snapshot's active data files with size, partition values, row count and statistics.",
        discussion: """
        --format json prints an array of objects with path, size, modificationTime, \
        partitionValues, numRecords and stats (the file's statistics object, or null).

        Examples:
          floe files events
          floe files events --version 2 --format json
        """)

    @Argument(help: "The table directory.") var table: String
    @OptionGroup var snapshotOptions: SnapshotOptions
    @Option(help: "Output format: text or json.") var format: TextOrJSON = .text

    func validate() throws {
        try validateTablePath(table)
    }

    func run() throws {
        let t = Table(path: table)
        let snapshot = try snapshotOptions.snapshot(of: t)
        let files = try t.scan(snapshot).files()
        switch format {
        case .json:
            let items = files.map { file -> JSONValue in
                var o = JSONObjectBuilder()
                o.set("path", file.add.path)
                o.set("size", file.add.size)
                o.set("modificationTime", file.add.modificationTime)
                var partitions = JSONObject()
                for key in file.add.partitionValues.keys.sorted() {
                    partitions[key] = (file.add.partitionValues[key] ?? nil).map { .string($0) } ?? .null
                }
                o.set("partitionValues", .object(partitions))
                o.set("numRecords", file.statistics?.numRecords.map { JSONValue.int($0) } ?? .null)
                o.set("stats", file.add.stats.flatMap { try? JSONValue(parsing: $0) } ?? .null)
                if file.add.deletionVector != nil { o.set("hasDeletionVector", true) }
                return o.value
            }
            try StandardOutput.shared.line(JSONValue.array(items).jsonText)
        case .text:
            let partitionColumns = snapshot.partitionColumns
            var header = ["PATH", "SIZE", "ROWS"]
            if !partitionColumns.isEmpty { header.append("PARTITION") }
            header.append("STATS")
            var rows = [header]
            for file in files {
                var row = [file.add.decodedPath, Format.bytes(file.add.size),
                           file.statistics?.numRecords.map { Format.count($0) } ?? "?"]
                if !partitionColumns.isEmpty {
                    row.append(partitionColumns.map { c in "\(c)=\((file.add.partitionValues[c] ?? nil) ?? "null")" }.joined(separator: ","))
                }
                row.append(statsSummary(file.add.stats))
                rows.append(row)
            }
            try StandardOutput.shared.line(Format.columns(rows, rightAligned: [1, 2]))
            let total = files.reduce(Int64(0)) { saturatingSum($0, $1.add.size) }
            try StandardOutput.shared.line("(\(files.count) file\(files.count == 1 ? "" : "s"), \(Format.bytes(total)))")
        }
    }

    /// `col: min..max` for each column with bounds, compactly.
    func statsSummary(_ stats: String?) -> String {
        guard let stats, let value = try? JSONValue(parsing: stats), let o = value.objectValue else { return stats == nil ? "-" : "?" }
        guard let mins = o["minValues"]?.objectValue, let maxs = o["maxValues"]?.objectValue else { return "-" }
        var parts: [String] = []
        func show(_ v: JSONValue) -> String {
            var s = v.stringValue ?? v.jsonText
            if s.count > 24 { s = String(s.prefix(23)) + "…" }
            return s
        }
        for member in mins where member.value.objectValue == nil {
            guard let hi = maxs[member.key] else { continue }
            parts.append("\(member.key): \(show(member.value))..\(show(hi))")
        }
        var text = parts.joined(separator: "; ")
        if text.count > 120 { text = String(text.prefix(119)) + "…" }
        return text.isEmpty ? "-" : text
    }
}
