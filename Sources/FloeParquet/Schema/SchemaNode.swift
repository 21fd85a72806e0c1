import FloeColumnar

/// A Parquet physical type.
public enum PhysicalType: Int32, Sendable, Hashable {
    case boolean = 0, int32 = 1, int64 = 2, int96 = 3, float = 4, double = 5, byteArray = 6, fixedLenByteArray = 7
}

/// How often a Parquet schema node occurs within its parent.
public enum Repetition: Int32, Sendable, Hashable {
    case required = 0, optional = 1, repeated = 2
}

/// The meaning a Parquet schema node's annotation gives its physical values: the logical type when
/// the file has one, else the legacy converted type (the logical type wins when both are present).
public enum LogicalAnnotation: Sendable, Hashable {
    case string, json, bson, enumeration, uuid, float16
    case integer(bitWidth: Int, isSigned: Bool)
    case decimal(precision: Int, scale: Int)
    case date
    case time(unit: TimeUnit, isAdjustedToUTC: Bool)
    case timestamp(unit: TimeUnit, isAdjustedToUTC: Bool)
    case interval
    case list, map, mapKeyValue
    case null
    case unknown
}

/// One node of a Parquet schema tree: a group (with children) or a primitive leaf.
///
/// Invariants: a leaf has a `physicalType` and no children; a group has no `physicalType`.
/// `typeLength` is set for `fixedLenByteArray` leaves.
public struct SchemaNode: Sendable, Hashable {
    public var name: String
    public var repetition: Repetition
    public var physicalType: PhysicalType?
    public var typeLength: Int
    public var annotation: LogicalAnnotation?
    public var fieldID: Int32?
    public var children: [SchemaNode]

    /// Creates a node.
    public init(name: String, repetition: Repetition, physicalType: PhysicalType? = nil, typeLength: Int = 0,
                annotation: LogicalAnnotation? = nil, fieldID: Int32? = nil, children: [SchemaNode] = []) {
        self.name = name
        self.repetition = repetition
        self.physicalType = physicalType
        self.typeLength = typeLength
        self.annotation = annotation
        self.fieldID = fieldID
        self.children = children
    }

    /// Whether this is a primitive (leaf) node.
    public var isLeaf: Bool { physicalType != nil }
}

/// A primitive column of a Parquet file: a leaf of the schema tree with its levels.
///
/// Invariants: `index` is the leaf's position in depth-first order (= its column chunk index in
/// every row group); `maxDefinitionLevel`/`maxRepetitionLevel` count the optional/repeated nodes
/// on `path` (root excluded).
public struct ColumnDescriptor: Sendable, Hashable {
    /// Depth-first leaf index.
    public let index: Int
    /// Names from the first top-level node down to the leaf.
    public let path: [String]
    /// The leaf node.
    public let node: SchemaNode
    /// The maximum definition level.
    public let maxDefinitionLevel: Int
    /// The maximum repetition level.
    public let maxRepetitionLevel: Int
    /// The leaf's physical type.
    public var physicalType: PhysicalType { node.physicalType ?? .byteArray }
    /// The dotted path (`a.b.c`).
    public var dottedPath: String { path.joined(separator: ".") }

    /// The Arrow type Floe reads this leaf's values as.
    public func arrowType() throws -> DataType { try ParquetSchema.arrowType(of: node, path: path) }
}
