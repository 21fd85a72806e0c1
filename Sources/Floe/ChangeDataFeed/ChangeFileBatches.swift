import FloeColumnar
import FloeParquet

/// The batches of one file of a change data feed, conformed to the feed's schema: table columns
/// matched by physical name or field id (missing ones null, narrower types widened), partition
/// columns from the action's partition values, then the three change columns.
///
/// Invariant: every batch returned has ``ChangeFeed/schema``.
struct ChangeFileBatches {
    let scan: Scan
    let entry: ChangeEntry
    let schema: Schema
    let partitionValues: [String: Scalar]
    /// Table column name → (file field, index among the columns read).
    let fileColumns: [String: (Field, Int)]
    /// Index of `_change_type` among the columns read, for change data files.
    let changeTypeIndex: Int?
    var rowGroups: ParquetFileReader.BatchIterator

    init(scan: Scan, entry: ChangeEntry, schema: Schema) throws {
        self.scan = scan
        self.entry = entry
        self.schema = schema
        if entry.deletionVector != nil {
            throw DeltaError(.unsupportedFeature, "version \(entry.version) changes data file '\(entry.path)' through a deletion vector; reading deletion vectors is not supported yet")
        }
        let snapshot = scan.snapshot
        let mode = snapshot.columnMappingMode
        var values: [String: Scalar] = [:]
        for c in snapshot.partitionColumns {
            guard let field = snapshot.schema.field(named: c) else {
                throw DeltaError(.corruptLog, "partition column '\(c)' is not in the table schema")
            }
            let raw = entry.partitionValues[field.physicalName(for: mode)] ?? entry.partitionValues[c] ?? nil
            values[c] = try Scan.partitionScalar(raw, deltaType: field.type, arrowType: try field.type.arrowType(), column: c, file: entry.path)
        }
        partitionValues = values

        let reader = try DataFileSource.open(PathCoding.decodeURIPath(entry.path), in: scan.storage)
        let fileFields = reader.arrowSchema.fields
        var map: [String: (Field, Int)] = [:]
        var names: [String] = []
        for name in scan.readColumns where values[name] == nil {
            guard let target = scan.physicalFields[name], let i = ColumnConformer.index(of: target, in: fileFields) else { continue }
            map[name] = (fileFields[i], names.count)
            names.append(fileFields[i].name)
        }
        fileColumns = map
        if case .changeData = entry.kind {
            guard let field = fileFields.first(where: { $0.name == ChangeFeed.changeTypeColumn }) else {
                throw DeltaError(.corruptData, "change data file '\(entry.path)' of version \(entry.version) has no \(ChangeFeed.changeTypeColumn) column")
            }
            changeTypeIndex = names.count
            names.append(field.name)
        } else {
            changeTypeIndex = nil
        }
        do {
            rowGroups = try reader.batches(columns: names)
        } catch let e as ParquetError {
            throw DeltaError(.corruptData, "data file '\(entry.path)': \(e.message)", underlying: e)
        }
    }

    mutating func next() throws -> RecordBatch? {
        let raw: RecordBatch?
        do { raw = try rowGroups.next() } catch let e as ParquetError {
            throw DeltaError(.corruptData, "data file '\(entry.path)': \(e.message)", underlying: e)
        }
        guard let raw else { return nil }
        let count = raw.count
        var columns: [Column] = []
        columns.reserveCapacity(schema.fields.count)
        for name in scan.readColumns {
            guard let field = scan.tableSchema[name] else { continue }
            if let value = partitionValues[name] {
                columns.append(try Column.constant(value, type: field.dataType, count: count))
            } else if let target = scan.physicalFields[name] {
                let source = fileColumns[name]
                columns.append(try ColumnConformer.conform(source.map { raw.columns[$0.1] }, fileField: source?.0, to: target,
                                                           count: count, path: name))
            } else {
                columns.append(Column.nulls(field.dataType, count: count))
            }
        }
        if let changeTypeIndex {
            var column = raw.columns[changeTypeIndex]
            if column.dataType != .string {
                column = try ColumnConformer.cast(column, to: .string, path: ChangeFeed.changeTypeColumn)
            }
            if column.nullCount > 0 {
                throw DeltaError(.corruptData, "change data file '\(entry.path)' has rows without a \(ChangeFeed.changeTypeColumn)")
            }
            columns.append(column)
        } else if case .rows(let type) = entry.kind {
            columns.append(try Column.constant(.string(type.rawValue), type: .string, count: count))
        }
        columns.append(try Column.constant(.int(entry.version), type: .int64, count: count))
        columns.append(try Column.constant(.int(entry.timestamp * 1000), type: .timestamp(.microsecond, timezone: "UTC"), count: count))
        return try RecordBatch(schema: schema, columns: columns, count: count)
    }
}
