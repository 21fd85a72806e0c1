import Foundation
import FloeColumnar

/// Rows a tail delivers: part of one file (a row group) of the initial snapshot or of one commit,
/// with the position to resume from once they are processed.
///
/// ``records`` has the tail's columns followed by `_change_type` (change data feed mode only,
/// see ``TailOptions/RemovalPolicy/changeDataFeed``), `_commit_version` (long) and
/// `_commit_timestamp` (timestamp, UTC). Rows of the initial snapshot carry the snapshot's version
/// and timestamp.
///
/// A batch with no rows is a progress marker: it ends a trigger whose last files or commits
/// delivered nothing (filtered out, skipped, or `dataChange=false`), so that ``offset`` moves
/// past them.
public struct TailBatch: Sendable {
    /// The rows.
    public let records: RecordBatch
    /// The commit version of the rows (the snapshot's version for the initial snapshot).
    public let version: Int64
    /// The commit timestamp of the rows, milliseconds since the Unix epoch: the in-commit
    /// timestamp when In-Commit Timestamps are enabled, otherwise the commit file's modification
    /// time, raised to one millisecond after its predecessor's when the clock went backwards.
    public let timestamp: Int64
    /// Whether the rows come from the initial snapshot.
    public let isInitialSnapshot: Bool
    /// Where to resume once these rows (and every earlier batch) are processed: after this file
    /// when the batch is its last row group, else at this file's start (resuming there delivers
    /// the file again: at-least-once, never a gap).
    public let offset: StreamOffset
}

/// A table read as a stream, synchronously: the initial snapshot and/or committed changes, in
/// version order, one row group at a time. ``Table/tail(from:follow:options:)`` wraps it in an
/// `AsyncSequence` that waits for new commits; use this type directly from non-async code.
///
/// Reading works in triggers, as Delta Spark's streaming source does: a trigger plans at most
/// ``TailOptions/maxFiles`` files (and ``TailOptions/maxBytes`` bytes) from the log, then reads
/// them. ``next()`` returns the next batch, or `nil` when nothing more is committed yet (call it
/// again later) or, when not following, when ``isFinished``.
///
/// What is read: the files of the snapshot (initial snapshot), and in each commit the `add`
/// actions with `dataChange=true`, in the order of the commit. Commits that only rewrite data
/// (`dataChange=false`: OPTIMIZE) deliver nothing. Commits that remove data follow
/// ``TailOptions/onRemoval``. Data is read with the schema of the newest version the tail has
/// seen (at least the version current when it started; commits that change the metadata move it
/// forward), so files written before a column was added read it as nulls.
///
/// Commits are found by probing the next commit's name (one `entry(at:)`), never by listing the
/// log. A commit that is needed but no longer in the log (log cleanup) is an error
/// (``DeltaError/Code/versionNotFound``), never a silent skip.
public struct TableTail {
    /// The table read.
    public let table: Table
    /// How the tail reads.
    public let options: TailOptions
    /// The last version read when not following (the latest when the tail started); `nil` when
    /// following, which never finishes.
    public let endVersion: Int64?
    /// The table's `metaData.id`, recorded in every offset.
    public let tableID: String
    /// The position after everything returned (and skipped) so far: commit this to resume.
    public private(set) var offset: StreamOffset

    /// Where planning continues (at or after ``offset``).
    var planned: StreamOffset
    var pending: [TailFile] = []
    var pendingIndex = 0
    /// The file being read, with its reader and one row group read ahead (to know the last).
    var current: (file: TailFile, reader: TailFileReader, lookahead: RecordBatch?)?
    /// The offset of the last batch returned.
    var delivered: StreamOffset
    /// The snapshot whose schema data is read with.
    var readSnapshot: Snapshot
    var scan: Scan
    /// The scan of change entries (change data feed mode): the columns the filter needs too.
    var changeScan: Scan?
    /// Protocol and metadata in effect before the commit at `planned`.
    var protocolAction: ProtocolAction
    var metadata: Metadata
    var snapshotFiles: (version: Int64, files: [AddFile], timestamp: Int64)?
    var commitCache: TailCommit?
    var lastCommitTime: Int64?
    var knownLatest: Int64
    var lastCleanupCheck: ContinuousClock.Instant?
    let emitsChanges: Bool

