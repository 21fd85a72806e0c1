import Testing
@testable import FloeColumnar

/// Building columns value by value: every primitive layout, nulls, nested types and refusals.
@Suite("Column builders")
struct ColumnBuilderTests {
    @Test("integers of every width keep their values and refuse what does not fit", arguments: [
        (DataType.int8, Int64(Int8.min), Int64(Int8.max)), (.int16, Int64(Int16.min), Int64(Int16.max)),
        (.int32, Int64(Int32.min), Int64(Int32.max)), (.int64, Int64.min, Int64.max),
    ])
    func integers(type: DataType, low: Int64, high: Int64) throws {
        let column = try Column([.int(low), .null, .int(high), .int(0)], type: type)
        #expect(column.count == 4 && column.nullCount == 1)
        #expect(column.scalar(at: 0) == .int(low) && column.scalar(at: 2) == .int(high))
        #expect(column.scalar(at: 1).isNull && !column.isValid(at: 1))
        if high < Int64.max {
            #expect(throws: ColumnarError.self) { try Column([.int(high + 1)], type: type) }
        }
    }

    @Test("strings, binary, booleans, floats and decimals")
    func primitives() throws {
        let strings = try Column([.string("ä"), .string(""), .null], type: .string)
        #expect(strings.scalar(at: 0) == .string("ä") && strings.scalar(at: 1) == .string("") && strings.nullCount == 1)
        let binary = try Column([.binary([0, 255]), .binary([])], type: .binary)
        #expect(binary.scalar(at: 0) == .binary([0, 255]) && binary.scalar(at: 1) == .binary([]))
        let booleans = try Column([.bool(true), .bool(false), .null, .bool(true)], type: .boolean)
        #expect((0..<4).map { booleans.scalar(at: $0) } == [.bool(true), .bool(false), .null, .bool(true)])
        let floats = try Column([.float(1.5), .float(-.infinity)], type: .float64)
        #expect(floats.scalar(at: 0) == .float(1.5) && floats.scalar(at: 1) == .float(-.infinity))
        let decimals = try Column([.decimal(-89963), .decimal(Int128(10).power(30))], type: .decimal(precision: 38, scale: 2))
        #expect(decimals.scalar(at: 0) == .decimal(-89963) && decimals.scalar(at: 1) == .decimal(Int128(10).power(30)))
    }

    @Test("lists, structs and maps nest, with nulls at every level")
    func nested() throws {
        let listType = DataType.list(Field("element", .int64, isNullable: true))
        let lists = try Column([.list([.int(1), .null]), .null, .list([])], type: listType)
        #expect(lists.scalar(at: 0) == .list([.int(1), .null]) && lists.scalar(at: 1).isNull && lists.scalar(at: 2) == .list([]))
        let structType = DataType.struct([Field("a", .int64), Field("b", .string)])
        let structs = try Column([.structure([.int(1), .string("x")]), .null], type: structType)
        #expect(structs.scalar(at: 0) == .structure([.int(1), .string("x")]) && structs.scalar(at: 1).isNull)
        let mapType = DataType.map(Field("entries", .struct([Field("key", .string, isNullable: false), Field("value", .int64)]),
                                         isNullable: false), keysSorted: false)
        let maps = try Column([.map([Scalar.MapEntry(key: .string("k"), value: .int(2))])], type: mapType)
        #expect(maps.scalar(at: 0) == .map([Scalar.MapEntry(key: .string("k"), value: .int(2))]))
    }

    @Test("a value of the wrong kind is refused, naming it")
    func wrongKinds() {
        #expect(throws: ColumnarError.self) { try Column([.string("1")], type: .int64) }
        #expect(throws: ColumnarError.self) { try Column([.int(1)], type: .boolean) }
        #expect(throws: ColumnarError.self) { try Column([.list([.int(1)])], type: .string) }
    }

    @Test("a batch checks that its columns match its schema")
    func batches() throws {
        let schema = Schema([Field("id", .int64, isNullable: false), Field("name", .string)])
        let batch = try RecordBatch(schema: schema, columns: [try Column([.int(1), .int(2)], type: .int64),
                                                              try Column([.string("a"), .null], type: .string)])
        #expect(batch.count == 2 && batch.column(named: "name")?.scalar(at: 1).isNull == true)
        #expect(throws: ColumnarError.self) {
            try RecordBatch(schema: schema, columns: [try Column([.int(1)], type: .int64), try Column([.string("a"), .null], type: .string)])
        }
        #expect(throws: ColumnarError.self) {
            try RecordBatch(schema: schema, columns: [try Column([.string("a")], type: .string), try Column([.string("a")], type: .string)])
        }
    }
}

extension Int128 {
    func power(_ n: Int) -> Int128 { (0..<n).reduce(1) { r, _ in r * self } }
}
