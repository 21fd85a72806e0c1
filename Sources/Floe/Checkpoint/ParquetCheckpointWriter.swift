import FloeColumnar
import FloeParquet

/// Writes classic (V1) Delta checkpoints as Parquet, in the protocol's checkpoint schema, so that
/// Spark, delta-rs and other Delta readers can start from them.
///
/// The file has one row per action and one nullable struct column per action type — `txn`, `add`,
/// `remove`, `metaData`, `protocol`, `domainMetadata` — with exactly one non-null struct per row:
///
/// ```
/// txn: struct<appId: string, version: long, lastUpdated: long>
/// add: struct<path: string, partitionValues: map<string,string>, size: long, modificationTime: long,
///             dataChange: boolean, stats: string, tags: map<string,string>,
///             deletionVector: struct<storageType: string, pathOrInlineDv: string, offset: int,
///                                    sizeInBytes: int, cardinality: long>,
///             baseRowId: long, defaultRowCommitVersion: long, clusteringProvider: string,
///             partitionValues_parsed: struct<…>, stats_parsed: struct<…>>
/// remove: struct<path, deletionTimestamp: long, dataChange, extendedFileMetadata: boolean,
///                partitionValues, size, deletionVector, baseRowId, defaultRowCommitVersion>
/// metaData: struct<id, name, description: string, format: struct<provider: string, options: map>,
///                  schemaString: string, partitionColumns: array<string>,
///                  configuration: map<string,string>, createdTime: long>
/// protocol: struct<minReaderVersion: int, minWriterVersion: int, readerFeatures: array<string>,
///                  writerFeatures: array<string>>
/// domainMetadata: struct<domain: string, configuration: string, removed: boolean>
/// ```
///
/// Table properties decide the statistics columns: `add.stats` (the JSON text) unless
/// `delta.checkpoint.writeStatsAsJson` is `false`; `add.stats_parsed` (typed statistics) and, for
/// partitioned tables, `add.partitionValues_parsed` when `delta.checkpoint.writeStatsAsStruct` is
/// `true` (see ``ParquetCheckpointWriter/statsParsedType(for:)``). Pages are compressed with
/// `delta.parquet.compression.codec` (`zstd`, `snappy`, `gzip`, `lz4_raw`, `uncompressed`),
/// ZSTD when absent or unknown.
///
/// `commitInfo` and `cdc` actions are not written (checkpoints must not hold them); remove
/// actions are written without `stats` and `tags`.
public struct ParquetCheckpointWriter: CheckpointWriter {
    /// The page codec; `nil` follows the table's `delta.parquet.compression.codec`.
    public var compression: ParquetWriteOptions.Compression?

    /// Creates a writer; `compression` overrides the table's codec property.
    public init(compression: ParquetWriteOptions.Compression? = nil) {
        self.compression = compression
    }

    /// The Parquet bytes of a classic checkpoint holding `actions` of `snapshot`'s table.
    ///
    /// - Throws: ``DeltaError/Code/invalidArgument`` when a value does not fit the checkpoint schema
    ///   (e.g. a deletion vector offset beyond 2^31), ``DeltaError/Code/internalError`` when Parquet
    ///   encoding fails.
    public func checkpointFile(for actions: [Action], of snapshot: Snapshot) throws -> [UInt8] {
        let batch = try checkpointBatch(for: actions, of: snapshot)
        var options = ParquetWriteOptions()
        options.compression = compression ?? Self.compression(for: snapshot.properties)
        options.keyValueMetadata = ["writer": "Floe \(FloeVersion.current)"]
        // The leading non-file actions (protocol, metaData, txn, domainMetadata, …) get a row group
        // of their own: readers that need only them skip the file actions by row group statistics.
        let leading = actions.firstIndex { if case .add = $0 { true } else if case .remove = $0 { true } else { false } } ?? actions.count
        do {
            let writer = try ParquetFileWriter(inMemorySchema: batch.schema, options: options)
            if leading > 0 && leading < batch.count {
                try writer.write(batch.slice(0, leading))
                try writer.endRowGroup()
                try writer.write(batch.slice(leading, batch.count - leading))
            } else {
                try writer.write(batch)
            }
            return try writer.finishInMemory().bytes
        } catch let error as ParquetError {
            throw DeltaError(.internalError, "encoding the checkpoint of version \(snapshot.version) failed: \(error.message)", underlying: error)
        }
    }

