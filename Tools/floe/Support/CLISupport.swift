import ArgumentParser
import Foundation
import Floe
import FloeColumnar

/// Standard streams and terminal detection.
enum Terminal {
    static let stderrIsTTY = isatty(2) != 0
    static let stdoutIsTTY = isatty(1) != 0

    /// Writes a line to standard error (best effort).
    static func note(_ text: String) {
        StandardError.write(text + "\n")
    }

    /// Writes a line to standard output immediately, for streamed results.
    ///
    /// - Throws: `CLIError` "cannot write standard output: …" when the write fails.
    static func emit(_ text: String) throws {
        try StandardOutput.shared.emit(text)
    }
}

/// A one-line progress indicator on standard error, shown only when it is a terminal and
/// redrawn at most ten times a second.
final class ProgressLine {
    private let enabled: Bool
    private var lastDraw = Date.distantPast
    private var drawn = false

    init(enabled: Bool = Terminal.stderrIsTTY) { self.enabled = enabled }

    func update(_ text: @autoclosure () -> String, force: Bool = false) {
        guard enabled else { return }
        let now = Date()
        guard force || now.timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = now
        StandardError.write("\r\u{1B}[2K" + text())
        drawn = true
    }

    func clear() {
        guard enabled, drawn else { return }
        StandardError.write("\r\u{1B}[2K")
        drawn = false
    }
}

enum Format {
    static func bytes(_ n: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(n)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 { value /= 1024; unit += 1 }
        return unit == 0 ? "\(n) B" : String(format: "%.1f %@", value, units[unit])
    }

    /// Milliseconds since the epoch as `YYYY-MM-DD HH:MM:SS.mmm UTC`.
    static func time(millis: Int64) -> String {
        let micros = millis.multipliedReportingOverflow(by: 1000)
        guard !micros.overflow else { return "\(millis) ms" }
        let text = Temporal.formatTimestamp(micros: micros.partialValue, utc: false)
        // YYYY-MM-DDTHH:MM:SS.ffffff → YYYY-MM-DD HH:MM:SS.mmm
        return String(text.prefix(23)).replacingOccurrences(of: "T", with: " ") + " UTC"
    }

