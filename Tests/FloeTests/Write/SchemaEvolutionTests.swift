import Foundation
import Testing
import FloeColumnar
import FloeParquet
@testable import Floe

/// Column mapping writes, rename and drop column, type widening, and time travel across them.
@Suite("Schema evolution")
struct SchemaEvolutionTests {
    static let nestedSchema = StructType([
        StructField(name: "id", type: .long, nullable: false),
        StructField(name: "info", type: .struct(StructType([StructField(name: "a", type: .integer), StructField(name: "b", type: .string)]))),
        StructField(name: "p", type: .string),
    ])

    static func infoType(_ names: [String] = ["a", "b"], _ types: [DataType] = [.int32, .string]) -> DataType {
        .struct(zip(names, types).map { Field($0, $1) })
    }

    /// A batch of `id`, `info{a, b}`, `p` rows (names as given).
    static func batch(_ ids: [Int64], p: String, names: [String] = ["id", "info", "p"], infoNames: [String] = ["a", "b"]) throws -> RecordBatch {
        let info = try Column(ids.map { .structure([.int($0 * 10), .string("s\($0)")]) }, type: infoType(infoNames))
        return try RecordBatch(schema: Schema([Field(names[0], .int64, isNullable: false), Field(names[1], infoType(infoNames)), Field(names[2], .string)]),
                               columns: [try Column(ids.map { .int($0) }, type: .int64), info, try Column(ids.map { _ in .string(p) }, type: .string)])
    }

    static func rows(_ table: Table, version: Int64? = nil) throws -> [[Scalar]] {
        let snapshot = try version.map { try table.snapshot(version: $0) } ?? table.snapshot()
        return try table.scan(snapshot).readAll().flatMap { b in (0..<b.count).map { r in b.columns.map { $0.scalar(at: r) } } }
            .sorted { "\($0)" < "\($1)" }
    }

    static func deltaError(_ code: DeltaError.Code, containing text: String) -> (any Error) -> Bool {
        { error in
            guard let e = error as? DeltaError else { return false }
            return e.code == code && e.message.contains(text)
        }
    }

