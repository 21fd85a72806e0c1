import Foundation
import FloeColumnar
import FloeParquet

extension Table {
    /// Appends `batches` to the table as one atomic commit.
    @discardableResult
    public func append(_ batches: [RecordBatch], options: WriteOptions = WriteOptions()) throws -> WriteResult {
        var o = options
        o.mode = .append
        return try write(batches, options: o)
    }

    /// Replaces the table's rows (or those matching `replaceWhere`) with `batches`, atomically.
    @discardableResult
    public func overwrite(_ batches: [RecordBatch], replaceWhere: Condition? = nil,
                          options: WriteOptions = WriteOptions()) throws -> WriteResult {
        var o = options
        o.mode = .overwrite
        o.replaceWhere = replaceWhere
        return try write(batches, options: o)
    }

    /// Writes `batches` as Parquet data files and commits them in one transaction.
    ///
    /// Data files are written completely and synced before the commit that references them; a
    /// failed or refused write commits nothing and deletes the files it wrote (only a crash leaves
    /// them, for `vacuum`; after ``DeltaError/Code/commitNotDurable`` they are referenced and kept).
    /// Schema enforcement: every batch must have the table's columns (matched by name; missing
    /// nullable columns are filled with nulls; types may widen to the table's, e.g. int → long);
    /// extra columns are refused unless ``WriteOptions/mergesSchema``; a null in a NOT NULL column is
    /// refused naming the column and row. Every row is checked against the table's CHECK constraints
    /// and column invariants (``TableConstraint``) before any file is written; a violation is refused
    /// with ``DeltaError/Code/constraintViolation`` naming the constraint, its columns' values and
    /// the row. Rows are numbered from 1 across all of `batches`.
    @discardableResult
    public func write(_ batches: [RecordBatch], options: WriteOptions = WriteOptions()) throws -> WriteResult {
        let snapshot = try latestSnapshot()
        if let app = options.applicationTransaction, let recorded = try snapshot.recordedTransactionVersion(for: app.appID), app.version <= recorded {
            return WriteResult(version: snapshot.version, isSkipped: true, filesAdded: 0, filesRemoved: 0, rowsWritten: 0, bytesWritten: 0)
        }
        // Columns match table columns ignoring case, so names differing only in case are ambiguous.
        for batch in batches { try WriteConformer.checkDistinctNames(batch.schema.fields, path: nil) }
        var transaction = self.transaction(from: snapshot, operation: options.operation ?? (options.applicationTransaction != nil ? "STREAMING UPDATE" : "WRITE"))
        var schema = snapshot.schema
        if options.mergesSchema {
            for batch in batches { try transaction.mergeSchema(try StructType(arrow: batch.schema)) }
            schema = try transaction.effectiveMetadata?.schema() ?? schema
        }
        let tableSchema = try schema.arrowSchema()
        var conformed: [RecordBatch] = []
        var rowOffset = 0
        for batch in batches {
            conformed.append(try WriteConformer.conform(batch, to: tableSchema, firstRow: rowOffset, options: options))
            rowOffset += batch.count
        }
        if let condition = options.replaceWhere {
            guard options.mode == .overwrite else {
                throw DeltaError(.invalidArgument, "replaceWhere applies only to overwrites")
            }
            let names = condition.columnNames.map { String($0.split(separator: ".").first ?? "") }
            for name in names where !snapshot.partitionColumns.contains(name) {
                throw DeltaError(.invalidArgument, "replaceWhere may only refer to partition columns (\(snapshot.partitionColumns.joined(separator: ", "))); '\(name)' is not one")
            }
            let bound = try condition.bound(to: tableSchema)
            for (i, batch) in conformed.enumerated() {
                let mask = try bound.evaluate(batch)
                if let bad = mask.firstIndex(of: false) {
                    let row = conformed[..<i].reduce(0) { $0 + $1.count } + bad
                    throw DeltaError(.constraintViolation, "row \(row + 1) of the overwrite\(options.lineSuffix(row: row)) does not match the replaceWhere condition \(condition); an overwrite may only write rows it replaces; nothing was committed")
                }
            }
        }

        // CHECK constraints and column invariants, on every row before any file is written.
        let checker = try ConstraintChecker(metadata: transaction.effectiveMetadata ?? snapshot.metadata, schema: schema)
        var firstRow = 1
        for batch in conformed where !checker.isEmpty {
            try checker.check(batch, firstRow: firstRow, action: options.mode == .append ? "append" : "overwrite", options: options)
            firstRow += batch.count
        }
        transaction.checkedConstraints = checker.keys

        let layout = try PhysicalWriteLayout(schema: schema, mode: transaction.effectiveColumnMappingMode)
        let writer = DataFileWriter(table: self, snapshot: snapshot, schema: schema, options: options, layout: layout)
        var added: [AddFile] = []
        var written: [String] = []
        // A write that fails before its commit is published removes the files it wrote (vacuum
        // stays the backstop for crashes); a published commit's files are never touched.
        do {
            // Input batches (a Parquet input's row groups, text input's decode batches) are coalesced
            // into files of about targetFileSize bytes (at most maxRowsPerFile rows), not one file each.
            for group in DataFileWriter.groups(conformed, maxBytes: options.targetFileSize) {
                for file in try writer.write(group) {
                    added.append(file.add)
                    written.append(file.storagePath)
                }
            }
            return try commit(&transaction, snapshot: snapshot, options: options, tableSchema: tableSchema,
                              layout: layout, rows: conformed.reduce(0) { $0 + $1.count }, added: added, written: written)
        } catch let error as DeltaError where error.code == .commitNotDurable {
            throw error
        } catch {
            discardUncommitted(written)
            throw error
        }
    }

