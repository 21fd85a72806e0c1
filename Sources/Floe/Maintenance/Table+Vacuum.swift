import Foundation

extension Table {
    /// Deletes files in the table directory that the table no longer needs.
    ///
    /// A file is deleted when all of these hold:
    /// - it is under the table root, outside `_delta_log`, and neither it nor a directory on its
    ///   path is hidden (name starting with `_` or `.`), except the `_change_data` directory and
    ///   partition directories of partition columns starting with `_`; hidden files left by
    ///   crashed Floe writers (`.part-*.floe-tmp-*`) are candidates too, and so are the hidden
    ///   temporary files of commits and checkpoints in `_delta_log` (`.*.tmp`) that crashed
    ///   writers left (nothing in `_delta_log` is deleted otherwise);
    /// - no file action of the current snapshot refers to it (active files and their deletion
    ///   vector files, and tombstones whose `deletionTimestamp` is within the retention period);
    /// - no `add`, `remove` or `cdc` action of a commit within the retention period (commit time —
    ///   in-commit timestamp, else file modification time — at or after now − retention) refers to
    ///   it, so every version time travel within the period reaches keeps its files;
    /// - its modification time is older than the retention period (so files of writers still
    ///   running are kept), and older than one minute before vacuum started, whatever the
    ///   retention (``inFlightSlackMillis``: commits in flight, whose writers refresh their files'
    ///   times when they publish, are never deleted from);
    /// - it is not a symbolic link (links are neither followed nor deleted).
    ///
    /// Log paths are mapped to files by `TablePath` (the canonicalisation scans use); a path that
    /// cannot be mapped stops vacuum with ``DeltaError/Code/pathEscapesTable``. Files of commits
    /// published after the snapshot was read are protected too, and each file is looked at again
    /// just before it is deleted.
    ///
    /// Empty directories older than the retention period are removed afterwards. Unless
    /// `recordsHistory` is false, a real run commits `VACUUM START` (with `numFilesToDelete` and
    /// `sizeOfDataToDelete`) before deleting and `VACUUM END` (`numDeletedFiles`,
    /// `numVacuumedDirectories`) after, as Delta does; these commits hold only `commitInfo`.
    ///
    /// - Parameters:
    ///   - retentionHours: How long removed files stay available for time travel and concurrent
    ///     readers. Default: the table's `delta.deletedFileRetentionDuration` (default one week,
    ///     168 hours).
    ///   - dryRun: Only report what would be deleted.
    ///   - enforceRetentionDuration: Refuse a retention shorter than the table's
    ///     `delta.deletedFileRetentionDuration` (which would break time travel and can delete files
    ///     concurrent writers are about to commit).
    ///   - recordsHistory: Commit `VACUUM START`/`VACUUM END` (real runs only).
    ///   - progress: Called after each deleted file.
    /// - Throws: ``DeltaError/Code/invalidArgument`` for a negative, non-finite or (when enforced)
    ///   too short retention, or an unparsable retention property; ``DeltaError/Code/unsupportedFeature``
    ///   when Floe cannot write the table (vacuum checks the writer protocol, as the
    ///   `vacuumProtocolCheck` feature requires); ``DeltaError/Code/io``.
    @discardableResult
    public func vacuum(retentionHours: Double? = nil, dryRun: Bool = false, enforceRetentionDuration: Bool = true,
                       recordsHistory: Bool = true, progress: ((VacuumProgress) -> Void)? = nil) throws -> VacuumResult {
        try vacuum(retentionHours: retentionHours, dryRun: dryRun, enforceRetentionDuration: enforceRetentionDuration,
                   recordsHistory: recordsHistory, now: Transaction.nowMillis(), progress: progress)
    }

