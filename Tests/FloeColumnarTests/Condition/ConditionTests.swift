import Testing
@testable import FloeColumnar
import FloeTestSupport

extension SeededGenerator {
    /// A number in `0..<n`.
    mutating func below(_ n: Int) -> Int { Int.random(in: 0..<n, using: &self) }
}

/// Predicates over batches: SQL's three-valued logic, and statistics skipping that never skips a
/// match (checked against evaluation on generated data).
@Suite("Conditions")
struct ConditionTests {
    static let schema = Schema([Field("x", .int64), Field("s", .string)])

    static func batch(_ xs: [Int64?], _ ss: [String?]) throws -> RecordBatch {
        try RecordBatch(schema: schema, columns: [
            try Column(xs.map { $0.map(Scalar.int) ?? .null }, type: .int64),
            try Column(ss.map { $0.map(Scalar.string) ?? .null }, type: .string),
        ])
    }

    @Test("comparisons with NULL are unknown; NOT unknown stays unknown; AND/OR follow Kleene")
    func threeValuedLogic() throws {
        let b = try Self.batch([1, nil, 5], ["a", "b", nil])
        let gt = Condition.comparison(column: "x", op: .greater, value: .int(2))
        #expect(try gt.evaluateStates(b) == [.no, .unknown, .yes])
        #expect(try Condition.not(gt).evaluateStates(b) == [.yes, .unknown, .no])
        #expect(try Condition.or([gt, .isNull(column: "x")]).evaluateStates(b) == [.no, .yes, .yes])
        #expect(try Condition.and([gt, .isNull(column: "s")]).evaluateStates(b) == [.no, .no, .yes])
        #expect(try Condition.comparison(column: "x", op: .equal, value: .null).evaluateStates(b) == [.unknown, .unknown, .unknown])
        // IN with a NULL in the list: a non-match is unknown, not false.
        #expect(try Condition.isIn(column: "x", values: [.int(1), .null]).evaluateStates(b) == [.yes, .unknown, .unknown])
        #expect(try Condition.isIn(column: "x", values: [.int(1)]).evaluate(b) == [true, false, false])
    }

    @Test("strings compare by UTF-8 bytes")
    func stringOrder() throws {
        let b = try Self.batch([1, 2, 3], ["Z", "a", "é"])
        #expect(try Condition.comparison(column: "s", op: .less, value: .string("a")).evaluate(b) == [true, false, false])
        #expect(try Condition.comparison(column: "s", op: .greater, value: .string("z")).evaluate(b) == [false, false, true])
    }

    @Test("an unknown column is an error")
    func unknownColumn() throws {
        let b = try Self.batch([1], ["a"])
        #expect(throws: ColumnarError.self) { try Condition.isNull(column: "nope").evaluate(b) }
    }

    static func randomCondition(_ g: inout SeededGenerator, depth: Int = 0) -> Condition {
        let ops = ComparisonOperator.allCases
        switch g.below(depth > 2 ? 4 : 7) {
        case 0: return .comparison(column: "x", op: ops[g.below(ops.count)], value: g.below(10) == 0 ? .null : .int(Int64(g.below(12)) - 1))
        case 1: return .isIn(column: "x", values: (0..<(1 + g.below(3))).map { _ in g.below(6) == 0 ? .null : .int(Int64(g.below(12))) })
        case 2: return g.below(2) == 0 ? .isNull(column: "x") : .isNotNull(column: "x")
        case 3: return .constant(g.below(2) == 0)
        case 4: return .and((0..<(1 + g.below(3))).map { _ in randomCondition(&g, depth: depth + 1) })
        case 5: return .or((0..<(1 + g.below(3))).map { _ in randomCondition(&g, depth: depth + 1) })
        default: return .not(randomCondition(&g, depth: depth + 1))
        }
    }

    @Test("statistics never rule out a batch that has a matching row (2,000 generated cases)")
    func skippingIsSound() throws {
        var g = SeededGenerator(seed: 42)
        var skipped = 0
        for _ in 0..<2_000 {
            let count = 1 + g.below(6)
            let xs: [Int64?] = (0..<count).map { _ in g.below(5) == 0 ? nil : Int64(g.below(10)) }
            let b = try Self.batch(xs, Array(repeating: "s", count: count))
            let values = xs.compactMap { $0 }
            let bounds = ColumnBounds(min: values.min().map(Scalar.int), max: values.max().map(Scalar.int),
                                      nullCount: xs.count - values.count, allNull: values.isEmpty)
            let condition = Self.randomCondition(&g)
            let matches = try condition.evaluate(b).contains(true)
            let might = condition.mightMatch { $0 == "x" ? bounds : nil }
            #expect(might || !matches, "skipped a match: \(condition) over \(xs)")
            if !might { skipped += 1 }
        }
        // The statistics do rule out a good share of the batches without matches.
        #expect(skipped > 200, "only \(skipped) batches skipped")
    }
}
