import Foundation

/// A Delta table: a root location (through its ``LogStorage``) and, optionally, a reader for
/// Parquet checkpoints.
///
/// `Table` is a cheap value; every method reads the log afresh, so a snapshot reflects the table
/// at the moment it was taken.
public struct Table: Sendable {
    /// The storage holding the table.
    public let storage: any LogStorage
    /// Reads Parquet checkpoints and sidecars; `nil` until a Parquet-backed reader is supplied.
    public let checkpointReader: (any CheckpointReader)?

    /// Creates a table over `storage`.
    public init(storage: any LogStorage, checkpointReader: (any CheckpointReader)? = nil) {
        self.storage = storage
        self.checkpointReader = checkpointReader
    }

    /// Creates a table at a local directory.
    public init(path: String, checkpointReader: (any CheckpointReader)? = nil) {
        self.init(storage: LocalStorage(root: path), checkpointReader: checkpointReader)
    }

    /// A description of the table root.
    public var root: String { storage.rootDescription }

    /// The latest snapshot.
    ///
    /// - Throws: ``DeltaError/Code/tableNotFound`` when there is no table, or any error of
    ///   ``snapshot(version:)``.
    public func snapshot() throws -> Snapshot { try loadSnapshot(version: nil) }

    /// The snapshot at `version`.
    ///
    /// - Throws: ``DeltaError/Code/versionNotFound`` naming the available range,
    ///   ``DeltaError/Code/corruptLog``, ``DeltaError/Code/unsupportedFeature``, ``DeltaError/Code/io``.
    public func snapshot(version: Int64) throws -> Snapshot { try loadSnapshot(version: version) }

    func loadSnapshot(version: Int64?) throws -> Snapshot {
        var excluded = Set<Int64>()
        while true {
            let segment = try LogSegment.build(storage: storage, version: version, canReadParquet: checkpointReader != nil,
                                               excludedCheckpoints: excluded)
            do {
                return try Snapshot.load(segment: segment, storage: storage, checkpointReader: checkpointReader)
            } catch let failure as CheckpointNeedsReader {
                // E.g. a JSON checkpoint whose file actions are in Parquet sidecars: try without it.
                guard let checkpoint = segment.checkpoint, !excluded.contains(checkpoint.version) else { throw failure.error }
                excluded.insert(checkpoint.version)
            }
        }
    }

    /// The latest version of the table, from a listing of the log (no replay).
    public func latestVersion() throws -> Int64 {
        let listing = try LogListing(storage: storage, startingAt: nil)
        guard let latest = listing.latestVersion else {
            throw DeltaError(.tableNotFound, "no Delta table at \(root): _delta_log has no commits or checkpoints")
        }
        return latest
    }
}