    /// Starts a tail of `table` at `start`.
    ///
    /// - Parameters:
    ///   - follow: Whether to keep reading new commits forever; otherwise the tail finishes after
    ///     the version that is the latest now.
    /// - Throws: ``DeltaError/Code/tableNotFound``; ``DeltaError/Code/invalidArgument`` for a
    ///   negative version, an offset of another table or one taken mid-commit in the other
    ///   change-data mode; ``DeltaError/Code/versionNotFound`` for a start version after the latest
    ///   one, or whose commit was cleaned up (also when a timestamp lies before the oldest commit
    ///   still in the log and older commits were cleaned up); ``DeltaError/Code/schemaMismatch``
    ///   for unknown columns.
    public init(table: Table, from start: TailStart, follow: Bool, options: TailOptions = TailOptions()) throws {
        guard options.maxFiles >= 1 else {
            throw DeltaError(.invalidArgument, "a tail reads at least one file per trigger; maxFiles was \(options.maxFiles)")
        }
        if let maxBytes = options.maxBytes, maxBytes < 1 {
            throw DeltaError(.invalidArgument, "maxBytes per trigger must be positive, got \(maxBytes)")
        }
        self.table = table
        self.options = options
        let latest = try table.snapshot()
        let cdf = options.onRemoval == .changeDataFeed
        emitsChanges = cdf
        knownLatest = latest.version
        tableID = latest.metadata.id
        readSnapshot = latest
        endVersion = follow ? nil : latest.version
        let root = table.root
        var position: StreamOffset
        switch start {
        case .beginning:
            position = StreamOffset(unchecked: tableID, version: latest.version, index: 0, isInitialSnapshot: true, countsChanges: cdf)
        case .latest:
            position = StreamOffset(unchecked: tableID, version: latest.version + 1, index: 0, isInitialSnapshot: false, countsChanges: cdf)
        case .version(let v):
            guard v >= 0 else { throw DeltaError(.invalidArgument, "a tail's start version must not be negative, got \(v)") }
            guard v <= latest.version else {
                throw DeltaError(.versionNotFound, "start version \(v) of \(root) does not exist yet; the latest version is \(latest.version)")
            }
            position = StreamOffset(unchecked: tableID, version: v, index: 0, isInitialSnapshot: false, countsChanges: cdf)
        case .timestamp(let date):
            let v = try Self.firstVersion(atOrAfter: date, table: table, latest: latest.version)
            position = StreamOffset(unchecked: tableID, version: v, index: 0, isInitialSnapshot: false, countsChanges: cdf)
        case .offset(let o):
            guard o.tableID == tableID else {
                throw DeltaError(.invalidArgument, "stream offset \(o) was taken from table id \(o.tableID), but \(root) has id \(tableID) (a different or re-created table)")
            }
            let limit = o.isInitialSnapshot ? latest.version : latest.version + 1
            guard o.version <= limit else {
                throw DeltaError(.versionNotFound, "stream offset \(o) is beyond the latest version \(latest.version) of \(root)")
            }
            if o.index > 0 && !o.isInitialSnapshot && o.countsChanges != cdf {
                throw DeltaError(.invalidArgument, "stream offset \(o) points into commit \(o.version) as counted \(o.countsChanges ? "with" : "without") change data feed entries; resume it with the same removal policy, or from version \(o.version + 1)")
            }
            position = o
            position.countsChanges = cdf
        }
        offset = position
        planned = position
        delivered = position
        scan = try Scan(snapshot: latest, storage: table.storage, columns: options.columns, predicate: options.condition)
        protocolAction = latest.protocol
        metadata = latest.metadata
        if !position.isInitialSnapshot && position.version <= latest.version {
            guard try table.storage.entry(at: LogFile.commitPath(position.version)) != nil else {
                throw Self.cleanedUp(position.version, root: root)
            }
            // Protocol and metadata in effect before the start (for the change data feed and
            // In-Commit Timestamp checks); the latest when that version is gone too.
            if position.version > 0, let before = try? table.snapshot(version: position.version - 1) {
                protocolAction = before.protocol
                metadata = before.metadata
            }
        }
        if cdf { changeScan = try Scan(snapshot: latest, storage: table.storage, columns: scan.readColumns, predicate: nil) }
    }

