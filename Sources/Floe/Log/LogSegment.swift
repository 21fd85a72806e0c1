/// The files needed to reconstruct one table version: the newest usable checkpoint at or below
/// that version plus the contiguous commits after it.
///
/// Invariants: ``commits`` are ascending and contiguous, start right after the checkpoint (or at
/// version 0 when there is none) and end at ``version`` (they are empty when the checkpoint is at
/// ``version``).
public struct LogSegment: Sendable, Hashable {
    /// A complete checkpoint: one file, or every part of a multi-part checkpoint in part order.
    public struct Checkpoint: Sendable, Hashable {
        /// The table version the checkpoint represents.
        public let version: Int64
        /// The checkpoint's files.
        public let files: [LogFile]

        /// Whether this is a JSON V2 checkpoint, readable without a Parquet reader.
        public var isJSON: Bool {
            if files.count == 1, case .uuidCheckpoint(_, true) = files[0].kind { return true }
            return false
        }
    }

    /// The table version this segment reconstructs.
    public let version: Int64
    /// The checkpoint replay starts from, if any.
    public let checkpoint: Checkpoint?
    /// The commit files after the checkpoint, ascending.
    public let commits: [LogFile]
    /// The commit file of ``version`` itself, when it is listed (it holds the version's
    /// `commitInfo`); for a segment ending in a checkpoint this comes from the listing.
    public let versionCommit: LogFile?
    /// The oldest version that can be reconstructed from the files listed (when the listing
    /// started at the `_last_checkpoint` hint, the hinted checkpoint's version).
    public let earliestVersion: Int64
    /// The newest version known to be in the log when the segment was built (at least
    /// ``version``; a segment found without listing the log, for a requested older version, may
    /// not know of newer versions).
    public let latestVersion: Int64
}

/// What a listing of `_delta_log` found, grouped by kind and version.
struct LogListing {
    var commits: [Int64: LogFile] = [:]
    /// All checkpoint files by version.
    var checkpointFiles: [Int64: [LogFile]] = [:]
    var compactions: [LogFile] = []

    init(storage: any LogStorage, startingAt version: Int64?) throws {
        let entries = try storage.list(directory: "_delta_log", prefix: "",
                                       startingAt: version.map(LogFile.versionPrefix))
        for entry in entries {
            guard let file = LogFile(entry: entry) else { continue }
            switch file.kind {
            case .commit: commits[file.version] = file
            case .classicCheckpoint, .multiPartCheckpoint, .uuidCheckpoint: checkpointFiles[file.version, default: []].append(file)
            case .compaction: compactions.append(file)
            case .checksum: continue
            }
        }
    }

    var isEmpty: Bool { commits.isEmpty && checkpointFiles.isEmpty }

    /// The complete checkpoints at `version`, most preferred first: JSON V2, classic, Parquet V2,
    /// then complete multi-part sets.
    func checkpoints(at version: Int64) -> [LogSegment.Checkpoint] {
        guard let files = checkpointFiles[version] else { return [] }
        var json: [LogSegment.Checkpoint] = [], classic: [LogSegment.Checkpoint] = [], parquet: [LogSegment.Checkpoint] = []
        var multi: [Int: [Int: LogFile]] = [:]
        for file in files {
            switch file.kind {
            case .uuidCheckpoint(_, let isJSON):
                let checkpoint = LogSegment.Checkpoint(version: version, files: [file])
                if isJSON { json.append(checkpoint) } else { parquet.append(checkpoint) }
            case .classicCheckpoint: classic.append(LogSegment.Checkpoint(version: version, files: [file]))
            case .multiPartCheckpoint(let part, let parts): multi[parts, default: [:]][part] = file
            default: break
            }
        }
        var result = json + classic + parquet
        for (parts, byPart) in multi.sorted(by: { $0.key < $1.key }) where byPart.count == parts {
            result.append(LogSegment.Checkpoint(version: version, files: (1...parts).compactMap { byPart[$0] }))
        }
        return result
    }

