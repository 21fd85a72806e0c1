import FloeColumnar

/// A typed partition value, convertible to and from the string form stored in
/// `add.partitionValues` (the protocol's "Partition Value Serialization").
///
/// Serialization rules: strings as is; integers and booleans in their usual text form; floating
/// point as Java does (`1.0`, `NaN`, `Infinity`); decimals as plain decimal text; dates as
/// `YYYY-MM-DD`; timestamps and `timestamp_ntz` as `YYYY-MM-DD HH:MM:SS` with `.ffffff`
/// microseconds appended only when non-zero (timestamps are in UTC); binary as the bytes decoded as
/// UTF-8. Null is a JSON `null` in the log. When parsing, an empty string is null, and timestamps
/// also accept ISO 8601 (`1970-01-01T00:00:00.123456Z`, with `Z` or a `±HH:MM` offset).
public enum PartitionValue: Sendable, Hashable {
    /// A null value.
    case null
    /// A `string` value.
    case string(String)
    /// A `long` value.
    case long(Int64)
    /// An `integer` value.
    case integer(Int32)
    /// A `short` value.
    case short(Int16)
    /// A `byte` value.
    case byte(Int8)
    /// A `float` value.
    case float(Float)
    /// A `double` value.
    case double(Double)
    /// A `boolean` value.
    case boolean(Bool)
    /// A `decimal` value as plain decimal text, e.g. `"-12.50"`.
    case decimal(String)
    /// A `date` as days since 1970-01-01.
    case date(daysSinceEpoch: Int32)
    /// A `timestamp` as microseconds since the Unix epoch (UTC).
    case timestamp(microsecondsSinceEpoch: Int64)
    /// A `timestamp_ntz` as microseconds since 1970-01-01 00:00:00 (no time zone).
    case timestampNtz(microsecondsSinceEpoch: Int64)
    /// A `binary` value.
    case binary([UInt8])

    /// The string stored in the log for this value, or `nil` for null.
    public var serialized: String? {
        switch self {
        case .null: return nil
        case .string(let s): return s
        case .long(let v): return String(v)
        case .integer(let v): return String(v)
        case .short(let v): return String(v)
        case .byte(let v): return String(v)
        case .float(let v): return Self.javaText(Double(v), float: true)
        case .double(let v): return Self.javaText(v, float: false)
        case .boolean(let b): return b ? "true" : "false"
        case .decimal(let text): return text
        case .date(let days): return CivilTime.formatDate(days: Int64(days))
        case .timestamp(let micros), .timestampNtz(let micros): return CivilTime.formatTimestamp(micros: micros)
        case .binary(let bytes): return String(decoding: bytes, as: UTF8.self)
        }
    }

    /// Parses a serialized partition value of the given type.
    ///
    /// - Parameters:
    ///   - text: The value from `partitionValues`; `nil` or `""` is null.
    ///   - type: The partition column's type; must be primitive.
    /// - Throws: ``DeltaError/Code/corruptLog`` when the text does not parse as `type`.
    public init(parsing text: String?, as type: DeltaType) throws {
        guard let text, !text.isEmpty else {
            self = .null
            return
        }
        func bad() -> DeltaError {
            DeltaError(.corruptLog, "partition value '\(text)' is not a valid \(type)")
        }
        switch type {
        case .string: self = .string(text)
        case .long: guard let v = Int64(text) else { throw bad() }; self = .long(v)
        case .integer: guard let v = Int32(text) else { throw bad() }; self = .integer(v)
        case .short: guard let v = Int16(text) else { throw bad() }; self = .short(v)
        case .byte: guard let v = Int8(text) else { throw bad() }; self = .byte(v)
        case .float: guard let v = Self.parseJavaDouble(text) else { throw bad() }; self = .float(Float(v))
        case .double: guard let v = Self.parseJavaDouble(text) else { throw bad() }; self = .double(v)
        case .boolean:
            switch text.lowercased() {
            case "true": self = .boolean(true)
            case "false": self = .boolean(false)
            default: throw bad()
            }
        case .decimal:
            guard Double(text) != nil, !text.contains("e"), !text.contains("E") else { throw bad() }
            self = .decimal(text)
        case .date:
            guard let days = CivilTime.parseDate(Substring(text)), let d = Int32(exactly: days) else { throw bad() }
            self = .date(daysSinceEpoch: d)
        case .timestamp:
            guard let micros = CivilTime.parseTimestamp(text) else { throw bad() }
            self = .timestamp(microsecondsSinceEpoch: micros)
        case .timestampNtz:
            guard let micros = CivilTime.parseTimestamp(text) else { throw bad() }
            self = .timestampNtz(microsecondsSinceEpoch: micros)
        case .binary: self = .binary(Array(text.utf8))
        default:
            throw DeltaError(.unsupportedFeature, "partition columns of type \(type) are not supported")
        }
    }

