import Foundation
import FloeColumnar
@testable import Floe

/// Writes Floe's values in the JSON value encoding of `Tests/Interop/README.md` (the contract
/// `make_parquet_fixtures.py` uses for pyarrow's values), so a Python script can compare them with
/// what pyarrow/deltalake read: integers as numbers (strings beyond 2^53), floats as numbers or
/// "NaN"/"Infinity"/"-Infinity", decimals with exactly `scale` fraction digits, binary as base64,
/// dates as `YYYY-MM-DD`, timestamps with 9 fraction digits (`Z` when zoned), structs as objects,
/// lists as arrays, maps as arrays of `[key, value]`.
struct GoldenValueJSON {
    var bytes: [UInt8] = []

    mutating func append(_ text: String) { bytes.append(contentsOf: text.utf8) }

    mutating func string(_ s: String) {
        bytes.append(0x22)
        for b in s.utf8 {
            switch b {
            case 0x22: bytes.append(contentsOf: [0x5C, 0x22])
            case 0x5C: bytes.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: bytes.append(contentsOf: [0x5C, 0x6E])
            case 0x0D: bytes.append(contentsOf: [0x5C, 0x72])
            case 0x09: bytes.append(contentsOf: [0x5C, 0x74])
            case 0..<0x20:
                append(String(format: "\\u%04x", Int(b)))
            default: bytes.append(b)
            }
        }
        bytes.append(0x22)
    }

    /// The value at `row` of `column`: flat integer and string columns straight from their
    /// buffers (the golden corpus has a table of a million such rows), others through ``Scalar``.
    mutating func cell(_ column: Column, _ row: Int) {
        if column.isNull(at: row) { append("null"); return }
        switch column.dataType {
        case .int32: integer(Int64(column.buffers[0].value(at: row, as: Int32.self)))
        case .int64: integer(column.buffers[0].value(at: row, as: Int64.self))
        case .string:
            let r = column.offsetRange(at: row)
            column.buffers[1].withUnsafeBytes { raw in
                let slice = raw[r]
                if slice.allSatisfy({ $0 >= 0x20 && $0 != 0x22 && $0 != 0x5C }) {
                    bytes.append(0x22)
                    bytes.append(contentsOf: slice)
                    bytes.append(0x22)
                } else {
                    string(String(decoding: slice, as: UTF8.self))
                }
            }
        default: value(column.scalar(at: row), column.dataType)
        }
    }

    mutating func integer(_ i: Int64) {
        if i.magnitude > (1 << 53) { string(String(i)); return }
        if i >= 0 && i < 10 { bytes.append(0x30 + UInt8(i)); return }
        append(String(i))
    }

    mutating func value(_ v: Scalar, _ type: DataType) {
        if v.isNull { append("null"); return }
        switch (type, v) {
        case (.boolean, .bool(let b)): append(b ? "true" : "false")
        case (.date32, .int(let days)): string(Self.date(days))
        case (.timestamp(let unit, let tz), .int(let ticks)): string(Self.timestamp(ticks, unit: unit, zoned: tz != nil))
        case (_, .int(let i)):
            if i.magnitude > (1 << 53) { string(String(i)) } else { append(String(i)) }
        case (_, .uint(let u)):
            if u > (1 << 53) { string(String(u)) } else { append(String(u)) }
        case (_, .float(let d)):
            if d.isNaN { string("NaN") } else if d.isInfinite { string(d > 0 ? "Infinity" : "-Infinity") } else { append("\(d)") }
        case (.decimal(_, let scale), .decimal(let unscaled)): string(Self.decimal(unscaled, scale: scale))
        case (_, .string(let s)): string(s)
        case (_, .binary(let b)): string(Data(b).base64EncodedString())
        case (.list(let f), .list(let items)):
            bytes.append(0x5B)
            for (i, item) in items.enumerated() {
                if i > 0 { bytes.append(0x2C) }
                value(item, f.dataType)
            }
            bytes.append(0x5D)
        case (.struct(let fields), .structure(let values)):
            bytes.append(0x7B)
            for (i, (f, item)) in zip(fields, values).enumerated() {
                if i > 0 { bytes.append(0x2C) }
                string(f.name)
                bytes.append(0x3A)
                value(item, f.dataType)
            }
            bytes.append(0x7D)
        case (.map(let entries, _), .map(let pairs)):
            guard case .struct(let kv) = entries.dataType, kv.count == 2 else { append("null"); return }
            bytes.append(0x5B)
            for (i, pair) in pairs.enumerated() {
                if i > 0 { bytes.append(0x2C) }
                bytes.append(0x5B)
                value(pair.key, kv[0].dataType)
                bytes.append(0x2C)
                value(pair.value, kv[1].dataType)
                bytes.append(0x5D)
            }
            bytes.append(0x5D)
        default:
            string("<unencodable \(type)>")
        }
    }

    static func date(_ days: Int64) -> String {
        let (y, m, d) = Temporal.civil(days: days)
        let year = (0...9999).contains(y) ? pad(y, 4) : (y > 0 ? "+" : "-") + pad(abs(y), 6)
        return "\(year)-\(pad(m, 2))-\(pad(d, 2))"
    }

    static func timestamp(_ ticks: Int64, unit: TimeUnit, zoned: Bool) -> String {
        let nanosPerTick = 1_000_000_000 / unit.ticksPerSecond
        let nanos = Int128(ticks) * Int128(nanosPerTick)
        let perDay: Int128 = 86_400 * 1_000_000_000
        var days = nanos / perDay, rest = nanos % perDay
        if rest < 0 { days -= 1; rest += perDay }
        let seconds = Int64(rest / 1_000_000_000), fraction = Int64(rest % 1_000_000_000)
        let time = "\(pad(seconds / 3600, 2)):\(pad(seconds / 60 % 60, 2)):\(pad(seconds % 60, 2)).\(pad(fraction, 9))"
        return date(Int64(days)) + "T" + time + (zoned ? "Z" : "")
    }

    static func decimal(_ unscaled: Int128, scale: Int) -> String {
        let negative = unscaled < 0
        var digits = String(unscaled.magnitude)
        guard scale > 0 else { return (negative ? "-" : "") + digits }
        while digits.count <= scale { digits = "0" + digits }
        let split = digits.index(digits.endIndex, offsetBy: -scale)
        return (negative ? "-" : "") + digits[..<split] + "." + digits[split...]
    }

    static func pad(_ v: Int64, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
