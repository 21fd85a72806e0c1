import Foundation
import Testing
@testable import Floe

/// Checks Floe's checkpoints with delta-rs: a table written by delta-rs, checkpointed by Floe, its
/// earlier commits deleted, must read identically in delta-rs.
@Suite("Checkpoint interoperability with delta-rs")
struct CheckpointInteropTests {
    /// Writes a partitioned table with delta-rs: three appends and a delete (so there are
    /// tombstones), with `configuration`. Prints nothing.
    static let makeTable = #"""
    import sys, json, datetime
    import pyarrow as pa
    from deltalake import DeltaTable, write_deltalake
    root, config = sys.argv[1], json.loads(sys.argv[2])
    def batch(start):
        ids = list(range(start, start + 5))
        return pa.table({"id": pa.array(ids, pa.int64()),
                         "p": pa.array(["a" if i % 2 else "b c" for i in ids]),
                         "v": pa.array([i * 1.5 for i in ids]),
                         "ts": pa.array([datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(seconds=i) for i in ids],
                                        pa.timestamp("us", tz="UTC")),
                         "name": pa.array([f"n{i}" for i in ids])})
    write_deltalake(root, batch(0), partition_by=["p"], configuration=config)
    write_deltalake(root, batch(5), mode="append")
    write_deltalake(root, batch(10), mode="append")
    DeltaTable(root).delete("id = 2")
    """#

    /// Prints what delta-rs reads: version, sorted rows, and the add actions.
    static let readTable = #"""
    import sys, json
    import pyarrow as pa
    from deltalake import DeltaTable
    dt = DeltaTable(sys.argv[1])
    t = dt.to_pyarrow_table()
    rows = sorted(json.dumps(r, sort_keys=True, default=str) for r in t.to_pylist())
    adds = pa.table(dt.get_add_actions(flatten=True))
    files = sorted(json.dumps({k: adds.column(k)[i].as_py() for k in adds.column_names if k not in ("modification_time",)},
                              sort_keys=True, default=str) for i in range(adds.num_rows))
    print(json.dumps({"version": dt.version(), "rows": rows, "files": files,
                      "protocol": [dt.protocol().min_reader_version, dt.protocol().min_writer_version]}))
    """#

    /// Prints facts of a checkpoint file read with pyarrow: rows, add rows, column names, size.
    static let inspectCheckpoint = #"""
    import sys, os, json
    import pyarrow.parquet as pq
    t = pq.read_table(sys.argv[1])
    adds = [a for a in t.column("add").to_pylist() if a is not None]
    print(json.dumps({"rows": t.num_rows, "adds": len(adds), "bytes": os.path.getsize(sys.argv[1]),
                      "columns": t.column_names, "addFields": [f.name for f in t.schema.field("add").type]}))
    """#

    @Test("delta-rs reads a Floe-checkpointed table identically after the earlier commits are deleted",
          .enabled(if: TestPython.hasDeltalake), arguments: [false, true])
    func deltaRSReadsFloeCheckpoint(statsAsStruct: Bool) throws {
        let root = try Fixtures.scratchDirectory("ckpt-interop")
        defer { Fixtures.remove(root) }
        let config = statsAsStruct ? #"{"delta.checkpoint.writeStatsAsStruct": "true"}"# : "{}"
        let (made, makeError) = TestPython.run(Self.makeTable, [root, config])
        try #require(made != nil, "delta-rs could not write the table: \(makeError)")
        let before = try #require(try TestPython.json(Self.readTable, [root]).objectValue)

        let table = Table(path: root)
        let snapshot = try table.snapshot()
        #expect(Int64(before["version"]?.int64Value ?? -1) == snapshot.version)
        let hint = try table.checkpoint()
        #expect(hint.version == snapshot.version)

        // `_last_checkpoint` describes the file as Delta defines it.
        let checkpointPath = root + "/_delta_log/" + LogFile.versionPrefix(snapshot.version) + ".checkpoint.parquet"
        let facts = try #require(try TestPython.json(Self.inspectCheckpoint, [checkpointPath]).objectValue)
        let stored = try #require(LastCheckpoint(json: try table.storage.read(LastCheckpoint.path)))
        #expect(stored.version == snapshot.version)
        #expect(stored.size == facts["rows"]?.int64Value)
        #expect(stored.sizeInBytes == facts["bytes"]?.int64Value)
        #expect(stored.numOfAddFiles == facts["adds"]?.int64Value)
        #expect(stored.numOfAddFiles == Int64(snapshot.activeFiles.count))
        #expect(facts["columns"] == .array(["txn", "add", "remove", "metaData", "protocol", "domainMetadata"].map(JSONValue.string)))
        let addFields = facts["addFields"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(addFields.contains("stats_parsed") == statsAsStruct)
        #expect(addFields.contains("partitionValues_parsed") == statsAsStruct)

        // Delete every commit before the checkpoint: delta-rs must now start from it.
        for v in 0..<snapshot.version {
            try? FileManager.default.removeItem(atPath: root + "/_delta_log/" + LogFile.commitName(v))
            try? FileManager.default.removeItem(atPath: root + "/_delta_log/" + LogFile.versionPrefix(v) + ".crc")
        }
        let (output, readError) = TestPython.run(Self.readTable, [root])
        let afterText = try #require(output, "delta-rs could not read the checkpointed table: \(readError)")
        let after = try #require(try JSONValue.parse(Array(afterText.utf8)).objectValue)
        #expect(after["version"] == before["version"])
        #expect(after["rows"] == before["rows"])
        #expect(after["files"] == before["files"])
        #expect(after["protocol"] == before["protocol"])
        #expect((after["rows"]?.arrayValue?.count ?? 0) == 14)

        // Floe reads it from the checkpoint too, and delta-rs can keep appending on top.
        let reread = try table.snapshot()
        #expect(reread.logSegment.checkpoint?.version == snapshot.version)
        #expect(reread.activeFiles.map(\.path).sorted() == snapshot.activeFiles.map(\.path).sorted())
        let append = """
        import sys, pyarrow as pa
        from deltalake import write_deltalake
        write_deltalake(sys.argv[1], pa.table({"id": pa.array([100], pa.int64()), "p": ["a"], "v": [1.0],
                        "ts": pa.array([0], pa.timestamp("us", tz="UTC")), "name": ["x"]}), mode="append")
        """
        #expect(TestPython.run(append, [root]).output != nil)
        #expect(try table.snapshot().activeFiles.count == snapshot.activeFiles.count + 1)
    }
}
