import Foundation

extension Table {
    /// Writes a classic checkpoint of the latest version with ``LogMaintenancePolicy/checkpointWriter``
    /// (a ``ParquetCheckpointWriter`` by default) and points `_last_checkpoint` at it.
    ///
    /// Tombstones older than `delta.deletedFileRetentionDuration` at `now` are left out. Log files
    /// are not cleaned up; see ``cleanUpExpiredLogs(now:)``.
    ///
    /// - Parameter now: The time tombstone expiry is measured from.
    /// - Returns: The `_last_checkpoint` hint describing the checkpoint.
    /// - Throws: The errors of ``snapshot()``, of the writer, and of storage.
    @discardableResult
    public func checkpoint(now: Date) throws -> LastCheckpoint {
        try checkpoint(nowMillis: try Self.epochMillis(now))
    }

    /// ``checkpoint(now:)`` at `nowMillis` milliseconds since the epoch.
    @discardableResult
    func checkpoint(nowMillis: Int64) throws -> LastCheckpoint {
        try writeCheckpoint(of: try snapshot(), using: logMaintenance.checkpointWriter, now: nowMillis)
    }

    /// Writes a classic checkpoint of the latest version as of the current time; see
    /// ``checkpoint(now:)``.
    @discardableResult
    public func checkpoint() throws -> LastCheckpoint {
        try checkpoint(nowMillis: Transaction.nowMillis())
    }
}

extension Transaction {
    /// Automatic log maintenance after this transaction committed `version`: a checkpoint when
    /// `version` is a positive multiple of `delta.checkpointInterval`, then cleanup of expired log
    /// files. Never throws; outcomes go to ``LogMaintenancePolicy/observer``.
    func maintainLog(afterCommitting version: Int64) {
        let policy = table.logMaintenance
        guard policy.writesCheckpoints, version > 0, let metadata = effectiveMetadata,
              version % LogMaintenancePolicy.checkpointInterval(metadata.configuration) == 0 else { return }
        let now = Self.nowMillis()
        let snapshot: Snapshot
        do {
            snapshot = try postCommitSnapshot(version)
            let hint = try table.writeCheckpoint(of: snapshot, using: policy.checkpointWriter, now: now)
            policy.observer?(.checkpointWritten(hint))
        } catch {
            policy.observer?(.checkpointFailed(version: version, error: Self.deltaError(error, "writing the checkpoint of version \(version)")))
            return
        }
        guard policy.cleansUpExpiredLogs, snapshot.isExpiredLogCleanupEnabled else { return }
        do {
            // Cleaned up first, reported after: inside `observer?(…)` the cleanup would run only
            // when an observer is set (optional chaining skips evaluating the argument).
            let result = try table.cleanUpExpiredLogs(of: snapshot, now: now)
            policy.observer?(.expiredLogsCleanedUp(result))
        } catch {
            policy.observer?(.cleanupFailed(error: Self.deltaError(error, "cleaning up expired log files")))
        }
    }

    /// The snapshot at the version this transaction committed, replaying only that commit when
    /// nothing else was committed in between.
    func postCommitSnapshot(_ version: Int64) throws -> Snapshot {
        if let readSnapshot, readSnapshot.version == version - 1 {
            let updated = try table.update(readSnapshot)
            if updated.version == version { return updated }
        }
        return try table.snapshot(version: version)
    }

    static func deltaError(_ error: any Error, _ doing: String) -> DeltaError {
        if let error = error as? DeltaError { return error }
        return DeltaError(.internalError, "\(doing) failed: \(error)", underlying: error)
    }
}
