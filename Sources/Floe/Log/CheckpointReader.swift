/// Reads the actions stored in Parquet checkpoint files and V2 checkpoint sidecars.
///
/// ``ParquetCheckpointReader`` is the implementation ``Table`` uses by default. Without a reader
/// (`checkpointReader: nil`), Floe can still load tables whose latest checkpoint is a JSON V2
/// checkpoint without sidecars, or whose commits since version 0 are all present.
public protocol CheckpointReader: Sendable {
    /// Reads every action row of the given Parquet files, in order.
    ///
    /// The files are classic or multi-part checkpoint parts, UUID-named Parquet V2 checkpoints, or
    /// sidecar files (which hold only `add` and `remove` actions). Missing columns are null;
    /// `add.stats` should be returned as the JSON string (`stats_parsed` may be ignored).
    ///
    /// - Parameters:
    ///   - files: The files to read, with sizes as listed.
    ///   - storage: The storage to read them from.
    func actions(in files: [FileEntry], from storage: any LogStorage) throws -> [Action]
}