    /// Whether a tail that does not follow has delivered everything through ``endVersion``.
    public var isFinished: Bool {
        guard let endVersion else { return false }
        return current == nil && pendingIndex >= pending.count && planned == offset && planned.version > endVersion
    }

    /// The schema of the batches: the tail's columns, then the commit columns.
    public var schema: Schema { Schema(scan.schema.fields + commitFields) }

    var commitFields: [Field] {
        emitsChanges ? ChangeFeed.changeFields : Array(ChangeFeed.changeFields.dropFirst())
    }

    /// The next batch, or `nil` when nothing more is committed yet (or ``isFinished``).
    ///
    /// - Throws: ``DeltaError/Code/dataRemovedInStream`` at a commit that removes data under
    ///   ``TailOptions/RemovalPolicy/fail``; ``DeltaError/Code/versionNotFound`` when a needed
    ///   commit was cleaned up; ``DeltaError/Code/unsupportedFeature`` at a removing commit without
    ///   the change data feed in change data feed mode; read errors of data files.
    public mutating func next() throws -> TailBatch? {
        while true {
            if current != nil {
                if let batch = try nextFromCurrentFile() { return batch }
                continue
            }
            if pendingIndex < pending.count {
                try open(pending[pendingIndex])
                pendingIndex += 1
                continue
            }
            // The trigger is drained; mark progress made without rows.
            if delivered != planned {
                offset = planned
                delivered = planned
                return TailBatch(records: RecordBatch.empty(schema), version: planned.version, timestamp: lastCommitTime ?? 0,
                                 isInitialSnapshot: planned.isInitialSnapshot, offset: planned)
            }
            guard try planTrigger() else { return nil }
        }
    }

    // MARK: - Reading files

    mutating func open(_ file: TailFile) throws {
        switch file.source {
        case .add(let add):
            guard let scanFile = try scan.files(of: [add]).first else {
                offset = file.after  // skipped by partition values or statistics
                return
            }
            let reader = TailFileReader.rows(try FileBatches(scan: scan, file: scanFile))
            current = (file, reader, nil)
        case .change(let entry, _):
            guard let changeScan else { throw DeltaError(.internalError, "change entry without a change scan") }
            let schema = Schema(changeScan.schema.fields + ChangeFeed.changeFields)
            current = (file, .changes(try ChangeFileBatches(scan: changeScan, entry: entry, schema: schema)), nil)
        }
    }

    /// The next non-empty batch of the current file, or nil when it ended (``offset`` then points
    /// after it).
    mutating func nextFromCurrentFile() throws -> TailBatch? {
        guard var state = current else { return nil }
        while true {
            let raw: RecordBatch?
            if let ahead = state.lookahead { raw = ahead; state.lookahead = nil } else { raw = try state.reader.next() }
            guard let raw else {
                current = nil
                offset = state.file.after
                return nil
            }
            let following = try state.reader.next()
            state.lookahead = following
            let isLast = following == nil
            let batch = try output(raw, file: state.file)
            if isLast {
                current = nil
                offset = state.file.after
            } else {
                current = state
            }
            guard batch.count > 0 else {
                if isLast { return nil }
                continue
            }
            delivered = offset
            return TailBatch(records: batch, version: state.file.version, timestamp: state.file.timestamp,
                             isInitialSnapshot: state.file.isInitialSnapshot, offset: offset)
        }
    }

    /// A raw batch of a file with the commit columns added (and, for change entries, filtered and
    /// projected).
    func output(_ raw: RecordBatch, file: TailFile) throws -> RecordBatch {
        let count = raw.count
        switch file.source {
        case .add:
            var columns = raw.columns
            if emitsChanges { columns.append(try Column.constant(.string(ChangeType.insert.rawValue), type: .string, count: count)) }
            columns.append(try Column.constant(.int(file.version), type: .int64, count: count))
            let (micros, overflow) = file.timestamp.multipliedReportingOverflow(by: 1000)
            guard !overflow else {
                throw DeltaError(.corruptLog, "the commit time \(file.timestamp) of version \(file.version) of \(table.root) is out of range")
            }
            columns.append(try Column.constant(.int(micros), type: .timestamp(.microsecond, timezone: "UTC"), count: count))
            return try RecordBatch(schema: schema, columns: columns, count: count)
        case .change:
            var batch = raw
            if let predicate = scan.predicate { batch = batch.filter(try predicate.evaluate(batch)) }
            return try batch.project(scan.outputColumns + ChangeFeed.changeFields.map(\.name))
        }
    }

