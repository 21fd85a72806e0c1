import Foundation
import FloeColumnar
import FloeParquet

/// The Parquet benchmark: writes and reads N rows of (id int64, user_id int64, revenue double,
/// session string "s123456", ts timestamp[µs, UTC]) with Floe and, in the same run, with pyarrow.
enum ParquetBenchmark {
    static let schema = Schema([
        Field("id", .int64, isNullable: false),
        Field("user_id", .int64, isNullable: false),
        Field("revenue", .float64, isNullable: false),
        Field("session", .string, isNullable: false),
        Field("ts", .timestamp(.microsecond, timezone: "UTC"), isNullable: false),
    ])

    /// Deterministic data, in batches of `batchRows`; the same generator is mirrored in Python.
    static func makeBatches(rows: Int, batchRows: Int = 1_048_576) throws -> [RecordBatch] {
        var state: UInt64 = 0x5EED
        @inline(__always) func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        var batches: [RecordBatch] = []
        var start = 0
        let baseMicros: Int64 = 1_767_225_600_000_000 // 2026-01-01T00:00:00Z
        while start < rows {
            let n = min(batchRows, rows - start)
            let ids = BufferBuilder(capacity: n * 8), users = BufferBuilder(capacity: n * 8)
            let revenue = BufferBuilder(capacity: n * 8), ts = BufferBuilder(capacity: n * 8)
            let offsets = BufferBuilder(capacity: (n + 1) * 4), data = BufferBuilder(capacity: n * 7)
            offsets.append(Int32(0))
            for i in 0..<n {
                let row = start + i
                ids.append(Int64(row))
                users.append(Int64(next() % 100_000))
                revenue.append(Double(next() % 1_000_000) / 100)
                let session = 100_000 + Int(next() % 900_000)
                data.append(UInt8(ascii: "s"))
                var digits = session
                var buf: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0)
                withUnsafeMutableBytes(of: &buf) { b in
                    for k in stride(from: 5, through: 0, by: -1) { b[k] = UInt8(48 + digits % 10); digits /= 10 }
                    data.append(bytes: UnsafeRawBufferPointer(b))
                }
                offsets.append(Int32(data.count))
                ts.append(baseMicros + Int64(row) * 1_000)
            }
            let columns = [
                Column(dataType: .int64, count: n, buffers: [ids.finish()]),
                Column(dataType: .int64, count: n, buffers: [users.finish()]),
                Column(dataType: .float64, count: n, buffers: [revenue.finish()]),
                Column(dataType: .string, count: n, buffers: [offsets.finish(), data.finish()]),
                Column(dataType: .timestamp(.microsecond, timezone: "UTC"), count: n, buffers: [ts.finish()]),
            ]
            batches.append(try RecordBatch(schema: schema, columns: columns))
            start += n
        }
        return batches
    }
}
