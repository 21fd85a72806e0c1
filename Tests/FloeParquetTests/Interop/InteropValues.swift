import Foundation
import FloeColumnar

/// One field of a JSON document's `schema` (pyarrow's view of a column), used to check Floe's
/// schema and to pick the value encoding where Floe's type legitimately differs from pyarrow's.
struct PyarrowField: Sendable {
    var name: String
    var type: String
    var nullable: Bool
    var fieldID: Int?
    var children: [PyarrowField]

    init(_ json: JSONValue) {
        name = json["name"]?.stringValue ?? ""
        type = json["type"]?.stringValue ?? ""
        nullable = json["nullable"]?.boolValue ?? true
        fieldID = json["field_id"]?.intValue
        children = json["children"]?.arrayValue?.map(PyarrowField.init) ?? []
    }

    /// The time unit of a pyarrow `time32[ms]` / `time64[us]` / `time64[ns]` type, nil for others.
    var timeUnit: TimeUnit? {
        guard type.hasPrefix("time32[") || type.hasPrefix("time64[") else { return nil }
        switch type.dropFirst(7).prefix { $0 != "]" } {
        case "s": return .second
        case "ms": return .millisecond
        case "us": return .microsecond
        case "ns": return .nanosecond
        default: return nil
        }
    }
}

/// Encodes Floe values exactly as the interop contract (Tests/Interop/README.md, "Value encoding")
/// encodes pyarrow's, so both can be compared as JSON.
///
/// Type mapping where Floe's Arrow type differs from pyarrow's by design (values compare alike):
/// - `large_string`/`large_binary`/`large_list`/`fixed_size_list` are read by Floe as
///   `string`/`binary`/`list`/`list` (same JSON).
/// - `time32[unit]`/`time64[unit]` are read by Floe as plain `int32`/`int64` ticks (Floe has no time
///   type); given pyarrow's field, the ticks are encoded as `"HH:MM:SS.fffffffff"` in that unit.
/// - `timestamp[s]` is stored (by pyarrow and Floe) as milliseconds, and INT96 is read by Floe as
///   `timestamp[ns]` where pyarrow restores the unit from its stored schema: timestamps always
///   encode with 9 fraction digits, so the unit does not matter.
/// - a pyarrow time zone other than UTC (`America/New_York`) is read by Floe as `UTC`: the value is
///   the UTC instant either way (`...Z`).
/// - `dictionary<values=T, ...>` (pyarrow restores dictionary columns from its stored schema) is
///   read by Floe as `T`; the JSON holds the decoded values either way.
enum InteropEncoder {
    static let maxExactInteger: Int64 = 1 << 53

    static func integer(_ v: Int64) -> JSONValue {
        (-maxExactInteger...maxExactInteger).contains(v) ? .number(String(v)) : .string(String(v))
    }

    static func unsigned(_ v: UInt64) -> JSONValue {
        v <= UInt64(maxExactInteger) ? .number(String(v)) : .string(String(v))
    }

    static func float(_ v: Double) -> JSONValue {
        if v.isNaN { return .string("NaN") }
        if v.isInfinite { return .string(v > 0 ? "Infinity" : "-Infinity") }
        return .number(v.description)
    }

    static func decimal(_ unscaled: Int128, scale: Int) -> String {
        let negative = unscaled < 0
        let magnitude = unscaled.magnitude
        var digits = String(magnitude)
        guard scale > 0 else { return (negative ? "-" : "") + digits }
        if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
        let split = digits.index(digits.endIndex, offsetBy: -scale)
        return (negative ? "-" : "") + digits[..<split] + "." + digits[split...]
    }

