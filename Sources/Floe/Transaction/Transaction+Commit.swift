import Foundation

extension Transaction {
    /// Commits the staged changes as the next table version.
    ///
    /// Publishes `_delta_log/<version>.json` with
    /// ``LogStorage/writeIfAbsent(_:contents:afterMakingDurable:)``, which first makes the data files
    /// this transaction wrote durable (concurrently with the commit file itself). When
    /// another writer took that version, the winning commit is read and checked for conflicts (see
    /// ``Transaction``); without a conflict the transaction retries at the next version after a
    /// jittered exponential backoff, until ``CommitOptions/timeout``.
    ///
    /// The first action written is `commitInfo` (with `inCommitTimestamp` =
    /// max(now, previous commit's timestamp + 1) when In-Commit Timestamps are enabled), followed by
    /// protocol, metadata, txn, domain metadata, remove, add and cdc actions.
    ///
    /// After the commit, automatic log maintenance runs as ``Table/logMaintenance`` says (a
    /// checkpoint every `delta.checkpointInterval` versions, then log cleanup); its failures are
    /// reported to the policy's observer and never fail the commit.
    ///
    /// - Returns: the committed version and the races lost before it.
    /// - Throws: ``DeltaError/Code/conflict`` naming the conflict and the winning version;
    ///   ``DeltaError/Code/tableAlreadyExists`` when creating a table that exists;
    ///   ``DeltaError/Code/unsupportedFeature`` when Floe cannot write this table;
    ///   ``DeltaError/Code/invalidArgument`` for invalid staged actions;
    ///   ``DeltaError/Code/timeout``; ``DeltaError/Code/io``.
    ///
    /// This variant blocks its thread while it backs off; async callers get the `async` overload,
    /// which suspends instead.
    @discardableResult
    public func commit(options: CommitOptions = CommitOptions()) throws -> CommitResult {
        var progress = try beginCommit(options: options)
        while true {
            switch try attemptCommit(&progress, options: options) {
            case .committed(let result): return result
            case .retry(let seconds): if seconds > 0 { Thread.sleep(forTimeInterval: seconds) }
            }
        }
    }

    /// Commits like ``commit(options:)-(CommitOptions)``, suspending instead of blocking while it
    /// backs off after a lost race. Cancellation is checked between attempts (never after a commit
    /// is published) and throws `CancellationError`.
    @discardableResult
    public func commit(options: CommitOptions = CommitOptions()) async throws -> CommitResult {
        var progress = try beginCommit(options: options)
        while true {
            switch try attemptCommit(&progress, options: options) {
            case .committed(let result): return result
            case .retry(let seconds):
                if seconds > 0 { try await Task.sleep(for: .seconds(seconds)) }
                try Task.checkCancellation()
            }
        }
    }

    /// Where a commit stands between two attempts.
    struct CommitProgress {
        var version: Int64
        var previousTimestamp: Int64?
        var backoff: Duration
        var retries = 0
        /// The versions this transaction tried to publish (only those can hold its own commit).
        var attempted: Set<Int64> = []
        /// The data files to make durable before publishing. Passed on every attempt: besides
        /// syncing them, publication refreshes their modification times, so vacuum's protection of
        /// commits in flight covers a commit that retries for long.
        let unsynced: [String]
        let start: ContinuousClock.Instant
    }

    /// What the caller of ``attemptCommit(_:options:)`` does next.
    enum CommitStep {
        case committed(CommitResult)
        /// Lost a race without a conflict: wait this many seconds, then attempt again.
        case retry(afterSeconds: Double)
    }

    /// Validates the transaction and the first version it will try.
    func beginCommit(options: CommitOptions) throws -> CommitProgress {
        try validate()
        if readSnapshot == nil, let latest = try? table.latestVersion() {
            throw DeltaError(.tableAlreadyExists, "a Delta table already exists at \(table.root) (version \(latest))")
        }
        return CommitProgress(version: (readSnapshot?.version ?? -1) + 1, previousTimestamp: readSnapshot?.timestamp,
                              backoff: options.initialBackoff, unsynced: unsyncedPaths, start: ContinuousClock.now)
    }

