/// The error type of the FloeColumnar module.
public struct ColumnarError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is; extensible.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }
        /// Columns or values do not match a schema.
        public static let schemaMismatch = Code("schemaMismatch")
        /// A column's buffers do not satisfy its type's layout.
        public static let invalidLayout = Code("invalidLayout")
        /// A value could not be converted (e.g. Codable bridging).
        public static let conversion = Code("conversion")
        /// A size limit of the format was exceeded (e.g. more than 2 GiB of string data in one column).
        public static let overflow = Code("overflow")
        /// A Floe bug: an internal invariant did not hold.
        public static let internalError = Code("internalError")
    }
    /// The kind of failure.
    public let code: Code
    /// A human-readable description of what went wrong.
    public let message: String
    /// The underlying error, if any.
    public let underlying: (any Error)?

    /// Creates an error.
    public init(_ code: Code, _ message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    public var description: String { message }
}
