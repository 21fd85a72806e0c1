import FloeColumnar

/// Converts typed per-file statistics (a checkpoint's `add.stats_parsed` struct) into the JSON text
/// the log's `add.stats` field holds.
///
/// Encoding, following the JSON statistics Spark and delta-rs write: structs become objects (null
/// fields omitted), integers and finite floating point numbers become JSON numbers, decimals
/// plain decimal numbers, booleans `true`/`false`, strings JSON strings, dates `"YYYY-MM-DD"`, and
/// timestamps `"YYYY-MM-DDTHH:MM:SS.mmmZ"` (UTC, truncated to milliseconds as the protocol's
/// statistics are; `timestamp_ntz` columns, when known, without the `Z`). Values JSON cannot hold exactly (NaN, infinities) and types statistics do not
/// use (binary, lists, maps) are omitted, which readers treat as "no statistic".
enum StatsJSON {
    /// The statistics JSON for `row` of a `stats_parsed` struct column, or `nil` when it is null.
    ///
    /// - Parameter ntzColumns: The (physical) column paths of `timestamp_ntz` columns, whose
    ///   bounds are written without a zone (`YYYY-MM-DDTHH:MM:SS.mmm`).
    static func json(fromParsed column: Column, row: Int, ntzColumns: Set<[String]> = []) -> String? {
        guard !column.isNull(at: row), case .struct(let fields) = column.dataType else { return nil }
        var writer = JSONWriter(capacity: 256)
        writeObject(column, fields: fields, row: row, path: nil, ntzColumns: ntzColumns, into: &writer)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    /// Writes one struct value; `path` is the column path inside `minValues`/`maxValues` (`nil`
    /// outside them).
    static func writeObject(_ column: Column, fields: [Field], row: Int, path: [String]?, ntzColumns: Set<[String]>,
                            into writer: inout JSONWriter) {
        writer.bytes.append(UInt8(ascii: "{"))
        var first = true
        for (field, child) in zip(fields, column.children) where !child.isNull(at: row) {
            let childPath: [String]? = path.map { $0 + [field.name] }
                ?? (field.name == "minValues" || field.name == "maxValues" ? [] : nil)
            if case .struct(let nested) = child.dataType {
                if !first { writer.bytes.append(UInt8(ascii: ",")) }
                first = false
                writer.string(field.name)
                writer.bytes.append(UInt8(ascii: ":"))
                writeObject(child, fields: nested, row: row, path: childPath, ntzColumns: ntzColumns, into: &writer)
                continue
            }
            let isNTZ = childPath.map { ntzColumns.contains($0) } ?? false
            guard let value = scalarJSON(child, row: row, withoutZone: isNTZ) else { continue }
            if !first { writer.bytes.append(UInt8(ascii: ",")) }
            first = false
            writer.string(field.name)
            writer.bytes.append(UInt8(ascii: ":"))
            switch value {
            case .raw(let text): writer.raw(text)
            case .string(let text): writer.string(text)
            }
        }
        writer.bytes.append(UInt8(ascii: "}"))
    }

    enum Value {
        case raw(String)
        case string(String)
    }

    /// The JSON form of a non-null leaf value, or `nil` when it has none.
    static func scalarJSON(_ column: Column, row: Int, withoutZone: Bool = false) -> Value? {
        let values = column.buffers.first
        switch column.dataType {
        case .boolean: return .raw(column.buffers[0].bit(at: row) ? "true" : "false")
        case .int8: return values.map { .raw(String($0.value(at: row, as: Int8.self))) }
        case .int16: return values.map { .raw(String($0.value(at: row, as: Int16.self))) }
        case .int32: return values.map { .raw(String($0.value(at: row, as: Int32.self))) }
        case .int64: return values.map { .raw(String($0.value(at: row, as: Int64.self))) }
        case .uint8: return values.map { .raw(String($0.value(at: row, as: UInt8.self))) }
        case .uint16: return values.map { .raw(String($0.value(at: row, as: UInt16.self))) }
        case .uint32: return values.map { .raw(String($0.value(at: row, as: UInt32.self))) }
        case .uint64: return values.map { .raw(String($0.value(at: row, as: UInt64.self))) }
        case .float32:
            guard let v = values?.value(at: row, as: Float.self), v.isFinite else { return nil }
            return .raw("\(v)")
        case .float64:
            guard let v = values?.value(at: row, as: Double.self), v.isFinite else { return nil }
            return .raw("\(v)")
        case .decimal(_, let scale):
            guard let v = values?.value(at: row, as: Int128.self) else { return nil }
            return .raw(decimalText(unscaled: v, scale: scale))
        case .string: return .string(CheckpointColumn.string(in: column, at: row))
        case .date32:
            guard let days = values?.value(at: row, as: Int32.self) else { return nil }
            return .string(CivilTime.formatDate(days: Int64(days)))
        case .timestamp(let unit, _):
            guard let ticks = values?.value(at: row, as: Int64.self) else { return nil }
            let text = isoTimestamp(millis: millis(ticks, unit))
            return .string(withoutZone ? String(text.dropLast()) : text)
        default: return nil
        }
    }

    /// `ticks` of `unit` as milliseconds since the epoch, rounded down.
    static func millis(_ ticks: Int64, _ unit: TimeUnit) -> Int64 {
        switch unit {
        case .second:
            let (v, overflow) = ticks.multipliedReportingOverflow(by: 1000)
            return overflow ? (ticks < 0 ? .min : .max) : v
        case .millisecond: return ticks
        case .microsecond: return floorDivide(ticks, 1000)
        case .nanosecond: return floorDivide(ticks, 1_000_000)
        }
    }

    static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    /// `YYYY-MM-DDTHH:MM:SS.mmmZ` for milliseconds since the epoch (UTC).
    static func isoTimestamp(millis: Int64) -> String {
        let perDay: Int64 = 86_400_000
        // Clamp to the calendar's range: far beyond any real statistic.
        let clamped = min(max(millis, -perDay * 100_000_000), perDay * 100_000_000)
        let days = floorDivide(clamped, perDay)
        let ms = clamped - days * perDay
        let seconds = ms / 1000
        return CivilTime.formatDate(days: days) + "T" + CivilTime.pad(seconds / 3600, 2) + ":"
            + CivilTime.pad(seconds / 60 % 60, 2) + ":" + CivilTime.pad(seconds % 60, 2) + "."
            + CivilTime.pad(ms % 1000, 3) + "Z"
    }

    /// The plain decimal text of `unscaled × 10^-scale`, e.g. `-5.67800` (a negative scale appends zeros).
    static func decimalText(unscaled: Int128, scale: Int) -> String {
        guard scale >= 0 else {
            return ValueEncoding.decimal(unscaled, scale: 0) + String(repeating: "0", count: -scale)
        }
        return ValueEncoding.decimal(unscaled, scale: scale)
    }
}
