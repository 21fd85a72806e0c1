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
            result.setText(timestampText(values?.value(at: row, as: Int64.self) ?? 0, unit: unit, utc: zone != nil))
        case .list, .struct, .map:
            var text = ""
            appendJSON(column.scalar(at: row), column.dataType, to: &text)
            result.setText(text)
        }
    }

    /// The nearest double to a decimal's value.
    static func double(_ unscaled: Int128, scale: Int) -> Double {
        if unscaled.magnitude < (1 << 53), (0...22).contains(scale) {
            // Both operands are exact doubles, so the quotient is correctly rounded.
            return Double(unscaled) / pow(10, Double(scale))
        }
        return Double(decimalText(unscaled, scale: scale)) ?? Double(unscaled) / pow(10, Double(scale))
    }

    /// A decimal's text with exactly `scale` fraction digits.
    static func decimalText(_ v: Int128, scale: Int) -> String {
        let negative = v < 0
        var digits = String(v.magnitude)
        if scale > 0 {
            if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
        }
        return (negative ? "-" : "") + digits
    }

    /// `YYYY-MM-DDTHH:MM:SS.ffffff` (+ `Z` when `utc`), microsecond precision (nanoseconds
    /// truncated towards the past).
    static func timestampText(_ ticks: Int64, unit: TimeUnit, utc: Bool) -> String {
        let micros: Int64
        switch unit {
        case .second: micros = ticks.multipliedReportingOverflow(by: 1_000_000).overflow ? (ticks < 0 ? .min : .max) : ticks * 1_000_000
        case .millisecond: micros = ticks.multipliedReportingOverflow(by: 1_000).overflow ? (ticks < 0 ? .min : .max) : ticks * 1_000
        case .microsecond: micros = ticks
        case .nanosecond: micros = ticks >= 0 ? ticks / 1_000 : -((-(ticks + 1)) / 1_000) - 1
        }
        return Temporal.formatTimestamp(micros: micros, utc: utc)
    }

    /// Appends the JSON text of `value` (of `type`) in the ndjson encoding.
    static func appendJSON(_ value: Scalar, _ type: DataType, to out: inout String) {
        switch (value, type) {
        case (.null, _): out += "null"
        case (.bool(let b), _): out += b ? "true" : "false"
        case (.int(let v), .date32): out += "\"" + Temporal.formatDate(days: v) + "\""
        case (.int(let v), .timestamp(let unit, let zone)): out += "\"" + timestampText(v, unit: unit, utc: zone != nil) + "\""
        case (.int(let v), _): out += String(v)
        case (.uint(let v), _): out += String(v)
        case (.float(let d), _):
            if d.isNaN { out += "\"NaN\"" } else if d.isInfinite { out += d > 0 ? "\"Infinity\"" : "\"-Infinity\"" }
            else if case .float32 = type { out += "\(Float(d))" } else { out += "\(d)" }
        case (.decimal(let v), .decimal(_, let scale)): out += "\"" + decimalText(v, scale: scale) + "\""
        case (.decimal(let v), _): out += String(v)
        case (.string(let s), _): appendString(s, to: &out)
        case (.binary(let b), _): out += "\"" + Data(b).base64EncodedString() + "\""
        case (.list(let items), .list(let element)):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                appendJSON(item, element.dataType, to: &out)
            }
            out += "]"
        case (.map(let entries), .map(let entry, _)):
            let kv: [Field] = { if case .struct(let fields) = entry.dataType { return fields }; return [] }()
            out += "["
            for (i, e) in entries.enumerated() {
                if i > 0 { out += "," }
                out += "["
                appendJSON(e.key, kv.first?.dataType ?? .null, to: &out)
                out += ","
                appendJSON(e.value, kv.count > 1 ? kv[1].dataType : .null, to: &out)
                out += "]"
            }
            out += "]"
        case (.structure(let items), .struct(let fields)):
            out += "{"
            for (i, (item, f)) in zip(items, fields).enumerated() {
                if i > 0 { out += "," }
                appendString(f.name, to: &out)
                out += ":"
                appendJSON(item, f.dataType, to: &out)
            }
            out += "}"
        default:
            out += "null"
        }
    }

    /// Appends a JSON string literal.
    static func appendString(_ s: String, to out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        out += "\""
    }
}
