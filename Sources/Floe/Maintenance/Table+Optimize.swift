import Foundation
import FloeColumnar
import FloeParquet

extension Table {
    /// Compacts small data files: within each partition, files smaller than `targetFileSize` are
    /// bin-packed (smallest first, each bin up to `targetFileSize` bytes of input) and every bin of
    /// two or more files is rewritten as one file. The rewrite is committed as one `OPTIMIZE`
    /// version that removes the old files and adds the new ones with `dataChange=false`, so readers
    /// of the change data feed and streaming readers see no change; rows, their values and the
    /// table's data are unchanged (row order within a partition may change).
    ///
    /// Concurrency: the commit conflicts only with writers that removed one of the compacted files
    /// meanwhile (a delete, overwrite or another compaction) or changed the protocol or metadata;
    /// concurrent appends do not conflict. On a conflict the new files are deleted again.
    ///
    /// - Parameters:
    ///   - snapshot: The version to compact (default: the latest).
    ///   - targetFileSize: The size in bytes files are packed up to (default 128 MiB).
    ///   - predicate: Compacts only the partitions it selects; it may refer only to partition
    ///     columns.
    ///   - options: Commit retry policy.
    /// - Returns: What was compacted; ``OptimizeResult/version`` is nil when nothing was.
    /// - Throws: ``DeltaError/Code/invalidArgument`` for a non-positive target or a predicate on
    ///   non-partition columns; ``DeltaError/Code/unsupportedFeature`` when Floe cannot write the
    ///   table; ``DeltaError/Code/conflict``; read and write errors.
    @discardableResult
    public func optimize(_ snapshot: Snapshot? = nil, targetFileSize: Int64 = 128 * 1024 * 1024, where predicate: Condition? = nil,
                         commit options: CommitOptions = CommitOptions()) throws -> OptimizeResult {
        guard targetFileSize > 0 else {
            throw DeltaError(.invalidArgument, "the optimize target file size must be positive, got \(targetFileSize)")
        }
        let snapshot = try snapshot ?? self.snapshot()
        let partitionColumns = snapshot.partitionColumns
        if let predicate {
            for name in predicate.columnNames.sorted() {
                let top = String(name.split(separator: ".", maxSplits: 1).first ?? Substring(name))
                guard partitionColumns.contains(where: { $0.lowercased() == top.lowercased() }) else {
                    let allowed = partitionColumns.isEmpty ? "the table has none" : partitionColumns.joined(separator: ", ")
                    throw DeltaError(.invalidArgument, "an optimize condition may refer only to partition columns (\(allowed)); '\(name)' is not one")
                }
            }
        }
        // Refuse tables Floe cannot write before writing any file.
        try Snapshot.validateReadable(snapshot.protocol, table: root)
        try Transaction.validateWritable(snapshot.protocol, metadata: snapshot.metadata, addsData: false, table: root)

        let considered = try Scan(snapshot: snapshot, storage: storage, columns: nil, predicate: predicate).files()
        let bins = Self.binPack(considered, targetFileSize: targetFileSize)
        let binned = bins.reduce(0) { $0 + $1.count }
        guard !bins.isEmpty else {
            return OptimizeResult(version: nil, compactions: [], consideredFiles: considered.count, skippedFiles: considered.count)
        }

        // Rewrite each bin, reading through the scan machinery (conformed columns, row counts checked).
        let reader = try Scan(snapshot: snapshot, storage: storage, columns: nil, predicate: nil)
        var added: [(AddFile, [ScanFile], Int64)] = []
        do {
            for bin in bins {
                guard let first = bin.first else { continue }
                let writer = try CompactionWriter(table: self, snapshot: snapshot, partitionValues: first.add.partitionValues,
                                                  options: ParquetWriteOptions())
                var rows: Int64 = 0
                do {
                    for file in bin {
                        var batches = try FileBatches(scan: reader, file: file)
                        while let batch = try batches.next() {
                            try writer.append(batch)
                            rows += Int64(batch.count)
                        }
                    }
                    added.append((try writer.finish(), bin, rows))
                } catch {
                    writer.abort()
                    throw error
                }
            }
        } catch {
            deleteUncommitted(added.map(\.0))
            throw error
        }

        var transaction = self.transaction(from: snapshot, operation: "OPTIMIZE")
        for (add, bin, _) in added {
            for file in bin { transaction.remove(file.add, dataChange: false) }
            transaction.add(add)
        }
        // Refreshed (and synced) at publication, so vacuum sees them as files of a commit in flight.
        transaction.unsyncedPaths += added.map { PathCoding.decodeURIPath($0.0.path) }
        let compactions = added.map { add, bin, rows in
            OptimizeResult.Compaction(partitionValues: add.partitionValues, removedFiles: bin.map(\.add.path),
                                      removedBytes: bin.map(\.add.size).saturatingSum(), addedFile: add.path, addedBytes: add.size, rows: rows)
        }
        let sizes = added.map(\.0.size)
        transaction.operationParameters["predicate"] = JSONValue.array(predicate.map { [.string(ConditionText.render($0))] } ?? []).jsonText
        transaction.operationParameters["zOrderBy"] = "[]"
        transaction.operationParameters["targetSize"] = String(targetFileSize)
        transaction.operationMetrics["numRemovedFiles"] = String(binned)
        transaction.operationMetrics["numAddedFiles"] = String(added.count)
        transaction.operationMetrics["numRemovedBytes"] = String(compactions.map(\.removedBytes).saturatingSum())
        transaction.operationMetrics["numAddedBytes"] = String(sizes.saturatingSum())
        transaction.operationMetrics["minFileSize"] = String(sizes.min() ?? 0)
        transaction.operationMetrics["maxFileSize"] = String(sizes.max() ?? 0)
        transaction.operationMetrics["numPartitionsOptimized"] = String(Set(added.map(\.0.partitionValues)).count)
        transaction.operationMetrics["totalConsideredFiles"] = String(considered.count)
        transaction.operationMetrics["totalFilesSkipped"] = String(considered.count - binned)
        let result: CommitResult
        do {
            result = try transaction.commit(options: options)
        } catch let error as DeltaError where error.code == .commitNotDurable {
            throw error  // published: the new files are referenced
        } catch {
            // Nothing references the new files: the commit was refused or failed before publication.
            deleteUncommitted(added.map(\.0))
            throw error
        }
        return OptimizeResult(version: result.version, compactions: compactions, consideredFiles: considered.count,
                              skippedFiles: considered.count - binned)
    }