    /// ``vacuum(retentionHours:dryRun:enforceRetentionDuration:recordsHistory:progress:)`` as of
    /// `now` (milliseconds since the epoch).
    func vacuum(retentionHours: Double?, dryRun: Bool, enforceRetentionDuration: Bool, recordsHistory: Bool, now: Int64,
                progress: ((VacuumProgress) -> Void)?) throws -> VacuumResult {
        let snapshot = try self.snapshot()
        try Snapshot.validateReadable(snapshot.protocol, table: root)
        try Transaction.validateWritable(snapshot.protocol, metadata: snapshot.metadata, addsData: false, table: root)

        // Retentions are compared and applied in milliseconds, saturating (a retention longer
        // than Int64 milliseconds keeps everything), so no property or argument traps.
        let configuredMillis: Int64
        if let text = snapshot.properties["delta.deletedFileRetentionDuration"] {
            guard let millis = RetentionDuration.milliseconds(text) else {
                throw DeltaError(.invalidArgument, "table \(root) has an invalid delta.deletedFileRetentionDuration '\(text)' (expected e.g. 'interval 7 days')")
            }
            configuredMillis = millis
        } else {
            configuredMillis = RetentionDuration.milliseconds(hours: RetentionDuration.defaultHours)
        }
        let configured = Double(configuredMillis) / Double(RetentionDuration.hourMillis)
        if let retentionHours, !(retentionHours.isFinite && retentionHours >= 0) {
            throw DeltaError(.invalidArgument, "the vacuum retention must be a non-negative number of hours, got \(retentionHours)")
        }
        let retentionMillis = retentionHours.map(RetentionDuration.milliseconds(hours:)) ?? configuredMillis
        let retention = retentionHours ?? configured
        if enforceRetentionDuration && retentionMillis < configuredMillis {
            throw DeltaError(.invalidArgument, "a retention of \(Self.hoursText(retention)) hours is shorter than the table's delta.deletedFileRetentionDuration (\(Self.hoursText(configured)) hours): files still needed for time travel, or by writers still committing, could be deleted; disable the retention check (force) to do it anyway")
        }
        let cutoff = now.saturatingSubtracting(retentionMillis)
        // Files modified since shortly before vacuum started (`now`, taken before the snapshot was
        // read) may belong to commits in flight — ones this snapshot does not show — and are
        // never candidates, whatever the retention (writers refresh their files' times when they
        // publish, see `LocalStorage.writeIfAbsent(_:contents:afterMakingDurable:)`).
        let newest = min(cutoff, now.saturatingSubtracting(Self.inFlightSlackMillis))

        var protected = try protectedFiles(snapshot: snapshot, cutoff: cutoff)
        let physicalPartitions = snapshot.partitionColumns.map { column in
            snapshot.schema.field(named: column)?.physicalName(for: snapshot.columnMappingMode) ?? column
        }
        var candidates: [FileEntry] = []
        var directories: [FileEntry] = []
        try collect("", depth: 0, partitionColumns: physicalPartitions, files: &candidates, directories: &directories)
        // Temporary files of commits and checkpoints whose writer crashed before publishing them
        // (or between publishing and removing the temporary name).
        candidates += try storage.list(directory: "_delta_log").filter {
            !$0.isDirectory && !$0.isSymbolicLink && Self.isAbandonedLogTemporaryFile($0.name)
        }
        // Commits published since the snapshot was read protect their files too.
        try protectFilesOfCommits(after: snapshot.version, in: &protected)
        let doomed = candidates.filter { entry in
            entry.modificationTime < newest && !protected.paths.contains(entry.path)
                && !(protected.allDeletionVectors && entry.name.hasPrefix("deletion_vector_"))
        }.sorted { $0.path < $1.path }
        let files = doomed.map { VacuumResult.File(path: $0.path, size: $0.size) }
        if dryRun {
            return VacuumResult(isDryRun: true, retentionHours: retention, files: files, directories: [],
                                startVersion: nil, endVersion: nil)
        }

        var startVersion: Int64?
        if recordsHistory {
            var start = transaction(from: snapshot, operation: "VACUUM START")
            start.operationParameters["retentionCheckEnabled"] = String(enforceRetentionDuration)
            start.operationParameters["defaultRetentionMillis"] = String(configuredMillis)
            start.operationParameters["specifiedRetentionMillis"] = String(retentionMillis)
            start.operationMetrics["numFilesToDelete"] = String(files.count)
            start.operationMetrics["sizeOfDataToDelete"] = String(files.map(\.size).saturatingSum())
            startVersion = try start.commit().version
        }
        var deleted: [VacuumResult.File] = []
        for (i, file) in files.enumerated() {
            // Looked at again just before deleting: a file a writer has refreshed since the listing
            // (a commit being published) is kept, and so is anything no longer a plain old file.
            if let current = try storage.entry(at: file.path), !current.isDirectory, !current.isSymbolicLink,
               current.modificationTime < newest {
                try storage.delete(file.path)
                deleted.append(file)
            }
            progress?(VacuumProgress(deleted: i + 1, total: files.count, path: file.path))
        }
        var removed: [String] = []
        if let local = storage as? LocalStorage {
            // Deepest first, so a parent emptied by removing its children goes too.
            for directory in directories.sorted(by: { $0.path.count > $1.path.count }) where directory.modificationTime < newest {
                if try local.removeDirectoryIfEmpty(directory.path) { removed.append(directory.path) }
            }
        }
        var endVersion: Int64?
        if recordsHistory {
            var end = try transaction(operation: "VACUUM END")
            end.operationParameters["status"] = "COMPLETED"
            end.operationMetrics["numDeletedFiles"] = String(deleted.count)
            end.operationMetrics["numVacuumedDirectories"] = String(removed.count)
            endVersion = try end.commit().version
        }
        return VacuumResult(isDryRun: false, retentionHours: retention, files: deleted, directories: removed,
                            startVersion: startVersion, endVersion: endVersion)
    }

    /// How long before its start vacuum treats files as possibly belonging to a commit in flight
    /// (one minute): never deleted, whatever the retention. Covers the clock granularity of file
    /// times and a writer's time between refreshing its files and publishing its commit.
    static let inFlightSlackMillis: Int64 = 60_000

