/// The `cdc` action: a change data file written by a commit (change data feed).
///
/// CDC files never take part in the table's file set; they are only read by change data readers.
public struct AddCDCFile: Sendable, Hashable {
    /// The URI-encoded path of the change data file, relative to the table root or absolute.
    public var path: String
    /// The file's partition values.
    public var partitionValues: [String: String?]
    /// The file's size in bytes.
    public var size: Int64
    /// Always `false` for change data files.
    public var dataChange: Bool
    /// Free-form file tags.
    public var tags: [String: String]?

    /// Creates a cdc action.
    public init(path: String, partitionValues: [String: String?] = [:], size: Int64, dataChange: Bool = false,
                tags: [String: String]? = nil) {
        self.path = path
        self.partitionValues = partitionValues
        self.size = size
        self.dataChange = dataChange
        self.tags = tags
    }

    /// ``path`` with percent-encoding removed.
    public var decodedPath: String { PathCoding.decodeURIPath(path) }
}
