import Foundation
import Testing

/// Hostile use of the `floe` command line: a standard output that cannot be written, values that
/// overflow, SQL that reaches for the file system, damaging schema changes, bad properties and
/// control bytes in error messages. Each case expects the CLI contract: one `error: ...` line and
/// exit status 1 (or a usage error, 2), never a crash, nothing written outside the table.
@Suite("floe under hostile input")
struct HostileInputTests {
    /// A table with two appends, so every read command has something to print.
    static func populatedTable(_ label: String) throws -> String {
        let root = CLI.scratch(label)
        expectSuccess(try CLI.run(["create", root, "--schema", "id long not null, kind string",
                                   "--property", "delta.enableChangeDataFeed=true"]))
        expectSuccess(try CLI.run(["append", root], stdin: "{\"id\":1,\"kind\":\"a\"}\n{\"id\":2,\"kind\":\"b\"}\n"))
        expectSuccess(try CLI.run(["append", root], stdin: "{\"id\":3,\"kind\":\"c\"}\n"))
        return root
    }

    static func dataFile(in root: String) throws -> String {
        let names = try FileManager.default.contentsOfDirectory(atPath: root)
        guard let name = names.sorted().first(where: { $0.hasSuffix(".parquet") }) else { throw HarnessError("no data file in \(root)") }
        return root + "/" + name
    }

    // MARK: Standard output that cannot be written

    /// Every subcommand, with standard output on `/dev/full`, fails with one error line naming
    /// standard output, instead of crashing (`scan`, `sql`, `vacuum`) or exiting 0 with the output
    /// lost (the others).
    @Test("every subcommand reports a failing standard output (/dev/full) as one error line, exit 1")
    func fullStandardOutput() throws {
        let root = try Self.populatedTable("devfull")
        defer { CLI.cleanup(root) }
        let created = CLI.scratch("devfull-create")
        defer { CLI.cleanup(created) }
        let file = try Self.dataFile(in: root)
        let rows = "{\"id\":9,\"kind\":\"z\"}\n"
        let cases: [([String], String?)] = [
            (["create", created, "--schema", "id long"], nil),
            (["append", root], rows),
            (["append", root, "--stream"], rows),
            (["overwrite", root], rows + rows),
            (["scan", root], nil),
            (["scan", root, "--format", "ndjson"], nil),
            (["scan", root, "--format", "csv"], nil),
            (["describe", root], nil),
            (["describe", root, "--format", "json"], nil),
            (["history", root], nil),
            (["history", root, "--format", "json"], nil),
            (["files", root], nil),
            (["files", root, "--format", "json"], nil),
            (["changes", root, "--from", "0"], nil),
            (["sql", "SELECT * FROM t", "--table", "t=" + root], nil),
            (["sql", "SELECT * FROM t", "--table", "t=" + root, "--format", "ndjson"], nil),
            (["alter", root, "set-property", "floe.test=1"], nil),
            (["constraint", root, "add", "pos", "id > 0"], nil),
            (["constraint", root, "list"], nil),
            (["constraint", root, "drop", "pos"], nil),
            (["optimize", root], nil),
            (["optimize", root, "--format", "json"], nil),
            (["checkpoint", root], nil),
            (["vacuum", root, "--dry-run"], nil),
            (["vacuum", root], nil),
            (["parquet", "schema", file], nil),
            (["parquet", "meta", file], nil),
            (["parquet", "cat", file], nil),
            (["--help"], nil),
            (["scan", "--help"], nil),
        ]
        for (arguments, stdin) in cases {
            let r = try CLI.run(arguments, stdin: stdin, stdoutPath: "/dev/full")
            #expect(r.status == 1, "floe \(arguments.joined(separator: " ")): \(r)")
            #expect(r.stderrLines == ["error: cannot write standard output: No space left on device"],
                    "floe \(arguments.joined(separator: " ")): \(r.stderr)")
        }
        // The table is intact and readable afterwards.
        let scan = try CLI.run(["scan", root, "--format", "ndjson"])
        expectSuccess(scan)
        #expect(scan.stdoutLines.count >= 2)
    }

    @Test("demo reports a failing standard output as one error line")
    func fullStandardOutputDemo() throws {
        let dir = CLI.scratch("devfull-demo")
        defer { CLI.cleanup(dir) }
        let r = try CLI.run(["demo", dir, "--writers", "1", "--seconds", "0.2"], stdoutPath: "/dev/full")
        #expect(r.status == 1, "\(r)")
        #expect(r.stderrLines.last == "error: cannot write standard output: No space left on device", "\(r.stderr)")
    }
}

