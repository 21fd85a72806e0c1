import Foundation
import Testing
@testable import Floe

let testSchema = StructType([StructField(name: "id", type: .long), StructField(name: "p", type: .string)])

func makeFile(_ name: String, partition: String? = nil) -> AddFile {
    AddFile(path: (partition.map { "p=\($0)/" } ?? "") + name, partitionValues: partition.map { ["p": $0] } ?? [:],
            size: 100, modificationTime: 1_700_000_000_000)
}

@Suite("Transactions")
struct TransactionTests {
    @Test("creating a table writes protocol and metadata at version 0")
    func create() throws {
        let root = try Fixtures.scratchDirectory("txn")
        defer { Fixtures.remove(root) }
        let table = Table(path: root)
        let snapshot = try table.create(schema: testSchema, partitionColumns: ["p"], options: TableCreationOptions(name: "t"))
        #expect(snapshot.version == 0)
        #expect(snapshot.protocol == ProtocolAction(minReaderVersion: 1, minWriterVersion: 7, writerFeatures: [.inCommitTimestamp]))
        #expect(snapshot.isInCommitTimestampEnabled)
        #expect(snapshot.schema == testSchema)
        #expect(snapshot.partitionColumns == ["p"])
        #expect(snapshot.metadata.name == "t")
        #expect(snapshot.timestamp == snapshot.commitInfo?.inCommitTimestamp)
        let text = try String(contentsOfFile: root + "/_delta_log/00000000000000000000.json", encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix(#"{"commitInfo":{"inCommitTimestamp":"#))
        #expect(lines[1] == #"{"protocol":{"minReaderVersion":1,"minWriterVersion":7,"writerFeatures":["inCommitTimestamp"]}}"#)
        #expect(lines[2].contains(#""format":{"provider":"parquet","options":{}},"schemaString":"{\"type\":\"struct\",\"fields\":[{\"name\":\"id\",\"type\":\"long\",\"nullable\":true,\"metadata\":{}}"#))
        #expect(lines[2].contains(#""partitionColumns":["p"],"configuration":{"delta.enableInCommitTimestamps":"true"}"#))

        let again = try #require(throws: DeltaError.self) { try table.create(schema: testSchema) }
        #expect(again.code == .tableAlreadyExists)
    }

    @Test("creation without in-commit timestamps uses protocol (1, 2)")
    func createCompatible() throws {
        let root = try Fixtures.scratchDirectory("txn")
        defer { Fixtures.remove(root) }
        let snapshot = try Table(path: root).create(schema: testSchema, options: TableCreationOptions(inCommitTimestamps: false))
        #expect(snapshot.protocol == ProtocolAction(minReaderVersion: 1, minWriterVersion: 2))
        #expect(!snapshot.isInCommitTimestampEnabled)
        #expect(snapshot.properties.isEmpty)
        let ntz = Transaction.defaultProtocol(schema: StructType([StructField(name: "t", type: .timestampNtz)]), configuration: ["delta.appendOnly": "true"])
        #expect(ntz == ProtocolAction(minReaderVersion: 3, minWriterVersion: 7, readerFeatures: [.timestampNtz], writerFeatures: [.appendOnly, .timestampNtz]))
        #expect(Transaction.defaultProtocol(schema: testSchema, configuration: ["delta.enableChangeDataFeed": "true"]) == ProtocolAction(minReaderVersion: 1, minWriterVersion: 4))
    }

    @Test("invalid creations are rejected")
    func invalidCreate() throws {
        let root = try Fixtures.scratchDirectory("txn")
        defer { Fixtures.remove(root) }
        let table = Table(path: root)
        #expect(throws: DeltaError.self) { try table.create(schema: StructType([])) }
        #expect(throws: DeltaError.self) { try table.create(schema: testSchema, partitionColumns: ["nope"]) }
        #expect(throws: DeltaError.self) { try table.create(schema: testSchema, partitionColumns: ["id", "p"]) }
        #expect(throws: DeltaError.self) { try table.create(schema: testSchema, configuration: ["delta.columnMapping.mode": "names"]) }
        #expect(!FileManager.default.fileExists(atPath: root + "/_delta_log"))
    }

    @Test("appends, removes and the resulting snapshots")
    func appendAndRemove() throws {
        let root = try Fixtures.scratchDirectory("txn")
        defer { Fixtures.remove(root) }
        let table = Table(path: root)
        try table.create(schema: testSchema, partitionColumns: ["p"])
        var t1 = try table.transaction()
        t1.add(makeFile("a.parquet", partition: "x"))
        t1.add(makeFile("b.parquet", partition: "y"))
        t1.operationMetrics = ["numFiles": "2"]
        #expect(t1.isBlindAppend)
        #expect(try t1.commit() == CommitResult(version: 1, retries: 0))
        let s1 = try table.snapshot()
        #expect(s1.activeFiles.map(\.path) == ["p=x/a.parquet", "p=y/b.parquet"])
        #expect(s1.commitInfo?.isBlindAppend == true)
        #expect(s1.commitInfo?.readVersion == 0)
        #expect(s1.commitInfo?.engineInfo == "Floe/\(FloeVersion.current)")
        #expect(s1.commitInfo?.operationMetrics == ["numFiles": "2"])

        var t2 = table.transaction(from: s1, operation: "DELETE")
        t2.remove(s1.activeFiles[0])
        #expect(!t2.isBlindAppend)
        #expect(try t2.commit().version == 2)
        let s2 = try table.snapshot()
        #expect(s2.activeFiles.map(\.path) == ["p=y/b.parquet"])
        #expect(s2.tombstones.map(\.path) == ["p=x/a.parquet"])
        #expect(s2.tombstones.first?.extendedFileMetadata == true)
        #expect(s2.timestamp > s1.timestamp)

        var bad = try table.transaction()
        bad.add(makeFile("c.parquet"))
        let error = try #require(throws: DeltaError.self) { try bad.commit() }
        #expect(error.code == .invalidArgument)
    }

    @Test("the async commit suspends between retries and reports the races it lost")
    func asyncCommitCountsRetries() async throws {
        let root = try Fixtures.scratchDirectory("txn-async")
        defer { Fixtures.remove(root) }
        let table = Table(path: root)
        try table.create(schema: testSchema, partitionColumns: ["p"])
        // Two transactions read version 0; the second loses the race for version 1 and, being a
        // blind append without a conflict, is rebased onto version 2.
        var first = try table.transaction(), second = try table.transaction()
        first.add(makeFile("a.parquet", partition: "x"))
        second.add(makeFile("b.parquet", partition: "y"))
        let won = try await first.commit()
        let rebased = try await second.commit()
        #expect(won == CommitResult(version: 1, retries: 0))
        #expect(rebased == CommitResult(version: 2, retries: 1))
        #expect(try table.snapshot().activeFiles.count == 2)
        // Time travel takes a Date; a millisecond timestamp that went through Double maps back exactly.
        let at = try table.snapshot(version: 1).timestamp
        #expect(try table.version(atOrBefore: Date(timeIntervalSince1970: Double(at) / 1000)) == 1)
        #expect(try table.version(atOrBefore: Date(timeIntervalSince1970: Double(at - 1) / 1000)) == 0)
    }

    @Test("concurrent blind appends all commit with contiguous versions")
    func concurrentBlindAppends() throws {
        let root = try Fixtures.scratchDirectory("txn")
        defer { Fixtures.remove(root) }
        let table = Table(path: root)
        try table.create(schema: testSchema)
        let threads = 8, perThread = 6
        let versions = Collector<Int64>()
        let failures = Collector<String>()
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            for i in 0..<perThread {
                do {
                    var txn = try table.transaction(operation: "WRITE")
                    txn.add(makeFile("t\(thread)-\(i).parquet"))
                    versions.append(try txn.commit().version)
                } catch {
                    failures.append("\(error)")
                }
            }
        }
        #expect(failures.values.isEmpty, "\(failures.values)")
        #expect(versions.values.sorted() == Array(1...Int64(threads * perThread)))
        let snapshot = try table.snapshot()
        #expect(snapshot.version == Int64(threads * perThread))
        #expect(snapshot.activeFiles.count == threads * perThread)
        // In-commit timestamps are strictly increasing across versions.
        let history = try table.history()
        #expect(history.map(\.version) == Array((0...Int64(threads * perThread)).reversed()))
        let icts = history.reversed().map(\.timestamp)
        #expect(zip(icts, icts.dropFirst()).allSatisfy { $0 < $1 })
    }

    @Test("stale blind appends rebase without conflict")
    func staleBlindAppend() throws {
        let root = try Fixtures.scratchDirectory("txn")
        defer { Fixtures.remove(root) }
        let table = Table(path: root)
        let s0 = try table.create(schema: testSchema)
        var a = table.transaction(from: s0)
        a.add(makeFile("a.parquet"))
        var b = table.transaction(from: s0)
        b.add(makeFile("b.parquet"))
        #expect(try a.commit().version == 1)
        #expect(try b.commit().version == 2)
        #expect(try table.snapshot().activeFiles.count == 2)
    }

    @Test("real conflicts are detected and named")
    func conflicts() throws {
        let root = try Fixtures.scratchDirectory("txn")
        defer { Fixtures.remove(root) }
        let table = Table(path: root)
        try table.create(schema: testSchema, partitionColumns: ["p"])
        var setup = try table.transaction()
        setup.add(makeFile("a.parquet", partition: "x"))
        setup.add(makeFile("b.parquet", partition: "y"))
        try setup.commit()
        let base = try table.snapshot()
        let a = base.activeFiles[0], b = base.activeFiles[1]

        // Delete-delete.
        var d1 = table.transaction(from: base, operation: "DELETE")
        d1.remove(a)
        var d2 = table.transaction(from: base, operation: "DELETE")
        d2.remove(a)
        try d1.commit()
        let e1 = try #require(throws: DeltaError.self) { try d2.commit() }
        #expect(e1.code == .conflict && e1.message.contains("a.parquet") && e1.message.contains("version 2"))

        // A file read by the transaction was removed.
        let s2 = try table.snapshot()
        var reader = table.transaction(from: s2, operation: "UPDATE")
        reader.recordRead(files: [b])
        reader.add(makeFile("b2.parquet", partition: "y"))
        var remover = table.transaction(from: s2, operation: "DELETE")
        remover.remove(b)
        try remover.commit()
        let e2 = try #require(throws: DeltaError.self) { try reader.commit() }
        #expect(e2.code == .conflict && e2.message.contains("read by this transaction"))

        // Appends into a read partition by a non-blind winner conflict; blind winners and other partitions do not.
        let s3 = try table.snapshot()
        var merge = table.transaction(from: s3, operation: "MERGE")
        merge.recordRead(.partitions { $0["p"] == .some("x") })
        merge.add(makeFile("m.parquet", partition: "x"))
        var blind = table.transaction(from: s3)
        blind.add(makeFile("blind.parquet", partition: "x"))
        try blind.commit()
        var otherPartition = table.transaction(from: s3, operation: "MERGE")
        otherPartition.recordRead(.wholeTable)
        otherPartition.add(makeFile("o.parquet", partition: "z"))
        #expect(try merge.commit().version == s3.version + 2)  // blind winner: no conflict
        let e3 = try #require(throws: DeltaError.self) { try otherPartition.commit() }  // whole table read, non-blind winner added
        #expect(e3.code == .conflict && e3.message.contains("partition this transaction read"))

        // A concurrent delete in a read partition conflicts.
        let sDel = try table.snapshot()
        var scan = table.transaction(from: sDel, operation: "UPDATE")
        scan.recordRead(.partitions { $0["p"] == .some("x") })
        scan.add(makeFile("u.parquet", partition: "x"))
        var deleter = table.transaction(from: sDel, operation: "DELETE")
        deleter.remove(try #require(sDel.activeFiles.first { $0.partitionValues["p"] == .some("x") }))
        try deleter.commit()
        let eDel = try #require(throws: DeltaError.self) { try scan.commit() }
        #expect(eDel.code == .conflict && eDel.message.contains("was removed"))

        // Metadata changes conflict with everything concurrent.
        let s4 = try table.snapshot()
        var schemaChange = table.transaction(from: s4, operation: "SET TBLPROPERTIES")
        var newMetadata = s4.metadata
        newMetadata.configuration["custom.key"] = "1"
        try schemaChange.updateMetadata(newMetadata)
        var writer = table.transaction(from: s4)
        writer.add(makeFile("w.parquet", partition: "x"))
        try schemaChange.commit()
        let e4 = try #require(throws: DeltaError.self) { try writer.commit() }
        #expect(e4.code == .conflict && e4.message.contains("metadata"))
        #expect(try table.snapshot().properties["custom.key"] == "1")
    }

    @Test("application transaction ids make writes idempotent and conflict when concurrent")
    func txnIdempotency() throws {
        let root = try Fixtures.scratchDirectory("txn")
        defer { Fixtures.remove(root) }
        let table = Table(path: root)
        try table.create(schema: testSchema)
        func write(batch: Int64) throws -> Bool {
            let snapshot = try table.snapshot()
            if let done = snapshot.transactionVersion(for: "stream-1"), done >= batch { return false }
            var txn = table.transaction(from: snapshot, operation: "STREAMING UPDATE")
            txn.add(makeFile("batch-\(batch).parquet"))
            txn.setTransaction(appID: "stream-1", version: batch)
            try txn.commit()
            return true
        }
        #expect(try write(batch: 0))
        #expect(try write(batch: 1))
        #expect(try !write(batch: 1))
        #expect(try table.snapshot().transactionVersion(for: "stream-1") == 1)
        #expect(try table.snapshot().activeFiles.count == 2)

        let s = try table.snapshot()
        var a = table.transaction(from: s)
        a.setTransaction(appID: "stream-1", version: 2)
        a.add(makeFile("x.parquet"))
        var b = table.transaction(from: s)
        b.setTransaction(appID: "stream-1", version: 2)
        b.add(makeFile("y.parquet"))
        try a.commit()
        let error = try #require(throws: DeltaError.self) { try b.commit() }
        #expect(error.code == .conflict && error.message.contains("stream-1"))
    }

    @Test("domain metadata is reconciled and user-only")
    func domains() throws {
        let root = try Fixtures.scratchDirectory("txn")
        defer { Fixtures.remove(root) }
        let table = Table(path: root)
        try table.create(schema: testSchema)
        var t = try table.transaction(operation: "SET DOMAIN")
        try t.setDomainMetadata("com.example", configuration: #"{"a":1}"#)
        #expect(throws: DeltaError.self) { try t.setDomainMetadata("delta.clustering", configuration: "{}") }
        try t.commit()
        #expect(try table.snapshot().domainMetadata["com.example"]?.configuration == #"{"a":1}"#)
        var r = try table.transaction(operation: "SET DOMAIN")
        try r.removeDomainMetadata("com.example")
        try r.commit()
        #expect(try table.snapshot().domainMetadata.isEmpty)
    }

    @Test("append-only tables refuse data removal")
    func appendOnly() throws {
        let root = try Fixtures.scratchDirectory("txn")
        defer { Fixtures.remove(root) }
        let table = Table(path: root)
        try table.create(schema: testSchema, configuration: ["delta.appendOnly": "true"])
        #expect(try table.snapshot().protocol.writerFeatures == [.inCommitTimestamp, .appendOnly])
        var add = try table.transaction()
        add.add(makeFile("a.parquet"))
        try add.commit()
        var delete = try table.transaction(operation: "DELETE")
        delete.remove(try table.snapshot().activeFiles[0])
        let error = try #require(throws: DeltaError.self) { try delete.commit() }
        #expect(error.code == .invalidArgument && error.message.contains("append-only"))
    }

    @Test("tables with writer features Floe cannot honour are not written", .enabled(if: Fixtures.goldenAvailable))
    func unsupportedWriterFeatures() throws {
        let root = try Fixtures.scratchDirectory("txn")
        defer { Fixtures.remove(root) }
        try Fixtures.writeCommit(root, 0, [#"{"protocol":{"minReaderVersion":1,"minWriterVersion":7,"writerFeatures":["rowTracking","domainMetadata"]}}"#, Fixtures.metadataLine()])
        var txn = try Table(path: root).transaction()
        txn.add(makeFile("a.parquet"))
        let error = try #require(throws: DeltaError.self) { try txn.commit() }
        #expect(error.code == .unsupportedFeature && error.message.contains("rowTracking"))

        // CHECK constraints (legacy writer version 3) block files added directly, whose rows were
        // not checked (Table.write checks them; see ConstraintTests).
        let root2 = try Fixtures.scratchDirectory("txn")
        defer { Fixtures.remove(root2) }
        try Table(path: root2).create(schema: testSchema, configuration: ["delta.constraints.positive": "id > 0"],
                                      options: TableCreationOptions(inCommitTimestamps: false))
        #expect(try Table(path: root2).snapshot().protocol.minWriterVersion == 3)
        var t2 = try Table(path: root2).transaction()
        t2.add(makeFile("a.parquet"))
        let e2 = try #require(throws: DeltaError.self) { try t2.commit() }
        #expect(e2.code == .unsupportedFeature && e2.message.contains("CHECK constraint positive (id > 0)"))
    }
}

@Suite("Protocol upgrades and schema evolution")
struct ProtocolUpgradeTests {
    @Test("protocol upgrades keep implied features")
    func supporting() {
        let legacy = ProtocolAction(minReaderVersion: 1, minWriterVersion: 2)
        #expect(legacy.supporting([.appendOnly]) == legacy)
        #expect(legacy.supporting([.inCommitTimestamp]) == ProtocolAction(minReaderVersion: 1, minWriterVersion: 7, writerFeatures: [.appendOnly, .invariants, .inCommitTimestamp]))
        #expect(ProtocolAction(minReaderVersion: 2, minWriterVersion: 5).supporting([.deletionVectors])
                == ProtocolAction(minReaderVersion: 3, minWriterVersion: 7, readerFeatures: [.columnMapping, .deletionVectors],
                                  writerFeatures: [.appendOnly, .invariants, .checkConstraints, .changeDataFeed, .generatedColumns, .columnMapping, .deletionVectors]))
    }

    @Test("enabling in-commit timestamps on an existing table records provenance")
    func enableICT() throws {
        let root = try Fixtures.scratchDirectory("upgrade")
        defer { Fixtures.remove(root) }
        let table = Table(path: root)
        try table.create(schema: testSchema, options: TableCreationOptions(inCommitTimestamps: false))
        var append = try table.transaction()
        append.add(makeFile("a.parquet"))
        try append.commit()
        try Fixtures.setModificationTime(root + "/_delta_log/" + LogFile.commitName(0), millis: 1_000_000)
        try Fixtures.setModificationTime(root + "/_delta_log/" + LogFile.commitName(1), millis: 2_000_000)

        let s1 = try table.snapshot()
        var enable = table.transaction(from: s1, operation: "SET TBLPROPERTIES")
        var metadata = s1.metadata
        metadata.configuration["delta.enableInCommitTimestamps"] = "true"
        try enable.updateMetadata(metadata)
        try enable.commit()
        let s2 = try table.snapshot()
        #expect(s2.protocol == ProtocolAction(minReaderVersion: 1, minWriterVersion: 7, writerFeatures: [.appendOnly, .invariants, .inCommitTimestamp]))
        #expect(s2.isInCommitTimestampEnabled)
        #expect(s2.properties["delta.inCommitTimestampEnablementVersion"] == "2")
        #expect(s2.properties["delta.inCommitTimestampEnablementTimestamp"] == String(s2.timestamp))
        #expect(s2.timestamp > 2_000_000)
        // Time travel uses file times before the enablement and in-commit timestamps after it.
        #expect(try table.version(atOrBeforeMillis: 1_500_000) == 0)
        #expect(try table.version(atOrBeforeMillis: 2_000_000) == 1)
        #expect(try table.version(atOrBeforeMillis: s2.timestamp) == 2)
        #expect(throws: DeltaError.self) { try table.version(atOrBeforeMillis: 999) }
    }

    @Test("domain metadata upgrades the protocol; schema merge evolves metadata")
    func domainAndSchema() throws {
        let root = try Fixtures.scratchDirectory("upgrade")
        defer { Fixtures.remove(root) }
        let table = Table(path: root)
        try table.create(schema: testSchema, options: TableCreationOptions(inCommitTimestamps: false))
        var t = try table.transaction(operation: "SET DOMAIN")
        try t.setDomainMetadata("com.example", configuration: "x")
        try t.commit()
        #expect(try table.snapshot().protocol.writerFeatures == [.appendOnly, .invariants, .domainMetadata])

        var evolve = try table.transaction(operation: "WRITE")
        try evolve.mergeSchema(StructType([StructField(name: "id", type: .long), StructField(name: "extra", type: .double)]))
        evolve.add(makeFile("e.parquet"))
        try evolve.commit()
        let snapshot = try table.snapshot()
        #expect(snapshot.schema.fieldNames == ["id", "p", "extra"])
        var narrowing = try table.transaction()
        let error = try #require(throws: DeltaError.self) {
            try narrowing.mergeSchema(StructType([StructField(name: "extra", type: .string)]))
        }
        #expect(error.code == .schemaMismatch && error.message.contains("extra"))
        var widening = try table.transaction()
        #expect(throws: DeltaError.self) {
            try widening.mergeSchema(StructType([StructField(name: "id", type: .decimal(precision: 30, scale: 0))]))
        }
    }
}
