/// The `commitInfo` action: provenance information about a commit.
///
/// Implementations may store arbitrary JSON here, so the whole object is kept (in document order)
/// in ``fields`` and written back unchanged; the typed properties read from it.
public struct CommitInfo: Sendable, Hashable {
    /// Every member of the `commitInfo` object, in document order.
    public var fields: JSONObject

    /// Wraps an existing `commitInfo` object.
    public init(fields: JSONObject) { self.fields = fields }

    /// When the commit was made according to the writer's clock, in milliseconds since the epoch.
    public var timestamp: Int64? { fields["timestamp"]?.int64Value }
    /// The in-commit timestamp (milliseconds since the epoch), present when In-Commit Timestamps are
    /// enabled.
    public var inCommitTimestamp: Int64? { fields["inCommitTimestamp"]?.int64Value }
    /// The operation name, e.g. `"WRITE"`, `"DELETE"`, `"CREATE TABLE"`.
    public var operation: String? { fields["operation"]?.stringValue }
    /// The operation's parameters; non-string JSON values are given as their JSON text.
    public var operationParameters: [String: String]? { Self.stringMap(fields["operationParameters"]) }
    /// The operation's metrics; non-string JSON values are given as their JSON text.
    public var operationMetrics: [String: String]? { Self.stringMap(fields["operationMetrics"]) }
    /// The writing engine, e.g. `"Floe/0.1.0"` or `"Apache-Spark/3.5.0 Delta-Lake/3.1.0"`.
    public var engineInfo: String? { fields["engineInfo"]?.stringValue }
    /// Whether the commit only appended data without reading the table.
    public var isBlindAppend: Bool? { fields["isBlindAppend"]?.boolValue }
    /// The table version the writer read before committing.
    public var readVersion: Int64? { fields["readVersion"]?.int64Value }
    /// The isolation level the writer used.
    public var isolationLevel: String? { fields["isolationLevel"]?.stringValue }
    /// Free-form user metadata.
    public var userMetadata: String? { fields["userMetadata"]?.stringValue }
    /// A unique identifier of the transaction.
    public var transactionID: String? { fields["txnId"]?.stringValue }

    static func stringMap(_ value: JSONValue?) -> [String: String]? {
        guard let object = value?.objectValue else { return nil }
        var map: [String: String] = [:]
        for member in object {
            switch member.value {
            case .string(let s): map[member.key] = s
            case .null: continue
            default: map[member.key] = member.value.jsonText
            }
        }
        return map
    }
}
