import FloeColumnar
import FloeParquet

/// One data file selected by a scan, with its partition values and statistics decoded.
public struct ScanFile: Sendable {
    /// The `add` action.
    public let add: AddFile
    /// Partition values by logical column name, as Arrow-typed scalars.
    public let partitionValues: [String: Scalar]
    /// Decoded statistics, when the file has them.
    public let statistics: FileStatistics?
}

/// A read of one snapshot: which columns, which rows. Produced by ``Table/scan(_:columns:where:)`` (of the latest snapshot, or of the one given).
///
/// Files are pruned by partition values and skipped by their min/max/null statistics before any
/// is opened; surviving files are read one row group at a time, so memory stays bounded by a row
/// group of the projected columns. Rows are then filtered exactly by the predicate (SQL
/// semantics: rows where it is unknown are dropped). Partition columns are materialised as
/// ordinary columns. Files written before a column existed read it as nulls.
public struct Scan: Sendable {
    /// The snapshot read.
    public let snapshot: Snapshot
    /// The Arrow schema of the batches produced (projected logical columns, in request order).
    public let schema: Schema
    /// The row filter, bound to the table's column types.
    public let predicate: Condition?
    /// Decode leaf columns on this many threads.
    public var parallelism: Int = 1
    let tableSchema: Schema
    let physicalFields: [String: PhysicalField]
    let readColumns: [String]
    let outputColumns: [String]
    let storage: any LogStorage

    init(snapshot: Snapshot, storage: any LogStorage, columns: [String]?, predicate: Condition?) throws {
        self.snapshot = snapshot
        self.storage = storage
        try Scan.validateDataReadable(snapshot)
        let mode = snapshot.columnMappingMode
        let tableSchema = try snapshot.schema.arrowSchema()
        self.tableSchema = tableSchema
        var physical: [String: PhysicalField] = [:]
        for f in snapshot.schema.fields { physical[f.name] = try PhysicalField(f, mode: mode) }
        self.physicalFields = physical
        let requested = columns ?? tableSchema.fields.map(\.name)
        var outFields: [Field] = []
        for name in requested {
            guard let f = tableSchema[name] ?? tableSchema.fields.first(where: { $0.name.lowercased() == name.lowercased() }) else {
                throw DeltaError(.schemaMismatch, "no column named '\(name)' in table \(snapshot.tableRoot) (columns: \(tableSchema.fields.map(\.name).joined(separator: ", ")))")
            }
            outFields.append(f)
        }
        self.schema = Schema(outFields)
        self.outputColumns = outFields.map(\.name)
        var bound: Condition?
        if let predicate {
            do { bound = try predicate.bound(to: tableSchema) } catch let e as ColumnarError {
                throw DeltaError(e.code == .schemaMismatch ? .schemaMismatch : .invalidArgument, e.message, underlying: e)
            }
        }
        self.predicate = bound
        var needed = outputColumns
        for name in bound?.columnNames ?? [] {
            let top = String(name.split(separator: ".", maxSplits: 1).first ?? Substring(name))
            if !needed.contains(top) { needed.append(top) }
        }
        self.readColumns = needed
    }

    /// Reader features whose data files Floe cannot decode: the log of such a table loads (its
    /// snapshot, history and files are available), but scanning its rows is refused.
    static let unreadableDataFeatures: [TableFeature] = [.variantShreddingPreview, .variantShredding]

    /// Refuses a scan of a table whose data files need a reader feature Floe does not implement.
    static func validateDataReadable(_ snapshot: Snapshot) throws {
        let features = snapshot.protocol.readerFeatures ?? []
        if let feature = unreadableDataFeatures.first(where: { features.contains($0) }) {
            throw DeltaError(.unsupportedFeature, "table \(snapshot.tableRoot) requires the reader feature \(feature.rawValue) (shredded variant columns), which Floe cannot read; unshredded variants (variantType) are read as metadata/value binary structs")
        }
    }

    /// The data files the scan will read, after partition pruning and statistics skipping.
    public func files() throws -> [ScanFile] { try files(of: snapshot.fileState().activeFiles) }

