import Foundation
import Testing
import FloeColumnar
@testable import Floe

@Suite("Schema changes refuse columns that CHECK constraints use")
struct ConstraintSchemaChangeTests {
    static let schema = StructType([
        StructField(name: "id", type: .long, nullable: false),
        StructField(name: "kind", type: .string),
        StructField(name: "loc", type: .struct(StructType([StructField(name: "lat", type: .double),
                                                             StructField(name: "lon", type: .double)]))),
    ])

    @Test("rename and drop of a constrained column (or a struct holding one) are refused naming the constraint; others work")
    func refused() throws {
        let root = try Fixtures.scratchDirectory("constraint-alter")
        defer { Fixtures.remove(root) }
        let table = Table(path: root)
        try table.create(schema: Self.schema, configuration: [
            "delta.columnMapping.mode": "name",
            "delta.constraints.id_pos": "id > 0",
            "delta.constraints.north": "loc.lat > 0",
        ])
        for (body, fragment) in [({ _ = try table.renameColumn("id", to: "ident") }, "id_pos (id > 0)"),
                                 ({ _ = try table.dropColumn("ID") }, "id_pos"),
                                 ({ _ = try table.renameColumn("loc", to: "place") }, "north (loc.lat > 0)"),
                                 ({ _ = try table.dropColumn("loc") }, "north"),
                                 ({ _ = try table.dropColumn("loc.lat") }, "north")] as [(() throws -> Void, String)] {
            let error = try #require(ConstraintTests.error(body))
            #expect(error.code == .invalidArgument)
            #expect(error.message.contains("CHECK constraint " + fragment), "\(error.message)")
            #expect(error.message.contains("drop the constraint first"), "\(error.message)")
        }
        let version = try table.snapshot().version
        // Unconstrained columns change freely; after dropping the constraint, so does id.
        try table.renameColumn("kind", to: "category")
        try table.dropColumn("loc.lon")
        try table.dropConstraint(named: "id_pos")
        try table.renameColumn("id", to: "ident")
        #expect(try table.snapshot().version == version + 4)
        #expect(try table.snapshot().schema.fieldNames == ["ident", "category", "loc"])
    }
}
