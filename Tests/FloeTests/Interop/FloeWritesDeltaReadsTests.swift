import Foundation
import Testing
import FloeColumnar
@testable import Floe

/// Tables written by Floe's library API, read by delta-rs at every version, by version and by
/// timestamp: rows, schema, protocol, files and their statistics, filtered reads and history must
/// be what Floe itself reads. One Python process per test.
@Suite("Interop with delta-rs: Floe writes, delta-rs reads", .enabled(if: DeltaInterop.isAvailable, "needs FLOE_PYTHON with deltalake"))
struct FloeWritesDeltaReadsTests {
    /// Time between commits, so that times chosen between two commits are unambiguous for both
    /// readers (delta-rs uses commit file times, Floe in-commit timestamps when enabled).
    static let pause: TimeInterval = 0.03

    /// Conditions both DataFusion's SQL and Floe's predicates read alike, over the all-types
    /// columns (no float comparisons: NaN orders differently in the two engines).
    static let allTypesQueries = [
        "id >= 10", "i < 0", "str = 'plain 0'", "day < DATE '2000-01-01'", "ts > TIMESTAMP '2024-01-01T00:00:00Z'",
        "ntz < TIMESTAMP '2000-01-01 00:00:00'", "dec > 0", "flag = true", "b IS NULL", "d IS NOT NULL",
        // Microsecond values whose statistics are truncated to milliseconds.
        "ts = TIMESTAMP '2024-03-10T12:34:56.789012Z'", "ntz >= TIMESTAMP '2024-03-10 12:34:56.789012'",
    ]
    static let partitionedQueries = [
        "region = 'us/east'", "region IS NULL", "day = DATE '2024-01-01'", "amount > 20", "id < 3 OR region = '100%'",
        "ts >= TIMESTAMP '2024-05-03T00:00:00Z'",
    ]

    /// Midpoints between consecutive commit times (Floe's history), one second after the last,
    /// and one second before the first.
    static func travelTimes(_ history: [HistoryEntry]) -> [Int64] {
        let times = history.map(\.timestamp).sorted()
        guard let first = times.first, let last = times.last else { return [] }
        return [first - 1000] + zip(times, times.dropFirst()).map { ($0 + $1) / 2 } + [last + 1000]
    }

    @Test("every type, nested, schema evolution, overwrite, optimize, checkpoint; in-commit timestamps on")
    func allTypesWithInCommitTimestamps() throws {
        let root = try Fixtures.scratchDirectory("interop-floe-all")
        defer { Fixtures.remove(root) }
        let table = Table(path: root)
        let schema = try StructType(ddl: InteropData.allTypesDDL)
        let evolved = try StructType(ddl: InteropData.allTypesEvolvedDDL)
        try table.create(schema: schema, options: TableCreationOptions(inCommitTimestamps: true, name: "all_types"))
        func rows(_ ids: Range<Int>, evolved: Bool = false) -> [JSONValue] { ids.map { InteropData.allTypesRow($0, evolved: evolved) } }
        Thread.sleep(forTimeInterval: Self.pause)
        try table.append([try InteropData.batch(rows(0..<7), schema: schema)])
        Thread.sleep(forTimeInterval: Self.pause)
        try table.append([try InteropData.batch(rows(7..<12), schema: schema)])
        Thread.sleep(forTimeInterval: Self.pause)
        var merge = WriteOptions()
        merge.mergesSchema = true
        try table.append([try InteropData.batch(rows(12..<16, evolved: true), schema: evolved)], options: merge)
        Thread.sleep(forTimeInterval: Self.pause)
        try table.overwrite([try InteropData.batch(rows(20..<25, evolved: true), schema: evolved)])
        Thread.sleep(forTimeInterval: Self.pause)
        try table.append([try InteropData.batch(rows(25..<28, evolved: true), schema: evolved)])
        Thread.sleep(forTimeInterval: Self.pause)
        let optimized = try table.optimize()
        #expect(optimized.version == 6)
        try table.checkpoint()

        let history = try table.history()
        let results = try DeltaInterop.run(table: root, [DeltaInterop.dump(timestamps: Self.travelTimes(history), queries: Self.allTypesQueries, duckdb: TestPython.hasDuckDB)])
        var check = DeltaInterop.DumpCheck()
        try check.compare(results[0], table: table, queries: Self.allTypesQueries, label: "all types")
        check.differences += DeltaInterop.historyDifferences(results[0]["history"], history, label: "all types")
        #expect(check.differences.isEmpty, "\(check.differences.joined(separator: "\n"))")
        // 7 versions and 7 times (between commits and after the last) compared.
        #expect(check.readings == 14 && check.rows > 50, "\(check.readings) readings, \(check.rows) rows")
        // DuckDB (delta-kernel-rs) read every version too, with the same rows.
        #expect(check.duckdbReadings == 7)
        // delta-rs 1.6.6 travels to version 0 for a time before the first commit; Floe refuses it.
        #expect(check.beforeFirstCommit == 1)
    }