    /// The codec named by `delta.parquet.compression.codec`, or ZSTD.
    static func compression(for properties: [String: String]) -> ParquetWriteOptions.Compression {
        switch properties["delta.parquet.compression.codec"]?.lowercased() {
        case "uncompressed", "none": .uncompressed
        case "snappy": .snappy
        case "gzip": .gzip(level: 6)
        case "lz4_raw": .lz4Raw
        default: .zstd(level: 1)
        }
    }

    /// The checkpoint's rows as one record batch in the checkpoint schema.
    ///
    /// - Throws: ``DeltaError/Code/invalidArgument`` when a value does not fit the schema.
    public func checkpointBatch(for actions: [Action], of snapshot: Snapshot) throws -> RecordBatch {
        let properties = snapshot.properties
        let statsAsJSON = properties["delta.checkpoint.writeStatsAsJson"]?.lowercased() != "false"
        let statsAsStruct = properties["delta.checkpoint.writeStatsAsStruct"]?.lowercased() == "true"
        let parsed = statsAsStruct ? try ParsedStatsLayout(snapshot: snapshot) : nil

        let addCount = actions.reduce(0) { if case .add = $1 { $0 + 1 } else { $0 } }
        let txn = TxnEncoder(), add = AddEncoder(capacity: addCount, statsAsJSON: statsAsJSON, parsed: parsed,
                                                 partitionColumns: snapshot.partitionColumns)
        let remove = RemoveEncoder(partitionColumns: snapshot.partitionColumns)
        let metadata = MetadataEncoder(), proto = ProtocolEncoder(), domain = DomainEncoder()
        for action in actions {
            switch action {
            case .txn(let t): txn.append(t)
            case .add(let a): try add.append(a)
            case .remove(let r): try remove.append(r)
            case .metadata(let m): metadata.append(m)
            case .protocol(let p): try proto.append(p)
            case .domainMetadata(let d): domain.append(d)
            case .cdc, .commitInfo, .checkpointMetadata, .sidecar: continue
            }
            if case .txn = action {} else { txn.appendNull() }
            if case .add = action {} else { add.appendNull() }
            if case .remove = action {} else { remove.appendNull() }
            if case .metadata = action {} else { metadata.appendNull() }
            if case .protocol = action {} else { proto.appendNull() }
            if case .domainMetadata = action {} else { domain.appendNull() }
        }
        let columns = [try txn.finish(), try add.finish(), try remove.finish(), try metadata.finish(),
                       try proto.finish(), try domain.finish()]
        let schema = Schema(columns.map(\.field))
        do {
            return try RecordBatch(schema: schema, columns: columns.map(\.column))
        } catch {
            throw DeltaError(.internalError, "checkpoint columns do not match their schema: \(error)")
        }
    }
}

/// The `deletionVector` struct of `add` and `remove`.
final class DeletionVectorEncoder {
    static let fields = [Field("storageType", .string), Field("pathOrInlineDv", .string), Field("offset", .int32),
                         Field("sizeInBytes", .int32), Field("cardinality", .int64)]
    private let storageType = StringColumnBuilder(), path = StringColumnBuilder()
    private let offset = IntegerColumnBuilder<Int32>(.int32), size = IntegerColumnBuilder<Int32>(.int32)
    private let cardinality = IntegerColumnBuilder<Int64>(.int64)
    private var present = StructColumnBuilder()

    func appendNulls(_ n: Int) {
        storageType.appendNulls(n); path.appendNulls(n); offset.appendNulls(n); size.appendNulls(n)
        cardinality.appendNulls(n)
        present.appendNulls(n)
    }

    func append(_ dv: DeletionVectorDescriptor?) throws {
        guard let dv else { return appendNulls(1) }
        guard let sizeValue = Int32(exactly: dv.sizeInBytes), dv.offset.map({ Int32(exactly: $0) != nil }) ?? true else {
            throw DeltaError(.invalidArgument, "deletion vector \(dv.uniqueID) has a size or offset beyond the checkpoint schema's 32-bit integers")
        }
        storageType.append(dv.storageType)
        path.append(dv.pathOrInlineDv)
        offset.append(dv.offset.flatMap { Int32(exactly: $0) })
        size.append(sizeValue)
        cardinality.append(dv.cardinality)
        present.append(present: true)
    }

    func finish() throws -> Column {
        present.finish(fields: Self.fields, children: [try storageType.finish(), try path.finish(), offset.finish(),
                                                      size.finish(), cardinality.finish()])
    }
}

