import Foundation
import Testing
import FloeColumnar
@testable import Floe

/// The README's Swift example, kept compiling and true.
@Suite struct ReadmeExampleTests {
    struct Event: Codable { var id: Int64; var kind: String?; var ts: Date }

    @Test func tablesFromSwift() throws {
        let dir = try Fixtures.scratchDirectory("readme")
        defer { Fixtures.remove(dir) }
        let table = Table(path: dir + "/events")
        try table.create(schema: try StructType(ddl: "id long not null, kind string, ts timestamp"), partitionColumns: ["kind"])
        let batch = try RecordBatch(encoding: [Event(id: 1, kind: "click", ts: Date())], schema: try table.snapshot().arrowSchema())
        try table.append([batch])
        var options = WriteOptions()
        options.applicationTransaction = ApplicationTransaction(appID: "ingest-1", version: 7)
        try table.append([batch], options: options)
        #expect(try table.append([batch], options: options).isSkipped)
        let scan = try table.scan(columns: ["id", "ts"], where: try Condition(sql: "kind = 'click'"))
        var batches = try scan.batches()
        var rows = 0
        while let b = try batches.next() { rows += b.count }
        #expect(rows == 2)
        #expect(try table.snapshot(version: 1).version == 1)
        #expect(try table.history().map(\.version) == [2, 1, 0])
    }

    /// The README's tail example: a group reads the table as a stream and resumes after a restart.
    @Test func tailWithAConsumerGroup() async throws {
        let dir = try Fixtures.scratchDirectory("readme-tail")
        defer { Fixtures.remove(dir) }
        let table = Table(path: dir + "/events")
        try table.create(schema: try StructType(ddl: "id long not null, kind string, ts timestamp"), partitionColumns: ["kind"])
        let batch = try RecordBatch(encoding: [Event(id: 1, kind: "click", ts: Date())], schema: try table.snapshot().arrowSchema())
        try table.append([batch])
        let group = try ConsumerGroup(name: "billing", table: table)
        var rows = 0
        for round in 1...2 {
            let start: TailStart = try group.committedOffset().map { .offset($0) } ?? .beginning
            for try await change in table.tail(from: start, follow: true) {
                rows += change.records.count
                #expect(change.records.schema.fields.suffix(2).map(\.name) == ["_commit_version", "_commit_timestamp"])
                try group.commit(change.offset)
                if rows == round { break }
            }
            try table.append([batch])  // read by the next round only
        }
        #expect(rows == 2)
        #expect(try group.committedOffset()?.version == 3)
    }
}