    @Test("partitioned, replaceWhere, schema evolution, optimize, automatic checkpoints; in-commit timestamps off; then delta-rs appends")
    func partitionedWithoutInCommitTimestamps() throws {
        let root = try Fixtures.scratchDirectory("interop-floe-part")
        defer { Fixtures.remove(root) }
        let table = Table(path: root)
        let schema = try StructType(ddl: InteropData.partitionedDDL)
        let evolved = try StructType(ddl: InteropData.partitionedEvolvedDDL)
        try table.create(schema: schema, partitionColumns: InteropData.partitionColumns,
                         configuration: ["delta.checkpointInterval": "2"],
                         options: TableCreationOptions(inCommitTimestamps: false))
        func rows(_ ids: Range<Int>, region: String? = nil, evolved: Bool = false) -> [JSONValue] {
            ids.map { InteropData.partitionedRow($0, region: region, evolved: evolved) }
        }
        Thread.sleep(forTimeInterval: Self.pause)
        try table.append([try InteropData.batch(rows(0..<10), schema: schema)])
        Thread.sleep(forTimeInterval: Self.pause)
        try table.append([try InteropData.batch(rows(10..<15), schema: schema)])
        Thread.sleep(forTimeInterval: Self.pause)
        try table.overwrite([try InteropData.batch(rows(30..<33, region: "us/east"), schema: schema)],
                            replaceWhere: try Condition(sql: "region = 'us/east'"))
        Thread.sleep(forTimeInterval: Self.pause)
        var merge = WriteOptions()
        merge.mergesSchema = true
        try table.append([try InteropData.batch(rows(40..<44, evolved: true), schema: evolved)], options: merge)
        Thread.sleep(forTimeInterval: Self.pause)
        #expect(try table.optimize().version == 5)
        try table.checkpoint()
        let log = try FileManager.default.contentsOfDirectory(atPath: root + "/_delta_log")
        #expect(log.contains((LogFile.versionPrefix(2) + ".checkpoint.parquet")) && log.contains((LogFile.versionPrefix(4) + ".checkpoint.parquet")) && log.contains((LogFile.versionPrefix(5) + ".checkpoint.parquet")),
                "automatic checkpoints at 2 and 4, explicit at 5: \(log.sorted())")
        Thread.sleep(forTimeInterval: Self.pause)

        let history = try table.history()
        let appended = (50..<55).map { InteropData.partitionedRow($0, evolved: true) }
        let results = try DeltaInterop.run(table: root, [
            DeltaInterop.dump(timestamps: nil, queries: Self.partitionedQueries, duckdb: TestPython.hasDuckDB),
            DeltaInterop.write(evolved, appended),
            DeltaInterop.dump(latestOnly: true, queries: Self.partitionedQueries, duckdb: TestPython.hasDuckDB),
        ])
        var check = DeltaInterop.DumpCheck()
        try check.compare(results[0], table: table, queries: Self.partitionedQueries, label: "partitioned")
        check.differences += DeltaInterop.historyDifferences(results[0]["history"], history, label: "partitioned")
        #expect(check.differences.isEmpty, "\(check.differences.joined(separator: "\n"))")
        #expect(check.beforeFirstCommit == 1)
        // 6 versions and 6 times (between commits and after the last) compared.
        #expect(check.readings == 12 && check.rows > 50, "\(check.readings) readings, \(check.rows) rows")
        #expect(check.duckdbReadings == 6)
        // Without in-commit timestamps Floe's history time is the commit file's time (as Spark's);
        // delta-rs reports commitInfo.timestamp.
        for entry in history {
            let file = root + "/_delta_log/" + LogFile.commitName(entry.version)
            let mtime = try #require(try FileManager.default.attributesOfItem(atPath: file)[.modificationDate] as? Date)
            #expect(entry.timestamp == Int64((mtime.timeIntervalSince1970 * 1000).rounded(.down)))
        }

