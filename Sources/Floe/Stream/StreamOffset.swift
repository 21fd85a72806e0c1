import Foundation
import FloeColumnar

/// A position in a table read as a stream: the next file a tail delivers, as Delta Spark's
/// streaming source keeps it (`reservoirVersion` and `index`).
///
/// Every offset means "everything before this position was delivered; the next file to deliver
/// is file ``index`` of ``version``":
/// - in the initial snapshot (``isInitialSnapshot``): the `index`-th (0-based) active file of the
///   snapshot at ``version``, the files ordered by (`modificationTime`, `path`) as Spark orders
///   them, which does not depend on whether the snapshot was rebuilt from a checkpoint or from
///   commits;
/// - otherwise: the `index`-th file the tail reads of commit ``version``, in the order of the
///   commit's actions (the `add` actions with `dataChange=true`; in change data feed mode, the
///   commit's change entries, see ``TailOptions/RemovalPolicy/changeDataFeed``).
///
/// After the last file of the snapshot at V the offset is `(V + 1, 0)`; after the last file of
/// commit V it is `(V + 1, 0)`. Offsets are plain values, valid across processes and machines:
/// they name log versions and file positions only, never local state. Ordering is by
/// (initial snapshot first at equal versions, version, index).
///
/// Invariants: `version >= 0`, `index >= 0`.
public struct StreamOffset: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    /// The table's `metaData.id`: an offset is only valid for the table it was taken from.
    public var tableID: String
    /// The version of the next file: a commit version, or the initial snapshot's version.
    public var version: Int64
    /// The next file's position within ``version`` (0-based).
    public var index: Int64
    /// Whether the offset points into the initial snapshot at ``version`` rather than into the
    /// changes of commit ``version``.
    public var isInitialSnapshot: Bool
    /// Whether ``index`` counts change entries (change data feed mode) rather than `add` actions.
    /// The two counts differ only in commits that remove data or carry change data files; a tail
    /// refuses to resume in the middle of such a commit in the other mode.
    public var countsChanges: Bool

    /// Creates an offset.
    ///
    /// - Throws: ``DeltaError/Code/invalidArgument`` for a negative version or index.
    public init(tableID: String, version: Int64, index: Int64 = 0, isInitialSnapshot: Bool = false, countsChanges: Bool = false) throws {
        guard version >= 0, index >= 0 else {
            throw DeltaError(.invalidArgument, "a stream offset needs a version and index >= 0, got version \(version) index \(index)")
        }
        self.tableID = tableID
        self.version = version
        self.index = index
        self.isInitialSnapshot = isInitialSnapshot
        self.countsChanges = countsChanges
    }

    init(unchecked tableID: String, version: Int64, index: Int64, isInitialSnapshot: Bool, countsChanges: Bool) {
        self.tableID = tableID
        self.version = version
        self.index = index
        self.isInitialSnapshot = isInitialSnapshot
        self.countsChanges = countsChanges
    }

    /// The serialisation format version written by this Floe (`formatVersion` in the JSON).
    public static let formatVersion = 1

    enum CodingKeys: String, CodingKey {
        case formatVersion, tableID = "tableId", version, index, isInitialSnapshot = "initialSnapshot", countsChanges = "changes"
    }

    /// Decodes an offset, refusing unknown format versions and out-of-range values.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let format = try c.decode(Int.self, forKey: .formatVersion)
        guard format == Self.formatVersion else {
            throw DeltaError(.unsupportedFeature, "stream offset format version \(format) is not supported (this Floe reads version \(Self.formatVersion))")
        }
        try self.init(tableID: try c.decode(String.self, forKey: .tableID),
                      version: try c.decode(Int64.self, forKey: .version),
                      index: try c.decode(Int64.self, forKey: .index),
                      isInitialSnapshot: try c.decodeIfPresent(Bool.self, forKey: .isInitialSnapshot) ?? false,
                      countsChanges: try c.decodeIfPresent(Bool.self, forKey: .countsChanges) ?? false)
    }

    /// Encodes the offset with its format version.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(Self.formatVersion, forKey: .formatVersion)
        try c.encode(tableID, forKey: .tableID)
        try c.encode(version, forKey: .version)
        try c.encode(index, forKey: .index)
        try c.encode(isInitialSnapshot, forKey: .isInitialSnapshot)
        try c.encode(countsChanges, forKey: .countsChanges)
    }

    /// The offset as compact JSON with sorted keys, e.g.
    /// `{"changes":false,"formatVersion":1,"index":0,"initialSnapshot":false,"tableId":"…","version":5}`.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// Parses an offset from its JSON (see ``json()``).
    ///
    /// - Throws: ``DeltaError/Code/invalidArgument`` for malformed JSON, missing fields or
    ///   negative values; ``DeltaError/Code/unsupportedFeature`` for an unknown format version.
    public init(json: String) throws {
        do {
            self = try JSONDecoder().decode(StreamOffset.self, from: Data(json.utf8))
        } catch let e as DeltaError {
            throw e
        } catch {
            throw DeltaError(.invalidArgument, "malformed stream offset JSON: \(Self.describe(error))", underlying: error)
        }
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): "missing field '\(key.stringValue)'"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            "wrong type at '\(context.codingPath.map(\.stringValue).joined(separator: "."))'"
        case DecodingError.dataCorrupted(let context): context.debugDescription
        default: "\(error)"
        }
    }

    /// Initial-snapshot positions come before commit positions of the same version.
    public static func < (a: StreamOffset, b: StreamOffset) -> Bool {
        if a.version != b.version { return a.version < b.version }
        if a.isInitialSnapshot != b.isInitialSnapshot { return a.isInitialSnapshot }
        return a.index < b.index
    }

    /// `snapshot@V#I` or `V#I`.
    public var description: String { (isInitialSnapshot ? "snapshot@" : "") + "\(version)#\(index)" }
}

