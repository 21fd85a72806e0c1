import Foundation
import Testing
@testable import FloeColumnar

/// Decimal columns through Codable: `Decimal` and `String` exactly, `Double` only when exact (or
/// rounded by option), and refusals that say what to do instead.
@Suite("Codable decimals")
struct CodableDecimalTests {
    static let schema = Schema([Field("price", .decimal(precision: 10, scale: 2), isNullable: true)])

    struct DecimalRow: Codable, Equatable { var price: Decimal? }
    struct StringRow: Codable, Equatable { var price: String }
    struct DoubleRow: Codable, Equatable { var price: Double }
    struct IntRow: Codable, Equatable { var price: Int }

    func unscaled(_ batch: RecordBatch) -> [Scalar] { (0..<batch.count).map { batch.columns[0].scalar(at: $0) } }

    @Test("Decimal values encode and decode exactly")
    func decimals() throws {
        let rows = [DecimalRow(price: Decimal(string: "-899.63")), DecimalRow(price: nil), DecimalRow(price: Decimal(string: "12345678.9"))]
        let batch = try RecordBatch(encoding: rows, schema: Self.schema)
        #expect(unscaled(batch) == [.decimal(-89963), .null, .decimal(1_234_567_890)])
        #expect(try batch.decode(DecimalRow.self) == [DecimalRow(price: Decimal(string: "-899.63")), DecimalRow(price: nil),
                                                     DecimalRow(price: Decimal(string: "12345678.90"))])
    }

    @Test("strings encode and decode exactly, with the column's scale")
    func strings() throws {
        let batch = try RecordBatch(encoding: [StringRow(price: "1.5"), StringRow(price: "-0.07"), StringRow(price: "3e2")], schema: Self.schema)
        #expect(unscaled(batch) == [.decimal(150), .decimal(-7), .decimal(30_000)])
        #expect(try batch.decode(StringRow.self).map(\.price) == ["1.50", "-0.07", "300.00"])
    }

    @Test("doubles go in when their shortest text fits, and come out when exact")
    func doubles() throws {
        let batch = try RecordBatch(encoding: [DoubleRow(price: 0.1), DoubleRow(price: -899.63), DoubleRow(price: 1e5)], schema: Self.schema)
        #expect(unscaled(batch) == [.decimal(10), .decimal(-89963), .decimal(10_000_000)])
        #expect(try batch.decode(DoubleRow.self).map(\.price) == [0.1, -899.63, 100_000])
        // 0.10 and -899.63 have fractions: no Int.
        #expect(throws: DecodingError.self) { try batch.decode(IntRow.self) }
    }

    @Test("a double with too many fraction digits is refused unless rounding is asked for")
    func roundingIsExplicit() throws {
        #expect {
            _ = try RecordBatch(encoding: [DoubleRow(price: 1.005)], schema: Self.schema)
        } throws: { "\($0)".contains("more than 2 fraction digits") && "\($0)".contains("roundsDoublesToDecimalScale") }
        let rounded = try RecordBatch(encoding: [DoubleRow(price: 2.675), DoubleRow(price: -1.234)], schema: Self.schema,
                                      options: RecordEncodingOptions(roundsDoublesToDecimalScale: true))
        #expect(unscaled(rounded) == [.decimal(268), .decimal(-123)])
    }

    @Test("values that do not fit the precision or scale are refused, with a readable message")
    func refusals() throws {
        #expect { _ = try RecordBatch(encoding: [StringRow(price: "123456789.00")], schema: Self.schema) }
            throws: { "\($0)".contains("more than 10 digits") }
        #expect { _ = try RecordBatch(encoding: [StringRow(price: "1.234")], schema: Self.schema) }
            throws: { "\($0)".contains("fraction digits") }
        #expect { _ = try RecordBatch(encoding: [StringRow(price: "abc")], schema: Self.schema) }
            throws: { "\($0)".contains("'abc' is not a decimal number") }
        // The refusal names the value, not Foundation.Decimal's internal fields.
        #expect { _ = try RecordBatch(encoding: [DecimalRow(price: Decimal(string: "0.125"))], schema: Self.schema) }
            throws: { "\($0)".contains("0.125") && !"\($0)".contains("mantissa") }
    }

    @Test("decoding a decimal as an integer needs a zero fraction; as a Double, an exact double")
    func lossyDecodingIsRefused() throws {
        let schema = Schema([Field("price", .decimal(precision: 38, scale: 2), isNullable: false)])
        let whole = try RecordBatch(encoding: [StringRow(price: "42")], schema: schema)
        #expect(try whole.decode(IntRow.self) == [IntRow(price: 42)])
        let fraction = try RecordBatch(encoding: [StringRow(price: "42.5")], schema: schema)
        #expect(throws: DecodingError.self) { try fraction.decode(IntRow.self) }
        let long = try RecordBatch(encoding: [StringRow(price: "123456789012345678901.23")], schema: schema)
        #expect { try long.decode(DoubleRow.self) } throws: { "\($0)".contains("no exact Double") }
        #expect(try long.decode(DecimalRow.self) == [DecimalRow(price: Decimal(string: "123456789012345678901.23"))])
    }

    @Test("without a schema, Decimal infers decimal(38, s) with the most fraction digits seen")
    func inference() throws {
        let batch = try RecordBatch(encoding: [DecimalRow(price: Decimal(string: "1.5")), DecimalRow(price: Decimal(string: "2.25"))])
        #expect(batch.schema["price"]?.dataType == .decimal(precision: 38, scale: 2))
        #expect(unscaled(batch) == [.decimal(150), .decimal(225)])
    }

    @Test("a camelCase property that misses a snake_case column hints at CodingKeys")
    func codingKeyHint() throws {
        struct Camel: Codable { var userId: Int64 }
        let schema = Schema([Field("user_id", .int64, isNullable: true)])
        #expect { _ = try RecordBatch(encoding: [Camel(userId: 1)], schema: schema) }
            throws: { "\($0)".contains("CodingKeys (case userId = \"user_id\")") }
        struct Snake: Codable { var user_id: Int64 }
        let batch = try RecordBatch(encoding: [Snake(user_id: 7)], schema: schema)
        #expect { try batch.decode(Camel.self) } throws: { "\($0)".contains("there is a column 'user_id'") }
        #expect(CodingKeyHint.snakeCase("HTTPCode") == "http_code" && CodingKeyHint.snakeCase("eventTs2") == "event_ts2")
    }
}
