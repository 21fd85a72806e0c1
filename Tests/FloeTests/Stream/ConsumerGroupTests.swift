import Foundation
import Testing
import FloeColumnar
@testable import Floe

/// Consumer groups: durable offsets under `_floe/groups/<name>/`.
@Suite struct ConsumerGroupTests {
    @Test func aGroupCommitsNumberedOffsetFilesAndAnotherProcessResumesFromTheNewest() throws {
        let (table, dir) = try TableTailTests.makeTable("group")
        defer { Fixtures.remove(dir) }
        try table.append([try TableTailTests.batch([1])])  // v1
        let group = try ConsumerGroup(name: "billing-1", table: table)
        #expect(try group.committedOffset() == nil)  // a new group

        var tail = try TableTail(table: table, from: .beginning, follow: false)
        while try tail.next() != nil {}
        try group.commit(tail.offset)
        #expect(FileManager.default.fileExists(atPath: dir + "/_floe/groups/billing-1/00000000000000000001.json"))
        try table.append([try TableTailTests.batch([2])])  // v2

        // Another value (another process) reads the committed offset and continues after it.
        let again = try ConsumerGroup(name: "billing-1", table: table)
        let committed = try #require(try again.committedOffset())
        #expect(committed == tail.offset)
        var resumed = try TableTail(table: table, from: .offset(committed), follow: false)
        var ids: [Int64] = []
        while let b = try resumed.next() { ids += TableTailTests.rows([b]).map(\.id) }
        #expect(ids == [2])
        try again.commit(resumed.offset)
        #expect(try ConsumerGroup(name: "billing-1", table: table).committedOffset() == resumed.offset)
        #expect(try ConsumerGroup.names(in: table) == ["billing-1"])

        // The first value has not seen the second's commit: its commit conflicts, never overwrites.
        #expect { try group.commit(tail.offset) } throws: { ($0 as? DeltaError)?.code == .conflict }
        #expect(try ConsumerGroup(name: "billing-1", table: table).committedOffset() == resumed.offset)
    }

    @Test func aStaleConsumerIsFencedEvenWhenItsNextNumberWasCleanedUp() throws {
        let (table, dir) = try TableTailTests.makeTable("group-fence")
        defer { Fixtures.remove(dir) }
        let id = try table.snapshot().metadata.id
        let stale = try ConsumerGroup(name: "g", table: table)
        try stale.commit(try StreamOffset(tableID: id, version: 1))  // file 1
        let current = try ConsumerGroup(name: "g", table: table)
        _ = try current.committedOffset()
        for v in 2...5 { try current.commit(try StreamOffset(tableID: id, version: Int64(v))) }  // files 2...5
        // Old files cleaned up: the stale consumer's next number (2) is free again.
        for n in 1...3 { try FileManager.default.removeItem(atPath: dir + "/_floe/groups/g/0000000000000000000\(n).json") }
        #expect { try stale.commit(try StreamOffset(tableID: id, version: 9)) } throws: { ($0 as? DeltaError)?.code == .conflict }
        #expect(try ConsumerGroup(name: "g", table: table).committedOffset()?.version == 5)
        #expect(!FileManager.default.fileExists(atPath: dir + "/_floe/groups/g/00000000000000000002.json"))
    }

    @Test func oldOffsetFilesArePrunedAndTheNewestIsKept() throws {
        let (table, dir) = try TableTailTests.makeTable("group-prune")
        defer { Fixtures.remove(dir) }
        let group = try ConsumerGroup(name: "g", table: table)
        let tableID = try table.snapshot().metadata.id
        for v in 1...25 { try group.commit(try StreamOffset(tableID: tableID, version: Int64(v))) }
        let files = try table.storage.list(directory: group.directory).map(\.name)
        #expect(files.count <= 15 && files.contains("00000000000000000025.json"))
        #expect(try ConsumerGroup(name: "g", table: table).committedOffset()?.version == 25)
    }

    @Test func badGroupNamesAndDamagedOffsetFilesAreClearErrors() throws {
        let (table, dir) = try TableTailTests.makeTable("group-bad")
        defer { Fixtures.remove(dir) }
        for name in ["", ".", "..", "../x", "a/b", "a\\b", ".hidden", "a\u{0}b", "tab\there", String(repeating: "x", count: 201)] {
            #expect(throws: DeltaError.self, "\(name.debugDescription)") { try ConsumerGroup(name: name, table: table) }
        }
        _ = try ConsumerGroup(name: "ok_name-1.v2", table: table)
        try Fixtures.write("{not json\n", to: dir + "/_floe/groups/broken/00000000000000000003.json")
        let broken = try ConsumerGroup(name: "broken", table: table)
        #expect { try broken.committedOffset() } throws: { error in
            guard let e = error as? DeltaError else { return false }
            return e.code == .corruptLog && e.message.contains("00000000000000000003.json")
        }
    }

    @Test func vacuumLeavesConsumerGroupOffsetsAlone() throws {
        let (table, dir) = try TableTailTests.makeTable("group-vacuum")
        defer { Fixtures.remove(dir) }
        try table.append([try TableTailTests.batch([1])])
        let group = try ConsumerGroup(name: "g", table: table)
        try group.commit(try StreamOffset(tableID: try table.snapshot().metadata.id, version: 2))
        try table.overwrite([try TableTailTests.batch([2])])  // the first data file becomes garbage
        // As of two minutes on: vacuum never deletes files of the last minute (commits in flight).
        let result = try table.vacuum(retentionHours: 0, dryRun: false, enforceRetentionDuration: false, recordsHistory: true,
                                      now: Transaction.nowMillis() + Table.inFlightSlackMillis + 1000, progress: nil)
        #expect(result.files.count == 1)  // the removed data file, nothing under _floe
        #expect(!result.files.contains { $0.path.hasPrefix("_floe") })
        #expect(try ConsumerGroup(name: "g", table: table).committedOffset()?.version == 2)
    }
}
