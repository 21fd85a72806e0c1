import Foundation
import FloeColumnar

/// Renders values in the CLI's output encodings (Spec/CLI.md, "Value encoding").
///
/// ndjson: integers as numbers; floats as numbers with NaN/±inf as strings; decimals as strings
/// with their scale; binary as base64; dates `YYYY-MM-DD`; timestamps
/// `YYYY-MM-DDTHH:MM:SS.ffffffZ` (UTC, 6 digits; no `Z` for timestamp_ntz); structs as objects;
/// arrays as arrays; maps as arrays of `[key, value]`; null as null.
enum ValueFormatter {
    /// JSON text of one value.
    static func json(_ value: Scalar, _ type: DataType) -> String {
        var out = ""
        appendJSON(value, type, to: &out)
        return out
    }

    static func appendJSON(_ value: Scalar, _ type: DataType, to out: inout String) {
        switch (value, type) {
        case (.null, _): out += "null"
        case (.bool(let b), _): out += b ? "true" : "false"
        case (.int(let v), .date32): out += "\"" + date(v) + "\""
        case (.int(let v), .timestamp(let unit, let tz)): out += "\"" + timestamp(v, unit, utc: tz != nil) + "\""
        case (.int(let v), _): out += String(v)
        case (.uint(let v), _): out += String(v)
        case (.float(let d), _):
            if d.isNaN { out += "\"NaN\"" }
            else if d.isInfinite { out += d > 0 ? "\"Infinity\"" : "\"-Infinity\"" }
            else if case .float32 = type { out += "\(Float(d))" }
            else { out += "\(d)" }
        case (.decimal(let v), .decimal(_, let scale)): out += "\"" + decimal(v, scale: scale) + "\""
        case (.decimal(let v), _): out += String(v)
        case (.string(let s), _): appendString(s, to: &out)
        case (.binary(let b), _): out += "\"" + Data(b).base64EncodedString() + "\""
        case (.list(let items), .list(let f)):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                appendJSON(item, f.dataType, to: &out)
            }
            out += "]"
        case (.map(let entries), .map(let f, _)):
            let kv: [Field] = { if case .struct(let fs) = f.dataType { return fs }; return [] }()
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

    /// A JSON string literal.
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
                if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        out += "\""
    }

    /// Plain text of one value for table and CSV output.
    static func text(_ value: Scalar, _ type: DataType) -> String {
        switch (value, type) {
        case (.null, _): return ""
        case (.string(let s), _): return s
        case (.int(let v), .date32): return date(v)
        case (.int(let v), .timestamp(let unit, let tz)): return timestamp(v, unit, utc: tz != nil)
        case (.decimal(let v), .decimal(_, let scale)): return decimal(v, scale: scale)
        case (.float(let d), _) where d.isNaN: return "NaN"
        case (.float(let d), _) where d.isInfinite: return d > 0 ? "Infinity" : "-Infinity"
        case (.float(let d), .float32): return "\(Float(d))"
        case (.float(let d), _): return "\(d)"
        case (.int(let v), _): return String(v)
        case (.uint(let v), _): return String(v)
        case (.bool(let b), _): return b ? "true" : "false"
        case (.binary(let b), _): return Data(b).base64EncodedString()
        default: return json(value, type)
        }
    }

    static func decimal(_ v: Int128, scale: Int) -> String {
        let negative = v < 0
        var digits = String(negative ? (0 - v).magnitude : v.magnitude)
        if scale > 0 {
            if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
        }
        return (negative ? "-" : "") + digits
    }

    /// Days since the epoch as `YYYY-MM-DD` (proleptic Gregorian).
    static func date(_ days: Int64) -> String {
        let (y, m, d) = civil(fromDays: days)
        return String(format: "%04d-%02d-%02d", y, m, d)
    }

    static func timestamp(_ ticks: Int64, _ unit: TimeUnit, utc: Bool) -> String {
        let perSecond = unit.ticksPerSecond
        var seconds = ticks / perSecond
        var fraction = ticks % perSecond
        if fraction < 0 { fraction += perSecond; seconds -= 1 }
        let micros: Int64
        switch unit {
        case .second: micros = 0
        case .millisecond: micros = fraction * 1_000
        case .microsecond: micros = fraction
        case .nanosecond: micros = fraction / 1_000
        }
        var days = seconds / 86_400
        var secondOfDay = seconds % 86_400
        if secondOfDay < 0 { secondOfDay += 86_400; days -= 1 }
        let (y, m, d) = civil(fromDays: days)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%06d", y, m, d,
                      Int(secondOfDay / 3600), Int(secondOfDay % 3600 / 60), Int(secondOfDay % 60), Int(micros)) + (utc ? "Z" : "")
    }

    /// Howard Hinnant's days-to-civil algorithm.
    static func civil(fromDays z0: Int64) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (Int(m <= 2 ? y + 1 : y), Int(m), Int(d))
    }
}