/// A finished action column and its field.
struct ActionColumn {
    let field: Field
    let column: Column
}

final class TxnEncoder {
    private let appID = StringColumnBuilder(), version = IntegerColumnBuilder<Int64>(.int64)
    private let lastUpdated = IntegerColumnBuilder<Int64>(.int64)
    private var present = StructColumnBuilder()
    private var pendingNulls = 0

    func append(_ t: SetTransaction) {
        flushNulls()
        appID.append(t.appID); version.append(t.version); lastUpdated.append(t.lastUpdated)
        present.append(present: true)
    }

    /// Records a row holding another action; nulls are appended in runs.
    func appendNull() { pendingNulls += 1 }

    private func flushNulls() {
        let n = pendingNulls
        guard n > 0 else { return }
        pendingNulls = 0
        appID.appendNulls(n); version.appendNulls(n); lastUpdated.appendNulls(n)
        present.appendNulls(n)
    }

    func finish() throws -> ActionColumn {
        flushNulls()
        let fields = [Field("appId", .string), Field("version", .int64), Field("lastUpdated", .int64)]
        let column = present.finish(fields: fields, children: [try appID.finish(), version.finish(), lastUpdated.finish()])
        return ActionColumn(field: Field("txn", column.dataType), column: column)
    }
}

final class AddEncoder {
    private let path: StringColumnBuilder, partitionValues = StringMapColumnBuilder()
    private let size: IntegerColumnBuilder<Int64>, modificationTime: IntegerColumnBuilder<Int64>
    private let dataChange = BooleanColumnBuilder(), stats: StringColumnBuilder?, tags = StringMapColumnBuilder()
    private let deletionVector = DeletionVectorEncoder()
    private let baseRowID = IntegerColumnBuilder<Int64>(.int64), defaultRowCommitVersion = IntegerColumnBuilder<Int64>(.int64)
    private let clusteringProvider = StringColumnBuilder()
    private let parsed: ParsedStatsEncoder?
    private let partitionColumns: [String]
    private var present = StructColumnBuilder()
    private var pendingNulls = 0

    init(capacity: Int, statsAsJSON: Bool, parsed: ParsedStatsLayout?, partitionColumns: [String]) {
        path = StringColumnBuilder(capacity: capacity)
        size = IntegerColumnBuilder(.int64, capacity: capacity)
        modificationTime = IntegerColumnBuilder(.int64, capacity: capacity)
        stats = statsAsJSON ? StringColumnBuilder(capacity: capacity) : nil
        self.parsed = parsed.map(ParsedStatsEncoder.init)
        self.partitionColumns = partitionColumns
    }

    func append(_ a: AddFile) throws {
        flushNulls()
        path.append(a.path)
        partitionValues.append(a.partitionValues, order: partitionColumns)
        size.append(a.size)
        modificationTime.append(a.modificationTime)
        dataChange.append(a.dataChange)
        stats?.append(a.stats)
        tags.append(a.tags)
        try deletionVector.append(a.deletionVector)
        baseRowID.append(a.baseRowID)
        defaultRowCommitVersion.append(a.defaultRowCommitVersion)
        clusteringProvider.append(a.clusteringProvider)
        try parsed?.append(a)
        present.append(present: true)
    }

    /// Records a row holding another action; nulls are appended in runs.
    func appendNull() { pendingNulls += 1 }

    private func flushNulls() {
        let n = pendingNulls
        guard n > 0 else { return }
        pendingNulls = 0
        path.appendNulls(n); partitionValues.appendNulls(n); size.appendNulls(n); modificationTime.appendNulls(n)
        dataChange.appendNulls(n); stats?.appendNulls(n); tags.appendNulls(n)
        deletionVector.appendNulls(n)
        baseRowID.appendNulls(n); defaultRowCommitVersion.appendNulls(n); clusteringProvider.appendNulls(n)
        parsed?.appendNulls(n)
        present.appendNulls(n)
    }

