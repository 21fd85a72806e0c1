import Foundation
import FloeColumnar

/// How Floe column values become SQLite values (see ``FloeTableSource`` for the mapping), and the
/// JSON text of nested values: the CLI's ndjson value encoding (integers as numbers; floats as
/// numbers, NaN and ±infinity as the strings `"NaN"`, `"Infinity"`, `"-Infinity"`; decimals as
/// strings with their scale; binary as base64; dates and timestamps as their text; structs as
/// objects; arrays as arrays; maps as arrays of `[key, value]` pairs; null as `null`).
enum SQLiteEncoding {
    /// Writes row `row` of `column` to `result`.
    static func write(_ column: Column, row: Int, to result: ColumnResult) {
        if column.isNull(at: row) {
            result.setNull()
            return
        }
        let values = column.buffers.first
        switch column.dataType {
        case .null:
            result.setNull()
        case .boolean:
            result.setInteger(values?.bit(at: row) == true ? 1 : 0)
        case .int8: result.setInteger(Int64(values?.value(at: row, as: Int8.self) ?? 0))
        case .int16: result.setInteger(Int64(values?.value(at: row, as: Int16.self) ?? 0))
        case .int32: result.setInteger(Int64(values?.value(at: row, as: Int32.self) ?? 0))
        case .int64: result.setInteger(values?.value(at: row, as: Int64.self) ?? 0)
        case .uint8: result.setInteger(Int64(values?.value(at: row, as: UInt8.self) ?? 0))
        case .uint16: result.setInteger(Int64(values?.value(at: row, as: UInt16.self) ?? 0))
        case .uint32: result.setInteger(Int64(values?.value(at: row, as: UInt32.self) ?? 0))
        case .uint64:
            let v = values?.value(at: row, as: UInt64.self) ?? 0
            if let exact = Int64(exactly: v) { result.setInteger(exact) } else { result.setReal(Double(v)) }
        case .float16, .float32, .float64:
            if case .float(let d) = column.scalar(at: row) { result.setReal(d) } else { result.setNull() }
        case .decimal(_, let scale):
            result.setReal(double(values?.value(at: row, as: Int128.self) ?? 0, scale: scale))
        case .string:
            let range = column.offsetRange(at: row)
            column.buffers[1].withUnsafeBytes { result.setText(utf8: UnsafeRawBufferPointer(rebasing: $0[range])) }
        case .binary:
            let range = column.offsetRange(at: row)
            column.buffers[1].withUnsafeBytes { result.setBlob(UnsafeRawBufferPointer(rebasing: $0[range])) }
        case .fixedSizeBinary(let n):
            column.buffers[0].withUnsafeBytes { result.setBlob(UnsafeRawBufferPointer(rebasing: $0[(row * n)..<((row + 1) * n)])) }
        case .date32:
            result.setText(Temporal.formatDate(days: Int64(values?.value(at: row, as: Int32.self) ?? 0)))
        case .timestamp(let unit, let zone):
            result.setText(ValueEncoding.timestamp(values?.value(at: row, as: Int64.self) ?? 0, unit, utc: zone != nil))
        case .list, .struct, .map:
            var text = ""
            ValueEncoding.appendJSON(column.scalar(at: row), column.dataType, to: &text)
            result.setText(text)
        }
    }

    /// The nearest double to a decimal's value.
    static func double(_ unscaled: Int128, scale: Int) -> Double {
        if unscaled.magnitude < (1 << 53), (0...22).contains(scale) {
            // Both operands are exact doubles, so the quotient is correctly rounded.
            return Double(unscaled) / pow(10, Double(scale))
        }
        return Double(ValueEncoding.decimal(unscaled, scale: scale)) ?? Double(unscaled) / pow(10, Double(scale))
    }
}
