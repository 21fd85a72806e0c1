/// What ``Table/cleanUpExpiredLogs(now:)`` did.
public struct LogCleanupResult: Sendable, Hashable {
    /// The retention boundary in milliseconds since the epoch: `now` minus the log retention,
    /// rounded down to midnight UTC (as Delta does, so cleanup runs at most once a day's worth).
    public var cutoff: Int64
    /// The version of the checkpoint kept as the oldest state (the newest checkpoint at or before
    /// the newest commit not newer than ``cutoff``); `nil` when there is none and nothing was
    /// deleted.
    public var retainedCheckpointVersion: Int64?
    /// The table-relative paths deleted, oldest version first.
    public var deletedFiles: [String]

    /// Creates a result.
    public init(cutoff: Int64, retainedCheckpointVersion: Int64?, deletedFiles: [String]) {
        self.cutoff = cutoff
        self.retainedCheckpointVersion = retainedCheckpointVersion
        self.deletedFiles = deletedFiles
    }
}

extension Snapshot {
    /// Delta's default log retention, `interval 30 days`, in milliseconds.
    public static let defaultLogRetention: Int64 = 30 * 24 * 3600 * 1000

    /// The log retention from `delta.logRetentionDuration` (e.g. `"interval 30 days"`), in
    /// milliseconds, or ``defaultLogRetention`` when absent.
    ///
    /// - Throws: ``DeltaError/Code/invalidArgument`` when the property is not an interval.
    public func logRetention() throws -> Int64 {
        guard let text = properties["delta.logRetentionDuration"] else { return Self.defaultLogRetention }
        guard let millis = Self.parseInterval(text) else {
            throw DeltaError(.invalidArgument, "delta.logRetentionDuration '\(text)' is not an interval such as 'interval 30 days'")
        }
        return millis
    }

    /// Whether automatic cleanup of expired log files is enabled: `delta.enableExpiredLogCleanup`
    /// is not `false` (the default is `true`).
    public var isExpiredLogCleanupEnabled: Bool {
        properties["delta.enableExpiredLogCleanup"]?.lowercased() != "false"
    }
}

extension Table {
    /// Deletes log files that no version within the log retention needs, following the protocol's
    /// Metadata Cleanup.
    ///
    /// The cutoff is `now` minus `delta.logRetentionDuration` (default 30 days), rounded down to
    /// midnight UTC. The cutoff commit is the newest commit whose time (file modification time,
    /// made strictly increasing across versions as Delta does) is not after the cutoff; the
    /// retained checkpoint is the newest complete checkpoint at or before it. Deleted: commit
    /// files, checkpoint files and `.crc` files of versions before the retained checkpoint, and
    /// log compaction files starting at or before it. Kept: the retained checkpoint, its commit
    /// file and everything after — so every version whose commit is within the retention (and
    /// the cutoff commit) stays readable, while older versions fail with
    /// ``DeltaError/Code/versionNotFound``. With no cutoff commit or no checkpoint at or before
    /// it, nothing is deleted. When checkpoints were deleted, V2 sidecar files that no remaining
    /// checkpoint references and that are older than both the cutoff and the previous midnight are
    /// deleted too.
    ///
    /// This runs regardless of `delta.enableExpiredLogCleanup`, which only governs the automatic
    /// cleanup after checkpoints (see ``LogMaintenancePolicy``).
    ///
    /// - Parameter now: The current time in milliseconds since the epoch.
    /// - Throws: ``DeltaError/Code/invalidArgument`` for an invalid retention property; the
    ///   errors of ``snapshot()`` and of storage listing and deletion (files deleted before a
    ///   failure stay deleted; the log remains consistent because files go oldest first).
    @discardableResult
    public func cleanUpExpiredLogs(now: Int64) throws -> LogCleanupResult {
        try cleanUpExpiredLogs(of: try snapshot(), now: now)
    }

    /// Deletes the log files expired as of the current time; see ``cleanUpExpiredLogs(now:)``.
    @discardableResult
    public func cleanUpExpiredLogs() throws -> LogCleanupResult {
        try cleanUpExpiredLogs(now: Transaction.nowMillis())
    }

    /// ``cleanUpExpiredLogs(now:)`` with the retention of `snapshot` (the latest, or recent).
    func cleanUpExpiredLogs(of snapshot: Snapshot, now: Int64) throws -> LogCleanupResult {
        let retention = try snapshot.logRetention()
        let day: Int64 = 24 * 3600 * 1000
        let (difference, overflow) = now.subtractingReportingOverflow(retention)
        let cutoff = StatsJSON.floorDivide(overflow ? .min / 2 : difference, day) * day
        return try cleanUpLogs(olderThan: cutoff, now: now)
    }

