import Foundation
import Testing
import FloeColumnar
@testable import Floe

/// Tables written by delta-rs (`write_deltalake`, schema merging, overwrites with a predicate,
/// checkpoints, compaction, delete, vacuum), read by Floe at every version, by version and by
/// timestamp: rows, schema, protocol, files and statistics (as Floe parses delta-rs's), filtered
/// reads and history must be what delta-rs reads. One Python process per test.
@Suite("Interop with delta-rs: delta-rs writes, Floe reads", .enabled(if: DeltaInterop.isAvailable, "needs FLOE_PYTHON with deltalake"))
struct DeltaWritesFloeReadsTests {
    static let sleep = DeltaInterop.step("sleep", ["ms": .int(30)])

    @Test("every type, nested, schema merge, overwrite, checkpoint, compact, delete")
    func allTypes() throws {
        let root = try Fixtures.scratchDirectory("interop-delta-all")
        defer { Fixtures.remove(root) }
        let schema = try StructType(ddl: InteropData.allTypesDDL)
        let evolved = try StructType(ddl: InteropData.allTypesEvolvedDDL)
        func rows(_ ids: Range<Int>, evolved: Bool = false) -> [JSONValue] { ids.map { InteropData.allTypesRow($0, evolved: evolved) } }
        let queries = FloeWritesDeltaReadsTests.allTypesQueries
        let results = try DeltaInterop.run(table: root, [
            DeltaInterop.write(schema, rows(0..<7), mode: "error"), Self.sleep,                        // v0
            DeltaInterop.write(schema, rows(7..<12)), Self.sleep,                                       // v1
            DeltaInterop.write(evolved, rows(12..<16, evolved: true), schemaMode: "merge"), Self.sleep, // v2
            DeltaInterop.write(evolved, rows(20..<25, evolved: true), mode: "overwrite"), Self.sleep,   // v3
            DeltaInterop.write(evolved, rows(25..<28, evolved: true)), Self.sleep,                      // v4
            DeltaInterop.step("checkpoint"),
            DeltaInterop.step("compact"), Self.sleep,                                                   // v5
            DeltaInterop.step("delete", ["predicate": .string("id = 21 OR id = 26")]), Self.sleep,     // v6
            DeltaInterop.dump(queries: queries),
        ])
        for (i, r) in results.enumerated() where r["ok"]?.boolValue != true {
            Issue.record("step \(i) failed: \(r.jsonText)")
        }
        let table = Table(path: root)
        let dump = results[results.count - 1]
        var check = DeltaInterop.DumpCheck()
        try check.compare(dump, table: table, queries: queries, label: "delta-rs all types")
        check.differences += DeltaInterop.historyDifferences(dump["history"], try table.history(), label: "delta-rs all types")
        #expect(check.differences.isEmpty, "\(check.differences.joined(separator: "\n"))")
        #expect(check.beforeFirstCommit == 1)
        // 7 versions, 7 times between commits and after the last.
        #expect(check.readings == 14 && check.rows > 50, "\(check.readings) readings, \(check.rows) rows")
        #expect(try table.history().prefix(3).compactMap(\.commitInfo?.operation) == ["DELETE", "OPTIMIZE", "WRITE"])
    }

    @Test("vacuum: versions whose files delta-rs vacuumed fail in both readers, the others match")
    func vacuum() throws {
        let root = try Fixtures.scratchDirectory("interop-delta-vacuum")
        defer { Fixtures.remove(root) }
        let schema = try StructType(ddl: InteropData.partitionedDDL)
        let rows = (0..<12).map { InteropData.partitionedRow($0) }
        let results = try DeltaInterop.run(table: root, [
            DeltaInterop.write(schema, Array(rows[0..<6]), mode: "error", partitionBy: ["region"]), Self.sleep, // v0
            DeltaInterop.write(schema, Array(rows[6..<12]), mode: "overwrite"), Self.sleep,                    // v1
            DeltaInterop.step("delete", ["predicate": .string("id = 7")]), Self.sleep,                       // v2
            DeltaInterop.step("vacuum", ["retentionHours": .int(0)]), Self.sleep,                             // v3, v4
            DeltaInterop.dump(queries: ["region = 'eu west'"]),
        ])
        for (i, r) in results.enumerated() where r["ok"]?.boolValue != true {
            Issue.record("step \(i) failed: \(r.jsonText)")
        }
        #expect((results[6]["deleted"]?.arrayValue?.count ?? 0) > 0, "\(results[6].jsonText)")
        let table = Table(path: root)
        let dump = results[results.count - 1]
        var check = DeltaInterop.DumpCheck()
        try check.compare(dump, table: table, queries: ["region = 'eu west'"], label: "vacuumed")
        check.differences += DeltaInterop.historyDifferences(dump["history"], try table.history(), label: "vacuumed")
        #expect(check.differences.isEmpty, "\(check.differences.joined(separator: "\n"))")
        let failed = dump["versions"]?.arrayValue?.filter { $0["error"] != nil }.compactMap { $0["version"]?.int64Value } ?? []
        #expect(failed == [0, 1], "versions 0 and 1 lost files to vacuum: \(failed)")
        #expect(try table.history().prefix(2).compactMap(\.commitInfo?.operation) == ["VACUUM END", "VACUUM START"])
    }

