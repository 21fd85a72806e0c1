import Foundation
import Testing
import FloeColumnar
@testable import Floe

/// Hostile and unusual input (issue 10): what was lost, wrongly accepted or crashed before.
@Suite("Row input: hostile cases")
struct RowInputHostileTests {
    static let schema = RowInputTests.schema
    static let ts = 10   // index of "ts" (timestamp, UTC) in the row schema
    static let ntz = 11  // index of "ntz" (timestamp_ntz)
    static let at10 = Int64(1_795_514_400_000_000)  // 2026-11-24T10:00:00Z

    static func decode(_ text: String, format: RowInputFormat = .ndjson, schema: Schema = schema) throws -> [[Scalar]] {
        RowInputTests.rows(try RowInputTests.decode(text, format: format, schema: schema))
    }

    // MARK: timestamps with more than six fractional digits

    @Test("ndjson timestamps with 7 to 9 fraction digits are truncated to microseconds")
    func ndjsonNanosecondTimestamps() throws {
        let rows = try Self.decode("""
            {"id":1,"ts":"2026-11-24T10:00:00.1234567Z","ntz":"2026-11-24T10:00:00.123456789"}
            {"id":2,"ts":"2026-11-24T10:00:00.99999999+00:00","ntz":"2026-11-24 10:00:00.0000009"}

            """)
        #expect(rows.map { $0[Self.ts] } == [.int(Self.at10 + 123_456), .int(Self.at10 + 999_999)])
        #expect(rows.map { $0[Self.ntz] } == [.int(Self.at10 + 123_456), .int(Self.at10)])
    }

    @Test("CSV timestamps with 7 to 9 fraction digits are truncated to microseconds")
    func csvNanosecondTimestamps() throws {
        let rows = try Self.decode("id,ts,ntz\n1,2026-11-24T10:00:00.1234567Z,2026-11-24T10:00:00.123456789\n", format: .csv)
        #expect(rows.map { $0[Self.ts] } == [.int(Self.at10 + 123_456)])
        #expect(rows.map { $0[Self.ntz] } == [.int(Self.at10 + 123_456)])
    }

    @Test("a fraction of more than nine digits is an error naming the line and column")
    func tooLongFractionIsAnError() {
        let message = RowInputTests.error {
            _ = try Self.decode("{\"id\":1,\"ts\":\"2026-11-24T10:00:00.1234567890Z\"}\n")
        }
        #expect(message.contains("line 1, column 'ts'"), "\(message)")
        #expect(message.contains("is not a valid timestamp"), "\(message)")
    }

    @Test("conditions with nanosecond timestamp literals bind and compare at microseconds")
    func conditionsWithNanosecondLiterals() throws {
        let schema = Schema([Field("ts", .timestamp(.microsecond, timezone: "UTC"))])
        let batch = try RecordBatch(schema: schema, columns: [
            try Column([.int(Self.at10 + 123_456), .int(Self.at10 + 123_457)], type: schema.fields[0].dataType),
        ])
        for sql in ["ts = TIMESTAMP '2026-11-24T10:00:00.1234567Z'", "ts = '2026-11-24T10:00:00.123456999Z'"] {
            let condition = try Condition(sql: sql, schema: schema)
            #expect(try condition.bound(to: schema).evaluate(batch) == [true, false], "\(sql)")
        }
        #expect(throws: DeltaError.self) { try Condition(sql: "ts = TIMESTAMP '2026-11-24T10:00:00.1234567890Z'", schema: schema) }
    }

    // MARK: UTF-8

    /// Splits and decodes raw bytes (not necessarily UTF-8).
    static func decodeBytes(_ bytes: [UInt8], format: RowInputFormat) throws -> [[Scalar]] {
        var splitter = RecordSplitter(format: format)
        let decoder = RowDecoder(schema: schema)
        var records = try splitter.feed(bytes)
        records += try splitter.finish()
        if let header = splitter.csvHeader { try decoder.setCSVHeader(header, line: splitter.csvHeaderLine) }
        for r in records { try decoder.append(r) }
        return RowInputTests.rows(try decoder.finish().map { [$0] } ?? [])
    }

