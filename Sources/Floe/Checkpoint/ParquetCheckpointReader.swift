import FloeColumnar
import FloeParquet

/// Reads Delta checkpoints stored as Parquet: classic (`n.checkpoint.parquet`), multi-part
/// (`n.checkpoint.o.p.parquet`) and UUID-named V2 (`n.checkpoint.<uuid>.parquet`) checkpoints, and
/// V2 sidecar files (`_delta_log/_sidecars/*.parquet`).
///
/// Each row holds one action in its own struct column (`txn`, `add`, `remove`, `metaData`,
/// `protocol`, `domainMetadata`, `checkpointMetadata`, `sidecar`); a row's action is the column
/// whose identifying field (`path`, `id`, `appId`, `minReaderVersion`, `domain` or `version`) is
/// not null. Other columns (`commitInfo`, `cdc`, `rowIdHighWaterMark`, …) are not read. Missing
/// columns and fields read as null, as the protocol requires.
///
/// Only the fields Floe's actions hold are decoded (a column projection): `partitionValues_parsed`
/// is never read, and `add.stats_parsed` only when the file has no `add.stats` column, in which
/// case the statistics JSON is synthesized from it (see ``AddFile/stats``). Values are read from
/// the columns' buffers without per-value boxing.
///
/// Invariants: actions are returned in file order, then row order; the reader keeps no state
/// between calls and is safe to share across tasks.
public struct ParquetCheckpointReader: CheckpointReader {
    /// The number of threads each file's columns are decoded on.
    public var parallelism: Int

    /// Creates a reader decoding each file's columns on up to `parallelism` threads.
    public init(parallelism: Int = 1) {
        self.parallelism = max(1, parallelism)
    }

    /// Reads every action row of `files`, in order.
    ///
    /// - Throws: ``DeltaError/Code/corruptLog`` naming the file (and row) when a file is not
    ///   Parquet, is truncated or damaged, or holds an action with a missing required field or a
    ///   field of the wrong type; the storage's ``DeltaError`` (naming the file) when it cannot be
    ///   read.
    public func actions(in files: [FileEntry], from storage: any LogStorage) throws -> [Action] {
        var actions: [Action] = []
        for file in files {
            let bytes: [UInt8]
            do {
                bytes = try storage.read(file.path)
            } catch let error as DeltaError {
                throw DeltaError(error.code, "cannot read checkpoint file \(file.path): \(error.message)", underlying: error)
            }
            try appendActions(ofParquet: bytes, label: file.path, to: &actions)
        }
        return actions
    }

    /// Decodes the actions of one checkpoint or sidecar file held in memory.
    ///
    /// - Parameters:
    ///   - bytes: The whole Parquet file.
    ///   - label: The file's name for error messages.
    /// - Throws: ``DeltaError/Code/corruptLog`` naming `label`.
    public func actions(ofParquet bytes: [UInt8], label: String) throws -> [Action] {
        var actions: [Action] = []
        try appendActions(ofParquet: bytes, label: label, to: &actions)
        return actions
    }

    /// Reads only the `protocol` and `metaData` actions of `files`: their footers and those
    /// columns (by byte-range reads), skipping row groups whose statistics show both columns are
    /// all null.
    ///
    /// - Throws: As ``actions(in:from:)``.
    public func protocolAndMetadata(in files: [FileEntry], from storage: any LogStorage) throws -> [Action] {
        var actions: [Action] = []
        for file in files {
            let source = StorageByteSource(storage: storage, path: file.path, size: Int(clamping: file.size))
            try appendActions(of: source, label: file.path, to: &actions, protocolAndMetadataOnly: true)
        }
        return actions
    }

    /// The condition selecting rows holding a `protocol` or `metaData` action (their identifying
    /// fields not null), over the columns of `projection`; `nil` when it has neither.
    static func protocolOrMetadataPredicate(projection: [String]) -> Condition? {
        let keys = ["protocol.minReaderVersion", "metaData.id"].filter(projection.contains)
        return keys.isEmpty ? nil : .or(keys.map { .isNotNull(column: $0) })
    }

    func appendActions(ofParquet bytes: [UInt8], label: String, to actions: inout [Action]) throws {
        try appendActions(of: MemoryByteSource(bytes: bytes), label: label, to: &actions, protocolAndMetadataOnly: false)
    }