    // MARK: - Planning

    /// Plans the next trigger from ``planned``; `false` when nothing new is committed.
    mutating func planTrigger() throws -> Bool {
        pending = []
        pendingIndex = 0
        var files = 0
        var bytes: Int64 = 0
        var commits = 0
        func admits() -> Bool { files < options.maxFiles && (options.maxBytes.map { bytes < $0 } ?? true) }
        while admits() && commits < options.maxFiles {
            let v = planned.version
            if planned.isInitialSnapshot {
                let snapshot = try snapshotFileList(v)
                var i = Int(planned.index)
                guard i <= snapshot.files.count else {
                    throw DeltaError(.invalidArgument, "stream offset \(planned) is past the \(snapshot.files.count) files of the snapshot at version \(v)")
                }
                while i < snapshot.files.count && admits() {
                    let add = snapshot.files[i]
                    i += 1
                    let after = i == snapshot.files.count ? commitOffset(v + 1, 0) : snapshotOffset(v, i)
                    pending.append(TailFile(source: .add(add), version: v, timestamp: snapshot.timestamp, isInitialSnapshot: true, after: after))
                    files += 1
                    bytes = bytes.saturatingAdding(max(0, add.size))
                }
                if i == snapshot.files.count {
                    planned = commitOffset(v + 1, 0)
                    snapshotFiles = nil
                    lastCommitTime = snapshot.timestamp
                } else {
                    planned = snapshotOffset(v, i)
                }
                continue
            }
            if let endVersion, v > endVersion { break }
            let loaded: TailCommit?
            do { loaded = try loadCommit(v) } catch {
                // Deliver what is planned first; planning meets the error again at this version.
                if pending.isEmpty && planned == delivered { throw error }
                break
            }
            guard let commit = loaded else { break }
            commits += 1
            var i = Int(planned.index)
            guard i <= commit.sources.count else {
                throw DeltaError(.invalidArgument, "stream offset \(planned) is past the \(commit.sources.count) files the tail reads in commit \(v)")
            }
            while i < commit.sources.count && admits() {
                let source = commit.sources[i]
                i += 1
                let after = i == commit.sources.count ? commitOffset(v + 1, 0) : commitOffset(v, i)
                pending.append(TailFile(source: source, version: v, timestamp: commit.timestamp, isInitialSnapshot: false, after: after))
                files += 1
                bytes = bytes.saturatingAdding(max(0, source.size))
            }
            if i == commit.sources.count {
                planned = commitOffset(v + 1, 0)
                commitCache = nil
                protocolAction = commit.protocolAction
                metadata = commit.metadata
            } else {
                planned = commitOffset(v, i)
            }
        }
        return !pending.isEmpty || planned != delivered
    }

    func commitOffset(_ version: Int64, _ index: Int) -> StreamOffset {
        StreamOffset(unchecked: tableID, version: version, index: Int64(index), isInitialSnapshot: false, countsChanges: emitsChanges)
    }

    func snapshotOffset(_ version: Int64, _ index: Int) -> StreamOffset {
        StreamOffset(unchecked: tableID, version: version, index: Int64(index), isInitialSnapshot: true, countsChanges: emitsChanges)
    }

    /// The initial snapshot's files at `version`, ordered by modification time, then path.
    mutating func snapshotFileList(_ version: Int64) throws -> (version: Int64, files: [AddFile], timestamp: Int64) {
        if let cached = snapshotFiles, cached.version == version { return cached }
        let snapshot = version == readSnapshot.version ? readSnapshot : try table.snapshot(version: version)
        let files = try snapshot.fileState().activeFiles.sorted {
            ($0.modificationTime, $0.path) < ($1.modificationTime, $1.path)
        }
        let list = (version, files, snapshot.timestamp)
        snapshotFiles = list
        return list
    }

