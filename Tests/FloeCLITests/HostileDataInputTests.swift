import Foundation
import Testing

/// Hostile and unusual input through the CLI (issue 10): every case ends with one `error:` line
/// and exit 1, or with the right rows; never a crash, never lost or invalid data.
@Suite("floe: hostile input data")
struct HostileDataInputTests {
    /// A fresh table with `schema`.
    static func table(_ label: String, _ schema: String) throws -> String {
        let table = CLI.scratch(label)
        expectSuccess(try CLI.run(["create", table, "--schema", schema]))
        return table
    }

    /// Runs `code` with pyarrow (`FLOE_PYTHON`); false when there is no such python.
    static func python(_ code: String) throws -> Bool {
        guard let python = DeltaPython.executable, DeltaPython.isAvailable else { return false }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", code]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "python failed: \(code)")
        return process.terminationStatus == 0
    }

    // MARK: timestamps with more than six fraction digits (they trapped on every path)

    @Test("7-9 fraction digits: append (ndjson, CSV), --where, scan --timestamp, sql @T, constraint add, optimize --where")
    func nanosecondTimestamps() throws {
        let table = CLI.scratch("ts9")
        defer { CLI.cleanup(table) }
        expectSuccess(try CLI.run(["create", table, "--schema", "id long, ts timestamp, day date", "--partition-by", "day"]))
        expectSuccess(try CLI.run(["append", table], stdin: #"{"id":1,"ts":"2026-11-24T10:00:00.1234567Z","day":"2026-11-24"}"# + "\n"))
        let csv = try CLI.run(["append", table, "--format", "csv"], stdin: "id,ts\n2,2026-11-24T10:00:00.123456789+00:00\n")
        expectSuccess(csv)
        let scanned = try CLI.run(["scan", table, "--format", "ndjson", "--columns", "id,ts"])
        expectSuccess(scanned)
        #expect(scanned.stdoutLines == [#"{"id":1,"ts":"2026-11-24T10:00:00.123456Z"}"#, #"{"id":2,"ts":"2026-11-24T10:00:00.123456Z"}"#])

        let filtered = try CLI.run(["scan", table, "--format", "ndjson", "--columns", "id",
                                    "--where", "ts = TIMESTAMP '2026-11-24T10:00:00.1234569Z' AND id = 1"])
        expectSuccess(filtered)
        #expect(filtered.stdoutLines == [#"{"id":1}"#])
        let travelled = try CLI.run(["scan", table, "--timestamp", "2999-01-01T00:00:00.1234567Z", "--format", "ndjson", "--columns", "id"])
        expectSuccess(travelled)
        #expect(travelled.stdoutLines.count == 2)
        let sql = try CLI.run(["sql", "SELECT count(*) AS n FROM t", "--table", "t=\(table)@2999-01-01T00:00:00.123456789Z", "--format", "ndjson"])
        expectSuccess(sql)
        #expect(sql.stdoutLines == [#"{"n":2}"#])
        expectSuccess(try CLI.run(["constraint", table, "add", "recent", "ts > TIMESTAMP '2000-01-01T00:00:00.0000001Z'"]))
        expectSuccess(try CLI.run(["optimize", table, "--where", "day >= '2026-11-24T10:00:00.1234567Z'"]))
        expectError(try CLI.run(["scan", table, "--where", "ts = TIMESTAMP '2026-11-24T10:00:00.1234567890Z'"]), "not a valid timestamp")
        expectError(try CLI.run(["append", table], stdin: #"{"id":3,"ts":"2026-11-24T10:00:00.1234567890Z"}"# + "\n"),
                    "line 1, column 'ts'", "not a valid timestamp")
    }

    // MARK: Parquet input

    @Test("pyarrow's FIXED_LEN_BYTE_ARRAY(4) decimal -899.63 appends as -899.63")
    func flbaFourDecimal() throws {
        let dir = CLI.scratch("flba4")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { CLI.cleanup(dir) }
        let file = dir + "/in.parquet"
        guard try Self.python("""
            import decimal, pyarrow as pa, pyarrow.parquet as pq
            pq.write_table(pa.table({'d': pa.array([decimal.Decimal('-899.63'), decimal.Decimal('9999999.99'), None], pa.decimal128(9, 2))}), '\(file)')
            """) else { return }
        let table = dir + "/t"
        expectSuccess(try CLI.run(["append", table, "--create", "--schema", "d decimal(9,2)", "--input", file]))
        let scanned = try CLI.run(["scan", table, "--format", "ndjson"])
        expectSuccess(scanned)
        #expect(scanned.stdoutLines == [#"{"d":"-899.63"}"#, #"{"d":"9999999.99"}"#, #"{"d":null}"#])
    }

    @Test("a Parquet binary column appended to a string column must be UTF-8, else the append fails naming the column")
    func binaryParquetIntoString() throws {
        let source = try Self.table("bin", "x binary")
        let target = try Self.table("str", "x string")
        defer { CLI.cleanup(source); CLI.cleanup(target) }
        // Floe's own data file is a Parquet file with a binary column: bytes 0xFF and "ok".
        expectSuccess(try CLI.run(["append", source], stdin: #"{"x":"b2s="}"# + "\n" + #"{"x":"/w=="}"# + "\n"))
        let files = try FileManager.default.contentsOfDirectory(atPath: source).filter { $0.hasSuffix(".parquet") }
        let file = try #require(files.first)
        expectError(try CLI.run(["append", target, "--input", source + "/" + file]), "column 'x'", "row 2", "not valid UTF-8")
        #expect(try CLI.version(of: target) == 0)
    }

    @Test("a Parquet input with columns ID and id is refused, not reduced to one")
    func caseDuplicateParquetColumns() throws {
        let dir = CLI.scratch("caseDup")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { CLI.cleanup(dir) }
        let file = dir + "/in.parquet"
        guard try Self.python("""
            import pyarrow as pa, pyarrow.parquet as pq
            pq.write_table(pa.table({'ID': pa.array([1], pa.int64()), 'id': pa.array([2], pa.int64())}), '\(file)')
            """) else { return }
        let table = dir + "/t"
        expectSuccess(try CLI.run(["create", table, "--schema", "id long"]))
        expectError(try CLI.run(["append", table, "--input", file]), "'ID' and 'id'", "differ only in case")
        expectError(try CLI.run(["append", table, "--input", file, "--merge-schema"]), "'ID' and 'id'")
        #expect(try CLI.version(of: table) == 0)
    }

    // MARK: text input

    @Test("invalid UTF-8 in CSV and lone surrogates in ndjson are refused; 1e400 is out of range")
    func invalidTextValues() throws {
        let table = try Self.table("utf8", "id long, s string, d double")
        defer { CLI.cleanup(table) }
        let dir = CLI.scratch("utf8-in")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { CLI.cleanup(dir) }
        try Data(Array("id,s\n1,ok\n2,\"a".utf8) + [0xFF] + Array("b\"\n".utf8)).write(to: URL(fileURLWithPath: dir + "/bad.csv"))
        expectError(try CLI.run(["append", table, "--input", dir + "/bad.csv"]), "line 3: CSV field 2 is not valid UTF-8")
        expectError(try CLI.run(["append", table], stdin: #"{"id":1,"s":"\ud800"}"# + "\n"), "line 1", "lone surrogate")
        expectError(try CLI.run(["append", table], stdin: #"{"id":1,"d":1e400}"# + "\n"), "line 1, column 'd': 1e400 is out of range for double")
        #expect(try CLI.version(of: table) == 0)
    }

    @Test("input without line breaks fails at the record size limit instead of exhausting memory")
    func unboundedRecords() throws {
        let table = try Self.table("zero", "id long")
        defer { CLI.cleanup(table) }
        // The default 64 MiB limit, ndjson from /dev/zero.
        expectError(try CLI.run(["append", table, "--input", "/dev/zero"], timeout: 120),
                    "line 1: the record is longer than the record size limit of 67108864 bytes (64 MiB)")
        // CSV, and a smaller limit; --stream too.
        expectError(try CLI.run(["append", table, "--input", "/dev/zero", "--format", "csv", "--max-record-bytes", "4096"]),
                    "line 1: the record is longer than the record size limit of 4096 bytes (4 KiB)")
        expectError(try CLI.run(["append", table, "--stream", "--input", "/dev/zero", "--max-record-bytes", "1000"]),
                    "line 1: the record is longer than the record size limit of 1000 bytes")
        expectUsageError(try CLI.run(["append", table, "--max-record-bytes", "0"]), "--max-record-bytes")
        // Parquet from a standard input that never ends (/dev/zero) fails after 4 bytes instead of
        // being read into memory to an end that never comes.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = ["append", table, "--format", "parquet"]
        process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: "/dev/zero"))
        let errPath = table + ".stderr"
        FileManager.default.createFile(atPath: errPath, contents: nil)
        defer { CLI.cleanup(errPath) }
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        let stderr = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        #expect(stderr == "error: Parquet input: standard input is not a Parquet file (it does not start with PAR1)\n", "\(stderr)")
        #expect(try CLI.version(of: table) == 0)
    }

    @Test("an empty CSV input commits an empty append, as an empty ndjson input does")
    func emptyCSV() throws {
        let table = try Self.table("emptycsv", "id long")
        defer { CLI.cleanup(table) }
        let r = try CLI.run(["append", table, "--format", "csv"], stdin: "")
        expectSuccess(r)
        #expect(r.stdout == "{\"version\":1}\n")
        expectSuccess(try CLI.run(["overwrite", table, "--format", "csv"], stdin: "\n"))
    }

    @Test("--stream with transaction version Int64.max: one batch commits, a later one fails cleanly; a recorded Int64.max is refused up front")
    func streamTransactionVersionLimit() throws {
        let table = try Self.table("txnmax", "id long")
        defer { CLI.cleanup(table) }
        let max = String(Int64.max)
        let one = try CLI.run(["append", table, "--stream", "--app-id", "A", "--txn-version", max], stdin: "{\"id\":1}\n")
        expectSuccess(one)
        #expect(one.stdoutLines == ["{\"version\":1}"])
        let two = try CLI.run(["append", table, "--stream", "--batch-rows", "1", "--app-id", "B", "--txn-version", max],
                              stdin: "{\"id\":1}\n{\"id\":2}\n")
        expectError(two, "application 'B' has used transaction version \(max)", "from input line 2 on were not committed")
        #expect(two.stdoutLines == ["{\"version\":2}"])
        // A (recorded at Int64.max) has no next version: refused before reading any input.
        let three = try CLI.run(["append", table, "--stream", "--app-id", "A"], stdin: "{\"id\":3}\n")
        expectError(three, "application 'A' has used transaction version \(max)")
        #expect(!three.stderr.contains("input line"))
        // Re-sending at Int64.max is skipped, not an overflow.
        let again = try CLI.run(["append", table, "--app-id", "A", "--txn-version", max], stdin: "{\"id\":4}\n")
        expectSuccess(again)
        #expect(again.stdout == "{\"version\":2,\"skipped\":true}\n")
        #expect(try CLI.version(of: table) == 2)
    }

    @Test("a Parquet input of 100 row groups becomes one data file, not 100")
    func parquetRowGroupsCoalesce() throws {
        let dir = CLI.scratch("rowgroups")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { CLI.cleanup(dir) }
        let file = dir + "/in.parquet"
        guard try Self.python("""
            import pyarrow as pa, pyarrow.parquet as pq
            pq.write_table(pa.table({'id': pa.array(range(1000), pa.int64())}), '\(file)', row_group_size=10)
            assert pq.ParquetFile('\(file)').metadata.num_row_groups == 100
            """) else { return }
        let table = dir + "/t"
        expectSuccess(try CLI.run(["append", table, "--create", "--schema", "id long", "--input", file]))
        let files = try CLI.run(["files", table])
        expectSuccess(files)
        let parquet = try FileManager.default.contentsOfDirectory(atPath: table).filter { $0.hasSuffix(".parquet") }
        #expect(parquet.count == 1, "\(parquet.count) data files")
        let count = try CLI.run(["sql", "SELECT count(*) AS n, sum(id) AS s FROM t", "--table", "t=\(table)", "--format", "ndjson"])
        #expect(count.stdoutLines == [#"{"n":1000,"s":499500}"#])
    }

    // MARK: error messages name the input line

    @Test("overwrite --where: a row outside the predicate is named by its row and input line, counted from 1")
    func overwriteWhereNamesTheLine() throws {
        let table = CLI.scratch("ow-line")
        defer { CLI.cleanup(table) }
        expectSuccess(try CLI.run(["create", table, "--schema", "id long, day date", "--partition-by", "day"]))
        let input = "{\"id\":1,\"day\":\"2026-11-24\"}\n\n{\"id\":2,\"day\":\"2026-11-25\"}\n"
        let r = try CLI.run(["overwrite", table, "--where", "day = DATE '2026-11-24'"], stdin: input)
        expectError(r, "row 2 of the overwrite (input line 3) does not match the replaceWhere condition")
        // NOT NULL and CHECK violations name the input line too.
        expectSuccess(try CLI.run(["constraint", table, "add", "positive", "id > 0"]))
        expectError(try CLI.run(["append", table], stdin: "{\"id\":1}\n\n\n{\"id\":-1}\n"), "row 2 of the append (input line 4) violates")
        expectError(try CLI.run(["append", table, "--format", "csv"], stdin: "id\n1\n-5\n"), "row 2 of the append (input line 3) violates")
    }

    @Test("a too-deep schema merge names the depth limit and the input line, not 'schema JSON is malformed'")
    func tooDeepMerge() throws {
        let table = try Self.table("deep", "id long")
        defer { CLI.cleanup(table) }
        let deep = String(repeating: "{\"a\":", count: 100) + "1" + String(repeating: "}", count: 100)
        let r = try CLI.run(["append", table, "--merge-schema"], stdin: "{\"id\":1}\n{\"id\":2,\"x\":\(deep)}\n")
        expectError(r, "line 2, column 'x", "more than 64 levels deep")
        #expect(!r.stderr.contains("malformed"))
        // Within the limit it is fine.
        let ok = String(repeating: "{\"a\":", count: 60) + "1" + String(repeating: "}", count: 60)
        expectSuccess(try CLI.run(["append", table, "--merge-schema"], stdin: "{\"id\":3,\"y\":\(ok)}\n"))
    }
}