    var latestVersion: Int64? {
        let c = commits.keys.max()
        let k = checkpointFiles.keys.filter { !checkpoints(at: $0).isEmpty }.max()
        switch (c, k) {
        case (nil, nil): return nil
        case (let a?, nil): return a
        case (nil, let b?): return b
        case (let a?, let b?): return max(a, b)
        }
    }

    /// The oldest reconstructable version: 0 when commit 0 exists, else the oldest complete checkpoint.
    var earliestVersion: Int64? {
        if commits[0] != nil { return 0 }
        return checkpointFiles.keys.filter { !checkpoints(at: $0).isEmpty }.min()
    }
}

extension LogSegment {
    /// The most commits probed by name after the `_last_checkpoint` checkpoint before Floe lists
    /// the log instead (the hint is then likely stale and a newer checkpoint likely exists).
    static let probeLimit = 1000

    /// Builds the segment for `version` (the latest when `nil`).
    ///
    /// When `_last_checkpoint` names a classic or multi-part checkpoint at or below the version
    /// and those files exist, the log is not listed: the commits after the checkpoint are found by
    /// name (a `stat` each, up to ``probeLimit``; for the latest version until the first missing
    /// one, checking that the next one is missing too), and a classic checkpoint newer than the
    /// hinted one is looked for at each of their versions. Otherwise — `_last_checkpoint` missing,
    /// corrupt, pointing at a missing or V2 checkpoint, too many commits after it, a gap, or a
    /// requested version older than it — the log is listed (from the hinted version when that
    /// suffices, else whole). A requested version older than the hint (or any requested version
    /// without a hint) is first looked for the same way from the newest classic checkpoint at
    /// most ``probeLimit`` versions below it.
    ///
    /// - Parameters:
    ///   - storage: The table's storage.
    ///   - version: The version to reconstruct, or `nil` for the latest.
    ///   - canReadParquet: Whether Parquet checkpoints can be read (a ``CheckpointReader`` exists).
    ///   - excludedCheckpoints: Checkpoint versions not to use (e.g. found unreadable).
    /// - Throws: ``DeltaError/Code/tableNotFound`` when the log is empty,
    ///   ``DeltaError/Code/versionNotFound`` naming the available range,
    ///   ``DeltaError/Code/corruptLog`` for missing commits, or
    ///   ``DeltaError/Code/unsupportedFeature`` when only a Parquet checkpoint could serve.
    public static func build(storage: any LogStorage, version: Int64? = nil, canReadParquet: Bool,
                             excludedCheckpoints: Set<Int64> = []) throws -> LogSegment {
        if let version, version < 0 {
            throw DeltaError(.invalidArgument, "table version must not be negative, got \(version)")
        }
        let hint = try LastCheckpoint.read(from: storage)
        if let version, canReadParquet, version < hint?.version ?? Int64.max,
           let segment = try probe(storage: storage, olderVersion: version, excludedCheckpoints: excludedCheckpoints) {
            return segment
        }
        if let hint, version.map({ $0 >= hint.version }) ?? true {
            if canReadParquet, !excludedCheckpoints.contains(hint.version),
               let segment = try probe(storage: storage, hint: hint, version: version, excludedCheckpoints: excludedCheckpoints) {
                return segment
            }
            let listing = try LogListing(storage: storage, startingAt: hint.version)
            // Use the partial listing only when the hinted checkpoint is really there.
            if !listing.checkpoints(at: hint.version).isEmpty,
               let segment = try? build(listing: listing, storage: storage, version: version,
                                        canReadParquet: canReadParquet, excludedCheckpoints: excludedCheckpoints),
               segment.checkpoint != nil {
                return segment
            }
        }
        let listing = try LogListing(storage: storage, startingAt: nil)
        return try build(listing: listing, storage: storage, version: version, canReadParquet: canReadParquet,
                         excludedCheckpoints: excludedCheckpoints)
    }

