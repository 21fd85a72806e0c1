/// The one error type thrown by the `Floe` module.
///
/// Every failure carries a ``Code`` that callers can switch on, a human-readable ``message`` that
/// names the file, version or column involved, and optionally the ``underlying`` error that caused
/// it (for example a POSIX error from the storage layer).
///
/// Invariant: `message` is never empty.
public struct DeltaError: Error, Sendable, CustomStringConvertible {
    /// The category of a ``DeltaError``.
    ///
    /// `Code` is an open set: new codes can be added as static members without breaking callers
    /// that switch over the codes they know (compare with `==`, or `switch` with a `default`).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The stable identifier of this code, e.g. `"corruptLog"`.
        public let rawValue: String

        /// Creates a code with the given identifier.
        public init(_ rawValue: String) { self.rawValue = rawValue }

        /// The code's identifier.
        public var description: String { rawValue }

        /// There is no Delta table (no `_delta_log` with a commit or checkpoint) at the location.
        public static let tableNotFound = Code("tableNotFound")
        /// A table already exists where one was to be created.
        public static let tableAlreadyExists = Code("tableAlreadyExists")
        /// The transaction log is malformed: bad JSON, missing required fields or actions,
        /// non-contiguous versions, truncated files.
        public static let corruptLog = Code("corruptLog")
        /// The requested table version does not exist or can no longer be reconstructed.
        public static let versionNotFound = Code("versionNotFound")
        /// A timestamp for time travel is earlier than the table's first recoverable commit.
        public static let timestampBeforeFirstCommit = Code("timestampBeforeFirstCommit")
        /// The table needs a protocol version, table feature or file format Floe does not support.
        public static let unsupportedFeature = Code("unsupportedFeature")
        /// A transaction could not commit because a concurrent commit conflicts with it.
        public static let conflict = Code("conflict")
        /// Two schemas cannot be reconciled, or data does not match the table schema.
        public static let schemaMismatch = Code("schemaMismatch")
        /// A caller passed an argument that violates a documented precondition.
        public static let invalidArgument = Code("invalidArgument")
        /// A storage operation failed (see ``DeltaError/underlying``).
        public static let io = Code("io")
        /// A file that was expected to exist is missing.
        public static let fileNotFound = Code("fileNotFound")
        /// A path would resolve outside the table's root directory.
        public static let pathEscapesTable = Code("pathEscapesTable")
        /// A data file is unreadable or inconsistent with the log (corrupt Parquet, wrong row count).
        public static let corruptData = Code("corruptData")
        /// Rows violate the table's constraints (NOT NULL, CHECK, invariants).
        public static let constraintViolation = Code("constraintViolation")
        /// A commit was published (readers see its version) but making it durable failed (the
        /// log directory's `fsync`), so a crash may still lose it. Its outcome is unknown to the
        /// caller: check the table (its version, or the `txn` of an idempotent write) before
        /// repeating the write, which would otherwise be committed twice.
        public static let commitNotDurable = Code("commitNotDurable")
        /// A commit did not finish within its time budget.
        public static let timeout = Code("timeout")
        /// A tail (a table read as a stream) met a commit that removes data (`remove` with
        /// `dataChange=true`: an overwrite, DELETE, UPDATE or MERGE) while its policy is to stop
        /// there (``TailOptions/RemovalPolicy/fail``); the message names the version.
        public static let dataRemovedInStream = Code("dataRemovedInStream")
        /// A bug in Floe: an internal invariant did not hold.
        public static let internalError = Code("internalError")
    }

    /// The category of the failure.
    public var code: Code
    /// What went wrong, naming the file, version or column involved.
    public var message: String
    /// The error that caused this one, if any.
    public var underlying: (any Error)?

    /// Creates an error.
    public init(_ code: Code, _ message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message.isEmpty ? code.rawValue : message
        self.underlying = underlying
    }

    /// `code: message`, followed by the underlying error in parentheses when there is one.
    public var description: String {
        var text = "\(code): \(message)"
        if let underlying { text += " (\(underlying))" }
        return text
    }
}
