import Foundation
import Testing
import FloeColumnar
import FloeParquet
@testable import Floe

/// What a write must refuse or get right whatever the data (issue 10): nothing outside the
/// table's types is written, nothing is silently dropped.
@Suite("Write: hostile data")
struct WriteHostileTests {
    static func table(_ ddl: String) throws -> (Table, String) {
        let dir = try Fixtures.scratchDirectory("write-hostile")
        let table = Table(path: dir)
        try table.create(schema: try StructType(ddl: ddl))
        return (table, dir)
    }

    static func message(_ body: () throws -> Void) -> (DeltaError.Code?, String) {
        do { try body(); return (nil, "no error") } catch let e as DeltaError { return (e.code, e.message) } catch { return (nil, "\(error)") }
    }

    static func binary(_ values: [[UInt8]?]) throws -> Column {
        try Column(values.map { $0.map(Scalar.binary) ?? .null }, type: .binary)
    }

    @Test("a binary column appended to a string column must hold UTF-8; valid bytes become strings")
    func binaryIntoString() throws {
        let (table, dir) = try Self.table("id long, s string")
        defer { Fixtures.remove(dir) }
        let schema = Schema([Field("id", .int64), Field("s", .binary)])
        let bad = try RecordBatch(schema: schema, columns: [
            try Column([.int(1), .int(2), .int(3)], type: .int64), try Self.binary([Array("ok".utf8), nil, [0x61, 0xFF, 0x62]]),
        ])
        let (code, text) = Self.message { try table.append([bad]) }
        #expect(code == .schemaMismatch)
        #expect(text.contains("column 's'") && text.contains("row 3") && text.contains("not valid UTF-8"), "\(text)")
        #expect(try table.snapshot().version == 0, "nothing was committed")

        let good = try RecordBatch(schema: schema, columns: [
            try Column([.int(1), .int(2)], type: .int64), try Self.binary([Array("héllo".utf8), nil]),
        ])
        try table.append([good])
        var batches = try table.scan().batches()
        let rows = try batches.collectRows()
        #expect(rows.map { $0[1] } == [.string("héllo"), .null])
    }

    @Test("string columns whose bytes are not UTF-8 are refused, top-level and nested", arguments: [
        [0xC0, 0x80] as [UInt8],        // overlong NUL
        [0xED, 0xA0, 0x80],             // UTF-16 surrogate D800
        [0xF4, 0x90, 0x80, 0x80],       // above U+10FFFF
        [0xE2, 0x82],                   // truncated
        [0x80],                         // lone continuation byte
    ])
    func invalidStringBytes(bytes: [UInt8]) throws {
        let (table, dir) = try Self.table("s string, tags array<string>")
        defer { Fixtures.remove(dir) }
        // Columns built around the UTF-8 promise: string type over arbitrary bytes.
        let strings = try Self.binary([Array("fine".utf8), bytes])
        let stringColumn = Column(dataType: .string, count: 2, buffers: strings.buffers)
        let empty = try Column([.list([]), .list([])], type: .list(Field("element", .string)))
        let batch = try RecordBatch(schema: Schema([Field("s", .string), Field("tags", .list(Field("element", .string)))]),
                                    columns: [stringColumn, empty])
        let (code, text) = Self.message { try table.append([batch]) }
        #expect(code == .invalidArgument)
        #expect(text.contains("column 's': row 2 of the write is not valid UTF-8"), "\(text)")

        let nested = Column(dataType: .list(Field("element", .string)), count: 2,
                            buffers: [Buffer(values: [Int32(0), 1, 2])], children: [stringColumn])
        let batch2 = try RecordBatch(schema: batch.schema, columns: [try Column([.string("a"), .string("b")], type: .string), nested])
        let (code2, text2) = Self.message { try table.append([batch2]) }
        #expect(code2 == .invalidArgument)
        #expect(text2.contains("column 'tags.element'") && text2.contains("not valid UTF-8"), "\(text2)")
        #expect(try table.snapshot().version == 0)
    }

    @Test("columns differing only in case are refused, not one silently dropped")
    func caseDuplicates() throws {
        let (table, dir) = try Self.table("id long")
        defer { Fixtures.remove(dir) }
        let schema = Schema([Field("ID", .int64), Field("id", .int64)])
        let batch = try RecordBatch(schema: schema, columns: [try Column([.int(1)], type: .int64), try Column([.int(2)], type: .int64)])
        for merge in [false, true] {
            var options = WriteOptions()
            options.mergesSchema = merge
            let (code, text) = Self.message { try table.append([batch], options: options) }
            #expect(code == .schemaMismatch)
            #expect(text.contains("'ID' and 'id'") && text.contains("differ only in case"), "\(text)")
        }
        #expect(try table.snapshot().version == 0)
    }

    @Test("struct fields are matched by name, not by position")
    func structFieldsByName() throws {
        let (table, dir) = try Self.table("p struct<x: int, y: int>")
        defer { Fixtures.remove(dir) }
        let swapped = DataType.struct([Field("y", .int32), Field("x", .int32)])
        let batch = try RecordBatch(schema: Schema([Field("p", swapped)]), columns: [
            try Column([.structure([.int(2), .int(1)])], type: swapped),
        ])
        try table.append([batch])
        var batches = try table.scan().batches()
        let rows = try batches.collectRows()
        #expect(rows == [[.structure([.int(1), .int(2)])]])
    }

