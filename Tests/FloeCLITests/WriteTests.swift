import Foundation
import Testing

@Suite("floe create, append, overwrite")
struct WriteTests {
    static let allTypes = "id long not null, i int, s smallint, b tinyint, f float, d double, dec decimal(10,2), "
        + "str string, bin binary, day date, ts timestamp, ntz timestamp_ntz, tags array<int>, "
        + "attrs map<string,long>, loc struct<lat:double,lon:double>, ok boolean"

    /// Rows in the canonical ndjson encoding: scanning them back must reproduce them exactly.
    static let canonical = [
        #"{"id":1,"i":-2147483648,"s":32767,"b":-128,"f":1.5,"d":0.1,"dec":"12.30","str":"a\"b\\c\n\u0001é","bin":"aGVsbG8=","day":"2026-11-24","ts":"2026-11-24T10:00:00.123456Z","ntz":"2026-11-24T10:00:00.000000","tags":[1,null,3],"attrs":[["k",1],["z",null]],"loc":{"lat":52.37,"lon":4.89},"ok":true}"#,
        #"{"id":2,"i":null,"s":null,"b":null,"f":"NaN","d":"Infinity","dec":"-0.05","str":"","bin":"","day":"1969-12-31","ts":"1969-12-31T23:59:59.999999Z","ntz":"0001-01-01T00:00:00.000000","tags":[],"attrs":[],"loc":{"lat":null,"lon":-1.0},"ok":false}"#,
        #"{"id":3,"i":null,"s":null,"b":null,"f":null,"d":"-Infinity","dec":null,"str":null,"bin":null,"day":null,"ts":null,"ntz":null,"tags":null,"attrs":null,"loc":null,"ok":null}"#,
    ]

    @Test("create prints version 0; every DDL type round-trips through ndjson in the canonical encoding")
    func roundTrip() throws {
        let table = CLI.scratch("types")
        defer { CLI.cleanup(table) }
        let created = try CLI.run(["create", table, "--schema", Self.allTypes])
        expectSuccess(created)
        #expect(created.stdout == "{\"version\":0}\n")
        let appended = try CLI.run(["append", table], stdin: Self.canonical.joined(separator: "\n") + "\n")
        expectSuccess(appended)
        #expect(appended.stdout == "{\"version\":1}\n")
        let scanned = try CLI.run(["scan", table, "--format", "ndjson"])
        expectSuccess(scanned)
        #expect(scanned.stdoutLines == Self.canonical)

        // CSV out and back in gives the same rows.
        let csv = try CLI.run(["scan", table, "--format", "csv"])
        expectSuccess(csv)
        #expect(csv.stdoutLines.first == "id,i,s,b,f,d,dec,str,bin,day,ts,ntz,tags,attrs,loc,ok")
        let copy = CLI.scratch("types-copy")
        defer { CLI.cleanup(copy) }
        expectSuccess(try CLI.run(["create", copy, "--schema", Self.allTypes]))
        let csvFile = copy + ".csv"
        defer { CLI.cleanup(csvFile) }
        try csv.stdout.write(toFile: csvFile, atomically: true, encoding: .utf8)
        expectSuccess(try CLI.run(["append", copy, "--input", csvFile]))
        #expect(try CLI.run(["scan", copy, "--format", "ndjson"]).stdoutLines == Self.canonical)

        // Parquet in: a data file of the first table appended to the copy.
        let files = try CLI.run(["files", table, "--format", "json"])
        let list = try #require(try CLI.json(files.stdout) as? [[String: Any]])
        let path = try #require(list.first?["path"] as? String)
        let added = try CLI.run(["append", copy, "--input", table + "/" + path])
        expectSuccess(added)
        #expect(added.stdout == "{\"version\":2}\n")
        let doubled = try CLI.run(["scan", copy, "--format", "ndjson", "--where", "id = 2"])
        #expect(doubled.stdoutLines == [Self.canonical[1], Self.canonical[1]])
    }

