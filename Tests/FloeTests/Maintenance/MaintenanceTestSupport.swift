import Foundation
import Testing
import FloeColumnar
@testable import Floe

/// Small partitioned tables for the optimize and vacuum tests.
enum MaintenanceFixtures {
    static let schema = StructType([
        StructField(name: "id", type: .long, nullable: false),
        StructField(name: "name", type: .string),
        StructField(name: "part", type: .string),
    ])

    static func batch(_ ids: Range<Int>, part: String) throws -> RecordBatch {
        let arrow = try schema.arrowSchema()
        return try RecordBatch(schema: arrow, columns: [
            try Column(ids.map { .int(Int64($0)) }, type: .int64),
            try Column(ids.map { $0 % 5 == 0 ? .null : .string("name-\($0)") }, type: .string),
            try Column(ids.map { _ in .string(part) }, type: .string),
        ])
    }

    /// A table partitioned by `part` with `appends` appends of 10 rows to each of `parts`; each
    /// append writes one small file per partition.
    static func table(in dir: String, parts: [String] = ["a", "b"], appends: Int = 4,
                      configuration: [String: String] = [:]) throws -> Table {
        let table = Table(path: dir)
        try table.create(schema: schema, partitionColumns: ["part"], configuration: configuration)
        var next = 0
        for _ in 0..<appends {
            var batches: [RecordBatch] = []
            for part in parts {
                batches.append(try batch(next..<(next + 10), part: part))
                next += 10
            }
            try table.append(batches)
        }
        return table
    }

    /// Every row of the latest snapshot as text, sorted.
    static func rows(_ table: Table) throws -> [String] {
        try table.scan().readAll().flatMap { batch in
            (0..<batch.count).map { r in batch.columns.map { "\($0.scalar(at: r))" }.joined(separator: "|") }
        }.sorted()
    }

    /// Paths of the Parquet files under `dir` (relative), hidden files excluded.
    static func parquetFiles(_ dir: String) -> Set<String> {
        let enumerator = FileManager.default.enumerator(atPath: dir)
        var found = Set<String>()
        while let path = enumerator?.nextObject() as? String {
            let name = (path as NSString).lastPathComponent
            if name.hasSuffix(".parquet") && !name.hasPrefix(".") && !path.hasPrefix("_delta_log") { found.insert(path) }
        }
        return found
    }

    /// The actions of commit `version`.
    static func actions(_ table: Table, version: Int64) throws -> [Action] {
        try Action.parseLines(try table.storage.read(LogFile.commitPath(version)), source: "commit")
    }
}