    /// Deletes data files written for a commit that was not published (best effort).
    func discardUncommitted(_ paths: [String]) {
        for path in paths { try? storage.delete(path) }
    }

    /// Stages `added` (and an overwrite's removals) in `transaction` and commits it.
    private func commit(_ transaction: inout Transaction, snapshot: Snapshot, options: WriteOptions, tableSchema: Schema,
                        layout: PhysicalWriteLayout, rows: Int, added: [AddFile], written: [String]) throws -> WriteResult {
        transaction.add(contentsOf: added)
        transaction.unsyncedPaths += written

        var removed = 0
        if options.mode == .overwrite {
            let scan = try Scan(snapshot: snapshot, storage: storage, columns: nil, predicate: options.replaceWhere)
            let matching = try scan.files()
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            for file in matching {
                transaction.remove(file.add.removal(deletionTimestamp: now))
            }
            removed = matching.count
            if let condition = options.replaceWhere {
                let bound = try condition.bound(to: tableSchema)
                let partitionColumns = snapshot.partitionColumns
                let fieldTypes = Dictionary(uniqueKeysWithValues: snapshot.schema.fields.map { ($0.name, $0.type) })
                transaction.recordRead(.partitions { values in
                    let row = partitionColumns.map { c -> Scalar in
                        guard let t = fieldTypes[c], let at = try? t.arrowType() else { return .null }
                        return (try? Scan.partitionScalar(values[layout.physicalName(of: c)] ?? values[c] ?? nil, deltaType: t, arrowType: at, column: c, file: "")) ?? .null
                    }
                    let fields = partitionColumns.map { c in Field(c, (try? fieldTypes[c]?.arrowType()) ?? .null) }
                    guard let batch = try? RecordBatch(schema: Schema(fields), columns: zip(row, fields).map { (try? Column([$0], type: $1.dataType)) ?? Column.nulls($1.dataType, count: 1) }),
                          let mask = try? bound.evaluate(batch) else { return true }
                    return mask.first ?? true
                })
            } else {
                transaction.recordRead(.wholeTable)
            }
            transaction.operation = options.operation ?? "WRITE"
        }
        transaction.operationParameters["mode"] = options.mode == .append ? "Append" : "Overwrite"
        transaction.operationParameters["partitionBy"] = JSONValue.array(snapshot.partitionColumns.map { .string($0) }).jsonText
        if let condition = options.replaceWhere { transaction.operationParameters["predicate"] = "\(condition)" }
        let bytes = added.reduce(Int64(0)) { $0 + $1.size }
        transaction.operationMetrics["numFiles"] = String(added.count)
        transaction.operationMetrics["numOutputRows"] = String(rows)
        transaction.operationMetrics["numOutputBytes"] = String(bytes)
        if removed > 0 { transaction.operationMetrics["numRemovedFiles"] = String(removed) }
        transaction.userMetadata = options.userMetadata
        if let app = options.applicationTransaction {
            transaction.setTransaction(appID: app.appID, version: app.version)
        }
        try FailPoint.reach(.afterDataFile, path: LogFile.commitPath(snapshot.version + 1))
        let result = try transaction.commit(options: options.commit)
        return WriteResult(version: result.version, isSkipped: false, filesAdded: added.count, filesRemoved: removed,
                           rowsWritten: rows, bytesWritten: Int(bytes))
    }
}

