import Foundation
import Testing
import FloeColumnar
@testable import Floe

/// Tables whose log was damaged or written by a hostile party: every case gives a clear DeltaError
/// naming the file or path, and nothing outside the table is ever read. (Torn, empty and malformed
/// commits and broken checkpoint files are covered in SnapshotTests, ActionParsingTests,
/// GoldenNegativeTests and DamagedCheckpointTests; these fill the gaps.)
@Suite("Hostile and corrupted tables")
struct HostileTableTests {
    static let metadata = Fixtures.metadataLine()

    static func add(_ path: String, dv: String? = nil) -> String {
        let vector = dv.map { #","deletionVector":"# + $0 } ?? ""
        return #"{"add":{"path":""# + path + #"","partitionValues":{},"size":1,"modificationTime":1,"dataChange":true"# + vector + "}}"
    }

    /// The error of loading and scanning a table whose commit 0 is `lines`.
    static func scanError(_ lines: [String]) throws -> DeltaError {
        let root = try Fixtures.scratchDirectory("hostile")
        defer { Fixtures.remove(root) }
        try Fixtures.writeCommit(root, 0, lines)
        return try #require(throws: DeltaError.self) {
            let table = Table(path: root)
            _ = try table.scan(try table.snapshot()).readAll()
        }
    }

    @Test("add paths escaping the table, in every spelling, are refused naming the path",
          arguments: ["../x.parquet", "a/../../x.parquet", "..%2Fx.parquet", "%2E%2E/x.parquet", "a/..%2F..%2Fx.parquet",
                      "/etc/passwd", "file:///etc/passwd", "file:/etc/passwd", "file://host/share/x.parquet",
                      "s3://bucket/x.parquet", "%2Fetc%2Fpasswd"])
    func escapingAddPaths(_ path: String) throws {
        let error = try Self.scanError([Fixtures.protocolLine, Self.metadata, Self.add(path)])
        #expect(error.code == .pathEscapesTable, "\(path): \(error)")
        let decoded = PathCoding.decodeURIPath(path)
        #expect(error.message.contains(path) || error.message.contains(decoded), "\(path): \(error)")
    }