    /// Groups `files` by partition (in the order partitions first appear) and packs each group's
    /// files smaller than `targetFileSize` (without deletion vectors), smallest first, into bins of
    /// at most `targetFileSize` bytes (a bin holds at least one file). Bins of one file are dropped:
    /// rewriting a file alone gains nothing.
    static func binPack(_ files: [ScanFile], targetFileSize: Int64) -> [[ScanFile]] {
        var groups: [[String: String?]: [ScanFile]] = [:]
        var order: [[String: String?]] = []
        for file in files where file.add.size < targetFileSize && file.add.deletionVector == nil {
            if groups[file.add.partitionValues] == nil { order.append(file.add.partitionValues) }
            groups[file.add.partitionValues, default: []].append(file)
        }
        var bins: [[ScanFile]] = []
        for key in order {
            let sorted = (groups[key] ?? []).sorted { ($0.add.size, $0.add.path) < ($1.add.size, $1.add.path) }
            var bin: [ScanFile] = []
            var size: Int64 = 0
            for file in sorted {
                if !bin.isEmpty && size.saturatingAdding(file.add.size) > targetFileSize {
                    if bin.count > 1 { bins.append(bin) }
                    bin = []
                    size = 0
                }
                bin.append(file)
                size = size.saturatingAdding(file.add.size)
            }
            if bin.count > 1 { bins.append(bin) }
        }
        return bins
    }

    /// Best-effort deletion of data files that no commit references.
    func deleteUncommitted(_ files: [AddFile]) {
        for file in files { try? storage.delete(file.decodedPath) }
    }
}

/// SQL-like text of a ``Condition`` for commit parameters, e.g. `part = 'a' AND n > 1`.
enum ConditionText {
    static func render(_ condition: Condition) -> String {
        switch condition {
        case .comparison(let column, let op, let value): return column + " " + op.rawValue + " " + literal(value)
        case .isIn(let column, let values): return column + " IN (" + values.map(literal).joined(separator: ", ") + ")"
        case .isNull(let column): return column + " IS NULL"
        case .isNotNull(let column): return column + " IS NOT NULL"
        case .and(let parts): return parts.map { "(" + render($0) + ")" }.joined(separator: " AND ")
        case .or(let parts): return parts.map { "(" + render($0) + ")" }.joined(separator: " OR ")
        case .not(let part): return "NOT (" + render(part) + ")"
        case .constant(let b): return b ? "TRUE" : "FALSE"
        }
    }

    static func literal(_ value: Scalar) -> String {
        switch value {
        case .null: "NULL"
        case .bool(let b): b ? "TRUE" : "FALSE"
        case .int(let v): String(v)
        case .uint(let v): String(v)
        case .float(let d): "\(d)"
        case .decimal(let v): String(v)
        case .string(let s): "'" + s.replacingOccurrences(of: "'", with: "''") + "'"
        case .binary(let b): "X'" + b.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined() + "'"
        default: "\(value)"
        }
    }
}