    /// The files of `adds` the scan would read (pruned and skipped as ``files()`` does).
    func files(of adds: [AddFile]) throws -> [ScanFile] {
        let partitionColumns = snapshot.partitionColumns
        var partitionTypes: [String: (DeltaType, DataType)] = [:]
        for c in partitionColumns {
            guard let f = snapshot.schema.field(named: c) ?? snapshot.schema.fields.first(where: { $0.name.lowercased() == c.lowercased() }) else {
                throw DeltaError(.corruptLog, "partition column '\(c)' is not in the table schema")
            }
            partitionTypes[c] = (f.type, try f.type.arrowType())
        }
        let mode = snapshot.columnMappingMode
        let leafFields = snapshot.schema.fields.filter { !partitionColumns.contains($0.name) }.compactMap { physicalFields[$0.name] }
        var result: [ScanFile] = []
        for add in adds {
            var values: [String: Scalar] = [:]
            for c in partitionColumns {
                guard let (deltaType, arrowType) = partitionTypes[c] else { continue }
                let key = snapshot.schema.field(named: c).map { $0.physicalName(for: mode) } ?? c
                let raw = add.partitionValues[key] ?? add.partitionValues[c] ?? nil
                values[c] = try Scan.partitionScalar(raw, deltaType: deltaType, arrowType: arrowType, column: c, file: add.path)
            }
            let stats = FileStatistics(json: add.stats, fields: leafFields)
            if let predicate {
                let numRecords = stats?.numRecords
                let keep = predicate.mightMatch { name in
                    if let v = values[name] {
                        return ColumnBounds(min: v.isNull ? nil : v, max: v.isNull ? nil : v,
                                            nullCount: v.isNull ? Int(numRecords ?? 1) : 0, allNull: v.isNull)
                    }
                    return stats?.columns[name]
                }
                if !keep { continue }
            }
            result.append(ScanFile(add: add, partitionValues: values, statistics: stats))
        }
        return result
    }

    static func partitionScalar(_ raw: String?, deltaType: DeltaType, arrowType: DataType, column: String, file: String) throws -> Scalar {
        let value: PartitionValue
        do {
            value = try PartitionValue(parsing: raw, as: deltaType)
        } catch {
            throw DeltaError(.corruptLog, "file '\(file)': partition value '\(raw ?? "null")' of column '\(column)' is not a valid \(deltaType)", underlying: error)
        }
        switch value {
        case .null: return .null
        case .string(let s): return .string(s)
        case .long(let v): return .int(v)
        case .integer(let v): return .int(Int64(v))
        case .short(let v): return .int(Int64(v))
        case .byte(let v): return .int(Int64(v))
        case .float(let v): return .float(Double(v))
        case .double(let v): return .float(v)
        case .boolean(let b): return .bool(b)
        case .decimal(let text):
            guard case .decimal(_, let scale) = arrowType, let d = Condition.decimalLiteral(text, scale: scale) else {
                throw DeltaError(.corruptLog, "file '\(file)': partition value '\(text)' of column '\(column)' is not a valid \(deltaType)")
            }
            return .decimal(d)
        case .date(let days): return .int(Int64(days))
        case .timestamp(let micros), .timestampNtz(let micros): return .int(micros)
        case .binary(let bytes): return .binary(bytes)
        }
    }

    /// Streams the scan's batches (one per row group of each file that has matching rows).
    public func batches() throws -> ScanBatches {
        ScanBatches(scan: self, files: try files())
    }

    /// Reads every matching row into memory.
    public func readAll() throws -> [RecordBatch] {
        var it = try batches()
        var out: [RecordBatch] = []
        while let b = try it.next() { out.append(b) }
        return out
    }
}

/// Iterates a scan's batches file by file, row group by row group.
public struct ScanBatches {
    let scan: Scan
    /// The files that will be read, in order.
    public let files: [ScanFile]
    var fileIndex = 0
    var current: FileBatches?

    /// The next non-empty batch, or nil at the end.
    public mutating func next() throws -> RecordBatch? {
        while true {
            if var c = current {
                if let b = try c.next() {
                    current = c
                    if b.count > 0 { return b }
                    continue
                }
                current = nil
            }
            guard fileIndex < files.count else { return nil }
            current = try FileBatches(scan: scan, file: files[fileIndex])
            fileIndex += 1
        }
    }
}

