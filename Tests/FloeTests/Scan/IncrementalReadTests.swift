import Foundation
import Testing
import FloeColumnar
@testable import Floe

@Suite struct IncrementalReadTests {
    @Test func tailingReadsOnlyNewRows() throws {
        let dir = try Fixtures.scratchDirectory("tail")
        defer { Fixtures.remove(dir) }
        let table = Table(path: dir)
        try table.create(schema: StructType([StructField(name: "id", type: .long, nullable: false)]), options: TableCreationOptions(inCommitTimestamps: false))
        func batch(_ ids: Range<Int>) throws -> RecordBatch {
            try RecordBatch(schema: Schema([Field("id", .int64, isNullable: false)]), columns: [try Column(ids.map { .int(Int64($0)) }, type: .int64)])
        }
        try table.append([try batch(0..<3)])
        let seen = try table.latestVersion()
        try table.append([try batch(3..<5)])
        try table.append([try batch(5..<6)])
        var it = try table.rowsAdded(after: seen)
        var ids: [Scalar] = []
        while let b = try it.next() { ids += (0..<b.count).map { b.columns[0].scalar(at: $0) } }
        #expect(Set(ids) == Set((3..<6).map { Scalar.int(Int64($0)) }))
        #expect(try table.filesAdded(after: seen).count == 2)
        #expect(try table.filesAdded(after: try table.latestVersion()).isEmpty)
        #expect(throws: DeltaError.self) { try table.filesAdded(after: 0, through: 99) }
    }
}
