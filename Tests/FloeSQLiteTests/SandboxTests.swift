import Foundation
import Testing
import FloeSQLite

/// A sandboxed connection cannot create, read or configure files: ATTACH, VACUUM (INTO),
/// setting pragmas and extension loading are refused, and temporary storage stays in memory.
@Suite("SQLite sandbox")
struct SandboxTests {
    static func scratch() throws -> String {
        let dir = NSTemporaryDirectory() + "floe-sandbox-" + UUID().uuidString.lowercased()
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    static func expectRefused(_ db: Database, _ sql: String, _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            try db.execute(sql)
            Issue.record("\(sql) was not refused", sourceLocation: sourceLocation)
        } catch let error as SQLiteError {
            #expect(error.message.contains(fragment), "\(sql): \(error.message)", sourceLocation: sourceLocation)
            #expect(error.message.contains("sandbox"), "\(sql): \(error.message)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("\(sql): unexpected \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test("ATTACH, VACUUM INTO and VACUUM create no file")
    func noAttach() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = try Database(sandboxed: true)
        #expect(db.isSandboxed)
        Self.expectRefused(db, "ATTACH '\(dir)/a.db' AS a", "ATTACH")
        Self.expectRefused(db, "ATTACH 'file:\(dir)/u.db?mode=rwc' AS u", "ATTACH")
        Self.expectRefused(db, "VACUUM INTO '\(dir)/v.db'", "VACUUM")
        Self.expectRefused(db, "VACUUM", "VACUUM")
        Self.expectRefused(db, "DETACH temp", "DETACH")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
        // The same statements work on an ordinary connection (the refusal is the sandbox's).
        let open = try Database()
        try open.execute("ATTACH '\(dir)/a.db' AS a; CREATE TABLE a.t(x)")
        #expect(FileManager.default.fileExists(atPath: dir + "/a.db"))
    }

    @Test("pragmas that change settings are refused; read-only schema pragmas work; temp storage is memory")
    func pragmas() throws {
        let db = try Database(sandboxed: true)
        try db.execute("CREATE TEMP TABLE z(a); INSERT INTO z VALUES (1)")
        #expect(try db.rows("PRAGMA table_info(z)").count == 1)
        #expect(try db.rows("SELECT name FROM pragma_table_info('z')") == [[.text("a")]])
        #expect(try db.rows("SELECT count(*) FROM pragma_function_list").first?.first != nil)
        for sql in ["PRAGMA temp_store = FILE", "PRAGMA temp_store_directory = '/tmp'", "PRAGMA journal_mode = WAL",
                    "PRAGMA writable_schema = ON", "PRAGMA trusted_schema = ON", "PRAGMA encoding = 'UTF-16'",
                    "PRAGMA temp_store", "PRAGMA journal_mode"] {
            Self.expectRefused(db, sql, "PRAGMA")
        }
    }

    @Test("extension loading and fts3_tokenizer are refused")
    func noExtensions() throws {
        let db = try Database(sandboxed: true)
        Self.expectRefused(db, "SELECT load_extension('/tmp/floe-no-such-extension.so')", "load_extension")
        Self.expectRefused(db, "SELECT fts3_tokenizer('simple')", "fts3_tokenizer")
        #expect(try db.rows("SELECT abs(-2)") == [[.integer(2)]])
    }
}
