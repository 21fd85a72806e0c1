/// Reconciles actions in log order into table state, following the protocol's Action
/// Reconciliation rules: the latest protocol and metadata win, the latest `txn` per app id wins,
/// the latest domain metadata per domain wins (tombstones suppress), and file actions are keyed by
/// (path, deletion vector unique id) with the newest reference winning.
struct LogReplay {
    var protocolAction: ProtocolAction?
    var metadata: Metadata?
    /// Active files in first-added order; `nil` slots are files removed later.
    var files: [AddFile?] = []
    var fileIndex: [FileKey: Int] = [:]
    var tombstones: [FileKey: RemoveFile] = [:]
    var transactions: [String: SetTransaction] = [:]
    var domains: [String: DomainMetadata] = [:]
    var liveCount = 0

    mutating func apply(_ actions: [Action]) {
        for action in actions {
            switch action {
            case .add(let add):
                let key = add.fileKey
                tombstones[key] = nil
                if let index = fileIndex[key] {
                    if files[index] == nil { liveCount += 1 }
                    files[index] = add
                } else {
                    fileIndex[key] = files.count
                    files.append(add)
                    liveCount += 1
                }
            case .remove(let remove):
                let key = remove.fileKey
                if let index = fileIndex.removeValue(forKey: key), files[index] != nil {
                    files[index] = nil
                    liveCount -= 1
                }
                tombstones[key] = remove
            case .protocol(let p): protocolAction = p
            case .metadata(let m): metadata = m
            case .txn(let t): transactions[t.appID] = t
            case .domainMetadata(let d): domains[d.domain] = d
            case .cdc, .commitInfo, .checkpointMetadata, .sidecar: continue
            }
        }
    }

    /// Applies only the `protocol` and `metaData` actions of `actions` (the latest wins).
    mutating func applyProtocolAndMetadata(_ actions: [Action]) {
        for action in actions {
            switch action {
            case .protocol(let p): protocolAction = p
            case .metadata(let m): metadata = m
            default: continue
            }
        }
    }

    var activeFiles: [AddFile] {
        var result: [AddFile] = []
        result.reserveCapacity(liveCount)
        for file in files { if let file { result.append(file) } }
        return result
    }
}

extension Snapshot {
    /// Loads the snapshot described by `segment`: the protocol, metadata and timestamp now (for a
    /// Parquet checkpoint only its `protocol` and `metaData` columns, plus every commit after it),
    /// the file-level state lazily on first use.
    ///
    /// - Parameter excludedCheckpoints: Checkpoints already found unusable; when the segment's
    ///   checkpoint turns out unreadable during the lazy reconstruction, the version is rebuilt
    ///   without these and it.
    /// - Throws: ``DeltaError`` (`corruptLog`, `unsupportedFeature`, `io`, …) naming the file;
    ///   ``CheckpointUnreadable`` / ``CheckpointNeedsReader`` when the checkpoint's protocol and
    ///   metadata cannot be read.
    static func load(segment: LogSegment, storage: any LogStorage, checkpointReader: (any CheckpointReader)?,
                     excludedCheckpoints: Set<Int64> = []) throws -> Snapshot {
        var head = LogReplay()
        // The checkpoint's actions when they had to be read whole anyway (JSON checkpoints).
        var checkpointActions: [Action]?
        if let checkpoint = segment.checkpoint {
            if checkpoint.isJSON {
                let actions = try readCheckpoint(checkpoint, storage: storage, checkpointReader: checkpointReader)
                head.applyProtocolAndMetadata(actions)
                checkpointActions = actions
            } else {
                head.applyProtocolAndMetadata(try readCheckpointProtocolAndMetadata(checkpoint, storage: storage,
                                                                                    checkpointReader: checkpointReader))
            }
        }
        var commitInfo: CommitInfo?
        var tail: [[Action]] = []
        tail.reserveCapacity(segment.commits.count)
        for (i, commit) in segment.commits.enumerated() {
            let actions = try readCommit(commit, storage: storage)
            if i == segment.commits.count - 1 {
                for case .commitInfo(let info) in actions { commitInfo = info; break }
            }
            head.applyProtocolAndMetadata(actions)
            tail.append(actions)
        }
        let files = LazyFileState { [tail, checkpointActions] in
            var replay = LogReplay()
            if let checkpoint = segment.checkpoint {
                let failure: DeltaError?
                do {
                    replay.apply(try checkpointActions ?? readCheckpoint(checkpoint, storage: storage, checkpointReader: checkpointReader))
                    failure = nil
                } catch let error as CheckpointUnreadable {
                    failure = error.error
                } catch let error as CheckpointNeedsReader {
                    failure = error.error
                }
                if let failure {
                    return try rebuildFiles(segment: segment, without: excludedCheckpoints.union([checkpoint.version]),
                                            failure: failure, storage: storage, checkpointReader: checkpointReader)
                }
            }
            for actions in tail { replay.apply(actions) }
            return replay.snapshotFiles
        }
        return try finish(replay: head, files: files, segment: segment, commitInfo: commitInfo, storage: storage)
    }