    @Test("partitioned: overwrite with a predicate, delete, checkpoint, schema merge, compact")
    func partitioned() throws {
        let root = try Fixtures.scratchDirectory("interop-delta-part")
        defer { Fixtures.remove(root) }
        let schema = try StructType(ddl: InteropData.partitionedDDL)
        let evolved = try StructType(ddl: InteropData.partitionedEvolvedDDL)
        func rows(_ ids: Range<Int>, region: String? = nil, evolved: Bool = false) -> [JSONValue] {
            ids.map { InteropData.partitionedRow($0, region: region, evolved: evolved) }
        }
        let queries = FloeWritesDeltaReadsTests.partitionedQueries
        let results = try DeltaInterop.run(table: root, [
            DeltaInterop.write(schema, rows(0..<10), mode: "error", partitionBy: InteropData.partitionColumns), Self.sleep,  // v0
            DeltaInterop.write(schema, rows(10..<15)), Self.sleep,                                                             // v1
            DeltaInterop.write(schema, rows(30..<33, region: "us/east"), mode: "overwrite", predicate: "region = 'us/east'"), Self.sleep, // v2
            DeltaInterop.step("delete", ["predicate": .string("day = '2024-01-01'")]), Self.sleep,                            // v3
            DeltaInterop.step("checkpoint"),
            DeltaInterop.write(evolved, rows(40..<46, evolved: true), schemaMode: "merge"), Self.sleep,                       // v4
            DeltaInterop.write(evolved, rows(46..<50, evolved: true)), Self.sleep,                                             // v5
            DeltaInterop.step("compact"), Self.sleep,                                                                          // v6
            DeltaInterop.dump(queries: queries),
        ])
        for (i, r) in results.enumerated() where r["ok"]?.boolValue != true {
            Issue.record("step \(i) failed: \(r.jsonText)")
        }
        let table = Table(path: root)
        var check = DeltaInterop.DumpCheck()
        try check.compare(results[results.count - 1], table: table, queries: queries, label: "delta-rs partitioned")
        check.differences += DeltaInterop.historyDifferences(results[results.count - 1]["history"], try table.history(), label: "delta-rs partitioned")
        #expect(check.differences.isEmpty, "\(check.differences.joined(separator: "\n"))")
        #expect(check.beforeFirstCommit == 1)
        #expect(check.readings >= 14 && check.rows > 50, "\(check.readings) readings, \(check.rows) rows")
        #expect(try table.snapshot().version == 6)
    }
}