    @Test("alternative input forms are read into the canonical values")
    func inputForms() throws {
        let table = CLI.scratch("forms")
        defer { CLI.cleanup(table) }
        expectSuccess(try CLI.run(["create", table, "--schema", "id long, dec decimal(5,2), ts timestamp, ntz timestamp_ntz, m map<string,int>, f double"]))
        let input = """
            {"id":"1","dec":12.3,"ts":"2026-11-24T11:00:00+01:00","ntz":"2026-11-24 10:00","m":{"a":1,"b":2},"f":"-inf"}
            {"ID":2,"dec":"7","ts":1764000000000000,"ntz":"2026-11-24","m":[{"key":"x","value":9}],"f":2}

            """
        expectSuccess(try CLI.run(["append", table], stdin: input))
        let r = try CLI.run(["scan", table, "--format", "ndjson"])
        #expect(r.stdoutLines == [
            #"{"id":1,"dec":"12.30","ts":"2026-11-24T10:00:00.000000Z","ntz":"2026-11-24T10:00:00.000000","m":[["a",1],["b",2]],"f":"-Infinity"}"#,
            #"{"id":2,"dec":"7.00","ts":"2025-11-24T16:00:00.000000Z","ntz":"2026-11-24T00:00:00.000000","m":[["x",9]],"f":2.0}"#,
        ])
    }

    @Test("create accepts Delta schema JSON inline and from @file, partitions and properties")
    func createForms() throws {
        let a = CLI.scratch("json-schema"), b = CLI.scratch("file-schema")
        defer { CLI.cleanup(a); CLI.cleanup(b); CLI.cleanup(b + ".json") }
        let json = #"{"type":"struct","fields":[{"name":"id","type":"long","nullable":false,"metadata":{}},{"name":"day","type":"date","nullable":true,"metadata":{}}]}"#
        expectSuccess(try CLI.run(["create", a, "--schema", json, "--partition-by", "DAY", "--property", "delta.appendOnly=true",
                                   "--no-in-commit-timestamps"]))
        let d = try #require(try CLI.json(try CLI.run(["describe", a, "--format", "json"]).stdout) as? [String: Any])
        #expect(d["partitionColumns"] as? [String] == ["day"])
        #expect((d["properties"] as? [String: String])?["delta.appendOnly"] == "true")
        #expect((d["properties"] as? [String: String])?["delta.enableInCommitTimestamps"] == nil)
        let schema = try #require(d["schema"] as? [String: Any])
        let fields = try #require(schema["fields"] as? [[String: Any]])
        #expect(fields.map { $0["name"] as? String } == ["id", "day"])
        try "`my id` bigint NOT NULL, `select` string".write(toFile: b + ".json", atomically: true, encoding: .utf8)
        expectSuccess(try CLI.run(["create", b, "--schema", "@" + b + ".json"]))
        let text = try CLI.run(["describe", b])
        expectSuccess(text)
        #expect(text.stdout.contains("`my id`") && text.stdout.contains("  select ") && text.stdout.contains("not null"), "\(text.stdout)")
    }

    @Test("bad schemas and existing tables are refused")
    func createErrors() throws {
        let table = CLI.scratch("bad-schema")
        defer { CLI.cleanup(table) }
        expectError(try CLI.run(["create", table, "--schema", "id lng"]), "invalid schema at position 4", "unknown type 'lng'")
        expectError(try CLI.run(["create", table, "--schema", "id long, name"]), "invalid schema at position 14")
        expectError(try CLI.run(["create", table, "--schema", "id decimal(50,2)"]), "precision must be between 1 and 38")
        expectError(try CLI.run(["create", table, "--schema", "id long, ID string"]), "duplicate column name")
        expectError(try CLI.run(["create", table, "--schema", "{\"type\":\"struct\""]), "invalid schema JSON")
        expectError(try CLI.run(["create", table, "--schema", "@/nonexistent/schema.json"]), "cannot read schema file")
        expectError(try CLI.run(["create", table, "--schema", "a map<string"]), "position 13")
        expectError(try CLI.run(["create", table, "--schema", "id long", "--partition-by", "day"]), "partition column 'day' is not in the schema")
        #expect(!FileManager.default.fileExists(atPath: table + "/_delta_log/00000000000000000000.json"))
        expectSuccess(try CLI.run(["create", table, "--schema", "id long"]))
        expectError(try CLI.run(["create", table, "--schema", "id long"]), "already exists")
    }

    @Test("bad input names the line and column, and nothing is committed")
    func badInput() throws {
        let table = CLI.scratch("bad-input")
        defer { CLI.cleanup(table) }
        expectSuccess(try CLI.run(["create", table, "--schema", "id long not null, price decimal(6,2), d date, loc struct<lat:double>"]))
        let cases: [(String, [String])] = [
            ("{\"id\":1}\n{\"id\":2,\n", ["line 2: malformed JSON"]),
            ("{\"id\":1}\n{\"id\":\"two\"}\n", ["line 2, column 'id'", "\"two\" is not a valid long"]),
            ("{\"id\":1}\n\n{\"id\":3,\"price\":\"12345.678\"}\n", ["line 3, column 'price'", "does not fit decimal(6,2)"]),
            ("{\"id\":1,\"d\":\"2026-02-30\"}\n", ["line 1, column 'd'", "not a valid date"]),
            ("{\"id\":1,\"loc\":{\"lat\":true}}\n", ["line 1, column 'loc.lat'"]),
            ("{\"id\":1,\"nope\":5}\n", ["line 1: unknown column 'nope'", "--merge-schema"]),
            ("{\"price\":\"1.00\"}\n", ["line 1, column 'id'", "NOT NULL"]),
            ("{\"id\":null}\n", ["line 1, column 'id'", "NOT NULL"]),
            ("[1,2,3]\n", ["line 1: expected a JSON object"]),
            ("{\"id\":99999999999999999999}\n", ["line 1, column 'id'", "out of range"]),
        ]
        for (input, fragments) in cases {
            let r = try CLI.run(["append", table], stdin: input)
            #expect(r.status == 1, "\(input): \(r)")
            #expect(r.stderrLines.count == 1 && r.stderr.hasPrefix("error: "), "\(r.stderr)")
            for f in fragments { #expect(r.stderr.contains(f), "\(input): \(r.stderr) lacks \(f)") }
            #expect(r.stdout.isEmpty)
        }
        let csv: [(String, String)] = [
            ("id,price\n1,\"2.00\n", "line 2: unterminated quoted CSV field"),
            ("id,price\n1,2,3\n", "line 2: 3 fields but the CSV header has 2"),
            ("id,bogus\n1,2\n", "line 1: unknown column 'bogus'"),
            ("id,price\n1,abc\n", "line 2, column 'price'"),
            ("id,price\n1,1.00\n,2.00\n", "line 3, column 'id'"),
        ]
        for (input, fragment) in csv {
            expectError(try CLI.run(["append", table, "--format", "csv"], stdin: input), fragment)
        }
        expectError(try CLI.run(["append", table, "--input", "/nonexistent/rows.ndjson"]), "/nonexistent/rows.ndjson")
        expectError(try CLI.run(["append", table, "--format", "parquet"], stdin: "not parquet at all"), "Parquet")
        #expect(try CLI.version(of: table) == 0)
    }

    @Test("CSV input: header, quoting, nulls and empty strings")
    func csvInput() throws {
        let table = CLI.scratch("csv")
        defer { CLI.cleanup(table) }
        expectSuccess(try CLI.run(["create", table, "--schema", "id long, name string, ok boolean, at timestamp"]))
        let input = "name,id,ok,at\r\n\"Smith, \"\"J\"\"\",1,true,2026-11-24T10:00:00Z\r\n,2,,\r\n\"\",3,false,\"multi\nline\"\r\n"
        let bad = try CLI.run(["append", table, "--format", "csv"], stdin: input)
        expectError(bad, "line 4, column 'at'")
        let good = "name,id,ok,at\r\n\"Smith, \"\"J\"\"\",1,true,2026-11-24T10:00:00Z\r\n,2,,\r\n\"\",3,false,\r\n\"a\nb\",4,,\n"
        expectSuccess(try CLI.run(["append", table, "--format", "csv"], stdin: good))
        let r = try CLI.run(["scan", table, "--format", "ndjson"])
        #expect(r.stdoutLines == [
            #"{"id":1,"name":"Smith, \"J\"","ok":true,"at":"2026-11-24T10:00:00.000000Z"}"#,
            #"{"id":2,"name":null,"ok":null,"at":null}"#,
            #"{"id":3,"name":"","ok":false,"at":null}"#,
            #"{"id":4,"name":"a\nb","ok":null,"at":null}"#,
        ])
    }

    @Test("--merge-schema adds new columns; --app-id/--txn-version skips replays; --create")
    func mergeAndTransactions() throws {
        let table = CLI.scratch("merge")
        defer { CLI.cleanup(table) }
        let created = try CLI.run(["append", table, "--create", "--schema", "id long", "--app-id", "loader", "--txn-version", "1"],
                                  stdin: "{\"id\":1}\n")
        expectSuccess(created)
        #expect(created.stdout == "{\"version\":1}\n")
        let merged = try CLI.run(["append", table, "--merge-schema"], stdin: "{\"id\":2,\"country\":\"NL\",\"score\":1}\n{\"id\":3,\"score\":2.5}\n")
        expectSuccess(merged)
        #expect(merged.stdout == "{\"version\":2}\n")
        #expect(try CLI.run(["scan", table, "--format", "ndjson"]).stdoutLines == [
            #"{"id":1,"country":null,"score":null}"#,
            #"{"id":2,"country":"NL","score":1.0}"#,
            #"{"id":3,"country":null,"score":2.5}"#,
        ])
        let replay = try CLI.run(["append", table, "--app-id", "loader", "--txn-version", "1"], stdin: "{\"id\":1}\n")
        expectSuccess(replay)
        #expect(replay.stdout == "{\"version\":2,\"skipped\":true}\n")
        let next = try CLI.run(["append", table, "--app-id", "loader", "--txn-version", "2"], stdin: "{\"id\":4}\n")
        #expect(next.stdout == "{\"version\":3}\n")
        // --create on an existing table just appends.
        let again = try CLI.run(["append", table, "--create", "--schema", "id long"], stdin: "{\"id\":5}\n")
        #expect(again.stdout == "{\"version\":4}\n")
    }

    @Test("--stream commits a batch per --batch-rows rows; a bad line stops it without committing its batch")
    func stream() throws {
        let table = CLI.scratch("stream")
        defer { CLI.cleanup(table) }
        expectSuccess(try CLI.run(["create", table, "--schema", "id long not null, v string"]))
        let rows = (1...5).map { "{\"id\":\($0),\"v\":\"r\($0)\"}" }.joined(separator: "\n") + "\n"
        let r = try CLI.run(["append", table, "--stream", "--batch-rows", "2", "--batch-interval-ms", "10000", "--app-id", "s"], stdin: rows)
        expectSuccess(r)
        #expect(r.stdoutLines == ["{\"version\":1}", "{\"version\":2}", "{\"version\":3}"])
        let history = try #require(try CLI.json(try CLI.run(["history", table, "--format", "json"]).stdout) as? [[String: Any]])
        #expect(history.first?["operation"] as? String == "STREAMING UPDATE")

        let bad = "{\"id\":6}\n{\"id\":7}\n{\"id\":8}\n{\"id\":\n{\"id\":10}\n"
        let failed = try CLI.run(["append", table, "--stream", "--batch-rows", "2"], stdin: bad)
        #expect(failed.stdoutLines == ["{\"version\":4}"])
        expectError(failed, "line 4: malformed JSON")
        #expect(try CLI.version(of: table) == 4)
        let ids = try CLI.run(["scan", table, "--columns", "id", "--format", "csv"]).stdoutLines
        #expect(ids == ["id", "1", "2", "3", "4", "5", "6", "7"])

        // Consecutive transaction versions continue after the recorded one.
        let more = try CLI.run(["append", table, "--stream", "--batch-rows", "1", "--app-id", "s"], stdin: "{\"id\":11}\n")
        #expect(more.stdoutLines == ["{\"version\":5}"])
        let replay = try CLI.run(["append", table, "--stream", "--batch-rows", "1", "--app-id", "s", "--txn-version", "3"],
                                 stdin: "{\"id\":12}\n{\"id\":13}\n")
        #expect(replay.stdoutLines == ["{\"version\":5,\"skipped\":true}", "{\"version\":6}"], "\(replay)")
    }

    @Test("overwrite replaces all rows, or the partitions matching --where")
    func overwrite() throws {
        let table = CLI.scratch("overwrite")
        defer { CLI.cleanup(table) }
        expectSuccess(try CLI.run(["create", table, "--schema", "id long, day date", "--partition-by", "day"]))
        expectSuccess(try CLI.run(["append", table], stdin: "{\"id\":1,\"day\":\"2026-01-01\"}\n{\"id\":2,\"day\":\"2026-01-02\"}\n"))
        let partial = try CLI.run(["overwrite", table, "--where", "day = DATE '2026-01-02'"], stdin: "{\"id\":20,\"day\":\"2026-01-02\"}\n")
        expectSuccess(partial)
        #expect(partial.stdout == "{\"version\":2}\n")
        #expect(try CLI.run(["scan", table, "--format", "csv"]).stdoutLines.sorted() == ["1,2026-01-01", "20,2026-01-02", "id,day"])
        expectError(try CLI.run(["overwrite", table, "--where", "day = DATE '2026-01-02'"], stdin: "{\"id\":30,\"day\":\"2026-01-03\"}\n"),
                    "replaceWhere")
        expectError(try CLI.run(["overwrite", table, "--where", "id = 1"], stdin: ""), "partition column")
        expectError(try CLI.run(["overwrite", table, "--where", "day = "], stdin: ""), "invalid predicate at position 7")
        #expect(try CLI.version(of: table) == 2)
        let all = try CLI.run(["overwrite", table], stdin: "{\"id\":9,\"day\":\"2026-02-02\"}\n")
        #expect(all.stdout == "{\"version\":3}\n")
        #expect(try CLI.run(["scan", table, "--format", "ndjson"]).stdoutLines == [#"{"id":9,"day":"2026-02-02"}"#])
    }
}