    /// (year, month, day) of the proleptic Gregorian date `days` after 1970-01-01.
    static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func padded(_ v: Int64, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    static func date(days: Int64) -> String {
        let (y, m, d) = civil(fromDays: days)
        let year = (0...9999).contains(y) ? padded(y, 4) : (y > 0 ? "+" : "-") + padded(abs(y), 6)
        return "\(year)-\(padded(m, 2))-\(padded(d, 2))"
    }

    static func timeOfDay(nanos: Int64) -> String {
        let (seconds, fraction) = nanos.quotientAndRemainder(dividingBy: 1_000_000_000)
        let (minutes, second) = seconds.quotientAndRemainder(dividingBy: 60)
        let (hour, minute) = minutes.quotientAndRemainder(dividingBy: 60)
        return "\(padded(hour, 2)):\(padded(minute, 2)):\(padded(second, 2)).\(padded(fraction, 9))"
    }

    static func nanosPerTick(_ unit: TimeUnit) -> Int64 { 1_000_000_000 / unit.ticksPerSecond }

    static func timestamp(ticks: Int64, unit: TimeUnit, hasZone: Bool) -> String {
        let nanos = Int128(ticks) * Int128(nanosPerTick(unit))
        let perDay = Int128(86_400_000_000_000)
        var days = nanos / perDay
        var rest = nanos % perDay
        if rest < 0 { days -= 1; rest += perDay }
        return date(days: Int64(days)) + "T" + timeOfDay(nanos: Int64(rest)) + (hasZone ? "Z" : "")
    }

    /// The JSON encoding of the value at `row` of `column`; `pyarrow` (pyarrow's field for this
    /// value, when known) selects the documented mappings.
    static func encode(_ column: Column, row: Int, pyarrow: PyarrowField? = nil) -> JSONValue {
        encode(column.scalar(at: row), type: column.dataType, pyarrow: pyarrow)
    }

    static func encode(_ value: Scalar, type: DataType, pyarrow: PyarrowField?) -> JSONValue {
        if case .null = value { return .null }
        switch (type, value) {
        case (.boolean, .bool(let b)): return .bool(b)
        case (.int32, .int(let v)), (.int64, .int(let v)):
            if let unit = pyarrow?.timeUnit { return .string(timeOfDay(nanos: v * nanosPerTick(unit))) }
            return integer(v)
        case (.int8, .int(let v)), (.int16, .int(let v)): return integer(v)
        case (_, .uint(let v)): return unsigned(v)
        case (_, .float(let v)): return float(v)
        case (.decimal(_, let scale), .decimal(let v)): return .string(decimal(v, scale: scale))
        case (.date32, .int(let v)): return .string(date(days: v))
        case (.timestamp(let unit, let zone), .int(let v)): return .string(timestamp(ticks: v, unit: unit, hasZone: zone != nil))
        case (_, .string(let s)): return .string(s)
        case (_, .binary(let b)): return .string(Data(b).base64EncodedString())
        case (.list(let element), .list(let items)):
            let child = pyarrow?.children.first
            return .array(items.map { encode($0, type: element.dataType, pyarrow: child) })
        case (.map(let entries, _), .map(let pairs)):
            guard case .struct(let kv) = entries.dataType, kv.count == 2 else { return .string("<malformed map>") }
            let keyField = pyarrow?.children.first
            let valueField = pyarrow.flatMap { $0.children.count > 1 ? $0.children[1] : nil }
            return .array(pairs.map {
                .array([encode($0.key, type: kv[0].dataType, pyarrow: keyField), encode($0.value, type: kv[1].dataType, pyarrow: valueField)])
            })
        case (.struct(let fields), .structure(let values)):
            var members: [JSONValue.Member] = []
            for (k, (f, v)) in zip(fields, values).enumerated() {
                let child = pyarrow.flatMap { k < $0.children.count ? $0.children[k] : nil }
                members.append(JSONValue.Member(key: f.name, value: encode(v, type: f.dataType, pyarrow: child)))
            }
            return .object(members)
        default:
            return .string("<no encoding for \(value) of type \(type)>")
        }
    }

    /// The JSON rows of `batches` (objects keyed by column name), as pyarrow's dump would list them.
    static func rows(_ batches: [RecordBatch], pyarrow: [PyarrowField]? = nil) -> [JSONValue] {
        var out: [JSONValue] = []
        for batch in batches {
            for row in 0..<batch.count {
                var members: [JSONValue.Member] = []
                for (k, (field, column)) in zip(batch.schema.fields, batch.columns).enumerated() {
                    let p = pyarrow.flatMap { k < $0.count ? $0[k] : nil }
                    members.append(JSONValue.Member(key: field.name, value: encode(column, row: row, pyarrow: p)))
                }
                out.append(.object(members))
            }
        }
        return out
    }
}

/// Compares JSON documents of the interop contract and describes the first difference.
enum InteropComparer {
    /// Whether two number literals denote the same value: equal text, or (for floats) the same
    /// Double including the sign of zero.
    static func numbersEqual(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        guard let x = Double(a), let y = Double(b) else { return false }
        let isFloat = { (s: String) in s.contains(".") || s.contains("e") || s.contains("E") }
        guard isFloat(a) || isFloat(b) else { return false }
        return x == y && x.sign == y.sign
    }

