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
}
