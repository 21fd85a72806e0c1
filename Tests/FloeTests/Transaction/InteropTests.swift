import Foundation
import Testing
@testable import Floe

/// Cross-checks Floe's log with delta-rs (the `deltalake` Python package), when it is installed.
@Suite("Interoperability with delta-rs")
struct InteropTests {
    /// Runs the test Python (``TestPython``) with `script` and `arguments`, returning stdout, or
    /// `nil` when it fails.
    static func python(_ script: String, _ arguments: [String] = []) -> String? {
        TestPython.run(script, arguments).output
    }

    static var deltalakeAvailable: Bool { TestPython.hasDeltalake }

    @Test("delta-rs reads a Floe table, appends to it, and Floe reads the result", .enabled(if: deltalakeAvailable))
    func roundTrip() throws {
        let root = try Fixtures.scratchDirectory("interop")
        defer { Fixtures.remove(root) }
        let table = Table(path: root)
        try table.create(schema: testSchema, partitionColumns: ["p"], options: TableCreationOptions(inCommitTimestamps: false, name: "interop"))
        var t = try table.transaction()
        for (i, value) in ["a", "b/c", "sp ace", "x:y%z"].enumerated() {
            let dir = PathCoding.partitionDirectory(columns: ["p"], values: ["p": value])
            t.add(AddFile(path: PathCoding.encodeURIPath(dir + "/part-\(i).parquet"), partitionValues: ["p": value],
                          size: 10, modificationTime: 1_700_000_000_000))
        }
        t.add(AddFile(path: "p=__HIVE_DEFAULT_PARTITION__/part-n.parquet", partitionValues: ["p": nil], size: 10, modificationTime: 1))
        t.setTransaction(appID: "app-1", version: 7)
        try t.commit()
        let s1 = try table.snapshot()
        var d = table.transaction(from: s1, operation: "DELETE")
        d.remove(s1.activeFiles[0])
        try d.commit()

        let script = """
        import sys, json, pyarrow as pa
        from deltalake import DeltaTable
        dt = DeltaTable(sys.argv[1])
        p = dt.protocol()
        paths = pa.table(dt.get_add_actions(flatten=True)).column("path").to_pylist()
        print(json.dumps({"version": dt.version(), "reader": p.min_reader_version, "writer": p.min_writer_version,
                          "paths": sorted(paths), "txn": dt.transaction_version("app-1"),
                          "ops": [h.get("operation") for h in dt.history()]}))
        """
        let output = try #require(Self.python(script, [root]))
        let result = try #require(try JSONValue.parse(output.trimmingCharacters(in: .whitespacesAndNewlines)).objectValue)
        #expect(result["version"]?.int64Value == 2)
        #expect(result["reader"]?.int64Value == 1 && result["writer"]?.int64Value == 2)
        #expect(result["txn"]?.int64Value == 7)
        #expect(result["ops"] == .array([.string("DELETE"), .string("WRITE"), .string("CREATE TABLE")]))
        let expectedPaths = try table.snapshot().activeFiles.map(\.path).sorted()
        #expect(result["paths"]?.arrayValue?.compactMap(\.stringValue).sorted() == expectedPaths)

        let append = """
        import sys, pyarrow as pa
        from deltalake import write_deltalake
        write_deltalake(sys.argv[1], pa.table({"id": pa.array([1, 2], pa.int64()), "p": pa.array(["a", "new"])}), mode="append")
        print("ok")
        """
        #expect(Self.python(append, [root]) != nil)
        let s3 = try table.snapshot()
        #expect(s3.version == 3)
        #expect(s3.activeFiles.count == 6)
        #expect(s3.commitInfo?.operation == "WRITE")
        #expect(s3.transactionVersion(for: "app-1") == 7)
        var after = table.transaction(from: s3)
        after.add(AddFile(path: "p=a/after.parquet", partitionValues: ["p": "a"], size: 1, modificationTime: 1))
        #expect(try after.commit().version == 4)
        #expect(Self.python("import sys\nfrom deltalake import DeltaTable\nprint(DeltaTable(sys.argv[1]).version())", [root])?
            .trimmingCharacters(in: .whitespacesAndNewlines) == "4")
    }
}