    /// The path (`[3].y`) and both values of the first difference between `expected` and `actual`.
    static func difference(_ expected: JSONValue, _ actual: JSONValue, path: String = "") -> String? {
        switch (expected, actual) {
        case (.null, .null): return nil
        case (.bool(let a), .bool(let b)) where a == b: return nil
        case (.number(let a), .number(let b)) where numbersEqual(a, b): return nil
        case (.string(let a), .string(let b)) where a == b: return nil
        case (.array(let a), .array(let b)):
            for (i, (x, y)) in zip(a, b).enumerated() {
                if let d = difference(x, y, path: path + "[\(i)]") { return d }
            }
            if a.count != b.count { return "\(path.isEmpty ? "value" : path): \(a.count) items expected, \(b.count) found: expected \(expected), got \(actual)" }
            return nil
        case (.object(let a), .object(let b)):
            if a.map(\.key) != b.map(\.key) {
                return "\(path.isEmpty ? "value" : path): fields \(a.map(\.key)) expected, found \(b.map(\.key))"
            }
            for (x, y) in zip(a, b) {
                if let d = difference(x.value, y.value, path: path + "." + x.key) { return d }
            }
            return nil
        default:
            return "\(path.isEmpty ? "value" : path): expected \(expected), got \(actual)"
        }
    }

    /// The first differing row (and its first differing column) between pyarrow's rows and what
    /// Floe read, with both values; nil when every row matches. Rows are compared column by column,
    /// flat integer and string columns without building JSON for each value (the golden corpus has
    /// over a million such rows).
    static func firstDifference(expected: [JSONValue], batches: [RecordBatch], pyarrow: [PyarrowField]) -> String? {
        let names = pyarrow.map(\.name)
        var base = 0
        for batch in batches {
            let n = min(batch.count, max(expected.count - base, 0))
            // Per column, the first row of this batch that differs.
            var first: (row: Int, column: Int)?
            for (k, column) in batch.columns.enumerated() {
                let field = k < pyarrow.count ? pyarrow[k] : nil
                var row = 0
                while row < (first?.row ?? n) {
                    let e = value(of: expected[base + row], column: k, name: k < names.count ? names[k] : nil)
                    if !matches(e, column, row, pyarrow: field) {
                        first = (row, k)
                        break
                    }
                    row += 1
                }
            }
            if let (row, k) = first {
                let name = batch.schema.fields[k].name
                let e = value(of: expected[base + row], column: k, name: k < names.count ? names[k] : nil)
                let a = InteropEncoder.encode(batch.columns[k], row: row, pyarrow: k < pyarrow.count ? pyarrow[k] : nil)
                let d = difference(e, a) ?? "values differ"
                return "row \(base + row) column '\(name)': \(d)\n  pyarrow: \(e)\n  Floe:    \(a)"
            }
            base += batch.count
        }
        if expected.count != base {
            return "pyarrow has \(expected.count) rows, Floe \(base)"
        }
        return nil
    }

    /// Member `k` of an expected row (checked to be named `name`).
    private static func value(of row: JSONValue, column k: Int, name: String?) -> JSONValue {
        guard case .object(let members) = row else { return .string("<row is not an object>") }
        guard k < members.count, name == nil || members[k].key == name else { return row[name ?? ""] ?? .string("<missing>") }
        return members[k].value
    }

    /// Whether Floe's value at `row` of `column` encodes as `expected`.
    private static func matches(_ expected: JSONValue, _ column: Column, _ row: Int, pyarrow: PyarrowField?) -> Bool {
        if column.isNull(at: row) { return expected == .null }
        func integer<T: FixedWidthInteger & BitwiseCopyable>(_: T.Type) -> Bool {
            let v = column.buffers[0].value(at: row, as: T.self)
            switch expected {
            case .number(let text), .string(let text): return T(text) == v
            default: return false
            }
        }
        switch column.dataType {
        case .int8: return integer(Int8.self)
        case .int16: return integer(Int16.self)
        case .int32 where pyarrow?.timeUnit == nil: return integer(Int32.self)
        case .int64 where pyarrow?.timeUnit == nil: return integer(Int64.self)
        case .uint8: return integer(UInt8.self)
        case .uint16: return integer(UInt16.self)
        case .uint32: return integer(UInt32.self)
        case .uint64: return integer(UInt64.self)
        case .string:
            guard case .string(let s) = expected else { return false }
            let r = column.offsetRange(at: row)
            return column.buffers[1].withUnsafeBytes { String(decoding: UnsafeRawBufferPointer(rebasing: $0[r]), as: UTF8.self) } == s
        default:
            return difference(expected, InteropEncoder.encode(column, row: row, pyarrow: pyarrow)) == nil
        }
    }