    /// Loads the snapshot described by `segment` with its file-level state computed now.
    static func loadEagerly(segment: LogSegment, storage: any LogStorage, checkpointReader: (any CheckpointReader)?) throws -> Snapshot {
        var replay = LogReplay()
        if let checkpoint = segment.checkpoint {
            replay.apply(try readCheckpoint(checkpoint, storage: storage, checkpointReader: checkpointReader))
        }
        var commitInfo: CommitInfo?
        for (i, commit) in segment.commits.enumerated() {
            let actions = try readCommit(commit, storage: storage)
            if i == segment.commits.count - 1 {
                for case .commitInfo(let info) in actions { commitInfo = info; break }
            }
            replay.apply(actions)
        }
        return try finish(replay: replay, files: LazyFileState(resolved: replay.snapshotFiles), segment: segment,
                          commitInfo: commitInfo, storage: storage)
    }

    /// The file-level state of `segment.version` rebuilt without the checkpoints `excluded` (the
    /// segment's checkpoint proved unreadable after its protocol and metadata were read).
    ///
    /// - Throws: `failure`, extended with the reason nothing else works, when no older checkpoint
    ///   or complete commit history can rebuild the version.
    static func rebuildFiles(segment: LogSegment, without excluded: Set<Int64>, failure: DeltaError, storage: any LogStorage,
                             checkpointReader: (any CheckpointReader)?) throws -> SnapshotFiles {
        let table = Table(storage: storage, checkpointReader: checkpointReader)
        return try table.loadSnapshot(version: segment.version, excluding: excluded, firstFailure: failure, eager: true).fileState()
    }

    /// Reads only the `protocol` and `metaData` actions of a Parquet checkpoint.
    ///
    /// - Throws: ``CheckpointNeedsReader`` without a reader; ``CheckpointUnreadable`` wrapping the
    ///   reader's ``DeltaError``.
    static func readCheckpointProtocolAndMetadata(_ checkpoint: LogSegment.Checkpoint, storage: any LogStorage,
                                                 checkpointReader: (any CheckpointReader)?) throws -> [Action] {
        guard let checkpointReader else {
            let name = checkpoint.files.first?.entry.name ?? "checkpoint \(checkpoint.version)"
            throw CheckpointNeedsReader(error: DeltaError(.unsupportedFeature, "checkpoint \(name) is a Parquet file and no CheckpointReader is configured"))
        }
        do {
            return try checkpointReader.protocolAndMetadata(in: checkpoint.files.map(\.entry), from: storage)
        } catch let error as DeltaError {
            throw CheckpointUnreadable(version: checkpoint.version, error: error)
        }
    }

    /// Validates the replayed protocol and metadata and assembles the snapshot (schema, timestamp,
    /// protocol check) around the file-level state `files`.
    static func finish(replay: LogReplay, files: LazyFileState, segment: LogSegment, commitInfo: CommitInfo?,
                       storage: any LogStorage) throws -> Snapshot {
        let root = storage.rootDescription
        var commitInfo = commitInfo
        let range = segment.checkpoint.map { "checkpoint \($0.version) and commits up to \(segment.version)" }
            ?? "commits 0...\(segment.version)"
        guard let protocolAction = replay.protocolAction else {
            throw DeltaError(.corruptLog, "table \(root) has no protocol action in \(range)")
        }
        guard let metadata = replay.metadata else {
            throw DeltaError(.corruptLog, "table \(root) has no metaData action in \(range)")
        }
        try validateReadable(protocolAction, table: root)
        let schema: StructType
        do {
            schema = try metadata.schema()
        } catch let error as DeltaError {
            throw DeltaError(error.code, "table \(root) version \(segment.version): \(error.message)", underlying: error)
        }
        for column in metadata.partitionColumns where schema.field(named: column) == nil {
            throw DeltaError(.corruptLog, "table \(root) version \(segment.version): partition column '\(column)' is not in the schema")
        }

        // The version's timestamp.
        let ictEnabled = inCommitTimestampEnabled(protocol: protocolAction, metadata: metadata)
        if commitInfo == nil, ictEnabled, segment.commits.isEmpty, let commit = segment.versionCommit {
            for case .commitInfo(let info) in try readCommit(commit, storage: storage) { commitInfo = info; break }
        }
        let timestamp: Int64
        if ictEnabled {
            guard let ict = commitInfo?.inCommitTimestamp else {
                throw DeltaError(.corruptLog, "table \(root) has In-Commit Timestamps enabled but commit \(segment.version) has no commitInfo.inCommitTimestamp")
            }
            timestamp = ict
        } else if let commit = segment.versionCommit {
            timestamp = commit.entry.modificationTime
        } else {
            timestamp = segment.checkpoint?.files.first?.entry.modificationTime ?? 0
        }

        return Snapshot(tableRoot: root, version: segment.version, protocol: protocolAction, metadata: metadata,
                        schema: schema, timestamp: timestamp, commitInfo: commitInfo, logSegment: segment, files: files)
    }

