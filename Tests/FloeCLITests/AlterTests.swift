import Foundation
import Testing

@Suite("floe alter")
struct AlterTests {
    @Test("set-property enables column mapping; rename-column and drop-column; old versions keep their columns")
    func renameAndDrop() throws {
        let table = CLI.scratch("alter")
        defer { CLI.cleanup(table) }
        expectSuccess(try CLI.run(["create", table, "--schema", "id long not null, kind string, loc struct<lat:double,lon:double>"]))
        expectSuccess(try CLI.run(["append", table], stdin: #"{"id":1,"kind":"a","loc":{"lat":1.5,"lon":2.5}}"# + "\n"))
        expectError(try CLI.run(["alter", table, "rename-column", "kind", "category"]), "column mapping", "delta.columnMapping.mode=name")

        let enabled = try CLI.run(["alter", table, "set-property", "delta.columnMapping.mode=name"])
        expectSuccess(enabled)
        #expect(enabled.stdout == "{\"version\":2}\n")
        #expect(try CLI.run(["alter", table, "rename-column", "kind", "category"]).stdout == "{\"version\":3}\n")
        #expect(try CLI.run(["alter", table, "rename-column", "loc.lat", "latitude"]).stdout == "{\"version\":4}\n")
        #expect(try CLI.run(["alter", table, "drop-column", "loc.lon"]).stdout == "{\"version\":5}\n")
        #expect(try CLI.run(["scan", table, "--format", "ndjson"]).stdoutLines == [#"{"id":1,"category":"a","loc":{"latitude":1.5}}"#])
        #expect(try CLI.run(["scan", table, "--format", "ndjson", "--version", "1"]).stdoutLines
                == [#"{"id":1,"kind":"a","loc":{"lat":1.5,"lon":2.5}}"#])
        expectSuccess(try CLI.run(["append", table], stdin: #"{"id":2,"category":"b"}"# + "\n"))
        #expect(try CLI.run(["scan", table, "--format", "ndjson", "--where", "category = 'b'"]).stdoutLines == [#"{"id":2,"category":"b","loc":null}"#])
        expectError(try CLI.run(["alter", table, "drop-column", "nope"]), "no column 'nope'")
        expectError(try CLI.run(["alter", table, "set-property", "delta.columnMapping.maxColumnId=99"]), "cannot be set")

        let described = try CLI.run(["describe", table, "--format", "json"])
        let object = try #require(try CLI.json(described.stdout) as? [String: Any])
        let properties = try #require(object["properties"] as? [String: Any])
        #expect(properties["delta.columnMapping.mode"] as? String == "name")
        #expect(properties["delta.columnMapping.maxColumnId"] as? String == "5")
    }

    @Test("set-type widens with delta.enableTypeWidening, refuses narrowing; usage errors")
    func setType() throws {
        let table = CLI.scratch("alter-type")
        defer { CLI.cleanup(table) }
        expectSuccess(try CLI.run(["create", table, "--schema", "n int, x float"]))
        expectSuccess(try CLI.run(["append", table], stdin: #"{"n":7,"x":0.5}"# + "\n"))
        expectError(try CLI.run(["alter", table, "set-type", "n", "long"]), "delta.enableTypeWidening=true")
        expectSuccess(try CLI.run(["alter", table, "set-property", "delta.enableTypeWidening=true"]))
        expectSuccess(try CLI.run(["alter", table, "set-type", "n", "bigint"]))
        expectSuccess(try CLI.run(["alter", table, "set-type", "x", "double"]))
        expectError(try CLI.run(["alter", table, "set-type", "n", "int"]), "narrowing")
        expectError(try CLI.run(["alter", table, "set-type", "n", "nonsense"]))
        expectSuccess(try CLI.run(["append", table], stdin: #"{"n":1099511627776,"x":0.25}"# + "\n"))
        #expect(try CLI.run(["scan", table, "--format", "ndjson"]).stdoutLines.sorted() == [#"{"n":1099511627776,"x":0.25}"#, #"{"n":7,"x":0.5}"#])

        expectUsageError(try CLI.run(["alter", table, "rename-column", "n"]), "takes 2 arguments")
        expectUsageError(try CLI.run(["alter", table, "frobnicate"]), "unknown alter action")
        expectUsageError(try CLI.run(["alter", table, "set-property", "novalue"]), "KEY=VALUE")
    }
}
