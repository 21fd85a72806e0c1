/// The error type of the FloeParquet module: every failure reading or writing Parquet is one of these.
///
/// Invariants: malformed input always surfaces as a `ParquetError` (never a crash); the code
/// ``Code-swift.struct/internalError`` is reserved for Floe bugs.
public struct ParquetError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is; extensible with new static members.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The bytes are not a valid Parquet file or structure (bad magic, truncated, lying lengths).
        public static let corrupt = Code("corrupt")
        /// Thrift metadata could not be decoded.
        public static let invalidMetadata = Code("invalidMetadata")
        /// A valid feature Floe does not implement (encryption, external column chunks, ...).
        public static let unsupported = Code("unsupported")
        /// A (de)compression library reported failure.
        public static let compression = Code("compression")
        /// A schema or batch does not fit what was asked (unknown column, type mismatch).
        public static let schemaMismatch = Code("schemaMismatch")
        /// An operating-system IO failure.
        public static let io = Code("io")
        /// A value exceeds a format limit.
        public static let overflow = Code("overflow")
        /// A Floe bug: an internal invariant did not hold.
        public static let internalError = Code("internalError")
    }

    /// The kind of failure.
    public let code: Code
    /// A human-readable description, naming the file, column or structure concerned where known.
    public let message: String
    /// The underlying error, if any.
    public let underlying: (any Error)?

    /// Creates an error.
    public init(_ code: Code, _ message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    public var description: String {
        if let underlying { return "\(message): \(underlying)" }
        return message
    }

    /// Shorthand for a ``Code-swift.struct/corrupt`` error.
    static func corrupt(_ message: String) -> ParquetError { ParquetError(.corrupt, message) }
}