    func appendActions(of source: any ByteSource, label: String, to actions: inout [Action], protocolAndMetadataOnly: Bool) throws {
        do {
            let reader = try ParquetFileReader(source: source, label: label)
            var projection = Self.projection(of: reader.arrowSchema)
            var predicate: Condition?
            if protocolAndMetadataOnly {
                projection = projection.filter { $0.hasPrefix("protocol.") || $0.hasPrefix("metaData.") }
                // A row holds one of the actions iff its identifying field is not null.
                predicate = Self.protocolOrMetadataPredicate(projection: projection)
            }
            if projection.isEmpty { return }
            let ntzColumns = projection.contains("add.stats_parsed") ? try Self.timestampNTZColumns(in: reader) : []
            var batches = try reader.batches(columns: projection, where: predicate, parallelism: parallelism)
            // The first row of each row group, for row numbers in errors when groups are skipped.
            var groupStarts: [Int] = [0]
            for group in reader.metadata.rowGroups { groupStarts.append(groupStarts[groupStarts.count - 1] + Int(group.numRows)) }
            var position = 0
            while let batch = try batches.next() {
                let rowBase = groupStarts[batches.rowGroups[position]]
                position += 1
                var columns: [String: CheckpointColumn] = [:]
                for (field, column) in zip(batch.schema.fields, batch.columns) {
                    columns[field.name] = CheckpointColumn(name: field.name, column: column)
                }
                let decoder = BatchDecoder(columns: columns, ntzColumns: ntzColumns)
                try decoder.decode(rows: batch.count, rowBase: rowBase, into: &actions)
            }
        } catch let error as ParquetError {
            throw DeltaError(.corruptLog, "checkpoint file \(label) is not a readable Parquet file: \(error.message)", underlying: error)
        } catch let error as DeltaError {
            throw DeltaError(error.code, "checkpoint file \(label): \(error.message)", underlying: error.underlying)
        } catch {
            throw DeltaError(.corruptLog, "checkpoint file \(label) could not be decoded: \(error)", underlying: error)
        }
    }

    /// The physical column paths of the `timestamp_ntz` columns of the table schema in the file's
    /// `metaData` action (none when the file has no metadata, e.g. a sidecar), so that statistics
    /// synthesized from `stats_parsed` write their bounds without a zone.
    static func timestampNTZColumns(in reader: ParquetFileReader) throws -> Set<[String]> {
        guard let field = reader.arrowSchema["metaData"], case .struct(let children) = field.dataType,
              children.contains(where: { $0.name == "schemaString" }) else { return [] }
        let wantsConfiguration = children.contains { $0.name == "configuration" }
        let columns = ["metaData.schemaString"] + (wantsConfiguration ? ["metaData.configuration"] : [])
        for batch in try reader.readAll(columns: columns) {
            let schemaColumn = CheckpointColumn(name: "metaData.schemaString", column: batch.columns[0])
            let configuration = wantsConfiguration ? CheckpointColumn(name: "metaData.configuration", column: batch.columns[1])
                : .absent("metaData.configuration")
            for row in 0..<batch.count {
                guard let text = try schemaColumn.string(row), let schema = try? StructType(json: text) else { continue }
                let modeName = try configuration.stringMap(row)?["delta.columnMapping.mode"]?.lowercased() ?? "none"
                var paths = Set<[String]>()
                collectNTZ(schema, mode: ColumnMappingMode(rawValue: modeName) ?? .none, prefix: [], into: &paths)
                return paths
            }
        }
        return []
    }

    static func collectNTZ(_ schema: StructType, mode: ColumnMappingMode, prefix: [String], into paths: inout Set<[String]>) {
        for field in schema.fields {
            let path = prefix + [field.physicalName(for: mode)]
            switch field.type {
            case .timestampNtz: paths.insert(path)
            case .struct(let nested): collectNTZ(nested, mode: mode, prefix: path, into: &paths)
            default: continue
            }
        }
    }

    /// The fields of each action struct that Floe decodes.
    static let actionFields: [(action: String, fields: [String])] = [
        ("txn", ["appId", "version", "lastUpdated"]),
        ("add", ["path", "partitionValues", "size", "modificationTime", "dataChange", "stats", "tags",
                 "deletionVector", "baseRowId", "defaultRowCommitVersion", "clusteringProvider"]),
        ("remove", ["path", "deletionTimestamp", "dataChange", "extendedFileMetadata", "partitionValues", "size",
                    "stats", "tags", "deletionVector", "baseRowId", "defaultRowCommitVersion"]),
        ("metaData", ["id", "name", "description", "format", "schemaString", "partitionColumns", "configuration",
                      "createdTime"]),
        ("protocol", ["minReaderVersion", "minWriterVersion", "readerFeatures", "writerFeatures"]),
        ("domainMetadata", ["domain", "configuration", "removed"]),
        ("checkpointMetadata", ["version", "tags"]),
        ("sidecar", ["path", "sizeInBytes", "modificationTime", "tags"]),
    ]