    /// Reads and parses one commit file, and checks that its file paths lie inside the table
    /// (``TablePath/validate(_:in:source:)``).
    static func readCommit(_ file: LogFile, storage: any LogStorage) throws -> [Action] {
        let bytes: [UInt8]
        do {
            bytes = try storage.read(file.entry.path)
        } catch let error as DeltaError where error.code == .fileNotFound {
            throw DeltaError(.corruptLog, "commit file \(file.entry.name) disappeared while reading the log (concurrent cleanup?)", underlying: error)
        }
        if bytes.isEmpty {
            throw DeltaError(.corruptLog, "commit file \(file.entry.path) of version \(file.version) is empty")
        }
        let actions = try Action.parseLines(bytes, source: file.entry.path)
        // Every command reads commits through here: a path outside the table fails them all.
        try TablePath.validate(actions, in: storage, source: "commit file \(file.entry.path)")
        return actions
    }

    /// Reads a checkpoint's actions, including those in V2 sidecar files.
    ///
    /// - Throws: ``CheckpointNeedsReader`` when a Parquet file must be read without a reader;
    ///   ``CheckpointUnreadable`` (wrapping the reader's ``DeltaError``) when a checkpoint or
    ///   sidecar file cannot be read or decoded.
    static func readCheckpoint(_ checkpoint: LogSegment.Checkpoint, storage: any LogStorage,
                               checkpointReader: (any CheckpointReader)?) throws -> [Action] {
        var actions: [Action]
        let name = checkpoint.files.first?.entry.name ?? "checkpoint \(checkpoint.version)"
        if checkpoint.isJSON, let file = checkpoint.files.first {
            do {
                actions = try Action.parseLines(try storage.read(file.entry.path), source: file.entry.path)
            } catch let error as DeltaError {
                throw CheckpointUnreadable(version: checkpoint.version, error: error)
            }
        } else {
            guard let checkpointReader else {
                throw CheckpointNeedsReader(error: DeltaError(.unsupportedFeature, "checkpoint \(name) is a Parquet file and no CheckpointReader is configured"))
            }
            do {
                actions = try checkpointReader.actions(in: checkpoint.files.map(\.entry), from: storage)
            } catch let error as DeltaError {
                throw CheckpointUnreadable(version: checkpoint.version, error: error)
            }
        }
        var sidecars: [FileEntry] = []
        for case .sidecar(let sidecar) in actions {
            sidecars.append(FileEntry(path: sidecar.storagePath, size: sidecar.sizeInBytes, modificationTime: sidecar.modificationTime))
        }
        if !sidecars.isEmpty {
            guard let checkpointReader else {
                throw CheckpointNeedsReader(error: DeltaError(.unsupportedFeature, "checkpoint \(name) keeps its file actions in Parquet sidecar files and no CheckpointReader is configured"))
            }
            do {
                actions.append(contentsOf: try checkpointReader.actions(in: sidecars, from: storage))
            } catch let error as DeltaError {
                throw CheckpointUnreadable(version: checkpoint.version, error: DeltaError(error.code, "checkpoint \(name): sidecar: \(error.message)", underlying: error.underlying))
            }
        }
        // A hostile path is not a damaged checkpoint to fall back from: it fails the command.
        try TablePath.validate(actions, in: storage, source: "checkpoint \(name)")
        return actions
    }
}

/// Thrown inside snapshot loading when a checkpoint (or one of its sidecars) cannot be read, so
/// the loader can fall back to an older checkpoint or the commits; converted to its
/// ``DeltaError`` when there is no fallback.
struct CheckpointUnreadable: Error {
    let version: Int64
    let error: DeltaError
}

/// Thrown inside snapshot loading when a checkpoint needs a ``CheckpointReader`` that is absent,
/// so the loader can retry without that checkpoint; converted to its ``DeltaError`` otherwise.
struct CheckpointNeedsReader: Error {
    let error: DeltaError
}