    @Test("CSV fields that are not UTF-8 are refused naming the line, not replaced by U+FFFD",
          arguments: [[0xFF] as [UInt8], [0xC3], [0xED, 0xA0, 0x80], [0xC0, 0xAF]])
    func csvInvalidUTF8(bad: [UInt8]) {
        for quoted in [false, true] {
            let field: [UInt8] = quoted ? [0x22] + Array("x".utf8) + bad + [0x22] : Array("x".utf8) + bad
            let bytes = Array("id,str\n1,fine\n2,".utf8) + field + Array("\n".utf8)
            let message = RowInputTests.error { _ = try Self.decodeBytes(bytes, format: .csv) }
            #expect(message == "line 3: CSV field 2 is not valid UTF-8", "\(message)")
        }
        let header = RowInputTests.error { _ = try Self.decodeBytes(Array("id,".utf8) + bad + Array("\n1,2\n".utf8), format: .csv) }
        #expect(header == "line 1: CSV field 2 is not valid UTF-8", "\(header)")
    }

    @Test("ndjson strings that are not UTF-8 are refused")
    func ndjsonInvalidUTF8() {
        let message = RowInputTests.error { _ = try Self.decodeBytes(Array("{\"id\":1,\"str\":\"a".utf8) + [0xFF] + Array("\"}\n".utf8), format: .ndjson) }
        #expect(message.contains("line 1: malformed JSON: string is not valid UTF-8"), "\(message)")
    }

    @Test("lone surrogate escapes are refused, not replaced", arguments: [
        #"\ud800"#, #"\udc00"#, #"x\ud800y"#, #"\ud800\u0041"#, #"\uDBFF\uDBFF"#,
    ])
    func loneSurrogates(escape: String) {
        let message = RowInputTests.error { _ = try Self.decode("{\"id\":1,\"str\":\"\(escape)\"}\n") }
        #expect(message.contains("line 1: malformed JSON: lone surrogate"), "\(message)")
    }