    /// The segment for `version` (the latest when `nil`, which must be at least `hint.version`)
    /// starting at the hinted checkpoint, found without listing the log; `nil` when the hinted
    /// Parquet checkpoint is not there under its classic or multi-part name, when more than
    /// ``probeLimit`` commits would have to be probed, or when the commits after it are not
    /// contiguous — the caller then lists the log.
    static func probe(storage: any LogStorage, hint: LastCheckpoint, version: Int64?,
                      excludedCheckpoints: Set<Int64> = [], probeLimit: Int = LogSegment.probeLimit) throws -> LogSegment? {
        let base = hint.version
        if let version, version - base > Int64(probeLimit) { return nil }
        // The checkpoint's files, by the names `_last_checkpoint` implies.
        let prefix = "_delta_log/" + LogFile.versionPrefix(base)
        var names: [String] = []
        if let parts = hint.parts, parts > 1 {
            guard parts <= 10_000 else { return nil }
            let total = Self.pad10(parts)
            names = (1...parts).map { prefix + ".checkpoint." + Self.pad10($0) + "." + total + ".parquet" }
        } else {
            names = [prefix + ".checkpoint.parquet"]
        }
        var files: [LogFile] = []
        for name in names {
            guard let entry = try storage.entry(at: name), let file = LogFile(entry: entry), file.version == base else { return nil }
            files.append(file)
        }
        var checkpoint = Checkpoint(version: base, files: files)

        func commit(_ v: Int64) throws -> LogFile? {
            guard let entry = try storage.entry(at: LogFile.commitPath(v)), let file = LogFile(entry: entry) else { return nil }
            return file
        }
        var commits: [LogFile] = []
        var probed = 0
        // Takes commit `file`; a newer classic checkpoint at its version (`_last_checkpoint` is
        // stale) replaces the one replay starts from.
        func accept(_ file: LogFile) throws {
            commits.append(file)
            probed += 1
            let name = "_delta_log/" + LogFile.versionPrefix(file.version) + ".checkpoint.parquet"
            if !excludedCheckpoints.contains(file.version), let entry = try storage.entry(at: name), let newer = LogFile(entry: entry) {
                checkpoint = Checkpoint(version: file.version, files: [newer])
                commits.removeAll(keepingCapacity: true)
            }
        }
        var next = base + 1
        if let version {
            while next <= version {
                guard let file = try commit(next) else { return nil }
                try accept(file)
                next += 1
            }
        } else {
            while let file = try commit(next) {
                guard probed < probeLimit else { return nil }
                try accept(file)
                next += 1
            }
            // A later commit after the missing one is a gap (or a concurrent commit): list.
            if try storage.entry(at: LogFile.commitPath(next + 1)) != nil { return nil }
        }
        let target = next - 1
        let versionCommit = try commits.last ?? commit(checkpoint.version)
        return LogSegment(version: target, checkpoint: checkpoint, commits: commits, versionCommit: versionCommit,
                          earliestVersion: base, latestVersion: target)
    }

    /// The segment for a requested `version` older than `_last_checkpoint` (or of a table without
    /// one), found without listing the log: the newest classic checkpoint at most `probeLimit`
    /// versions at or below `version`, looked for by name, and the commits after it up to
    /// `version` (from version 0 when `version` is below `probeLimit` and there is no such
    /// checkpoint). `nil` when there is none or a commit is missing — the caller then lists.
    static func probe(storage: any LogStorage, olderVersion version: Int64, excludedCheckpoints: Set<Int64> = [],
                      probeLimit: Int = LogSegment.probeLimit) throws -> LogSegment? {
        let lowest = max(0, version - Int64(probeLimit))
        var checkpoint: Checkpoint?
        var candidate = version
        while candidate >= lowest {
            let name = "_delta_log/" + LogFile.versionPrefix(candidate) + ".checkpoint.parquet"
            if !excludedCheckpoints.contains(candidate), let entry = try storage.entry(at: name), let file = LogFile(entry: entry) {
                checkpoint = Checkpoint(version: candidate, files: [file])
                break
            }
            candidate -= 1
        }
        guard checkpoint != nil || lowest == 0 else { return nil }
        var commits: [LogFile] = []
        let first = (checkpoint?.version ?? -1) + 1
        if first <= version {
            for v in first...version {
                guard let entry = try storage.entry(at: LogFile.commitPath(v)), let file = LogFile(entry: entry) else { return nil }
                commits.append(file)
            }
        }
        var versionCommit = commits.last
        if versionCommit == nil, let entry = try storage.entry(at: LogFile.commitPath(version)) { versionCommit = LogFile(entry: entry) }
        return LogSegment(version: version, checkpoint: checkpoint, commits: commits, versionCommit: versionCommit,
                          earliestVersion: checkpoint?.version ?? 0, latestVersion: version)
    }