extension HostileInputTests {
    // MARK: Retentions beyond Int64 milliseconds

    @Test("vacuum with a retention beyond Int64 milliseconds keeps everything instead of trapping",
          arguments: ["3e12", "1e300", "9223372036854775807"])
    func hugeRetainHours(_ hours: String) throws {
        let root = try Self.populatedTable("huge-retain")
        defer { CLI.cleanup(root) }
        for extra in [["--dry-run"], []] {
            let r = try CLI.run(["vacuum", root, "--retain-hours", hours] + extra)
            expectSuccess(r)
            #expect(r.stdout.contains("0 files"), "\(r.stdout)")
        }
        #expect(try CLI.run(["scan", root, "--format", "ndjson"]).stdoutLines.count == 3)
    }

    @Test("a retention property beyond Int64 milliseconds (set by any writer) saturates: vacuum and checkpoint work")
    func hugeRetentionProperty() throws {
        let root = try Self.populatedTable("huge-property")
        defer { CLI.cleanup(root) }
        expectSuccess(try CLI.run(["alter", root, "set-property",
                                   "delta.deletedFileRetentionDuration=interval 99999999999999 weeks",
                                   "delta.logRetentionDuration=interval 99999999999999 weeks"]))
        let dry = try CLI.run(["vacuum", root, "--dry-run"])
        expectSuccess(dry)
        #expect(dry.stdout.contains("would delete 0 files"), "\(dry.stdout)")
        expectSuccess(try CLI.run(["vacuum", root]))
        // Shorter than the (saturated) property: refused without --force, allowed with it.
        expectError(try CLI.run(["vacuum", root, "--retain-hours", "1000000"]), "shorter than the table's delta.deletedFileRetentionDuration")
        expectSuccess(try CLI.run(["vacuum", root, "--retain-hours", "1000000", "--force"]))
        expectSuccess(try CLI.run(["checkpoint", root]))
        #expect(try CLI.run(["scan", root, "--format", "ndjson"]).stdoutLines.count == 3)
    }
}

extension HostileInputTests {
    // MARK: Sizes and counts another writer made huge

    @Test("sizes and row counts near Int64.max in the log never trap: describe, files, sql, optimize")
    func hugeSizesAndCounts() throws {
        let stats = #"{\"numRecords\":9223372036854775807}"#
        func add(_ name: String, size: String = "9223372036854775807") -> String {
            #"{"add":{"path":""# + name + #"","partitionValues":{},"size":"# + size + #","modificationTime":1,"dataChange":true,"stats":""# + stats + #""}}"#
        }
        let root = try HostileTests.table("huge-sizes", [HostileTests.protocolLine, HostileTests.metadataLine, add("a.parquet"), add("b.parquet")])
        defer { CLI.cleanup(root) }
        let described = try CLI.run(["describe", root, "--format", "json"])
        expectSuccess(described)
        #expect(described.stdout.contains("\"sizeInBytes\":9223372036854775807"), "\(described.stdout)")
        expectSuccess(try CLI.run(["describe", root]))
        expectSuccess(try CLI.run(["files", root]))
        // The planner's estimate saturates; reading the (absent) files is a clean error.
        let sql = try CLI.run(["sql", "SELECT count(*) FROM t WHERE a = 1", "--table", "t=" + root])
        #expect(sql.status == 1, "\(sql)")
        #expect(sql.stderrLines.count == 1 && sql.stderr.hasPrefix("error: "), "\(sql.stderr)")
        // Negative sizes (also invalid) are packed by optimize with saturating sums; reading the
        // absent files then fails cleanly.
        let negative = try HostileTests.table("negative-sizes", [HostileTests.protocolLine, HostileTests.metadataLine,
                                                                 add("a.parquet", size: "-9223372036854775808"),
                                                                 add("b.parquet", size: "-9223372036854775808")])
        defer { CLI.cleanup(negative) }
        let optimized = try CLI.run(["optimize", negative])
        #expect(optimized.status == 1, "\(optimized)")
        #expect(optimized.stderrLines.count == 1 && optimized.stderr.hasPrefix("error: "), "\(optimized.stderr)")
        expectSuccess(try CLI.run(["describe", negative]))
    }
}

extension HostileInputTests {
    // MARK: The SQL sandbox

