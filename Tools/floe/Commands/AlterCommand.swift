import ArgumentParser
import Foundation
import Floe

/// `floe alter TABLE ACTION ARGS…`: one schema or property change as one metadata-only commit.
struct AlterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alter",
        abstract: "Rename, drop or widen a column, or set table properties.",
        discussion: """
        One ACTION per invocation, committed as one new version (data files are not rewritten).

        rename-column PATH NEW_NAME: rename a column; needs column mapping.
        drop-column PATH: drop a column (not a partition column); needs column mapping.
        set-type PATH TYPE: widen a column's type (DDL type: short, int, long, double, \
        decimal(p,s), timestamp_ntz, ...); needs delta.enableTypeWidening=true.
        set-property KEY=VALUE...: set table properties; delta.columnMapping.mode=name enables \
        column mapping, delta.enableTypeWidening=true type widening.

        PATH is dot-separated through struct fields, array `element`s and map `key`s or \
        `value`s (items.element.price); backquote names holding dots.

        Prints {"version":N}, the committed version. Older versions keep their schema (time travel).

        Examples:
          floe alter events set-property delta.columnMapping.mode=name
          floe alter events rename-column kind event_kind
          floe alter events drop-column address.zip
          floe alter events set-property delta.enableTypeWidening=true
          floe alter events set-type id long
        """)

    @Argument(help: "The table directory.") var table: String
    @Argument(help: ArgumentHelp("rename-column, drop-column, set-type or set-property.", valueName: "ACTION"))
    var action: String
    @Argument(parsing: .remaining, help: ArgumentHelp("The action's arguments.", valueName: "ARGS"))
    var arguments: [String] = []

    func validate() throws {
        try validateTablePath(table)
        let expected: Int?
        switch action {
        case "rename-column": expected = 2
        case "drop-column": expected = 1
        case "set-type": expected = 2
        case "set-property":
            guard !arguments.isEmpty else { throw ValidationError("set-property needs at least one KEY=VALUE") }
            for p in arguments where !p.contains("=") || p.hasPrefix("=") {
                throw ValidationError("set-property arguments must be KEY=VALUE, got '\(p)'")
            }
            expected = nil
        default:
            throw ValidationError("unknown alter action '\(action)'; use rename-column, drop-column, set-type or set-property")
        }
        if let expected, arguments.count != expected {
            throw ValidationError("\(action) takes \(expected) argument\(expected == 1 ? "" : "s"), got \(arguments.count)")
        }
    }

    func run() throws {
        let t = Table(path: table)
        let result: CommitResult
        switch action {
        case "rename-column":
            result = try t.renameColumn(arguments[0], to: arguments[1])
        case "drop-column":
            result = try t.dropColumn(arguments[0])
        case "set-type":
            let parsed = try StructType(ddl: "c \(arguments[1])")
            guard let type = parsed.fields.first?.type, parsed.fields.count == 1 else {
                throw CLIError("'\(arguments[1])' is not a type")
            }
            result = try t.changeColumnType(arguments[0], to: type)
        default:
            result = try t.setProperties(parseProperties(arguments))
        }
        try StandardOutput.shared.line("{\"version\":\(result.version)}")
    }
}
