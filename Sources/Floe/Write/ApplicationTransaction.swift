/// An idempotent write's identity: an application and its progress marker, recorded in the same
/// commit as a Delta `txn` action (``SetTransaction``).
///
/// Invariant: for one ``appID``, versions only grow; a write whose ``version`` is at or below the
/// version the table records for the application has been committed already and is skipped.
public struct ApplicationTransaction: Sendable, Hashable {
    /// The application's unique identifier.
    public var appID: String
    /// The application-defined progress marker of this write.
    public var version: Int64

    /// An application transaction for `appID` at `version`.
    public init(appID: String, version: Int64) {
        self.appID = appID
        self.version = version
    }
}
