import Testing
@testable import FloeColumnar

/// The lossless conversions Delta's type widening and append schema enforcement rely on.
@Suite("Column casts")
struct CastTests {
    @Test("integer widenings keep every value, nulls included")
    func integerWidening() throws {
        let narrow = try Column([.int(Int64(Int8.min)), .null, .int(Int64(Int8.max))], type: .int8)
        for target in [DataType.int16, .int32, .int64] {
            #expect(Column.canCast(from: .int8, to: target))
            let wide = try narrow.cast(to: target)
            #expect(wide.dataType == target)
            #expect((0..<3).map { wide.scalar(at: $0) } == [.int(Int64(Int8.min)), .null, .int(Int64(Int8.max))])
        }
        #expect(!Column.canCast(from: .int64, to: .int32))
        #expect(throws: ColumnarError.self) { try Column([.int(1)], type: .int64).cast(to: .int32) }
    }

    @Test("integers to decimals need enough integer digits, and scale exactly")
    func integerToDecimal() throws {
        #expect(Column.canCast(from: .int32, to: .decimal(precision: 12, scale: 2)))
        #expect(!Column.canCast(from: .int32, to: .decimal(precision: 11, scale: 2)))
        let cast = try Column([.int(-7), .int(Int64(Int32.max))], type: .int32).cast(to: .decimal(precision: 12, scale: 2))
        #expect(cast.scalar(at: 0) == .decimal(-700) && cast.scalar(at: 1) == .decimal(Int128(Int32.max) * 100))
    }

    @Test("decimals widen in scale and integer digits, never narrow")
    func decimalWidening() throws {
        let from = DataType.decimal(precision: 5, scale: 2)
        #expect(Column.canCast(from: from, to: .decimal(precision: 7, scale: 3)))
        #expect(!Column.canCast(from: from, to: .decimal(precision: 5, scale: 3)))
        #expect(!Column.canCast(from: from, to: .decimal(precision: 6, scale: 1)))
        let cast = try Column([.decimal(-89963), .null], type: .decimal(precision: 7, scale: 2)).cast(to: .decimal(precision: 9, scale: 4))
        #expect(cast.scalar(at: 0) == .decimal(-8_996_300) && cast.scalar(at: 1).isNull)
    }

    @Test("floats widen; small integers become doubles exactly")
    func floats() throws {
        let cast = try Column([.float(1.25), .float(.nan)], type: .float32).cast(to: .float64)
        #expect(cast.scalar(at: 0) == .float(1.25))
        if case .float(let nan) = cast.scalar(at: 1) { #expect(nan.isNaN) } else { Issue.record("not a float") }
        #expect(try Column([.int(-3)], type: .int32).cast(to: .float64).scalar(at: 0) == .float(-3))
        #expect(!Column.canCast(from: .int64, to: .float64))
    }

    @Test("timestamp units convert; a value that cannot be finer overflows with an error")
    func timestamps() throws {
        let seconds = try Column([.int(1_700_000_000)], type: .timestamp(.second, timezone: "UTC"))
        let micros = try seconds.cast(to: .timestamp(.microsecond, timezone: "UTC"))
        #expect(micros.scalar(at: 0) == .int(1_700_000_000_000_000))
        let huge = try Column([.int(Int64.max / 10)], type: .timestamp(.second, timezone: "UTC"))
        #expect(throws: ColumnarError.self) { try huge.cast(to: .timestamp(.nanosecond, timezone: "UTC")) }
    }

    @Test("nested types cast element by element")
    func nested() throws {
        let from = DataType.list(Field("element", .int32, isNullable: true))
        let to = DataType.list(Field("element", .int64, isNullable: true))
        #expect(Column.canCast(from: from, to: to))
        let cast = try Column([.list([.int(1), .null]), .null], type: from).cast(to: to)
        #expect(cast.dataType == to && cast.scalar(at: 0) == .list([.int(1), .null]) && cast.scalar(at: 1).isNull)
    }
}
