import Foundation
import Synchronization
import Testing
import FloeColumnar
@testable import Floe

/// A table read as a stream: starts, order, removal policies, limits, offsets, cleanup.
@Suite struct TableTailTests {
    static let schema = StructType([
        StructField(name: "id", type: .long, nullable: false),
        StructField(name: "part", type: .string),
    ])

    static func batch(_ ids: [Int64], part: String = "a") throws -> RecordBatch {
        try RecordBatch(schema: try schema.arrowSchema(), columns: [
            try Column(ids.map { .int($0) }, type: .int64),
            try Column(ids.map { _ in .string(part) }, type: .string),
        ])
    }

    /// A new table (version 0) in a scratch directory.
    static func makeTable(_ label: String, partitioned: Bool = false, configuration: [String: String] = [:]) throws -> (Table, String) {
        let dir = try Fixtures.scratchDirectory(label)
        let table = Table(path: dir)
        try table.create(schema: schema, partitionColumns: partitioned ? ["part"] : [], configuration: configuration)
        return (table, dir)
    }

    /// (id, _commit_version, _change_type or "") of every row of `batches`.
    static func rows(_ batches: [TailBatch]) -> [(id: Int64, version: Int64, change: String)] {
        var out: [(Int64, Int64, String)] = []
        for b in batches {
            let r = b.records
            guard let ids = r.column(named: "id"), let versions = r.column(named: "_commit_version") else { continue }
            let changes = r.column(named: "_change_type")
            for i in 0..<r.count {
                guard case .int(let id) = ids.scalar(at: i), case .int(let v) = versions.scalar(at: i) else { continue }
                var change = ""
                if let changes, case .string(let s) = changes.scalar(at: i) { change = s }
                out.append((id, v, change))
            }
        }
        return out
    }

    /// Every batch a non-following tail delivers.
    static func drain(_ tail: inout TableTail) throws -> [TailBatch] {
        var out: [TailBatch] = []
        while let b = try tail.next() { out.append(b) }
        #expect(tail.isFinished)
        return out
    }

    @Test func beginningDeliversTheSnapshotThenTheCommitsAfterIt() throws {
        let (table, dir) = try Self.makeTable("tail-begin")
        defer { Fixtures.remove(dir) }
        try table.append([try Self.batch([1, 2])])  // v1
        try table.append([try Self.batch([3])])  // v2
        var tail = try TableTail(table: table, from: .beginning, follow: true)
        let first = try Self.drain(&tail, expectFinished: false)
        // The snapshot at version 2, its rows tagged with the snapshot's version.
        #expect(Self.rows(first).map(\.id).sorted() == [1, 2, 3])
        #expect(Self.rows(first).allSatisfy { $0.version == 2 })
        #expect(first.allSatisfy { $0.isInitialSnapshot })
        #expect(tail.offset == (try StreamOffset(tableID: tail.tableID, version: 3)))
        #expect(tail.schema.fields.map(\.name) == ["id", "part", "_commit_version", "_commit_timestamp"])

        try table.append([try Self.batch([4, 5])])  // v3
        let second = try Self.drain(&tail, expectFinished: false)
        #expect(Self.rows(second).map { "\($0.id)@\($0.version)" } == ["4@3", "5@3"])
        #expect(second.last?.offset == (try StreamOffset(tableID: tail.tableID, version: 4)))
        let stamp = try #require(second.first?.records.column(named: "_commit_timestamp")?.scalar(at: 0))
        #expect(stamp == .int(try table.snapshot(version: 3).timestamp * 1000))
    }

    @Test func versionStartsAreInclusiveAndNotFollowingStopsAtTheStartingLatest() throws {
        let (table, dir) = try Self.makeTable("tail-version")
        defer { Fixtures.remove(dir) }
        for id in 1...4 { try table.append([try Self.batch([Int64(id)])]) }  // v1...v4
        var tail = try TableTail(table: table, from: .version(2), follow: false)
        try table.append([try Self.batch([99])])  // v5: after the start, not delivered
        let batches = try Self.drain(&tail)
        #expect(Self.rows(batches).map { "\($0.id)@\($0.version)" } == ["2@2", "3@3", "4@4"])
        #expect(tail.offset.version == 5)

        var latest = try TableTail(table: table, from: .latest, follow: true)
        #expect(try latest.next() == nil)
        try table.append([try Self.batch([100])])  // v6
        #expect(Self.rows(try Self.drain(&latest, expectFinished: false)).map(\.id) == [100])
    }

