import CSQLite

/// The one error type thrown by the `FloeSQLite` module.
///
/// Every failure carries a ``Code`` — SQLite's (extended) result code, or one of the few codes
/// FloeSQLite adds — and SQLite's message (`sqlite3_errmsg`) or FloeSQLite's own.
///
/// Invariant: `message` is never empty.
public struct SQLiteError: Error, Sendable, CustomStringConvertible {
    /// The category of a ``SQLiteError``: an SQLite result code.
    ///
    /// `Code` is an open set: any SQLite result code (primary or extended) can be represented, and
    /// callers compare with `==` against the static members they know (use ``primary`` to fold
    /// extended codes, e.g. `SQLITE_CONSTRAINT_UNIQUE`, into their primary code).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The SQLite result code, e.g. `1` for `SQLITE_ERROR`.
        public let rawValue: Int32

        /// Wraps an SQLite result code.
        public init(_ rawValue: Int32) { self.rawValue = rawValue }

        /// The primary result code (the low 8 bits of an extended code).
        public var primary: Code { Code(rawValue & 0xff) }

        /// SQLite's English description of the code, e.g. `"SQL logic error"`.
        public var description: String { String(cString: sqlite3_errstr(rawValue)) }

        /// A generic error, including SQL syntax errors and unknown tables or columns.
        public static let error = Code(SQLITE_ERROR)
        /// An internal SQLite malfunction.
        public static let internalError = Code(SQLITE_INTERNAL)
        /// Access permission denied.
        public static let permission = Code(SQLITE_PERM)
        /// The operation was aborted (e.g. by a callback).
        public static let abort = Code(SQLITE_ABORT)
        /// The database file is locked.
        public static let busy = Code(SQLITE_BUSY)
        /// A table in the database is locked.
        public static let locked = Code(SQLITE_LOCKED)
        /// A memory allocation failed.
        public static let noMemory = Code(SQLITE_NOMEM)
        /// An attempt to write a read-only database or table.
        public static let readOnly = Code(SQLITE_READONLY)
        /// The operation was interrupted (`sqlite3_interrupt`).
        public static let interrupt = Code(SQLITE_INTERRUPT)
        /// A disk I/O error.
        public static let ioError = Code(SQLITE_IOERR)
        /// The database file is malformed.
        public static let corrupt = Code(SQLITE_CORRUPT)
        /// The database is full.
        public static let full = Code(SQLITE_FULL)
        /// The database file cannot be opened.
        public static let cannotOpen = Code(SQLITE_CANTOPEN)
        /// The database schema changed.
        public static let schema = Code(SQLITE_SCHEMA)
        /// A string or blob exceeds the size limit.
        public static let tooBig = Code(SQLITE_TOOBIG)
        /// A constraint was violated.
        public static let constraint = Code(SQLITE_CONSTRAINT)
        /// A data type mismatch.
        public static let mismatch = Code(SQLITE_MISMATCH)
        /// The SQLite API was used incorrectly.
        public static let misuse = Code(SQLITE_MISUSE)
        /// A bind parameter index is out of range.
        public static let range = Code(SQLITE_RANGE)
        /// The file is not a database.
        public static let notADatabase = Code(SQLITE_NOTADB)
    }

    /// The category of the failure.
    public var code: Code
    /// What went wrong: SQLite's message, e.g. `no such table: t`, or FloeSQLite's.
    public var message: String
    /// The SQL being prepared or run, when the failure concerns a statement.
    public var sql: String?
    /// The error that caused this one (e.g. a Floe `DeltaError` raised inside a virtual table).
    public var underlying: (any Error)?

    /// Creates an error.
    public init(_ code: Code, _ message: String, sql: String? = nil, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message.isEmpty ? code.description : message
        self.sql = sql
        self.underlying = underlying
    }

    /// The message alone: SQLite's wording, as a user of the `sqlite3` shell would see it.
    public var description: String { message }
}
