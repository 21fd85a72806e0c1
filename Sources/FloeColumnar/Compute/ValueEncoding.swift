import Foundation

/// The text encodings of values used by the CLI, SQL results and statistics (Spec/CLI.md,
/// "Value encoding"): one implementation for every output.
///
/// ndjson: integers as numbers; floats as numbers with NaN/±inf as strings; decimals as strings
/// with their scale; binary as base64; dates `YYYY-MM-DD`; timestamps
/// `YYYY-MM-DDTHH:MM:SS.ffffffZ` (UTC, 6 digits; no `Z` for timestamp_ntz); structs as objects;
/// arrays as arrays; maps as arrays of `[key, value]`; null as null.
public enum ValueEncoding {
    /// JSON text of one value.
    public static func json(_ value: Scalar, _ type: DataType) -> String {
        var out = ""
        appendJSON(value, type, to: &out)
        return out
    }

    public static func appendJSON(_ value: Scalar, _ type: DataType, to out: inout String) {
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
    public static func appendString(_ s: String, to out: inout String) {
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
    public static func text(_ value: Scalar, _ type: DataType) -> String {
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

    public static func decimal(_ v: Int128, scale: Int) -> String {
        let negative = v < 0
        var digits = String(negative ? (0 - v).magnitude : v.magnitude)
        if scale > 0 {
            if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
        }
        return (negative ? "-" : "") + digits
    }

    /// Days since the epoch as `YYYY-MM-DD` (proleptic Gregorian).
    public static func date(_ days: Int64) -> String { Temporal.formatDate(days: days) }

    /// `YYYY-MM-DDTHH:MM:SS.ffffff` (+ `Z` when `utc`) at microsecond precision; finer ticks are
    /// truncated towards the past, coarser ones that overflow microseconds saturate.
    public static func timestamp(_ ticks: Int64, _ unit: TimeUnit, utc: Bool) -> String {
        let micros: Int64
        switch unit {
        case .second: micros = ticks.multipliedReportingOverflow(by: 1_000_000).overflow ? (ticks < 0 ? .min : .max) : ticks * 1_000_000
        case .millisecond: micros = ticks.multipliedReportingOverflow(by: 1_000).overflow ? (ticks < 0 ? .min : .max) : ticks * 1_000
        case .microsecond: micros = ticks
        case .nanosecond: micros = ticks >= 0 ? ticks / 1_000 : -((-(ticks + 1)) / 1_000) - 1
        }
        return Temporal.formatTimestamp(micros: micros, utc: utc)
    }
}