    /// The dotted column paths to read from a file with `schema`: the known fields of each action
    /// struct present, plus `add.stats_parsed` when there is no `add.stats`.
    static func projection(of schema: Schema) -> [String] {
        var columns: [String] = []
        for (action, wanted) in actionFields {
            guard let field = schema[action], case .struct(let children) = field.dataType else { continue }
            let present = Set(children.map(\.name))
            for name in wanted where present.contains(name) { columns.append(action + "." + name) }
            if action == "add", !present.contains("stats"), present.contains("stats_parsed") {
                columns.append("add.stats_parsed")
            }
        }
        return columns
    }
}

/// Decodes the rows of one projected batch into actions.
struct BatchDecoder {
    let columns: [String: CheckpointColumn]
    /// `timestamp_ntz` column paths for statistics synthesized from `stats_parsed`.
    var ntzColumns: Set<[String]> = []

    func column(_ name: String) -> CheckpointColumn { columns[name] ?? .absent(name) }

    func decode(rows: Int, rowBase: Int, into actions: inout [Action]) throws {
        let txn = TxnColumns(self), add = AddColumns(self, ntzColumns: ntzColumns), remove = RemoveColumns(self)
        let metadata = MetadataColumns(self), proto = ProtocolColumns(self), domain = DomainColumns(self)
        let checkpointMetadata = CheckpointMetadataColumns(self), sidecar = SidecarColumns(self)
        let hasTxn = txn.appID.column != nil, hasAdd = add.path.column != nil, hasRemove = remove.path.column != nil
        let hasMetadata = metadata.id.column != nil, hasProtocol = proto.minReader.column != nil
        let hasDomain = domain.domain.column != nil, hasCheckpointMetadata = checkpointMetadata.version.column != nil
        let hasSidecar = sidecar.path.column != nil
        actions.reserveCapacity(actions.count + rows)
        for row in 0..<rows {
            do {
                if hasAdd, !add.path.isNull(row) { actions.append(.add(try add.decode(row))) }
                if hasRemove, !remove.path.isNull(row) { actions.append(.remove(try remove.decode(row))) }
                if hasTxn, !txn.appID.isNull(row) { actions.append(.txn(try txn.decode(row))) }
                if hasMetadata, !metadata.id.isNull(row) { actions.append(.metadata(try metadata.decode(row))) }
                if hasProtocol, !proto.minReader.isNull(row) { actions.append(.protocol(try proto.decode(row))) }
                if hasDomain, !domain.domain.isNull(row) { actions.append(.domainMetadata(try domain.decode(row))) }
                if hasCheckpointMetadata, !checkpointMetadata.version.isNull(row) {
                    actions.append(.checkpointMetadata(try checkpointMetadata.decode(row)))
                }
                if hasSidecar, !sidecar.path.isNull(row) { actions.append(.sidecar(try sidecar.decode(row))) }
            } catch let error as DeltaError {
                throw DeltaError(.corruptLog, "row \(rowBase + row): \(error.message)", underlying: error.underlying)
            }
        }
    }
}

/// Unwraps a required field.
@inline(__always)
func required<T>(_ value: T?, _ column: CheckpointColumn) throws -> T {
    guard let value else { throw DeltaError(.corruptLog, "required field '\(column.name)' is null") }
    return value
}

struct DeletionVectorColumns {
    let column: CheckpointColumn
    let storageType, pathOrInlineDv, offset, sizeInBytes, cardinality: CheckpointColumn

    init(_ column: CheckpointColumn) {
        self.column = column
        storageType = column.child("storageType")
        pathOrInlineDv = column.child("pathOrInlineDv")
        offset = column.child("offset")
        sizeInBytes = column.child("sizeInBytes")
        cardinality = column.child("cardinality")
    }