    @Test func badStartsAreClearErrors() throws {
        let (table, dir) = try Self.makeTable("tail-bad")
        defer { Fixtures.remove(dir) }
        try table.append([try Self.batch([1])])  // v1
        #expect { try TableTail(table: table, from: .version(2), follow: false) } throws: { error in
            guard let e = error as? DeltaError else { return false }
            return e.code == .versionNotFound && e.message.contains("latest version is 1")
        }
        #expect { try TableTail(table: table, from: .version(-1), follow: false) } throws: { ($0 as? DeltaError)?.code == .invalidArgument }
        let other = try StreamOffset(tableID: "someone-else", version: 1)
        #expect { try TableTail(table: table, from: .offset(other), follow: false) } throws: { ($0 as? DeltaError)?.code == .invalidArgument }
        let tableID = try table.snapshot().metadata.id
        #expect { try TableTail(table: table, from: .offset(try StreamOffset(tableID: tableID, version: 5)), follow: false) } throws: {
            ($0 as? DeltaError)?.code == .versionNotFound
        }
        var options = TailOptions()
        options.maxFiles = 0
        #expect { try TableTail(table: table, from: .beginning, follow: false, options: options) } throws: { ($0 as? DeltaError)?.code == .invalidArgument }
        options = TailOptions()
        options.columns = ["nope"]
        #expect { try TableTail(table: table, from: .beginning, follow: false, options: options) } throws: { ($0 as? DeltaError)?.code == .schemaMismatch }
        let missing = try Fixtures.scratchDirectory("tail-none")
        defer { Fixtures.remove(missing) }
        #expect { try TableTail(table: Table(path: missing), from: .beginning, follow: false) } throws: { ($0 as? DeltaError)?.code == .tableNotFound }
    }

    @Test func timestampStartsAtTheFirstCommitAtOrAfterIt() throws {
        let (table, dir) = try Self.makeTable("tail-time")
        defer { Fixtures.remove(dir) }
        for id in 1...3 { try table.append([try Self.batch([Int64(id)])]) }  // v1...v3
        let times = try (0...3).map { try table.snapshot(version: Int64($0)).timestamp }  // strictly increasing
        func start(_ millis: Int64) throws -> [TailBatch] {
            var tail = try TableTail(table: table, from: .timestamp(Date(timeIntervalSince1970: Double(millis) / 1000)), follow: false)
            return try Self.drain(&tail)
        }
        #expect(Self.rows(try start(times[2])).map(\.version) == [2, 3])  // exactly version 2's time: inclusive
        #expect(Self.rows(try start(times[1] + 1)).map(\.version) == [2, 3])
        #expect(Self.rows(try start(times[0] - 99_000)).map(\.version) == [1, 2, 3])  // before the first commit
        #expect(Self.rows(try start(times[3] + 1)).isEmpty)  // after the latest: only new commits
        #expect(try start(times[3]).first?.timestamp == times[3])
    }

    static func collect(_ table: Table, from start: TailStart, options: TailOptions = TailOptions()) throws -> [TailBatch] {
        var tail = try TableTail(table: table, from: start, follow: false, options: options)
        return try drain(&tail)
    }

    static func drain(_ tail: inout TableTail, expectFinished: Bool) throws -> [TailBatch] {
        var out: [TailBatch] = []
        while let b = try tail.next() { out.append(b) }
        #expect(tail.isFinished == expectFinished)
        return out
    }

    @Test func removingCommitsFailSkipOrBecomeChangeRows() throws {
        let (table, dir) = try Self.makeTable("tail-remove", partitioned: true, configuration: ["delta.enableChangeDataFeed": "true"])
        defer { Fixtures.remove(dir) }
        try table.append([try Self.batch([1, 2], part: "a"), try Self.batch([3], part: "b")])  // v1
        try table.overwrite([try Self.batch([4], part: "b")],
                            replaceWhere: .comparison(column: "part", op: .equal, value: .string("b")))  // v2: removes b
        try table.append([try Self.batch([5], part: "a")])  // v3

        #expect { try Self.collect(table, from: .version(1)) } throws: { error in
            guard let e = error as? DeltaError else { return false }
            return e.code == .dataRemovedInStream && e.message.contains("version 2 ")
        }
        // The rows before the failing commit are delivered, and the offset stops at it.
        var failing = try TableTail(table: table, from: .version(1), follow: false)
        var delivered: [TailBatch] = []
        #expect(throws: DeltaError.self) { while let b = try failing.next() { delivered.append(b) } }
        #expect(Self.rows(delivered).map(\.id).sorted() == [1, 2, 3])
        #expect(failing.offset == (try StreamOffset(tableID: failing.tableID, version: 2)))

        var skip = TailOptions()
        skip.onRemoval = .skip
        #expect(Self.rows(try Self.collect(table, from: .version(1), options: skip)).map { "\($0.id)@\($0.version)" }.sorted() == ["1@1", "2@1", "3@1", "5@3"])

        var cdf = TailOptions()
        cdf.onRemoval = .changeDataFeed
        let changes = try Self.collect(table, from: .version(1), options: cdf)
        #expect(Self.rows(changes).map { "\($0.id)@\($0.version):\($0.change)" }.sorted()
                == ["1@1:insert", "2@1:insert", "3@1:insert", "3@2:delete", "4@2:insert", "5@3:insert"])
        #expect(changes.first?.records.schema.fields.map(\.name) == ["id", "part", "_change_type", "_commit_version", "_commit_timestamp"])
        // An offset taken in the middle of a commit in one mode cannot resume in the other.
        let mid = try StreamOffset(tableID: failing.tableID, version: 2, index: 1, countsChanges: true)
        #expect { try TableTail(table: table, from: .offset(mid), follow: false) } throws: { ($0 as? DeltaError)?.code == .invalidArgument }
    }

    @Test func changeRowsNeedTheChangeDataFeedForRemovingCommits() throws {
        let (table, dir) = try Self.makeTable("tail-nocdf")
        defer { Fixtures.remove(dir) }
        try table.append([try Self.batch([1])])  // v1
        try table.overwrite([try Self.batch([2])])  // v2
        var cdf = TailOptions()
        cdf.onRemoval = .changeDataFeed
        #expect { try Self.collect(table, from: .version(1), options: cdf) } throws: { error in
            guard let e = error as? DeltaError else { return false }
            return e.code == .unsupportedFeature && e.message.contains("version 2") && e.message.contains("delta.enableChangeDataFeed")
        }
    }

    @Test func rewritesWithoutDataChangeAreSkippedSilently() throws {
        let (table, dir) = try Self.makeTable("tail-optimize")
        defer { Fixtures.remove(dir) }
        for id in 1...3 { try table.append([try Self.batch([Int64(id)])]) }  // v1...v3
        let result = try table.optimize()  // v4: dataChange=false
        #expect(result.version == 4)
        try table.append([try Self.batch([9])])  // v5
        let batches = try Self.collect(table, from: .version(1))
        #expect(Self.rows(batches).map { "\($0.id)@\($0.version)" } == ["1@1", "2@2", "3@3", "9@5"])
        // Starting at the compaction itself delivers only what came after it.
        #expect(Self.rows(try Self.collect(table, from: .version(4))).map(\.id) == [9])
    }

    @Test func maxFilesSplitsACommitAndAnOffsetResumesInsideIt() throws {
        let (table, dir) = try Self.makeTable("tail-limit", partitioned: true)
        defer { Fixtures.remove(dir) }
        try table.append([try Self.batch([1], part: "a"), try Self.batch([2], part: "b"), try Self.batch([3], part: "c")])  // v1: 3 files
        try table.append([try Self.batch([4], part: "a")])  // v2
        var options = TailOptions()
        options.maxFiles = 1
        var tail = try TableTail(table: table, from: .version(1), follow: false, options: options)
        let first = try #require(try tail.next())
        #expect(first.offset == (try StreamOffset(tableID: tail.tableID, version: 1, index: 1)))
        #expect(tail.pending.count == 1)  // one file per trigger
        let firstID = Self.rows([first]).map(\.id)
        // A new tail (another process) resumes after the first file of version 1.
        var resumed = try TableTail(table: table, from: .offset(first.offset), follow: false)
        let rest = Self.rows(try Self.drain(&resumed)).map(\.id)
        #expect((firstID + rest).sorted() == [1, 2, 3, 4])
        #expect(rest.last == 4)

        var bytes = TailOptions()
        bytes.maxBytes = 1
        var byByte = try TableTail(table: table, from: .version(1), follow: false, options: bytes)
        _ = try byByte.next()
        #expect(byByte.pending.count == 1)  // a trigger admits at least one file
    }

    @Test func filterAndProjectionApplyAndFilteredCommitsStillAdvanceTheOffset() throws {
        let (table, dir) = try Self.makeTable("tail-filter")
        defer { Fixtures.remove(dir) }
        try table.append([try Self.batch([1, 2, 3])])  // v1
        try table.append([try Self.batch([10])])  // v2
        var options = TailOptions()
        options.columns = ["id"]
        options.condition = try Condition(sql: "id < 3", schema: try Self.schema.arrowSchema())
        let batches = try Self.collect(table, from: .version(1), options: options)
        #expect(Self.rows(batches).map(\.id) == [1, 2])
        #expect(batches.first?.records.schema.fields.map(\.name) == ["id", "_commit_version", "_commit_timestamp"])
        // Version 2 delivered no rows: a progress marker carries the offset past it.
        let marker = try #require(batches.last)
        #expect(marker.records.count == 0 && marker.offset.version == 3)
    }

    @Test func cleanedUpCommitsAreErrorsNotSkippedData() throws {
        let (table, dir) = try Self.makeTable("tail-cleanup")
        defer { Fixtures.remove(dir) }
        for id in 1...4 { try table.append([try Self.batch([Int64(id)])]) }  // v1...v4
        _ = try table.checkpoint()  // at v4
        for v in 0...2 { try FileManager.default.removeItem(atPath: dir + "/_delta_log/" + LogFile.commitName(Int64(v))) }
        #expect { try TableTail(table: table, from: .version(1), follow: false) } throws: { error in
            guard let e = error as? DeltaError else { return false }
            return e.code == .versionNotFound && e.message.contains("version 1") && e.message.contains("log cleanup")
        }
        let tableID = try table.snapshot().metadata.id
        #expect { try TableTail(table: table, from: .offset(try StreamOffset(tableID: tableID, version: 2)), follow: false) } throws: {
            ($0 as? DeltaError)?.code == .versionNotFound
        }
        // A timestamp before the oldest remaining commit could fall in the deleted ones.
        #expect { try TableTail(table: table, from: .timestamp(Date(timeIntervalSince1970: 0)), follow: false) } throws: {
            ($0 as? DeltaError)?.code == .versionNotFound
        }
        // What is still in the log works: the snapshot (from the checkpoint), or version 3 on.
        #expect(Self.rows(try Self.collect(table, from: .beginning)).map(\.id).sorted() == [1, 2, 3, 4])
        #expect(Self.rows(try Self.collect(table, from: .version(3))).map(\.id) == [3, 4])
    }

    @Test func aFollowingTailWhoseNextCommitsWereCleanedUpStopsWithAnError() throws {
        let (table, dir) = try Self.makeTable("tail-cleanup-follow")
        defer { Fixtures.remove(dir) }
        try table.append([try Self.batch([1])])  // v1
        var tail = try TableTail(table: table, from: .latest, follow: true)
        #expect(try tail.next() == nil)  // caught up at version 2
        for id in 2...4 { try table.append([try Self.batch([Int64(id)])]) }  // v2...v4
        _ = try table.checkpoint()  // at v4
        for v in 2...3 { try FileManager.default.removeItem(atPath: dir + "/_delta_log/" + LogFile.commitName(Int64(v))) }
        // `_last_checkpoint` is consulted at most once a second while the next commit is missing;
        // until then the tail waits at version 2 (it never skips ahead).
        _ = try? tail.next()
        #expect(tail.offset.version == 2)
        Thread.sleep(forTimeInterval: 1.1)
        #expect { try tail.next() } throws: { error in
            guard let e = error as? DeltaError else { return false }
            return e.code == .versionNotFound && e.message.contains("version 2")
        }
        #expect(tail.offset.version == 2)  // nothing was skipped
    }

    @Test func offsetsRoundTripThroughJSON() throws {
        let offset = try StreamOffset(tableID: "5fba94ed-9794-4965-ba6e-6ee3c0d22af9", version: 42, index: 7, isInitialSnapshot: true, countsChanges: true)
        let json = try offset.json()
        #expect(json == #"{"changes":true,"formatVersion":1,"index":7,"initialSnapshot":true,"tableId":"5fba94ed-9794-4965-ba6e-6ee3c0d22af9","version":42}"#)
        #expect(try StreamOffset(json: json) == offset)
        let decoded = try JSONDecoder().decode(StreamOffset.self, from: try JSONEncoder().encode(offset))
        #expect(decoded == offset)
        #expect(try StreamOffset(tableID: "t", version: 3, isInitialSnapshot: true) < (try StreamOffset(tableID: "t", version: 3)))
        #expect(try StreamOffset(tableID: "t", version: 3, index: 9) < (try StreamOffset(tableID: "t", version: 4)))
        for bad in ["", "{", #"{"formatVersion":1,"tableId":"t","version":1}"#, #"{"formatVersion":1,"tableId":"t","version":-1,"index":0}"#,
                    #"{"formatVersion":"1","tableId":"t","version":1,"index":0}"#] {
            #expect { try StreamOffset(json: bad) } throws: { ($0 as? DeltaError)?.code == .invalidArgument }
        }
        #expect { try StreamOffset(json: #"{"formatVersion":2,"tableId":"t","version":1,"index":0}"#) } throws: {
            ($0 as? DeltaError)?.code == .unsupportedFeature
        }
    }

    @Test func aFollowingTailSeesFourConcurrentWritersRowsExactlyOnceInVersionOrder() async throws {
        let (table, dir) = try Self.makeTable("tail-writers")
        defer { Fixtures.remove(dir) }
        let writers = 4, commitsPerWriter = 15, rowsPerCommit = 3
        let total = writers * commitsPerWriter * rowsPerCommit
        let failures = Mutex<[String]>([])
        let tableID = try table.snapshot().metadata.id
        var options = TailOptions()
        options.maxFiles = 5  // several triggers
        let tailTask = Task { () throws -> [TailBatch] in
            var out: [TailBatch] = []
            var rows = 0
            // An offset at version 1 is valid before version 1 exists (a group caught up at 0).
            let start = try StreamOffset(tableID: tableID, version: 1)
            for try await batch in table.tail(from: .offset(start), follow: true, options: options) {
                out.append(batch)
                rows += batch.records.count
                if rows >= total { break }
            }
            return out
        }
        let threads = (0..<writers).map { w in
            Thread {
                for c in 0..<commitsPerWriter {
                    let ids = (0..<rowsPerCommit).map { Int64(w * 1_000_000 + c * 1000 + $0) }
                    do { try table.append([try Self.batch(ids)]) } catch { failures.withLock { $0.append("\(error)") } }
                }
            }
        }
        for t in threads { t.start() }
        let timeout = Task { try await Task.sleep(for: .seconds(120)); tailTask.cancel() }
        let batches = try await tailTask.value
        timeout.cancel()
        #expect(failures.withLock { $0 }.isEmpty)
        let rows = Self.rows(batches)
        #expect(rows.count == total)
        #expect(Set(rows.map(\.id)).count == total)  // every row once
        #expect(rows.map(\.version) == rows.map(\.version).sorted())  // in version order
        // Each row carries the version that committed it.
        let latest = try table.snapshot()
        #expect(latest.version == Int64(writers * commitsPerWriter))
        var expected: [Int64: Int64] = [:]
        for v in 1...latest.version {
            var added = try table.rowsAdded(after: v - 1, through: v)
            for b in try added.readAllBatches() {
                guard let ids = b.column(named: "id") else { continue }
                for i in 0..<b.count { if case .int(let id) = ids.scalar(at: i) { expected[id] = v } }
            }
        }
        #expect(rows.allSatisfy { expected[$0.id] == $0.version })
    }
}

extension ScanBatches {
    mutating func readAllBatches() throws -> [RecordBatch] {
        var out: [RecordBatch] = []
        while let b = try next() { out.append(b) }
        return out
    }
}

