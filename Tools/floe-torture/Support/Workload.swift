import Foundation
import Floe
import FloeColumnar

/// The torture table and its rows.
///
/// Every append is one *batch* `(writer, batch)` of a known number of rows with unique ids
/// `writer * 10^9 + batch * 10^5 + row`, so an audit can tell complete batches from partial ones,
/// duplicates from re-sends, and acknowledged appends from lost ones.
enum Workload {
    static let ddl = "id long not null, writer int not null, batch int not null, pad string"

    /// Creates the table; `checkpointInterval` small makes automatic checkpoints frequent.
    static func create(at path: String, checkpointInterval: Int = 10) throws {
        try Table(path: path).create(schema: try StructType(ddl: ddl),
                                     configuration: ["delta.checkpointInterval": String(checkpointInterval)])
    }

    static func id(writer: Int, batch: Int, row: Int) -> Int64 {
        Int64(writer) * 1_000_000_000 + Int64(batch) * 100_000 + Int64(row)
    }

    /// The rows of one batch; `padBytes` > 0 adds that many random (incompressible) hex characters
    /// per row.
    static func batch(writer: Int, batch: Int, rows: Int, padBytes: Int, schema: Schema) throws -> RecordBatch {
        var ids: [Scalar] = [], writers: [Scalar] = [], batches: [Scalar] = [], pads: [Scalar] = []
        for row in 0..<rows {
            ids.append(.int(id(writer: writer, batch: batch, row: row)))
            writers.append(.int(Int64(writer)))
            batches.append(.int(Int64(batch)))
            pads.append(padBytes > 0 ? .string(randomHex(padBytes)) : .null)
        }
        let columns = try zip([ids, writers, batches, pads], schema.fields).map { try Column($0, type: $1.dataType) }
        return try RecordBatch(schema: schema, columns: columns)
    }

    /// The rows of one batch as ndjson (for `floe append`).
    static func ndjson(writer: Int, batch: Int, rows: Int) -> String {
        (0..<rows).map { row in
            "{\"id\":\(id(writer: writer, batch: batch, row: row)),\"writer\":\(writer),\"batch\":\(batch)}\n"
        }.joined()
    }

    static func randomHex(_ count: Int) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var bytes = [UInt8](repeating: 0, count: count)
        for i in 0..<count { bytes[i] = digits[Int.random(in: 0..<16)] }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// A batch's identity.
struct BatchKey: Hashable, Comparable, CustomStringConvertible {
    var writer: Int
    var batch: Int
    static func < (a: BatchKey, b: BatchKey) -> Bool { (a.writer, a.batch) < (b.writer, b.batch) }
    var description: String { "writer \(writer) batch \(batch)" }
}

/// What one snapshot of the torture table holds.
struct TableContents {
    var version: Int64
    var rows = 0
    /// Rows per batch.
    var batches: [BatchKey: Int] = [:]
    var duplicateIDs = 0
    var activeFiles = 0

    /// Scans `snapshot` completely.
    init(table: Table, snapshot: Snapshot) throws {
        version = snapshot.version
        activeFiles = snapshot.activeFiles.count
        var ids = Set<Int64>()
        var scanned = try table.scan(snapshot, columns: ["id", "writer", "batch"]).batches()
        while let batch = try scanned.next() {
            let idColumn = batch.columns[0], writerColumn = batch.columns[1], batchColumn = batch.columns[2]
            for row in 0..<batch.count {
                guard case .int(let id) = idColumn.scalar(at: row), case .int(let w) = writerColumn.scalar(at: row),
                      case .int(let b) = batchColumn.scalar(at: row) else {
                    throw TortureFailure("row \(row) of version \(snapshot.version) has a null or non-integer id/writer/batch")
                }
                if !ids.insert(id).inserted { duplicateIDs += 1 }
                batches[BatchKey(writer: Int(w), batch: Int(b)), default: 0] += 1
            }
            rows += batch.count
        }
    }

    /// Batches whose row count is not `expected(key)`.
    func incompleteBatches(expected: (BatchKey) -> Int) -> [BatchKey] {
        batches.filter { $0.value != expected($0.key) }.map(\.key).sorted()
    }
}

/// An invariant the torture found broken (or a scenario that could not run).
struct TortureFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Checks of a table directory on disk.
enum TableFiles {
    /// The commit versions in `_delta_log`, sorted.
    static func commitVersions(_ root: String) -> [Int64] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root + "/_delta_log")) ?? []
        return names.compactMap { name -> Int64? in
            guard name.hasSuffix(".json"), name.count == 25 else { return nil }
            return Int64(name.prefix(20))
        }.sorted()
    }

    /// A gap or a missing version 0 in the commit versions, described; `nil` when contiguous.
    static func gap(in versions: [Int64]) -> String? {
        guard let first = versions.first else { return "no commits" }
        if first != 0 { return "the first commit is version \(first)" }
        for (a, b) in zip(versions, versions.dropFirst()) where b != a + 1 {
            return "versions jump from \(a) to \(b)"
        }
        return nil
    }

    /// Moves the modification time of every file and directory of the table `seconds` into the
    /// past, as if the table had been left alone that long: vacuum never deletes files modified in
    /// the minute before it starts (commits in flight), so a check that vacuum removes exactly the
    /// orphans a moment after a crash ages the table first.
    static func age(_ root: String, bySeconds seconds: TimeInterval = 120) {
        let manager = FileManager.default
        var paths = [root]
        if let enumerator = manager.enumerator(atPath: root) {
            while let path = enumerator.nextObject() as? String { paths.append(root + "/" + path) }
        }
        for path in paths {
            guard let date = (try? manager.attributesOfItem(atPath: path))?[.modificationDate] as? Date else { continue }
            try? manager.setAttributes([.modificationDate: date.addingTimeInterval(-seconds)], ofItemAtPath: path)
        }
    }

    /// The data files (`*.parquet`, not hidden) directly in the table root.
    static func dataFiles(_ root: String) -> Set<String> {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return Set(names.filter { $0.hasSuffix(".parquet") && !$0.hasPrefix(".") })
    }

    /// Temporary files left by killed writers: data files being written (`.part-*.floe-tmp-*`) and
    /// commits or checkpoints being published (`_delta_log/.*.tmp`).
    static func temporaryFiles(_ root: String) -> (data: Int, log: Int) {
        let data = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).filter { $0.hasPrefix(".part-") }
        let log = ((try? FileManager.default.contentsOfDirectory(atPath: root + "/_delta_log")) ?? []).filter {
            $0.hasPrefix(".") && $0.hasSuffix(".tmp")
        }
        return (data.count, log.count)
    }
}
