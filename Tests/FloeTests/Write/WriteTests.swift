import Foundation
import Testing
import FloeColumnar
@testable import Floe

@Suite struct WriteTests {
    static let schema = StructType([
        StructField(name: "id", type: .long, nullable: false),
        StructField(name: "name", type: .string),
        StructField(name: "price", type: .decimal(precision: 10, scale: 2)),
        StructField(name: "ts", type: .timestamp),
        StructField(name: "day", type: .date),
        StructField(name: "loc", type: .struct(StructType([StructField(name: "lat", type: .double), StructField(name: "lon", type: .double)]))),
        StructField(name: "tags", type: .array(ArrayType(elementType: .string))),
    ])

    static func batch(_ ids: Range<Int>, day: Int64 = 20_000) throws -> RecordBatch {
        let arrow = try schema.arrowSchema()
        var rows: [[Scalar]] = []
        for i in ids {
            rows.append([.int(Int64(i)), i % 3 == 0 ? .null : .string("n\(i)"), .decimal(Int128(i) * 101),
                         .int(1_700_000_000_000_000 + Int64(i) * 1_000), .int(day + Int64(i % 2)),
                         .structure([.float(Double(i)), .float(-Double(i))]), .list([.string("t\(i)")])])
        }
        let columns = try arrow.fields.enumerated().map { k, f in try Column(rows.map { $0[k] }, type: f.dataType) }
        return try RecordBatch(schema: arrow, columns: columns)
    }

    func allRows(_ table: Table, version: Int64? = nil, columns: [String]? = nil, where c: Condition? = nil) throws -> [[Scalar]] {
        let snapshot = try version.map { try table.snapshot(version: $0) } ?? table.snapshot()
        return try table.scan(snapshot, columns: columns, where: c).readAll().flatMap { b in
            (0..<b.count).map { r in b.columns.map { $0.scalar(at: r) } }
        }
    }

    @Test func appendReadBackAndTimeTravel() throws {
        let dir = try Fixtures.scratchDirectory("write")
        defer { Fixtures.remove(dir) }
        let table = Table(path: dir)
        try table.create(schema: Self.schema)
        let r1 = try table.append([try Self.batch(0..<10)])
        #expect(r1.version == 1 && r1.rowsWritten == 10 && r1.filesAdded == 1)
        let r2 = try table.append([try Self.batch(10..<25)])
        #expect(r2.version == 2)
        let rows = try allRows(table)
        #expect(rows.count == 25)
        #expect(Set(rows.map { $0[0] }) == Set((0..<25).map { Scalar.int(Int64($0)) }))
        #expect(try allRows(table, version: 1).count == 10)
        let snapshot = try table.snapshot()
        let stats = try #require(snapshot.activeFiles.first?.stats)
        #expect(stats.contains("\"numRecords\":10") || stats.contains("\"numRecords\":15"))
        // Statistics skipping: ids 0..<10 live in one file, 10..<25 in the other.
        let scan = try table.scan(where: .comparison(column: "id", op: .greaterOrEqual, value: .int(12)))
        #expect(try scan.files().count == 1)
        #expect(try scan.readAll().reduce(0) { $0 + $1.count } == 13)
        // Conditions on nested fields, dates and decimals.
        #expect(try allRows(table, where: .comparison(column: "loc.lat", op: .less, value: .int(3))).count == 3)
        #expect(try allRows(table, where: .comparison(column: "price", op: .greaterOrEqual, value: .string("20.20"))).count == 5)
        #expect(try allRows(table, where: .comparison(column: "day", op: .equal, value: .string("2024-10-04"))).count == 13)
    }

