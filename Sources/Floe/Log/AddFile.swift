/// The `add` action: a logical file (data file plus optional deletion vector) that is part of the
/// table.
///
/// `path` is stored exactly as in the log: a URI reference relative to the table root (or
/// absolute), percent-encoded. Use ``decodedPath`` for the file system path.
/// Invariant: within one snapshot, (``path``, ``deletionVector``?.``DeletionVectorDescriptor/uniqueID``)
/// identifies the logical file.
public struct AddFile: Sendable, Hashable {
    /// The URI-encoded path of the data file, relative to the table root or absolute.
    public var path: String
    /// Partition column name to serialized partition value (`nil` is a null value).
    public var partitionValues: [String: String?]
    /// The data file's size in bytes.
    public var size: Int64
    /// When the file was created, in milliseconds since the Unix epoch.
    public var modificationTime: Int64
    /// `false` when this action only rearranges existing data (e.g. compaction).
    public var dataChange: Bool
    /// Per-file statistics as the raw JSON string stored in the log.
    public var stats: String?
    /// Free-form file tags.
    public var tags: [String: String]?
    /// The file's deletion vector, if any.
    public var deletionVector: DeletionVectorDescriptor?
    /// Row tracking: the row ID of the file's first row.
    public var baseRowID: Int64?
    /// Row tracking: the first commit version that added this path.
    public var defaultRowCommitVersion: Int64?
    /// The clustering implementation that produced the file (clustered tables).
    public var clusteringProvider: String?

    /// Creates an add action.
    public init(path: String, partitionValues: [String: String?] = [:], size: Int64, modificationTime: Int64,
                dataChange: Bool = true, stats: String? = nil, tags: [String: String]? = nil,
                deletionVector: DeletionVectorDescriptor? = nil, baseRowID: Int64? = nil,
                defaultRowCommitVersion: Int64? = nil, clusteringProvider: String? = nil) {
        self.path = path
        self.partitionValues = partitionValues
        self.size = size
        self.modificationTime = modificationTime
        self.dataChange = dataChange
        self.stats = stats
        self.tags = tags
        self.deletionVector = deletionVector
        self.baseRowID = baseRowID
        self.defaultRowCommitVersion = defaultRowCommitVersion
        self.clusteringProvider = clusteringProvider
    }

    /// ``path`` with percent-encoding removed: the path of the data file relative to the table root
    /// (or absolute).
    public var decodedPath: String { PathCoding.decodeURIPath(path) }

    /// The key identifying this logical file during log replay.
    var fileKey: FileKey { FileKey(path: path, dvID: deletionVector?.uniqueID) }

    /// A `remove` action for this logical file, carrying its extended metadata.
    ///
    /// - Parameters:
    ///   - deletionTimestamp: When the removal happened, in milliseconds since the Unix epoch.
    ///   - dataChange: `false` when the rows are re-added elsewhere in the same commit.
    public func removal(deletionTimestamp: Int64, dataChange: Bool = true) -> RemoveFile {
        RemoveFile(path: path, deletionTimestamp: deletionTimestamp, dataChange: dataChange,
                   extendedFileMetadata: true, partitionValues: partitionValues, size: size, stats: stats,
                   tags: tags, deletionVector: deletionVector, baseRowID: baseRowID,
                   defaultRowCommitVersion: defaultRowCommitVersion)
    }
}

/// The primary key of a logical file: its path and deletion vector unique id.
struct FileKey: Hashable, Sendable {
    var path: String
    var dvID: String?
}