    /// The files the tail reads in commit `version` under its removal policy, or nil when the
    /// commit does not exist yet.
    mutating func loadCommit(_ version: Int64) throws -> TailCommit? {
        if let cached = commitCache, cached.version == version { return cached }
        let storage = table.storage
        guard let entry = try storage.entry(at: LogFile.commitPath(version)), let file = LogFile(entry: entry) else {
            try checkNotCleanedUp(version)
            return nil
        }
        let actions = try Snapshot.readCommit(file, storage: storage)
        var protocolAction = self.protocolAction
        var metadata = self.metadata
        var changedMetadata = false
        var commitInfo: CommitInfo?
        var adds: [AddFile] = []
        var removes: [RemoveFile] = []
        var changeFiles: [AddCDCFile] = []
        for action in actions {
            switch action {
            case .protocol(let p): protocolAction = p; changedMetadata = true
            case .metadata(let m): metadata = m; changedMetadata = true
            case .commitInfo(let info): if commitInfo == nil { commitInfo = info }
            case .add(let add) where add.dataChange: adds.append(add)
            case .remove(let remove) where remove.dataChange: removes.append(remove)
            case .cdc(let cdc): changeFiles.append(cdc)
            default: continue
            }
        }
        if metadata.id != tableID {
            throw DeltaError(.invalidArgument, "version \(version) of \(table.root) replaces the table (its id changes from \(tableID) to \(metadata.id)); a tail cannot continue across it")
        }
        if changedMetadata && readSnapshot.version < version {
            // Read with the newest schema (at least this commit's).
            readSnapshot = try table.update(readSnapshot)
            scan = try Scan(snapshot: readSnapshot, storage: storage, columns: options.columns, predicate: options.condition)
            if emitsChanges {
                changeScan = try Scan(snapshot: readSnapshot, storage: storage, columns: scan.readColumns, predicate: nil)
            }
        }
        var timestamp = entry.modificationTime
        if lastCommitTime == nil, version > 0, let previous = try storage.entry(at: LogFile.commitPath(version - 1)) {
            lastCommitTime = previous.modificationTime
        }
        if let last = lastCommitTime, timestamp <= last, last < Int64.max { timestamp = last + 1 }
        if Snapshot.inCommitTimestampEnabled(protocol: protocolAction, metadata: metadata), let ict = commitInfo?.inCommitTimestamp {
            timestamp = ict
        }
        lastCommitTime = timestamp

        var sources: [TailFile.Source] = []
        if let first = removes.first {
            switch options.onRemoval {
            case .fail:
                let operation = commitInfo?.operation.map { " (operation \($0))" } ?? ""
                throw DeltaError(.dataRemovedInStream, "version \(version) of \(table.root) removes data\(operation): it removes '\(first.path)' with dataChange=true; the tail stops here (skip such commits, or read them as change rows with the change data feed)")
            case .skip:
                break
            case .changeDataFeed:
                guard metadata.configuration["delta.enableChangeDataFeed"]?.lowercased() == "true" else {
                    throw DeltaError(.unsupportedFeature, "version \(version) of \(table.root) removes data, and the change data feed is not enabled there (delta.enableChangeDataFeed is not true), so its changes cannot be emitted")
                }
                sources = try changeSources(version: version, timestamp: timestamp, adds: adds, removes: removes, changeFiles: changeFiles, metadata: metadata)
            }
        } else if emitsChanges && !changeFiles.isEmpty {
            sources = try changeSources(version: version, timestamp: timestamp, adds: adds, removes: removes, changeFiles: changeFiles, metadata: metadata)
        } else {
            sources = adds.map { .add($0) }
        }
        let commit = TailCommit(version: version, sources: sources, timestamp: timestamp, protocolAction: protocolAction, metadata: metadata)
        commitCache = commit
        return commit
    }

    /// The change entries of a commit, as the change data feed reads it.
    func changeSources(version: Int64, timestamp: Int64, adds: [AddFile], removes: [RemoveFile], changeFiles: [AddCDCFile],
                       metadata: Metadata) throws -> [TailFile.Source] {
        if !changeFiles.isEmpty {
            return changeFiles.map {
                .change(ChangeEntry(kind: .changeData, path: $0.path, partitionValues: $0.partitionValues, deletionVector: nil,
                                    version: version, timestamp: timestamp), size: $0.size)
            }
        }
        var sources: [TailFile.Source] = adds.map { .add($0) }
        for remove in removes {
            guard let partitionValues = remove.partitionValues ?? (metadata.partitionColumns.isEmpty ? [:] : nil) else {
                throw DeltaError(.corruptLog, "version \(version) of \(table.root) removes '\(remove.path)' without partition values, so its rows cannot be emitted as deletes")
            }
            sources.append(.change(ChangeEntry(kind: .rows(.delete), path: remove.path, partitionValues: partitionValues,
                                               deletionVector: remove.deletionVector, version: version, timestamp: timestamp),
                                   size: remove.size ?? 0))
        }
        return sources
    }

