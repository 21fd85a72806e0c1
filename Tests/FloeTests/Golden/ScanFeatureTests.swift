import Foundation
import Testing
import FloeColumnar
import FloeParquet
@testable import Floe

/// Reads of hand-made tables exercising what the golden corpus lacks: column mapping in `id` mode
/// with nested fields, type widening, timestamp without time zone, files with extra, missing or
/// differently-nullable columns.
@Suite("Scan features")
struct ScanFeatureTests {
    static func field(_ name: String, _ type: DataType, id: Int32? = nil, nullable: Bool = true) -> Field {
        var f = Field(name, type, isNullable: nullable)
        f.fieldID = id
        return f
    }

    static func writeTable(_ root: String, protocol p: String, schema: String, configuration: String = "{}", partitionColumns: String = "[]",
                           files: [(name: String, batch: RecordBatch, partitionValues: String)]) throws {
        var lines = [p, #"{"metaData":{"id":"t","format":{"provider":"parquet","options":{}},"schemaString":"# + jsonString(schema)
                     + #","partitionColumns":"# + partitionColumns + #","configuration":"# + configuration + #","createdTime":1}}"#]
        for file in files {
            let path = root + "/" + file.name
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            let summary = try ParquetFileWriter.write([file.batch], to: path)
            lines.append(#"{"add":{"path":"# + jsonString(PathCoding.encodeURIPath(file.name)) + #","partitionValues":"# + file.partitionValues
                         + #","size":\#(summary.fileSize),"modificationTime":1,"dataChange":true}}"#)
        }
        try Fixtures.writeCommit(root, 0, lines)
    }

    static func jsonString(_ s: String) -> String { JSONValue.string(s).jsonText }

    static func rows(_ root: String, columns: [String]? = nil) throws -> (Schema, [[Scalar]]) {
        let table = Table(path: root)
        let scan = try table.scan(columns: columns)
        var out: [[Scalar]] = []
        for b in try scan.readAll() { for r in 0..<b.count { out.append(b.columns.map { $0.scalar(at: r) }) } }
        return (scan.schema, out.sorted { "\($0)" < "\($1)" })
    }

    @Test("column mapping id mode: top-level, nested struct and array element fields resolved by field id")
    func columnMappingID() throws {
        let root = try Fixtures.scratchDirectory("cm-id")
        defer { Fixtures.remove(root) }
        // The file's names are unrelated to the table's: only the ids match.
        let inner = DataType.struct([Self.field("zz", .int32, id: 3), Self.field("other", .string, id: 99)])
        let list = DataType.list(Self.field("element", .struct([Self.field("q", .string, id: 5)])))
        let fileSchema = Schema([Self.field("c1", .int64, id: 1), Self.field("c2", inner, id: 2), Self.field("c4", list, id: 4),
                                 Self.field("stray", .string, id: 50)])
        let batch = try RecordBatch(schema: fileSchema, columns: [
            try Column([.int(1), .int(2)], type: .int64),
            try Column([.structure([.int(10), .string("x")]), .null], type: inner),
            try Column([.list([.structure([.string("a")])]), .list([])], type: list),
            try Column([.string("s"), .string("t")], type: .string),
        ])
        let schema = #"{"type":"struct","fields":[{"name":"id","type":"long","nullable":true,"metadata":{"delta.columnMapping.id":1,"delta.columnMapping.physicalName":"col-1"}},{"name":"s","type":{"type":"struct","fields":[{"name":"x","type":"integer","nullable":true,"metadata":{"delta.columnMapping.id":3,"delta.columnMapping.physicalName":"col-3"}},{"name":"added","type":"string","nullable":true,"metadata":{"delta.columnMapping.id":6,"delta.columnMapping.physicalName":"col-6"}}]},"nullable":true,"metadata":{"delta.columnMapping.id":2,"delta.columnMapping.physicalName":"col-2"}},{"name":"arr","type":{"type":"array","elementType":{"type":"struct","fields":[{"name":"w","type":"string","nullable":true,"metadata":{"delta.columnMapping.id":5,"delta.columnMapping.physicalName":"col-5"}}]},"containsNull":true},"nullable":true,"metadata":{"delta.columnMapping.id":4,"delta.columnMapping.physicalName":"col-4"}},{"name":"part","type":"string","nullable":true,"metadata":{"delta.columnMapping.id":7,"delta.columnMapping.physicalName":"col-7"}}]}"#
        try Self.writeTable(root, protocol: #"{"protocol":{"minReaderVersion":2,"minWriterVersion":5}}"#, schema: schema,
                            configuration: #"{"delta.columnMapping.mode":"id","delta.columnMapping.maxColumnId":"7"}"#,
                            partitionColumns: #"["part"]"#, files: [("col-7=p/f.parquet", batch, #"{"col-7":"p"}"#)])
        let (out, rows) = try Self.rows(root)
        #expect(out.fields.map(\.name) == ["id", "s", "arr", "part"])
        #expect(rows == [
            [.int(1), .structure([.int(10), .null]), .list([.structure([.string("a")])]), .string("p")],
            [.int(2), .null, .list([]), .string("p")],
        ])
        // A predicate on a mapped nested column and on the mapped partition column.
        let filtered = try Table(path: root).scan(columns: ["id"], where: .comparison(column: "part", op: .equal, value: .string("p"))).readAll()
        #expect(filtered.reduce(0) { $0 + $1.count } == 2)
    }

    @Test("column mapping name mode: a file written before a rename and one after; a dropped column is ignored")
    func columnMappingName() throws {
        let root = try Fixtures.scratchDirectory("cm-name")
        defer { Fixtures.remove(root) }
        let b1 = try RecordBatch(schema: Schema([Field("a", .int64), Field("dropped", .string)]),
                                 columns: [try Column([.int(1)], type: .int64), try Column([.string("gone")], type: .string)])
        let b2 = try RecordBatch(schema: Schema([Field("a", .int64), Field("col-b", .string)]),
                                 columns: [try Column([.int(2)], type: .int64), try Column([.string("new")], type: .string)])
        let schema = #"{"type":"struct","fields":[{"name":"renamed","type":"long","nullable":true,"metadata":{"delta.columnMapping.id":1,"delta.columnMapping.physicalName":"a"}},{"name":"b","type":"string","nullable":true,"metadata":{"delta.columnMapping.id":3,"delta.columnMapping.physicalName":"col-b"}}]}"#
        try Self.writeTable(root, protocol: #"{"protocol":{"minReaderVersion":3,"minWriterVersion":7,"readerFeatures":["columnMapping"],"writerFeatures":["columnMapping"]}}"#,
                            schema: schema, configuration: #"{"delta.columnMapping.mode":"name"}"#,
                            files: [("f1.parquet", b1, "{}"), ("f2.parquet", b2, "{}")])
        let (_, rows) = try Self.rows(root)
        #expect(rows == [[.int(1), .null], [.int(2), .string("new")]])
    }

    @Test("type widening: narrower file types are widened to the table's types (delta.typeChanges)")
    func typeWidening() throws {
        let root = try Fixtures.scratchDirectory("widening")
        defer { Fixtures.remove(root) }
        let fileSchema = Schema([Field("a", .int8), Field("b", .int32), Field("c", .float32), Field("d", .date32),
                                 Field("e", .decimal(precision: 5, scale: 2)), Field("f", .int16), Field("g", .int32)])
        let batch = try RecordBatch(schema: fileSchema, columns: [
            try Column([.int(-3), .null], type: .int8),
            try Column([.int(2_000_000_000), .int(-1)], type: .int32),
            try Column([.float(1.5), .float(-0.25)], type: .float32),
            try Column([.int(19_000), .int(-1)], type: .date32),
            try Column([.decimal(12345), .decimal(-1)], type: .decimal(precision: 5, scale: 2)),
            try Column([.int(7), .int(-7)], type: .int16),
            try Column([.int(123), .null], type: .int32),
        ])
        func change(_ from: String, _ to: String) -> String {
            #"{"delta.typeChanges":[{"fromType":"\#(from)","toType":"\#(to)"}]}"#
        }
        let schema = #"{"type":"struct","fields":[{"name":"a","type":"short","nullable":true,"metadata":\#(change("byte", "short"))},{"name":"b","type":"long","nullable":true,"metadata":\#(change("integer", "long"))},{"name":"c","type":"double","nullable":true,"metadata":\#(change("float", "double"))},{"name":"d","type":"timestamp_ntz","nullable":true,"metadata":\#(change("date", "timestamp_ntz"))},{"name":"e","type":"decimal(10,4)","nullable":true,"metadata":\#(change("decimal(5,2)", "decimal(10,4)"))},{"name":"f","type":"double","nullable":true,"metadata":\#(change("short", "double"))},{"name":"g","type":"decimal(12,2)","nullable":true,"metadata":\#(change("integer", "decimal(12,2)"))}]}"#
        try Self.writeTable(root, protocol: #"{"protocol":{"minReaderVersion":3,"minWriterVersion":7,"readerFeatures":["typeWidening","timestampNtz"],"writerFeatures":["typeWidening","timestampNtz"]}}"#,
                            schema: schema, files: [("f.parquet", batch, "{}")])
        let (out, rows) = try Self.rows(root)
        #expect(out.fields.map(\.dataType) == [.int16, .int64, .float64, .timestamp(.microsecond, timezone: nil),
                                                .decimal(precision: 10, scale: 4), .float64, .decimal(precision: 12, scale: 2)])
        #expect(rows.contains([.int(-3), .int(2_000_000_000), .float(1.5), .int(19_000 * 86_400_000_000), .decimal(1_234_500), .float(7), .decimal(12_300)]))
        #expect(rows.contains([.null, .int(-1), .float(-0.25), .int(-86_400_000_000), .decimal(-100), .float(-7), .null]))
    }

    @Test("a file type wider than the table's is a clear schema error naming the file and column")
    func narrowingRefused() throws {
        let root = try Fixtures.scratchDirectory("narrowing")
        defer { Fixtures.remove(root) }
        let batch = try RecordBatch(schema: Schema([Field("a", .int64)]), columns: [try Column([.int(1)], type: .int64)])
        try Self.writeTable(root, protocol: Fixtures.protocolLine,
                            schema: #"{"type":"struct","fields":[{"name":"a","type":"integer","nullable":true,"metadata":{}}]}"#,
                            files: [("f.parquet", batch, "{}")])
        let error = try #require(throws: DeltaError.self) { try Self.rows(root) }
        #expect(error.code == .schemaMismatch && error.message.contains("'a'") && error.message.contains("f.parquet"))
    }

    @Test("timestamp_ntz, nullability differences, extra and missing columns, typed partition values incl. nulls and escapes")
    func quirks() throws {
        let root = try Fixtures.scratchDirectory("quirks")
        defer { Fixtures.remove(root) }
        // The file: a REQUIRED column the table calls nullable, an extra column, no column "missing",
        // a zoned timestamp for a timestamp_ntz column (the values are kept as they are).
        let batch = try RecordBatch(schema: Schema([Field("id", .int32, isNullable: false), Field("extra", .string),
                                                    Field("ntz", .timestamp(.millisecond, timezone: nil))]),
                                    columns: [try Column([.int(1), .int(2)], type: .int32), try Column([.string("x"), .null], type: .string),
                                              try Column([.int(1_000), .null], type: .timestamp(.millisecond, timezone: nil))])
        let schema = #"{"type":"struct","fields":[{"name":"id","type":"integer","nullable":true,"metadata":{}},{"name":"ntz","type":"timestamp_ntz","nullable":true,"metadata":{}},{"name":"missing","type":{"type":"struct","fields":[{"name":"q","type":"long","nullable":true,"metadata":{}}]},"nullable":true,"metadata":{}},{"name":"p","type":"date","nullable":true,"metadata":{}},{"name":"s","type":"string","nullable":true,"metadata":{}}]}"#
        try Self.writeTable(root, protocol: #"{"protocol":{"minReaderVersion":3,"minWriterVersion":7,"readerFeatures":["timestampNtz"],"writerFeatures":["timestampNtz"]}}"#,
                            schema: schema, partitionColumns: #"["p","s"]"#,
                            files: [("p=2024-02-29/s=a%2Fb c/f1.parquet", batch, #"{"p":"2024-02-29","s":"a/b c"}"#),
                                    ("p=__HIVE_DEFAULT_PARTITION__/s=__HIVE_DEFAULT_PARTITION__/f2.parquet", batch, #"{"p":null,"s":null}"#)])
        let (out, rows) = try Self.rows(root)
        #expect(out.fields.map(\.name) == ["id", "ntz", "missing", "p", "s"])
        #expect(out.fields[1].dataType == .timestamp(.microsecond, timezone: nil))
        #expect(rows.count == 4)
        #expect(rows.contains([.int(1), .int(1_000_000), .null, .int(19_782), .string("a/b c")]))
        #expect(rows.contains([.int(2), .null, .null, .null, .null]))
    }
}
