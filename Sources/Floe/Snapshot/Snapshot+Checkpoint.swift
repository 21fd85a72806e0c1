extension Snapshot {
    /// The default tombstone retention when `delta.deletedFileRetentionDuration` is absent:
    /// one week, in milliseconds.
    public static let defaultTombstoneRetention: Int64 = 7 * 24 * 3600 * 1000

    /// The tombstone retention from `delta.deletedFileRetentionDuration` (e.g. `"interval 1 week"`),
    /// in milliseconds, or ``defaultTombstoneRetention`` when absent.
    ///
    /// - Throws: ``DeltaError/Code/invalidArgument`` when the property is not an interval.
    public func tombstoneRetention() throws -> Int64 {
        guard let text = properties["delta.deletedFileRetentionDuration"] else { return Self.defaultTombstoneRetention }
        guard let millis = Self.parseInterval(text) else {
            throw DeltaError(.invalidArgument, "delta.deletedFileRetentionDuration '\(text)' is not an interval such as 'interval 7 days'")
        }
        return millis
    }

    /// Parses an interval property (`interval 7 days`, `interval 36 hours 30 minutes`) into
    /// milliseconds, saturating at `Int64.max`; nil when `text` is not an interval. One parser for
    /// every retention property: ``RetentionDuration/milliseconds(_:)``.
    static func parseInterval(_ text: String) -> Int64? {
        RetentionDuration.milliseconds(text)
    }

    /// The actions a (V1, classic) checkpoint of this snapshot must hold, for a checkpoint writer:
    /// protocol, metadata, every `txn`, live domain metadata, every active `add` (with
    /// `dataChange` false), and the tombstones not yet expired at `now` (without `stats` and
    /// `tags`, with `dataChange` false). No `commitInfo` or `cdc` actions.
    ///
    /// - Parameter now: The current time in milliseconds since the epoch; tombstones whose
    ///   `deletionTimestamp` is older than `now` minus ``tombstoneRetention()`` are dropped.
    public func checkpointActions(now: Int64) throws -> [Action] {
        let cutoff = now.saturatingSubtracting(try tombstoneRetention())
        let files = try fileState()
        var actions: [Action] = [.protocol(self.protocol), .metadata(metadata)]
        actions.append(contentsOf: files.setTransactions.keys.sorted().compactMap { files.setTransactions[$0].map(Action.txn) })
        actions.append(contentsOf: files.domainMetadata.keys.sorted().compactMap { files.domainMetadata[$0].map(Action.domainMetadata) })
        for add in files.activeFiles {
            var file = add
            file.dataChange = false
            actions.append(.add(file))
        }
        for tombstone in files.tombstones where (tombstone.deletionTimestamp ?? 0) > cutoff {
            var remove = tombstone
            remove.stats = nil
            remove.tags = nil
            remove.dataChange = false
            actions.append(.remove(remove))
        }
        return actions
    }
}