    @Test("floe sql creates no file anywhere: ATTACH, VACUUM INTO, pragmas and extensions are refused")
    func sqlSandbox() throws {
        let root = try Self.populatedTable("sandbox")
        defer { CLI.cleanup(root) }
        let outside = CLI.scratch("sandbox-outside")
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        defer { CLI.cleanup(outside) }
        let refused: [(String, String)] = [
            ("ATTACH '\(outside)/x.db' AS x; CREATE TABLE x.t(a)", "ATTACH"),
            ("VACUUM INTO '\(outside)/v.db'", "VACUUM"),
            ("PRAGMA temp_store = FILE", "PRAGMA temp_store"),
            ("PRAGMA temp_store_directory = '\(outside)'", "PRAGMA temp_store_directory"),
            ("SELECT load_extension('\(outside)/x.so')", "load_extension"),
        ]
        for (sql, fragment) in refused {
            expectError(try CLI.run(["sql", sql, "--table", "t=" + root]), fragment, "sandbox")
        }
        expectError(try CLI.run(["sql", "SELECT writefile('\(outside)/w', 'x')", "--table", "t=" + root]), "no such function: writefile")
        expectError(try CLI.run(["sql", "SELECT readfile('/etc/passwd')", "--table", "t=" + root]), "no such function: readfile")
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside).isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: root).allSatisfy { $0 == "_delta_log" || $0.hasSuffix(".parquet") })
        // Temporary tables and read-only schema pragmas still work (in memory).
        let temp = try CLI.run(["sql", "CREATE TEMP TABLE z AS SELECT * FROM t; SELECT count(*) AS n FROM z; PRAGMA table_info(t)",
                                "--table", "t=" + root, "--format", "ndjson"])
        expectSuccess(temp)
        #expect(temp.stdoutLines.first == #"{"n":3}"#, "\(temp.stdout)")
    }

    @Test("with several --tables, a damaged table's error names its --table")
    func sqlNamesTheFailingTable() throws {
        let good = try Self.populatedTable("sql-good")
        defer { CLI.cleanup(good) }
        let bad = try HostileTests.table("sql-bad", [HostileTests.protocolLine, "\u{1}garbage"])
        defer { CLI.cleanup(bad) }
        expectError(try CLI.run(["sql", "SELECT 1", "--table", "a=" + good, "--table", "b=" + bad]), "--table b=" + bad, "line 2")
    }
}

extension HostileInputTests {
    // MARK: Schema changes under CHECK constraints

    @Test("alter rename-column/drop-column of a column a CHECK constraint uses is refused; appends keep working")
    func alterConstrainedColumn() throws {
        let root = try Self.populatedTable("alter-constraint")
        defer { CLI.cleanup(root) }
        expectSuccess(try CLI.run(["alter", root, "set-property", "delta.columnMapping.mode=name"]))
        expectSuccess(try CLI.run(["constraint", root, "add", "known_kind", "kind IN ('a', 'b', 'c')"]))
        expectError(try CLI.run(["alter", root, "rename-column", "kind", "k"]), "CHECK constraint known_kind", "drop the constraint first")
        expectError(try CLI.run(["alter", root, "drop-column", "kind"]), "CHECK constraint known_kind")
        expectSuccess(try CLI.run(["append", root], stdin: "{\"id\":4,\"kind\":\"a\"}\n"))
    }
}

extension HostileInputTests {
    // MARK: Property and option validation

    @Test("known delta.* properties are validated when set (alter and create); a bad one commits nothing",
          arguments: ["delta.checkpointInterval=0", "delta.checkpointInterval=-3", "delta.checkpointInterval=ten",
                      "delta.deletedFileRetentionDuration=interval 1 fortnight", "delta.logRetentionDuration=30 days ago",
                      "delta.logRetentionDuration=interval 1 month", "delta.appendOnly=yes",
                      "delta.enableChangeDataFeed=1", "delta.dataSkippingNumIndexedCols=-2",
                      "delta.isolationLevel=snapshot", "delta.checkpointPolicy=v3"])
    func propertyValidation(_ property: String) throws {
        let root = try Self.populatedTable("property")
        defer { CLI.cleanup(root) }
        let key = String(property.prefix { $0 != "=" })
        expectError(try CLI.run(["alter", root, "set-property", property]), "table property \(key) must be")
        #expect(try CLI.version(of: root) == 2)
        let created = CLI.scratch("property-create")
        defer { CLI.cleanup(created) }
        expectError(try CLI.run(["create", created, "--schema", "id long", "--property", property]), "table property \(key) must be")
        #expect(!FileManager.default.fileExists(atPath: created + "/_delta_log/00000000000000000000.json"))
    }