/// Fits an incoming batch to the table's columns: by name (case-insensitively), in table order,
/// widening types, filling missing nullable columns with nulls, and checking NOT NULL; then checks
/// that every value is one the table's type holds: strings are valid UTF-8 (what Parquet readers
/// such as Polars, DuckDB and pyarrow require) and decimals have at most their precision's digits.
/// `firstRow` is the 0-based offset of the batch within the write; messages number rows from 1.
enum WriteConformer {
    /// Refuses field names that differ only in case (at one level of `fields`, and inside structs).
    static func checkDistinctNames(_ fields: [Field], path: String?) throws {
        var seen: [String: String] = [:]
        for f in fields {
            if let other = seen[f.name.lowercased()] {
                let where_ = path.map { " of struct '\($0)'" } ?? ""
                throw DeltaError(.schemaMismatch, "the data has columns '\(other)' and '\(f.name)'\(where_), which differ only in case; column names match ignoring case, so one would be lost")
            }
            seen[f.name.lowercased()] = f.name
            let childPath = path.map { $0 + "." + f.name } ?? f.name
            switch f.dataType {
            case .struct(let children): try checkDistinctNames(children, path: childPath)
            case .list(let e): if case .struct(let children) = e.dataType { try checkDistinctNames(children, path: childPath + ".element") }
            default: break
            }
        }
    }

    static func conform(_ batch: RecordBatch, to schema: Schema, firstRow: Int, options: WriteOptions = WriteOptions()) throws -> RecordBatch {
        try checkDistinctNames(batch.schema.fields, path: nil)
        var byName: [String: Int] = [:]
        for (i, f) in batch.schema.fields.enumerated() { byName[f.name.lowercased()] = i }
        for f in batch.schema.fields where !schema.fields.contains(where: { $0.name.lowercased() == f.name.lowercased() }) {
            throw DeltaError(.schemaMismatch, "column '\(f.name)' is not in the table schema (columns: \(schema.fields.map(\.name).joined(separator: ", "))); write with schema merging to add it")
        }
        var columns: [Column] = []
        for field in schema.fields {
            guard let i = byName[field.name.lowercased()] else {
                guard field.isNullable else {
                    throw DeltaError(.constraintViolation, "column '\(field.name)' is NOT NULL but the data has no such column")
                }
                columns.append(Column.nulls(field.dataType, count: batch.count))
                continue
            }
            var column = batch.columns[i]
            if column.dataType != field.dataType {
                guard Column.canCast(from: column.dataType, to: field.dataType) else {
                    throw DeltaError(.schemaMismatch, "column '\(field.name)' has type \(column.dataType) in the data but \(field.dataType) in the table")
                }
                if column.dataType == .binary && field.dataType == .string,
                   let bad = Column(dataType: .string, count: column.count, nullCount: column.nullCount, validity: column.validity,
                                    buffers: column.buffers).firstInvalidUTF8Index() {
                    throw DeltaError(.schemaMismatch, "column '\(field.name)' is binary in the data and string in the table, and row \(firstRow + bad + 1) of the write\(options.lineSuffix(row: firstRow + bad)) is not valid UTF-8; nothing was committed")
                }
                do { column = try column.cast(to: field.dataType) } catch {
                    throw DeltaError(.schemaMismatch, "column '\(field.name)': \(error)", underlying: error)
                }
            }
            if !field.isNullable, column.nullCount > 0 {
                let row = (0..<column.count).first { column.isNull(at: $0) } ?? 0
                throw DeltaError(.constraintViolation, "column '\(field.name)' is NOT NULL but row \(firstRow + row + 1) of the write\(options.lineSuffix(row: firstRow + row)) is null; nothing was committed")
            }
            try checkNestedNulls(column, field: field, path: field.name, firstRow: firstRow, options: options)
            try checkValues(column, path: field.name, firstRow: firstRow, rows: batch.count, rowAligned: true, options: options)
            columns.append(column)
        }
        return try RecordBatch(schema: schema, columns: columns, count: batch.count)
    }

