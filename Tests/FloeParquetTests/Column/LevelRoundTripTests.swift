import Testing
import FloeColumnar
@testable import FloeParquet

@Suite struct LevelRoundTripTests {
    @Test(arguments: RandomData.sampleFields)
    func shredThenAssemble(field: Field) throws {
        let (column, values) = try RandomData.column(field, count: 300, seed: UInt64(field.name.utf8.count) &* 7919)
        let root = try SchemaNode.writeSchema(for: Schema([field]))
        let schema = try ParquetSchema(root: root)
        #expect(schema.arrowSchema.fields[0].dataType == field.dataType)
        var shredder = LevelShredder()
        try shredder.shred(column, field: field)
        #expect(shredder.leaves.count == schema.columns.count)
        var leaves: [Int: LeafData] = [:]
        for (i, l) in shredder.leaves.enumerated() { leaves[i] = l }
        let rebuilt = try LevelAssembler(leaves: leaves).assemble(schema.readNodes[0])
        try rebuilt.validate()
        #expect(rebuilt.count == values.count)
        for i in 0..<values.count {
            #expect(rebuilt.scalar(at: i) == values[i], "row \(i)")
        }
    }

    @Test func nonNullableFieldWithNullIsRefused() throws {
        let field = Field("x", .int32, isNullable: false)
        let column = try Column([.int(1), .null], type: .int32)
        var shredder = LevelShredder()
        #expect(throws: ParquetError.self) { try shredder.shred(column, field: field) }
    }
}