    @Test("valid values of known properties, and unknown properties, are accepted")
    func propertyValidationAccepts() throws {
        let root = try Self.populatedTable("property-ok")
        defer { CLI.cleanup(root) }
        expectSuccess(try CLI.run(["alter", root, "set-property", "delta.checkpointInterval=5", "delta.appendOnly=FALSE",
                                   "delta.logRetentionDuration=interval 36 hours 30 minutes",
                                   "delta.deletedFileRetentionDuration=interval 2 weeks", "delta.dataSkippingNumIndexedCols=-1",
                                   "my.own.setting=anything"]))
        expectSuccess(try CLI.run(["vacuum", root, "--dry-run"]))
    }

    @Test("--merge-schema refuses an empty column name; --batch-rows and --batch-interval-ms need --stream")
    func inputOptionValidation() throws {
        let root = try Self.populatedTable("merge-empty")
        defer { CLI.cleanup(root) }
        expectError(try CLI.run(["append", root, "--merge-schema"], stdin: "{\"id\":5,\"\":1}\n"), "empty")
        #expect(try CLI.version(of: root) == 2)
        expectUsageError(try CLI.run(["append", root, "--batch-rows", "5"], stdin: "{\"id\":5}\n"), "--stream")
        expectUsageError(try CLI.run(["append", root, "--batch-interval-ms", "5"], stdin: "{\"id\":5}\n"), "--stream")
        #expect(try CLI.version(of: root) == 2)
    }
}

extension HostileInputTests {
    // MARK: Automatic log cleanup

    /// Automatic cleanup after a checkpoint ran only when a maintenance observer was set (the
    /// cleanup call sat inside `observer?(…)`), so the CLI never cleaned up.
    @Test("automatic log cleanup deletes expired commits and checkpoints in a CLI run; the table stays readable")
    func automaticLogCleanup() throws {
        let root = CLI.scratch("log-cleanup")
        defer { CLI.cleanup(root) }
        expectSuccess(try CLI.run(["create", root, "--schema", "id long",
                                   "--property", "delta.logRetentionDuration=interval 1 day",
                                   "--property", "delta.checkpointInterval=2"]))
        for i in 1...5 { expectSuccess(try CLI.run(["append", root], stdin: "{\"id\":\(i)}\n")) }
        // Date every log file in 2020 (commit times are file modification times for cleanup).
        let log = root + "/_delta_log"
        let old = Date(timeIntervalSince1970: 1_577_836_800)
        for name in try FileManager.default.contentsOfDirectory(atPath: log) {
            try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: log + "/" + name)
        }
        expectSuccess(try CLI.run(["append", root], stdin: "{\"id\":6}\n"))  // version 6: checkpoint, then cleanup
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: log))
        for v in 0...3 { #expect(!names.contains(String(format: "%020d.json", v)), "\(names.sorted())") }
        #expect(!names.contains(String(format: "%020d.checkpoint.parquet", 2)), "\(names.sorted())")
        #expect(names.contains(String(format: "%020d.checkpoint.parquet", 4)) && names.contains(String(format: "%020d.json", 4)))
        let scan = try CLI.run(["scan", root, "--format", "ndjson"])
        expectSuccess(scan)
        #expect(scan.stdoutLines.count == 6)
        expectError(try CLI.run(["scan", root, "--version", "2"]), "2")
    }
}

extension HostileInputTests {
    // MARK: Error text

    @Test("control characters in error lines are escaped (one line, no terminal escapes)")
    func errorEscaping() throws {
        let path = CLI.scratch("esc") + "\u{1B}[31mred\nline\u{7}"
        let r = try CLI.run(["scan", path])
        expectError(r, "\\x1B[31mred\\nline\\x07")
        #expect(!r.stderr.contains("\u{1B}") && !r.stderr.contains("\u{7}"), "\(r.stderr)")
    }

    @Test("sql errors are not cut at a NUL: a NUL in a data file path or a column name")
    func sqlErrorsKeepTextAfterNUL() throws {
        let add = #"{"add":{"path":"bad\u0000tail.parquet","partitionValues":{},"size":1,"modificationTime":1,"dataChange":true}}"#
        let root = try HostileTests.table("nul-path", [HostileTests.protocolLine, HostileTests.metadataLine, add])
        defer { CLI.cleanup(root) }
        let r = try CLI.run(["sql", "SELECT * FROM t", "--table", "t=" + root])
        expectError(r, "tail.parquet")
        #expect(!r.stderr.contains("\u{0}"), "\(r.stderr)")
        let metadata = HostileTests.metadataLine.replacingOccurrences(of: #"\"name\":\"a\""#, with: #"\"name\":\"a\\u0000z\""#)
        let named = try HostileTests.table("nul-column", [HostileTests.protocolLine, metadata])
        defer { CLI.cleanup(named) }
        expectError(try CLI.run(["sql", "SELECT 1", "--table", "t=" + named]), "a\\x00z", "NUL")
    }
}