    /// Whether Floe's Arrow type is what Floe should produce for pyarrow's type (see the mapping
    /// on ``InteropEncoder``); `why` describes a mismatch.
    static func typeDifference(_ floe: DataType, _ pyarrow: PyarrowField, path: String) -> String? {
        var t = pyarrow.type
        // A dictionary-encoded Arrow column (stored Arrow schema) is read by Floe as its values.
        if t.hasPrefix("dictionary<values="), let end = t.range(of: ", indices=") {
            t = String(t[t.index(t.startIndex, offsetBy: 18)..<end.lowerBound])
        }
        let ok: Bool
        switch floe {
        case .null: ok = t == "null"
        case .boolean: ok = t == "bool"
        case .int8, .int16, .uint8, .uint16, .uint32, .uint64: ok = t == floe.description
        case .int32: ok = t == "int32" || t.hasPrefix("time32[")
        case .int64: ok = t == "int64" || t.hasPrefix("time64[")
        case .float16: ok = t == "halffloat"
        case .float32: ok = t == "float"
        case .float64: ok = t == "double"
        case .decimal(let p, let s): ok = t == "decimal128(\(p), \(s))"
        case .date32: ok = t == "date32[day]"
        case .timestamp(_, let zone): ok = t.hasPrefix("timestamp[") && t.contains(", tz=") == (zone != nil)
        case .string: ok = t == "string" || t == "large_string"
        case .binary: ok = t == "binary" || t == "large_binary"
        case .fixedSizeBinary(let n): ok = t == "fixed_size_binary[\(n)]"
        case .list: ok = t.hasPrefix("list<") || t.hasPrefix("large_list<") || t.hasPrefix("fixed_size_list<")
        case .map: ok = t.hasPrefix("map<")
        case .struct: ok = t.hasPrefix("struct<")
        }
        guard ok else { return "\(path): Floe reads \(floe), pyarrow \(t)" }
        let floeChildren: [Field]
        switch floe {
        case .list(let e): floeChildren = [e]
        case .map(let entries, _):
            guard case .struct(let kv) = entries.dataType else { return "\(path): malformed map" }
            floeChildren = kv
        case .struct(let fields): floeChildren = fields
        default: floeChildren = []
        }
        guard floeChildren.count == pyarrow.children.count else {
            return "\(path): Floe has \(floeChildren.count) children, pyarrow \(pyarrow.children.count)"
        }
        for (f, p) in zip(floeChildren, pyarrow.children) {
            if let d = fieldDifference(f, p, path: path) { return d }
        }
        return nil
    }

    /// Name, nullability, field id and type of one field.
    static func fieldDifference(_ floe: Field, _ pyarrow: PyarrowField, path: String) -> String? {
        let here = path.isEmpty ? floe.name : path + "." + floe.name
        if floe.name != pyarrow.name { return "\(here): Floe names it '\(floe.name)', pyarrow '\(pyarrow.name)'" }
        if floe.isNullable != pyarrow.nullable {
            return "\(here): Floe says nullable \(floe.isNullable), pyarrow \(pyarrow.nullable)"
        }
        if floe.fieldID.map(Int.init) != pyarrow.fieldID {
            return "\(here): field id \(floe.fieldID.map(String.init) ?? "none") in Floe, \(pyarrow.fieldID.map(String.init) ?? "none") in pyarrow"
        }
        return typeDifference(floe.dataType, pyarrow, path: here)
    }

    /// Every difference between Floe's schema and pyarrow's.
    static func schemaDifferences(_ floe: Schema, _ pyarrow: [PyarrowField]) -> [String] {
        guard floe.fields.count == pyarrow.count else {
            return ["Floe has \(floe.fields.count) columns \(floe.fields.map(\.name)), pyarrow \(pyarrow.count) \(pyarrow.map(\.name))"]
        }
        return zip(floe.fields, pyarrow).compactMap { fieldDifference($0, $1, path: "") }
    }
}
