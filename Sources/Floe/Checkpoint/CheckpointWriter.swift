/// Encodes checkpoint actions as a Parquet classic checkpoint file (`%020d.checkpoint.parquet`).
///
/// ``ParquetCheckpointWriter`` is the implementation Floe uses by default (see
/// ``LogMaintenancePolicy``); ``Table/writeCheckpoint(of:using:now:)`` does the rest (choosing the
/// actions, publishing the file, updating `_last_checkpoint`).
public protocol CheckpointWriter: Sendable {
    /// The bytes of a V1 checkpoint holding `actions` (one row per action, each action in its own
    /// struct column as the protocol's Checkpoint Schema describes) for `snapshot`'s table, whose
    /// schema and properties decide `partitionValues_parsed` / `stats_parsed` columns.
    func checkpointFile(for actions: [Action], of snapshot: Snapshot) throws -> [UInt8]
}

extension Table {
    /// Writes a classic checkpoint of `snapshot` and points `_last_checkpoint` at it (unless it
    /// already points at a newer checkpoint).
    ///
    /// The checkpoint holds ``Snapshot/checkpointActions(now:)``. It is written with
    /// ``LogStorage/write(_:contents:)``: racing checkpoint writers produce the same content, and
    /// the protocol lets the last one win.
    ///
    /// - Returns: The `_last_checkpoint` contents written (or that would have been).
    @discardableResult
    public func writeCheckpoint(of snapshot: Snapshot, using writer: any CheckpointWriter, now: Int64) throws -> LastCheckpoint {
        let actions = try snapshot.checkpointActions(now: now)
        let bytes = try writer.checkpointFile(for: actions, of: snapshot)
        let path = "_delta_log/" + LogFile.versionPrefix(snapshot.version) + ".checkpoint.parquet"
        try storage.write(path, contents: bytes)
        try FailPoint.reach(.duringCheckpoint, path: LastCheckpoint.path)
        let hint = LastCheckpoint(version: snapshot.version, size: Int64(actions.count), sizeInBytes: Int64(bytes.count),
                                  numOfAddFiles: Int64(try snapshot.fileState().activeFiles.count))
        if let existing = try LastCheckpoint.read(from: storage), existing.version > snapshot.version {
            return hint
        }
        try storage.write(LastCheckpoint.path, contents: Array(hint.json.utf8))
        return hint
    }
}
