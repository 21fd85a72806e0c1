extension Table {
    /// How many updated snapshots may chain unresolved file states before ``update(_:)`` resolves
    /// one eagerly.
    static let maximumLazyUpdateDepth = 32

    /// The latest snapshot, computed incrementally from `snapshot` by replaying only the commits
    /// after it. Falls back to a full load when the commits after `snapshot` are not all in the
    /// log. Returns `snapshot` itself when nothing was committed since.
    ///
    /// - Throws: The errors of ``snapshot()``.
    public func update(_ snapshot: Snapshot) throws -> Snapshot {
        // Probe for the next commits by name (a stat each) instead of listing the whole log: a
        // writer that keeps its snapshot pays per new commit, not per commit in the table.
        var probed: [Int64: LogFile] = [:]
        var next = snapshot.version + 1
        while probed.count < 256, let entry = try storage.entry(at: LogFile.commitPath(next)), let file = LogFile(entry: entry) {
            probed[next] = file
            next += 1
        }
        let listing: (commits: [Int64: LogFile], latestVersion: Int64?)
        if probed.count < 256 {
            listing = (probed, probed.keys.max())
        } else {
            let full = try LogListing(storage: storage, startingAt: snapshot.version + 1)
            listing = (full.commits, full.latestVersion)
        }
        let newer = listing.commits.keys.filter { $0 > snapshot.version }.sorted()
        guard let latest = newer.last else { return snapshot }
        guard newer.count == Int(latest - snapshot.version), newer.first == snapshot.version + 1 else {
            return try self.snapshot()
        }
        // Protocol and metadata now; the file state (which costs time in the number of active
        // files) only when first used, from `snapshot`'s and the new commits: a blind appender
        // that keeps its snapshot never rebuilds it (checkpoints do, every checkpoint interval).
        var header = LogReplay()
        header.protocolAction = snapshot.protocol
        header.metadata = snapshot.metadata
        var commits: [[Action]] = []
        var commitFiles: [LogFile] = []
        var commitInfo: CommitInfo?
        for version in newer {
            guard let file = listing.commits[version] else { return try self.snapshot() }
            let actions = try Snapshot.readCommit(file, storage: storage)
            if version == latest {
                for case .commitInfo(let info) in actions { commitInfo = info; break }
            }
            header.applyProtocolAndMetadata(actions)
            commits.append(actions)
            commitFiles.append(file)
        }
        let files: LazyFileState
        let previous = snapshot.files
        if previous.isResolved || previous.depth < Self.maximumLazyUpdateDepth {
            let newCommits = commits
            files = LazyFileState(depth: previous.isResolved ? 1 : previous.depth + 1) {
                var replay = try LogReplay(seed: snapshot)
                for actions in newCommits { replay.apply(actions) }
                return replay.snapshotFiles
            }
        } else {
            var replay = try LogReplay(seed: snapshot)
            for actions in commits { replay.apply(actions) }
            files = LazyFileState(resolved: replay.snapshotFiles)
        }
        let old = snapshot.logSegment
        let segment = LogSegment(version: latest, checkpoint: old.checkpoint, commits: old.commits + commitFiles,
                                 versionCommit: listing.commits[latest], earliestVersion: old.earliestVersion,
                                 latestVersion: max(latest, listing.latestVersion ?? latest))
        return try Snapshot.finish(replay: header, files: files, segment: segment,
                                   commitInfo: commitInfo, storage: storage)
    }
}

extension LogReplay {
    /// A replay state equal to `snapshot`'s, ready to apply later commits.
    ///
    /// - Throws: The error reconstructing `snapshot`'s files.
    init(seed snapshot: Snapshot) throws {
        let state = try snapshot.fileState()
        protocolAction = snapshot.protocol
        metadata = snapshot.metadata
        files = state.activeFiles
        fileIndex.reserveCapacity(files.count)
        for (i, file) in state.activeFiles.enumerated() { fileIndex[file.fileKey] = i }
        liveCount = files.count
        for tombstone in state.tombstones { tombstones[tombstone.fileKey] = tombstone }
        transactions = state.setTransactions
        domains = state.domainMetadata
    }
}