    /// Throws when commit `version` is missing although the table is past it: cleaned up.
    /// Versions after the latest seen at start are checked against `_last_checkpoint` at most
    /// once a second (cleanup only deletes commits older than a checkpoint).
    mutating func checkNotCleanedUp(_ version: Int64) throws {
        if version <= knownLatest { throw Self.cleanedUp(version, root: table.root) }
        let now = ContinuousClock.now
        if let last = lastCleanupCheck, now - last < .seconds(1) { return }
        lastCleanupCheck = now
        // A later commit while this one is missing: it was cleaned up (whatever _last_checkpoint says).
        let (next, overflow) = version.addingReportingOverflow(1)
        if !overflow, try table.storage.entry(at: LogFile.commitPath(next)) != nil,
           try table.storage.entry(at: LogFile.commitPath(version)) == nil {
            throw Self.cleanedUp(version, root: table.root)
        }
        guard let bytes = try? table.storage.read(LastCheckpoint.path), let checkpoint = LastCheckpoint(json: bytes) else { return }
        if checkpoint.version >= version {
            knownLatest = checkpoint.version
            // The commit may have been published between the probe and this read.
            if try table.storage.entry(at: LogFile.commitPath(version)) == nil { throw Self.cleanedUp(version, root: table.root) }
        }
    }

    static func cleanedUp(_ version: Int64, root: String) -> DeltaError {
        DeltaError(.versionNotFound, "the commit of version \(version) of \(root) is no longer in the log (removed by log cleanup), so the stream cannot continue from it without skipping data; start again from the beginning or a later version")
    }

    /// The first version committed at or after `date`; the version after the latest when every
    /// commit is older.
    static func firstVersion(atOrAfter date: Date, table: Table, latest: Int64) throws -> Int64 {
        // Up to the next whole millisecond, except that a date within a microsecond of one (a
        // millisecond value that went through `Double`) is that millisecond.
        let exact = date.timeIntervalSince1970 * 1000
        let millis = abs(exact - exact.rounded()) < 0.001 ? exact.rounded() : exact.rounded(.up)
        guard millis.isFinite, abs(millis) < 9e18 else {
            throw DeltaError(.invalidArgument, "date \(date) is out of range for a tail's start")
        }
        do {
            // The last commit strictly before `date`; the next one is the first at or after it.
            return try table.version(atOrBeforeMillis: Int64(millis) - 1) + 1
        } catch let e as DeltaError where e.code == .timestampBeforeFirstCommit {
            // Every commit still in the log is at or after `date`: start at the first, unless
            // older commits were cleaned up (they may lie after `date`).
            if try table.storage.entry(at: LogFile.commitPath(0)) != nil { return 0 }
            throw DeltaError(.versionNotFound, "\(e.message); older commits were cleaned up and may have been committed after \(Table.describe(Int64(millis))), so the stream cannot start there without skipping data", underlying: e)
        }
    }
}

/// A file a trigger reads, with the offset after it.
struct TailFile: Sendable {
    enum Source: Sendable {
        /// A data file read as rows (inserts).
        case add(AddFile)
        /// A change data feed entry (change data files, removed files as deletes).
        case change(ChangeEntry, size: Int64)

        var size: Int64 {
            switch self {
            case .add(let add): add.size
            case .change(_, let size): size
            }
        }
    }

    var source: Source
    var version: Int64
    var timestamp: Int64
    var isInitialSnapshot: Bool
    var after: StreamOffset
}

/// The parsed commit a trigger is reading.
struct TailCommit: Sendable {
    var version: Int64
    var sources: [TailFile.Source]
    var timestamp: Int64
    var protocolAction: ProtocolAction
    var metadata: Metadata
}

/// Reads one file of a tail.
enum TailFileReader {
    case rows(FileBatches)
    case changes(ChangeFileBatches)

    mutating func next() throws -> RecordBatch? {
        switch self {
        case .rows(var reader):
            let batch = try reader.next()
            self = .rows(reader)
            return batch
        case .changes(var reader):
            let batch = try reader.next()
            self = .changes(reader)
            return batch
        }
    }
}
