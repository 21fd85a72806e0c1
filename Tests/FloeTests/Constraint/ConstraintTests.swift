import Foundation
import Testing
import FloeColumnar
@testable import Floe

@Suite("CHECK constraints, column invariants and NOT NULL on writes")
struct ConstraintTests {
    static let schema = StructType([
        StructField(name: "id", type: .long, nullable: false),
        StructField(name: "kind", type: .string),
        StructField(name: "x", type: .integer),
    ])

    static func batch(_ rows: [(Int64?, String?, Int64?)]) throws -> RecordBatch {
        let arrow = try schema.arrowSchema()
        return try RecordBatch(schema: arrow, columns: [
            try Column(rows.map { $0.0.map(Scalar.int) ?? .null }, type: .int64),
            try Column(rows.map { $0.1.map(Scalar.string) ?? .null }, type: .string),
            try Column(rows.map { $0.2.map(Scalar.int) ?? .null }, type: .int32),
        ])
    }

    /// The Parquet files under `root` (none may be left by a refused write).
    static func dataFiles(_ root: String) -> [String] {
        let all = (FileManager.default.enumerator(atPath: root)?.allObjects as? [String]) ?? []
        return all.filter { $0.hasSuffix(".parquet") && !$0.hasPrefix("_delta_log") }
    }

    static func error(_ body: () throws -> Void) -> DeltaError? {
        do { try body() } catch let e as DeltaError { return e } catch { return nil }
        return nil
    }

