import CSQLite

/// A connection to an SQLite database (by default a private in-memory one).
///
/// `Database` owns its `sqlite3*` handle and closes it in `deinit` (`sqlite3_close_v2`, so a
/// close is deferred until every ``Statement`` of the connection has been finalized; statements
/// also keep their database alive). Every failing SQLite call is reported as a ``SQLiteError``
/// carrying SQLite's result code and message.
///
/// Not `Sendable`: one connection is used by one thread at a time, like the `sqlite3*` it wraps.
public final class Database {
    /// The `sqlite3*` handle; valid for the object's whole life.
    let handle: OpaquePointer
    /// The Floe tables attached with ``attach(_:snapshot:as:)``, by virtual table name; created
    /// with the `floe` module on first use.
    var floeCatalog: FloeCatalog?

    /// Opens (or creates) the database at `path`; `":memory:"` (the default) is a private
    /// in-memory database.
    ///
    /// - Parameter readOnly: Open without write access (the file must exist).
    /// - Throws: ``SQLiteError`` with SQLite's code and message, e.g. `cannotOpen`.
    public init(path: String = ":memory:", readOnly: Bool = false) throws {
        var db: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX
        let code = sqlite3_open_v2(path, &db, flags, nil)
        guard code == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open database \(path)"
            if let db { sqlite3_close_v2(db) }
            throw SQLiteError(SQLiteError.Code(code), message)
        }
        handle = db
        sqlite3_extended_result_codes(db, 1)
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    /// The SQLite library version, e.g. `"3.40.1"`.
    public static var libraryVersion: String { String(cString: sqlite3_libversion()) }

    /// SQLite's message for the connection's most recent failure.
    var lastErrorMessage: String { String(cString: sqlite3_errmsg(handle)) }

    /// Throws a ``SQLiteError`` for a result code other than `SQLITE_OK`, with the connection's
    /// error message.
    func check(_ code: Int32, sql: String? = nil) throws {
        guard code == SQLITE_OK else { throw SQLiteError(SQLiteError.Code(code), lastErrorMessage, sql: sql) }
    }

    /// Prepares the first statement of `sql`.
    ///
    /// - Throws: ``SQLiteError`` with SQLite's message (e.g. `near "SELEC": syntax error`), or
    ///   ``SQLiteError/Code/misuse`` when `sql` holds no statement.
    public func prepare(_ sql: String) throws -> Statement {
        var statement: Statement?
        try forEachStatement(in: sql) { prepared in
            if statement == nil { statement = prepared }
            return false
        }
        guard let statement else { throw SQLiteError(.misuse, "the SQL text holds no statement", sql: sql) }
        return statement
    }

    /// Prepares the statements of `sql` one after another, each only once the previous one was
    /// handed to `body` (so a statement may use objects an earlier one created). `body` returns
    /// whether to continue.
    ///
    /// - Throws: ``SQLiteError`` for a statement that does not prepare; what `body` throws.
    public func forEachStatement(in sql: String, _ body: (Statement) throws -> Bool) throws {
        let utf8 = Array(sql.utf8) + [0]
        try utf8.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            let start = UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self)
            var offset = 0
            let end = utf8.count - 1
            while offset < end {
                var raw: OpaquePointer?
                var tail: UnsafePointer<CChar>?
                let code = sqlite3_prepare_v2(handle, start + offset, Int32(end - offset), &raw, &tail)
                let consumed = tail.map { $0 - start } ?? end
                let text = String(decoding: utf8[offset..<max(offset, min(consumed, end))], as: UTF8.self)
                if code != SQLITE_OK {
                    if let raw { sqlite3_finalize(raw) }
                    throw SQLiteError(SQLiteError.Code(code), lastErrorMessage, sql: text)
                }
                guard consumed > offset else { break }
                offset = consumed
                // Whitespace or a comment prepares to no statement.
                guard let raw else { continue }
                let statement = Statement(database: self, handle: raw, sql: text)
                if try !body(statement) { return }
            }
        }
    }

    /// Runs every statement of `sql`, discarding result rows.
    public func execute(_ sql: String) throws {
        try forEachStatement(in: sql) { statement in
            while try statement.step() {}
            return true
        }
    }

    /// Runs one statement with `arguments` bound to its parameters and returns all its rows.
    public func rows(_ sql: String, _ arguments: [SQLiteValue] = []) throws -> [[SQLiteValue]] {
        let statement = try prepare(sql)
        try statement.bind(arguments)
        var rows: [[SQLiteValue]] = []
        while try statement.step() { rows.append(statement.row) }
        return rows
    }
}
