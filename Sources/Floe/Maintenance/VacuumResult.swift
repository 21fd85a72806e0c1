/// What ``Table/vacuum(retentionHours:dryRun:enforceRetentionDuration:recordsHistory:progress:)`` did or,
/// in a dry run, would do.
public struct VacuumResult: Sendable, Hashable {
    /// One file removed (or to be removed).
    public struct File: Sendable, Hashable {
        /// The path relative to the table root.
        public let path: String
        /// Its size in bytes.
        public let size: Int64
    }

    /// Whether nothing was deleted (a dry run).
    public let isDryRun: Bool
    /// The retention applied, in hours.
    public let retentionHours: Double
    /// Files deleted (or that a real run would delete), in path order.
    public let files: [File]
    /// Empty directories removed (never in a dry run), deepest first.
    public let directories: [String]
    /// The `VACUUM START` and `VACUUM END` versions, when recorded.
    public let startVersion: Int64?
    public let endVersion: Int64?

    /// The total size of ``files``.
    public var bytes: Int64 { files.map(\.size).saturatingSum() }
}

/// Progress of a vacuum's deletions, reported after each file.
public struct VacuumProgress: Sendable, Hashable {
    /// Files deleted so far.
    public let deleted: Int
    /// Files to delete in all.
    public let total: Int
    /// The file just deleted (relative path).
    public let path: String
}
