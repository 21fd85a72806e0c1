import Foundation
import Testing
import FloeColumnar
@testable import FloeParquet

/// pyarrow reads the files Floe writes — every type, nested, nulls at every level, empty and all-null
/// files, every codec Floe writes, dictionary on/off/fallback, small pages, several row groups and
/// batches — with exactly the values Floe wrote, without warnings, and with column statistics
/// (null count, min, max per row group and leaf) that match the data.
@Suite("Interop: files Floe writes read by pyarrow",
       .enabled(if: InteropPython.isConfigured, InteropPython.unsetMessage),
       .enabled(if: InteropPython.isAvailable, InteropPython.noPyarrowMessage))
struct InteropWriteTests {
    struct Case: Sendable {
        var name: String
        var schema: Schema
        var batches: [RecordBatch]
        var options: ParquetWriteOptions
        /// The codec name pyarrow reports for every column chunk (pyarrow calls LZ4_RAW "LZ4", and
        /// the Hadoop-framed LZ4 "LZ4_HADOOP"; Floe's own metadata is checked for the Parquet name).
        var codec: String
        /// The Parquet codec name (Floe's metadata), when it differs from `codec`.
        var parquetCodec: String? = nil
        var rowGroups: Int
        var dictionary: Bool
    }

    static func options(_ compression: ParquetWriteOptions.Compression = .zstd(level: 1), rowGroupSize: Int = 200,
                        dataPageSize: Int = 512, dictionary: Bool = true) -> ParquetWriteOptions {
        var o = ParquetWriteOptions()
        o.compression = compression
        o.rowGroupSize = rowGroupSize
        o.dataPageSize = dataPageSize
        o.isDictionaryEnabled = dictionary
        o.isDurable = false
        return o
    }

    /// The cases, built once per test process.
    static let allCases: Result<[Case], ColumnarError> = {
        do { return .success(try cases()) } catch let e as ColumnarError { return .failure(e) } catch {
            return .failure(ColumnarError(.internalError, "\(error)"))
        }
    }()