    func decode(_ row: Int) throws -> DeletionVectorDescriptor? {
        if column.isNull(row) { return nil }
        if case .structure = column.kind {} else { throw column.typeError("a struct") }
        let size = try required(sizeInBytes.int64(row), sizeInBytes)
        let offsetValue = try offset.int64(row)
        guard let sizeValue = Int(exactly: size), offsetValue.map({ Int(exactly: $0) != nil }) ?? true else {
            throw DeltaError(.corruptLog, "deletion vector size or offset out of range in '\(column.name)'")
        }
        return DeletionVectorDescriptor(storageType: try required(storageType.string(row), storageType),
                                        pathOrInlineDv: try required(pathOrInlineDv.string(row), pathOrInlineDv),
                                        offset: offsetValue.map { Int($0) }, sizeInBytes: sizeValue,
                                        cardinality: try required(cardinality.int64(row), cardinality))
    }
}

struct AddColumns {
    let path, partitionValues, size, modificationTime, dataChange, stats, statsParsed, tags: CheckpointColumn
    let baseRowID, defaultRowCommitVersion, clusteringProvider: CheckpointColumn
    let deletionVector: DeletionVectorColumns
    let ntzColumns: Set<[String]>

    init(_ d: BatchDecoder, ntzColumns: Set<[String]>) {
        self.ntzColumns = ntzColumns
        path = d.column("add.path")
        partitionValues = d.column("add.partitionValues")
        size = d.column("add.size")
        modificationTime = d.column("add.modificationTime")
        dataChange = d.column("add.dataChange")
        stats = d.column("add.stats")
        statsParsed = d.column("add.stats_parsed")
        tags = d.column("add.tags")
        baseRowID = d.column("add.baseRowId")
        defaultRowCommitVersion = d.column("add.defaultRowCommitVersion")
        clusteringProvider = d.column("add.clusteringProvider")
        deletionVector = DeletionVectorColumns(d.column("add.deletionVector"))
    }

    func decode(_ row: Int) throws -> AddFile {
        var statsText = try stats.string(row)
        if statsText == nil, let parsed = statsParsed.column, !parsed.isNull(at: row) {
            statsText = StatsJSON.json(fromParsed: parsed, row: row, ntzColumns: ntzColumns)
        }
        return AddFile(path: try required(path.string(row), path),
                       partitionValues: try partitionValues.nullableStringMap(row) ?? [:],
                       size: try required(size.int64(row), size),
                       modificationTime: try modificationTime.int64(row) ?? 0,
                       dataChange: try dataChange.bool(row) ?? true,
                       stats: statsText,
                       tags: try tags.stringMap(row),
                       deletionVector: try deletionVector.decode(row),
                       baseRowID: try baseRowID.int64(row),
                       defaultRowCommitVersion: try defaultRowCommitVersion.int64(row),
                       clusteringProvider: try clusteringProvider.string(row))
    }
}

struct RemoveColumns {
    let path, deletionTimestamp, dataChange, extendedFileMetadata, partitionValues, size, stats, tags: CheckpointColumn
    let baseRowID, defaultRowCommitVersion: CheckpointColumn
    let deletionVector: DeletionVectorColumns

    init(_ d: BatchDecoder) {
        path = d.column("remove.path")
        deletionTimestamp = d.column("remove.deletionTimestamp")
        dataChange = d.column("remove.dataChange")
        extendedFileMetadata = d.column("remove.extendedFileMetadata")
        partitionValues = d.column("remove.partitionValues")
        size = d.column("remove.size")
        stats = d.column("remove.stats")
        tags = d.column("remove.tags")
        baseRowID = d.column("remove.baseRowId")
        defaultRowCommitVersion = d.column("remove.defaultRowCommitVersion")
        deletionVector = DeletionVectorColumns(d.column("remove.deletionVector"))
    }

    func decode(_ row: Int) throws -> RemoveFile {
        RemoveFile(path: try required(path.string(row), path),
                   deletionTimestamp: try deletionTimestamp.int64(row),
                   dataChange: try dataChange.bool(row) ?? true,
                   extendedFileMetadata: try extendedFileMetadata.bool(row),
                   partitionValues: try partitionValues.nullableStringMap(row),
                   size: try size.int64(row),
                   stats: try stats.string(row),
                   tags: try tags.stringMap(row),
                   deletionVector: try deletionVector.decode(row),
                   baseRowID: try baseRowID.int64(row),
                   defaultRowCommitVersion: try defaultRowCommitVersion.int64(row))
    }
}

