import Foundation

extension Table {
    /// The snapshot of the latest version committed at or before `date`.
    ///
    /// See ``version(atOrBefore:)`` for how commit times are determined. A date after the latest
    /// commit gives the latest snapshot.
    ///
    /// - Throws: ``DeltaError/Code/timestampBeforeFirstCommit`` when `date` is earlier than the
    ///   oldest version that can still be reconstructed.
    public func snapshot(asOf date: Date) throws -> Snapshot {
        let millis = (date.timeIntervalSince1970 * 1000).rounded(.down)
        guard millis.isFinite, abs(millis) < 9e18 else {
            throw DeltaError(.invalidArgument, "date \(date) is out of range for time travel")
        }
        // One listing serves both the timestamp search and the snapshot's log segment.
        let (version, listing) = try resolveVersion(atOrBefore: Int64(millis))
        return try loadSnapshot(version: version, listing: listing)
    }

    /// The latest version whose commit timestamp is at or before `timestamp` (milliseconds since
    /// the Unix epoch).
    ///
    /// Commit timestamps follow the protocol: when In-Commit Timestamps are enabled on the latest
    /// snapshot, versions from `delta.inCommitTimestampEnablementVersion` on (all versions when the
    /// property is absent) use `commitInfo.inCommitTimestamp`, found by binary search reading
    /// O(log n) commit files; older versions use commit file modification times, made strictly
    /// increasing as Delta does (a commit's time is raised to one millisecond after its
    /// predecessor's when the clock went backwards).
    ///
    /// - Throws: ``DeltaError/Code/timestampBeforeFirstCommit`` naming the earliest commit and its
    ///   time.
    public func version(atOrBefore timestamp: Int64) throws -> Int64 {
        try resolveVersion(atOrBefore: timestamp).version
    }

    /// ``version(atOrBefore:)`` and the listing of the whole log it was found in.
    func resolveVersion(atOrBefore timestamp: Int64) throws -> (version: Int64, listing: LogListing) {
        // Only the protocol and metadata of the latest version are needed (ICT settings); its
        // files are never reconstructed here.
        let latest = try snapshot()
        let listing = try LogListing(storage: storage, startingAt: nil)
        let earliest = listing.earliestVersion ?? latest.version
        // Reconstructable versions with a commit file, ascending.
        let commits = earliest <= latest.version ? (earliest...latest.version).compactMap { listing.commits[$0] } : []
        return (try version(atOrBefore: timestamp, latest: latest, commits: commits), listing)
    }

    func version(atOrBefore timestamp: Int64, latest: Snapshot, commits: [LogFile]) throws -> Int64 {
        guard !commits.isEmpty else {
            throw DeltaError(.versionNotFound, "table \(root) has no commit files to time travel over")
        }

        if latest.isInCommitTimestampEnabled {
            let config = latest.metadata.configuration
            let enablementVersion = config["delta.inCommitTimestampEnablementVersion"].flatMap { Int64($0) } ?? 0
            let enablementTimestamp = config["delta.inCommitTimestampEnablementTimestamp"].flatMap { Int64($0) }
            let ictCommits = commits.filter { $0.version >= enablementVersion }
            let preCommits = commits.filter { $0.version < enablementVersion }
            if enablementTimestamp.map({ timestamp >= $0 }) ?? true, !ictCommits.isEmpty {
                // Binary search for the last commit with ICT <= timestamp.
                var low = 0, high = ictCommits.count - 1, found: Int?
                while low <= high {
                    let mid = (low + high) / 2
                    if try inCommitTimestamp(of: ictCommits[mid]) <= timestamp {
                        found = mid
                        low = mid + 1
                    } else {
                        high = mid - 1
                    }
                }
                if let found { return ictCommits[found].version }
                if preCommits.isEmpty {
                    let first = ictCommits[0]
                    throw DeltaError(.timestampBeforeFirstCommit, "timestamp \(Self.describe(timestamp)) is before the earliest available commit of \(root): version \(first.version) at \(Self.describe(try inCommitTimestamp(of: first)))")
                }
            }
            if !preCommits.isEmpty {
                return try Self.searchModificationTimes(preCommits, timestamp: timestamp, root: root)
            }
            throw DeltaError(.timestampBeforeFirstCommit, "timestamp \(Self.describe(timestamp)) is before In-Commit Timestamps were enabled on \(root) and no earlier commits remain")
        }
        return try Self.searchModificationTimes(commits, timestamp: timestamp, root: root)
    }

    /// The in-commit timestamp of a commit: `commitInfo.inCommitTimestamp` of its first action.
    func inCommitTimestamp(of commit: LogFile) throws -> Int64 {
        let bytes = try storage.read(commit.entry.path)
        // commitInfo must be the first action: parse only the first non-blank line.
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            let line = Array(bytes[start..<end])
            start = end + 1
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            let actions = try Action.parseLines(line, source: commit.entry.path)
            for case .commitInfo(let info) in actions {
                if let ict = info.inCommitTimestamp { return ict }
            }
            break
        }
        throw DeltaError(.corruptLog, "commit \(commit.entry.path) has no inCommitTimestamp in a leading commitInfo although In-Commit Timestamps are enabled")
    }

    /// Finds the last commit whose monotonized modification time is at or before `timestamp`.
    static func searchModificationTimes(_ commits: [LogFile], timestamp: Int64, root: String) throws -> Int64 {
        var previous = Int64.min
        var found: Int64?
        for commit in commits {
            let time = previous == Int64.min ? commit.entry.modificationTime
                : max(commit.entry.modificationTime, previous.addingReportingOverflow(1).overflow ? previous : previous + 1)
            previous = time
            if time <= timestamp { found = commit.version } else { break }
        }
        if let found { return found }
        let first = commits[0]
        throw DeltaError(.timestampBeforeFirstCommit, "timestamp \(describe(timestamp)) is before the earliest available commit of \(root): version \(first.version) at \(describe(first.entry.modificationTime))")
    }

    static func describe(_ millis: Int64) -> String {
        guard millis.magnitude < 1_000_000_000_000_000 else { return "\(millis) ms" }
        let seconds = millis >= 0 ? millis / 1000 : (millis - 999) / 1000
        let ms = millis - seconds * 1000
        let text = CivilTime.formatTimestamp(micros: seconds * 1_000_000)
        return "\(text).\(CivilTime.pad(ms, 3)) UTC (\(millis) ms)"
    }
}
