/// The `sidecar` action found in V2 checkpoints only: a Parquet file in `_delta_log/_sidecars`
/// holding some of the checkpoint's `add` and `remove` actions.
public struct Sidecar: Sendable, Hashable {
    /// The URI-encoded path of the sidecar, usually just its file name within `_delta_log/_sidecars`.
    public var path: String
    /// The sidecar's size in bytes.
    public var sizeInBytes: Int64
    /// When the sidecar was written, in milliseconds since the Unix epoch.
    public var modificationTime: Int64
    /// Extra information about the sidecar.
    public var tags: [String: String]?

    /// Creates a sidecar action.
    public init(path: String, sizeInBytes: Int64, modificationTime: Int64, tags: [String: String]? = nil) {
        self.path = path
        self.sizeInBytes = sizeInBytes
        self.modificationTime = modificationTime
        self.tags = tags
    }

    /// The sidecar's storage path: relative paths (usually a bare file name) are resolved against
    /// `_delta_log/_sidecars/`; an absolute path or `file://` URI is returned as an absolute path,
    /// which storage accepts only when it lies inside the table.
    public var storagePath: String {
        let decoded = PathCoding.decodeURIPath(path)
        if decoded.hasPrefix("file://") { return String(decoded.dropFirst("file://".count)) }
        if decoded.hasPrefix("/") { return decoded }
        return "_delta_log/_sidecars/" + decoded
    }
}
