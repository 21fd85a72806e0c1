import Foundation
import Testing

@Suite("floe scan, describe, history, files")
struct ReadTests {
    /// A table with three versions: create (0), two rows (1), two more rows (2).
    static func makeTable(_ label: String) throws -> String {
        let table = CLI.scratch(label)
        expectSuccess(try CLI.run(["create", table, "--schema",
                                   "id long not null, kind string, amount decimal(8,2), at timestamp, loc struct<lat:double,lon:double>, `select` boolean"]))
        expectSuccess(try CLI.run(["append", table], stdin: """
            {"id":1,"kind":"view","amount":null,"at":"2026-11-24T10:00:00Z","loc":{"lat":1.0,"lon":2.0},"select":true}
            {"id":2,"kind":"purchase","amount":"19.99","at":"2026-11-24T11:00:00Z","loc":null,"select":false}

            """))
        expectSuccess(try CLI.run(["append", table], stdin: """
            {"id":3,"kind":"purchase","amount":"250.00","at":"2026-11-25T09:30:00Z","loc":{"lat":-5.5,"lon":0.0}}
            {"id":4,"kind":"it's","amount":"0.01","at":"2026-11-26T00:00:00Z"}

            """))
        return table
    }

    func ids(_ r: CLI.Result) -> [String] { Array(r.stdoutLines.dropFirst()) }