    @Test("creating a name-mode table assigns ids and physical names; files use them")
    func createNameMode() throws {
        let dir = try Fixtures.scratchDirectory("cm-create")
        defer { Fixtures.remove(dir) }
        let table = Table(path: dir)
        let snapshot = try table.create(schema: Self.nestedSchema, partitionColumns: ["p"], configuration: ["delta.columnMapping.mode": "name"])
        #expect(snapshot.protocol.minReaderVersion == 3 && snapshot.protocol.minWriterVersion == 7)
        #expect(snapshot.protocol.hasReaderFeature(.columnMapping) && snapshot.protocol.hasWriterFeature(.columnMapping))
        #expect(snapshot.columnMappingMode == .name)
        var ids: [Int64] = []
        var physical: [String] = []
        snapshot.schema.visitFields { f in
            ids.append(f.columnMappingID ?? -1)
            physical.append(f.physicalName ?? "")
        }
        #expect(ids.sorted() == [1, 2, 3, 4, 5])
        #expect(physical.allSatisfy { $0.hasPrefix("col-") } && Set(physical).count == 5)
        #expect(snapshot.properties["delta.columnMapping.maxColumnId"] == "5")

        try table.append([try Self.batch([1, 2], p: "x"), try Self.batch([3], p: "y")])
        let latest = try table.snapshot()
        let pPhysical = try #require(latest.schema.field(named: "p")?.physicalName)
        let idPhysical = try #require(latest.schema.field(named: "id")?.physicalName)
        for add in latest.activeFiles {
            #expect(Array(add.partitionValues.keys) == [pPhysical])
            #expect(add.path.hasPrefix(pPhysical + "="))
            let stats = try #require(add.stats)
            #expect(stats.contains("\"\(idPhysical)\"") && !stats.contains("\"id\""))
            // The data file stores physical names and field ids.
            let reader = try ParquetFileReader(path: dir + "/" + PathCoding.decodeURIPath(add.path))
            let fileFields = reader.schema.arrowSchema.fields
            #expect(fileFields.map(\.name) == [idPhysical, try #require(latest.schema.field(named: "info")?.physicalName)])
            #expect(fileFields.map(\.fieldID) == [1, 2])
            if case .struct(let nested) = fileFields[1].dataType {
                #expect(nested.map(\.fieldID) == [3, 4])
                #expect(nested.allSatisfy { $0.name.hasPrefix("col-") })
            } else {
                Issue.record("info is not a struct in the data file")
            }
        }
        #expect(try Self.rows(table) == [
            [.int(1), .structure([.int(10), .string("s1")]), .string("x")],
            [.int(2), .structure([.int(20), .string("s2")]), .string("x")],
            [.int(3), .structure([.int(30), .string("s3")]), .string("y")],
        ])
        // Statistics by physical name still skip files.
        #expect(try table.scan(where: try Condition(sql: "id > 2")).files().count == 1)

        // Without table features: the legacy reader 2 / writer 5 protocol.
        let legacyDir = try Fixtures.scratchDirectory("cm-legacy")
        defer { Fixtures.remove(legacyDir) }
        let legacy = try Table(path: legacyDir).create(schema: Self.nestedSchema, configuration: ["delta.columnMapping.mode": "name"],
                                                       options: TableCreationOptions(inCommitTimestamps: false))
        #expect(legacy.protocol.minReaderVersion == 2 && legacy.protocol.minWriterVersion == 5 && legacy.columnMappingMode == .name)
        #expect(performing: { try Table(path: legacyDir + "-bad").create(schema: Self.nestedSchema, configuration: ["delta.columnMapping.mode": "names"]) },
                throws: Self.deltaError(.invalidArgument, containing: "none, id or name"))
    }

    @Test("rename and drop columns (top-level, nested, partition) are metadata-only; time travel keeps old schemas")
    func renameAndDrop() throws {
        let dir = try Fixtures.scratchDirectory("cm-rename")
        defer { Fixtures.remove(dir) }
        let table = Table(path: dir)
        try table.create(schema: Self.nestedSchema, partitionColumns: ["p"], configuration: ["delta.columnMapping.mode": "name"])
        try table.append([try Self.batch([1, 2], p: "x")])                               // v1
        let filesBefore = try table.snapshot().activeFiles.map(\.path)
        #expect(try table.renameColumn("id", to: "key").version == 2)
        try table.renameColumn("info.a", to: "alpha")                                    // v3
        try table.renameColumn("p", to: "part")                                          // v4
        try table.dropColumn("info.b")                                                   // v5
        let s5 = try table.snapshot()
        #expect(s5.activeFiles.map(\.path) == filesBefore)
        #expect(s5.schema.fieldNames == ["key", "info", "part"])
        #expect(s5.partitionColumns == ["part"])
        #expect(try Self.rows(table) == [
            [.int(1), .structure([.int(10)]), .string("x")],
            [.int(2), .structure([.int(20)]), .string("x")],
        ])
        #expect(try table.history().first?.commitInfo?.operation == "DROP COLUMNS")
        // Appends use the new names; filters and partition pruning work on renamed columns.
        let info = try Column([.structure([.int(30)])], type: .struct([Field("alpha", .int32)]))
        let b = try RecordBatch(schema: Schema([Field("key", .int64, isNullable: false), Field("info", .struct([Field("alpha", .int32)])), Field("part", .string)]),
                                columns: [try Column([.int(3)], type: .int64), info, try Column([.string("y")], type: .string)])
        try table.append([b])                                                            // v6
        #expect(try table.scan(where: try Condition(sql: "part = 'y'")).files().count == 1)
        #expect(try table.scan(where: try Condition(sql: "key < 2")).readAll().reduce(0) { $0 + $1.count } == 1)
        // Overwriting a partition by its renamed column replaces only that partition's file.
        let info2 = try Column([.structure([.int(40)])], type: .struct([Field("alpha", .int32)]))
        let b2 = try RecordBatch(schema: b.schema, columns: [try Column([.int(4)], type: .int64), info2, try Column([.string("y")], type: .string)])
        let overwritten = try table.overwrite([b2], replaceWhere: try Condition(sql: "part = 'y'"))  // v7
        #expect(overwritten.filesRemoved == 1)
        #expect(try Self.rows(table).map { $0[0] } == [.int(1), .int(2), .int(4)])
        // A checkpoint (with parsed statistics) of the renamed table reads back the same.
        try table.setProperties(["delta.checkpoint.writeStatsAsStruct": "true"])         // v8
        try table.checkpoint()
        let reopened = Table(path: dir)
        #expect(try Self.rows(reopened) == Self.rows(table))
        #expect(try reopened.scan(where: try Condition(sql: "key >= 4")).files().count == 1)
        // Time travel returns the columns as they were.
        #expect(try table.snapshot(version: 1).schema.fieldNames == ["id", "info", "p"])
        #expect(try Self.rows(table, version: 1) == [
            [.int(1), .structure([.int(10), .string("s1")]), .string("x")],
            [.int(2), .structure([.int(20), .string("s2")]), .string("x")],
        ])
        #expect(try Self.rows(table, version: 4)[0] == [.int(1), .structure([.int(10), .string("s1")]), .string("x")])
        // Refusals.
        #expect(performing: { try table.dropColumn("part") }, throws: Self.deltaError(.invalidArgument, containing: "partition column"))
        #expect(performing: { try table.dropColumn("info.alpha") }, throws: Self.deltaError(.invalidArgument, containing: "only field"))
        #expect(performing: { try table.renameColumn("key", to: "INFO") }, throws: Self.deltaError(.invalidArgument, containing: "duplicate"))
        #expect(performing: { try table.renameColumn("nope", to: "x") }, throws: Self.deltaError(.invalidArgument, containing: "no column 'nope'"))
        #expect(performing: { try table.renameColumn("key.x", to: "y") }, throws: Self.deltaError(.invalidArgument, containing: "no nested fields"))
        try table.dropColumn("key")
        #expect(try table.snapshot().schema.fieldNames == ["info", "part"])
        #expect(performing: { try table.dropColumn("info") }, throws: Self.deltaError(.invalidArgument, containing: "last non-partition column"))
        #expect(performing: { try table.setProperties(["delta.columnMapping.mode": "none"]) }, throws: Self.deltaError(.invalidArgument, containing: "from name to none"))
        #expect(performing: { try table.setProperties(["delta.columnMapping.maxColumnId": "100"]) }, throws: Self.deltaError(.invalidArgument, containing: "cannot be set"))
    }

    @Test("id mode: data files carry field ids; renames read by id; nested merges get new ids")
    func idModeAndNestedMerge() throws {
        let dir = try Fixtures.scratchDirectory("cm-id")
        defer { Fixtures.remove(dir) }
        let table = Table(path: dir)
        try table.create(schema: Self.nestedSchema, configuration: ["delta.columnMapping.mode": "id"])
        #expect(try table.snapshot().columnMappingMode == .id)
        try table.append([try Self.batch([1], p: "x")])
        try table.renameColumn("info.b", to: "beta")
        // A merge adding a nested field inside `info` assigns it the next id and a new physical name.
        var options = WriteOptions()
        options.mergesSchema = true
        let nested: DataType = .struct([Field("a", .int32), Field("beta", .string), Field("c", .int64)])
        let b = try RecordBatch(schema: Schema([Field("id", .int64, isNullable: false), Field("info", nested)]),
                                columns: [try Column([.int(2)], type: .int64),
                                          try Column([.structure([.int(20), .string("t"), .int(99)])], type: nested)])
        try table.append([b], options: options)
        let s = try table.snapshot()
        guard case .struct(let info)? = s.schema.field(named: "info")?.type else {
            Issue.record("info is not a struct")
            return
        }
        #expect(info.fieldNames == ["a", "beta", "c"])
        #expect(info.fields[2].columnMappingID == 6 && info.fields[2].physicalName?.hasPrefix("col-") == true)
        #expect(s.properties["delta.columnMapping.maxColumnId"] == "6")
        #expect(try Self.rows(table) == [
            [.int(1), .structure([.int(10), .string("s1"), .null]), .string("x")],
            [.int(2), .structure([.int(20), .string("t"), .int(99)]), .null],
        ])
        // Mode changes other than none → name are refused.
        #expect(performing: { try table.setProperties(["delta.columnMapping.mode": "name"]) },
                throws: Self.deltaError(.invalidArgument, containing: "from id to name"))
        // A date partition column cannot widen to timestamp_ntz (its values would change form).
        let dated = Table(path: dir + "-dated")
        defer { Fixtures.remove(dir + "-dated") }
        try dated.create(schema: StructType([StructField(name: "d", type: .date), StructField(name: "v", type: .integer)]),
                         partitionColumns: ["d"], configuration: ["delta.enableTypeWidening": "true"])
        #expect(performing: { try dated.changeColumnType("d", to: .timestampNtz) },
                throws: Self.deltaError(.invalidArgument, containing: "partition column 'd'"))
        try dated.changeColumnType("v", to: .long)
    }

    @Test("column paths: backquoted names with dots and spaces; bad paths are refused")
    func quotedPaths() throws {
        #expect(try Transaction.components(of: "`a b.c`.d") == ["a b.c", "d"])
        #expect(try Transaction.components(of: "`x``y`") == ["x`y"])
        #expect(throws: DeltaError.self) { try Transaction.components(of: "`open") }
        #expect(throws: DeltaError.self) { try Transaction.components(of: "a..b") }
        let dir = try Fixtures.scratchDirectory("cm-quoted")
        defer { Fixtures.remove(dir) }
        let table = Table(path: dir)
        let inner = StructType([StructField(name: "x.y", type: .integer), StructField(name: "z", type: .integer)])
        try table.create(schema: StructType([StructField(name: "a b.c", type: .struct(inner)), StructField(name: "k", type: .long)]),
                         configuration: ["delta.columnMapping.mode": "name"])
        let type: DataType = .struct([Field("x.y", .int32), Field("z", .int32)])
        try table.append([try RecordBatch(schema: Schema([Field("a b.c", type), Field("k", .int64)]),
                                          columns: [try Column([.structure([.int(1), .int(2)])], type: type), try Column([.int(3)], type: .int64)])])
        try table.renameColumn("`a b.c`.`x.y`", to: "first")
        try table.dropColumn("`a b.c`.z")
        try table.renameColumn("`a b.c`", to: "s")
        #expect(try table.snapshot().schema.fieldNames == ["s", "k"])
        #expect(try Self.rows(table) == [[.structure([.int(1)]), .int(3)]])
        #expect(try table.history().first?.commitInfo?.operationParameters?["oldColumnPath"] == "`a b.c`")
    }

    @Test("paths through arrays (element) and maps (value) reach struct fields inside them")
    func arrayAndMapPaths() throws {
        let dir = try Fixtures.scratchDirectory("cm-nested")
        defer { Fixtures.remove(dir) }
        let table = Table(path: dir)
        let item = StructType([StructField(name: "price", type: .integer), StructField(name: "sku", type: .string)])
        try table.create(schema: StructType([StructField(name: "items", type: .array(ArrayType(elementType: .struct(item), containsNull: true))),
                                             StructField(name: "attrs", type: .map(MapType(keyType: .string, valueType: .struct(item), valueContainsNull: true)))]),
                         configuration: ["delta.columnMapping.mode": "name", "delta.enableTypeWidening": "true"])
        let arrow = try table.snapshot().arrowSchema()
        try table.append([try RecordBatch(schema: arrow, columns: [
            try Column([.list([.structure([.int(5), .string("a")])])], type: arrow.fields[0].dataType),
            try Column([.map([Scalar.MapEntry(key: .string("k"), value: .structure([.int(6), .string("b")]))])], type: arrow.fields[1].dataType),
        ])])
        try table.renameColumn("items.element.sku", to: "code")
        try table.dropColumn("attrs.value.sku")
        try table.changeColumnType("items.element.price", to: .long)
        let s = try table.snapshot()
        guard case .array(let a)? = s.schema.field(named: "items")?.type, case .struct(let element) = a.elementType else {
            Issue.record("items is not an array of structs")
            return
        }
        #expect(element.fieldNames == ["price", "code"])
        #expect(element.fields[0].type == .long)
        #expect(element.fields[0].metadata["delta.typeChanges"] == .array([.object(["fromType": .string("integer"), "toType": .string("long")])]))
        #expect(try Self.rows(table) == [[.list([.structure([.int(5), .string("a")])]),
                                          .map([Scalar.MapEntry(key: .string("k"), value: .structure([.int(6)]))])]])
        #expect(performing: { try table.renameColumn("items.price", to: "x") }, throws: Self.deltaError(.invalidArgument, containing: "continue the path with 'element'"))
        #expect(performing: { try table.changeColumnType("items.element", to: .long) }, throws: Self.deltaError(.invalidArgument, containing: "must end at a struct field"))
    }

    @Test("rename and drop are refused without column mapping, naming how to enable it")
    func refusedWithoutMapping() throws {
        let dir = try Fixtures.scratchDirectory("cm-none")
        defer { Fixtures.remove(dir) }
        let table = Table(path: dir)
        try table.create(schema: Self.nestedSchema)
        #expect(performing: { try table.renameColumn("id", to: "key") }, throws: Self.deltaError(.unsupportedFeature, containing: "enableColumnMapping"))
        #expect(performing: { try table.dropColumn("info.b") }, throws: Self.deltaError(.unsupportedFeature, containing: "delta.columnMapping.mode=name"))
        #expect(try table.snapshot().version == 0)
    }

    @Test("enabling column mapping on an existing table keeps old files readable; merged columns get new ids")
    func enableOnExistingTable() throws {
        let dir = try Fixtures.scratchDirectory("cm-enable")
        defer { Fixtures.remove(dir) }
        let table = Table(path: dir)
        try table.create(schema: Self.nestedSchema, partitionColumns: ["p"], options: TableCreationOptions(inCommitTimestamps: false))
        try table.append([try Self.batch([1], p: "x")])                                  // v1
        #expect(try table.enableColumnMapping()?.version == 2)
        #expect(try table.enableColumnMapping() == nil)
        let s2 = try table.snapshot()
        #expect(s2.protocol.minReaderVersion == 3 && s2.protocol.minWriterVersion == 7)
        #expect(s2.protocol.hasReaderFeature(.columnMapping) && s2.protocol.hasWriterFeature(.columnMapping))
        #expect(s2.schema.fields.map { $0.physicalName } == ["id", "info", "p"])
        #expect(s2.properties["delta.columnMapping.maxColumnId"] == "5")
        try table.renameColumn("id", to: "key")                                          // v3
        // Merge adds `w` with a generated physical name and the next id.
        var options = WriteOptions()
        options.mergesSchema = true
        let w = try RecordBatch(schema: Schema([Field("key", .int64, isNullable: false), Field("p", .string), Field("w", .string)]),
                                columns: [try Column([.int(2)], type: .int64), try Column([.string("x")], type: .string), try Column([.string("w2")], type: .string)])
        try table.append([w], options: options)                                          // v4
        let s4 = try table.snapshot()
        let wField = try #require(s4.schema.field(named: "w"))
        #expect(wField.columnMappingID == 6 && wField.physicalName?.hasPrefix("col-") == true)
        #expect(s4.properties["delta.columnMapping.maxColumnId"] == "6")
        #expect(try Self.rows(table) == [
            [.int(1), .structure([.int(10), .string("s1")]), .string("x"), .null],
            [.int(2), .null, .string("x"), .string("w2")],
        ])
        // Dropping `w` and adding a new `w` never shows the dropped values.
        try table.dropColumn("w")                                                        // v5
        try table.append([w], options: options)                                          // v6
        let s6 = try table.snapshot()
        #expect(s6.schema.field(named: "w")?.columnMappingID == 7)
        #expect(try Self.rows(table).filter { $0[3] == .string("w2") }.count == 1)
        #expect(try Self.rows(table, version: 4).filter { $0[3] == .string("w2") }.count == 1)
        // Compaction keeps physical names.
        let optimized = try table.optimize()
        #expect(optimized.filesRemoved > 0)
        #expect(try Self.rows(table) == Self.rows(table, version: 6))
    }

    @Test("type widening: explicit changes and merges record delta.typeChanges; old files read widened")
    func typeWidening() throws {
        let dir = try Fixtures.scratchDirectory("widen")
        defer { Fixtures.remove(dir) }
        let table = Table(path: dir)
        let schema = StructType([StructField(name: "b", type: .byte), StructField(name: "i", type: .integer),
                                 StructField(name: "f", type: .float), StructField(name: "d", type: .decimal(precision: 5, scale: 2))])
        try table.create(schema: schema)
        let batch = try RecordBatch(schema: try schema.arrowSchema(), columns: [
            try Column([.int(-3)], type: .int8), try Column([.int(70000)], type: .int32),
            try Column([.float(1.5)], type: .float32), try Column([.decimal(12345)], type: .decimal(precision: 5, scale: 2)),
        ])
        try table.append([batch])                                                        // v1
        #expect(performing: { try table.changeColumnType("i", to: .long) }, throws: Self.deltaError(.unsupportedFeature, containing: "delta.enableTypeWidening=true"))
        try table.setProperties(["delta.enableTypeWidening": "true"])                    // v2
        #expect(try table.snapshot().protocol.hasReaderFeature(.typeWidening))
        try table.changeColumnType("b", to: .short)                                      // v3
        try table.changeColumnType("b", to: .integer)                                    // v4
        try table.changeColumnType("i", to: .long)                                       // v5
        try table.changeColumnType("f", to: .double)                                     // v6
        try table.changeColumnType("d", to: .decimal(precision: 8, scale: 3))            // v7
        let s = try table.snapshot()
        #expect(s.schema.fields.map(\.type) == [.integer, .long, .double, .decimal(precision: 8, scale: 3)])
        #expect(s.schema.fields[0].metadata["delta.typeChanges"] == .array([
            .object(["fromType": .string("byte"), "toType": .string("short")]),
            .object(["fromType": .string("short"), "toType": .string("integer")]),
        ]))
        #expect(s.schema.fields[3].metadata["delta.typeChanges"] == .array([
            .object(["fromType": .string("decimal(5,2)"), "toType": .string("decimal(8,3)")]),
        ]))
        #expect(try Self.rows(table) == [[.int(-3), .int(70000), .float(1.5), .decimal(123450)]])
        #expect(try Self.rows(table, version: 1) == [[.int(-3), .int(70000), .float(1.5), .decimal(12345)]])
        // Refusals: narrowing, unrelated types, scale growing faster than precision.
        #expect(performing: { try table.changeColumnType("i", to: .integer) }, throws: Self.deltaError(.invalidArgument, containing: "narrowing"))
        #expect(performing: { try table.changeColumnType("i", to: .string) }, throws: Self.deltaError(.invalidArgument, containing: "not supported"))
        #expect(performing: { try table.changeColumnType("f", to: .long) }, throws: Self.deltaError(.invalidArgument, containing: "not supported"))
        #expect(performing: { try table.changeColumnType("d", to: .decimal(precision: 9, scale: 5)) }, throws: Self.deltaError(.invalidArgument, containing: "not supported"))
        #expect(performing: { try table.changeColumnType("i", to: .long) }, throws: Self.deltaError(.invalidArgument, containing: "already has type"))

        // Merge-on-append widens when enabled.
        let wide = try RecordBatch(schema: Schema([Field("b", .int64)]), columns: [try Column([.int(1 << 40)], type: .int64)])
        #expect { try table.append([wide]) } throws: { ($0 as? DeltaError)?.code == .schemaMismatch }
        var options = WriteOptions()
        options.mergesSchema = true
        try table.append([wide], options: options)
        let merged = try table.snapshot()
        #expect(merged.schema.fields[0].type == .long)
        #expect(merged.schema.fields[0].metadata["delta.typeChanges"]?.arrayValue?.last == .object(["fromType": .string("integer"), "toType": .string("long")]))
        #expect(Set(try Self.rows(table).map { "\($0[0])" }) == [Scalar.int(-3), Scalar.int(1 << 40)].map { "\($0)" }.reduce(into: Set<String>()) { $0.insert($1) })
    }

    @Test("schema changes conflict with concurrent writers")
    func conflicts() throws {
        let dir = try Fixtures.scratchDirectory("cm-conflict")
        defer { Fixtures.remove(dir) }
        let table = Table(path: dir)
        try table.create(schema: Self.nestedSchema, configuration: ["delta.columnMapping.mode": "name"])
        // A rename loses to a concurrent append.
        var rename = try table.transaction(operation: "RENAME COLUMN")
        try rename.renameColumn("id", to: "key")
        try table.append([try Self.batch([1], p: "x")])
        #expect { try rename.commit() } throws: { ($0 as? DeltaError)?.code == .conflict }
        // An append started before a drop loses to it.
        var append = try table.transaction()
        append.add(AddFile(path: "f.parquet", partitionValues: [:], size: 1, modificationTime: 1))
        try table.dropColumn("info.b")
        #expect { try append.commit() } throws: { ($0 as? DeltaError)?.code == .conflict }
        #expect(try table.snapshot().schema.field(named: "info")?.type.directStructs.first?.fieldNames == ["a"])
    }
}
