import Foundation

/// A set of changes to a table, committed atomically as one new version with optimistic
/// concurrency.
///
/// Start one with ``Table/transaction()`` (from the latest snapshot), ``Table/transaction(from:)``
/// or ``Transaction/creatingTable(in:schema:partitionColumns:configuration:options:)``; stage
/// actions with the mutating methods; then call ``commit(options:)``.
///
/// Concurrency control (write-serializable, like Delta's default): when another writer commits
/// the version this transaction wanted, the winning commits are read and checked for real
/// conflicts — a protocol or metadata change; a file this transaction removes or read removed by
/// the winner; the same application id in `txn` actions; the same metadata domain; for
/// transactions that change metadata, any concurrent file change; and, when a read predicate was
/// recorded, files removed from the read partitions, or added there by a winner that was not a
/// blind append. A
/// conflict throws ``DeltaError/Code/conflict`` naming it; otherwise the transaction is rebased and
/// retried at the next version. Blind appends conflict only with protocol and metadata changes,
/// so concurrent blind appends always succeed, with contiguous versions.
///
/// Writer protocol: Floe commits only to tables whose writer features it supports
/// (``TableFeature/supportedWriterFeatures``); it enforces `delta.appendOnly`, writes in-commit
/// timestamps when enabled, keeps column-mapping ids and physical names, refuses files added
/// directly (not through ``Table/write(_:options:)``, which checks their rows) to tables with column
/// invariants or CHECK constraints, and refuses to add data to tables with generated or identity
/// columns or row tracking, which it cannot yet honour.
public struct Transaction: Sendable {
    /// The table being changed.
    public let table: Table
    /// The snapshot the transaction started from; `nil` when it creates the table.
    public let readSnapshot: Snapshot?

    /// The operation name recorded in `commitInfo`, e.g. `"WRITE"`, `"DELETE"`, `"CREATE TABLE"`.
    public var operation: String
    /// Operation parameters recorded in `commitInfo`.
    public var operationParameters: [String: String] = [:]
    /// Operation metrics recorded in `commitInfo` (e.g. `numFiles`, `numOutputRows`).
    public var operationMetrics: [String: String] = [:]
    /// Free-form user metadata recorded in `commitInfo`.
    public var userMetadata: String?
    /// The engine recorded in `commitInfo.engineInfo`; defaults to `Floe/<version>`.
    public var engineInfo: String = "Floe/\(FloeVersion.current)"

    /// Files this transaction adds.
    public internal(set) var addedFiles: [AddFile] = []
    /// Files this transaction removes.
    public internal(set) var removedFiles: [RemoveFile] = []
    /// Change data files this transaction adds.
    public internal(set) var changeDataFiles: [AddCDCFile] = []
    /// The new metadata, if the transaction changes it.
    public internal(set) var newMetadata: Metadata?
    /// The new protocol, if the transaction changes it.
    public internal(set) var newProtocol: ProtocolAction?
    /// Application transaction versions to record, by app id.
    public internal(set) var setTransactions: [String: SetTransaction] = [:]
    /// Metadata domain changes, by domain.
    public internal(set) var domainMetadataChanges: [String: DomainMetadata] = [:]
    /// Paths of files whose contents this transaction read.
    public internal(set) var readFilePaths: Set<String> = []
    /// The partitions whose contents this transaction read, if recorded.
    public internal(set) var readPredicate: ReadPredicate?
    /// The table constraints (``ConstraintChecker/keys``) the rows of ``addedFiles`` were checked
    /// against; nil when they were not checked (files added directly), which refuses the commit on a
    /// table with constraints.
    var checkedConstraints: Set<String>?

    /// Storage paths of files this transaction wrote without syncing (its data files); the commit
    /// makes them and their directories durable before it is published (see
    /// ``LogStorage/writeIfAbsent(_:contents:afterMakingDurable:)``).
    var unsyncedPaths: [String] = []

    /// A unique id for the transaction, recorded as `commitInfo.txnId`.
    public let id = UUID().uuidString.lowercased()

    /// Starts a transaction on `table` from `snapshot` (or, with `nil`, one that creates the table).
    init(table: Table, readSnapshot: Snapshot?, operation: String) {
        self.table = table
        self.readSnapshot = readSnapshot
        self.operation = operation
    }