    /// Refuses strings that are not valid UTF-8 and decimals with more digits than their
    /// precision, anywhere in `column`. `rows` is the batch's row count; while `rowAligned` (a
    /// top-level column and struct fields within it) value `i` is row `firstRow + i`, so the
    /// message names the row of the write; inside lists and maps it names the batch's rows.
    static func checkValues(_ column: Column, path: String, firstRow: Int, rows: Int, rowAligned: Bool, options: WriteOptions) throws {
        func position(_ index: Int) -> String {
            rowAligned ? "row \(firstRow + index + 1) of the write\(options.lineSuffix(row: firstRow + index))" : "a value in rows \(firstRow + 1)...\(firstRow + max(1, rows)) of the write"
        }
        switch column.dataType {
        case .string:
            if let bad = column.firstInvalidUTF8Index() {
                throw DeltaError(.invalidArgument, "column '\(path)': \(position(bad)) is not valid UTF-8 (a string column holds text; bytes belong in a binary column); nothing was committed")
            }
        case .decimal(let precision, let scale):
            var limit: Int128 = 1
            for _ in 0..<min(max(precision, 0), 38) { limit *= 10 }
            let bad: Int? = column.buffers.first?.withUnsafeValues(of: Int128.self) { values in
                (0..<min(column.count, values.count)).first { column.isValid(at: $0) && (values[$0] >= limit || values[$0] <= -limit) }
            }
            if let bad {
                throw DeltaError(.invalidArgument, "column '\(path)': \(position(bad)) has more digits than decimal(\(precision),\(scale)) holds; nothing was committed")
            }
        case .struct(let fields):
            for (child, f) in zip(column.children, fields) {
                try checkValues(child, path: path + "." + f.name, firstRow: firstRow, rows: rows, rowAligned: rowAligned, options: options)
            }
        case .list:
            if let child = column.children.first { try checkValues(child, path: path + ".element", firstRow: firstRow, rows: rows, rowAligned: false, options: options) }
        case .map:
            if let entries = column.children.first, entries.children.count == 2 {
                try checkValues(entries.children[0], path: path + ".key", firstRow: firstRow, rows: rows, rowAligned: false, options: options)
                try checkValues(entries.children[1], path: path + ".value", firstRow: firstRow, rows: rows, rowAligned: false, options: options)
            }
        default:
            break
        }
    }

    /// Non-nullable struct fields must not be null where their parent is present.
    static func checkNestedNulls(_ column: Column, field: Field, path: String, firstRow: Int, options: WriteOptions) throws {
        guard case .struct(let fields) = field.dataType else { return }
        for (child, f) in zip(column.children, fields) {
            if !f.isNullable && child.nullCount > 0 {
                for row in 0..<column.count where column.isValid(at: row) && child.isNull(at: row) {
                    throw DeltaError(.constraintViolation, "column '\(path).\(f.name)' is NOT NULL but row \(firstRow + row + 1) of the write\(options.lineSuffix(row: firstRow + row)) is null; nothing was committed")
                }
            }
            try checkNestedNulls(child, field: f, path: path + "." + f.name, firstRow: firstRow, options: options)
        }
    }
}

/// Writes table-conformed batches as data files: one Parquet file per partition (and per
/// ``WriteOptions/maxRowsPerFile`` rows) under Hive-style partition directories, each fully
/// written but not yet synced, described by an `add` action with partition values and statistics.
/// The commit that adds them syncs them (and their directories) before it is published.
struct DataFileWriter {
    /// A written data file: its `add` action and its storage path (relative, not URI-encoded).
    struct WrittenFile {
        let add: AddFile
        let storagePath: String
    }

    let table: Table
    let snapshot: Snapshot
    let schema: StructType
    let options: WriteOptions
    /// Physical names and field ids under column mapping.
    let layout: PhysicalWriteLayout

