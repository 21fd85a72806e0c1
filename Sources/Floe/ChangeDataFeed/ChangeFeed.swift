import FloeColumnar

/// The kind of a row-level change in a table's change data feed (the `_change_type` column).
public enum ChangeType: String, Sendable, Hashable, CaseIterable {
    /// A row added by the commit.
    case insert
    /// A row removed by the commit.
    case delete
    /// A row as it was before an update.
    case updatePreimage = "update_preimage"
    /// A row as it is after an update.
    case updatePostimage = "update_postimage"
}

/// The row-level changes of a range of table versions, streamed one batch (row group) at a time.
/// Produced by ``Table/changeFeed(from:to:)``.
///
/// Each batch has the columns of ``schema``: the table's columns (as of ``endVersion``; files
/// written before a column existed read it as nulls) followed by `_change_type` (string, one of
/// ``ChangeType``), `_commit_version` (long) and `_commit_timestamp` (timestamp, UTC).
///
/// Per the protocol, a version with `cdc` actions contributes exactly the rows of its change data
/// files; a version without them contributes the rows of its `add` actions with `dataChange=true`
/// as inserts and the rows of the files its `remove` actions with `dataChange=true` remove as
/// deletes (compaction and other `dataChange=false` rewrites contribute nothing). Batches come in
/// version order, and within a version in the order of the commit's actions.
public struct ChangeFeed {
    /// The schema of every batch.
    public let schema: Schema
    /// The first version whose changes are returned.
    public let startVersion: Int64
    /// The last version whose changes are returned.
    public let endVersion: Int64
    /// The files to read, in order.
    let entries: [ChangeEntry]
    /// Reads and conforms data as of the end version.
    let scan: Scan
    var index = 0
    var current: ChangeFileBatches?

    init(schema: Schema, startVersion: Int64, endVersion: Int64, entries: [ChangeEntry], scan: Scan) {
        self.schema = schema
        self.startVersion = startVersion
        self.endVersion = endVersion
        self.entries = entries
        self.scan = scan
    }

    /// The number of files (change data files, or added and removed data files) the feed reads.
    public var fileCount: Int { entries.count }

    /// The next non-empty batch of changes, or nil at the end.
    ///
    /// - Throws: ``DeltaError`` when a file is missing (e.g. removed by VACUUM: ``DeltaError/Code/fileNotFound``),
    ///   unreadable (``DeltaError/Code/corruptData``), or uses deletion vectors
    ///   (``DeltaError/Code/unsupportedFeature``).
    public mutating func next() throws -> RecordBatch? {
        while true {
            if var reader = current {
                if let batch = try reader.next() {
                    current = reader
                    if batch.count > 0 { return batch }
                    continue
                }
                current = nil
            }
            guard index < entries.count else { return nil }
            current = try ChangeFileBatches(scan: scan, entry: entries[index], schema: schema)
            index += 1
        }
    }

    /// Reads every remaining change into memory.
    public mutating func readAll() throws -> [RecordBatch] {
        var batches: [RecordBatch] = []
        while let batch = try next() { batches.append(batch) }
        return batches
    }

    /// The names of the columns the change data feed adds after the table's.
    public static let changeTypeColumn = "_change_type"
    public static let commitVersionColumn = "_commit_version"
    public static let commitTimestampColumn = "_commit_timestamp"

    /// The three change columns.
    static let changeFields = [
        Field(changeTypeColumn, .string, isNullable: false),
        Field(commitVersionColumn, .int64, isNullable: false),
        Field(commitTimestampColumn, .timestamp(.microsecond, timezone: "UTC"), isNullable: false),
    ]
}

/// One file of a change data feed and how to read it.
struct ChangeEntry: Sendable {
    enum Kind: Sendable {
        /// A change data file with its own `_change_type` column.
        case changeData
        /// A data file whose rows are all of one change type.
        case rows(ChangeType)
    }

    var kind: Kind
    /// The URI-encoded path, relative to the table root.
    var path: String
    /// Serialized partition values (keys as stored: physical names under column mapping).
    var partitionValues: [String: String?]
    var deletionVector: DeletionVectorDescriptor?
    var version: Int64
    /// The commit timestamp in milliseconds since the epoch.
    var timestamp: Int64
}
