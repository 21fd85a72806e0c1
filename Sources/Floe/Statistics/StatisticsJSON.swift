import FloeColumnar
import FloeParquet

/// Builds the `stats` JSON of an `add` action from a data file's column statistics:
/// `{"numRecords":N,"minValues":{…},"maxValues":{…},"nullCount":{…}}`, nested for struct fields,
/// for the first `indexedColumns` leaf columns (`delta.dataSkippingNumIndexedCols`, default 32;
/// -1 means all). Lists and maps get no bounds. Strings longer than 32 characters record a
/// 32-character prefix as minimum and no maximum; timestamps are written at millisecond
/// precision (minimum and maximum truncated, as Spark does); NaN and binary get no bounds.
enum StatisticsJSON {
    static func make(numRecords: Int, fields: [Field], statistics: [String: ColumnStatistics], indexedColumns: Int) -> String {
        var remaining = indexedColumns < 0 ? Int.max : indexedColumns
        func section(_ fields: [Field], prefix: String, kind: Int) -> JSONObject {
            var object = JSONObject()
            for f in fields {
                let path = prefix.isEmpty ? f.name : prefix + "." + f.name
                switch f.dataType {
                case .struct(let children):
                    let nested = section(children, prefix: path, kind: kind)
                    if !nested.isEmpty { object[f.name] = .object(nested) }
                case .list, .map:
                    continue
                default:
                    guard let s = statistics[path] else { continue }
                    switch kind {
                    case 0: if let v = s.min.flatMap({ json($0, f.dataType, isMax: false) }) { object[f.name] = v }
                    case 1: if let v = s.max.flatMap({ json($0, f.dataType, isMax: true) }) { object[f.name] = v }
                    default: if let n = s.nullCount { object[f.name] = .int(Int64(n)) }
                    }
                }
            }
            return object
        }
        // Select the indexed leaves (depth-first) by pruning the field list.
        func prune(_ fields: [Field]) -> [Field] {
            var out: [Field] = []
            for f in fields where remaining > 0 {
                if case .struct(let children) = f.dataType {
                    let kept = prune(children)
                    if !kept.isEmpty { var g = f; g.dataType = .struct(kept); out.append(g) }
                } else {
                    remaining -= 1
                    out.append(f)
                }
            }
            return out
        }
        let indexed = prune(fields)
        var root = JSONObject()
        root["numRecords"] = .int(Int64(numRecords))
        root["minValues"] = .object(section(indexed, prefix: "", kind: 0))
        root["maxValues"] = .object(section(indexed, prefix: "", kind: 1))
        root["nullCount"] = .object(section(indexed, prefix: "", kind: 2))
        return JSONValue.object(root).jsonText
    }

    static func json(_ value: Scalar, _ type: DataType, isMax: Bool) -> JSONValue? {
        switch (value, type) {
        case (.int(let v), .date32):
            return .string(Temporal.formatDate(days: v))
        case (.int(let v), .timestamp(let unit, let tz)):
            let micros: Int64
            switch unit {
            case .second: micros = v &* 1_000_000
            case .millisecond: micros = v &* 1_000
            case .microsecond: micros = v
            case .nanosecond: micros = v >= 0 ? v / 1_000 : -((-v + 999) / 1_000)
            }
            let millis = micros >= 0 ? micros / 1_000 : -((-micros + 999) / 1_000)
            let text = Temporal.formatTimestamp(micros: millis * 1_000, utc: tz != nil)
            // Millisecond precision: drop the last three fraction digits.
            let trimmed = tz != nil ? String(text.dropLast(4)) + "Z" : String(text.dropLast(3))
            return .string(trimmed)
        case (.int(let v), _): return .int(v)
        case (.uint(let v), _): return .number(JSONNumber(literal: String(v)))
        case (.float(let d), _):
            guard d.isFinite else { return nil }
            return .number(JSONNumber(d))
        case (.decimal(let v), .decimal(_, let scale)):
            return .number(JSONNumber(literal: ValueEncoding.decimal(v, scale: scale)))
        case (.string(let s), _):
            if s.count > 32 {
                return isMax ? nil : .string(String(s.prefix(32)))
            }
            return .string(s)
        case (.bool(let b), _): return .bool(b)
        default: return nil
        }
    }
}
