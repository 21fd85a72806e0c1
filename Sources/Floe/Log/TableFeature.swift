/// The name of a Delta table feature, as listed in a protocol's `readerFeatures` or
/// `writerFeatures`.
///
/// An open set: names Floe does not know are representable (and are refused when a table requires
/// them, see ``Snapshot``).
public struct TableFeature: RawRepresentable, Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The feature name as written in the log, e.g. `"deletionVectors"`.
    public let rawValue: String

    /// Creates a feature from its log name.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Creates a feature from its log name.
    public init(stringLiteral value: String) { self.rawValue = value }

    /// The feature name.
    public var description: String { rawValue }

    /// Append-only tables (writer).
    public static let appendOnly: TableFeature = "appendOnly"
    /// Column invariants (writer).
    public static let invariants: TableFeature = "invariants"
    /// CHECK constraints (writer).
    public static let checkConstraints: TableFeature = "checkConstraints"
    /// Generated columns (writer).
    public static let generatedColumns: TableFeature = "generatedColumns"
    /// Column default values (writer).
    public static let allowColumnDefaults: TableFeature = "allowColumnDefaults"
    /// Change data feed (writer).
    public static let changeDataFeed: TableFeature = "changeDataFeed"
    /// Column mapping (reader and writer).
    public static let columnMapping: TableFeature = "columnMapping"
    /// Identity columns (writer).
    public static let identityColumns: TableFeature = "identityColumns"
    /// Deletion vectors (reader and writer).
    public static let deletionVectors: TableFeature = "deletionVectors"
    /// Row tracking (writer).
    public static let rowTracking: TableFeature = "rowTracking"
    /// Timestamp without time zone (reader and writer).
    public static let timestampNtz: TableFeature = "timestampNtz"
    /// Domain metadata (writer).
    public static let domainMetadata: TableFeature = "domainMetadata"
    /// V2 checkpoints (reader and writer).
    public static let v2Checkpoint: TableFeature = "v2Checkpoint"
    /// Catalog-managed tables (reader and writer).
    public static let catalogManaged: TableFeature = "catalogManaged"
    /// Iceberg compatibility V1 (writer).
    public static let icebergCompatV1: TableFeature = "icebergCompatV1"
    /// Iceberg compatibility V2 (writer).
    public static let icebergCompatV2: TableFeature = "icebergCompatV2"
    /// Clustered tables (writer).
    public static let clustering: TableFeature = "clustering"
    /// VACUUM protocol check (reader and writer).
    public static let vacuumProtocolCheck: TableFeature = "vacuumProtocolCheck"
    /// In-commit timestamps (writer).
    public static let inCommitTimestamp: TableFeature = "inCommitTimestamp"
    /// Type widening (reader and writer).
    public static let typeWidening: TableFeature = "typeWidening"
    /// Type widening, preview name (reader and writer).
    public static let typeWideningPreview: TableFeature = "typeWidening-preview"
    /// The variant data type (reader and writer).
    public static let variantType: TableFeature = "variantType"
    /// The variant data type, preview name (reader and writer).
    public static let variantTypePreview: TableFeature = "variantType-preview"
    /// Shredded variants, preview name (reader and writer).
    public static let variantShreddingPreview: TableFeature = "variantShredding-preview"
    /// Shredded variants (reader and writer).
    public static let variantShredding: TableFeature = "variantShredding"

    /// Reader features Floe accepts when loading a snapshot.
    ///
    /// Loading the log is correct for all of them, and scans honour those that change how data
    /// files are read: column mapping (names and field ids), deletion vectors, type widening,
    /// `timestamp_ntz`, variants (read unshredded, as `metadata`/`value` binary structs). Scans of
    /// tables with `variantShredding`/`variantShredding-preview` are refused (see ``Scan``), their
    /// logs stay readable. `catalogManaged` is not supported: such tables need a catalog client.
    public static let supportedReaderFeatures: Set<TableFeature> = [
        .columnMapping, .deletionVectors, .timestampNtz, .v2Checkpoint, .vacuumProtocolCheck,
        .typeWidening, .typeWideningPreview, .variantType, .variantTypePreview, .variantShreddingPreview, .variantShredding,
    ]

    /// Writer features Floe's transactions know how to honour.
    ///
    /// `appendOnly` is enforced, `inCommitTimestamp` written, `domainMetadata` reconciled,
    /// type changes recorded in `delta.typeChanges` by schema merging and column type changes;
    /// `columnMapping` honoured (ids, physical names, Parquet field ids, physical names in
    /// partition values and statistics, `delta.columnMapping.maxColumnId`); `invariants` and
    /// `checkConstraints` are enforced on every write (``TableConstraint``); `generatedColumns` and
    /// `changeDataFeed` are accepted while the table does not use them (no generation expressions,
    /// change data feed not enabled — see ``Transaction``); the rest only add rules Floe's log
    /// layer already follows.
    public static let supportedWriterFeatures: Set<TableFeature> = [
        .appendOnly, .invariants, .checkConstraints, .generatedColumns, .changeDataFeed, .inCommitTimestamp,
        .domainMetadata, .timestampNtz, .vacuumProtocolCheck, .deletionVectors, .v2Checkpoint,
        .typeWidening, .typeWideningPreview, .columnMapping,
    ]
}
