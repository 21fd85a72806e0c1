import Foundation
import Testing
@testable import FloeColumnar

@Suite struct CodableTests {
    struct Location: Codable, Equatable { var lat: Double; var lon: Double }
    struct Event: Codable, Equatable {
        var id: Int64
        var name: String?
        var tags: [String]
        var at: Date
        var location: Location?
        var payload: Data
    }

    @Test func roundTripThroughInferredSchema() throws {
        let events = [
            Event(id: 1, name: "a", tags: ["x", "y"], at: Date(timeIntervalSince1970: 1_700_000_000.25), location: Location(lat: 1, lon: 2), payload: Data([1, 2])),
            Event(id: 2, name: nil, tags: [], at: Date(timeIntervalSince1970: 0), location: nil, payload: Data()),
        ]
        let batch = try RecordBatch(encoding: events)
        #expect(batch.count == 2)
        #expect(batch.schema["id"]?.dataType == .int64)
        #expect(batch.schema["name"]?.isNullable == true)
        #expect(batch.schema["tags"]?.dataType == .list(Field("element", .string, isNullable: false)))
        #expect(batch.schema["at"]?.dataType == .timestamp(.microsecond, timezone: "UTC"))
        let decoded = try batch.decode(Event.self)
        #expect(decoded == events)
    }

    @Test func mismatchedTypesAreReported() throws {
        struct A: Codable { var v: Int }
        struct B: Codable { var w: String }
        let batch = try RecordBatch(encoding: [A(v: 1)])
        #expect(throws: (any Error).self) { try batch.decode(B.self) }
    }
}