    /// The metadata the table will have after this transaction.
    public var effectiveMetadata: Metadata? { newMetadata ?? readSnapshot?.metadata }

    /// The protocol the table will have after this transaction.
    public var effectiveProtocol: ProtocolAction? { newProtocol ?? readSnapshot?.protocol }

    /// Whether this transaction only adds files and read nothing (a blind append): no removes, no
    /// read files or predicate, no metadata, protocol or domain changes.
    public var isBlindAppend: Bool {
        removedFiles.isEmpty && readFilePaths.isEmpty && readPredicate == nil && newMetadata == nil
            && newProtocol == nil && domainMetadataChanges.isEmpty && !addedFiles.isEmpty
    }

    /// Stages a file addition. Paths must be URI-encoded and relative to the table root (see
    /// ``PathCoding/encodeURIPath(_:)``).
    public mutating func add(_ file: AddFile) { addedFiles.append(file) }

    /// Stages several file additions.
    public mutating func add(contentsOf files: [AddFile]) { addedFiles.append(contentsOf: files) }

    /// Stages a file removal; the file counts as read by this transaction.
    public mutating func remove(_ file: RemoveFile) {
        removedFiles.append(file)
        readFilePaths.insert(file.path)
    }

    /// Stages the removal of an active file, with its extended metadata and the current time.
    public mutating func remove(_ file: AddFile, dataChange: Bool = true) {
        remove(file.removal(deletionTimestamp: Self.nowMillis(), dataChange: dataChange))
    }

    /// Stages a change data file.
    public mutating func addChangeData(_ file: AddCDCFile) { changeDataFiles.append(file) }

    /// Replaces the table metadata.
    ///
    /// When the new properties or schema use a feature the protocol does not support yet (e.g.
    /// `delta.enableInCommitTimestamps`, `delta.appendOnly`, `timestamp_ntz` columns,
    /// `delta.columnMapping.mode`), the protocol is upgraded in the same commit (see
    /// ``ProtocolAction/supporting(_:)``). Under column mapping, fields without a column-mapping id
    /// or physical name get them and `delta.columnMapping.maxColumnId` is kept up to date.
    ///
    /// - Throws: ``DeltaError/Code/invalidArgument`` when the schema does not parse, a partition
    ///   column is not in it, or the column mapping mode changes other than `none` → `name`.
    public mutating func updateMetadata(_ metadata: Metadata) throws {
        let schema: StructType
        do {
            schema = try metadata.schema()
            try schema.validate()
        } catch let error as DeltaError {
            throw DeltaError(.invalidArgument, error.message, underlying: error)
        }
        for column in metadata.partitionColumns where schema.field(named: column) == nil {
            throw DeltaError(.invalidArgument, "partition column '\(column)' is not in the schema")
        }
        let fitted = try fittingColumnMapping(metadata, schema: schema)
        newMetadata = fitted
        requireFeatures(ProtocolAction.requiredFeatures(metadata: fitted, schema: try fitted.schema()))
    }

    /// Evolves the table schema to accept `incoming` (see ``StructType/merged(with:options:)``).
    /// Type widening is allowed only when `delta.enableTypeWidening` is `true`. Under column
    /// mapping, added fields (nested ones too) get the next column-mapping ids and new physical
    /// names (see ``updateMetadata(_:)``).
    ///
    /// - Throws: ``DeltaError/Code/schemaMismatch`` naming the incompatible column.
    public mutating func mergeSchema(_ incoming: StructType) throws {
        guard var metadata = effectiveMetadata else {
            throw DeltaError(.invalidArgument, "the transaction has no table metadata to evolve")
        }
        let widening = metadata.configuration["delta.enableTypeWidening"]?.lowercased() == "true"
        let current = try metadata.schema()
        let merged = try current.merged(with: incoming, options: SchemaMergeOptions(allowTypeWidening: widening))
        guard merged != current else { return }
        for field in merged.fields where field.type.nestingDepth > DeltaType.maxNestingDepth {
            throw DeltaError(.invalidArgument, "column '\(field.name)' would nest types \(field.type.nestingDepth) levels deep; the limit is \(DeltaType.maxNestingDepth) levels")
        }
        metadata.schemaString = merged.jsonString
        try updateMetadata(metadata)
    }

