import Foundation
import Testing

@Suite("floe demo")
struct DemoTests {
    @Test("the demo runs writer processes, verifies every row and leaves an explorable table")
    func demo() throws {
        let table = CLI.scratch("demo")
        defer { CLI.cleanup(table) }
        let started = Date()
        let r = try CLI.run(["demo", table, "--writers", "3", "--seconds", "1.5"], timeout: 90)
        expectSuccess(r)
        #expect(Date().timeIntervalSince(started) < 60)
        for fragment in ["each exactly once", "saw whole batches only", "History", "--version", "--timestamp",
                         "country", "floe sql", table] {
            #expect(r.stdout.contains(fragment), "demo output lacks \(fragment)")
        }
        #expect(!r.stdout.contains("INCONSISTENT"))
        // The table is there for the other commands.
        #expect(try CLI.version(of: table) > 1)
        let d = try #require(try CLI.json(try CLI.run(["describe", table, "--format", "json"]).stdout) as? [String: Any])
        let fields = (d["schema"] as? [String: Any])?["fields"] as? [[String: Any]] ?? []
        #expect(fields.map { $0["name"] as? String }.contains("country"))
        // A second demo into the same directory refuses to overwrite it.
        expectError(try CLI.run(["demo", table, "--seconds", "1"]), "already holds a table")
    }
}