extension DeltaWritesFloeReadsTests {
    @Test("integer, boolean, timestamp, decimal, timestamp_ntz partitions; delta-rs's negative decimal partition values")
    func typedPartitions() throws {
        let root = try Fixtures.scratchDirectory("interop-delta-typed")
        defer { Fixtures.remove(root) }
        let schema = try StructType(ddl: InteropData.typedPartitionsDDL)
        let queries = FloeWritesDeltaReadsTests.typedQueries
        let results = try DeltaInterop.run(table: root, [
            DeltaInterop.write(schema, (0..<8).map { InteropData.typedPartitionsRow($0) }, mode: "error",
                               partitionBy: InteropData.typedPartitionColumns), Self.sleep,             // v0
            DeltaInterop.write(schema, (8..<12).map { InteropData.typedPartitionsRow($0) }), Self.sleep, // v1
            DeltaInterop.step("checkpoint"),
            DeltaInterop.dump(queries: queries),
            // delta-rs writes -1.50 as the partition value '-1.-50', commits it, then fails.
            DeltaInterop.write(schema, [InteropData.typedPartitionsRow(12, negative: true)]),          // v2
        ])
        for (i, r) in results.prefix(5).enumerated() where r["ok"]?.boolValue != true {
            Issue.record("step \(i) failed: \(r.jsonText)")
        }
        let table = Table(path: root)
        var check = DeltaInterop.DumpCheck()
        try check.compare(results[5], table: table, queries: queries, label: "delta-rs typed partitions")
        #expect(check.differences.isEmpty, "\(check.differences.joined(separator: "\n"))")
        #expect(check.readings >= 4 && check.rows > 15, "\(check.readings) readings, \(check.rows) rows")

        #expect(results[6]["ok"]?.boolValue == false && results[6]["error"]?.stringValue?.contains("-1.-50") == true,
                "\(results[6].jsonText.prefix(300))")
        // The commit landed; Floe refuses the malformed partition value, naming it.
        #expect(try table.latestVersion() == 2)
        #expect {
            _ = try table.scan(try table.snapshot(version: 2)).readAll()
        } throws: { error in
            guard let e = error as? DeltaError else { return false }
            return e.code == .corruptLog && e.message.contains("-1.-50") && e.message.contains("dec")
        }
    }
}

extension DeltaWritesFloeReadsTests {
    /// delta-rs 1.6.6 serializes a binary partition value as text with `\uXXXX` escapes
    /// (`b"\x00\x01/"` becomes the partition value `\u0000\u0001\u002F`) and reads that text back
    /// as the value's bytes, so the bytes written do not round-trip; Floe reads what the log says,
    /// as delta-rs does.
    @Test("binary partition values written by delta-rs read back as delta-rs reads them (escaped text)")
    func binaryPartitions() throws {
        let root = try Fixtures.scratchDirectory("interop-delta-binary")
        defer { Fixtures.remove(root) }
        let schema = try StructType(ddl: "id long, bin binary")
        let results = try DeltaInterop.run(table: root, [
            DeltaInterop.write(schema, [.object(["id": .int(1), "bin": .string("AAEv")]), .object(["id": .int(2), "bin": .null])],
                               mode: "error", partitionBy: ["bin"]),
            DeltaInterop.dump(timestamps: []),
        ])
        let table = Table(path: root)
        var check = DeltaInterop.DumpCheck()
        try check.compare(results[1], table: table, label: "binary partitions")
        #expect(check.differences.isEmpty, "\(check.differences.joined(separator: "\n"))")
        let values = try table.snapshot().activeFiles.compactMap { $0.partitionValues["bin"] ?? nil }
        #expect(values == ["\\u0000\\u0001\\u002F"])
        let rows = try DeltaInterop.encodeRows(try table.scan().readAll())
        #expect(rows.contains(.array([.int(1), .string(Data("\\u0000\\u0001\\u002F".utf8).base64EncodedString())])), "\(rows)")
    }
}

extension DeltaWritesFloeReadsTests {
    /// delta-rs writes an empty string partition value as `""` and its DataFusion reader returns
    /// `""`; Floe reads an empty partition value as null (as delta-rs's pyarrow path does, and as
    /// Floe writes empty values: null). The one row-level divergence of the matrix.
    @Test("empty string partition values written by delta-rs: delta-rs reads \"\", Floe null")
    func emptyStringPartition() throws {
        let root = try Fixtures.scratchDirectory("interop-delta-empty")
        defer { Fixtures.remove(root) }
        let schema = try StructType(ddl: "id long, s string")
        let results = try DeltaInterop.run(table: root, [
            DeltaInterop.write(schema, [.object(["id": .int(1), "s": .string("")]), .object(["id": .int(2), "s": .null])],
                               mode: "error", partitionBy: ["s"]),
            DeltaInterop.dump(versions: [0], timestamps: []),
        ])
        let deltaRows = DeltaInterop.sortedRows(results[1]["versions"]?.arrayValue?.first?["rows"]?.arrayValue ?? [])
        #expect(deltaRows == [.array([.int(1), .string("")]), .array([.int(2), .null])])
        let table = Table(path: root)
        #expect(try table.snapshot().activeFiles.contains { $0.partitionValues["s"] == .some("") })
        #expect(try DeltaInterop.encodeRows(try table.scan().readAll()) == [.array([.int(1), .null]), .array([.int(2), .null])])
    }
}
