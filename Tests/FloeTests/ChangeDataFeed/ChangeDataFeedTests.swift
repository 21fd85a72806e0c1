import Foundation
import Testing
import FloeColumnar
@testable import Floe

/// Rows of a change data feed as comparable text, one string per row:
/// `column=value|…` in column order, values as in the CLI text encoding.
enum ChangeRows {
    static func text(_ value: Scalar, _ type: DataType) -> String {
        switch (value, type) {
        case (.null, _): return "null"
        case (.int(let v), .date32): return Temporal.formatDate(days: v)
        case (.int(let v), .timestamp): return String(v / 1000)  // milliseconds
        case (.int(let v), _): return String(v)
        case (.float(let d), _): return "\(d)"
        case (.bool(let b), _): return b ? "true" : "false"
        case (.string(let s), _): return s
        default: return "\(value)"
        }
    }

    /// The rows of Floe batches; `columns` limits and orders the columns compared.
    static func floe(_ batches: [RecordBatch], columns: [String]) -> [String] {
        var rows: [String] = []
        for batch in batches {
            for r in 0..<batch.count {
                rows.append(columns.map { name -> String in
                    guard let i = batch.schema.index(of: name) else { return name + "=absent" }
                    return name + "=" + text(batch.columns[i].scalar(at: r), batch.schema.fields[i].dataType)
                }.joined(separator: "|"))
            }
        }
        return rows.sorted()
    }

    /// The rows delta-rs's `load_cdf` returns, from the JSON the script prints.
    static func deltaRS(_ json: JSONValue, columns: [String]) -> [String] {
        (json.arrayValue ?? []).map { row in
            let object = row.objectValue
            return columns.map { name -> String in
                let value: String
                switch object?[name] {
                case .none: value = "absent"
                case .null?: value = "null"
                case .bool(let b)?: value = b ? "true" : "false"
                case .number(let n)?: value = n.int64Value.map(String.init) ?? n.doubleValue.map { "\($0)" } ?? n.text
                case .string(let s)?: value = s
                default: value = "?"
                }
                return name + "=" + value
            }.joined(separator: "|")
        }.sorted()
    }
}

/// `load_cdf` of delta-rs, with `_commit_timestamp` as epoch milliseconds and dates as text.
let loadCDFScript = #"""
import sys, json, datetime
import pyarrow as pa, pyarrow.compute as pc
from deltalake import DeltaTable
root, start = sys.argv[1], int(sys.argv[2])
t = pa.table(DeltaTable(root).load_cdf(starting_version=start))
i = t.schema.get_field_index("_commit_timestamp")
t = t.set_column(i, "_commit_timestamp", pc.cast(pc.cast(t["_commit_timestamp"], pa.timestamp("ms")), pa.int64()))
def plain(v):
    if isinstance(v, (datetime.date, datetime.datetime)): return v.isoformat()
    return v