    @Test("absolute add paths inside the table are read; a file:// URI of the table itself too")
    func absoluteInside() throws {
        let root = try Fixtures.scratchDirectory("hostile")
        defer { Fixtures.remove(root) }
        let table = Table(path: root)
        try table.create(schema: StructType([StructField(name: "a", type: .long)]), options: TableCreationOptions(inCommitTimestamps: false))
        let arrow = try table.snapshot().arrowSchema()
        try table.append([try RecordBatch(schema: arrow, columns: [try Column([.int(7)], type: .int64)])])
        let file = try #require(table.snapshot().activeFiles.first)
        let resolved = (root as NSString).resolvingSymlinksInPath
        try Fixtures.writeCommit(root, 2, [Action.remove(RemoveFile(path: file.path, deletionTimestamp: 1)).jsonLine(),
                                           Self.add("file://" + resolved + "/" + file.path).replacingOccurrences(of: #""size":1"#, with: #""size":\#(file.size)"#)])
        let rows = try table.scan().readAll().reduce(0) { $0 + $1.count }
        #expect(rows == 1)
    }

    @Test("absolute paths into another directory are read only when LocalStorage.externalReadRoots allows it")
    func externalReadRoots() throws {
        let source = try Fixtures.scratchDirectory("hostile-source")
        let clone = try Fixtures.scratchDirectory("hostile-clone")
        defer { Fixtures.remove(source); Fixtures.remove(clone) }
        let table = Table(path: source)
        try table.create(schema: StructType([StructField(name: "a", type: .long)]), options: TableCreationOptions(inCommitTimestamps: false))
        let arrow = try table.snapshot().arrowSchema()
        try table.append([try RecordBatch(schema: arrow, columns: [try Column([.int(1), .int(2)], type: .int64)])])
        let file = try #require(table.snapshot().activeFiles.first)
        let absolute = LocalStorage(root: source).root + "/" + file.path
        // A shallow-clone-like table: its log names the source's file by absolute path (and /etc/passwd).
        try Fixtures.writeCommit(clone, 0, [Fixtures.protocolLine, Self.metadata.replacingOccurrences(of: #""name":"id""#, with: #""name":"a""#),
                                            Self.add("file://" + absolute).replacingOccurrences(of: #""size":1"#, with: #""size":\#(file.size)"#)])
        let refused = try #require(throws: DeltaError.self) { _ = try Table(path: clone).scan().readAll() }
        #expect(refused.code == .pathEscapesTable && refused.message.contains(absolute), "\(refused)")
        let allowed = Table(storage: LocalStorage(root: clone, externalReadRoots: [source]))
        #expect(try allowed.scan().readAll().reduce(0) { $0 + $1.count } == 2)
        // Other places stay out of reach, and writes never leave the table.
        let storage = LocalStorage(root: clone, externalReadRoots: [source])
        #expect(throws: DeltaError.self) { try storage.read("/etc/passwd") }
        #expect(throws: DeltaError.self) { try storage.read(source + "/../etc/passwd") }
        #expect(throws: DeltaError.self) { try storage.write(source + "/x.bin", contents: [1]) }
        #expect(throws: DeltaError.self) { try storage.delete(absolute) }
        #expect(FileManager.default.fileExists(atPath: absolute))
    }

    @Test("deletion vector paths escaping the table are refused naming the path")
    func escapingDeletionVectors() throws {
        // A `p` vector with an absolute path outside, and a `u` vector whose random prefix climbs out.
        let outside = #"{"storageType":"p","pathOrInlineDv":"file:///tmp/elsewhere/dv.bin","offset":1,"sizeInBytes":36,"cardinality":1}"#
        let e1 = try Self.scanError([Fixtures.protocolLine, Self.metadata, Self.add("a.parquet", dv: outside)])
        #expect(e1.code == .pathEscapesTable && e1.message.contains("/tmp/elsewhere/dv.bin"), "\(e1)")
        let root = try Fixtures.scratchDirectory("hostile")
        defer { Fixtures.remove(root) }
        let descriptor = DeletionVectorDescriptor(storageType: "u", pathOrInlineDv: "../../ab^-aqEH.-t@S}K{vb[*k^", offset: 1,
                                                  sizeInBytes: 36, cardinality: 1)
        let e2 = try #require(throws: DeltaError.self) {
            _ = try DeletionVector.load(descriptor, storage: LocalStorage(root: root), dataFile: "a.parquet")
        }
        #expect(e2.code == .pathEscapesTable && e2.message.contains("../../"), "\(e2)")
    }

    /// A table with 6 commits and a checkpoint at version 3, its commits 0-2 deleted (so the
    /// checkpoint is needed), and the files the snapshot must have.
    static func checkpointedTable() throws -> (Table, String, [AddFile]) {
        let (table, root) = try makeAppendedTable("hostile-cp", commits: 5)
        try table.writeCheckpoint(of: try table.snapshot(version: 3), using: ParquetCheckpointWriter(), now: 0)
        for v: Int64 in 0..<3 { try FileManager.default.removeItem(atPath: root + "/_delta_log/" + LogFile.commitName(v)) }
        return (table, root, try table.snapshot().activeFiles)
    }

    @Test("_last_checkpoint that does not match the checkpoints is not trusted",
          arguments: [#"{"version":4,"size":7}"#, #"{"version":99}"#, #"{"version":3,"size":1000,"parts":3}"#,
                      #"{"version":3,"size":1}"#, "garbage", #"{"version":-1}"#, ""])
    func mismatchedHint(_ hint: String) throws {
        let (table, root, expected) = try Self.checkpointedTable()
        defer { Fixtures.remove(root) }
        try Data(hint.utf8).write(to: URL(fileURLWithPath: root + "/" + LastCheckpoint.path))
        let snapshot = try table.snapshot()
        #expect(snapshot.version == 5)
        #expect(snapshot.activeFiles == expected, "hint \(hint)")
        #expect(snapshot.logSegment.checkpoint?.version == 3, "hint \(hint)")
    }

    @Test("a multi-part checkpoint missing a part, with no commits to fall back on, fails clearly")
    func missingParts() throws {
        let (table, root) = try makeAppendedTable("hostile-parts", commits: 4)
        defer { Fixtures.remove(root) }
        let snapshot = try table.snapshot()
        let actions = try snapshot.checkpointActions(now: Transaction.nowMillis())
        let writer = ParquetCheckpointWriter()
        let half = actions.count / 2
        // Part 1 of 2 only.
        let name = LogFile.versionPrefix(4) + ".checkpoint.0000000001.0000000002.parquet"
        try table.storage.write("_delta_log/" + name, contents: try writer.checkpointFile(for: Array(actions.prefix(half)), of: snapshot))
        try Data(#"{"version":4,"size":\#(actions.count),"parts":2}"#.utf8).write(to: URL(fileURLWithPath: root + "/" + LastCheckpoint.path))
        #expect(try table.snapshot().activeFiles == snapshot.activeFiles)
        #expect(try table.snapshot().logSegment.checkpoint == nil)
        for v: Int64 in 0...4 { try FileManager.default.removeItem(atPath: root + "/_delta_log/" + LogFile.commitName(v)) }
        let error = try #require(throws: DeltaError.self) { try table.snapshot() }
        #expect(error.code == .corruptLog || error.code == .versionNotFound || error.code == .tableNotFound, "\(error)")
        #expect(error.message.contains("_delta_log") || error.message.contains(root), "\(error)")
    }

    @Test("a checkpoint holding another version's state is replayed without crashing or reading elsewhere")
    func checkpointFromAnotherVersion() throws {
        let (table, root) = try makeAppendedTable("hostile-wrong", commits: 6)
        defer { Fixtures.remove(root) }
        let expected = try table.snapshot().activeFiles
        // Write version 2's state under version 4's name: the commits 5 and 6 still apply on top,
        // and the files added by commits 3 and 4 are lost — the replay must not crash; the loss is
        // what a wrong checkpoint means. Floe must at least read it without reading elsewhere.
        let old = try table.snapshot(version: 2)
        try table.storage.write("_delta_log/" + LogFile.versionPrefix(4) + ".checkpoint.parquet",
                                contents: try ParquetCheckpointWriter().checkpointFile(for: try old.checkpointActions(now: 0), of: old))
        let snapshot = try table.snapshot()
        #expect(snapshot.version == 6)
        #expect(Set(snapshot.activeFiles.map(\.path)).isSubset(of: Set(expected.map(\.path))))
    }
}
