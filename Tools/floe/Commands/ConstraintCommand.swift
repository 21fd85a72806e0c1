import ArgumentParser
import Foundation
import Floe

/// `floe constraint TABLE add NAME EXPR | drop NAME | list`: manages CHECK constraints.
struct ConstraintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "constraint",
        abstract: "Add, drop or list the table's CHECK constraints.",
        discussion: """
        add NAME EXPR checks every existing row against the SQL boolean expression EXPR (the \
        predicate syntax of --where) and, if all satisfy it, commits the constraint as the table \
        property delta.constraints.<name> (upgrading the protocol to writer version 3, or adding the \
        checkConstraints feature). Later appends and overwrites are refused, before anything is \
        committed, for rows where EXPR is false or NULL. Prints {"version":N}.
        drop NAME removes the constraint. Prints {"version":N}.
        list prints one JSON object per line for each CHECK constraint and column invariant: \
        {"name":...,"kind":"check"|"invariant","expression":...}.

        Examples:
          floe constraint events add id_positive 'id > 0'
          floe constraint events add known_kind "kind IN ('click', 'view') OR kind IS NULL"
          floe constraint events drop id_positive
          floe constraint events list
        """)

    @Argument(help: "The table directory.") var table: String
    @Argument(help: "add, drop or list.") var action: String
    @Argument(help: "add: NAME EXPR; drop: NAME; list: nothing.") var arguments: [String] = []

    func validate() throws {
        try validateTablePath(table)
        switch action {
        case "add":
            guard arguments.count == 2 else { throw ValidationError("usage: floe constraint TABLE add NAME EXPR") }
        case "drop":
            guard arguments.count == 1 else { throw ValidationError("usage: floe constraint TABLE drop NAME") }
        case "list":
            guard arguments.isEmpty else { throw ValidationError("usage: floe constraint TABLE list") }
        default:
            throw ValidationError("unknown action '\(action)': use add, drop or list")
        }
    }

    func run() throws {
        let table = Table(path: table)
        switch action {
        case "add":
            try StandardOutput.shared.line("{\"version\":\(try table.addConstraint(named: arguments[0], arguments[1]).version)}")
        case "drop":
            try StandardOutput.shared.line("{\"version\":\(try table.dropConstraint(named: arguments[0]).version)}")
        default:
            for constraint in try table.constraints() {
                let kind: String
                switch constraint.kind {
                case .check: kind = "check"
                case .invariant: kind = "invariant"
                }
                let object: JSONValue = .object(["name": .string(constraint.name), "kind": .string(kind),
                                                 "expression": .string(constraint.expression)])
                try StandardOutput.shared.line(object.jsonText)
            }
        }
    }
}