/// The batches of one data file.
struct FileBatches {
    let scan: Scan
    let file: ScanFile
    let reader: ParquetFileReader
    var rowGroups: ParquetFileReader.BatchIterator
    let fileColumns: [String: (Field, Int)]
    let physicalNames: [String]
    /// The rows of the file that are deleted, by position in the file.
    let deletionVector: DeletionVector?
    /// Rows of the file read so far: the position of the next row group's first row.
    var rowsRead = 0

    init(scan: Scan, file: ScanFile) throws {
        self.scan = scan
        self.file = file
        self.deletionVector = try file.add.deletionVector.map {
            try DeletionVector.load($0, storage: scan.storage, dataFile: file.add.path)
        }
        let reader = try DataFileSource.open(file.add.decodedPath, in: scan.storage)
        self.reader = reader
        let fileSchema = reader.arrowSchema
        var map: [String: (Field, Int)] = [:]
        var names: [String] = []
        for name in scan.readColumns where file.partitionValues[name] == nil && !scan.snapshot.partitionColumns.contains(name) {
            guard let target = scan.physicalFields[name] else { continue }
            if let i = ColumnConformer.index(of: target, in: fileSchema.fields) {
                map[name] = (fileSchema.fields[i], names.count)
                names.append(fileSchema.fields[i].name)
            }
        }
        self.fileColumns = map
        self.physicalNames = names
        do {
            self.rowGroups = try reader.batches(columns: names, where: nil, parallelism: scan.parallelism)
        } catch let e as ParquetError {
            throw DeltaError(.corruptData, "data file '\(file.add.path)': \(e.message)", underlying: e)
        }
    }

    mutating func next() throws -> RecordBatch? {
        let raw: RecordBatch?
        do { raw = try rowGroups.next() } catch let e as ParquetError {
            throw DeltaError(.corruptData, "data file '\(file.add.path)': \(e.message)", underlying: e)
        }
        guard var raw else {
            if let n = file.statistics?.numRecords, rowsRead != Int(n) {
                throw DeltaError(.corruptData, "data file '\(file.add.path)' holds \(rowsRead) rows but its statistics say \(n)")
            }
            if let last = deletionVector?.maxRowIndex, last >= Int64(rowsRead) {
                throw DeltaError(.corruptData, "the deletion vector of data file '\(file.add.path)' deletes row \(last), but the file holds \(rowsRead) rows")
            }
            return nil
        }
        // Row indexes of deletion vectors count every row of the file, across row groups, so
        // every row group is read (none skipped) and positions are taken before filtering.
        let firstRow = Int64(rowsRead)
        rowsRead += raw.count
        if let deletionVector, let keep = deletionVector.keepMask(start: firstRow, count: raw.count) {
            raw = raw.filter(keep)
        }
        var fields: [Field] = []
        var columns: [Column] = []
        for name in scan.readColumns {
            guard let field = scan.tableSchema[name] else { continue }
            if let value = file.partitionValues[name] {
                columns.append(try Column.constant(value, type: field.dataType, count: raw.count))
            } else if let target = scan.physicalFields[name] {
                let source = fileColumns[name]
                do {
                    columns.append(try ColumnConformer.conform(source.map { raw.columns[$0.1] }, fileField: source?.0, to: target,
                                                               count: raw.count, path: name))
                } catch let e as DeltaError {
                    throw DeltaError(e.code, "data file '\(file.add.path)': \(e.message)", underlying: e.underlying)
                }
            } else {
                columns.append(Column.nulls(field.dataType, count: raw.count))
            }
            fields.append(field)
        }
        var batch = try RecordBatch(schema: Schema(fields), columns: columns, count: raw.count)
        if let predicate = scan.predicate {
            let mask = try predicate.evaluate(batch)
            batch = batch.filter(mask)
        }
        if scan.readColumns.count != scan.outputColumns.count {
            batch = try batch.project(scan.outputColumns)
        }
        return batch
    }
}

extension Snapshot {
    /// The table's logical schema as Arrow fields.
    public func arrowSchema() throws -> Schema { try schema.arrowSchema() }
}

extension Table {
    /// A scan of `snapshot` (the latest when nil) reading `columns` (all when nil) of the rows
    /// matching `predicate`.
    public func scan(_ snapshot: Snapshot? = nil, columns: [String]? = nil, where predicate: Condition? = nil) throws -> Scan {
        try Scan(snapshot: snapshot ?? self.snapshot(), storage: storage, columns: columns, predicate: predicate)
    }
}
