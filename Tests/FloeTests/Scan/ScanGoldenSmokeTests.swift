import Foundation
import Testing
import FloeColumnar
@testable import Floe

@Suite(.enabled(if: Fixtures.goldenAvailable, "needs ../shared/golden/delta-rs"))
struct ScanGoldenSmokeTests {
    func rows(_ name: String, version: Int64? = nil, columns: [String]? = nil, where p: Condition? = nil) throws -> (Schema, [[Scalar]]) {
        let table = Table(path: Fixtures.golden(name))
        let snapshot = try version.map { try table.snapshot(version: $0) } ?? table.snapshot()
        let scan = try table.scan(snapshot, columns: columns, where: p)
        var out: [[Scalar]] = []
        for b in try scan.readAll() {
            for r in 0..<b.count { out.append(b.columns.map { $0.scalar(at: r) }) }
        }
        return (scan.schema, out)
    }

    @Test func partitionedTableMaterialisesPartitionColumns() throws {
        let (schema, all) = try rows("delta-0.8.0-partitioned")
        #expect(schema.fields.map(\.name) == ["value", "year", "month", "day"])
        #expect(all.count == 7)
        let (_, filtered) = try rows("delta-0.8.0-partitioned", columns: ["value"], where: .comparison(column: "year", op: .equal, value: .string("2021")))
        #expect(filtered.count == 4)
    }

    @Test func simpleTableVersions() throws {
        let (_, v0) = try rows("simple_table", version: 0)
        #expect(v0.count == 5)
        let (_, latest) = try rows("simple_table")
        #expect(Set(latest.map { $0[0] }) == Set([.int(5), .int(7), .int(9)]))
    }

    @Test func nullPartitionAndSpecialCharacters() throws {
        let (_, nulls) = try rows("delta-0.8.0-null-partition")
        #expect(nulls.contains { $0.contains(.null) })
        let (_, special) = try rows("delta-0.8.0-special-partition")
        #expect(!special.isEmpty)
    }
}