/// Where a tail starts reading a table.
public enum TailStart: Sendable, Hashable {
    /// The snapshot at the version current when the tail starts (its files, in offset order),
    /// then every commit after it: the whole table, then its changes.
    case beginning
    /// The commits from this version on (inclusive), without a snapshot.
    case version(Int64)
    /// The commits from the first one committed at or after this time on.
    case timestamp(Date)
    /// Only commits made after the tail starts.
    case latest
    /// Resume at an offset (e.g. a consumer group's committed one).
    case offset(StreamOffset)
}

/// How a tail reads: limits per trigger, what to do with commits that remove data, projection and
/// filter, and how eagerly to look for new commits.
public struct TailOptions: Sendable {
    /// What a tail does with a commit that removes data: one with a `remove` action with
    /// `dataChange=true` (an overwrite, `replaceWhere`, DELETE, UPDATE or MERGE). Commits whose
    /// removes all have `dataChange=false` (OPTIMIZE, other rewrites) are skipped silently in
    /// every mode: a compaction never re-emits rows.
    public enum RemovalPolicy: String, Sendable, Hashable, CaseIterable {
        /// Stop with ``DeltaError/Code/dataRemovedInStream`` naming the version (Spark's default).
        case fail
        /// Skip the whole commit, its added rows included (Spark's `skipChangeCommits`).
        case skip
        /// Emit change rows with `_change_type`, as the change data feed records them: a commit
        /// with `cdc` actions gives its change data files' rows; others give their added files'
        /// rows as `insert` and their removed files' rows as `delete`. A removing commit needs
        /// `delta.enableChangeDataFeed=true` in effect (otherwise the tail stops naming it); pure
        /// appends are emitted as `insert` rows on any table.
        case changeDataFeed = "cdf"
    }

    /// The most files one trigger plans and reads (Spark's `maxFilesPerTrigger`); at least 1.
    /// A commit with more files is split across triggers at file boundaries (the offset's index).
    public var maxFiles: Int = 1000
    /// The most bytes (sum of file sizes) one trigger admits (Spark's `maxBytesPerTrigger`); a
    /// trigger always admits at least one file. `nil`: no byte limit.
    public var maxBytes: Int64?
    /// What to do with commits that remove data.
    public var onRemoval: RemovalPolicy = .fail
    /// The columns to read (all when nil), in order.
    public var columns: [String]?
    /// Only rows matching this condition are delivered (files are skipped by statistics first).
    public var condition: Condition?
    /// The shortest wait between probes for the next commit when caught up (the first wait).
    public var minimumPollInterval: Duration = .milliseconds(1)
    /// The longest wait between probes when idle: waits double from
    /// ``minimumPollInterval`` up to this.
    public var maximumPollInterval: Duration = .milliseconds(50)

    /// Creates options with the defaults: 1000 files per trigger, no byte limit, fail on removals,
    /// all columns, every row, probes from 1 ms backing off to 50 ms.
    public init() {}
}
