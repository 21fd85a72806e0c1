import Foundation
import Synchronization

/// A Delta table: a root location (through its ``LogStorage``) and a reader for Parquet
/// checkpoints.
///
/// `Table` is a cheap value. ``snapshot()`` reflects the table at the moment it is called, read
/// from the newest checkpoint; ``latestSnapshot()`` refreshes a snapshot cached by this value (and
/// shared by its copies) incrementally, reading only newer commits, for writers that commit often.
///
/// Checkpoints: snapshots start from the newest usable checkpoint. When a checkpoint (or a sidecar
/// of it) cannot be read — a damaged or truncated file, or one `_last_checkpoint` points at but
/// that is unusable — Floe falls back to the next older checkpoint, or to the commits from
/// version 0, and the snapshot is the same; only when nothing older can rebuild the version is the
/// checkpoint's error thrown, naming the file.
public struct Table: Sendable {
    /// The storage holding the table.
    public let storage: any LogStorage
    /// Reads Parquet checkpoints and sidecars; `nil` to replay JSON commits only (tables whose
    /// early commits were cleaned up then cannot be read).
    public let checkpointReader: (any CheckpointReader)?
    /// The latest snapshot seen through this value (shared by its copies).
    let latestCache = SnapshotCache()
    /// Automatic checkpoints and log cleanup after commits, and the writer of ``checkpoint(now:)``.
    public var logMaintenance = LogMaintenancePolicy()

    /// Creates a table over `storage`, reading Parquet checkpoints with `checkpointReader`
    /// (by default a ``ParquetCheckpointReader``).
    public init(storage: any LogStorage, checkpointReader: (any CheckpointReader)? = ParquetCheckpointReader()) {
        self.storage = storage
        self.checkpointReader = checkpointReader
    }

    /// Creates a table at a local directory, reading Parquet checkpoints with `checkpointReader`
    /// (by default a ``ParquetCheckpointReader``).
    public init(path: String, checkpointReader: (any CheckpointReader)? = ParquetCheckpointReader()) {
        self.init(storage: LocalStorage(root: path), checkpointReader: checkpointReader)
    }

    /// A description of the table root.
    public var root: String { storage.rootDescription }

    /// The latest snapshot.
    ///
    /// - Throws: ``DeltaError/Code/tableNotFound`` when there is no table, or any error of
    ///   ``snapshot(version:)``.
    public func snapshot() throws -> Snapshot { try loadSnapshot(version: nil) }

    /// The latest snapshot, refreshed incrementally from the one this value (or a copy) last saw:
    /// only commits newer than it are read. Equal in content to ``snapshot()``; used by writers
    /// that commit repeatedly.
    public func latestSnapshot() throws -> Snapshot {
        if let cached = latestCache.value {
            let refreshed = try update(cached)
            latestCache.store(refreshed)
            return refreshed
        }
        let loaded = try loadSnapshot(version: nil)
        latestCache.store(loaded)
        return loaded
    }

    /// The snapshot at `version`.
    ///
    /// - Throws: ``DeltaError/Code/versionNotFound`` naming the available range,
    ///   ``DeltaError/Code/corruptLog``, ``DeltaError/Code/unsupportedFeature``, ``DeltaError/Code/io``.
    public func snapshot(version: Int64) throws -> Snapshot { try loadSnapshot(version: version) }

    /// Loads the snapshot at `version` (the latest when `nil`), falling back to older checkpoints
    /// or the commits when a checkpoint is unreadable.
    ///
    /// - Parameters:
    ///   - excluding: Checkpoint versions not to use.
    ///   - firstFailure: The error of a checkpoint already found unreadable, thrown (extended) when
    ///     nothing else can rebuild the version.
    ///   - eager: Whether to reconstruct the file-level state now (otherwise on first use).
    ///   - listing: A listing of the whole log to build the segment from (instead of
    ///     `_last_checkpoint` and probing or a new listing).
    func loadSnapshot(version: Int64?, excluding: Set<Int64> = [], firstFailure: DeltaError? = nil, eager: Bool = false,
                      listing: LogListing? = nil) throws -> Snapshot {
        var excluded = excluding
        // The first checkpoint found unreadable: its error is thrown when no fallback works.
        var unreadable = firstFailure
        while true {
            let segment: LogSegment
            do {
                if let listing {
                    segment = try LogSegment.build(listing: listing, storage: storage, version: version,
                                                   canReadParquet: checkpointReader != nil, excludedCheckpoints: excluded)
                } else {
                    segment = try LogSegment.build(storage: storage, version: version, canReadParquet: checkpointReader != nil,
                                                   excludedCheckpoints: excluded)
                }
            } catch let error as DeltaError {
                if let unreadable {
                    throw DeltaError(unreadable.code, "\(unreadable.message) (and no older checkpoint or complete commit history can rebuild the version: \(error.message))",
                                     underlying: unreadable.underlying)
                }
                throw error
            }
            do {
                if eager {
                    return try Snapshot.loadEagerly(segment: segment, storage: storage, checkpointReader: checkpointReader)
                }
                return try Snapshot.load(segment: segment, storage: storage, checkpointReader: checkpointReader,
                                         excludedCheckpoints: excluded)
            } catch let failure as CheckpointNeedsReader {
                // E.g. a JSON checkpoint whose file actions are in Parquet sidecars: try without it.
                guard let checkpoint = segment.checkpoint, !excluded.contains(checkpoint.version) else { throw failure.error }
                excluded.insert(checkpoint.version)
            } catch let failure as CheckpointUnreadable {
                // A damaged checkpoint: rebuild from an older one or the commits instead.
                guard !excluded.contains(failure.version) else { throw failure.error }
                excluded.insert(failure.version)
                if unreadable == nil { unreadable = failure.error }
            }
        }
    }

    /// The latest version of the table, from a listing of the log (no replay).
    public func latestVersion() throws -> Int64 {
        let listing = try LogListing(storage: storage, startingAt: nil)
        guard let latest = listing.latestVersion else {
            throw DeltaError.tableNotFound(in: storage)
        }
        return latest
    }
}


/// The latest snapshot a ``Table`` value has seen, shared by its copies and safe across tasks.
final class SnapshotCache: Sendable {
    private let state = Mutex<Snapshot?>(nil)

    var value: Snapshot? { state.withLock { $0 } }

    /// Keeps `snapshot` unless a newer one is already cached.
    func store(_ snapshot: Snapshot) {
        state.withLock { current in
            if (current?.version ?? -1) <= snapshot.version { current = snapshot }
        }
    }
}
