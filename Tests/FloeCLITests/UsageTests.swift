import Foundation
import Testing

@Suite("floe usage and help")
struct UsageTests {
    static let subcommands = ["create", "append", "overwrite", "scan", "describe", "history", "files", "checkpoint", "alter", "constraint", "demo"]

    @Test("the root help lists every subcommand")
    func rootHelp() throws {
        let r = try CLI.run(["--help"])
        expectSuccess(r)
        for name in Self.subcommands { #expect(r.stdout.contains(name), "\(name) missing from help") }
        #expect(r.stdout.contains("Exit status"))
    }

    @Test("every subcommand's help has examples", arguments: subcommands)
    func subcommandHelp(_ name: String) throws {
        let r = try CLI.run([name, "--help"])
        expectSuccess(r)
        #expect(r.stdout.contains("Examples:"), "\(r.stdout)")
        #expect(r.stdout.contains("floe \(name)"), "\(r.stdout)")
    }

    @Test("usage errors exit with status 2")
    func usageErrors() throws {
        let table = CLI.scratch("usage")
        defer { CLI.cleanup(table) }
        expectUsageError(try CLI.run(["bogus"]))
        expectUsageError(try CLI.run(["scan"]), "table")
        expectUsageError(try CLI.run(["create", table]), "--schema")
        expectUsageError(try CLI.run(["scan", table, "--version", "1", "--timestamp", "2026-01-01"]), "cannot be used together")
        expectUsageError(try CLI.run(["scan", table, "--timestamp", "yesterday-ish"]), "--timestamp")
        expectUsageError(try CLI.run(["scan", table, "--version", "x"]), "--version")
        expectUsageError(try CLI.run(["scan", table, "--version=-1"]), "must not be negative")
        expectUsageError(try CLI.run(["scan", table, "--format", "xml"]), "--format")
        expectUsageError(try CLI.run(["scan", table, "--limit=-3"]), "--limit")
        expectUsageError(try CLI.run(["describe", table, "--format", "yaml"]))
        expectUsageError(try CLI.run(["append", table, "--app-id", "a"]), "--txn-version")
        expectUsageError(try CLI.run(["append", table, "--txn-version", "3"]), "--app-id")
        expectUsageError(try CLI.run(["append", table, "--create"]), "--schema")
        expectUsageError(try CLI.run(["append", table, "--schema", "id long"]), "--create")
        expectUsageError(try CLI.run(["append", table, "--format", "xls"]))
        expectUsageError(try CLI.run(["append", table, "--stream", "--batch-rows", "0"]), "--batch-rows")
        expectUsageError(try CLI.run(["append", table, "--stream", "--format", "parquet"]), "parquet")
        expectUsageError(try CLI.run(["create", table, "--schema", "id long", "--property", "novalue"]), "KEY=VALUE")
        expectUsageError(try CLI.run(["history", table, "--limit", "many"]))
        expectUsageError(try CLI.run(["demo", table, "--writers", "0"]), "--writers")
        // Nothing was created by any of these.
        #expect(!FileManager.default.fileExists(atPath: table))
    }

    @Test("every table command on a missing table fails with one error line")
    func missingTable() throws {
        let table = CLI.scratch("missing")
        for args in [["scan", table], ["describe", table], ["history", table], ["files", table],
                     ["scan", table, "--version", "0"], ["describe", table, "--format", "json"]] {
            expectError(try CLI.run(args), "no Delta table at \(table)")
        }
        expectError(try CLI.run(["append", table], stdin: "{\"id\":1}\n"), "no Delta table at \(table)")
        expectError(try CLI.run(["overwrite", table], stdin: "{\"id\":1}\n"), "no Delta table at \(table)")
        #expect(!FileManager.default.fileExists(atPath: table + "/_delta_log/00000000000000000000.json"))
    }
}
