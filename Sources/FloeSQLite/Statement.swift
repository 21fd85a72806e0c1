import CSQLite

/// A prepared SQL statement of a ``Database``.
///
/// `Statement` owns its `sqlite3_stmt*` and finalizes it in `deinit`; it keeps its database open.
/// Step it with ``step()`` and read the current row's values with ``value(at:)`` while `step`
/// returns `true`.
public final class Statement {
    /// The connection the statement belongs to.
    public let database: Database
    /// The SQL text of this one statement.
    public let sql: String
    let handle: OpaquePointer

    init(database: Database, handle: OpaquePointer, sql: String) {
        self.database = database
        self.handle = handle
        self.sql = sql
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// The number of result columns (0 for statements that return no rows).
    public var columnCount: Int { Int(sqlite3_column_count(handle)) }

    /// The name of result column `index` (its `AS` alias, or SQLite's default name).
    public func columnName(_ index: Int) -> String {
        sqlite3_column_name(handle, Int32(index)).map { String(cString: $0) } ?? "column\(index + 1)"
    }

    /// The names of all result columns.
    public var columnNames: [String] { (0..<columnCount).map(columnName) }

    /// The declared type of result column `index` when it is a table column (e.g. `INTEGER`),
    /// nil for expressions.
    public func declaredType(_ index: Int) -> String? {
        sqlite3_column_decltype(handle, Int32(index)).map { String(cString: $0) }
    }

    /// Whether the statement leaves the database unchanged.
    public var isReadOnly: Bool { sqlite3_stmt_readonly(handle) != 0 }

    /// Advances to the next result row.
    ///
    /// - Returns: `true` when a row is available, `false` when the statement is done.
    /// - Throws: ``SQLiteError`` with SQLite's message, including errors raised inside virtual
    ///   tables (e.g. an unreadable data file).
    public func step() throws -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let code:
            throw SQLiteError(SQLiteError.Code(code), database.lastErrorMessage, sql: sql)
        }
    }

    /// Rewinds the statement so it can be stepped again (bindings are kept).
    public func reset() throws {
        try database.check(sqlite3_reset(handle), sql: sql)
    }

    /// The value of column `index` of the current row.
    public func value(at index: Int) -> SQLiteValue {
        let i = Int32(index)
        switch sqlite3_column_type(handle, i) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(handle, i))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(handle, i))
        case SQLITE_TEXT:
            guard let text = sqlite3_column_text(handle, i) else { return .text("") }
            let count = Int(sqlite3_column_bytes(handle, i))
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(handle, i))
            guard count > 0, let bytes = sqlite3_column_blob(handle, i) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: bytes, count: count)))
        default:
            return .null
        }
    }

    /// Every column of the current row.
    public var row: [SQLiteValue] { (0..<columnCount).map(value(at:)) }

    /// Binds `values` to the statement's parameters `?1`, `?2`, ….
    ///
    /// - Throws: ``SQLiteError`` (`range` when there are more values than parameters).
    public func bind(_ values: [SQLiteValue]) throws {
        for (k, value) in values.enumerated() {
            let i = Int32(k + 1)
            let code: Int32
            switch value {
            case .null: code = sqlite3_bind_null(handle, i)
            case .integer(let v): code = sqlite3_bind_int64(handle, i, v)
            case .real(let d): code = sqlite3_bind_double(handle, i, d)
            case .text(let s): code = sqlite3_bind_text(handle, i, s, -1, transientDestructor)
            case .blob(let b):
                code = b.withUnsafeBytes { raw in
                    raw.baseAddress.map { sqlite3_bind_blob64(handle, i, $0, sqlite3_uint64(raw.count), transientDestructor) }
                        ?? sqlite3_bind_zeroblob(handle, i, 0)
                }
            }
            try database.check(code, sql: sql)
        }
    }
}
