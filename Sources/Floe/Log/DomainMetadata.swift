/// The `domainMetadata` action: a configuration string for a named metadata domain.
///
/// Domains whose names start with `delta.` are system-controlled. A snapshot holds the latest
/// action per domain and omits domains whose latest action has ``removed`` set.
public struct DomainMetadata: Sendable, Hashable {
    /// The domain's name.
    public var domain: String
    /// The domain's configuration (often JSON text).
    public var configuration: String
    /// `true` for a tombstone that deletes the domain.
    public var removed: Bool

    /// Creates a domain metadata action.
    public init(domain: String, configuration: String, removed: Bool = false) {
        self.domain = domain
        self.configuration = configuration
        self.removed = removed
    }
}