    @Test("a surrogate pair is one scalar")
    func surrogatePair() throws {
        let rows = try Self.decode(#"{"id":1,"str":"\ud83d\ude00"}"# + "\n")
        #expect(rows[0][7] == .string("😀"))
    }

    // MARK: numbers beyond their type

    @Test("numbers beyond a float column's range are errors, not infinity", arguments: [
        ("{\"id\":1,\"d\":1e400}\n", "column 'd': 1e400 is out of range for double"),
        ("{\"id\":1,\"d\":-1E+309}\n", "column 'd': -1E+309 is out of range for double"),
        ("{\"id\":1,\"d\":\"1e400\"}\n", "column 'd': 1e400 is out of range for double"),
        ("{\"id\":1,\"f\":1e39}\n", "column 'f': 1e39 is out of range for float"),
        ("{\"id\":1,\"f\":-3.5e38}\n", "column 'f': -3.5e38 is out of range for float"),
        ("{\"id\":1,\"i\":1e400}\n", "column 'i': 1e400 is out of range for integer"),
        ("{\"id\":1,\"dec\":1e400}\n", "column 'dec': 1e400 does not fit decimal(6,2)"),
    ])
    func overflowingNumbers(line: String, expected: String) {
        let message = RowInputTests.error { _ = try Self.decode(line) }
        #expect(message.contains("line 1, " + expected), "\(message)")
    }

    @Test("CSV numbers beyond a float column's range are errors")
    func csvOverflowingNumbers() throws {
        let message = RowInputTests.error { _ = try Self.decode("id,d\n1,1e400\n", format: .csv) }
        #expect(message.contains("line 2, column 'd': 1e400 is out of range for double"), "\(message)")
        // The spelled-out specials and tiny numbers are fine.
        let rows = try Self.decode("id,d,f\n1,Infinity,-inf\n2,1e-320,1e-50\n", format: .csv)
        #expect(rows.map { $0[5] } == [.float(.infinity), .float(1e-320)])
        #expect(rows.map { $0[4] } == [.float(-.infinity), .float(0)], "underflow to zero is rounding, not overflow")
    }

    // MARK: bounded records

    /// Feeds `chunks` to a splitter limited to `limit` bytes per record.
    static func split(_ chunks: [[UInt8]], format: RowInputFormat, limit: Int) throws -> [InputRecord] {
        var splitter = RecordSplitter(format: format, maxRecordBytes: limit)
        var records: [InputRecord] = []
        for c in chunks { records += try splitter.feed(c) }
        return records + (try splitter.finish())
    }

    @Test("a record longer than the limit is an error naming its line and the limit, in any chunking",
          arguments: [RowInputFormat.ndjson, .csv])
    func recordSizeLimit(format: RowInputFormat) throws {
        let ok = Array(repeating: UInt8(ascii: "a"), count: 16)
        let long = Array(repeating: UInt8(ascii: "a"), count: 17)
        let nl = [UInt8(ascii: "\n")]
        // Exactly the limit is fine (with LF or CRLF); one byte more is not.
        #expect(try Self.split([ok + nl, ok + [0x0D] + nl, ok], format: format, limit: 16).count == (format == .csv ? 2 : 3))
        for chunk in [1, 5, 1 << 20] {
            let bytes = ok + nl + ok + nl + long + nl
            let chunks = stride(from: 0, to: bytes.count, by: chunk).map { Array(bytes[$0..<min(bytes.count, $0 + chunk)]) }
            let message = RowInputTests.error { _ = try Self.split(chunks, format: format, limit: 16) }
            #expect(message.hasPrefix("line 3: the record is longer than the record size limit of 16 bytes"), "\(message)")
        }
        // Input without any line break stops at the limit instead of growing without bound.
        var splitter = RecordSplitter(format: format, maxRecordBytes: 1 << 10)
        let zeros = [UInt8](repeating: 0, count: 300)
        var fed = 0
        let message = RowInputTests.error {
            while fed < 1 << 20 { _ = try splitter.feed(zeros); fed += zeros.count }
        }
        #expect(message.hasPrefix("line 1: the record is longer than the record size limit of 1024 bytes (1 KiB)"), "\(message)")
        #expect(fed <= 1 << 10, "stopped after \(fed) bytes")
        #expect(RecordSplitter(format: format).maxRecordBytes == 64 << 20)
    }

    @Test("a quoted CSV field spanning lines counts toward its record's size")
    func csvQuotedFieldLimit() {
        let text = "id,str\n1,\"" + String(repeating: "ab\n", count: 20) + "\"\n"
        let message = RowInputTests.error { _ = try Self.split([Array(text.utf8)], format: .csv, limit: 40) }
        #expect(message.hasPrefix("line 2: the record is longer than the record size limit of 40 bytes"), "\(message)")
    }

    // MARK: empty input

    @Test("empty CSV input, or only a byte order mark or blank lines, gives no rows and no error",
          arguments: ["", "\u{FEFF}", "\n\n", "\r\n"])
    func emptyCSV(text: String) throws {
        let fd = try Self.pipe(text)
        defer { close(fd) }
        let batches = try RowInput.readText(fileDescriptor: fd, format: .csv, schema: Self.schema, allowsNewColumns: false)
        #expect(batches.isEmpty)
    }

    /// A file descriptor reading `text`.
    static func pipe(_ text: String) throws -> Int32 {
        let path = NSTemporaryDirectory() + "floe-input-\(UUID().uuidString)"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        defer { unlink(path) }
        return open(path, O_RDONLY)
    }
}