    /// Deletes what the protocol's Metadata Cleanup allows for a cutoff timestamp.
    func cleanUpLogs(olderThan cutoff: Int64, now: Int64) throws -> LogCleanupResult {
        var files: [LogFile] = []
        for entry in try storage.list(directory: "_delta_log") {
            if let file = LogFile(entry: entry) { files.append(file) }
        }
        let listing = LogListing(files: files)
        // The cutoff commit: the newest whose monotonized timestamp is not after the cutoff.
        var cutoffCommit: Int64?
        var previous: Int64?
        for version in listing.commits.keys.sorted() {
            guard let commit = listing.commits[version] else { continue }
            var time = commit.entry.modificationTime
            if let previous, time <= previous { time = previous == .max ? previous : previous + 1 }
            previous = time
            if time <= cutoff { cutoffCommit = version } else { break }
        }
        guard let cutoffCommit,
              let retained = listing.checkpointFiles.keys.filter({ $0 <= cutoffCommit && !listing.checkpoints(at: $0).isEmpty }).max() else {
            return LogCleanupResult(cutoff: cutoff, retainedCheckpointVersion: nil, deletedFiles: [])
        }

        var doomed: [LogFile] = []
        for file in files {
            switch file.kind {
            case .commit, .checksum, .classicCheckpoint, .multiPartCheckpoint, .uuidCheckpoint:
                if file.version < retained { doomed.append(file) }
            case .compaction:
                if file.version <= retained { doomed.append(file) }
            }
        }
        // Oldest first, so an interrupted cleanup leaves a readable log.
        doomed.sort { ($0.version, $0.entry.name) < ($1.version, $1.entry.name) }
        var deleted: [String] = []
        for file in doomed {
            try storage.delete(file.entry.path)
            deleted.append(file.entry.path)
        }
        if doomed.contains(where: \.isCheckpoint) {
            deleted += try deleteUnreferencedSidecars(keptCheckpoints: listing.checkpointFiles.filter { $0.key >= retained },
                                                      olderThan: min(cutoff, StatsJSON.floorDivide(now, 24 * 3600 * 1000) * 24 * 3600 * 1000 - 24 * 3600 * 1000))
        }
        return LogCleanupResult(cutoff: cutoff, retainedCheckpointVersion: retained, deletedFiles: deleted)
    }

    /// Deletes files in `_delta_log/_sidecars` that no kept checkpoint references and whose
    /// modification time is before `threshold`. Does nothing when a kept checkpoint cannot be
    /// read (its references are unknown).
    func deleteUnreferencedSidecars(keptCheckpoints: [Int64: [LogFile]], olderThan threshold: Int64) throws -> [String] {
        let sidecars = try storage.list(directory: "_delta_log/_sidecars").filter { !$0.isDirectory }
        guard !sidecars.isEmpty else { return [] }
        var referenced = Set<String>()
        for (_, files) in keptCheckpoints {
            for file in files {
                let actions: [Action]
                do {
                    if case .uuidCheckpoint(_, true) = file.kind {
                        actions = try Action.parseLines(try storage.read(file.entry.path), source: file.entry.path)
                    } else if case .multiPartCheckpoint = file.kind {
                        continue  // V1 only: never references sidecars
                    } else {
                        guard let checkpointReader else { return [] }
                        actions = try checkpointReader.actions(in: [file.entry], from: storage)
                    }
                } catch {
                    return []
                }
                for case .sidecar(let sidecar) in actions { referenced.insert(sidecar.storagePath) }
            }
        }
        var deleted: [String] = []
        for sidecar in sidecars.sorted(by: { $0.path < $1.path })
        where !referenced.contains(sidecar.path) && sidecar.modificationTime < threshold {
            try storage.delete(sidecar.path)
            deleted.append(sidecar.path)
        }
        return deleted
    }
}

extension LogListing {
    /// Groups already listed log files.
    init(files: [LogFile]) {
        for file in files {
            switch file.kind {
            case .commit: commits[file.version] = file
            case .classicCheckpoint, .multiPartCheckpoint, .uuidCheckpoint: checkpointFiles[file.version, default: []].append(file)
            case .compaction: compactions.append(file)
            case .checksum: continue
            }
        }
    }
}
