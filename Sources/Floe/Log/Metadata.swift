/// The `metaData` action: the table's identity, schema, partitioning and configuration.
///
/// The schema is kept as the exact `schemaString` from the log; ``Snapshot/schema`` holds the
/// parsed form. Invariant: a table has exactly one current `Metadata` (the latest one wins).
public struct Metadata: Sendable, Hashable {
    /// The file format of the table's data files.
    public struct Format: Sendable, Hashable {
        /// The encoding of the data files; always `"parquet"` for tables Floe writes.
        public var provider: String
        /// Format options; empty for tables Floe writes.
        public var options: [String: String]

        /// Creates a format description.
        public init(provider: String = "parquet", options: [String: String] = [:]) {
            self.provider = provider
            self.options = options
        }
    }

    /// The table's unique identifier (a GUID).
    public var id: String
    /// A user-provided name for the table.
    public var name: String?
    /// A user-provided description of the table.
    public var description: String?
    /// The data file format.
    public var format: Format
    /// The table schema serialized as Delta schema JSON (see ``StructType``). Empty when the
    /// action had no `schemaString` (some writers omit it in a table's first commit).
    public var schemaString: String
    /// The names of the partition columns, in partition order.
    public var partitionColumns: [String]
    /// Table properties (e.g. `delta.appendOnly`).
    public var configuration: [String: String]
    /// When this metadata was created, in milliseconds since the Unix epoch.
    public var createdTime: Int64?

    /// Creates a metadata action.
    public init(id: String, name: String? = nil, description: String? = nil, format: Format = Format(),
                schemaString: String, partitionColumns: [String] = [], configuration: [String: String] = [:],
                createdTime: Int64? = nil) {
        self.id = id
        self.name = name
        self.description = description
        self.format = format
        self.schemaString = schemaString
        self.partitionColumns = partitionColumns
        self.configuration = configuration
        self.createdTime = createdTime
    }

    /// Parses ``schemaString``.
    ///
    /// - Throws: ``DeltaError/Code/corruptLog`` when the schema JSON is malformed.
    public func schema() throws -> StructType {
        if schemaString.isEmpty {
            throw DeltaError(.corruptLog, "the metaData action has no schemaString")
        }
        return try StructType(json: schemaString)
    }
}
