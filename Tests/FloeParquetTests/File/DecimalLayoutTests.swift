import Foundation
import Testing
import FloeColumnar
@testable import FloeParquet

/// Decimals in every physical layout read back as written: INT32 and INT64 (little-endian) and
/// FIXED_LEN_BYTE_ARRAY of every width 1...16 (big-endian two's complement), including FLBA(4),
/// which once was read as a little-endian INT32.
@Suite struct DecimalLayoutTests {
    /// Precision 1...38, scale p / 3, with the extremes ±(10^p - 1), 0, ±1, -899.63-like values and nulls.
    static func batch() throws -> RecordBatch {
        let fields = (1...38).map { p in Field("d\(p)", .decimal(precision: p, scale: p / 3)) }
        let columns = try fields.map { field -> Column in
            guard case .decimal(let p, _) = field.dataType else { return Column.nulls(field.dataType, count: 0) }
            var top: Int128 = 1
            for _ in 0..<p { top *= 10 }
            top -= 1
            let values: [Scalar] = [.decimal(top), .decimal(-top), .decimal(0), .decimal(1), .decimal(-1), .null,
                                    .decimal(-min(top, 89_963)), .decimal(min(top, 123_456_789)), .decimal(-(top / 7))]
            return try Column(values, type: field.dataType)
        }
        return try RecordBatch(schema: Schema(fields), columns: columns)
    }

    @Test(arguments: [true, false])
    func everyDecimalLayoutRoundTrips(asIntegers: Bool) throws {
        let batch = try Self.batch()
        var options = ParquetWriteOptions()
        options.storesDecimalsAsIntegers = asIntegers
        options.isDurable = false
        for dictionary in [true, false] {
            options.isDictionaryEnabled = dictionary
            let writer = try ParquetFileWriter(inMemorySchema: batch.schema, options: options)
            try writer.write(batch)
            let reader = try ParquetFileReader(source: MemoryByteSource(try writer.finishInMemory()), label: "memory")
            let leaves = reader.schema.root.children
            if asIntegers {
                #expect(leaves.prefix(9).allSatisfy { $0.physicalType == .int32 })
                #expect(leaves.dropFirst(9).prefix(9).allSatisfy { $0.physicalType == .int64 })
            } else {
                #expect(leaves.allSatisfy { $0.physicalType == .fixedLenByteArray })
                #expect(Set(leaves.map(\.typeLength)) == Set(1...16))
                #expect(leaves[6].typeLength == 4 && leaves[8].typeLength == 4, "precision 7 and 9 are FLBA(4)")
            }
            let back = try reader.readAll()
            #expect(back.count == 1)
            for (i, field) in batch.schema.fields.enumerated() {
                let expected = (0..<batch.count).map { batch.columns[i].scalar(at: $0) }
                let actual = (0..<back[0].count).map { back[0].columns[i].scalar(at: $0) }
                #expect(actual == expected, "\(field.name) as \(leaves[i].physicalType.map { "\($0)" } ?? "?")(\(leaves[i].typeLength)), dictionary \(dictionary)")
            }
            // Column statistics decode in every layout too: min -(10^p - 1), max 10^p - 1.
            for (i, chunk) in reader.metadata.rowGroups[0].columns.enumerated() {
                #expect(chunk.statistics?.min == batch.columns[i].scalar(at: 1), "\(chunk.path) min")
                #expect(chunk.statistics?.max == batch.columns[i].scalar(at: 0), "\(chunk.path) max")
            }
        }
    }
}