    func finish() throws -> ActionColumn {
        flushNulls()
        var fields = [Field("path", .string), Field("partitionValues", StringMapColumnBuilder.dataType),
                      Field("size", .int64), Field("modificationTime", .int64), Field("dataChange", .boolean)]
        var children = [try path.finish(), try partitionValues.finish(), size.finish(), modificationTime.finish(),
                        dataChange.finish()]
        if let stats {
            fields.append(Field("stats", .string))
            children.append(try stats.finish())
        }
        fields += [Field("tags", StringMapColumnBuilder.dataType), Field("deletionVector", .struct(DeletionVectorEncoder.fields)),
                   Field("baseRowId", .int64), Field("defaultRowCommitVersion", .int64), Field("clusteringProvider", .string)]
        children += [try tags.finish(), try deletionVector.finish(), baseRowID.finish(), defaultRowCommitVersion.finish(),
                     try clusteringProvider.finish()]
        if let parsed {
            for (field, column) in try parsed.finish() {
                fields.append(field)
                children.append(column)
            }
        }
        let column = present.finish(fields: fields, children: children)
        return ActionColumn(field: Field("add", column.dataType), column: column)
    }
}

final class RemoveEncoder {
    private let path = StringColumnBuilder(), deletionTimestamp = IntegerColumnBuilder<Int64>(.int64)
    private let dataChange = BooleanColumnBuilder(), extendedFileMetadata = BooleanColumnBuilder()
    private let partitionValues = StringMapColumnBuilder(), size = IntegerColumnBuilder<Int64>(.int64)
    private let deletionVector = DeletionVectorEncoder()
    private let baseRowID = IntegerColumnBuilder<Int64>(.int64), defaultRowCommitVersion = IntegerColumnBuilder<Int64>(.int64)
    private let partitionColumns: [String]
    private var present = StructColumnBuilder()
    private var pendingNulls = 0

    init(partitionColumns: [String]) { self.partitionColumns = partitionColumns }

    func append(_ r: RemoveFile) throws {
        flushNulls()
        path.append(r.path)
        deletionTimestamp.append(r.deletionTimestamp)
        dataChange.append(r.dataChange)
        extendedFileMetadata.append(r.extendedFileMetadata)
        partitionValues.append(r.partitionValues, order: partitionColumns)
        size.append(r.size)
        try deletionVector.append(r.deletionVector)
        baseRowID.append(r.baseRowID)
        defaultRowCommitVersion.append(r.defaultRowCommitVersion)
        present.append(present: true)
    }

    /// Records a row holding another action; nulls are appended in runs.
    func appendNull() { pendingNulls += 1 }

    private func flushNulls() {
        let n = pendingNulls
        guard n > 0 else { return }
        pendingNulls = 0
        path.appendNulls(n); deletionTimestamp.appendNulls(n); dataChange.appendNulls(n)
        extendedFileMetadata.appendNulls(n); partitionValues.appendNulls(n); size.appendNulls(n)
        deletionVector.appendNulls(n)
        baseRowID.appendNulls(n); defaultRowCommitVersion.appendNulls(n)
        present.appendNulls(n)
    }

    func finish() throws -> ActionColumn {
        flushNulls()
        let fields = [Field("path", .string), Field("deletionTimestamp", .int64), Field("dataChange", .boolean),
                      Field("extendedFileMetadata", .boolean), Field("partitionValues", StringMapColumnBuilder.dataType),
                      Field("size", .int64), Field("deletionVector", .struct(DeletionVectorEncoder.fields)),
                      Field("baseRowId", .int64), Field("defaultRowCommitVersion", .int64)]
        let column = present.finish(fields: fields, children: [
            try path.finish(), deletionTimestamp.finish(), dataChange.finish(), extendedFileMetadata.finish(),
            try partitionValues.finish(), size.finish(), try deletionVector.finish(), baseRowID.finish(),
            defaultRowCommitVersion.finish(),
        ])
        return ActionColumn(field: Field("remove", column.dataType), column: column)
    }
}

final class MetadataEncoder {
    private let id = StringColumnBuilder(), name = StringColumnBuilder(), description = StringColumnBuilder()
    private let provider = StringColumnBuilder(), options = StringMapColumnBuilder()
    private var format = StructColumnBuilder()
    private let schemaString = StringColumnBuilder(), partitionColumns = StringListColumnBuilder()
    private let configuration = StringMapColumnBuilder(), createdTime = IntegerColumnBuilder<Int64>(.int64)
    private var present = StructColumnBuilder()
    private var pendingNulls = 0

    func append(_ m: Metadata) {
        flushNulls()
        id.append(m.id); name.append(m.name); description.append(m.description)
        provider.append(m.format.provider); options.append(m.format.options); format.append(present: true)
        schemaString.append(m.schemaString.isEmpty ? nil : m.schemaString)
        partitionColumns.append(m.partitionColumns)
        configuration.append(m.configuration)
        createdTime.append(m.createdTime)
        present.append(present: true)
    }

