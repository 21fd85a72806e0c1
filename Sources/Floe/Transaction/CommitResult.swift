/// The outcome of a successful ``Transaction/commit(options:)``: the version the transaction
/// was published as, and how many races for a version it lost first.
///
/// Unlike delta-kernel-rs, whose commit returns committed or conflicted, a conflict is not a
/// result here: it is thrown as ``DeltaError`` with code ``DeltaError/Code/conflict`` (naming the
/// winning version), so that a caller cannot mistake it for success. Races without a conflict
/// (e.g. concurrent blind appends) are retried by `commit` itself and only counted here.
public struct CommitResult: Sendable, Hashable {
    /// The version the transaction was committed as.
    public var version: Int64
    /// How many times another writer took the version first and the transaction was rebased
    /// onto a later one (0 when it won the first race).
    public var retries: Int

    /// A result for `version`, after `retries` lost races.
    public init(version: Int64, retries: Int = 0) {
        self.version = version
        self.retries = retries
    }
}

/// Options controlling how ``Transaction/commit(options:)`` retries after losing a race for a
/// version.
public struct CommitOptions: Sendable, Hashable {
    /// The total time a commit may spend retrying before it gives up with
    /// ``DeltaError/Code/timeout``. The default, one hour, is effectively unlimited: a blind append
    /// keeps retrying (each lost race means another writer made progress) until it succeeds.
    public var timeout: Duration
    /// The first retry's maximum backoff; it doubles per retry up to ``maxBackoff``. The actual
    /// sleep is uniformly random in `0...backoff` (full jitter).
    public var initialBackoff: Duration
    /// The largest backoff between retries.
    public var maxBackoff: Duration

    /// Creates commit options.
    public init(timeout: Duration = .seconds(3600), initialBackoff: Duration = .milliseconds(1),
                maxBackoff: Duration = .milliseconds(200)) {
        self.timeout = timeout
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
    }
}

/// What a transaction read, for detecting conflicts with concurrent appends.
public enum ReadPredicate: Sendable {
    /// The transaction's result depends on the whole table.
    case wholeTable
    /// The transaction read the partitions whose partition values (column to serialized value)
    /// satisfy the closure.
    case partitions(@Sendable ([String: String?]) -> Bool)

    func matches(_ partitionValues: [String: String?]) -> Bool {
        switch self {
        case .wholeTable: true
        case .partitions(let predicate): predicate(partitionValues)
        }
    }
}
