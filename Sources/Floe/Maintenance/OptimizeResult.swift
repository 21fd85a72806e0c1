/// What ``Table/optimize(_:targetFileSize:where:commit:)`` did.
public struct OptimizeResult: Sendable, Hashable {
    /// One output file of a compaction and the files whose rows it holds.
    public struct Compaction: Sendable, Hashable {
        /// The partition (column name to serialized value; empty for unpartitioned tables).
        public let partitionValues: [String: String?]
        /// The URI-encoded paths of the compacted (removed) files.
        public let removedFiles: [String]
        /// Their total size in bytes.
        public let removedBytes: Int64
        /// The URI-encoded path of the new file.
        public let addedFile: String
        /// Its size in bytes.
        public let addedBytes: Int64
        /// Rows in the new file (the sum of the removed files' rows).
        public let rows: Int64
    }

    /// The version committed, nil when there was nothing to compact (no commit is made then).
    public let version: Int64?
    /// The compactions, one per new file, grouped by partition.
    public let compactions: [Compaction]
    /// Active files the optional condition selected (all active files without one).
    public let consideredFiles: Int
    /// Considered files left as they were: at least the target size, alone in their bin, or with
    /// a deletion vector.
    public let skippedFiles: Int

    /// Files removed.
    public var filesRemoved: Int { compactions.reduce(0) { $0 + $1.removedFiles.count } }
    /// Files added.
    public var filesAdded: Int { compactions.count }
    /// Bytes of the removed files.
    public var bytesRemoved: Int64 { compactions.map(\.removedBytes).saturatingSum() }
    /// Bytes of the added files.
    public var bytesAdded: Int64 { compactions.map(\.addedBytes).saturatingSum() }
    /// Partitions with at least one compaction.
    public var partitionsOptimized: Int { Set(compactions.map(\.partitionValues)).count }
}
