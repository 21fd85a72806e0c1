/// The `txn` action: the latest version an external application recorded for itself, used to make
/// that application's writes idempotent.
///
/// Invariant: a snapshot holds at most one `SetTransaction` per ``appID`` (the latest wins).
public struct SetTransaction: Sendable, Hashable {
    /// The application's unique identifier.
    public var appID: String
    /// The application-defined progress marker.
    public var version: Int64
    /// When the action was created, in milliseconds since the Unix epoch.
    public var lastUpdated: Int64?

    /// Creates a txn action.
    public init(appID: String, version: Int64, lastUpdated: Int64? = nil) {
        self.appID = appID
        self.version = version
        self.lastUpdated = lastUpdated
    }
}