    /// Upgrades the protocol written by this transaction so that it supports `features`.
    mutating func requireFeatures(_ features: [TableFeature]) {
        guard let current = effectiveProtocol else { return }
        let upgraded = current.supporting(features)
        if upgraded != current { newProtocol = upgraded }
    }

    /// Replaces the table protocol. Protocol versions and features may only be added, never
    /// removed.
    ///
    /// - Throws: ``DeltaError/Code/invalidArgument`` when the new protocol would downgrade the
    ///   current one.
    public mutating func updateProtocol(_ newValue: ProtocolAction) throws {
        if let current = readSnapshot?.protocol {
            let droppedReader = Set(current.readerFeatures ?? []).subtracting(newValue.readerFeatures ?? [])
            let droppedWriter = Set(current.writerFeatures ?? []).subtracting(newValue.writerFeatures ?? [])
            guard newValue.minReaderVersion >= current.minReaderVersion, newValue.minWriterVersion >= current.minWriterVersion,
                  droppedReader.isEmpty, droppedWriter.isEmpty else {
                throw DeltaError(.invalidArgument, "the new protocol (\(newValue.minReaderVersion), \(newValue.minWriterVersion)) would downgrade the table's protocol or drop features")
            }
        }
        newProtocol = newValue
    }

    /// Records that application `appID` reached `version`, atomically with this commit (for
    /// idempotent writes: check ``Snapshot/transactionVersion(for:)`` first).
    public mutating func setTransaction(appID: String, version: Int64) {
        setTransactions[appID] = SetTransaction(appID: appID, version: version, lastUpdated: Self.nowMillis())
    }

    /// Sets the configuration of a user-controlled metadata domain, adding the `domainMetadata`
    /// writer feature to the protocol if needed.
    ///
    /// - Throws: ``DeltaError/Code/invalidArgument`` for system domains (names starting `delta.`).
    public mutating func setDomainMetadata(_ domain: String, configuration: String) throws {
        guard !domain.hasPrefix("delta.") else {
            throw DeltaError(.invalidArgument, "metadata domain '\(domain)' is system-controlled and cannot be set by users")
        }
        domainMetadataChanges[domain] = DomainMetadata(domain: domain, configuration: configuration, removed: false)
        requireFeatures([.domainMetadata])
    }

    /// Removes a user-controlled metadata domain (writing a tombstone carrying its last
    /// configuration).
    ///
    /// - Throws: ``DeltaError/Code/invalidArgument`` for system domains or domains that do not exist.
    public mutating func removeDomainMetadata(_ domain: String) throws {
        guard !domain.hasPrefix("delta.") else {
            throw DeltaError(.invalidArgument, "metadata domain '\(domain)' is system-controlled and cannot be removed by users")
        }
        guard let existing = try readSnapshot?.fileState().domainMetadata[domain] else {
            throw DeltaError(.invalidArgument, "metadata domain '\(domain)' does not exist")
        }
        domainMetadataChanges[domain] = DomainMetadata(domain: domain, configuration: existing.configuration, removed: true)
    }

    /// Records that the transaction read these files (they must not be removed concurrently).
    public mutating func recordRead(files: [AddFile]) {
        for file in files { readFilePaths.insert(file.path) }
    }

    /// Records which partitions the transaction read: a concurrent non-blind-append commit adding
    /// files there then conflicts with this one.
    public mutating func recordRead(_ predicate: ReadPredicate) {
        if case .wholeTable? = readPredicate { return }
        readPredicate = predicate
    }

    static func nowMillis() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }
}

extension Table {
    /// Starts a transaction from the latest snapshot.
    public func transaction(operation: String = "WRITE") throws -> Transaction {
        Transaction(table: self, readSnapshot: try snapshot(), operation: operation)
    }

    /// Starts a transaction from `snapshot`, which must belong to this table.
    public func transaction(from snapshot: Snapshot, operation: String = "WRITE") -> Transaction {
        Transaction(table: self, readSnapshot: snapshot, operation: operation)
    }
}
