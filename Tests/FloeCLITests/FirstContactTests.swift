import Foundation
import Testing

/// What a new user meets first: the version, a mistyped subcommand, and paths that are not tables
/// (issue 15). Each error points the right way instead of describing Floe's internals.
@Suite("floe: first contact")
struct FirstContactTests {
    @Test("floe --version prints the version")
    func version() throws {
        let r = try CLI.run(["--version"])
        expectSuccess(r)
        #expect(r.stdout.hasPrefix("floe "), "\(r)")
    }

    @Test("a mistyped subcommand is a usage error that suggests the right one")
    func didYouMean() throws {
        expectUsageError(try CLI.run(["scna", "/tmp/t"]), "Did you mean 'scan'?")
        expectUsageError(try CLI.run(["histroy", "/tmp/t"]), "Did you mean 'history'?")
        let far = try CLI.run(["frobnicate"])
        expectUsageError(far, "unknown subcommand 'frobnicate'")
        #expect(!far.stderr.contains("Did you mean"), "\(far)")
    }

    @Test("a missing directory, a file, a directory without a log and a _delta_log folder each say so")
    func pathsThatAreNotTables() throws {
        let missing = CLI.scratch("missing")
        expectError(try CLI.run(["describe", missing]), "no Delta table at", "there is no such directory")

        let dir = CLI.scratch("not-a-table")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { CLI.cleanup(dir) }
        let file = dir + "/events.csv"
        FileManager.default.createFile(atPath: file, contents: Data("a,b\n".utf8))
        let onFile = try CLI.run(["scan", file])
        expectError(onFile, "it is a file, not a table directory")
        #expect(!onFile.stderr.contains("errno"), "\(onFile)")
        expectError(try CLI.run(["history", dir]), "has no _delta_log folder")

        let table = dir + "/t"
        expectSuccess(try CLI.run(["create", table, "--schema", "id long"]))
        expectError(try CLI.run(["scan", table + "/_delta_log"]), "give the table directory", table)
    }

    @Test("optimize --where with a malformed predicate is a usage error, as Spec/CLI.md says")
    func optimizeWhereIsUsage() throws {
        let table = CLI.scratch("optimize-where")
        defer { CLI.cleanup(table) }
        expectSuccess(try CLI.run(["create", table, "--schema", "id long, day date", "--partition-by", "day"]))
        expectUsageError(try CLI.run(["optimize", table, "--where", "day >="]), "--where")
        expectUsageError(try CLI.run(["optimize", table, "--where", "nope = 1"]), "--where")
        expectSuccess(try CLI.run(["optimize", table, "--where", "day = DATE '2026-01-01'"]))
    }

    @Test("appending to a missing table mentions --create")
    func appendToMissingTable() throws {
        let missing = CLI.scratch("append-missing")
        defer { CLI.cleanup(missing) }
        expectError(try CLI.run(["append", missing], stdin: "{\"id\":1}\n"), "there is no such directory", "--create --schema")
        expectSuccess(try CLI.run(["append", missing, "--create", "--schema", "id long"], stdin: "{\"id\":1}\n"))
    }
}