    /// Consecutive runs of `batches` (empty ones left out) of about `maxBytes` bytes in memory
    /// each (a batch larger than that is a run of its own): each run is written as one file per
    /// partition, split by ``WriteOptions/maxRowsPerFile``.
    static func groups(_ batches: [RecordBatch], maxBytes: Int64) -> [[RecordBatch]] {
        var groups: [[RecordBatch]] = []
        var current: [RecordBatch] = []
        var bytes: Int64 = 0
        for batch in batches where batch.count > 0 {
            let size = approximateBytes(batch)
            if !current.isEmpty && bytes + size > maxBytes {
                groups.append(current)
                (current, bytes) = ([], 0)
            }
            current.append(batch)
            bytes += size
        }
        if !current.isEmpty { groups.append(current) }
        return groups
    }

    /// The bytes of a batch's buffers (an estimate of its data file's size before compression).
    static func approximateBytes(_ batch: RecordBatch) -> Int64 {
        func bytes(_ c: Column) -> Int64 {
            c.buffers.reduce(Int64(c.validity?.count ?? 0)) { $0 + Int64($1.count) } + c.children.reduce(0) { $0 + bytes($1) }
        }
        return batch.columns.reduce(0) { $0 + bytes($1) }
    }

    /// Writes `batches` (table-conformed) as one data file per partition, split every
    /// ``WriteOptions/maxRowsPerFile`` rows.
    func write(_ batches: [RecordBatch]) throws -> [WrittenFile] {
        var parts: [[String: String?]: [RecordBatch]] = [:]
        var order: [[String: String?]] = []
        for batch in batches where batch.count > 0 {
            for (key, part) in try partitions(of: batch) {
                if parts[key] == nil { order.append(key) }
                parts[key, default: []].append(part)
            }
        }
        let partitionColumns = snapshot.partitionColumns
        let dataFields = (batches.first?.schema.fields ?? []).filter { !partitionColumns.contains($0.name) }
        let indexed = Int(snapshot.properties["delta.dataSkippingNumIndexedCols"] ?? "") ?? 32
        let maxRows = max(1, options.maxRowsPerFile)
        var adds: [WrittenFile] = []
        do {
            for key in order {
                var current: [RecordBatch] = []
                var rows = 0
                for part in parts[key] ?? [] {
                    var start = 0
                    while start < part.count {
                        let n = min(maxRows - rows, part.count - start)
                        current.append((start == 0 && n == part.count) ? part : part.slice(start, n))
                        rows += n
                        start += n
                        if rows == maxRows {
                            adds.append(try writeFile(current, partition: key, fields: dataFields, indexed: indexed))
                            (current, rows) = ([], 0)
                        }
                    }
                }
                if !current.isEmpty { adds.append(try writeFile(current, partition: key, fields: dataFields, indexed: indexed)) }
            }
        } catch {
            // The files of this call written so far: the caller never learns of them.
            table.discardUncommitted(adds.map(\.storagePath))
            throw error
        }
        return adds
    }

    /// The rows of `batch` by partition values (in the order partitions first appear), with the
    /// partition columns removed.
    private func partitions(of batch: RecordBatch) throws -> [([String: String?], RecordBatch)] {
        let partitionColumns = snapshot.partitionColumns
        let dataFields = batch.schema.fields.filter { !partitionColumns.contains($0.name) }
        // Group rows by partition values.
        var groups: [[String: String?]: [Int32]] = [:]
        var order: [[String: String?]] = []
        if partitionColumns.isEmpty {
            groups[[:]] = []
            order = [[:]]
        } else {
            var partitionInfo: [(String, Column, DeltaType)] = []
            for c in partitionColumns {
                guard let i = batch.schema.index(of: c), let f = schema.field(named: c) else {
                    throw DeltaError(.internalError, "partition column '\(c)' missing from conformed data")
                }
                partitionInfo.append((c, batch.columns[i], f.type))
            }
            for row in 0..<batch.count {
                var key: [String: String?] = [:]
                for (name, column, type) in partitionInfo {
                    key[name] = try DataFileWriter.partitionString(column.scalar(at: row), type: type, column: name)
                }
                if groups[key] == nil { groups[key] = []; order.append(key) }
                groups[key, default: []].append(Int32(row))
            }
        }
        let dataBatch = partitionColumns.isEmpty ? batch : try batch.project(dataFields.map(\.name))
        return order.map { key in (key, partitionColumns.isEmpty ? dataBatch : dataBatch.take(groups[key] ?? [])) }
    }