    /// One attempt at publishing `progress.version`; after a lost race, checks the winners for
    /// conflicts (throwing on one), rebases `progress` past them and says how long to back off.
    func attemptCommit(_ progress: inout CommitProgress, options: CommitOptions) throws -> CommitStep {
        let storage = table.storage
        let actions = try actionsToCommit(version: progress.version, previousTimestamp: progress.previousTimestamp)
        let contents = Action.commitFileContents(actions, partitionColumns: effectiveMetadata?.partitionColumns ?? [])
        progress.attempted.insert(progress.version)
        let outcome = try storage.writeIfAbsent(LogFile.commitPath(progress.version), contents: contents,
                                                afterMakingDurable: progress.unsynced)
        if outcome == .written {
            maintainLog(afterCommitting: progress.version)
            return .committed(CommitResult(version: progress.version, retries: progress.retries))
        }
        if readSnapshot == nil {
            throw DeltaError(.tableAlreadyExists, "a Delta table was created concurrently at \(table.root)")
        }
        // Lost the race for the version: check the winner and any later commits, then rebase.
        repeat {
            let winnerPath = LogFile.commitPath(progress.version)
            guard let winnerFile = LogFile(entry: FileEntry(path: winnerPath, size: 0, modificationTime: 0)) else {
                throw DeltaError(.internalError, "cannot name commit \(progress.version)")
            }
            let winner = try Snapshot.readCommit(winnerFile, storage: storage)
            // Our own commit (published, but its acknowledgement lost, e.g. a retried NFS link
            // or an S3 PUT whose response never came): it is the winner, not a rival.
            if progress.attempted.contains(progress.version),
               winner.contains(where: { if case .commitInfo(let info) = $0 { info.transactionID == id } else { false } }) {
                maintainLog(afterCommitting: progress.version)
                return .committed(CommitResult(version: progress.version, retries: progress.retries))
            }
            try checkConflicts(with: winner, version: progress.version)
            if isInCommitTimestampEnabledAfterCommit {
                var ict: Int64?
                for case .commitInfo(let info) in winner { ict = info.inCommitTimestamp; break }
                if let ict {
                    progress.previousTimestamp = ict
                } else if let entry = try storage.entry(at: winnerPath) {
                    progress.previousTimestamp = entry.modificationTime
                }
            }
            progress.version += 1
        } while try storage.entry(at: LogFile.commitPath(progress.version)) != nil
        progress.retries += 1
        let elapsed = ContinuousClock.now - progress.start
        if elapsed >= options.timeout {
            throw DeltaError(.timeout, "commit to \(table.root) gave up after \(progress.retries) retries in \(elapsed) (next version would be \(progress.version))")
        }
        let capSeconds = Self.seconds(progress.backoff)
        progress.backoff = min(progress.backoff * 2, options.maxBackoff)
        return .retry(afterSeconds: capSeconds > 0 ? Double.random(in: 0...capSeconds) : 0)
    }

    static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }

    /// Whether the table will have In-Commit Timestamps enabled once this transaction commits.
    var isInCommitTimestampEnabledAfterCommit: Bool {
        guard let p = effectiveProtocol, let m = effectiveMetadata else { return false }
        return Snapshot.inCommitTimestampEnabled(protocol: p, metadata: m)
    }

    /// The actions of the commit for `version`, `commitInfo` first.
    func actionsToCommit(version: Int64, previousTimestamp: Int64?) throws -> [Action] {
        let now = Self.nowMillis()
        let ictEnabled = isInCommitTimestampEnabledAfterCommit
        let wasEnabled = readSnapshot?.isInCommitTimestampEnabled ?? false
        var inCommitTimestamp: Int64?
        if ictEnabled {
            // Monotonic: strictly after the previous commit's timestamp (its ICT, or when ICT is being
            // enabled now, its file modification time).
            let after = previousTimestamp.map { $0.addingReportingOverflow(1) }
            if let after, after.overflow {
                throw DeltaError(.corruptLog, "the previous commit's timestamp \(previousTimestamp ?? 0) leaves no room for a later in-commit timestamp")
            }
            inCommitTimestamp = max(now, after?.partialValue ?? now)
        }
        var metadata = newMetadata
        if ictEnabled && !wasEnabled && version > 0, var m = metadata ?? readSnapshot?.metadata {
            // Enabling In-Commit Timestamps on an existing table: record provenance.
            m.configuration["delta.inCommitTimestampEnablementVersion"] = String(version)
            m.configuration["delta.inCommitTimestampEnablementTimestamp"] = inCommitTimestamp.map(String.init)
            metadata = m
        }

        var info = JSONObject()
        if let inCommitTimestamp { info["inCommitTimestamp"] = .int(inCommitTimestamp) }
        info["timestamp"] = .int(inCommitTimestamp ?? now)
        info["operation"] = .string(operation)
        info["operationParameters"] = .object(Self.stringObject(operationParameters))
        if let readSnapshot { info["readVersion"] = .int(readSnapshot.version) }
        info["isolationLevel"] = .string("WriteSerializable")
        info["isBlindAppend"] = .bool(isBlindAppend)
        info["operationMetrics"] = .object(Self.stringObject(operationMetrics))
        if let userMetadata { info["userMetadata"] = .string(userMetadata) }
        info["engineInfo"] = .string(engineInfo)
        info["txnId"] = .string(id)

        var actions: [Action] = [.commitInfo(CommitInfo(fields: info))]
        if let newProtocol { actions.append(.protocol(newProtocol)) }
        if let metadata { actions.append(.metadata(metadata)) }
        for appID in setTransactions.keys.sorted() {
            if let t = setTransactions[appID] { actions.append(.txn(t)) }
        }
        for domain in domainMetadataChanges.keys.sorted() {
            if let d = domainMetadataChanges[domain] { actions.append(.domainMetadata(d)) }
        }
        actions.append(contentsOf: removedFiles.map(Action.remove))
        actions.append(contentsOf: addedFiles.map(Action.add))
        actions.append(contentsOf: changeDataFiles.map(Action.cdc))
        return actions
    }

    static func stringObject(_ map: [String: String]) -> JSONObject {
        JSONObject(map.keys.sorted().map { JSONObject.Member(key: $0, value: .string(map[$0] ?? "")) })
    }
}