    /// Records a row holding another action; nulls are appended in runs.
    func appendNull() { pendingNulls += 1 }

    private func flushNulls() {
        let n = pendingNulls
        guard n > 0 else { return }
        pendingNulls = 0
        id.appendNulls(n); name.appendNulls(n); description.appendNulls(n)
        provider.appendNulls(n); options.appendNulls(n); format.appendNulls(n)
        schemaString.appendNulls(n); partitionColumns.appendNulls(n); configuration.appendNulls(n)
        createdTime.appendNulls(n)
        present.appendNulls(n)
    }

    func finish() throws -> ActionColumn {
        flushNulls()
        let formatFields = [Field("provider", .string), Field("options", StringMapColumnBuilder.dataType)]
        let formatColumn = format.finish(fields: formatFields, children: [try provider.finish(), try options.finish()])
        let fields = [Field("id", .string), Field("name", .string), Field("description", .string),
                      Field("format", .struct(formatFields)), Field("schemaString", .string),
                      Field("partitionColumns", StringListColumnBuilder.dataType),
                      Field("configuration", StringMapColumnBuilder.dataType), Field("createdTime", .int64)]
        let column = present.finish(fields: fields, children: [
            try id.finish(), try name.finish(), try description.finish(), formatColumn, try schemaString.finish(),
            try partitionColumns.finish(), try configuration.finish(), createdTime.finish(),
        ])
        return ActionColumn(field: Field("metaData", column.dataType), column: column)
    }
}

final class ProtocolEncoder {
    private let minReader = IntegerColumnBuilder<Int32>(.int32), minWriter = IntegerColumnBuilder<Int32>(.int32)
    private let readerFeatures = StringListColumnBuilder(), writerFeatures = StringListColumnBuilder()
    private var present = StructColumnBuilder()
    private var pendingNulls = 0

    func append(_ p: ProtocolAction) throws {
        flushNulls()
        guard let reader = Int32(exactly: p.minReaderVersion), let writer = Int32(exactly: p.minWriterVersion) else {
            throw DeltaError(.invalidArgument, "protocol versions (\(p.minReaderVersion), \(p.minWriterVersion)) do not fit the checkpoint schema")
        }
        minReader.append(reader); minWriter.append(writer)
        readerFeatures.append(p.readerFeatures?.map(\.rawValue))
        writerFeatures.append(p.writerFeatures?.map(\.rawValue))
        present.append(present: true)
    }

    /// Records a row holding another action; nulls are appended in runs.
    func appendNull() { pendingNulls += 1 }

    private func flushNulls() {
        let n = pendingNulls
        guard n > 0 else { return }
        pendingNulls = 0
        minReader.appendNulls(n); minWriter.appendNulls(n); readerFeatures.appendNulls(n); writerFeatures.appendNulls(n)
        present.appendNulls(n)
    }

    func finish() throws -> ActionColumn {
        flushNulls()
        let fields = [Field("minReaderVersion", .int32), Field("minWriterVersion", .int32),
                      Field("readerFeatures", StringListColumnBuilder.dataType),
                      Field("writerFeatures", StringListColumnBuilder.dataType)]
        let column = present.finish(fields: fields, children: [minReader.finish(), minWriter.finish(),
                                                               try readerFeatures.finish(), try writerFeatures.finish()])
        return ActionColumn(field: Field("protocol", column.dataType), column: column)
    }
}

final class DomainEncoder {
    private let domain = StringColumnBuilder(), configuration = StringColumnBuilder(), removed = BooleanColumnBuilder()
    private var present = StructColumnBuilder()
    private var pendingNulls = 0

    func append(_ d: DomainMetadata) {
        flushNulls()
        domain.append(d.domain); configuration.append(d.configuration); removed.append(d.removed)
        present.append(present: true)
    }

    /// Records a row holding another action; nulls are appended in runs.
    func appendNull() { pendingNulls += 1 }

    private func flushNulls() {
        let n = pendingNulls
        guard n > 0 else { return }
        pendingNulls = 0
        domain.appendNulls(n); configuration.appendNulls(n); removed.appendNulls(n)
        present.appendNulls(n)
    }

    func finish() throws -> ActionColumn {
        flushNulls()
        let fields = [Field("domain", .string), Field("configuration", .string), Field("removed", .boolean)]
        let column = present.finish(fields: fields, children: [try domain.finish(), try configuration.finish(), removed.finish()])
        return ActionColumn(field: Field("domainMetadata", column.dataType), column: column)
    }
}
