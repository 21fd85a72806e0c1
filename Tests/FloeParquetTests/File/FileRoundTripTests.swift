import Foundation
import Testing
import FloeColumnar
@testable import FloeParquet

@Suite struct FileRoundTripTests {
    static func temporaryPath(_ name: String) -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("floe-tests-\(getpid())")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent(name).path
    }

    static let allFields: [Field] = RandomData.sampleFields + [
        Field("i8", .int8), Field("i16", .int16), Field("u8", .uint8), Field("u16", .uint16),
        Field("u32", .uint32), Field("u64", .uint64), Field("f16", .float16), Field("f32", .float32),
        Field("f64", .float64), Field("d9", .decimal(precision: 9, scale: 2)), Field("d18", .decimal(precision: 18, scale: 3)),
        Field("d38", .decimal(precision: 38, scale: 10)), Field("date", .date32),
        Field("ts_ms", .timestamp(.millisecond, timezone: "UTC")), Field("ts_us", .timestamp(.microsecond, timezone: nil)),
        Field("ts_ns", .timestamp(.nanosecond, timezone: "UTC")), Field("bin", .binary), Field("fixed", .fixedSizeBinary(5)),
        Field("req_s", .string, isNullable: false), Field("nul", .null),
    ]

    static func randomBatch(_ fields: [Field], rows: Int, seed: UInt64) throws -> (RecordBatch, [[Scalar]]) {
        var columns: [Column] = []
        var values: [[Scalar]] = []
        for (k, f) in fields.enumerated() {
            let (c, v) = try RandomData.column(f, count: rows, seed: seed &+ UInt64(k) &* 31)
            columns.append(c)
            values.append(v)
        }
        return (try RecordBatch(schema: Schema(fields), columns: columns), values)
    }

    static func check(_ batches: [RecordBatch], equal values: [[Scalar]], fields: [Field]) {
        var row = 0
        for b in batches {
            #expect(b.schema.fields.map(\.dataType) == fields.map(\.dataType))
            for r in 0..<b.count {
                for (k, c) in b.columns.enumerated() {
                    let expected = values[k][row + r]
                    let actual = c.scalar(at: r)
                    if case .float(let e) = expected, case .float(let a) = actual, e.isNaN && a.isNaN { continue }
                    #expect(actual == expected, "column \(fields[k].name) row \(row + r)")
                }
            }
            row += b.count
        }
        #expect(row == values.first?.count ?? 0)
    }

    @Test(arguments: [ParquetWriteOptions.Compression.zstd(level: 1), .snappy, .gzip(level: 6), .lz4Raw, .uncompressed])
    func everyTypeRoundTrips(compression: ParquetWriteOptions.Compression) throws {
        let fields = Self.allFields
        let (batch, values) = try Self.randomBatch(fields, rows: 2_000, seed: 42)
        var options = ParquetWriteOptions()
        options.compression = compression
        options.rowGroupSize = 700
        options.dataPageSize = 2_000
        let path = Self.temporaryPath("all-\(compression).parquet")
        try ParquetFileWriter.write([batch], to: path, options: options)
        let reader = try ParquetFileReader(path: path)
        #expect(reader.rowGroupCount == 3)
        #expect(reader.metadata.numRows == 2_000)
        Self.check(try reader.readAll(), equal: values, fields: fields)
        Self.check(try reader.readAll(parallelism: 2), equal: values, fields: fields)
    }

    @Test func dictionaryFallbackAndPlain() throws {
        let fields = [Field("s", .string), Field("i", .int64)]
        let (batch, values) = try Self.randomBatch(fields, rows: 50_000, seed: 7)
        for dictionary in [true, false] {
            var options = ParquetWriteOptions()
            options.isDictionaryEnabled = dictionary
            options.dictionaryPageSizeLimit = 10_000
            let path = Self.temporaryPath("fallback-\(dictionary).parquet")
            try ParquetFileWriter.write([batch], to: path, options: options)
            Self.check(try ParquetFileReader(path: path).readAll(), equal: values, fields: fields)
        }
    }

    @Test func emptyAndAllNull() throws {
        let fields = [Field("a", .int32), Field("b", .string)]
        let path = Self.temporaryPath("empty.parquet")
        try ParquetFileWriter.write([], to: path, schema: Schema(fields))
        let reader = try ParquetFileReader(path: path)
        #expect(reader.metadata.numRows == 0)
        #expect(try reader.readAll().isEmpty)
        #expect(reader.arrowSchema.fields.map(\.dataType) == [.int32, .string])

        let nulls = try RecordBatch(schema: Schema(fields), columns: [Column.nulls(.int32, count: 100), Column.nulls(.string, count: 100)])
        let path2 = Self.temporaryPath("nulls.parquet")
        try ParquetFileWriter.write([nulls], to: path2)
        let back = try ParquetFileReader(path: path2).readAll()
        #expect(back.count == 1 && back[0].columns[0].nullCount == 100 && back[0].columns[1].nullCount == 100)
    }

    @Test func projectionAndStatisticsSkipping() throws {
        let schema = Schema([Field("id", .int64, isNullable: false), Field("st", .struct([Field("x", .int32), Field("y", .string)]))])
        var batches: [RecordBatch] = []
        for g in 0..<4 {
            let ids = (0..<100).map { Scalar.int(Int64(g * 100 + $0)) }
            let st = (0..<100).map { i in Scalar.structure([.int(Int64(i)), .string("v\(i)")]) }
            batches.append(try RecordBatch(schema: schema, columns: [try Column(ids, type: .int64), try Column(st, type: schema.fields[1].dataType)]))
        }
        var options = ParquetWriteOptions()
        options.rowGroupSize = 100
        let path = Self.temporaryPath("skip.parquet")
        try ParquetFileWriter.write(batches, to: path, options: options)
        let reader = try ParquetFileReader(path: path)
        let stats = reader.metadata.rowGroups[2].columns[0].statistics
        #expect(stats?.min == .int(200) && stats?.max == .int(299) && stats?.nullCount == 0)
        let it = try reader.batches(where: .comparison(column: "id", op: .greaterOrEqual, value: .int(250)))
        #expect(it.rowGroups == [2, 3])
        let projected = try reader.readRowGroup(1, columns: ["st.y", "id"])
        #expect(projected.schema.fields.map(\.name) == ["st.y", "id"])
        #expect(projected.columns[0].scalar(at: 5) == .string("v5"))
        #expect(projected.columns[1].scalar(at: 5) == .int(105))
        #expect(throws: ParquetError.self) { try reader.readRowGroup(0, columns: ["nope"]) }
    }

    @Test func hugeStrings() throws {
        let big = String(repeating: "x", count: 3_000_000)
        let schema = Schema([Field("s", .string)])
        let batch = try RecordBatch(schema: schema, columns: [try Column([.string(big), .null, .string("small")], type: .string)])
        let path = Self.temporaryPath("huge.parquet")
        try ParquetFileWriter.write([batch], to: path)
        let back = try ParquetFileReader(path: path).readAll()
        #expect(back[0].columns[0].scalar(at: 0) == .string(big))
        #expect(back[0].columns[0].scalar(at: 2) == .string("small"))
    }

    @Test func nonNullableViolationThrows() throws {
        let schema = Schema([Field("a", .int32, isNullable: false)])
        let bad = try RecordBatch(schema: schema, columns: [try Column([.int(1), .null], type: .int32)])
        let path = Self.temporaryPath("bad.parquet")
        #expect(throws: ParquetError.self) { try ParquetFileWriter.write([bad], to: path) }
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}

@Suite struct InMemoryWriterTests {
    @Test func encodeThenReadFromMemory() throws {
        let schema = Schema([Field("a", .int64), Field("s", .string)])
        let batch = try RecordBatch(schema: schema, columns: [try Column([.int(1), .null], type: .int64), try Column([.string("x"), .string("y")], type: .string)])
        let bytes = try ParquetFileWriter.encode([batch])
        let reader = try ParquetFileReader(source: MemoryByteSource(bytes), label: "memory")
        let back = try reader.readAll()
        #expect(back[0].columns[1].scalar(at: 1) == .string("y"))
        #expect(back[0].columns[0].isNull(at: 1))
    }
}