    @Test("a violating append is refused before any file is written, naming constraint, columns, values and row")
    func checkConstraintRefusesAppend() throws {
        let root = try Fixtures.scratchDirectory("constraint")
        defer { Fixtures.remove(root) }
        let table = Table(path: root)
        try table.create(schema: Self.schema, configuration: ["delta.constraints.x_big": "x > 3 AND kind IN ('a', 'b')"])
        try table.append([try Self.batch([(1, "a", 4), (2, "b", 10)])])
        // Row 4 of the write (the second row of the second batch) has x = 3.
        let e = try #require(Self.error {
            try table.append([try Self.batch([(3, "a", 5), (4, "b", 6)]), try Self.batch([(5, "a", 7), (6, "a", 3)])])
        })
        #expect(e.code == .constraintViolation)
        #expect(e.message.contains("CHECK constraint x_big"), "\(e.message)")
        #expect(e.message.contains("row 4 of the append"), "\(e.message)")
        #expect(e.message.contains("x = 3") && e.message.contains("kind = 'a'"), "\(e.message)")
        #expect(try table.snapshot().version == 1)
        #expect(Self.dataFiles(root).count == 1)
        // A value outside the IN list, and an overwrite, are refused likewise.
        #expect(Self.error { try table.append([try Self.batch([(7, "c", 9)])]) }?.message.contains("row 1 of the append") == true)
        #expect(Self.error { try table.overwrite([try Self.batch([(7, "c", 9)])]) }?.message.contains("row 1 of the overwrite") == true)
        // Satisfying rows go in.
        try table.append([try Self.batch([(8, "b", 100)])])
        #expect(try table.snapshot().version == 2)
    }

    @Test("a NULL result violates a CHECK constraint, as the Delta protocol requires; IS NULL allows it")
    func nullViolates() throws {
        let root = try Fixtures.scratchDirectory("constraint")
        defer { Fixtures.remove(root) }
        let table = Table(path: root)
        try table.create(schema: Self.schema, configuration: ["delta.constraints.pos": "x > 0"])
        let e = try #require(Self.error { try table.append([try Self.batch([(1, "a", 1), (2, "a", nil)])]) })
        #expect(e.code == .constraintViolation && e.message.contains("row 2") && e.message.contains("NULL"), "\(e.message)")
        try table.dropConstraint(named: "pos")
        try table.addConstraint(named: "pos_or_null", "x IS NULL OR x > 0")
        try table.append([try Self.batch([(1, "a", 1), (2, "a", nil)])])
        #expect(Self.error { try table.append([try Self.batch([(3, nil, -1)])]) }?.code == .constraintViolation)
    }

    @Test("column invariants (delta.invariants) are enforced, nested ones too")
    func invariants() throws {
        let root = try Fixtures.scratchDirectory("constraint")
        defer { Fixtures.remove(root) }
        let invariant: JSONObject = ["delta.invariants": .string(#"{"expression":{"expression":"x > 3"}}"#)]
        let nested: JSONObject = ["delta.invariants": .string(#"{"expression":{"expression":"s.v < 10"}}"#)]
        let schema = StructType([
            StructField(name: "x", type: .integer, metadata: invariant),
            StructField(name: "s", type: .struct(StructType([StructField(name: "v", type: .integer, metadata: nested)]))),
        ])
        let table = Table(path: root)
        try table.create(schema: schema)
        #expect(try table.constraints().map(\.label) == ["invariant on column x (x > 3)", "invariant on column s.v (s.v < 10)"])
        let arrow = try schema.arrowSchema()
        func batch(_ x: Int64, _ v: Int64) throws -> RecordBatch {
            try RecordBatch(schema: arrow, columns: [try Column([.int(x)], type: .int32),
                                                     try Column([.structure([.int(v)])], type: arrow.fields[1].dataType)])
        }
        try table.append([try batch(4, 1)])
        let e1 = try #require(Self.error { try table.append([try batch(3, 1)]) })
        #expect(e1.code == .constraintViolation && e1.message.contains("invariant on column x") && e1.message.contains("x = 3"), "\(e1.message)")
        let e2 = try #require(Self.error { try table.append([try batch(5, 11)]) })
        #expect(e2.code == .constraintViolation && e2.message.contains("s.v = 11"), "\(e2.message)")
        #expect(try table.snapshot().version == 1)
    }

    @Test("a constraint Floe cannot evaluate refuses writes clearly, never skipping enforcement")
    func unsupportedExpression() throws {
        let root = try Fixtures.scratchDirectory("constraint")
        defer { Fixtures.remove(root) }
        let table = Table(path: root)
        try table.create(schema: Self.schema, configuration: ["delta.constraints.sum": "id + x > 3"])
        let e = try #require(Self.error { try table.append([try Self.batch([(1, "a", 9)])]) })
        #expect(e.code == .unsupportedFeature && e.message.contains("CHECK constraint sum (id + x > 3)"), "\(e.message)")
        #expect(Self.dataFiles(root).isEmpty)
        // A malformed invariant is refused too.
        let root2 = try Fixtures.scratchDirectory("constraint")
        defer { Fixtures.remove(root2) }
        let bad = StructType([StructField(name: "x", type: .integer, metadata: ["delta.invariants": .string("x > 3")])])
        try Table(path: root2).create(schema: bad)
        let arrow = try bad.arrowSchema()
        let e2 = try #require(Self.error {
            try Table(path: root2).append([try RecordBatch(schema: arrow, columns: [try Column([.int(4)], type: .int32)])])
        })
        #expect(e2.code == .unsupportedFeature && e2.message.contains("delta.invariants"), "\(e2.message)")
    }

    @Test("files added directly by a transaction are refused on a table with constraints")
    func directAddsRefused() throws {
        let root = try Fixtures.scratchDirectory("constraint")
        defer { Fixtures.remove(root) }
        let table = Table(path: root)
        try table.create(schema: Self.schema, configuration: ["delta.constraints.pos": "x > 0"])
        var txn = try table.transaction()
        txn.add(AddFile(path: "a.parquet", size: 10, modificationTime: 0))
        let e = try #require(Self.error { try txn.commit() })
        #expect(e.code == .unsupportedFeature && e.message.contains("CHECK constraint pos"), "\(e.message)")
    }

    @Test("addConstraint checks existing rows, upgrades the protocol as Delta does; dropConstraint removes it")
    func addAndDrop() throws {
        let root = try Fixtures.scratchDirectory("constraint")
        defer { Fixtures.remove(root) }
        let table = Table(path: root)
        try table.create(schema: Self.schema, options: TableCreationOptions(inCommitTimestamps: false))
        #expect(try table.snapshot().protocol == ProtocolAction(minReaderVersion: 1, minWriterVersion: 2))
        try table.append([try Self.batch([(1, "a", 5), (2, "b", 1)])])
        // Row 2 of the existing data violates it: nothing is committed.
        let e = try #require(Self.error { try table.addConstraint(named: "Big", "x > 3") })
        #expect(e.code == .constraintViolation && e.message.contains("row 2") && e.message.contains("x = 1"), "\(e.message)")
        #expect(try table.snapshot().version == 1)
        // Bad names and expressions are refused.
        #expect(Self.error { try table.addConstraint(named: "no spaces", "x > 0") }?.code == .invalidArgument)
        #expect(Self.error { try table.addConstraint(named: "c", "nope > 0") }?.code == .invalidArgument)
        #expect(Self.error { try table.addConstraint(named: "c", "x >") }?.code == .invalidArgument)

        let version = try table.addConstraint(named: "Positive", "x > 0").version
        let snapshot = try table.snapshot()
        #expect(version == 2 && snapshot.version == 2)
        #expect(snapshot.metadata.configuration["delta.constraints.positive"] == "x > 0")
        #expect(snapshot.protocol == ProtocolAction(minReaderVersion: 1, minWriterVersion: 3))
        #expect(try table.history().first?.commitInfo?.operation == "ADD CONSTRAINT")
        #expect(Self.error { try table.addConstraint(named: "POSITIVE", "x > 1") }?.message.contains("already has") == true)
        #expect(Self.error { try table.append([try Self.batch([(3, "c", 0)])]) }?.code == .constraintViolation)

        try table.dropConstraint(named: "POSITIVE")
        #expect(try table.snapshot().metadata.configuration["delta.constraints.positive"] == nil)
        #expect(try table.snapshot().protocol.minWriterVersion == 3)
        #expect(Self.error { try table.dropConstraint(named: "positive") }?.code == .invalidArgument)
        try table.append([try Self.batch([(3, "c", 0)])])

        // On writer version 7 the feature is added.
        let root7 = try Fixtures.scratchDirectory("constraint")
        defer { Fixtures.remove(root7) }
        let t7 = Table(path: root7)
        try t7.create(schema: Self.schema)
        #expect(try t7.snapshot().protocol.minWriterVersion == 7)
        try t7.addConstraint(named: "k", "kind IS NOT NULL")
        #expect(try t7.snapshot().protocol.supportsWriterFeature(.checkConstraints))
    }

    @Test("NOT NULL violations name the column and the row counted from 1 across batches")
    func notNullRows() throws {
        let root = try Fixtures.scratchDirectory("constraint")
        defer { Fixtures.remove(root) }
        let table = Table(path: root)
        try table.create(schema: Self.schema)
        let e = try #require(Self.error { try table.append([try Self.batch([(1, "a", 1), (2, "a", 1)]), try Self.batch([(3, "a", 1), (nil, "a", 1)])]) })
        #expect(e.code == .constraintViolation && e.message.contains("column 'id'") && e.message.contains("row 4 of the write"), "\(e.message)")
        #expect(Self.dataFiles(root).isEmpty)
    }

    /// Writes with deltalake (delta-rs) into `root`; prints `refused` or `ok`.
    static let pythonAppend = """
    import sys, pyarrow as pa
    from deltalake import write_deltalake
    x = None if sys.argv[2] == "null" else int(sys.argv[2])
    try:
        write_deltalake(sys.argv[1], pa.table({"id": pa.array([9], pa.int64()), "kind": pa.array(["a"]),
                                               "x": pa.array([x], pa.int32())}), mode="append")
        print("ok")
    except Exception as e:
        print("refused")
    """

    @Test("delta-rs refuses violating appends to a Floe constraint; Floe enforces a constraint delta-rs added",
          .enabled(if: TestPython.hasDeltalake))
    func deltaRsInterop() throws {
        let root = try Fixtures.scratchDirectory("constraint")
        defer { Fixtures.remove(root) }
        let table = Table(path: root)
        try table.create(schema: StructType([StructField(name: "id", type: .long), StructField(name: "kind", type: .string),
                                             StructField(name: "x", type: .integer)]),
                         options: TableCreationOptions(inCommitTimestamps: false))
        try table.addConstraint(named: "x_pos", "x > 0")
        #expect(TestPython.run(Self.pythonAppend, [root, "-5"]).output?.contains("refused") == true)
        #expect(TestPython.run(Self.pythonAppend, [root, "5"]).output?.contains("ok") == true)
        try table.dropConstraint(named: "x_pos")

        let added = TestPython.run("""
        import sys
        from deltalake import DeltaTable
        DeltaTable(sys.argv[1]).alter.add_constraint({"Small_X": "x < 100"})
        print("ok")
        """, [root])
        #expect(added.output?.contains("ok") == true, "\(added.error)")
        let constraints = try table.constraints()
        #expect(constraints.map(\.name) == ["Small_X"])
        let arrow = try table.snapshot().arrowSchema()
        let big = try RecordBatch(schema: arrow, columns: [try Column([.int(1)], type: .int64), try Column([.string("a")], type: .string),
                                                           try Column([.int(500)], type: .int32)])
        let e = try #require(Self.error { try table.append([big]) })
        #expect(e.code == .constraintViolation && e.message.contains("Small_X") && e.message.contains("x = 500"), "\(e.message)")
        try table.dropConstraint(named: "small_x")
        try table.append([big])
    }
}