        // delta-rs appended to the Floe table (writer version 2); Floe reads what delta-rs reads.
        #expect(results[1]["ok"]?.boolValue == true, "\(results[1].jsonText)")
        #expect(results[1]["version"]?.int64Value == 6)
        var after = DeltaInterop.DumpCheck()
        try after.compare(results[2], table: table, queries: Self.partitionedQueries, label: "after delta-rs append")
        #expect(after.differences.isEmpty, "\(after.differences.joined(separator: "\n"))")
        #expect(after.duckdbReadings == 1)
        let latest = try table.snapshot()
        #expect(latest.version == 6 && latest.commitInfo?.operation == "WRITE")
        // 15 rows, the 3 of 'us/east' replaced by 3, then 4 and 5 appended.
        #expect(try table.scan().readAll().reduce(0) { $0 + $1.count } == 15 - 3 + 3 + 4 + 5)
    }
}

extension FloeWritesDeltaReadsTests {
    static let typedQueries = ["n = -5", "flag = true", "ts < TIMESTAMP '2000-01-01T00:00:00Z'", "dec > 2", "ntz IS NULL", "`col with space` = 'v 1'"]

    @Test("integer, boolean, timestamp, decimal and timestamp_ntz partitions, quoted column names, stats_parsed checkpoint")
    func typedPartitions() throws {
        let root = try Fixtures.scratchDirectory("interop-floe-typed")
        defer { Fixtures.remove(root) }
        let table = Table(path: root)
        let schema = try StructType(ddl: InteropData.typedPartitionsDDL)
        try table.create(schema: schema, partitionColumns: InteropData.typedPartitionColumns,
                         configuration: ["delta.checkpoint.writeStatsAsStruct": "true"],
                         options: TableCreationOptions(inCommitTimestamps: false))
        Thread.sleep(forTimeInterval: Self.pause)
        try table.append([try InteropData.batch((0..<8).map { InteropData.typedPartitionsRow($0) }, schema: schema)])
        Thread.sleep(forTimeInterval: Self.pause)
        try table.append([try InteropData.batch((8..<12).map { InteropData.typedPartitionsRow($0) }, schema: schema)])
        try table.checkpoint()
        Thread.sleep(forTimeInterval: Self.pause)
        // A negative decimal partition value: DataFusion reads it, delta-rs's pyarrow path does not.
        try table.append([try InteropData.batch([InteropData.typedPartitionsRow(12, negative: true)], schema: schema)])
        Thread.sleep(forTimeInterval: Self.pause)

        let results = try DeltaInterop.run(table: root, [
            DeltaInterop.dump(queries: Self.typedQueries, duckdb: TestPython.hasDuckDB),
            DeltaInterop.step("pyarrowRead"),
        ])
        var check = DeltaInterop.DumpCheck()
        try check.compare(results[0], table: table, queries: Self.typedQueries, label: "typed partitions")
        check.differences += DeltaInterop.historyDifferences(results[0]["history"], try table.history(), label: "typed partitions")
        #expect(check.differences.isEmpty, "\(check.differences.joined(separator: "\n"))")
        #expect(check.readings == 8 && check.rows > 20, "\(check.readings) readings, \(check.rows) rows")
        #expect(check.duckdbReadings == 4)
        // delta-rs 1.6.6's pyarrow dataset path formats the partition value -1.50 as '-1.-50'.
        #expect(results[1]["ok"]?.boolValue == false && results[1]["error"]?.stringValue?.contains("-1.-50") == true,
                "\(results[1].jsonText.prefix(300))")
    }
}