    /// `value` zero-padded to 10 digits, as in multi-part checkpoint names.
    static func pad10(_ value: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, 10 - digits.count)) + digits
    }

    static func build(listing: LogListing, storage: any LogStorage, version requested: Int64?, canReadParquet: Bool,
                      excludedCheckpoints: Set<Int64>) throws -> LogSegment {
        guard let latest = listing.latestVersion, let earliest = listing.earliestVersion else {
            if listing.isEmpty {
                throw DeltaError.tableNotFound(in: storage)
            }
            throw DeltaError(.corruptLog, "\(storage.rootDescription)/_delta_log has neither commit 0 nor a complete checkpoint")
        }
        let target = requested ?? latest
        if target > latest {
            throw DeltaError(.versionNotFound, "version \(target) of \(storage.rootDescription) does not exist; available versions are \(earliest)...\(latest)")
        }
        if target < earliest {
            throw DeltaError(.versionNotFound, "version \(target) of \(storage.rootDescription) can no longer be reconstructed; available versions are \(earliest)...\(latest)")
        }

        // Newest usable checkpoint at or below the target.
        var chosen: Checkpoint?
        var skippedParquet: Checkpoint?
        for cpVersion in listing.checkpointFiles.keys.sorted(by: >) where cpVersion <= target {
            if excludedCheckpoints.contains(cpVersion) { continue }
            let candidates = listing.checkpoints(at: cpVersion)
            if let usable = candidates.first(where: { canReadParquet || $0.isJSON }) {
                chosen = usable
                break
            }
            if skippedParquet == nil { skippedParquet = candidates.first }
        }

        let first = (chosen?.version ?? -1) + 1
        var commits: [LogFile] = []
        if first <= target {
            commits.reserveCapacity(listing.commits.count)
            for v in first...target {
                guard let file = listing.commits[v] else {
                    if let skippedParquet {
                        let name = skippedParquet.files.first?.entry.name ?? "checkpoint"
                        throw DeltaError(.unsupportedFeature, "reading version \(target) of \(storage.rootDescription) requires the Parquet checkpoint \(name) (commit \(v) is not in the log), but no CheckpointReader is configured")
                    }
                    if let ex = excludedCheckpoints.filter({ $0 <= target }).max() {
                        throw DeltaError(.unsupportedFeature, "reading version \(target) of \(storage.rootDescription) requires the checkpoint at version \(ex), which cannot be read, and commit \(v) is not in the log")
                    }
                    let present = listing.commits.keys.filter { $0 > v && $0 <= target }.min()
                    let detail = present.map { "the log jumps from version \(v - 1) to \($0)" } ?? "no commit file after version \(v - 1)"
                    throw DeltaError(.corruptLog, "commit file \(LogFile.commitName(v)) of \(storage.rootDescription) is missing: \(detail) (versions must be contiguous)")
                }
                commits.append(file)
            }
        }
        return LogSegment(version: target, checkpoint: chosen, commits: commits,
                          versionCommit: listing.commits[target], earliestVersion: earliest, latestVersion: latest)
    }
}
