/// The `remove` action: a logical file that is no longer part of the table. It remains in the
/// snapshot as a tombstone (for VACUUM) until it expires.
///
/// `path` is stored exactly as in the log (URI-encoded); see ``decodedPath``.
public struct RemoveFile: Sendable, Hashable {
    /// The URI-encoded path of the removed data file.
    public var path: String
    /// When the removal happened, in milliseconds since the Unix epoch.
    public var deletionTimestamp: Int64?
    /// `false` when the removed rows are re-added in the same commit.
    public var dataChange: Bool
    /// When `true`, `partitionValues` and `size` are present.
    public var extendedFileMetadata: Bool?
    /// The removed file's partition values.
    public var partitionValues: [String: String?]?
    /// The removed file's size in bytes.
    public var size: Int64?
    /// The removed file's statistics (raw JSON string).
    public var stats: String?
    /// The removed file's tags.
    public var tags: [String: String]?
    /// The deletion vector of the removed logical file.
    public var deletionVector: DeletionVectorDescriptor?
    /// Row tracking: base row ID of the removed file.
    public var baseRowID: Int64?
    /// Row tracking: default row commit version of the removed file.
    public var defaultRowCommitVersion: Int64?

    /// Creates a remove action.
    public init(path: String, deletionTimestamp: Int64? = nil, dataChange: Bool = true,
                extendedFileMetadata: Bool? = nil, partitionValues: [String: String?]? = nil, size: Int64? = nil,
                stats: String? = nil, tags: [String: String]? = nil, deletionVector: DeletionVectorDescriptor? = nil,
                baseRowID: Int64? = nil, defaultRowCommitVersion: Int64? = nil) {
        self.path = path
        self.deletionTimestamp = deletionTimestamp
        self.dataChange = dataChange
        self.extendedFileMetadata = extendedFileMetadata
        self.partitionValues = partitionValues
        self.size = size
        self.stats = stats
        self.tags = tags
        self.deletionVector = deletionVector
        self.baseRowID = baseRowID
        self.defaultRowCommitVersion = defaultRowCommitVersion
    }

    /// ``path`` with percent-encoding removed.
    public var decodedPath: String { PathCoding.decodeURIPath(path) }

    /// The key identifying this logical file during log replay.
    var fileKey: FileKey { FileKey(path: path, dvID: deletionVector?.uniqueID) }
}
