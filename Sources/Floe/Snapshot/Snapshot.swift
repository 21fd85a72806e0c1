/// The state of a Delta table at one version: protocol, metadata, schema, the set of active files,
/// tombstones, application transaction versions and metadata domains.
///
/// A `Snapshot` is an immutable value produced by ``Table/snapshot()`` and friends; it holds no
/// open resources. Invariants: the protocol is readable by Floe (reader version 1–3, all reader
/// features supported); ``activeFiles`` holds one entry per logical file (path, deletion vector),
/// in the order the files were first added; no logical file is both active and a tombstone.
///
/// Loading is two-staged: the version, protocol, metadata, schema, timestamp and `commitInfo` are
/// read when the snapshot is made (for a Parquet checkpoint only its `protocol` and `metaData`
/// columns); the file-level state — ``activeFiles``, ``tombstones``, ``setTransactions`` and
/// ``domainMetadata`` — is reconstructed from the checkpoint and commits on first use, once, and
/// shared by all copies of the value (safely across tasks). Its content is exactly what an eager
/// replay gives. Call ``loadFiles()`` to reconstruct it up front and see any error.
public struct Snapshot: Sendable {
    /// A description of the table root (from ``LogStorage/rootDescription``).
    public let tableRoot: String
    /// The table version this snapshot represents.
    public let version: Int64
    /// The table's protocol at this version.
    public let `protocol`: ProtocolAction
    /// The table's metadata at this version.
    public let metadata: Metadata
    /// The parsed table schema.
    public let schema: StructType
    /// The commit timestamp of this version in milliseconds since the Unix epoch: the in-commit
    /// timestamp when In-Commit Timestamps are enabled, otherwise the commit file's modification
    /// time.
    public let timestamp: Int64
    /// The `commitInfo` of this version, when its commit file was read (always when the version
    /// is not a checkpoint version or In-Commit Timestamps are enabled).
    public let commitInfo: CommitInfo?
    /// The log files this snapshot was built from.
    public let logSegment: LogSegment
    /// The file-level state, reconstructed on first use.
    let files: LazyFileState

    /// The logical files in the table (reconciled `add` actions).
    ///
    /// Reconstructed on first use (see ``loadFiles()``). Should the log files it needs have become
    /// unreadable since the snapshot was made (deleted by log cleanup, damaged) with nothing else
    /// able to rebuild the version, this is empty; ``loadFiles()`` throws the error, and Floe's own
    /// readers and writers (scans, transactions, checkpoints, vacuum) fail with it.
    public var activeFiles: [AddFile] { (try? files.get())?.activeFiles ?? [] }
    /// Removed logical files still kept as tombstones (reconciled `remove` actions), sorted by
    /// path, then deletion vector unique id.
    /// Reconstructed on first use, like ``activeFiles``.
    public var tombstones: [RemoveFile] { (try? files.get())?.tombstones ?? [] }
    /// The latest `txn` action per application id. Reconstructed on first use, like ``activeFiles``.
    public var setTransactions: [String: SetTransaction] { (try? files.get())?.setTransactions ?? [:] }
    /// The live metadata domains (tombstoned domains excluded), by domain name. Reconstructed on
    /// first use, like ``activeFiles``.
    public var domainMetadata: [String: DomainMetadata] { (try? files.get())?.domainMetadata ?? [:] }

    /// Reconstructs the file-level state (``activeFiles``, ``tombstones``, ``setTransactions``,
    /// ``domainMetadata``) now, if it has not been yet. A checkpoint that turns out unreadable is
    /// replaced by an older checkpoint or the commits, as when opening a table.
    ///
    /// - Throws: ``DeltaError`` naming the file when the checkpoint or commits cannot be read and
    ///   nothing else can rebuild the version.
    public func loadFiles() throws { _ = try files.get() }

    /// The file-level state, reconstructing it on first use.
    func fileState() throws -> SnapshotFiles { try files.get() }

    /// The partition column names, in order.
    public var partitionColumns: [String] { metadata.partitionColumns }

    /// The table properties (`metaData.configuration`).
    public var properties: [String: String] { metadata.configuration }

    /// The last version recorded by the application `appID` with a `txn` action, if any.
    public func transactionVersion(for appID: String) -> Int64? { setTransactions[appID]?.version }

    /// The last version recorded by `appID`, surfacing errors reconstructing the file-level state.
    func recordedTransactionVersion(for appID: String) throws -> Int64? { try fileState().setTransactions[appID]?.version }

    /// Whether In-Commit Timestamps are enabled: the protocol lists the `inCommitTimestamp` writer
    /// feature and `delta.enableInCommitTimestamps` is `true`.
    public var isInCommitTimestampEnabled: Bool {
        Self.inCommitTimestampEnabled(protocol: self.protocol, metadata: metadata)
    }

    static func inCommitTimestampEnabled(protocol p: ProtocolAction, metadata: Metadata) -> Bool {
        p.hasWriterFeature(.inCommitTimestamp) && metadata.configuration["delta.enableInCommitTimestamps"]?.lowercased() == "true"
    }

    /// Whether the table is append-only: `delta.appendOnly` is `true` and the protocol supports it
    /// (writer version 2–6, or 7 with the `appendOnly` feature).
    public var isAppendOnly: Bool {
        guard metadata.configuration["delta.appendOnly"]?.lowercased() == "true" else { return false }
        let w = self.protocol.minWriterVersion
        return (2...6).contains(w) || (w == 7 && self.protocol.hasWriterFeature(.appendOnly))
    }

    /// The column mapping mode (`delta.columnMapping.mode`), honoured only when the protocol
    /// supports column mapping (reader version 2, or 3 with the `columnMapping` feature).
    public var columnMappingMode: ColumnMappingMode {
        let p = self.protocol
        let supported = p.minReaderVersion == 2 || (p.minReaderVersion == 3 && p.hasReaderFeature(.columnMapping))
        guard supported, let raw = metadata.configuration["delta.columnMapping.mode"]?.lowercased() else { return .none }
        return ColumnMappingMode(rawValue: raw) ?? .none
    }

    /// Checks that Floe can read a table with protocol `p`.
    ///
    /// - Throws: ``DeltaError/Code/unsupportedFeature`` naming the unsupported version or features.
    public static func validateReadable(_ p: ProtocolAction, table: String) throws {
        let unknown = (p.readerFeatures ?? []).filter { !TableFeature.supportedReaderFeatures.contains($0) }
        let names = unknown.map(\.rawValue).joined(separator: ", ")
        guard (1...3).contains(p.minReaderVersion) else {
            var message = "table \(table) requires reader version \(p.minReaderVersion); Floe supports reader versions 1 to 3"
            if !unknown.isEmpty { message += " and does not support the reader features: \(names)" }
            throw DeltaError(.unsupportedFeature, message)
        }
        if p.minReaderVersion == 3 && !unknown.isEmpty {
            throw DeltaError(.unsupportedFeature, "table \(table) requires reader features Floe does not support: \(names)")
        }
    }
}