    static func javaText(_ v: Double, float: Bool) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "Infinity" : "-Infinity" }
        return float ? "\(Float(v))" : "\(v)"
    }

    static func parseJavaDouble(_ text: String) -> Double? {
        switch text {
        case "NaN": return .nan
        case "Infinity", "+Infinity": return .infinity
        case "-Infinity": return -.infinity
        default: return Double(text)
        }
    }
}

/// Proleptic Gregorian calendar conversions in UTC, without Foundation (fast and locale-free).
enum CivilTime {
    /// Days since 1970-01-01 for a civil date.
    static func days(year: Int64, month: Int64, day: Int64) -> Int64 { Temporal.days(year: year, month: month, day: day) }

    /// The civil date for days since 1970-01-01.
    static func civil(days: Int64) -> (year: Int64, month: Int64, day: Int64) { Temporal.civil(days: days) }

    static func pad(_ v: Int64, _ width: Int) -> String {
        let s = String(v.magnitude)
        let padded = s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
        return v < 0 ? "-" + padded : padded
    }

    static func formatDate(days: Int64) -> String {
        let c = civil(days: days)
        return "\(pad(c.year, 4))-\(pad(c.month, 2))-\(pad(c.day, 2))"
    }

    static func formatTimestamp(micros: Int64) -> String {
        let perDay: Int64 = 86_400_000_000
        var days = micros / perDay
        var rem = micros % perDay
        if rem < 0 { rem += perDay; days -= 1 }
        let secondsOfDay = rem / 1_000_000
        let fraction = rem % 1_000_000
        var text = formatDate(days: days) + " " + pad(secondsOfDay / 3600, 2) + ":" + pad(secondsOfDay / 60 % 60, 2) + ":" + pad(secondsOfDay % 60, 2)
        if fraction != 0 { text += "." + pad(fraction, 6) }
        return text
    }

    /// Parses `YYYY-MM-DD`; returns days since the epoch.
    static func parseDate(_ text: Substring) -> Int64? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        var year: Int64, month: Int64, day: Int64
        if parts.count == 3, let y = Int64(parts[0]), let m = Int64(parts[1]), let d = Int64(parts[2]) {
            (year, month, day) = (y, m, d)
        } else if parts.count == 4, parts[0].isEmpty, let y = Int64(parts[1]), let m = Int64(parts[2]), let d = Int64(parts[3]) {
            (year, month, day) = (-y, m, d)
        } else {
            return nil
        }
        guard (1...12).contains(month), (1...31).contains(day), (-200_000...200_000).contains(year) else { return nil }
        let result = days(year: year, month: month, day: day)
        // Reject dates such as February 30.
        let check = civil(days: result)
        guard check.month == month, check.day == day else { return nil }
        return result
    }

    /// Parses `YYYY-MM-DD[ |T]HH:MM:SS[.fraction][Z|±HH:MM]` (or a bare date); returns microseconds
    /// since the epoch, converted to UTC when an offset is given.
    static func parseTimestamp(_ text: String) -> Int64? {
        var s = Substring(text)
        var offsetSeconds: Int64 = 0
        if s.hasSuffix("Z") {
            s = s.dropLast()
        } else if s.count > 6 {
            let tail = s.suffix(6)
            let sign = tail.first
            if (sign == "+" || sign == "-"), tail.dropFirst().count == 5, tail[tail.index(tail.startIndex, offsetBy: 3)] == ":",
               s.contains("T") || s.contains(" "),
               let h = Int64(tail.dropFirst().prefix(2)), let m = Int64(tail.suffix(2)) {
                offsetSeconds = (h * 3600 + m * 60) * (sign == "-" ? -1 : 1)
                s = s.dropLast(6)
            }
        }
        guard let sep = s.firstIndex(where: { $0 == " " || $0 == "T" }) else {
            guard let d = parseDate(s) else { return nil }
            return d * 86_400_000_000
        }
        guard let days = parseDate(s[..<sep]) else { return nil }
        let time = s[s.index(after: sep)...]
        var main = time
        var fractionMicros: Int64 = 0
        if let dot = time.firstIndex(of: ".") {
            main = time[..<dot]
            let digits = time[time.index(after: dot)...]
            guard !digits.isEmpty, digits.count <= 9, digits.allSatisfy(\.isASCII), let _ = Int64(digits) else { return nil }
            let six = digits.count >= 6 ? String(digits.prefix(6)) : String(digits) + String(repeating: "0", count: 6 - digits.count)
            guard let f = Int64(six) else { return nil }
            fractionMicros = f
        }
        let hms = main.split(separator: ":", omittingEmptySubsequences: false)
        guard hms.count == 3 || hms.count == 2, let h = Int64(hms[0]), let m = Int64(hms[1]) else { return nil }
        let sec = hms.count == 3 ? Int64(hms[2]) : 0
        guard let sec, (0...23).contains(h), (0...59).contains(m), (0...60).contains(sec) else { return nil }
        let seconds = days * 86400 + h * 3600 + m * 60 + sec - offsetSeconds
        return seconds * 1_000_000 + fractionMicros
    }
}