    static func cases() throws -> [Case] {
        let fields = InteropWriteData.allFields
        let schema = Schema(fields)
        // 700 rows written as batches of 250, 1 and 449: row groups of 200 cut across batches.
        let parts = [try InteropWriteData.batch(fields, rows: 250, seed: 1), try InteropWriteData.batch(fields, rows: 1, seed: 2),
                     try InteropWriteData.batch(fields, rows: 449, seed: 3)]
        var cases: [Case] = []
        let codecs: [(ParquetWriteOptions.Compression, String)] = [
            (.zstd(level: 1), "ZSTD"), (.snappy, "SNAPPY"), (.gzip(level: 6), "GZIP"), (.lz4Raw, "LZ4_RAW"), (.uncompressed, "UNCOMPRESSED"),
        ]
        for (compression, name) in codecs {
            cases.append(Case(name: "all_types_\(name.lowercased())", schema: schema, batches: parts, options: options(compression),
                              codec: name == "LZ4_RAW" ? "LZ4" : name, parquetCodec: name, rowGroups: 4, dictionary: true))
        }
        cases.append(Case(name: "all_types_plain", schema: schema, batches: parts, options: options(dictionary: false),
                          codec: "ZSTD", rowGroups: 4, dictionary: false))
        cases.append(Case(name: "all_types_zstd_level9_big_pages", schema: schema, batches: parts,
                          options: options(.zstd(level: 9), rowGroupSize: 1_000_000, dataPageSize: 1 << 20),
                          codec: "ZSTD", rowGroups: 1, dictionary: true))
        var v2 = options(.snappy)
        v2.usesDataPageV2 = true
        cases.append(Case(name: "all_types_data_page_v2_option", schema: schema, batches: parts, options: v2,
                          codec: "SNAPPY", rowGroups: 4, dictionary: true))

        // High-cardinality values overflowing a small dictionary: dictionary pages, then PLAIN.
        let fallbackFields = [Field("string", .string), Field("int64", .int64), Field("float64", .float64), Field("binary", .binary),
                              Field("list_string", InteropWriteData.list(.string))]
        var fallback = options(.snappy, rowGroupSize: 2_500, dataPageSize: 1024)
        fallback.dictionaryPageSizeLimit = 1024
        cases.append(Case(name: "dictionary_fallback", schema: Schema(fallbackFields),
                          batches: [try InteropWriteData.batch(fallbackFields, rows: 5_000, seed: 4)], options: fallback,
                          codec: "SNAPPY", rowGroups: 2, dictionary: true))

        // Many small pages in big row groups (booleans and nested columns over many pages, batches
        // larger than the writer's 16384-entry slices), encoded on two threads.
        let pageFields = [Field("bool", .boolean), Field("int32", .int32), Field("string", .string),
                          Field("list_int64", InteropWriteData.list(.int64)), Field("map", InteropWriteData.mapType(.string, .int64)),
                          Field("list_struct", InteropWriteData.nestedFields[2].dataType),
                          Field("required_list", InteropWriteData.list(.boolean), isNullable: false)]
        var manyPages = options(.lz4Raw, rowGroupSize: 5_000, dataPageSize: 64)
        manyPages.parallelism = 2
        cases.append(Case(name: "many_pages", schema: Schema(pageFields),
                          batches: [try InteropWriteData.batch(pageFields, rows: 6_000, seed: 6), try InteropWriteData.batch(pageFields, rows: 1_000, seed: 7)],
                          options: manyPages, codec: "LZ4", parquetCodec: "LZ4_RAW", rowGroups: 2, dictionary: true))

        // Default pages and row groups; a batch of more than 16384 entries per list leaf (the writer
        // cuts pages between slices of 16384 entries, extended to record boundaries).
        var defaults = ParquetWriteOptions()
        defaults.isDurable = false
        let listFields = pageFields.filter { $0.dataType.isNested }
        cases.append(Case(name: "big_batch_default_options", schema: Schema(listFields),
                          batches: [try InteropWriteData.batch(listFields, rows: 12_000, seed: 10)],
                          options: defaults, codec: "ZSTD", rowGroups: 1, dictionary: true))

        // Field ids at every level, names with spaces and non-ASCII letters, footer metadata.
        func id(_ f: Field, _ n: Int32) -> Field { var f = f; f.fieldID = n; return f }
        let idFields = [
            id(Field("id", .int64, isNullable: false), 1),
            id(Field("naïve name", .string), 2),
            id(Field("日本", .struct([id(Field("x", .float64), 4), Field("no id", .int32)])), 3),
            id(Field("tags", .list(id(Field("element", .string), 6))), 5),
            id(Field("attributes", .map(Field("key_value", .struct([id(Field("key", .string, isNullable: false), 8),
                                                                     id(Field("value", .int32), 9)]), isNullable: false),
                                        keysSorted: false)), 7),
        ]
        var idOptions = options()
        idOptions.keyValueMetadata = ["floe.test": "field ids", "ünïcödé": "✓"]
        cases.append(Case(name: "field_ids_and_names", schema: Schema(idFields), batches: [try InteropWriteData.batch(idFields, rows: 500, seed: 8)],
                          options: idOptions, codec: "ZSTD", rowGroups: 3, dictionary: true))

        // The null type inside nested columns.
        let nullFields = [Field("list_null", InteropWriteData.list(.null)), Field("struct_null", .struct([Field("n", .null), Field("i", .int32)])),
                          Field("map_null", InteropWriteData.mapType(.string, .null))]
        cases.append(Case(name: "null_type_nested", schema: Schema(nullFields), batches: [try InteropWriteData.batch(nullFields, rows: 300, seed: 9)],
                          options: options(), codec: "ZSTD", rowGroups: 2, dictionary: true))

        // No rows at all, and a zero-row batch.
        cases.append(Case(name: "empty", schema: schema, batches: [], options: options(), codec: "ZSTD", rowGroups: 0, dictionary: true))
        cases.append(Case(name: "zero_row_batch", schema: schema, batches: [try InteropWriteData.batch(fields, rows: 0, seed: 5)],
                          options: options(), codec: "ZSTD", rowGroups: 0, dictionary: true))

        // Every value null (every nullable field), over several row groups.
        let nullable = InteropWriteData.flatFields + InteropWriteData.nestedFields
        cases.append(Case(name: "all_null", schema: Schema(nullable), batches: [try InteropWriteData.allNull(nullable, rows: 250)],
                          options: options(rowGroupSize: 100), codec: "ZSTD", rowGroups: 3, dictionary: true))

        // Long values: bounds longer than the 4096-byte statistics limit are left out.
        let long = [Field("long_string", .string), Field("long_binary", .binary)]
        let big = String(repeating: "ß", count: 3_000) // 6000 bytes
        let longBatch = try RecordBatch(schema: Schema(long), columns: [
            try Column([.string(big), .null, .string("short"), .string(String(repeating: "x", count: 200_000))], type: .string),
            try Column([.binary([1, 2]), .binary(Array(repeating: 7, count: 5_000)), .null, .binary([])], type: .binary),
        ])
        cases.append(Case(name: "long_values", schema: Schema(long), batches: [longBatch], options: options(),
                          codec: "ZSTD", rowGroups: 1, dictionary: true))

        // Statistics edge cases: only NaN, only zeros of both signs, unsigned values above the signed range.
        let edge = [Field("nan_only", .float64), Field("zeros", .float32), Field("negative_zero", .float64),
                    Field("big_uint64", .uint64), Field("big_uint32", .uint32), Field("strings", .string)]
        let edgeBatch = try RecordBatch(schema: Schema(edge), columns: [
            try Column([.float(.nan), .null, .float(.nan)], type: .float64),
            try Column([.float(0.0), .float(-0.0), .null], type: .float32),
            try Column([.float(-0.0), .float(-0.0), .float(-0.0)], type: .float64),
            try Column([.uint(.max), .uint(1 << 63), .uint(5)], type: .uint64),
            try Column([.uint(UInt64(UInt32.max)), .uint(1 << 31), .uint(5)], type: .uint32),
            try Column([.string("b"), .string("ab"), .string("\u{10FFFF}")], type: .string),
        ])
        cases.append(Case(name: "statistics_edges", schema: Schema(edge), batches: [edgeBatch], options: options(),
                          codec: "ZSTD", rowGroups: 1, dictionary: true))

        // Decimals of every precision 1...38, as INT32/INT64/FLBA (the default) and all as
        // FIXED_LEN_BYTE_ARRAY (every byte width 1...16): the extremes, small negatives, nulls.
        let decimalFields = (1...38).map { p in Field("decimal_\(p)_\(p / 3)", .decimal(precision: p, scale: p / 3)) }
        var generator = SystemRandomNumberGenerator()
        let decimalColumns = try decimalFields.map { field -> Column in
            guard case .decimal(let p, _) = field.dataType else { return Column.nulls(field.dataType, count: 0) }
            var top: Int128 = 1
            for _ in 0..<p { top *= 10 }
            top -= 1
            var values: [Scalar] = [.decimal(top), .decimal(-top), .decimal(0), .decimal(1), .decimal(-1), .null,
                                    .decimal(-min(top, 89_963)), .decimal(min(top, 89_963))]
            for i in 0..<250 {
                values.append(i % 9 == 0 ? .null : .decimal(Int128(Int64.random(in: -999_999_999_999_999...999_999_999_999_999, using: &generator)) % (top + 1)))
            }
            return try Column(values, type: field.dataType)
        }
        let decimalBatch = try RecordBatch(schema: Schema(decimalFields), columns: decimalColumns)
        cases.append(Case(name: "decimals_every_precision", schema: Schema(decimalFields), batches: [decimalBatch],
                          options: options(rowGroupSize: 100), codec: "ZSTD", rowGroups: 3, dictionary: true))
        var flba = options(rowGroupSize: 100)
        flba.storesDecimalsAsIntegers = false
        cases.append(Case(name: "decimals_every_precision_flba", schema: Schema(decimalFields), batches: [decimalBatch],
                          options: flba, codec: "ZSTD", rowGroups: 3, dictionary: false))  // Floe dictionary-encodes no FLBA column
        return cases
    }

