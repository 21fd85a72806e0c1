import Foundation
import Testing
@testable import Floe

@Suite("Time travel")
struct TimeTravelTests {
    @Test("timestamps from file modification times, monotonized")
    func modificationTimes() throws {
        let root = try Fixtures.scratchDirectory("tt")
        defer { Fixtures.remove(root) }
        try Fixtures.writeCommit(root, 0, [Fixtures.protocolLine, Fixtures.metadataLine(), Fixtures.addLine("f0")])
        for v in Int64(1)...3 { try Fixtures.writeCommit(root, v, [Fixtures.addLine("f\(v)")]) }
        let times: [Int64] = [1_000_000, 2_000_000, 1_500_000, 3_000_000]  // v2's clock went backwards
        for (v, t) in times.enumerated() {
            try Fixtures.setModificationTime(root + "/_delta_log/" + LogFile.commitName(Int64(v)), millis: t)
        }
        let table = Table(path: root)
        func at(_ millis: Int64) throws -> Int64 { try table.version(atOrBeforeMillis: millis) }
        #expect(try at(1_000_000) == 0)
        #expect(try at(1_999_999) == 0)
        #expect(try at(2_000_000) == 1)
        #expect(try at(2_000_000) == 1)   // v2 is monotonized to 2_000_001
        #expect(try at(2_000_001) == 2)
        #expect(try at(2_999_999) == 2)
        #expect(try at(9_000_000) == 3)
        let error = try #require(throws: DeltaError.self) { try at(999_999) }
        #expect(error.code == .timestampBeforeFirstCommit)
        #expect(error.message.contains("version 0"))
        #expect(try table.snapshot(asOf: Date(timeIntervalSince1970: 2_500)).version == 2)
        #expect(try table.snapshot(version: 2).timestamp == 1_500_000)
    }

    @Test("timestamps from in-commit timestamps by binary search")
    func inCommitTimestamps() throws {
        let root = try Fixtures.scratchDirectory("tt")
        defer { Fixtures.remove(root) }
        let table = Table(path: root)
        try table.create(schema: testSchema)
        for i in 0..<20 {
            var txn = try table.transaction()
            txn.add(makeFile("f\(i).parquet"))
            try txn.commit()
        }
        // Scramble file modification times: they must not matter.
        for v in Int64(0)...20 {
            try Fixtures.setModificationTime(root + "/_delta_log/" + LogFile.commitName(v), millis: 5_000 - v)
        }
        let history = try table.history()
        #expect(history.count == 21)
        #expect(history.first?.version == 20)
        for entry in history {
            #expect(try table.version(atOrBeforeMillis: entry.timestamp) == entry.version)
            #expect(try table.snapshot(version: entry.version).timestamp == entry.timestamp)
        }
        let first = try #require(history.last)
        let error = try #require(throws: DeltaError.self) { try table.version(atOrBeforeMillis: first.timestamp - 1) }
        #expect(error.code == .timestampBeforeFirstCommit)
        #expect(try table.history(limit: 3).map(\.version) == [20, 19, 18])
    }

    @Test("golden ICT table", .enabled(if: Fixtures.goldenAvailable))
    func goldenICT() throws {
        let table = Table(path: Fixtures.golden("cdc_ict_table"))
        let history = try table.history()
        #expect(history.map(\.version) == [3, 2, 1, 0])
        for entry in history {
            #expect(entry.timestamp == entry.commitInfo?.inCommitTimestamp)
        }
        // This fixture's version 1 has an in-commit timestamp earlier than version 0's (not
        // monotonic), so only the later versions have well-defined answers.
        for entry in history.prefix(2) {
            #expect(try table.version(atOrBeforeMillis: entry.timestamp) == entry.version)
        }
    }
}
