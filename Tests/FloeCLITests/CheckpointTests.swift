import Foundation
import Testing

@Suite("floe checkpoint")
struct CheckpointTests {
    @Test("checkpoint writes a Parquet checkpoint the other commands read from")
    func checkpoint() throws {
        let table = CLI.scratch("checkpoint")
        defer { CLI.cleanup(table) }
        expectError(try CLI.run(["checkpoint", table]), "no Delta table at \(table)")
        expectUsageError(try CLI.run(["checkpoint"]))
        expectSuccess(try CLI.run(["create", table, "--schema", "id long, kind string"]))
        expectSuccess(try CLI.run(["append", table], stdin: "{\"id\":1,\"kind\":\"a\"}\n{\"id\":2,\"kind\":\"b\"}\n"))
        let r = try CLI.run(["checkpoint", table])
        expectSuccess(r)
        #expect(r.stdout == "{\"version\":1}\n")
        #expect(FileManager.default.fileExists(atPath: table + "/_delta_log/00000000000000000001.checkpoint.parquet"))
        #expect(FileManager.default.fileExists(atPath: table + "/_delta_log/_last_checkpoint"))
        // Reads start from the checkpoint even without the commits before it.
        try FileManager.default.removeItem(atPath: table + "/_delta_log/00000000000000000000.json")
        expectSuccess(try CLI.run(["append", table], stdin: "{\"id\":3,\"kind\":\"c\"}\n"))
        #expect(try CLI.run(["scan", table, "--columns", "id", "--format", "csv"]).stdoutLines == ["id", "1", "2", "3"])
        #expect(try CLI.version(of: table) == 2)
    }
}
