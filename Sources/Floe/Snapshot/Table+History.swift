import Foundation

/// One version in a table's history.
public struct HistoryEntry: Sendable {
    /// The table version.
    public let version: Int64
    /// The commit time in milliseconds since the Unix epoch: `inCommitTimestamp` when present,
    /// else the commit file's modification time.
    public let timestamp: Int64
    /// The version's `commitInfo`, if the commit has one.
    public let commitInfo: CommitInfo?

    /// ``timestamp`` as a `Date`.
    public var date: Date { Date(timeIntervalSince1970: Double(timestamp) / 1000) }
}

extension Table {
    /// The history of the table, newest version first, from the commit files still in the log.
    ///
    /// - Parameter limit: The maximum number of entries; `nil` for all.
    /// - Throws: ``DeltaError/Code/tableNotFound``, ``DeltaError/Code/corruptLog`` (also for a
    ///   missing commit between the first and the last), ``DeltaError/Code/pathEscapesTable`` for
    ///   file paths outside the table.
    public func history(limit: Int? = nil) throws -> [HistoryEntry] {
        if let limit, limit < 0 { throw DeltaError(.invalidArgument, "history limit must not be negative, got \(limit)") }
        let listing = try LogListing(storage: storage, startingAt: nil)
        guard !listing.isEmpty else {
            throw DeltaError.tableNotFound(in: storage)
        }
        var commits = listing.commits.values.sorted { $0.version > $1.version }
        // Log cleanup deletes oldest first, so the commits left are consecutive: a gap is damage.
        for (newer, older) in zip(commits, commits.dropFirst()) where newer.version != older.version + 1 {
            throw DeltaError(.corruptLog, "table \(root): commit \(older.version + 1) is missing from _delta_log (the log has commits \(older.version) and \(newer.version) but none between)")
        }
        if let limit { commits = Array(commits.prefix(limit)) }
        return try commits.map { commit in
            let actions = try Snapshot.readCommit(commit, storage: storage)
            var info: CommitInfo?
            for case .commitInfo(let found) in actions { info = found; break }
            return HistoryEntry(version: commit.version,
                                timestamp: info?.inCommitTimestamp ?? commit.entry.modificationTime, commitInfo: info)
        }
    }
}