struct TxnColumns {
    let appID, version, lastUpdated: CheckpointColumn

    init(_ d: BatchDecoder) {
        appID = d.column("txn.appId")
        version = d.column("txn.version")
        lastUpdated = d.column("txn.lastUpdated")
    }

    func decode(_ row: Int) throws -> SetTransaction {
        SetTransaction(appID: try required(appID.string(row), appID), version: try required(version.int64(row), version),
                       lastUpdated: try lastUpdated.int64(row))
    }
}

struct MetadataColumns {
    let id, name, description, format, provider, options, schemaString, partitionColumns, configuration, createdTime: CheckpointColumn

    init(_ d: BatchDecoder) {
        id = d.column("metaData.id")
        name = d.column("metaData.name")
        description = d.column("metaData.description")
        format = d.column("metaData.format")
        provider = format.child("provider")
        options = format.child("options")
        schemaString = d.column("metaData.schemaString")
        partitionColumns = d.column("metaData.partitionColumns")
        configuration = d.column("metaData.configuration")
        createdTime = d.column("metaData.createdTime")
    }

    func decode(_ row: Int) throws -> Metadata {
        var fileFormat = Metadata.Format()
        if !format.isNull(row) {
            fileFormat = Metadata.Format(provider: try provider.string(row) ?? "parquet", options: try options.stringMap(row) ?? [:])
        }
        return Metadata(id: try required(id.string(row), id), name: try name.string(row),
                        description: try description.string(row), format: fileFormat,
                        schemaString: try schemaString.string(row) ?? "",
                        partitionColumns: try partitionColumns.strings(row) ?? [],
                        configuration: try configuration.stringMap(row) ?? [:],
                        createdTime: try createdTime.int64(row))
    }
}

struct ProtocolColumns {
    let minReader, minWriter, readerFeatures, writerFeatures: CheckpointColumn

    init(_ d: BatchDecoder) {
        minReader = d.column("protocol.minReaderVersion")
        minWriter = d.column("protocol.minWriterVersion")
        readerFeatures = d.column("protocol.readerFeatures")
        writerFeatures = d.column("protocol.writerFeatures")
    }

    func decode(_ row: Int) throws -> ProtocolAction {
        let reader = try required(minReader.int64(row), minReader)
        let writer = try required(minWriter.int64(row), minWriter)
        guard let readerVersion = Int32(exactly: reader), let writerVersion = Int32(exactly: writer) else {
            throw DeltaError(.corruptLog, "protocol versions \(reader), \(writer) are out of range")
        }
        return ProtocolAction(minReaderVersion: Int(readerVersion), minWriterVersion: Int(writerVersion),
                              readerFeatures: try readerFeatures.strings(row)?.map(TableFeature.init(rawValue:)),
                              writerFeatures: try writerFeatures.strings(row)?.map(TableFeature.init(rawValue:)))
    }
}

struct DomainColumns {
    let domain, configuration, removed: CheckpointColumn

    init(_ d: BatchDecoder) {
        domain = d.column("domainMetadata.domain")
        configuration = d.column("domainMetadata.configuration")
        removed = d.column("domainMetadata.removed")
    }

    func decode(_ row: Int) throws -> DomainMetadata {
        DomainMetadata(domain: try required(domain.string(row), domain), configuration: try configuration.string(row) ?? "",
                       removed: try removed.bool(row) ?? false)
    }
}

struct CheckpointMetadataColumns {
    let version, tags: CheckpointColumn

    init(_ d: BatchDecoder) {
        version = d.column("checkpointMetadata.version")
        tags = d.column("checkpointMetadata.tags")
    }

    func decode(_ row: Int) throws -> CheckpointMetadata {
        CheckpointMetadata(version: try required(version.int64(row), version), tags: try tags.stringMap(row))
    }
}

struct SidecarColumns {
    let path, sizeInBytes, modificationTime, tags: CheckpointColumn

    init(_ d: BatchDecoder) {
        path = d.column("sidecar.path")
        sizeInBytes = d.column("sidecar.sizeInBytes")
        modificationTime = d.column("sidecar.modificationTime")
        tags = d.column("sidecar.tags")
    }

    func decode(_ row: Int) throws -> Sidecar {
        Sidecar(path: try required(path.string(row), path), sizeInBytes: try sizeInBytes.int64(row) ?? 0,
                modificationTime: try modificationTime.int64(row) ?? 0, tags: try tags.stringMap(row))
    }
}
