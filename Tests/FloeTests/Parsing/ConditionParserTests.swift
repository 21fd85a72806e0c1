import Testing
import FloeColumnar
@testable import Floe

@Suite("SQL conditions")
struct ConditionParserTests {
    static let schema = Schema([
        Field("id", .int64), Field("Kind", .string), Field("price", .decimal(precision: 10, scale: 2)),
        Field("score", .float64), Field("day", .date32), Field("ts", .timestamp(.microsecond, timezone: "UTC")),
        Field("ok", .boolean), Field("bin", .binary), Field("small", .int16),
        Field("loc", .struct([Field("lat", .float64), Field("lon", .float64)])),
        Field("tags", .list(Field("element", .string))), Field("a.b", .int32),
    ])

    func parse(_ text: String) throws -> Condition { try Condition(sql: text, schema: Self.schema) }

    @Test("operators, precedence and literal forms")
    func grammar() throws {
        #expect(try parse("id = 1") == .comparison(column: "id", op: .equal, value: .int(1)))
        #expect(try parse("id == 1 ") == .comparison(column: "id", op: .equal, value: .int(1)))
        #expect(try parse("id != -2") == .comparison(column: "id", op: .notEqual, value: .int(-2)))
        #expect(try parse("id <> +2") == .comparison(column: "id", op: .notEqual, value: .int(2)))
        #expect(try parse("3 < id") == .comparison(column: "id", op: .greater, value: .int(3)))
        #expect(try parse("id >= 1.5") == .comparison(column: "id", op: .greaterOrEqual, value: .float(1.5)))
        #expect(try parse("kind = 'it''s'") == .comparison(column: "Kind", op: .equal, value: .string("it's")))
        #expect(try parse("price <= 12.3") == .comparison(column: "price", op: .lessOrEqual, value: .decimal(1230)))
        #expect(try parse("price > '1e2'") == .comparison(column: "price", op: .greater, value: .decimal(10000)))
        #expect(try parse("price > 1.50e1") == .comparison(column: "price", op: .greater, value: .decimal(1500)))
        #expect(try parse("score < 2") == .comparison(column: "score", op: .less, value: .float(2)))
        #expect(try parse("day = DATE '1970-01-02'") == .comparison(column: "day", op: .equal, value: .int(1)))
        #expect(try parse("day = '1970-01-03'") == .comparison(column: "day", op: .equal, value: .int(2)))
        #expect(try parse("ts > TIMESTAMP '1970-01-01T00:00:01+00:00'") == .comparison(column: "ts", op: .greater, value: .int(1_000_000)))
        #expect(try parse("ts > DATE '1970-01-02'") == .comparison(column: "ts", op: .greater, value: .int(86_400_000_000)))
        #expect(try parse("ok") == .comparison(column: "ok", op: .equal, value: .bool(true)))
        #expect(try parse("NOT ok") == .not(.comparison(column: "ok", op: .equal, value: .bool(true))))
        #expect(try parse("ok = FALSE") == .comparison(column: "ok", op: .equal, value: .bool(false)))
        #expect(try parse("true") == .constant(true))
        #expect(try parse("bin = 'ab'") == .comparison(column: "bin", op: .equal, value: .binary([97, 98])))
        #expect(try parse("loc.lat > 0") == .comparison(column: "loc.lat", op: .greater, value: .float(0)))
        #expect(try parse("`a.b` = 1") == .comparison(column: "a.b", op: .equal, value: .int(1)))
        #expect(try parse("\"Kind\" IS NULL") == .isNull(column: "Kind"))
        #expect(try parse("loc is not null") == .isNotNull(column: "loc"))
        #expect(try parse("id IN (1, 2)") == .isIn(column: "id", values: [.int(1), .int(2)]))
        #expect(try parse("id NOT IN (1)") == .not(.isIn(column: "id", values: [.int(1)])))
        #expect(try parse("id = NULL") == .comparison(column: "id", op: .equal, value: .null))
        #expect(try parse("id BETWEEN 1 AND 5") == .and([.comparison(column: "id", op: .greaterOrEqual, value: .int(1)),
                                                         .comparison(column: "id", op: .lessOrEqual, value: .int(5))]))
        #expect(try parse("id NOT BETWEEN 1 AND 5") == .not(.and([.comparison(column: "id", op: .greaterOrEqual, value: .int(1)),
                                                                  .comparison(column: "id", op: .lessOrEqual, value: .int(5))])))
        let a = Condition.comparison(column: "id", op: .equal, value: .int(1))
        let b = Condition.comparison(column: "id", op: .equal, value: .int(2))
        let c = Condition.comparison(column: "id", op: .equal, value: .int(3))
        #expect(try parse("id = 1 OR id = 2 AND id = 3") == .or([a, .and([b, c])]))
        #expect(try parse("(id = 1 OR id = 2) AND id = 3") == .and([.or([a, b]), c]))
        #expect(try parse("NOT id = 1 AND id = 2") == .and([.not(a), b]))
        #expect(try parse("id = 1 and not (id = 2 or id = 3)") == .and([a, .not(.or([b, c]))]))
        // A column named like a type keyword is still a column.
        let dated = Schema([Field("date", .date32), Field("timestamp", .int64)])
        #expect(try Condition(sql: "date IS NULL AND timestamp > 3", schema: dated)
                == .and([.isNull(column: "date"), .comparison(column: "timestamp", op: .greater, value: .int(3))]))
    }

    @Test("without a schema literals stay generic and bind later")
    func generic() throws {
        let c = try Condition(sql: "price > 12.5 AND day = DATE '2026-01-01' AND name = 'x'")
        #expect(c == .and([.comparison(column: "price", op: .greater, value: .float(12.5)),
                           .comparison(column: "day", op: .equal, value: .string("2026-01-01")),
                           .comparison(column: "name", op: .equal, value: .string("x"))]))
        #expect(throws: DeltaError.self) { try Condition(sql: "name = ") }
    }

    @Test("errors name the position of the offending token")
    func errors() {
        let cases: [(String, String)] = [
            ("", "position 1: empty predicate"),
            ("   ", "position 1: empty predicate"),
            ("id", "not boolean"),
            ("id =", "position 5: expected a column or a value, found end of input"),
            ("id = 1 AND", "position 11"),
            ("id = 1 OR OR id = 2", "position 11: expected a column or a value, found the keyword OR"),
            ("(id = 1", "position 8: expected ')'"),
            ("id = 1)", "position 7: expected AND, OR or the end"),
            ("id = 'x", "position 6: unterminated string literal"),
            ("`id = 1", "position 1: unterminated quoted name"),
            ("nope > 1", "position 1: unknown column 'nope'"),
            ("loc.nope > 1", "unknown column 'loc.nope'"),
            ("id = 'one'", "position 6: 'one' cannot be compared with column 'id' of type long"),
            ("id = 99999999999999999999", "number out of range"),
            ("price = 1.234", "more than 2 decimal places"),
            ("ok = 1", "cannot be compared with column 'ok' of type boolean"),
            ("day = 5", "write DATE '...'"),
            ("day = DATE '2026-13-01'", "position 12: '2026-13-01' is not a valid date"),
            ("ts < TIMESTAMP 'yesterday'", "not a valid timestamp"),
            ("kind = TRUE", "cannot be compared"),
            ("loc = 1", "position 1: column 'loc' has type struct"),
            ("tags IN ('a')", "cannot be compared"),
            ("id = score", "comparing two columns"),
            ("1 = 2", "needs a column on one side"),
            ("1 IS NULL", "IS NULL needs a column"),
            ("id IN (1, score)", "IN lists may hold only literals"),
            ("id IN ()", "IN needs at least one value"),
            ("id IN (1 2)", "expected ',' or ')'"),
            ("id IN 1", "expected '(' after IN"),
            ("id BETWEEN 1", "expected AND in BETWEEN"),
            ("id IS 5", "expected NULL after IS"),
            ("id NOT 5", "expected a comparison, IN, BETWEEN or IS after column 'id'"),
            ("id = 1 id = 2", "position 8"),
            ("id = - 'x'", "expected a number after '-'"),
            ("id = 1; DROP TABLE t", "position 7: unexpected character ';'"),
            ("id = = 1 ;", "position 6: expected a column or a value, found '='"),
            ("id = 12abc", "malformed number"),
            ("'x'", "expected a condition, found the literal 'x'"),
            (",", "expected a column or a value, found ','"),
        ]
        for (text, fragment) in cases {
            do {
                let c = try Condition(sql: text, schema: Self.schema)
                Issue.record("\(text) parsed as \(c)")
            } catch let e as DeltaError {
                #expect(e.code == .invalidArgument, "\(text)")
                #expect(e.message.hasPrefix("invalid predicate at position "), "\(text): \(e.message)")
                #expect(e.message.contains(fragment), "\(text): \(e.message)")
            } catch {
                Issue.record("\(text): \(error)")
            }
        }
    }

    @Test("malicious and random input never traps")
    func garbage() {
        let hostile = [
            String(repeating: "(", count: 100_000),
            String(repeating: "NOT ", count: 50_000) + "ok",
            String(repeating: "(", count: 300) + "id = 1" + String(repeating: ")", count: 300),
            "id IN (" + Array(repeating: "1", count: 10_000).joined(separator: ",") + ")",
            String(repeating: "id = 1 AND ", count: 5_000) + "ok",
            "id = 1e999999", "price = 1e-99999", "price = 9999999999999999999999999999999999999999",
            "\u{0}", "\u{FEFF}id = 1", "id = '\u{0}'", "🙂 = 1", "`🙂` = 1", "id = 0x10", "id = .5.",
            "ts > TIMESTAMP '9999999-01-01'", "day = DATE '-0001-01-01'", "''''", "\"\"", "``",
        ]
        for text in hostile {
            _ = try? Condition(sql: text, schema: Self.schema)
            _ = try? Condition(sql: text)
        }
        var generator = SystemRandomNumberGenerator()
        let pieces = ["id", "Kind", "price", "loc.lat", "=", "<>", "<", ">=", "(", ")", "AND", "OR", "NOT", "IN", "IS", "NULL",
                      "BETWEEN", "'x'", "1", "-2.5", "DATE", "'2026-01-01'", "TIMESTAMP", ",", ".", "`", "'", "\"", "true", "e9"]
        for _ in 0..<3_000 {
            let text = (0..<Int.random(in: 0...12, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }
                .joined(separator: Bool.random(using: &generator) ? " " : "")
            _ = try? Condition(sql: text, schema: Self.schema)
        }
    }

    @Test("parsed conditions filter rows as SQL does")
    func evaluation() throws {
        let batch = try RecordBatch(schema: Schema([Field("id", .int64), Field("kind", .string)]), columns: [
            try Column([.int(1), .int(2), .int(3), .null], type: .int64),
            try Column([.string("a"), .null, .string("b"), .string("a")], type: .string),
        ])
        func rows(_ sql: String) throws -> [Bool] { try Condition(sql: sql, schema: batch.schema).evaluate(batch) }
        #expect(try rows("id >= 2") == [false, true, true, false])
        #expect(try rows("NOT id >= 2") == [true, false, false, false])
        #expect(try rows("kind = 'a' OR id = 2") == [true, true, false, true])
        #expect(try rows("id NOT IN (1, NULL)") == [false, false, false, false])
        #expect(try rows("kind IS NULL OR id IS NULL") == [false, true, false, true])
    }
}