    @Test func pyarrowReadsWhatFloeWrites() throws {
        let cases = try Self.allCases.get()
        let dir = try InteropPython.scratchDirectory("written")
        var files: [String] = []
        for c in cases {
            let path = dir.appendingPathComponent(c.name + ".parquet").path
            let writer = try ParquetFileWriter(path: path, schema: c.schema, options: c.options)
            for b in c.batches { try writer.write(b) }
            try writer.close()
            files.append(path)
        }
        var compared = 0
        try InteropPython.dumpMany(files, check: true, scratch: "written-dumps") { i, dump in
            let c = cases[i]
            let document: JSONValue
            switch dump.document {
            case .success(let d): document = d
            case .failure(let error):
                Issue.record("\(c.name): pyarrow cannot read it: \(error)")
                return
            }
            let problems = Self.problems(c, document: document, file: dump.file)
            if !problems.isEmpty { Issue.record("\(c.name):\n\(problems.joined(separator: "\n"))") }
            compared += 1
        }
        #expect(compared == cases.count)
    }

    static func problems(_ c: Case, document: JSONValue, file: String) -> [String] {
        var problems: [String] = []
        let warnings = document["checks"]?["warnings"]?.arrayValue ?? []
        problems += warnings.map { "pyarrow warned: \($0.stringValue ?? "\($0)")" }
        let statistics = document["checks"]?["statistics"]?.arrayValue ?? []
        problems += statistics.map { "statistics: \($0.stringValue ?? "\($0)")" }

        let fields = document["schema"]?.arrayValue?.map(PyarrowField.init) ?? []
        problems += InteropComparer.schemaDifferences(c.schema, fields)
        let rows = document["rows"]?.arrayValue ?? []
        if let d = InteropComparer.firstDifference(expected: rows, batches: c.batches, pyarrow: fields) {
            problems.append("values: \(d)")
        }

        let parquet = document["parquet"]
        let groups = parquet?["num_row_groups"]?.intValue ?? -1
        if groups != c.rowGroups { problems.append("\(groups) row groups, expected \(c.rowGroups)") }
        let columns = parquet?["columns"]?.arrayValue ?? []
        var dictionaryEncoded = 0
        for column in columns where groups > 0 {
            let path = column["path"]?.stringValue ?? "?"
            let codecs = column["compression"]?.arrayValue?.compactMap(\.stringValue) ?? []
            if codecs != [c.codec] { problems.append("column \(path): compression \(codecs), expected [\(c.codec)]") }
            let encodings = column["encodings"]?.arrayValue?.compactMap(\.stringValue) ?? []
            if encodings.contains("RLE_DICTIONARY") || encodings.contains("PLAIN_DICTIONARY") { dictionaryEncoded += 1 }
        }
        if !c.dictionary && dictionaryEncoded > 0 { problems.append("\(dictionaryEncoded) columns are dictionary-encoded with dictionaries off") }
        if c.dictionary && groups > 0 && columns.count > 2 && dictionaryEncoded == 0 { problems.append("no column is dictionary-encoded") }

        // Floe reads its own file as pyarrow does (types as the Parquet schema gives them).
        do {
            let reader = try ParquetFileReader(path: file)
            let codecs = Set(reader.metadata.rowGroups.flatMap { $0.columns.map(\.codec) })
            if groups > 0 && codecs != [c.parquetCodec ?? c.codec] { problems.append("Floe's metadata names codecs \(codecs.sorted())") }
            problems += try InteropCheck.differences(file: file, document: document).map { "Floe reading it back: \($0)" }
        } catch {
            problems.append("Floe cannot read it back: \(error)")
        }
        return problems
    }