    /// Adds the files of the commits after `version` (published while vacuum ran) to `protected`.
    func protectFilesOfCommits(after version: Int64, in protected: inout (paths: Set<String>, allDeletionVectors: Bool)) throws {
        var next = version + 1
        while let entry = try storage.entry(at: LogFile.commitPath(next)), let file = LogFile(entry: entry) {
            for action in try Snapshot.readCommit(file, storage: storage) {
                switch action {
                case .add(let add): try protect(add.path, add.deletionVector, in: &protected)
                case .remove(let remove): try protect(remove.path, remove.deletionVector, in: &protected)
                case .cdc(let cdc): try protect(cdc.path, nil, in: &protected)
                default: continue
                }
            }
            next += 1
        }
    }

    /// Adds the file a log path names (and its deletion vector's file) to `protected`.
    ///
    /// - Throws: ``DeltaError/Code/pathEscapesTable`` when the path cannot be mapped to a file of
    ///   the table: vacuum stops rather than take the file for unreferenced.
    func protect(_ uriPath: String, _ dv: DeletionVectorDescriptor?, in protected: inout (paths: Set<String>, allDeletionVectors: Bool)) throws {
        protected.paths.insert(try TablePath.relative(PathCoding.decodeURIPath(uriPath), in: storage, what: "file"))
        guard let dv, dv.storageType != "i" else { return }
        do {
            if let file = try dv.relativePath(in: storage) { protected.paths.insert(file) }
        } catch let error as DeltaError where error.code == .pathEscapesTable {
            throw error
        } catch {
            protected.allDeletionVectors = true
        }
    }

    /// The table-relative paths that must not be deleted.
    ///
    /// `allDeletionVectors` is set when a deletion vector file name could not be derived, so no
    /// `deletion_vector_*` file may be deleted.
    func protectedFiles(snapshot: Snapshot, cutoff: Int64) throws -> (paths: Set<String>, allDeletionVectors: Bool) {
        var protected: (paths: Set<String>, allDeletionVectors: Bool) = ([], false)
        let files = try snapshot.fileState()
        for add in files.activeFiles { try protect(add.path, add.deletionVector, in: &protected) }
        for tombstone in files.tombstones where (tombstone.deletionTimestamp ?? 0) >= cutoff {
            try protect(tombstone.path, tombstone.deletionVector, in: &protected)
        }
        // Commits within the retention period, newest first. (The snapshot time travel to the
        // start of the period reads holds files still active or removed by one of these commits.)
        let listing = try LogListing(storage: storage, startingAt: nil)
        for version in listing.commits.keys.sorted(by: >) {
            guard let file = listing.commits[version] else { continue }
            let actions = try Snapshot.readCommit(file, storage: storage)
            var time = file.entry.modificationTime
            for case .commitInfo(let info) in actions {
                if let ict = info.inCommitTimestamp { time = ict }
                break
            }
            if time < cutoff { break }
            for action in actions {
                switch action {
                case .add(let add): try protect(add.path, add.deletionVector, in: &protected)
                case .remove(let remove): try protect(remove.path, remove.deletionVector, in: &protected)
                case .cdc(let cdc): try protect(cdc.path, nil, in: &protected)
                default: continue
                }
            }
        }
        return protected
    }

    /// Lists the vacuum candidates under `directory` (see ``vacuum(retentionHours:dryRun:enforceRetentionDuration:recordsHistory:progress:)``
    /// for what is skipped) and the directories visited.
    func collect(_ directory: String, depth: Int, partitionColumns: [String], files: inout [FileEntry], directories: inout [FileEntry]) throws {
        for entry in try storage.list(directory: directory) where !entry.isSymbolicLink {
            // A symbolic link is neither followed nor deleted: what it points to is not the table's.
            let name = entry.name
            let hidden = name.hasPrefix(".") || name.hasPrefix("_")
            if entry.isDirectory {
                if depth == 0 && name == "_delta_log" { continue }
                let visible = !hidden || (depth == 0 && name == "_change_data")
                    || partitionColumns.contains { name.hasPrefix(PathCoding.escapePartitionName($0) + "=") }
                guard visible else { continue }
                directories.append(entry)
                try collect(entry.path, depth: depth + 1, partitionColumns: partitionColumns, files: &files, directories: &directories)
            } else if !hidden || Self.isAbandonedTemporaryFile(name) {
                files.append(entry)
            }
        }
    }

    /// Whether `name` is the temporary file of a data file write (`.part-….floe-tmp-N`, see
    /// `ParquetFileWriter`), left behind when the writer crashed.
    static func isAbandonedTemporaryFile(_ name: String) -> Bool {
        name.hasPrefix(".part-") && name.contains(".floe-tmp-")
    }

    /// Whether `name` (in `_delta_log`) is the temporary file of a commit, checkpoint or
    /// `_last_checkpoint` write (`.<final name>.<uuid>.tmp`, see ``LocalStorage``), left behind
    /// when the writer crashed; hidden names ending in `.tmp`, which no reader interprets.
    static func isAbandonedLogTemporaryFile(_ name: String) -> Bool {
        name.hasPrefix(".") && name.hasSuffix(".tmp") && name.count > 5
    }

    static func hoursText(_ hours: Double) -> String {
        hours == hours.rounded() && abs(hours) < 1e15 ? String(Int64(hours)) : String(hours)
    }
}