    private func writeFile(_ batches: [RecordBatch], partition: [String: String?], fields: [Field], indexed: Int) throws -> WrittenFile {
        let partition = layout.filePartitionValues(partition)
        let directory = snapshot.partitionColumns.isEmpty ? "" : PathCoding.partitionDirectory(columns: snapshot.partitionColumns.map(layout.physicalName(of:)), values: partition)
        let codec: String
        switch options.parquet.compression {
        case .zstd: codec = "zstd"
        case .snappy: codec = "snappy"
        case .gzip: codec = "gz"
        case .lz4Raw: codec = "lz4raw"
        case .uncompressed: codec = "uncompressed"
        }
        let name = "part-00000-\(UUID().uuidString.lowercased())-c000.\(codec).parquet"
        let relative = directory.isEmpty ? name : directory + "/" + name
        guard let local = table.storage as? LocalStorage else {
            throw DeltaError(.unsupportedFeature, "writing data files needs local storage")
        }
        // The partition directory is reached (and created) without following symbolic links, and
        // the file is written relative to it, so a link planted in the table cannot redirect it.
        let (directoryFD, directoryPath) = try local.openDirectoryForWriting(directory)
        defer { close(directoryFD) }
        let absolute = directoryPath + "/" + name
        try FailPoint.reach(.beforeDataFile, path: absolute)
        let fileFields = layout.fileFields(fields)
        let summary: ParquetWriteSummary
        do {
            // Synced by the commit, together with the commit file (see `Transaction.unsyncedPaths`).
            var parquet = options.parquet
            parquet.isDurable = false
            let writer = try ParquetFileWriter(directory: directoryFD, name: name, path: absolute, schema: Schema(fileFields), options: parquet)
            for batch in batches { try writer.write(try layout.fileBatch(batch)) }
            summary = try writer.close()
        } catch let e as ParquetError {
            throw DeltaError(e.code == .schemaMismatch ? .constraintViolation : .io, "writing data file '\(relative)': \(e.message)", underlying: e)
        }
        let stats = StatisticsJSON.make(numRecords: batches.reduce(0) { $0 + $1.count }, fields: fileFields, statistics: summary.statistics, indexedColumns: indexed)
        let add = AddFile(path: PathCoding.encodeURIPath(relative), partitionValues: partition, size: Int64(summary.fileSize),
                          modificationTime: Int64(Date().timeIntervalSince1970 * 1000), dataChange: true, stats: stats)
        return WrittenFile(add: add, storagePath: relative)
    }

    /// The log's string form of a partition value (nil for null).
    ///
    /// An empty string or binary value is written as null: readers take an empty partition value
    /// for null (the protocol's readers, Floe's and Spark's, which writes it so), while delta-rs's
    /// DataFusion reader returns `""` for it, so only null is read alike everywhere.
    static func partitionString(_ value: Scalar, type: DeltaType, column: String) throws -> String? {
        let pv: PartitionValue
        switch (value, type) {
        case (.null, _): pv = .null
        case (.string(let s), _): pv = .string(s)
        case (.int(let v), .long): pv = .long(v)
        case (.int(let v), .integer): pv = .integer(Int32(truncatingIfNeeded: v))
        case (.int(let v), .short): pv = .short(Int16(truncatingIfNeeded: v))
        case (.int(let v), .byte): pv = .byte(Int8(truncatingIfNeeded: v))
        case (.int(let v), .date): pv = .date(daysSinceEpoch: Int32(truncatingIfNeeded: v))
        case (.int(let v), .timestamp): pv = .timestamp(microsecondsSinceEpoch: v)
        case (.int(let v), .timestampNtz): pv = .timestampNtz(microsecondsSinceEpoch: v)
        case (.float(let d), .float): pv = .float(Float(d))
        case (.float(let d), .double): pv = .double(d)
        case (.bool(let b), _): pv = .boolean(b)
        case (.decimal(let v), .decimal(_, let scale)): pv = .decimal(ValueEncoding.decimal(v, scale: scale))
        case (.binary(let b), _): pv = .binary(b)
        default:
            throw DeltaError(.schemaMismatch, "partition column '\(column)' of type \(type) cannot hold \(value)")
        }
        guard let text = pv.serialized, !text.isEmpty else { return nil }
        return text
    }
}
