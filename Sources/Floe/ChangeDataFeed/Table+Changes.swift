import FloeColumnar

extension Table {
    /// The row-level changes committed in versions `start...end` (through the latest version when
    /// `end` is nil), read into memory. See ``changeFeed(from:to:)``.
    public func changes(from start: Int64, to end: Int64? = nil) throws -> [RecordBatch] {
        var feed = try changeFeed(from: start, to: end)
        return try feed.readAll()
    }

    /// The row-level changes committed in versions `start...end` (through the latest version when
    /// `end` is nil), streamed; see ``ChangeFeed`` for the columns and which files are read.
    ///
    /// Every version in the range must have the change data feed enabled
    /// (`delta.enableChangeDataFeed=true` in the metadata in effect after that commit) and its
    /// commit file must still be in the log. `_commit_timestamp` is the version's in-commit
    /// timestamp when In-Commit Timestamps are enabled, else its commit file's modification time
    /// made strictly increasing over the log (the times ``version(atOrBefore:)`` uses).
    ///
    /// Planning reads the commit files of the range (and the snapshot before it, to find the files
    /// that `remove` actions without partition values refer to); data is read by
    /// ``ChangeFeed/next()``.
    ///
    /// - Throws: ``DeltaError/Code/invalidArgument`` for a negative start or `start > end`;
    ///   ``DeltaError/Code/versionNotFound`` for versions after the latest or whose commits were
    ///   cleaned up; ``DeltaError/Code/unsupportedFeature`` for a version without the change data
    ///   feed; ``DeltaError/Code/tableNotFound``; ``DeltaError/Code/corruptLog``.
    public func changeFeed(from start: Int64, to end: Int64? = nil) throws -> ChangeFeed {
        guard start >= 0 else {
            throw DeltaError(.invalidArgument, "change data feed start version must not be negative, got \(start)")
        }
        let listing = try LogListing(storage: storage, startingAt: nil)
        guard let latest = listing.latestVersion else {
            throw DeltaError.tableNotFound(in: storage)
        }
        let last = end ?? latest
        if let end, end < start {
            throw DeltaError(.invalidArgument, "change data feed start version \(start) is after its end version \(end)")
        }
        guard start <= latest else {
            throw DeltaError(.versionNotFound, "change data feed start version \(start) of \(root) does not exist; the latest version is \(latest)")
        }
        guard last <= latest else {
            throw DeltaError(.versionNotFound, "change data feed end version \(last) of \(root) does not exist; the latest version is \(latest)")
        }
        let available = listing.commits.keys.sorted()
        for version in start...last where listing.commits[version] == nil {
            let range = available.first.map { "\($0)...\(available.last ?? $0)" } ?? "none"
            throw DeltaError(.versionNotFound, "the commit of version \(version) of \(root) is no longer in the log, so its changes cannot be read (commits available: \(range))")
        }

        let endSnapshot = try snapshot(version: last)
        let scan = try Scan(snapshot: endSnapshot, storage: storage, columns: nil, predicate: nil)
        let schema = Schema(scan.schema.fields + ChangeFeed.changeFields)

        // The state before `start`: its files resolve removes; its protocol and metadata carry
        // into the range.
        var replay = LogReplay()
        var protocolAction: ProtocolAction
        var metadata: Metadata
        if start > 0, let before = try? snapshot(version: start - 1) {
            replay = try LogReplay(seed: before)
            protocolAction = before.protocol
            metadata = before.metadata
        } else {
            let first = try snapshot(version: start)
            protocolAction = first.protocol
            metadata = first.metadata
        }
        let times = Self.monotonicCommitTimes(listing, through: last)

        var entries: [ChangeEntry] = []
        for version in start...last {
            guard let file = listing.commits[version] else { continue }
            let actions = try Snapshot.readCommit(file, storage: storage)
            var commitInfo: CommitInfo?
            for action in actions {
                switch action {
                case .protocol(let p): protocolAction = p
                case .metadata(let m): metadata = m
                case .commitInfo(let info): if commitInfo == nil { commitInfo = info }
                default: continue
                }
            }
            guard metadata.configuration["delta.enableChangeDataFeed"]?.lowercased() == "true" else {
                throw DeltaError(.unsupportedFeature, "version \(version) of \(root) does not have the change data feed enabled (delta.enableChangeDataFeed is not true), so its changes were not recorded")
            }
            var timestamp = times[version] ?? file.entry.modificationTime
            if Snapshot.inCommitTimestampEnabled(protocol: protocolAction, metadata: metadata), let ict = commitInfo?.inCommitTimestamp {
                timestamp = ict
            }
            let changeFiles = actions.compactMap { action -> AddCDCFile? in
                if case .cdc(let cdc) = action { return cdc }
                return nil
            }
            if !changeFiles.isEmpty {
                for cdc in changeFiles {
                    entries.append(ChangeEntry(kind: .changeData, path: cdc.path, partitionValues: cdc.partitionValues,
                                               deletionVector: nil, version: version, timestamp: timestamp))
                }
            } else {
                for action in actions {
                    switch action {
                    case .add(let add) where add.dataChange:
                        entries.append(ChangeEntry(kind: .rows(.insert), path: add.path, partitionValues: add.partitionValues,
                                                   deletionVector: add.deletionVector, version: version, timestamp: timestamp))
                    case .remove(let remove) where remove.dataChange:
                        let added = replay.fileIndex[remove.fileKey].flatMap { replay.files[$0] }
                        guard let partitionValues = remove.partitionValues ?? added?.partitionValues
                                ?? (metadata.partitionColumns.isEmpty ? [:] : nil) else {
                            throw DeltaError(.corruptLog, "version \(version) of \(root) removes '\(remove.path)' without partition values, and the file is not in the table before that version")
                        }
                        entries.append(ChangeEntry(kind: .rows(.delete), path: remove.path, partitionValues: partitionValues,
                                                   deletionVector: remove.deletionVector, version: version, timestamp: timestamp))
                    default:
                        continue
                    }
                }
            }
            replay.apply(actions)
        }
        return ChangeFeed(schema: schema, startVersion: start, endVersion: last, entries: entries, scan: scan)
    }

    /// Commit file modification times made strictly increasing from the oldest commit listed, as
    /// ``version(atOrBefore:)`` orders them.
    static func monotonicCommitTimes(_ listing: LogListing, through last: Int64) -> [Int64: Int64] {
        var times: [Int64: Int64] = [:]
        var previous: Int64?
        for version in listing.commits.keys.sorted() where version <= last {
            guard let file = listing.commits[version] else { continue }
            var time = file.entry.modificationTime
            if let previous, time <= previous, previous < Int64.max { time = previous + 1 }
            times[version] = time
            previous = time
        }
        return times
    }
}
