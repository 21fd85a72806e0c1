import Foundation

/// How a ``Table`` maintains its log after commits: automatic checkpoints every
/// `delta.checkpointInterval` versions and, after each, cleanup of expired log files.
///
/// Maintenance is best-effort: it runs after a commit has succeeded and never makes the commit
/// fail. Its outcome is reported to ``observer``.
public struct LogMaintenancePolicy: Sendable {
    /// Whether a successful commit of version `v` writes a checkpoint when `v` is a positive
    /// multiple of the table's `delta.checkpointInterval` (default 10), as Delta does.
    public var writesCheckpoints: Bool
    /// Encodes automatic checkpoints and those of ``Table/checkpoint(now:)``.
    public var checkpointWriter: any CheckpointWriter
    /// Whether expired log files are deleted after an automatic checkpoint (only when the table's
    /// `delta.enableExpiredLogCleanup` is not `false`; see ``Table/cleanUpExpiredLogs(now:)``).
    public var cleansUpExpiredLogs: Bool
    /// Receives every maintenance outcome, including failures. Called synchronously on the
    /// committing thread after the commit is durable.
    public var observer: (@Sendable (LogMaintenanceEvent) -> Void)?

    /// Creates a policy; by default checkpoints are written with a ``ParquetCheckpointWriter`` and
    /// expired logs are cleaned up.
    public init(writesCheckpoints: Bool = true, checkpointWriter: any CheckpointWriter = ParquetCheckpointWriter(),
                cleansUpExpiredLogs: Bool = true, observer: (@Sendable (LogMaintenanceEvent) -> Void)? = nil) {
        self.writesCheckpoints = writesCheckpoints
        self.checkpointWriter = checkpointWriter
        self.cleansUpExpiredLogs = cleansUpExpiredLogs
        self.observer = observer
    }

    /// No automatic checkpoints or cleanup.
    public static let disabled = LogMaintenancePolicy(writesCheckpoints: false, cleansUpExpiredLogs: false)

    /// Delta's default checkpoint interval.
    public static let defaultCheckpointInterval: Int64 = 10

    /// The checkpoint interval from `delta.checkpointInterval` in `properties`: a positive integer,
    /// else ``defaultCheckpointInterval``.
    public static func checkpointInterval(_ properties: [String: String]) -> Int64 {
        guard let text = properties["delta.checkpointInterval"],
              let value = Int64(text.trimmingCharacters(in: .whitespaces)), value > 0 else {
            return defaultCheckpointInterval
        }
        return value
    }
}

/// The outcome of one step of automatic log maintenance.
public enum LogMaintenanceEvent: Sendable {
    /// A checkpoint was written; `_last_checkpoint` holds (or was already newer than) the hint.
    case checkpointWritten(LastCheckpoint)
    /// Writing the checkpoint of `version` failed; the commit itself succeeded.
    case checkpointFailed(version: Int64, error: DeltaError)
    /// Expired log files were cleaned up (possibly none).
    case expiredLogsCleanedUp(LogCleanupResult)
    /// Cleaning up expired log files failed; some files may have been deleted.
    case cleanupFailed(error: DeltaError)
}
