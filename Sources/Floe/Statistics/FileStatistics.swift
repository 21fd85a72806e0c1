import FloeColumnar

/// The per-file statistics of an `add` action (`numRecords`, `minValues`, `maxValues`,
/// `nullCount`), decoded into Arrow-typed bounds keyed by logical dotted column path.
///
/// Invariants: bounds are conservative. Timestamp maxima are widened by 999 µs because writers
/// truncate them to milliseconds; string maxima of 32 or more characters (possibly truncated) and
/// unparsable values are dropped.
public struct FileStatistics: Sendable {
    /// Rows in the file, when recorded.
    public let numRecords: Int64?
    /// Bounds per logical column path (`a` or `s.x`).
    public let columns: [String: ColumnBounds]

    /// Parses `stats` JSON for a table whose leaf columns are `fields` (logical) stored under
    /// `physical` names. Returns nil for missing or malformed statistics (they are optional).
    init?(json: String?, fields: [PhysicalField]) {
        guard let json, let value = try? JSONValue.parse(json), let object = value.objectValue else { return nil }
        let records = object["numRecords"]?.int64Value
        numRecords = records
        var found: [String: ColumnBounds] = [:]
        func walk(_ fields: [PhysicalField], min: JSONObject?, max: JSONObject?, nulls: JSONObject?, prefix: String) {
            for f in fields {
                let path = prefix.isEmpty ? f.logical.name : prefix + "." + f.logical.name
                if case .struct = f.logical.dataType {
                    walk(f.children, min: min?[f.physicalName]?.objectValue, max: max?[f.physicalName]?.objectValue,
                         nulls: nulls?[f.physicalName]?.objectValue, prefix: path)
                    continue
                }
                let type = f.logical.dataType
                var lo = min?[f.physicalName].flatMap { FileStatistics.scalar($0, type: type, isMax: false) }
                var hi = max?[f.physicalName].flatMap { FileStatistics.scalar($0, type: type, isMax: true) }
                if lo == nil || hi == nil { lo = nil; hi = nil }
                let nullCount = nulls?[f.physicalName]?.int64Value.map { Int($0) }
                var allNull = false
                if let nullCount, let records, records > 0 { allNull = Int64(nullCount) == records }
                if lo != nil || nullCount != nil {
                    found[path] = ColumnBounds(min: lo, max: hi, nullCount: nullCount, allNull: allNull)
                }
            }
        }
        walk(fields, min: object["minValues"]?.objectValue, max: object["maxValues"]?.objectValue,
             nulls: object["nullCount"]?.objectValue, prefix: "")
        self.columns = found
    }

    static func scalar(_ v: JSONValue, type: DataType, isMax: Bool) -> Scalar? {
        switch type {
        case .int8, .int16, .int32, .int64:
            if let i = v.int64Value { return .int(i) }
            if let d = v.doubleValue, d.rounded() == d, abs(d) < 9e18 { return .int(Int64(d)) }
            return nil
        case .float32, .float64, .float16:
            if let d = v.doubleValue, !d.isNaN { return .float(d) }
            return nil
        case .decimal(_, let scale):
            guard case .number(let n) = v, let d = Condition.decimalLiteral(n.text, scale: scale) else { return nil }
            return .decimal(d)
        case .date32:
            guard let s = v.stringValue, let d = Temporal.parseDate(Substring(s)) else { return nil }
            return .int(d)
        case .timestamp:
            guard let s = v.stringValue, let micros = Temporal.parseTimestampMicros(s) else { return nil }
            return .int(isMax ? micros + 999 : micros)
        case .string:
            guard let s = v.stringValue else { return nil }
            if isMax && s.count >= 32 { return nil }
            return .string(s)
        case .boolean:
            return v.boolValue.map { .bool($0) }
        default:
            return nil
        }
    }
}

extension Condition {
    /// The unscaled value of a decimal literal's text at `scale`, or nil.
    static func decimalLiteral(_ text: String, scale: Int) -> Int128? {
        if text.contains("e") || text.contains("E") {
            guard let d = Double(text) else { return nil }
            return (try? Condition.coerce(.float(d), to: .decimal(precision: 38, scale: scale), column: "")).flatMap {
                if case .decimal(let v) = $0 { return v } else { return nil }
            }
        }
        return (try? Condition.coerce(.string(text), to: .decimal(precision: 38, scale: scale), column: "")).flatMap {
            if case .decimal(let v) = $0 { return v } else { return nil }
        }
    }
}