    @Test("--where predicates, --columns and --limit")
    func predicates() throws {
        let table = try Self.makeTable("where")
        defer { CLI.cleanup(table) }
        let cases: [(String, [String])] = [
            ("kind = 'purchase'", ["2", "3"]),
            ("kind <> 'purchase'", ["1", "4"]),
            ("amount > 19.99", ["3"]),
            ("amount >= 19.99 AND amount <= 250", ["2", "3"]),
            ("amount BETWEEN 0 AND 20", ["2", "4"]),
            ("amount NOT BETWEEN 0 AND 20", ["3"]),
            ("amount IS NULL", ["1"]),
            ("amount IS NOT NULL AND NOT (kind = 'purchase')", ["4"]),
            ("id IN (1, 3, 99)", ["1", "3"]),
            ("id NOT IN (1, 3)", ["2", "4"]),
            ("kind = 'it''s'", ["4"]),
            ("at >= TIMESTAMP '2026-11-25T00:00:00Z'", ["3", "4"]),
            ("at < DATE '2026-11-25' OR id = 4", ["1", "2", "4"]),
            ("loc.lat < 0", ["3"]),
            ("`select`", ["1"]),
            ("\"select\" = false", ["2"]),
            ("5 > id AND (kind = 'view' OR kind = 'purchase')", ["1", "2", "3"]),
            ("KIND = 'view' or Id = 4", ["1", "4"]),
            ("false", []),
        ]
        for (predicate, expected) in cases {
            let r = try CLI.run(["scan", table, "--columns", "id", "--format", "csv", "--where", predicate])
            expectSuccess(r)
            #expect(ids(r) == expected, "\(predicate): \(r.stdout)")
        }
        let limited = try CLI.run(["scan", table, "--columns", "kind,ID", "--limit", "3", "--format", "csv"])
        #expect(limited.stdoutLines == ["kind,id", "view,1", "purchase,2", "purchase,3"])
        let none = try CLI.run(["scan", table, "--limit", "0", "--format", "csv", "--columns", "id"])
        #expect(none.stdoutLines == ["id"])
        let human = try CLI.run(["scan", table, "--columns", "id,kind,amount", "--where", "id <= 2"])
        #expect(human.stdoutLines == ["id │ kind     │ amount", "───┼──────────┼───────", " 1 │ view     │   NULL",
                                      " 2 │ purchase │  19.99", "(2 rows)"], "\(human.stdout)")
    }

    @Test("bad predicates and columns fail with the position or the name")
    func badPredicates() throws {
        let table = try Self.makeTable("bad-where")
        defer { CLI.cleanup(table) }
        let cases: [(String, [String])] = [
            ("", ["empty predicate"]),
            ("id =", ["position 5", "end of input"]),
            ("id = 1 AND", ["position 11"]),
            ("(id = 1", ["position 8", "expected ')'"]),
            ("nope = 1", ["position 1", "unknown column 'nope'"]),
            ("loc.nope = 1", ["unknown column 'loc.nope'"]),
            ("id = 'abc'", ["position 6", "cannot be compared with column 'id' of type long"]),
            ("amount = 1.234", ["more than 2 decimal places"]),
            ("at > TIMESTAMP 'noon'", ["position 16", "not a valid timestamp"]),
            ("at > 5", ["DATE '...' or TIMESTAMP '...'"]),
            ("id = id", ["comparing two columns"]),
            ("1 = 1", ["needs a column"]),
            ("kind = 'open", ["position 8", "unterminated string"]),
            ("id == 1 ;", ["position 9", "unexpected character ';'"]),
            ("loc = 1", ["cannot be compared"]),
            ("id IN ()", ["at least one value"]),
            ("kind", ["not boolean"]),
            ("id = 1 id = 2", ["position 8"]),
            (String(repeating: "(", count: 5000) + "id = 1" + String(repeating: ")", count: 5000), ["nested more than"]),
            ("\u{1}\u{2}", ["unexpected character"]),
        ]
        for (predicate, fragments) in cases {
            let r = try CLI.run(["scan", table, "--where", predicate])
            expectError(r, "invalid predicate")
            for f in fragments { #expect(r.stderr.contains(f), "\(predicate): \(r.stderr) lacks \(f)") }
        }
        expectError(try CLI.run(["scan", table, "--columns", "id,nope"]), "unknown column 'nope'")
    }

    @Test("time travel by --version and --timestamp, and their errors")
    func timeTravel() throws {
        let table = try Self.makeTable("time-travel")
        defer { CLI.cleanup(table) }
        #expect(ids(try CLI.run(["scan", table, "--columns", "id", "--format", "csv", "--version", "1"])) == ["1", "2"])
        #expect(ids(try CLI.run(["scan", table, "--columns", "id", "--format", "csv", "--version", "0"])) == [])
        let history = try #require(try CLI.json(try CLI.run(["history", table, "--format", "json"]).stdout) as? [[String: Any]])
        #expect(history.map { $0["version"] as? Int } == [2, 1, 0])
        let t1 = try #require(history[1]["timestamp"] as? Int64)
        #expect(ids(try CLI.run(["scan", table, "--columns", "id", "--format", "csv", "--timestamp", String(t1)])) == ["1", "2"])
        // The same instant as ISO-8601 with an offset.
        let seconds = (Double(t1) + 0.5) / 1000
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(secondsFromGMT: 3600)
        let iso = formatter.string(from: Date(timeIntervalSince1970: seconds))
        let described = try CLI.run(["describe", table, "--timestamp", iso, "--format", "json"])
        expectSuccess(described)
        #expect((try CLI.json(described.stdout) as? [String: Any])?["version"] as? Int == 1, "\(iso)")
        #expect(ids(try CLI.run(["files", table, "--timestamp", "2999-01-01", "--format", "text"])).count == 3)  // 2 files + total

        expectError(try CLI.run(["scan", table, "--version", "3"]), "version 3", "does not exist", "0...2")
        expectError(try CLI.run(["scan", table, "--timestamp", "2000-01-01T00:00:00Z"]), "before the earliest available commit")
        expectError(try CLI.run(["describe", table, "--timestamp", "0"]), "before the earliest available commit")
        expectError(try CLI.run(["files", table, "--version", "99"]), "version 99")
    }

    @Test("describe, history and files in text and json")
    func metadataCommands() throws {
        let table = try Self.makeTable("describe")
        defer { CLI.cleanup(table) }
        let json = try #require(try CLI.json(try CLI.run(["describe", table, "--format", "json"]).stdout) as? [String: Any])
        #expect(Set(json.keys) == ["version", "timestamp", "schema", "partitionColumns", "protocol", "properties",
                                   "numFiles", "numRecords", "sizeInBytes"])
        #expect(json["version"] as? Int == 2)
        #expect(json["numFiles"] as? Int == 2)
        #expect(json["numRecords"] as? Int == 4)
        #expect((json["sizeInBytes"] as? Int ?? 0) > 0)
        let proto = try #require(json["protocol"] as? [String: Any])
        #expect(Set(proto.keys) == ["minReaderVersion", "minWriterVersion", "readerFeatures", "writerFeatures"])
        #expect((proto["writerFeatures"] as? [String])?.contains("inCommitTimestamp") == true)
        #expect((json["schema"] as? [String: Any])?["type"] as? String == "struct")

        let text = try CLI.run(["describe", table])
        expectSuccess(text)
        for fragment in ["version:    2", "amount", "decimal(8,2)", "struct<lat:double,lon:double>", "not null",
                         "files:      2", "rows:       4", "delta.enableInCommitTimestamps = true"] {
            #expect(text.stdout.contains(fragment), "describe lacks \(fragment): \(text.stdout)")
        }

        let history = try #require(try CLI.json(try CLI.run(["history", table, "--format", "json", "--limit", "2"]).stdout) as? [[String: Any]])
        #expect(history.count == 2)
        let newest = history[0]
        #expect(newest["version"] as? Int == 2)
        #expect(newest["operation"] as? String == "WRITE")
        #expect((newest["operationParameters"] as? [String: Any])?["mode"] as? String == "Append")
        #expect(newest["timestamp"] as? Int64 == newest["inCommitTimestamp"] as? Int64)
        #expect(newest["engineInfo"] != nil && newest["operationMetrics"] != nil && newest["readVersion"] as? Int == 1)
        let historyText = try CLI.run(["history", table])
        #expect(historyText.stdoutLines.count == 4)
        #expect(historyText.stdoutLines.first?.hasPrefix("VERSION  TIMESTAMP") == true)
        #expect(historyText.stdoutLines.last?.contains("CREATE TABLE") == true)

        let files = try #require(try CLI.json(try CLI.run(["files", table, "--format", "json"]).stdout) as? [[String: Any]])
        #expect(files.count == 2)
        for file in files {
            #expect(Set(file.keys).isSuperset(of: ["path", "size", "modificationTime", "partitionValues", "numRecords", "stats"]))
            #expect(file["numRecords"] as? Int == 2)
            #expect(((file["stats"] as? [String: Any])?["minValues"] as? [String: Any])?["id"] != nil)
        }
        let filesV1 = try CLI.run(["files", table, "--version", "1"])
        #expect(filesV1.stdoutLines.count == 3)
        #expect(filesV1.stdoutLines.last == "(1 file, \(filesV1.stdoutLines[1].split(separator: " ", omittingEmptySubsequences: true)[1]) \(filesV1.stdoutLines[1].split(separator: " ", omittingEmptySubsequences: true)[2]))")
    }
}