    @Test func partitionedWritesOverwriteAndReplaceWhere() throws {
        let dir = try Fixtures.scratchDirectory("partitioned")
        defer { Fixtures.remove(dir) }
        let table = Table(path: dir)
        try table.create(schema: Self.schema, partitionColumns: ["day"])
        try table.append([try Self.batch(0..<20)])
        let files = try table.snapshot().activeFiles
        #expect(files.count == 2)
        #expect(files.allSatisfy { $0.path.hasPrefix("day=2024-10-0") })
        #expect(try allRows(table, where: .comparison(column: "day", op: .equal, value: .string("2024-10-04"))).count == 10)
        // Replace one partition.
        let replacement = try Self.batch(100..<104).filter([true, false, true, false])
        let r = try table.overwrite([replacement], replaceWhere: .comparison(column: "day", op: .equal, value: .string("2024-10-04")))
        #expect(r.filesRemoved == 1)
        let rows = try allRows(table)
        #expect(rows.count == 12)
        // Rows outside the condition are refused.
        #expect(throws: DeltaError.self) {
            try table.overwrite([try Self.batch(200..<202)], replaceWhere: .comparison(column: "day", op: .equal, value: .string("2024-10-04")))
        }
        // Whole-table overwrite.
        try table.overwrite([try Self.batch(0..<3)])
        #expect(try allRows(table).count == 3)
        #expect(try allRows(table, version: 1).count == 20)
    }

    @Test func schemaEnforcementAndEvolution() throws {
        let dir = try Fixtures.scratchDirectory("schema")
        defer { Fixtures.remove(dir) }
        let table = Table(path: dir)
        try table.create(schema: StructType([StructField(name: "id", type: .long, nullable: false), StructField(name: "v", type: .integer)]))
        let extra = try RecordBatch(schema: Schema([Field("id", .int64, isNullable: false), Field("v", .int32), Field("w", .string)]),
                                    columns: [try Column([.int(1)], type: .int64), try Column([.int(2)], type: .int32), try Column([.string("x")], type: .string)])
        #expect { try table.append([extra]) } throws: { ($0 as? DeltaError)?.message.contains("'w'") == true }
        #expect(try table.snapshot().version == 0)
        // A null in a NOT NULL column names the column and the row (counted from 1).
        let nulls = try RecordBatch(schema: Schema([Field("id", .int64), Field("v", .int32)]),
                                    columns: [try Column([.int(1), .null], type: .int64), try Column([.int(1), .int(2)], type: .int32)])
        #expect { try table.append([nulls]) } throws: { ($0 as? DeltaError)?.message.contains("row 2 of the write") == true }
        // Narrower types widen on write; missing nullable columns become null.
        let narrow = try RecordBatch(schema: Schema([Field("id", .int32)]), columns: [try Column([.int(7)], type: .int32)])
        try table.append([narrow])
        // Merging adds the column; old files read it as null; old versions keep their schema.
        var options = WriteOptions()
        options.mergesSchema = true
        try table.append([extra], options: options)
        let snapshot = try table.snapshot()
        #expect(snapshot.schema.fieldNames == ["id", "v", "w"])
        let rows = try allRows(table)
        #expect(rows.contains { $0 == [.int(7), .null, .null] })
        #expect(rows.contains { $0 == [.int(1), .int(2), .string("x")] })
        #expect(try table.scan(try table.snapshot(version: 1)).schema.fields.map(\.name) == ["id", "v"])
    }

    @Test func idempotentApplicationTransactions() throws {
        let dir = try Fixtures.scratchDirectory("txn")
        defer { Fixtures.remove(dir) }
        let table = Table(path: dir)
        try table.create(schema: Self.schema)
        var options = WriteOptions()
        options.applicationTransaction = ApplicationTransaction(appID: "stream-1", version: 0)
        #expect(try table.append([try Self.batch(0..<5)], options: options).isSkipped == false)
        #expect(try table.append([try Self.batch(0..<5)], options: options).isSkipped == true)
        options.applicationTransaction = ApplicationTransaction(appID: "stream-1", version: 1)
        #expect(try table.append([try Self.batch(5..<6)], options: options).isSkipped == false)
        #expect(try allRows(table).count == 6)
        #expect(try table.snapshot().transactionVersion(for: "stream-1") == 1)
    }
}

extension WriteTests {
    /// Empty string and binary partition values are written as null (readers take an empty
    /// partition value for null; writing `""` made delta-rs read `""` where Floe reads null).
    @Test func emptyPartitionValuesAreWrittenAsNull() throws {
        let root = try Fixtures.scratchDirectory("write-empty-partition")
        defer { Fixtures.remove(root) }
        let table = Table(path: root)
        let schema = try StructType(ddl: "id long, s string, b binary")
        try table.create(schema: schema, partitionColumns: ["s", "b"])
        let arrow = try schema.arrowSchema()
        let batch = try RecordBatch(schema: arrow, columns: [
            try Column([.int(1), .int(2), .int(3)], type: .int64),
            try Column([.string(""), .null, .string("x")], type: .string),
            try Column([.binary([]), .null, .binary([1])], type: .binary),
        ])
        try table.append([batch])
        let files = try table.snapshot().activeFiles
        #expect(files.count == 2, "rows 1 and 2 share the null partition: \(files.map(\.path))")
        for file in files where file.partitionValues["s"] ?? nil != "x" {
            #expect(file.partitionValues["s"] == .some(nil) && file.partitionValues["b"] == .some(nil), "\(file.partitionValues)")
            #expect(file.path.hasPrefix("s=__HIVE_DEFAULT_PARTITION__/b=__HIVE_DEFAULT_PARTITION__/"))
        }
        #expect(files.contains { $0.partitionValues["s"] == .some("x") && $0.partitionValues["b"] == .some("\u{01}") })
        var nulls = 0
        for b in try table.scan().readAll() { nulls += b.columns[1].nullCount + b.columns[2].nullCount }
        #expect(nulls == 4)
    }
}