print(json.dumps([{k: plain(v) for k, v in r.items()} for r in t.to_pylist()]))
"""#

@Suite struct ChangeDataFeedTests {
    static let goldenTables: [(name: String, start: Int64)] = [
        ("cdf-table", 0), ("cdf-table", 2), ("cdf-table-non-partitioned", 0), ("simple_table_with_cdc", 0),
        ("cdc_ict_table", 0), ("checkpoint-cdf-table", 3),
    ]

    @Test(.enabled(if: Fixtures.goldenAvailable && TestPython.hasDeltalake, "needs ../shared/golden and deltalake"),
          arguments: goldenTables.map { "\($0.name)@\($0.start)" })
    func goldenTablesMatchDeltaRS(_ spec: String) throws {
        let parts = spec.split(separator: "@")
        let name = String(parts[0]), start = Int64(parts[1]) ?? 0
        let root = Fixtures.golden(name)
        let table = Table(path: root)
        let batches = try table.changes(from: start)
        let schema = try #require(batches.first?.schema)
        let columns = schema.fields.map(\.name).filter { $0 != ChangeFeed.commitTimestampColumn }
        #expect(Array(schema.fields.suffix(3).map(\.name)) == ["_change_type", "_commit_version", "_commit_timestamp"])
        let expected = try TestPython.json(loadCDFScript, [root, String(start)])
        #expect(ChangeRows.floe(batches, columns: columns) == ChangeRows.deltaRS(expected, columns: columns))

        // Timestamps: in-commit timestamps where enabled (delta-rs uses them too), else the commit
        // files' (monotonized) modification times.
        let snapshot = try table.snapshot()
        if snapshot.isInCommitTimestampEnabled {
            let withTime = columns + [ChangeFeed.commitTimestampColumn]
            #expect(ChangeRows.floe(batches, columns: withTime) == ChangeRows.deltaRS(expected, columns: withTime))
        } else {
            let listing = try LogListing(storage: table.storage, startingAt: nil)
            let times = Table.monotonicCommitTimes(listing, through: snapshot.version)
            for batch in batches {
                let versions = try #require(batch.column(named: "_commit_version"))
                let stamps = try #require(batch.column(named: "_commit_timestamp"))
                for r in 0..<batch.count {
                    guard case .int(let v) = versions.scalar(at: r), case .int(let t) = stamps.scalar(at: r) else { continue }
                    #expect(times[v].map { $0 * 1000 } == t)
                }
            }
        }
    }

    @Test(.enabled(if: Fixtures.goldenAvailable, "needs ../shared/golden"))
    func rangesAndDisabledFeedsAreClearErrors() throws {
        let cdf = Table(path: Fixtures.golden("cdf-table"))  // versions 0...3
        #expect { try cdf.changes(from: 4) } throws: { ($0 as? DeltaError)?.code == .versionNotFound }
        #expect { try cdf.changes(from: 0, to: 9) } throws: { ($0 as? DeltaError)?.code == .versionNotFound }
        #expect { try cdf.changes(from: 2, to: 1) } throws: { ($0 as? DeltaError)?.code == .invalidArgument }
        #expect { try cdf.changes(from: -1) } throws: { ($0 as? DeltaError)?.code == .invalidArgument }
        // Commits 0...2 were cleaned up (the log starts at the checkpoint of version 3).
        #expect { try Table(path: Fixtures.golden("checkpoint-cdf-table")).changes(from: 1) } throws: { error in
            guard let e = error as? DeltaError else { return false }
            return e.code == .versionNotFound && e.message.contains("no longer in the log")
        }
        #expect { try Table(path: Fixtures.golden("simple_table")).changes(from: 0) } throws: { error in
            guard let e = error as? DeltaError else { return false }
            return e.code == .unsupportedFeature && e.message.contains("delta.enableChangeDataFeed")
        }
        // One version: the DELETE of version 3 (from its change data file).
        let last = try cdf.changes(from: 3, to: 3)
        #expect(ChangeRows.floe(last, columns: ["id", "_change_type", "_commit_version"]) == ["id=7|_change_type=delete|_commit_version=3"])
    }

    static let schema = StructType([
        StructField(name: "id", type: .long, nullable: false),
        StructField(name: "name", type: .string),
        StructField(name: "part", type: .string),
    ])

    static func batch(_ ids: [Int], part: String) throws -> RecordBatch {
        let arrow = try schema.arrowSchema()
        return try RecordBatch(schema: arrow, columns: [
            try Column(ids.map { .int(Int64($0)) }, type: .int64),
            try Column(ids.map { .string("n\($0)") }, type: .string),
            try Column(ids.map { _ in .string(part) }, type: .string),
        ])
    }

    @Test func floeWrittenTablesReportAppendsAndOverwrites() throws {
        let dir = try Fixtures.scratchDirectory("cdf")
        defer { Fixtures.remove(dir) }
        let table = Table(path: dir)
        try table.create(schema: Self.schema, partitionColumns: ["part"], configuration: ["delta.enableChangeDataFeed": "true"])
        try table.append([try Self.batch([1, 2], part: "a"), try Self.batch([3], part: "b")])  // v1
        try table.append([try Self.batch([4], part: "b")])  // v2
        try table.overwrite([try Self.batch([5, 6], part: "b")],
                            replaceWhere: .comparison(column: "part", op: .equal, value: .string("b")))  // v3
        var feed = try table.changeFeed(from: 0)
        #expect(feed.startVersion == 0 && feed.endVersion == 3 && feed.fileCount == 6)
        var batches: [RecordBatch] = []
        while let batch = try feed.next() { batches.append(batch) }
        #expect(batches.count == 6)  // one per file: streamed, not concatenated
        #expect(ChangeRows.floe(batches, columns: ["id", "part", "_change_type", "_commit_version"]) == [
            "id=1|part=a|_change_type=insert|_commit_version=1",
            "id=2|part=a|_change_type=insert|_commit_version=1",
            "id=3|part=b|_change_type=delete|_commit_version=3",
            "id=3|part=b|_change_type=insert|_commit_version=1",
            "id=4|part=b|_change_type=delete|_commit_version=3",
            "id=4|part=b|_change_type=insert|_commit_version=2",
            "id=5|part=b|_change_type=insert|_commit_version=3",
            "id=6|part=b|_change_type=insert|_commit_version=3",
        ])
        // Commit timestamps are the versions' (in-commit) timestamps.
        for batch in batches {
            guard case .int(let version) = batch.column(named: "_commit_version")?.scalar(at: 0),
                  case .int(let micros) = batch.column(named: "_commit_timestamp")?.scalar(at: 0) else {
                Issue.record("missing change columns")
                continue
            }
            #expect(micros == (try table.snapshot(version: version).timestamp) * 1000)
        }
        // A later range only.
        #expect(try table.changes(from: 2, to: 2).reduce(0) { $0 + $1.count } == 1)
    }

    @Test func versionsBeforeTheFeedWasEnabledAreRefused() throws {
        let dir = try Fixtures.scratchDirectory("cdf-off")
        defer { Fixtures.remove(dir) }
        let table = Table(path: dir)
        try table.create(schema: Self.schema, partitionColumns: ["part"])
        try table.append([try Self.batch([1], part: "a")])  // v1, feed off
        var transaction = try table.transaction(operation: "SET TBLPROPERTIES")
        var metadata = try table.snapshot().metadata
        metadata.configuration["delta.enableChangeDataFeed"] = "true"
        try transaction.updateMetadata(metadata)
        try transaction.commit()  // v2
        try table.append([try Self.batch([2], part: "a")])  // v3
        #expect { try table.changes(from: 1) } throws: { ($0 as? DeltaError)?.code == .unsupportedFeature }
        let rows = ChangeRows.floe(try table.changes(from: 2), columns: ["id", "_change_type", "_commit_version"])
        #expect(rows == ["id=2|_change_type=insert|_commit_version=3"])
    }
}
