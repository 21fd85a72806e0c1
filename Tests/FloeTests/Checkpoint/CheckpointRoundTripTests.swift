import Foundation
import Testing
import FloeColumnar
import FloeParquet
@testable import Floe

/// A partitioned table schema with several statistics types.
let checkpointTestSchema = StructType([
    StructField(name: "id", type: .long),
    StructField(name: "name", type: .string),
    StructField(name: "amount", type: .decimal(precision: 10, scale: 2)),
    StructField(name: "ts", type: .timestamp),
    StructField(name: "day", type: .date),
    StructField(name: "nested", type: .struct(StructType([StructField(name: "x", type: .double)]))),
    StructField(name: "p", type: .string),
])

/// Actions covering every field the checkpoint schema holds.
func richCheckpointActions() -> [Action] {
    let dv = DeletionVectorDescriptor(storageType: "u", pathOrInlineDv: "ab^-aqEH.-t@S}K{vb[*k^", offset: 4, sizeInBytes: 40, cardinality: 6)
    let stats = #"{"numRecords":3,"minValues":{"id":1,"name":"a\"b","amount":-12.5,"ts":"2024-01-02T03:04:05.678Z","day":"2024-01-02","nested":{"x":0.5}},"maxValues":{"id":9,"name":"zz","amount":100.25,"ts":"2024-02-02T03:04:05.000Z","day":"2024-02-03","nested":{"x":1.5}},"nullCount":{"id":0,"name":1,"amount":0,"ts":0,"day":0,"nested":{"x":2}},"tightBounds":true}"#
    return [
        .protocol(ProtocolAction(minReaderVersion: 3, minWriterVersion: 7, readerFeatures: [.deletionVectors],
                                 writerFeatures: [.deletionVectors, .domainMetadata, .appendOnly])),
        .metadata(Metadata(id: "0b4dc3e8-1d9c-4c8e-9d2b-3f1c2b9a7e10", name: "rich", description: "every field",
                           format: Metadata.Format(provider: "parquet", options: ["k": "v"]),
                           schemaString: checkpointTestSchema.jsonString, partitionColumns: ["p"],
                           configuration: ["delta.appendOnly": "false", "owner": "floe"], createdTime: 1_700_000_000_000)),
        .txn(SetTransaction(appID: "app-1", version: 42, lastUpdated: 1_700_000_000_123)),
        .txn(SetTransaction(appID: "app-2", version: 7)),
        .domainMetadata(DomainMetadata(domain: "user.domain", configuration: #"{"a":1}"#)),
        .add(AddFile(path: "p=a/part-0.parquet", partitionValues: ["p": "a"], size: 1234, modificationTime: 1_700_000_000_000,
                     dataChange: false, stats: stats, tags: ["INSERTION_TIME": "1700000000000000", "x": ""],
                     deletionVector: dv, baseRowID: 100, defaultRowCommitVersion: 3, clusteringProvider: "liquid")),
        .add(AddFile(path: "p=__HIVE_DEFAULT_PARTITION__/part-1%20x.parquet", partitionValues: ["p": nil], size: 1,
                     modificationTime: 0, dataChange: false)),
        .add(AddFile(path: "p=%C3%A9/part-2.parquet", partitionValues: ["p": "é"], size: 99, modificationTime: 5,
                     dataChange: false, stats: #"{"numRecords":0}"#, tags: [:])),
        .remove(RemoveFile(path: "p=a/old.parquet", deletionTimestamp: 1_700_000_001_000, dataChange: false,
                           extendedFileMetadata: true, partitionValues: ["p": "a"], size: 77,
                           deletionVector: DeletionVectorDescriptor(storageType: "i", pathOrInlineDv: "wi5b=000010000siXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L", sizeInBytes: 40, cardinality: 1),
                           baseRowID: 1, defaultRowCommitVersion: 1)),
        .remove(RemoveFile(path: "gone.parquet", deletionTimestamp: nil, dataChange: false)),
    ]
}

/// A snapshot of a fresh table with `configuration`, to describe checkpoints' table.
func checkpointTestSnapshot(configuration: [String: String] = [:], partitioned: Bool = true) throws -> (Table, Snapshot, String) {
    let root = try Fixtures.scratchDirectory("ckpt")
    let table = Table(path: root)
    let snapshot = try table.create(schema: checkpointTestSchema, partitionColumns: partitioned ? ["p"] : [],
                                    configuration: configuration, options: TableCreationOptions(inCommitTimestamps: false))
    return (table, snapshot, root)
}

@Suite("Checkpoint round trips")
struct CheckpointRoundTripTests {
    @Test("every action field survives Floe's Parquet checkpoint writer and reader")
    func everyField() throws {
        let (_, snapshot, root) = try checkpointTestSnapshot()
        defer { Fixtures.remove(root) }
        let actions = richCheckpointActions()
        let bytes = try ParquetCheckpointWriter().checkpointFile(for: actions, of: snapshot)
        let decoded = try ParquetCheckpointReader().actions(ofParquet: bytes, label: "rich.checkpoint.parquet")
        #expect(decoded.count == actions.count)
        for (a, b) in zip(actions, decoded) { #expect(a == b) }

        // The file has the protocol's checkpoint schema, one action per row.
        let reader = try ParquetFileReader(source: MemoryByteSource(bytes: bytes))
        #expect(reader.arrowSchema.fields.map(\.name) == ["txn", "add", "remove", "metaData", "protocol", "domainMetadata"])
        #expect(reader.metadata.numRows == Int64(actions.count))
        guard case .struct(let addFields)? = reader.arrowSchema["add"]?.dataType else {
            Issue.record("add is not a struct")
            return
        }
        #expect(addFields.map(\.name).contains("stats") && !addFields.map(\.name).contains("stats_parsed"))
        guard case .struct(let protocolFields)? = reader.arrowSchema["protocol"]?.dataType else { return }
        #expect(protocolFields.first?.dataType == .int32)
    }

    @Test("writeStatsAsStruct adds typed stats_parsed and partitionValues_parsed; stats-as-struct-only checkpoints read back")
    func parsedStats() throws {
        let (_, snapshot, root) = try checkpointTestSnapshot(configuration: ["delta.checkpoint.writeStatsAsStruct": "true"])
        defer { Fixtures.remove(root) }
        let actions = richCheckpointActions()
        let batch = try ParquetCheckpointWriter().checkpointBatch(for: actions, of: snapshot)
        let add = try #require(batch.column(named: "add"))
        guard case .struct(let fields) = add.dataType else { Issue.record("add"); return }
        let names = fields.map(\.name)
        #expect(names.contains("stats") && names.contains("stats_parsed") && names.contains("partitionValues_parsed"))
        let addRow = 5  // rows: protocol, metadata, txn, txn, domain, add…
        let parsed = add.children[try #require(names.firstIndex(of: "stats_parsed"))].scalar(at: addRow)
        // numRecords, minValues(id, name, amount, ts, day, nested), …
        guard case .structure(let parts) = parsed, case .structure(let minValues) = parts[1] else {
            Issue.record("stats_parsed is \(parsed)")
            return
        }
        #expect(parts[0] == .int(3))
        #expect(minValues[0] == .int(1))
        #expect(minValues[1] == .string("a\"b"))
        #expect(minValues[2] == .decimal(-1250))
        #expect(minValues[3] == .int(1_704_164_645_678_000))
        #expect(minValues[4] == .int(19724))
        #expect(minValues[5] == .structure([.float(0.5)]))
        let partitionValues = add.children[try #require(names.firstIndex(of: "partitionValues_parsed"))]
        #expect(partitionValues.scalar(at: addRow) == .structure([.string("a")]))
        #expect(partitionValues.scalar(at: addRow + 1) == .structure([.null]))

        // Without JSON stats, the reader synthesizes equivalent JSON from stats_parsed.
        let (_, structOnly, root2) = try checkpointTestSnapshot(configuration: ["delta.checkpoint.writeStatsAsStruct": "true",
                                                                                "delta.checkpoint.writeStatsAsJson": "false"])
        defer { Fixtures.remove(root2) }
        let bytes = try ParquetCheckpointWriter().checkpointFile(for: actions, of: structOnly)
        let decoded = try ParquetCheckpointReader().actions(ofParquet: bytes, label: "struct-only")
        var originals: [AddFile] = [], roundTripped: [AddFile] = []
        for case .add(let a) in actions { originals.append(a) }
        for case .add(let a) in decoded { roundTripped.append(a) }
        #expect(roundTripped.count == originals.count)
        for (original, read) in zip(originals, roundTripped) {
            guard let stats = original.stats else {
                #expect(read.stats == nil)
                continue
            }
            let expected = try JSONValue.parse(Array(stats.utf8))
            let actual = try JSONValue.parse(Array((read.stats ?? "").utf8))
            #expect(Self.numericallyEqual(expected, actual), "\(stats) vs \(read.stats ?? "nil")")
        }
    }

    @Test("statistics synthesized from stats_parsed write timestamp_ntz bounds without a zone")
    func timestampNTZStats() throws {
        let root = try Fixtures.scratchDirectory("ckpt-ntz")
        defer { Fixtures.remove(root) }
        let schema = StructType([StructField(name: "local", type: .timestampNtz), StructField(name: "utc", type: .timestamp)])
        let table = Table(path: root)
        let snapshot = try table.create(schema: schema, configuration: ["delta.checkpoint.writeStatsAsStruct": "true",
                                                                        "delta.checkpoint.writeStatsAsJson": "false"],
                                        options: TableCreationOptions(inCommitTimestamps: false))
        let stats = #"{"numRecords":2,"minValues":{"local":"2024-01-02T03:04:05.678","utc":"2024-01-02T03:04:05.678Z"},"maxValues":{"local":"2024-01-03T00:00:00.000","utc":"2024-01-03T00:00:00.000Z"},"nullCount":{"local":0,"utc":0}}"#
        let actions: [Action] = [.protocol(snapshot.protocol), .metadata(snapshot.metadata),
                                 .add(AddFile(path: "a.parquet", size: 1, modificationTime: 1, dataChange: false, stats: stats))]
        let bytes = try ParquetCheckpointWriter().checkpointFile(for: actions, of: snapshot)
        let decoded = try ParquetCheckpointReader().actions(ofParquet: bytes, label: "ntz")
        guard case .add(let add)? = decoded.last else { Issue.record("no add"); return }
        let expected = #"{"numRecords":2,"minValues":{"local":"2024-01-02T03:04:05.678","utc":"2024-01-02T03:04:05.678Z"},"maxValues":{"local":"2024-01-03T00:00:00.000","utc":"2024-01-03T00:00:00.000Z"},"nullCount":{"local":0,"utc":0}}"#
        #expect(add.stats == expected)
    }

    /// JSON equality treating numbers by value (`-12.5` and `-12.50` are equal).
    static func numericallyEqual(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.number(let x), .number(let y)): return x.doubleValue == y.doubleValue
        case (.object(let x), .object(let y)):
            return x.count == y.count && x.allSatisfy { m in y[m.key].map { numericallyEqual(m.value, $0) } ?? false }
        default: return a == b
        }
    }

    @Test("a Floe checkpoint rebuilds the same snapshot as the commits")
    func snapshotFromCheckpoint() throws {
        let root = try Fixtures.scratchDirectory("ckpt-snap")
        defer { Fixtures.remove(root) }
        var table = Table(path: root)
        table.logMaintenance = .disabled
        try table.create(schema: checkpointTestSchema, partitionColumns: ["p"], options: TableCreationOptions(inCommitTimestamps: false))
        for i in 0..<6 {
            var t = try table.transaction()
            t.add(AddFile(path: "p=\(i % 2)/f\(i).parquet", partitionValues: ["p": "\(i % 2)"], size: Int64(i + 1),
                          modificationTime: 1_700_000_000_000 + Int64(i), stats: #"{"numRecords":\#(i)}"#, tags: ["i": "\(i)"]))
            t.setTransaction(appID: "writer", version: Int64(i))
            try t.commit()
        }
        var d = try table.transaction(operation: "DELETE")
        d.remove(try table.snapshot().activeFiles[2])
        try d.setDomainMetadata("app.settings", configuration: "x")
        try d.commit()
        let fromCommits = try Table(path: root, checkpointReader: nil).snapshot()
        let hint = try table.checkpoint()
        #expect(hint.version == fromCommits.version)
        let fromCheckpoint = try table.snapshot()
        #expect(fromCheckpoint.logSegment.checkpoint?.version == fromCommits.version)
        #expect(fromCheckpoint.logSegment.commits.isEmpty)
        #expect(fromCheckpoint.activeFiles.map { var f = $0; f.dataChange = true; return f } == fromCommits.activeFiles)
        #expect(Set(fromCheckpoint.tombstones.map(\.path)) == Set(fromCommits.tombstones.map(\.path)))
        #expect(fromCheckpoint.setTransactions.mapValues(\.version) == fromCommits.setTransactions.mapValues(\.version))
        #expect(fromCheckpoint.domainMetadata == fromCommits.domainMetadata)
        #expect(fromCheckpoint.metadata == fromCommits.metadata)
        #expect(fromCheckpoint.protocol == fromCommits.protocol)
        // Every action of the checkpoint is what the snapshot says a checkpoint holds.
        let file = try #require(fromCheckpoint.logSegment.checkpoint?.files.first)
        let read = try ParquetCheckpointReader().actions(in: [file.entry], from: table.storage)
        let expected = try fromCommits.checkpointActions(now: Transaction.nowMillis())
        #expect(read == expected)

        // The hint describes the file as Delta defines it.
        #expect(hint.size == Int64(expected.count))
        #expect(hint.sizeInBytes == file.entry.size)
        #expect(hint.numOfAddFiles == Int64(fromCommits.activeFiles.count))
        let stored = try #require(LastCheckpoint(json: try table.storage.read(LastCheckpoint.path)))
        #expect(stored == hint)
    }

    @Test("a V2 Parquet checkpoint with Parquet sidecars is read with its sidecars")
    func parquetV2WithSidecars() throws {
        let (table, snapshot, root) = try checkpointTestSnapshot()
        defer { Fixtures.remove(root) }
        let actions = richCheckpointActions()
        let later = AddFile(path: "p=z/later.parquet", partitionValues: ["p": "z"], size: 1, modificationTime: 1)
        var fileActions = actions.filter { if case .add = $0 { true } else if case .remove = $0 { true } else { false } }
        fileActions.append(.add({ var f = later; f.dataChange = false; return f }()))
        let otherActions = actions.filter { if case .add = $0 { false } else if case .remove = $0 { false } else { true } }
        // Two sidecars, split arbitrarily.
        let writer = ParquetCheckpointWriter()
        let sidecarA = try writer.checkpointFile(for: Array(fileActions.prefix(2)), of: snapshot)
        let sidecarB = try writer.checkpointFile(for: Array(fileActions.dropFirst(2)), of: snapshot)
        try table.storage.write("_delta_log/_sidecars/a-1.parquet", contents: sidecarA)
        try table.storage.write("_delta_log/_sidecars/b%202.parquet", contents: sidecarB)
        let sidecars = [Sidecar(path: "a-1.parquet", sizeInBytes: Int64(sidecarA.count), modificationTime: 1),
                        Sidecar(path: "b%25202.parquet", sizeInBytes: Int64(sidecarB.count), modificationTime: 2, tags: ["t": "1"])]
        let main = try Self.v2CheckpointFile(nonFileActions: otherActions, checkpointVersion: 1, sidecars: sidecars,
                                             sidecarNumActions: fileActions.count, snapshot: snapshot)
        // Commit 1, then a V2 checkpoint at 1 (holding the state of the rich actions plus commit 1).
        var t = table.transaction(from: snapshot)
        t.add(later)
        try t.commit()
        let name = "_delta_log/" + LogFile.versionPrefix(1) + ".checkpoint.3a0d65cd-4056-49b8-937b-95f9e3ee90e5.parquet"
        try table.storage.write(name, contents: main)
        let decoded = try ParquetCheckpointReader().actions(ofParquet: main, label: name)
        #expect(decoded.contains(.checkpointMetadata(CheckpointMetadata(version: 1, tags: ["sidecarNumActions": "\(fileActions.count)"]))))
        #expect(decoded.filter { if case .sidecar = $0 { true } else { false } }.count == 2)

        try FileManager.default.removeItem(atPath: root + "/_delta_log/" + LogFile.commitName(0))
        let read = try table.snapshot()
        #expect(read.logSegment.checkpoint?.files.first?.entry.path == name)
        var expectedFiles: [AddFile] = []
        for case .add(let a) in fileActions { expectedFiles.append(a) }
        #expect(read.activeFiles == expectedFiles)
        #expect(read.tombstones.count == 2)
        #expect(read.setTransactions.count == 2)
        #expect(read.metadata.name == "rich")
    }

    /// A UUID-named V2 checkpoint in Parquet: the non-file actions, one `checkpointMetadata` and
    /// `sidecar` rows.
    static func v2CheckpointFile(nonFileActions: [Action], checkpointVersion: Int64, sidecars: [Sidecar],
                                 sidecarNumActions: Int, snapshot: Snapshot) throws -> [UInt8] {
        let base = try ParquetCheckpointWriter().checkpointBatch(for: nonFileActions, of: snapshot)
        let extra = 1 + sidecars.count
        // Extend the classic columns with null rows, then add checkpointMetadata and sidecar columns.
        var fields = base.schema.fields, columns: [Column] = []
        for (field, column) in zip(base.schema.fields, base.columns) {
            var values = (0..<column.count).map { column.scalar(at: $0) }
            values += Array(repeating: .null, count: extra)
            columns.append(try Column(values, type: field.dataType))
        }
        let mapType = StringMapColumnBuilder.dataType
        let cmType = DataType.struct([Field("version", .int64), Field("tags", mapType)])
        let scType = DataType.struct([Field("path", .string), Field("sizeInBytes", .int64), Field("modificationTime", .int64),
                                      Field("tags", mapType)])
        let leading = Array(repeating: Scalar.null, count: base.count)
        let cm: [Scalar] = leading + [.structure([.int(checkpointVersion), .map([Scalar.MapEntry(key: .string("sidecarNumActions"), value: .string("\(sidecarNumActions)"))])])]
            + Array(repeating: .null, count: sidecars.count)
        let sc: [Scalar] = leading + [.null] + sidecars.map { s in
            .structure([.string(s.path), .int(s.sizeInBytes), .int(s.modificationTime),
                        s.tags.map { tags in .map(tags.map { Scalar.MapEntry(key: .string($0.key), value: .string($0.value)) }) } ?? .null])
        }
        fields += [Field("checkpointMetadata", cmType), Field("sidecar", scType)]
        columns += [try Column(cm, type: cmType), try Column(sc, type: scType)]
        let batch = try RecordBatch(schema: Schema(fields), columns: columns)
        return try ParquetFileWriter.encode([batch]).bytes
    }
}
