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
    /// - Parameters:
    ///   - readOnly: Open without write access (the file must exist).
    ///   - sandboxed: Keep SQL away from the file system; see ``isSandboxed``.
    /// - Throws: ``SQLiteError`` with SQLite's code and message, e.g. `cannotOpen`.
    public init(path: String = ":memory:", readOnly: Bool = false, sandboxed: Bool = false) throws {
        var db: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX
        let code = sqlite3_open_v2(path, &db, flags, nil)
        guard code == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open database \(path)"
            if let db { sqlite3_close_v2(db) }
            throw SQLiteError(SQLiteError.Code(code), message)
        }
        handle = db
        isSandboxed = sandboxed
        sqlite3_extended_result_codes(db, 1)
        if sandboxed {
            do {
                try enterSandbox()
            } catch {
                sqlite3_close_v2(db)
                throw error
            }
        }
    }

    /// Whether SQL run on this connection is kept from the file system (`sandboxed: true`):
    ///
    /// - no `ATTACH` or `DETACH` (denied by the authorizer, and `SQLITE_LIMIT_ATTACHED` is 0, which
    ///   also stops `VACUUM INTO` and `VACUUM`, as they attach their output);
    /// - temporary tables and indexes, sorts and materialisations stay in memory
    ///   (`temp_store = MEMORY`), so no temporary files are created;
    /// - no `PRAGMA` other than a few read-only queries without arguments (`table_info`,
    ///   `table_list`, `function_list`, …): pragmas that change settings, such as `temp_store`,
    ///   `journal_mode` or `temp_store_directory`, are denied;
    /// - defensive mode (`SQLITE_DBCONFIG_DEFENSIVE`: no writable schema, no direct changes to
    ///   shadow tables), untrusted schema, extension loading off and the `load_extension` and
    ///   `fts3_tokenizer` functions denied.
    ///
    /// SQLite's library has no functions reading or writing files (the `sqlite3` shell's
    /// `readfile`/`writefile` are not part of it). A denied statement fails to prepare with
    /// SQLite's `not authorized` error (``SQLiteError/Code/error`` or `auth`).
    public let isSandboxed: Bool

    /// The read-only pragmas a sandboxed connection allows (without an argument, or the
    /// table-name argument of the schema queries).
    static let sandboxPragmas: Set<String> = [
        "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo",
        "foreign_key_list", "function_list", "module_list", "pragma_list", "collation_list",
        "database_list", "compile_options", "encoding",
    ]

    /// What the sandbox's authorizer last refused (for the error message), cleared when read.
    var sandboxDenial: String?

    /// Records a refusal of the sandbox and returns `SQLITE_DENY`.
    fileprivate func deny(_ what: String) -> Int32 {
        sandboxDenial = "the SQL sandbox refuses \(what): queries must not reach the file system"
        return SQLITE_DENY
    }

    /// Applies the restrictions of ``isSandboxed``.
    private func enterSandbox() throws {
        sqlite3_limit(handle, SQLITE_LIMIT_ATTACHED, 0)
        for (option, value) in [(SQLITE_DBCONFIG_DEFENSIVE, 1), (SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0),
                                (SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0)] {
            try check(floe_sqlite3_db_config_flag(handle, option, Int32(value)))
        }
        try check(sqlite3_exec(handle, "PRAGMA temp_store = MEMORY", nil, nil, nil))
        // The connection outlives its authorizer (it is removed with the handle in deinit).
        let context = Unmanaged.passUnretained(self).toOpaque()
        try check(sqlite3_set_authorizer(handle, { context, action, first, second, _, _ in
            guard let context else { return SQLITE_DENY }
            let database = Unmanaged<Database>.fromOpaque(context).takeUnretainedValue()
            switch action {
            case SQLITE_ATTACH, SQLITE_DETACH:
                return database.deny("ATTACH, DETACH and VACUUM")
            case SQLITE_PRAGMA:
                guard let first else { return database.deny("PRAGMA") }
                let name = String(cString: first).lowercased()
                guard Database.sandboxPragmas.contains(name) else { return database.deny("PRAGMA \(name)") }
                // The schema queries take a table name; the others no argument at all.
                let takesName = name.hasPrefix("table_") || name.hasPrefix("index_") || name == "foreign_key_list"
                return second == nil || takesName ? SQLITE_OK : database.deny("setting PRAGMA \(name)")
            case SQLITE_FUNCTION:
                guard let second else { return SQLITE_OK }
                let name = String(cString: second).lowercased()
                switch name {
                case "load_extension", "fts3_tokenizer": return database.deny("the function \(name)")
                default: return SQLITE_OK
                }
            default:
                return SQLITE_OK
            }
        }, context))
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    /// The SQLite library version, e.g. `"3.40.1"`.
    public static var libraryVersion: String { String(cString: sqlite3_libversion()) }

    /// SQLite's message for the connection's most recent failure.
    /// On a sandboxed connection, an authorization failure says what the sandbox refused.
    var lastErrorMessage: String {
        let message = String(cString: sqlite3_errmsg(handle))
        guard let denial = sandboxDenial else { return message }
        sandboxDenial = nil
        return "\(message): \(denial)"
    }

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
        // SQLite stops reading SQL at a NUL: refuse it rather than drop what follows.
        if let nul = sql.utf8.firstIndex(of: 0) {
            let offset = sql.utf8.distance(from: sql.utf8.startIndex, to: nul)
            throw SQLiteError(.misuse, "the SQL text holds a NUL character at byte \(offset + 1)", sql: sql)
        }
        let utf8 = Array(sql.utf8) + [0]
        try utf8.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            let start = UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self)
            var offset = 0
            let end = utf8.count - 1
            while offset < end {
                var raw: OpaquePointer?
                var tail: UnsafePointer<CChar>?
                sandboxDenial = nil
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
