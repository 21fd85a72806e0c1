/// Describes the deletion vector (DV) attached to a logical file: which rows of the data file are
/// no longer part of the table.
///
/// Invariant: `offset` is `nil` for inline DVs (`storageType == "i"`).
public struct DeletionVectorDescriptor: Sendable, Hashable {
    /// `"u"` (relative path from a UUID), `"i"` (inline) or `"p"` (absolute path).
    public var storageType: String
    /// The encoded UUID (with optional random prefix), the Z85-encoded inline bitmap, or a path.
    public var pathOrInlineDv: String
    /// Byte offset of the DV within its file; absent means 0 for on-disk DVs.
    public var offset: Int?
    /// Size of the serialized DV in bytes.
    public var sizeInBytes: Int
    /// Number of rows the DV removes.
    public var cardinality: Int64

    /// Creates a descriptor.
    public init(storageType: String, pathOrInlineDv: String, offset: Int? = nil, sizeInBytes: Int, cardinality: Int64) {
        self.storageType = storageType
        self.pathOrInlineDv = pathOrInlineDv
        self.offset = offset
        self.sizeInBytes = sizeInBytes
        self.cardinality = cardinality
    }

    /// The protocol's derived `uniqueId`: `<storageType><pathOrInlineDv>` followed by `@<offset>`
    /// when an offset is present. Together with the file path it identifies a logical file.
    public var uniqueID: String {
        if let offset { return "\(storageType)\(pathOrInlineDv)@\(offset)" }
        return storageType + pathOrInlineDv
    }
}
