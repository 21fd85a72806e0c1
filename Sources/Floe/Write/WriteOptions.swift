import FloeColumnar
import FloeParquet

/// How ``Table/write(_:options:)`` changes a table.
///
/// Defaults: append, no schema evolution (an append whose columns do not fit the schema is
/// refused), ZSTD-compressed Parquet files of at most 4,194,304 rows each, Floe's commit retry
/// policy (blind appends retry until they commit).
public struct WriteOptions: Sendable {
    /// Whether rows are added to the table or replace (some of) it.
    public enum Mode: String, Sendable, Hashable {
        case append
        case overwrite
    }

    /// Append or overwrite.
    public var mode: Mode = .append
    /// With ``Mode/overwrite``: replace only the rows matching this condition over partition
    /// columns (Delta's `replaceWhere`); every written row must match it. Nil replaces everything.
    public var replaceWhere: Condition?
    /// Add columns that the data has and the table lacks (and relax nullability, widen types)
    /// instead of refusing the write.
    public var mergesSchema = false
    /// Idempotent streaming writes: the application id and its batch version. A write whose
    /// version is at or below the version the table records for the application is skipped.
    public var applicationTransaction: ApplicationTransaction?
    /// The Parquet layout of data files.
    public var parquet = ParquetWriteOptions()
    /// The most rows in one data file.
    public var maxRowsPerFile = 4_194_304
    /// The size data files are filled up to, in bytes of the rows in memory (uncompressed; files
    /// are smaller): the batches of a write — a Parquet input's row groups, for instance — are
    /// coalesced into files of about this size instead of one file per batch. Default 128 MiB.
    public var targetFileSize: Int64 = 128 << 20
    /// Free-form text stored in the commit's `commitInfo.userMetadata`.
    public var userMetadata: String?
    /// The operation name recorded in history (default `WRITE`, or `STREAMING UPDATE` with an
    /// application transaction).
    public var operation: String?
    /// Commit retry policy.
    public var commit = CommitOptions()
    /// The 1-based input line of each row of the write (row `i` of all batches together came
    /// from line `inputLines[i]`), when the rows came from text input: errors naming a row then
    /// name its input line too.
    public var inputLines: [Int]?

    /// Default options (append).
    public init() {}
}

/// What a write did.
public struct WriteResult: Sendable, Hashable {
    /// The version committed, or for a skipped write the table's current version.
    public let version: Int64
    /// Whether the write was skipped because its application transaction version was already
    /// committed (exactly-once streaming).
    public let isSkipped: Bool
    /// Data files added.
    public let filesAdded: Int
    /// Data files removed (overwrite).
    public let filesRemoved: Int
    /// Rows written.
    public let rowsWritten: Int
    /// Bytes of data files written.
    public let bytesWritten: Int
}

extension WriteOptions {
    /// ` (input line N)` for the 0-based row `row` of the write, or "" without ``inputLines``.
    func lineSuffix(row: Int) -> String {
        guard let lines = inputLines, row >= 0, row < lines.count else { return "" }
        return " (input line \(lines[row]))"
    }
}
