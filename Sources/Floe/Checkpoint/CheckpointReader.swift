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

    /// Reads only the `protocol` and `metaData` actions of the given checkpoint files, in order
    /// (see the default implementation).
    func protocolAndMetadata(in files: [FileEntry], from storage: any LogStorage) throws -> [Action]
}

extension CheckpointReader {
    /// Reads only the `protocol` and `metaData` actions of the given checkpoint files (classic,
    /// multi-part parts or UUID-named Parquet V2 checkpoints; never sidecars), in order.
    ///
    /// Snapshots call this when they are opened and read the rest of the checkpoint only when
    /// their files are first needed. The default implementation filters ``actions(in:from:)``;
    /// ``ParquetCheckpointReader`` reads just those columns, skipping row groups whose statistics
    /// show they hold neither action.
    ///
    /// - Parameters:
    ///   - files: The checkpoint files, with sizes as listed.
    ///   - storage: The storage to read them from.
    public func protocolAndMetadata(in files: [FileEntry], from storage: any LogStorage) throws -> [Action] {
        try actions(in: files, from: storage).filter {
            switch $0 {
            case .protocol, .metadata: true
            default: false
            }
        }
    }
}
