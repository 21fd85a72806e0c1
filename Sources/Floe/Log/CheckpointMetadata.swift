/// The `checkpointMetadata` action found in V2 checkpoints only.
public struct CheckpointMetadata: Sendable, Hashable {
    /// The table version the checkpoint represents.
    public var version: Int64
    /// Extra information about the checkpoint (e.g. `numOfAddFiles`).
    public var tags: [String: String]?

    /// Creates a checkpoint metadata action.
    public init(version: Int64, tags: [String: String]? = nil) {
        self.version = version
        self.tags = tags
    }
}
