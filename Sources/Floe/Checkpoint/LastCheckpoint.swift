/// The contents of `_delta_log/_last_checkpoint`: a hint pointing at a recent checkpoint.
///
/// It is only a hint: Floe falls back to listing the log when it is missing, unreadable or stale.
public struct LastCheckpoint: Sendable, Hashable {
    /// The version of the checkpoint.
    public var version: Int64
    /// The number of actions in the checkpoint.
    public var size: Int64?
    /// The number of parts of a multi-part checkpoint.
    public var parts: Int?
    /// The checkpoint's size in bytes.
    public var sizeInBytes: Int64?
    /// The number of `add` actions in the checkpoint.
    public var numOfAddFiles: Int64?

    /// Creates a hint.
    public init(version: Int64, size: Int64? = nil, parts: Int? = nil, sizeInBytes: Int64? = nil, numOfAddFiles: Int64? = nil) {
        self.version = version
        self.size = size
        self.parts = parts
        self.sizeInBytes = sizeInBytes
        self.numOfAddFiles = numOfAddFiles
    }

    /// The table-relative path of the file.
    public static let path = "_delta_log/_last_checkpoint"

    /// Parses the file's JSON; returns `nil` when it is not a valid hint.
    public init?(json bytes: [UInt8]) {
        guard let value = try? JSONValue.parse(bytes), let object = value.objectValue,
              let version = object["version"]?.int64Value, version >= 0 else { return nil }
        self.init(version: version, size: object["size"]?.int64Value,
                  parts: object["parts"]?.int64Value.flatMap { Int(exactly: $0) },
                  sizeInBytes: object["sizeInBytes"]?.int64Value, numOfAddFiles: object["numOfAddFiles"]?.int64Value)
    }

    /// Reads the hint from storage; `nil` when missing or corrupt (never throws for those).
    static func read(from storage: any LogStorage) throws -> LastCheckpoint? {
        let bytes: [UInt8]
        do {
            bytes = try storage.read(path)
        } catch let error as DeltaError where error.code == .fileNotFound {
            return nil
        }
        return LastCheckpoint(json: bytes)
    }

    /// The JSON text of the hint.
    public var json: String {
        var o = JSONObjectWriter()
        o.field("version", version)
        o.field("size", size)
        o.field("parts", parts)
        o.field("sizeInBytes", sizeInBytes)
        o.field("numOfAddFiles", numOfAddFiles)
        return String(decoding: o.finish().bytes, as: UTF8.self)
    }
}
