/// The `protocol` action: the minimum reader and writer protocol versions, and for reader version 3
/// and writer version 7 the table features a client must support.
///
/// Invariants (enforced when a snapshot is loaded, not on construction): `readerFeatures` is only
/// meaningful when `minReaderVersion == 3` and `writerFeatures` only when `minWriterVersion == 7`.
public struct ProtocolAction: Sendable, Hashable {
    /// The minimum Delta read protocol version a client must implement to read the table.
    public var minReaderVersion: Int
    /// The minimum Delta write protocol version a client must implement to write the table.
    public var minWriterVersion: Int
    /// Features a reader must support (present only for reader version 3), in log order.
    public var readerFeatures: [TableFeature]?
    /// Features a writer must support (present only for writer version 7), in log order.
    public var writerFeatures: [TableFeature]?

    /// Creates a protocol action.
    public init(minReaderVersion: Int, minWriterVersion: Int,
                readerFeatures: [TableFeature]? = nil, writerFeatures: [TableFeature]? = nil) {
        self.minReaderVersion = minReaderVersion
        self.minWriterVersion = minWriterVersion
        self.readerFeatures = readerFeatures
        self.writerFeatures = writerFeatures
    }

    /// Whether `feature` is listed among the writer features (writer version 7 only).
    public func hasWriterFeature(_ feature: TableFeature) -> Bool {
        writerFeatures?.contains(feature) ?? false
    }

    /// Whether `feature` is listed among the reader features (reader version 3 only).
    public func hasReaderFeature(_ feature: TableFeature) -> Bool {
        readerFeatures?.contains(feature) ?? false
    }
}