    /// The types of the pages of one column chunk, walking its page headers.
    static func pageTypes(_ reader: ParquetFileReader, rowGroup: Int, column: Int) throws -> [PageType] {
        let meta = try #require(reader.fileMetaData.rowGroups[rowGroup].columns[column].metaData)
        let start = Int(meta.dictionaryPageOffset ?? meta.dataPageOffset)
        let bytes = try reader.source.read(offset: start, count: Int(meta.totalCompressedSize))
        var types: [PageType] = []
        var position = 0
        while position < bytes.count {
            let (header, length) = try PageHeader.decode(from: bytes, at: position)
            types.append(header.type)
            position += length + Int(header.compressedPageSize)
        }
        return types
    }

    /// The small-page cases really have many pages per column chunk (booleans and lists included).
    @Test func smallPagesAreSmall() throws {
        let all = try Self.allCases.get()
        let c = try #require(all.first { $0.name == "many_pages" })
        let path = try InteropPython.scratchDirectory("pages").appendingPathComponent("many_pages.parquet").path
        let writer = try ParquetFileWriter(path: path, schema: c.schema, options: c.options)
        for b in c.batches { try writer.write(b) }
        try writer.close()
        let reader = try ParquetFileReader(path: path)
        for (j, column) in reader.schema.columns.enumerated() {
            let pages = try Self.pageTypes(reader, rowGroup: 0, column: j).filter { $0 == .dataPage || $0 == .dataPageV2 }
            #expect(pages.count >= 10, "column \(column.dottedPath): \(pages.count) data pages")
        }
    }

    /// `ParquetWriteOptions.usesDataPageV2` asks for DATA_PAGE_V2 pages.
    @Test func dataPageV2OptionWritesV2Pages() throws {
        var options = Self.options()
        options.usesDataPageV2 = true
        let fields = [Field("a", .int64), Field("b", .string)]
        let path = try InteropPython.scratchDirectory("v2").appendingPathComponent("v2.parquet").path
        try ParquetFileWriter.write([try InteropWriteData.batch(fields, rows: 100, seed: 9)], to: path, options: options)
        let reader = try ParquetFileReader(path: path)
        for (j, column) in reader.schema.columns.enumerated() {
            let pages = try Self.pageTypes(reader, rowGroup: 0, column: j).filter { $0 != .dictionaryPage }
            withKnownIssue("ParquetWriteOptions.usesDataPageV2 is ignored: ColumnChunkWriter always writes DATA_PAGE (v1)") {
                #expect(pages.allSatisfy { $0 == .dataPageV2 }, "column \(column.dottedPath): pages \(pages)")
            }
        }
    }
}