    static func count(_ n: Int64) -> String {
        let s = String(n.magnitude)
        var out = ""
        for (i, c) in s.enumerated() {
            if i > 0 && (s.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// Left-aligned columns separated by two spaces; the last column is not padded.
    static func columns(_ rows: [[String]], rightAligned: Set<Int> = []) -> String {
        guard let first = rows.first else { return "" }
        var widths = [Int](repeating: 0, count: first.count)
        for row in rows { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) } }
        return rows.map { row in
            row.enumerated().map { i, cell in
                if i == row.count - 1 && !rightAligned.contains(i) { return cell }
                let pad = String(repeating: " ", count: max(0, widths[i] - cell.count))
                return rightAligned.contains(i) ? pad + cell : cell + pad
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}

/// `--timestamp` values: ISO-8601 (`2026-11-24T10:00:00Z`, with an offset, or a date meaning
/// midnight UTC) or milliseconds since the epoch.
struct TimestampArgument: ExpressibleByArgument {
    let millis: Int64
    let text: String
    /// The time as a `Date` (whole milliseconds).
    var date: Date { Date(timeIntervalSince1970: Double(millis) / 1000) }

    init?(argument: String) {
        text = argument
        let trimmed = argument.trimmingCharacters(in: .whitespaces)
        if let ms = Int64(trimmed) {
            millis = ms
        } else if let micros = Temporal.parseTimestampMicros(trimmed) {
            millis = micros >= 0 ? micros / 1000 : (micros - 999) / 1000
        } else {
            return nil
        }
    }

    static var defaultCompletionKind: CompletionKind { .default }
}

/// `--version N | --timestamp T`: which snapshot to read.
struct SnapshotOptions: ParsableArguments {
    @Option(name: .customLong("version"), help: ArgumentHelp("Read the table as of this version.", valueName: "N"))
    var version: Int64?

    @Option(help: ArgumentHelp("Read the table as of this time: ISO-8601 (2026-11-24T10:00:00Z, an offset such as +01:00, or a date) or milliseconds since the epoch.",
                               valueName: "T"))
    var timestamp: TimestampArgument?

    func validate() throws {
        if version != nil && timestamp != nil {
            throw ValidationError("--version and --timestamp cannot be used together")
        }
        if let version, version < 0 {
            throw ValidationError("--version must not be negative, got \(version)")
        }
    }

    /// The selected snapshot (the latest when neither option is given), its files loaded so that a
    /// log that cannot rebuild them fails the command instead of showing no files.
    func snapshot(of table: Table) throws -> Snapshot {
        let snapshot: Snapshot
        if let version {
            snapshot = try table.snapshot(version: version)
        } else if let timestamp {
            snapshot = try table.snapshot(version: try table.version(atOrBefore: timestamp.date))
        } else {
            snapshot = try table.snapshot()
        }
        try snapshot.loadFiles()
        return snapshot
    }
}

enum TextOrJSON: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// Loads a `--schema` value: `@file` reads the file; text starting with `{` is Delta schema JSON;
/// anything else is a DDL column list.
func loadSchemaArgument(_ argument: String) throws -> StructType {
    var text = argument
    if argument.hasPrefix("@") {
        let path = String(argument.dropFirst())
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIError("cannot read schema file '\(path)'")
        }
        text = String(decoding: data, as: UTF8.self)
    }
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    if trimmed.hasPrefix("{") {
        do {
            let schema = try StructType(json: trimmed)
            try schema.validate()
            return schema
        } catch let e as DeltaError {
            throw CLIError(e.message.hasPrefix("schema JSON") ? "invalid \(e.message)" : "invalid schema JSON: \(e.message)")
        }
    }
    return try StructType(ddl: trimmed)
}

/// `a + b` clamped to Int64's range: totals of sizes and row counts read from a log, which
/// another writer may have made arbitrarily large, never trap.
func saturatingSum(_ a: Int64, _ b: Int64) -> Int64 {
    let (sum, overflow) = a.addingReportingOverflow(b)
    return overflow ? (b > 0 ? .max : .min) : sum
}

/// Splits `a,b , c` into trimmed, non-empty names.
func splitList(_ text: String) -> [String] {
    text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
}

/// An error with a message for the user (exit status 1).
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}

/// Builds compact JSON objects with keys in insertion order.
struct JSONObjectBuilder {
    private(set) var object = JSONObject()

    mutating func set(_ key: String, _ value: JSONValue) { object[key] = value }
    mutating func set(_ key: String, _ value: Int64) { object[key] = .int(value) }
    mutating func set(_ key: String, _ value: Int) { object[key] = .int(Int64(value)) }
    mutating func set(_ key: String, _ value: String) { object[key] = .string(value) }
    mutating func set(_ key: String, _ value: Bool) { object[key] = .bool(value) }

    var value: JSONValue { .object(object) }
    var text: String { object.jsonText }
}

extension JSONValue {
    static func strings(_ values: [String]) -> JSONValue { .array(values.map { .string($0) }) }

    static func stringMap(_ map: [String: String]) -> JSONValue {
        var o = JSONObject()
        for key in map.keys.sorted() { o[key] = .string(map[key] ?? "") }
        return .object(o)
    }
}

/// Parses a `--where` predicate against a table's columns.
func parsePredicate(_ text: String, snapshot: Snapshot) throws -> Condition {
    try Condition(sql: text, schema: try snapshot.arrowSchema())
}

/// A usage error for an empty table path (which would otherwise mean the current directory).
func validateTablePath(_ path: String) throws {
    if path.trimmingCharacters(in: .whitespaces).isEmpty {
        throw ValidationError("the table path must not be empty")
    }
}