    @Test("decimals with more digits than the column's precision are refused")
    func decimalBeyondPrecision() throws {
        let (table, dir) = try Self.table("d decimal(5,2)")
        defer { Fixtures.remove(dir) }
        // A hostile Parquet file's decimal(5,2) can store any 128-bit value.
        let column = Column(dataType: .decimal(precision: 5, scale: 2), count: 2, buffers: [Buffer(values: [Int128(99_999), Int128(100_000)])])
        let batch = try RecordBatch(schema: Schema([Field("d", .decimal(precision: 5, scale: 2))]), columns: [column])
        let (code, text) = Self.message { try table.append([batch]) }
        #expect(code == .invalidArgument)
        #expect(text.contains("column 'd': row 2 of the write has more digits than decimal(5,2)"), "\(text)")
    }

    @Test("casts never trap: decimal rescaling, dates to nanoseconds, Int64.min to coarser units")
    func castsNeverTrap() throws {
        let wide = Column(dataType: .decimal(precision: 38, scale: 0), count: 1, buffers: [Buffer(values: [try #require(Int128("1" + String(repeating: "0", count: 37)))])])
        #expect(throws: ColumnarError.self) { try wide.cast(to: .decimal(precision: 38, scale: 10)) }
        let days = try Column([.int(Int64(Int32.max))], type: .date32)
        #expect(throws: ColumnarError.self) { try days.cast(to: .timestamp(.nanosecond, timezone: nil)) }
        let min = try Column([.int(.min), .int(-1), .int(1_500)], type: .timestamp(.nanosecond, timezone: nil))
        let micros = try min.cast(to: .timestamp(.microsecond, timezone: nil))
        #expect((0..<3).map { micros.scalar(at: $0) } == [.int(Int64.min / 1000 - 1), .int(-1), .int(1)])
        // Int64.max · 10^30 does not fit 128 bits: refused, not trapped.
        #expect(throws: ColumnarError.self) { try Condition.coerce(.int(.max), to: .decimal(precision: 38, scale: 30), column: "d") }
        #expect(try Condition.coerce(.int(12), to: .decimal(precision: 38, scale: 30), column: "d") == .decimal(12 * (try #require(Int128("1" + String(repeating: "0", count: 30))))))
    }

    @Test("many small batches (a Parquet input's row groups) are coalesced into few files")
    func smallBatchesCoalesce() throws {
        let dir = try Fixtures.scratchDirectory("write-coalesce")
        defer { Fixtures.remove(dir) }
        let table = Table(path: dir)
        try table.create(schema: try StructType(ddl: "id long, k string"), partitionColumns: ["k"])
        let schema = Schema([Field("id", .int64), Field("k", .string)])
        let batches = try (0..<100).map { b in
            try RecordBatch(schema: schema, columns: [
                try Column((0..<10).map { .int(Int64(b * 10 + $0)) }, type: .int64),
                try Column((0..<10).map { .string($0 % 2 == 0 ? "even" : "odd") }, type: .string),
            ])
        }
        let result = try table.append(batches)
        #expect(result.filesAdded == 2, "one file per partition, not one per batch")
        #expect(try table.scan().files().count == 2)
        var batchesRead = try table.scan().batches()
        #expect(Set(try batchesRead.collectRows().map { $0[0] }) == Set((0..<1000).map { Scalar.int(Int64($0)) }))

        // The file limits still hold: rows per file, and the target size.
        var options = WriteOptions()
        options.maxRowsPerFile = 150
        #expect(try table.append(batches, options: options).filesAdded == 8)  // 500 rows per partition
        options = WriteOptions()
        options.targetFileSize = 1
        #expect(try table.append(Array(batches.prefix(3)), options: options).filesAdded == 6)
    }

    @Test("merging a schema deeper than the nesting limit is refused naming the column and the limit")
    func tooDeepMerge() throws {
        let (table, dir) = try Self.table("id long")
        defer { Fixtures.remove(dir) }
        var type = DataType.int64
        for _ in 0..<70 { type = .struct([Field("a", type)]) }
        let batch = try RecordBatch(schema: Schema([Field("id", .int64), Field("deep", type)]), columns: [
            try Column([.int(1)], type: .int64), Column.nulls(type, count: 1),
        ])
        var options = WriteOptions()
        options.mergesSchema = true
        let (code, text) = Self.message { try table.append([batch], options: options) }
        #expect(code == .invalidArgument)
        #expect(text == "column 'deep' would nest types 71 levels deep; the limit is 64 levels", "\(text)")
    }

    @Test("errors naming a row name its input line when the write has them")
    func rowErrorsNameInputLines() throws {
        let (table, dir) = try Self.table("id long not null")
        defer { Fixtures.remove(dir) }
        let batch = try RecordBatch(schema: Schema([Field("id", .int64)]), columns: [try Column([.int(1), .null], type: .int64)])
        var options = WriteOptions()
        options.inputLines = [3, 9]
        let (_, text) = Self.message { try table.append([batch], options: options) }
        #expect(text.contains("row 2 of the write (input line 9) is null"), "\(text)")
        let (_, plain) = Self.message { try table.append([batch]) }
        #expect(plain.contains("row 2 of the write is null"), "\(plain)")
    }
}

extension ScanBatches {
    /// Every row of the remaining batches.
    mutating func collectRows() throws -> [[Scalar]] {
        var rows: [[Scalar]] = []
        while let b = try next() { rows += (0..<b.count).map { r in b.columns.map { $0.scalar(at: r) } } }
        return rows
    }
}
