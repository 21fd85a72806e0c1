import Foundation
import Testing

@Suite("floe on hostile tables and constraint violations")
struct HostileTests {
    static let protocolLine = #"{"protocol":{"minReaderVersion":1,"minWriterVersion":2}}"#
    static let metadataLine = #"{"metaData":{"id":"t","format":{"provider":"parquet","options":{}},"schemaString":"{\"type\":\"struct\",\"fields\":[{\"name\":\"a\",\"type\":\"long\",\"nullable\":true,\"metadata\":{}}]}","partitionColumns":[],"configuration":{}}}"#

    /// A table directory whose commit 0 holds `lines` (and a trailing newline unless `torn`).
    static func table(_ label: String, _ lines: [String], torn: Bool = false) throws -> String {
        let root = CLI.scratch(label)
        try FileManager.default.createDirectory(atPath: root + "/_delta_log", withIntermediateDirectories: true)
        let text = lines.joined(separator: "\n") + (torn ? "" : "\n")
        try text.write(toFile: root + "/_delta_log/00000000000000000000.json", atomically: true, encoding: .utf8)
        return root
    }

    @Test("scan refuses add paths outside the table with one error line naming the path",
          arguments: ["../x.parquet", "/etc/passwd", "file:///etc/passwd", "..%2Fx.parquet"])
    func escapingPaths(_ path: String) throws {
        let add = #"{"add":{"path":""# + path + #"","partitionValues":{},"size":1,"modificationTime":1,"dataChange":true}}"#
        let root = try Self.table("escape", [Self.protocolLine, Self.metadataLine, add])
        defer { CLI.cleanup(root) }
        let r = try CLI.run(["scan", root])
        expectError(r, "outside the table")
        #expect(r.stderr.contains(path) || r.stderr.contains(path.replacingOccurrences(of: "%2F", with: "/")), "\(r.stderr)")
    }

    @Test("scan of a torn, garbage or empty commit fails with one error line naming the file")
    func corruptCommits() throws {
        let torn = try Self.table("torn", [Self.protocolLine, String(Self.metadataLine.prefix(40))], torn: true)
        defer { CLI.cleanup(torn) }
        expectError(try CLI.run(["scan", torn]), "00000000000000000000.json", "incomplete")
        let garbage = try Self.table("garbage", [Self.protocolLine, "\u{1}\u{2}garbage"])
        defer { CLI.cleanup(garbage) }
        expectError(try CLI.run(["scan", garbage]), "00000000000000000000.json line 2")
        let empty = try Self.table("empty", [])
        defer { CLI.cleanup(empty) }
        try "".write(toFile: empty + "/_delta_log/00000000000000000000.json", atomically: true, encoding: .utf8)
        expectError(try CLI.run(["describe", empty]), "00000000000000000000.json")
    }

    @Test("constraint add/list/drop; a violating append fails naming the constraint, values and row")
    func constraints() throws {
        let root = CLI.scratch("constraint")
        defer { CLI.cleanup(root) }
        expectSuccess(try CLI.run(["create", root, "--schema", "id long not null, kind string"]))
        expectSuccess(try CLI.run(["append", root], stdin: "{\"id\":1,\"kind\":\"a\"}\n{\"id\":2,\"kind\":\"b\"}\n"))
        // Existing row 2 violates it.
        expectError(try CLI.run(["constraint", root, "add", "only_a", "kind = 'a'"]), "only_a", "row 2", "kind = 'b'")
        let added = try CLI.run(["constraint", root, "add", "ID_Pos", "id > 0 AND kind IN ('a', 'b')"])
        expectSuccess(added)
        #expect(added.stdout == "{\"version\":2}\n")
        let listed = try CLI.run(["constraint", root, "list"])
        expectSuccess(listed)
        #expect(listed.stdoutLines == [#"{"name":"id_pos","kind":"check","expression":"id > 0 AND kind IN ('a', 'b')"}"#])
        let refused = try CLI.run(["append", root], stdin: "{\"id\":3,\"kind\":\"a\"}\n{\"id\":-4,\"kind\":\"b\"}\n")
        expectError(refused, "CHECK constraint id_pos", "row 2 of the append", "id = -4")
        #expect(try CLI.version(of: root) == 2)
        // NOT NULL names the line of the input.
        expectError(try CLI.run(["append", root], stdin: "{\"kind\":\"a\"}\n"), "line 1, column 'id'", "NOT NULL")
        expectSuccess(try CLI.run(["constraint", root, "drop", "id_pos"]))
        expectError(try CLI.run(["constraint", root, "drop", "id_pos"]), "no CHECK constraint id_pos")
        expectSuccess(try CLI.run(["append", root], stdin: "{\"id\":-4,\"kind\":\"z\"}\n"))
        expectUsageError(try CLI.run(["constraint", root, "add", "x"]))
        expectUsageError(try CLI.run(["constraint", root, "rename", "x"]))
    }
}
