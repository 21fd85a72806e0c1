import Foundation

extension Table {
    /// `date` in whole milliseconds since the epoch (Delta's unit for commit times): rounded down,
    /// except that a date within a microsecond of a whole millisecond (a millisecond value that
    /// went through `Double`) is taken as that millisecond.
    ///
    /// - Throws: ``DeltaError/Code/invalidArgument`` for a date out of range.
    static func epochMillis(_ date: Date) throws -> Int64 {
        let exact = date.timeIntervalSince1970 * 1000
        guard exact.isFinite, abs(exact) < 9e18 else {
            throw DeltaError(.invalidArgument, "date \(date) is out of range for time travel")
        }
        let nearest = exact.rounded()
        return Int64(abs(exact - nearest) < 0.001 ? nearest : exact.rounded(.down))
    }

    /// The snapshot of the latest version committed at or before `date`.
    ///
    /// See ``version(atOrBefore:)`` for how commit times are determined and when the log is
    /// listed. A date after the latest commit gives the latest snapshot. The version found is
    /// loaded as by ``snapshot(version:)`` (from the newest checkpoint at or below it, looked for
    /// by name), or from the one listing made for the search.
    ///
    /// - Throws: ``DeltaError/Code/timestampBeforeFirstCommit`` when `date` is earlier than the
    ///   oldest version that can still be reconstructed.
    public func snapshot(asOf date: Date) throws -> Snapshot {
        let millis = try Self.epochMillis(date)
        let latest = try snapshot()
        if let version = try probedVersion(atOrBefore: millis, latest: latest) {
            // The version's snapshot from the newest checkpoint at or below it, found by name.
            return version == latest.version ? latest : try loadSnapshot(version: version)
        }
        // One listing serves both the timestamp search and the snapshot's log segment.
        let (version, listing) = try listedVersion(atOrBefore: millis, latest: latest)
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
    /// When the timestamp falls in the In-Commit Timestamp range, the log is not listed: the
    /// latest version comes from opening the latest snapshot (by name after `_last_checkpoint`),
    /// the earliest remaining commit from a binary search over commit file names (cleanup deletes
    /// oldest first), and the version from a binary search reading the first line of
    /// O(log n) commit files. Otherwise, or when the log is not as that search assumes, the whole
    /// log is listed once.
    ///
    /// - Throws: ``DeltaError/Code/timestampBeforeFirstCommit`` naming the earliest commit and its
    ///   time.
    public func version(atOrBefore date: Date) throws -> Int64 {
        try version(atOrBeforeMillis: try Self.epochMillis(date))
    }

    /// ``version(atOrBefore:)`` for a time in milliseconds since the epoch (Delta's commit time unit).
    func version(atOrBeforeMillis timestamp: Int64) throws -> Int64 {
        let latest = try snapshot()
        if let version = try probedVersion(atOrBefore: timestamp, latest: latest) { return version }
        return try listedVersion(atOrBefore: timestamp, latest: latest).version
    }

    /// ``version(atOrBefore:)`` found from a listing of the whole log, and that listing.
    func listedVersion(atOrBefore timestamp: Int64, latest: Snapshot) throws -> (version: Int64, listing: LogListing) {
        let listing = try LogListing(storage: storage, startingAt: nil)
        let earliest = listing.earliestVersion ?? latest.version
        // Reconstructable versions with a commit file, ascending.
        let commits = earliest <= latest.version ? (earliest...latest.version).compactMap { listing.commits[$0] } : []
        return (try version(atOrBefore: timestamp, latest: latest, commits: commits), listing)
    }

    /// ``version(atOrBefore:)`` found without listing the log, by In-Commit Timestamps, or `nil`
    /// when the listing path must answer: In-Commit Timestamps are disabled on `latest`, the
    /// timestamp is before their enablement, commits from before the enablement remain and the
    /// timestamp is before the first in-commit timestamp, the earliest remaining commit is neither
    /// version 0 nor has a classic checkpoint (so the reconstructable range is unknown without a
    /// listing), or a probed commit is missing, unreadable or lacks an in-commit timestamp.
    ///
    /// Answers exactly as the listing path: the same versions are candidates (commits from the
    /// earliest reconstructable version, and from the enablement version, to the latest) and
    /// in-commit timestamps are strictly increasing, so the binary search finds the same latest
    /// commit at or before `timestamp`; the boundary commit next to the answer is always read.
    ///
    /// - Throws: ``DeltaError/Code/timestampBeforeFirstCommit`` when `timestamp` is before the
    ///   in-commit timestamp of the earliest candidate and no older commits remain; errors of
    ///   reading are not thrown (the listing path then answers or throws).
    func probedVersion(atOrBefore timestamp: Int64, latest: Snapshot) throws -> Int64? {
        guard latest.isInCommitTimestampEnabled else { return nil }
        let config = latest.metadata.configuration
        let versionText = config["delta.inCommitTimestampEnablementVersion"]
        let timestampText = config["delta.inCommitTimestampEnablementTimestamp"]
        // Both enablement properties or neither (enabled at creation).
        guard (versionText == nil) == (timestampText == nil) else { return nil }
        var enablement: Int64 = 0
        if let versionText, let timestampText {
            guard let v = Int64(versionText), v >= 0, let t = Int64(timestampText) else { return nil }
            // Before enablement, modification times decide: the listing path.
            guard timestamp >= t else { return nil }
            enablement = v
        }
        do {
            let latestVersion = latest.version
            guard latestVersion >= enablement, try commitExists(latestVersion) else { return nil }
            // The earliest remaining commit: cleanup deletes oldest first, so the commits that
            // remain are a contiguous suffix ending at the latest.
            var first: Int64
            if try commitExists(0) {
                first = 0
            } else {
                var missing: Int64 = 0, present = latestVersion
                while present - missing > 1 {
                    let mid = missing + (present - missing) / 2
                    if try commitExists(mid) { present = mid } else { missing = mid }
                }
                first = present
                // Without commit 0 a version is reconstructable only from a checkpoint at or below
                // it; cleanup keeps the retained checkpoint's commit. Anything else: list.
                let checkpoint = "_delta_log/" + LogFile.versionPrefix(first) + ".checkpoint.parquet"
                guard try storage.entry(at: checkpoint) != nil else { return nil }
            }
            let start = max(first, enablement)
            // Binary search for the last version in start...latest with ICT <= timestamp.
            var low = start, high = latestVersion
            var found: Int64?
            var startTimestamp: Int64?
            while low <= high {
                let mid = low + (high - low) / 2
                let ict = try inCommitTimestamp(ofVersion: mid)
                if mid == start { startTimestamp = ict }
                if ict <= timestamp {
                    found = mid
                    low = mid + 1
                } else {
                    high = mid - 1
                }
            }
            if let found { return found }
            // Commits before the enablement remain: their modification times decide.
            guard first >= enablement, let startTimestamp else { return nil }
            throw DeltaError(.timestampBeforeFirstCommit, "timestamp \(Self.describe(timestamp)) is before the earliest available commit of \(root): version \(start) at \(Self.describe(startTimestamp))")
        } catch let error as DeltaError where error.code == .timestampBeforeFirstCommit {
            throw error
        } catch {
            return nil
        }
    }

    /// Whether the commit file of `version` exists (one `stat`).
    private func commitExists(_ version: Int64) throws -> Bool {
        try storage.entry(at: LogFile.commitPath(version)) != nil
    }

    /// The in-commit timestamp of commit `version`, reading only its first line (a ranged read,
    /// widened until the line ends).
    func inCommitTimestamp(ofVersion version: Int64) throws -> Int64 {
        let path = LogFile.commitPath(version)
        var length = 4096
        while true {
            let bytes = try storage.read(path, offset: 0, length: length)
            let newline = bytes.firstIndex(of: 0x0A)
            if newline == nil, bytes.count >= length, length < 64 << 20 {
                length *= 4
                continue
            }
            let line = Array(bytes[..<(newline ?? bytes.count)])
            let actions = try Action.parseLines(line, source: path)
            for case .commitInfo(let info) in actions {
                if let ict = info.inCommitTimestamp { return ict }
            }
            throw DeltaError(.corruptLog, "commit \(path) has no inCommitTimestamp in a leading commitInfo although In-Commit Timestamps are enabled")
        }
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
