import Foundation
import Testing
import FloeColumnar
@testable import Floe

/// Reads Floe tables with delta-rs (`deltalake`) after every schema change and compares each
/// version's columns (nested names included) and rows with Floe's. Skipped without the test
/// virtualenv (`FLOE_PYTHON`).
@Suite("Schema evolution with delta-rs")
struct SchemaEvolutionInteropTests {
    /// Arguments: table root, then versions. Prints one JSON object: version → {"schema", "rows"}
    /// or {"error"}. Structs are lists of their values, decimals strings.
    static let readScript = #"""
    import sys, json, decimal
    import pyarrow as pa
    from deltalake import DeltaTable, QueryBuilder
    root = sys.argv[1]
    def names(t):
        if pa.types.is_struct(t):
            return [[t.field(i).name, names(t.field(i).type)] for i in range(t.num_fields)]
        if pa.types.is_list(t) or pa.types.is_large_list(t):
            return {"element": names(t.value_type)}
        if pa.types.is_map(t):
            return {"key": names(t.key_type), "value": names(t.item_type)}
        return None
    def enc(v):
        if isinstance(v, dict): return [enc(x) for x in v.values()]
        if isinstance(v, (list, tuple)): return [enc(x) for x in v]
        if isinstance(v, decimal.Decimal): return str(v)
        return v
    out = {}
    for v in sys.argv[2:]:
        try:
            dt = DeltaTable(root, version=int(v))
            # DataFusion (QueryBuilder) reads column-mapped tables; to_pyarrow_table refuses them.
            t = pa.table(QueryBuilder().register("t", dt).execute("select * from t").read_all())
            rows = [[enc(x) for x in row.values()] for row in t.to_pylist()]
            out[v] = {"schema": [[f.name, names(f.type)] for f in t.schema], "rows": sorted(rows, key=json.dumps)}
        except Exception as e:
            out[v] = {"error": f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"}
    print(json.dumps(out))
    """#

    static func names(_ type: DeltaType) -> JSONValue {
        switch type {
        case .struct(let s): .array(s.fields.map { .array([.string($0.name), names($0.type)]) })
        case .array(let a): .object(["element": names(a.elementType)])
        case .map(let m): .object(["key": names(m.keyType), "value": names(m.valueType)])
        default: .null
        }
    }

    static func json(_ scalar: Scalar, _ type: DeltaType) -> JSONValue {
        switch (scalar, type) {
        case (.null, _): return .null
        case (.int(let v), _): return .int(v)
        case (.float(let v), _): return .number(JSONNumber(v))
        case (.string(let v), _): return .string(v)
        case (.bool(let v), _): return .bool(v)
        case (.decimal(let v), .decimal(_, let scale)): return .string(ValueEncoding.decimal(v, scale: scale))
        case (.structure(let values), .struct(let s)): return .array(zip(values, s.fields).map { json($0, $1.type) })
        case (.list(let values), .array(let a)): return .array(values.map { json($0, a.elementType) })
        case (.map(let entries), .map(let m)): return .array(entries.map { .array([json($0.key, m.keyType), json($0.value, m.valueType)]) })
        default: return .string("\(scalar)")
        }
    }

    /// Floe's view of `version` in the script's form.
    static func floeView(_ table: Table, version: Int64) throws -> JSONValue {
        let snapshot = try table.snapshot(version: version)
        let fields = snapshot.schema.fields
        let rows = try table.scan(snapshot).readAll().flatMap { b in
            (0..<b.count).map { r in JSONValue.array(zip(b.columns, fields).map { json($0.scalar(at: r), $1.type) }) }
        }.sorted { $0.jsonText < $1.jsonText }
        return .object(["schema": .array(fields.map { .array([.string($0.name), names($0.type)]) }), "rows": .array(rows)])
    }

    /// Compares every version of `table` with delta-rs; returns the versions delta-rs failed on with
    /// its error.
    static func compare(_ table: Table, versions: ClosedRange<Int64>) throws -> [Int64: String] {
        let result = try TestPython.json(readScript, [table.root] + versions.map(String.init))
        var failures: [Int64: String] = [:]
        for version in versions {
            let theirs = try #require(result.objectValue?[String(version)]?.objectValue)
            if let error = theirs["error"]?.stringValue {
                failures[version] = error
                continue
            }
            let ours = try floeView(table, version: version).objectValue
            #expect(theirs["schema"] == ours?["schema"], "schema of version \(version)")
            let theirRows = theirs["rows"]?.arrayValue?.sorted { $0.jsonText < $1.jsonText }
            #expect(theirRows == ours?["rows"]?.arrayValue, "rows of version \(version)")
        }
        return failures
    }

    @Test("delta-rs reads a name-mapped table after renames, drops and merges, at every version", .enabled(if: TestPython.hasDeltalake))
    func columnMapping() throws {
        let dir = try Fixtures.scratchDirectory("cm-interop")
        defer { Fixtures.remove(dir) }
        let table = Table(path: dir)
        try table.create(schema: SchemaEvolutionTests.nestedSchema, partitionColumns: ["p"],
                         configuration: ["delta.columnMapping.mode": "name"])           // v0
        try table.append([try SchemaEvolutionTests.batch([1, 2], p: "x")])              // v1
        try table.renameColumn("id", to: "key")                                          // v2
        try table.renameColumn("info.a", to: "alpha")                                    // v3
        var options = WriteOptions()
        options.mergesSchema = true
        let w = try RecordBatch(schema: Schema([Field("key", .int64, isNullable: false), Field("p", .string), Field("w", .string)]),
                                columns: [try Column([.int(3)], type: .int64), try Column([.string("y")], type: .string), try Column([.string("w3")], type: .string)])
        try table.append([w], options: options)                                          // v4
        try table.dropColumn("info.b")                                                   // v5
        try table.renameColumn("p", to: "part")                                          // v6
        try table.dropColumn("w")                                                        // v7
        try table.append([w.renaming(["key", "part", "w"])], options: options)           // v8: a new `w`
        let failures = try Self.compare(table, versions: 0...8)
        #expect(failures.isEmpty, "delta-rs failed: \(failures)")
    }

    @Test("delta-rs reads a table enabled for column mapping later, and type-widened tables", .enabled(if: TestPython.hasDeltalake))
    func enabledLaterAndWidened() throws {
        let dir = try Fixtures.scratchDirectory("cm-interop-later")
        defer { Fixtures.remove(dir) }
        let table = Table(path: dir)
        try table.create(schema: SchemaEvolutionTests.nestedSchema, options: TableCreationOptions(inCommitTimestamps: false))
        try table.append([try SchemaEvolutionTests.batch([1], p: "x")])                  // v1
        try table.enableColumnMapping()                                                  // v2
        try table.renameColumn("info", to: "details")                                    // v3
        try table.append([try SchemaEvolutionTests.batch([2], p: "y", names: ["id", "details", "p"])])  // v4
        let failures = try Self.compare(table, versions: 0...4)
        #expect(failures.isEmpty, "delta-rs failed: \(failures)")

        let wideDir = try Fixtures.scratchDirectory("widen-interop")
        defer { Fixtures.remove(wideDir) }
        let wide = Table(path: wideDir)
        let schema = StructType([StructField(name: "i", type: .integer), StructField(name: "f", type: .float)])
        try wide.create(schema: schema, configuration: ["delta.enableTypeWidening": "true"])
        try wide.append([try RecordBatch(schema: try schema.arrowSchema(), columns: [try Column([.int(7)], type: .int32), try Column([.float(0.5)], type: .float32)])])
        try wide.changeColumnType("i", to: .long)
        try wide.changeColumnType("f", to: .double)
        try wide.append([try RecordBatch(schema: Schema([Field("i", .int64), Field("f", .float64)]),
                                         columns: [try Column([.int(1 << 40)], type: .int64), try Column([.float(0.25)], type: .float64)])])
        // deltalake 1.6.6 refuses tables with the typeWidening feature (Spec/COMPATIBILITY.md); any
        // version it does read must match.
        let wideFailures = try Self.compare(wide, versions: 0...4)
        for (version, error) in wideFailures {
            #expect(error.contains("Unsupported table features required: [TypeWidening]"), "version \(version): \(error)")
        }
        // Independently of delta-rs: pyarrow reads the data files as written (the old one with
        // int32/float32, the new one with int64/double); cast to the table types they hold Floe's rows.
        let files = try wide.snapshot().activeFiles.map { wideDir + "/" + PathCoding.decodeURIPath($0.path) }
        let script = """
        import sys, json, pyarrow as pa, pyarrow.parquet as pq
        out = []
        for path in sys.argv[1:]:
            t = pq.read_table(path)
            out.append({"types": [str(f.type) for f in t.schema],
                        "rows": t.cast(pa.schema([("i", pa.int64()), ("f", pa.float64())])).to_pylist()})
        print(json.dumps(out))
        """
        let fileView = try #require(try TestPython.json(script, files).arrayValue)
        let types = Set(fileView.compactMap { $0.objectValue?["types"]?.arrayValue?.compactMap(\.stringValue).joined(separator: ",") })
        #expect(types == ["int32,float", "int64,double"])
        let theirRows = fileView.flatMap { $0.objectValue?["rows"]?.arrayValue ?? [] }.compactMap(\.objectValue)
            .map { "\($0["i"]?.int64Value ?? -1)/\($0["f"]?.doubleValue ?? -1)" }.sorted()
        let ourRows = try SchemaEvolutionTests.rows(wide).map { "\($0[0])/\($0[1])" }
        #expect(theirRows == ["1099511627776/0.25", "7/0.5"])
        #expect(ourRows == ["int(1099511627776)/float(0.25)", "int(7)/float(0.5)"])
    }
}

extension SchemaEvolutionInteropTests {
    @Test("delta-rs appends to a renamed name-mapped Floe table; both read both rows", .enabled(if: TestPython.hasDeltalake))
    func deltaRSAppends() throws {
        let dir = try Fixtures.scratchDirectory("cm-interop-append")
        defer { Fixtures.remove(dir) }
        let table = Table(path: dir)
        // Writer version 5: delta-rs 1.6.6 cannot write tables with in-commit timestamps.
        try table.create(schema: StructType([StructField(name: "id", type: .long, nullable: false), StructField(name: "name", type: .string)]),
                         configuration: ["delta.columnMapping.mode": "name"], options: TableCreationOptions(inCommitTimestamps: false))
        try table.append([try RecordBatch(schema: Schema([Field("id", .int64, isNullable: false), Field("name", .string)]),
                                          columns: [try Column([.int(1)], type: .int64), try Column([.string("a")], type: .string)])])
        try table.renameColumn("name", to: "label")                                      // v2
        let append = """
        import sys, pyarrow as pa
        from deltalake import write_deltalake
        write_deltalake(sys.argv[1], pa.table({"id": pa.array([2], pa.int64()), "label": ["b"]}), mode="append")
        print("ok")
        """
        let (output, error) = TestPython.run(append, [dir])
        #expect(output != nil, "delta-rs append failed: \(error)")
        let s3 = try table.snapshot()
        #expect(s3.version == 3)
        // delta-rs keyed its statistics by physical names, as Floe does.
        let physical = try #require(s3.schema.field(named: "label")?.physicalName)
        #expect(s3.activeFiles.allSatisfy { $0.stats?.contains(physical) == true })
        #expect(try SchemaEvolutionTests.rows(table) == [[.int(1), .string("a")], [.int(2), .string("b")]])
        let failures = try Self.compare(table, versions: 0...3)
        #expect(failures.isEmpty, "delta-rs failed: \(failures)")
    }
}

extension SchemaEvolutionInteropTests {
    @Test("delta-rs reads renames and drops of struct fields inside arrays and maps", .enabled(if: TestPython.hasDeltalake))
    func arraysAndMaps() throws {
        let dir = try Fixtures.scratchDirectory("cm-interop-nested")
        defer { Fixtures.remove(dir) }
        let table = Table(path: dir)
        let item = StructType([StructField(name: "price", type: .integer), StructField(name: "sku", type: .string)])
        try table.create(schema: StructType([StructField(name: "id", type: .long),
                                             StructField(name: "items", type: .array(ArrayType(elementType: .struct(item), containsNull: true))),
                                             StructField(name: "attrs", type: .map(MapType(keyType: .string, valueType: .struct(item), valueContainsNull: true)))]),
                         configuration: ["delta.columnMapping.mode": "name"])
        let arrow = try table.snapshot().arrowSchema()
        try table.append([try RecordBatch(schema: arrow, columns: [
            try Column([.int(1)], type: .int64),
            try Column([.list([.structure([.int(5), .string("a")]), .null])], type: arrow.fields[1].dataType),
            try Column([.map([Scalar.MapEntry(key: .string("k"), value: .structure([.int(6), .string("b")]))])], type: arrow.fields[2].dataType),
        ])])                                                                             // v1
        try table.renameColumn("items.element.sku", to: "code")                          // v2
        try table.renameColumn("attrs.value.price", to: "amount")                        // v3
        try table.dropColumn("items.element.code")                                       // v4
        try table.dropColumn("attrs.value.sku")                                          // v5
        // deltalake 1.6.6 (DataFusion) cannot cast a map whose value struct lost a field
        // (Spec/COMPATIBILITY.md); every other version must match.
        let failures = try Self.compare(table, versions: 0...5)
        #expect(Set(failures.keys).isSubset(of: [5]), "delta-rs failed: \(failures)")
        if let error = failures[5] {
            #expect(error.contains("Cannot cast") && error.contains("Map"), "\(error)")
        }
    }
}

extension RecordBatch {
    /// The batch with its top-level columns renamed.
    func renaming(_ names: [String]) throws -> RecordBatch {
        let fields = zip(schema.fields, names).map { f, name in var f = f; f.name = name; return f }
        return try RecordBatch(schema: Schema(fields), columns: columns, count: count)
    }
}
