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

    /// Parses `interval <n> <unit>` (weeks, days, hours, minutes, seconds, milliseconds; singular or
    /// plural; the `interval` keyword optional) into milliseconds.
    static func parseInterval(_ text: String) -> Int64? {
        var words = text.lowercased().split(separator: " ").map(String.init)
        if words.first == "interval" { words.removeFirst() }
        guard words.count == 2, let amount = Int64(words[0]), amount >= 0 else { return nil }
        var unit = words[1]
        if unit.hasSuffix("s") { unit.removeLast() }
        let scale: Int64
        switch unit {
        case "week": scale = 7 * 24 * 3600 * 1000
        case "day": scale = 24 * 3600 * 1000
        case "hour": scale = 3600 * 1000
        case "minute": scale = 60 * 1000
        case "second": scale = 1000
        case "millisecond": scale = 1
        default: return nil
        }
        let (result, overflow) = amount.multipliedReportingOverflow(by: scale)
        return overflow ? nil : result
    }

    /// The actions a (V1, classic) checkpoint of this snapshot must hold, for a checkpoint writer:
    /// protocol, metadata, every `txn`, live domain metadata, every active `add` (with
    /// `dataChange` false), and the tombstones not yet expired at `now` (without `stats` and
    /// `tags`, with `dataChange` false). No `commitInfo` or `cdc` actions.
    ///
    /// - Parameter now: The current time in milliseconds since the epoch; tombstones whose
    ///   `deletionTimestamp` is older than `now` minus ``tombstoneRetention()`` are dropped.
    public func checkpointActions(now: Int64) throws -> [Action] {
        let cutoff = now - (try tombstoneRetention())
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
