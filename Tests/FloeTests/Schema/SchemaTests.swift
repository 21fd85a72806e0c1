import Testing
@testable import Floe

@Suite("Schema")
struct SchemaTests {
    static let protocolExample = #"{"type":"struct","fields":[{"name":"a","type":"integer","nullable":false,"metadata":{}},{"name":"b","type":{"type":"struct","fields":[{"name":"d","type":"integer","nullable":false,"metadata":{}}]},"nullable":true,"metadata":{}},{"name":"c","type":{"type":"array","elementType":"integer","containsNull":false},"nullable":true,"metadata":{}},{"name":"e","type":{"type":"array","elementType":{"type":"struct","fields":[{"name":"d","type":"integer","nullable":false,"metadata":{"delta.columnMapping.id":5,"delta.columnMapping.physicalName":"col-a7f4159c"}}]},"containsNull":true},"nullable":true,"metadata":{"delta.columnMapping.id":4,"delta.columnMapping.physicalName":"col-5f422f40","comment":"x","delta.invariants":"{\"expression\": { \"expression\": \"x > 3\"} }"}},{"name":"f","type":{"type":"map","keyType":"string","valueType":"string","valueContainsNull":true},"nullable":true,"metadata":{}},{"name":"g","type":"decimal(10,2)","nullable":true,"metadata":{}},{"name":"h","type":"timestamp_ntz","nullable":true,"metadata":{}},{"name":"v","type":"variant","nullable":true,"metadata":{}}]}"#

    @Test("parses and serializes the protocol's example exactly")
    func roundTrip() throws {
        let schema = try StructType(json: Self.protocolExample)
        #expect(schema.fields.count == 8)
        #expect(schema.fields[0].type == .integer && !schema.fields[0].nullable)
        guard case .array(let e) = schema.fields[3].type, case .struct(let inner) = e.elementType else {
            Issue.record("e is not array<struct>"); return
        }
        #expect(inner.fields[0].columnMappingID == 5)
        #expect(inner.fields[0].physicalName == "col-a7f4159c")
        #expect(schema.fields[3].physicalName(for: .name) == "col-5f422f40")
        #expect(schema.fields[3].physicalName(for: .none) == "e")
        #expect(schema.fields[5].type == .decimal(precision: 10, scale: 2))
        #expect(schema.fields[6].type == .timestampNtz)
        #expect(schema.fields[7].type == .variant)
        #expect(schema.jsonString == Self.protocolExample)
    }

    @Test("golden schemas round-trip", .enabled(if: Fixtures.goldenAvailable))
    func golden() throws {
        for table in ["delta-1.2.1-only-struct-stats", "table_with_column_mapping", "delta-2.2.0-partitioned-types", "checkpoint-v2-table"] {
            let snapshot = try Table(path: Fixtures.golden(table)).snapshot()
            #expect(snapshot.schema.jsonString == snapshot.metadata.schemaString, "\(table)")
        }
    }

    @Test("type names")
    func typeNames() throws {
        #expect(DeltaType(primitiveName: "decimal(38, 18)") == .decimal(precision: 38, scale: 18))
        #expect(DeltaType(primitiveName: "decimal") == .decimal(precision: 10, scale: 0))
        #expect(DeltaType(primitiveName: "decimal(39,1)") == nil)
        #expect(DeltaType(primitiveName: "interval") == nil)
        let error = try #require(throws: DeltaError.self) {
            try StructType(json: #"{"type":"struct","fields":[{"name":"x","type":"interval","nullable":true,"metadata":{}}]}"#)
        }
        #expect(error.code == .unsupportedFeature && error.message.contains("'x'"))
        #expect(throws: DeltaError.self) { try StructType(json: #"{"type":"struct","fields":[{"name":"x"}]}"#) }
        #expect(throws: DeltaError.self) { try StructType(json: "{") }
    }

    @Test("duplicate names are rejected ignoring case")
    func duplicates() {
        let schema = StructType([StructField(name: "a", type: .long), StructField(name: "A", type: .string)])
        #expect(throws: DeltaError.self) { try schema.validate() }
    }

    @Test("merge adds fields, relaxes nullability and widens types")
    func merge() throws {
        let existing = StructType([
            StructField(name: "id", type: .integer, nullable: false),
            StructField(name: "s", type: .struct(StructType([StructField(name: "x", type: .byte)]))),
            StructField(name: "f", type: .float),
            StructField(name: "d", type: .decimal(precision: 10, scale: 2)),
            StructField(name: "m", type: .map(MapType(keyType: .string, valueType: .short, valueContainsNull: false))),
        ])
        let incoming = StructType([
            StructField(name: "ID", type: .long, nullable: true),
            StructField(name: "s", type: .struct(StructType([StructField(name: "x", type: .short), StructField(name: "y", type: .string)]))),
            StructField(name: "f", type: .double),
            StructField(name: "d", type: .decimal(precision: 12, scale: 4)),
            StructField(name: "m", type: .map(MapType(keyType: .string, valueType: .integer, valueContainsNull: true))),
            StructField(name: "new", type: .string),
        ])
        let merged = try existing.merged(with: incoming)
        #expect(merged.fieldNames == ["id", "s", "f", "d", "m", "new"])
        #expect(merged.fields[0].type == .long && merged.fields[0].nullable)
        #expect(merged.fields[1].type == .struct(StructType([StructField(name: "x", type: .short, metadata: [:]), StructField(name: "y", type: .string)])) || {
            guard case .struct(let s) = merged.fields[1].type else { return false }
            return s.fieldNames == ["x", "y"] && s.fields[0].type == .short
        }())
        #expect(merged.fields[2].type == .double)
        #expect(merged.fields[3].type == .decimal(precision: 12, scale: 4))
        #expect(merged.fields[4].type == .map(MapType(keyType: .string, valueType: .integer, valueContainsNull: true)))
        let changes = merged.fields[0].metadata["delta.typeChanges"]?.arrayValue
        #expect(changes?.first?.objectValue?["fromType"] == .string("integer"))
        #expect(changes?.first?.objectValue?["toType"] == .string("long"))
        #expect(merged.fields[4].metadata["delta.typeChanges"]?.arrayValue?.first?.objectValue?["fieldPath"] == .string("value"))

        // Narrower incoming types keep the wider table type without recording a change.
        let narrower = try merged.merged(with: StructType([StructField(name: "id", type: .integer)]))
        #expect(narrower.fields[0].type == .long)
        #expect(narrower.fields[0].metadata["delta.typeChanges"]?.arrayValue?.count == 1)
    }

    @Test("merge rejects incompatible changes naming the column")
    func mergeRejects() throws {
        let existing = StructType([StructField(name: "s", type: .struct(StructType([StructField(name: "x", type: .long)])))])
        let bad = StructType([StructField(name: "s", type: .struct(StructType([StructField(name: "x", type: .string)])))])
        let error = try #require(throws: DeltaError.self) { try existing.merged(with: bad) }
        #expect(error.code == .schemaMismatch && error.message.contains("'s.x'"))
        #expect(throws: DeltaError.self) {
            try existing.merged(with: StructType([StructField(name: "n", type: .long, nullable: false)]))
        }
        #expect(throws: DeltaError.self) {
            try StructType([StructField(name: "i", type: .integer)]).merged(with: StructType([StructField(name: "i", type: .long)]),
                                                                             options: SchemaMergeOptions(allowTypeWidening: false))
        }
        #expect(throws: DeltaError.self) {
            try StructType([StructField(name: "d", type: .double)]).merged(with: StructType([StructField(name: "d", type: .float)]).merged(with: StructType([StructField(name: "d", type: .long)])))
        }
    }
}
