/// Calendar arithmetic and ISO-8601 parsing for dates and timestamps (proleptic Gregorian, UTC).
public enum Temporal {
    /// Days since 1970-01-01 of a civil date.
    public static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The civil date of a day number.
    public static func civil(days z0: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// Parses `YYYY-MM-DD` into days since the epoch; nil when malformed or out of range.
    public static func parseDate(_ text: Substring) -> Int64? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        var sign: Int64 = 1
        var p = parts
        if text.hasPrefix("-") { sign = -1; p = Array(parts.dropFirst()) }
        guard p.count == 3, let y = Int64(p[0]), let m = Int64(p[1]), let d = Int64(p[2]),
              p[1].count == 2, p[2].count == 2, (1...12).contains(m), d >= 1, d <= daysInMonth(sign * y, m) else { return nil }
        return days(year: sign * y, month: m, day: d)
    }

    static func daysInMonth(_ y: Int64, _ m: Int64) -> Int64 {
        switch m {
        case 2: return (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// The most fractional-second digits ``parseTimestampMicros(_:)`` accepts (nanoseconds).
    public static let maxFractionDigits = 9

    /// Parses an ISO-8601 date-time into microseconds since the epoch. Accepts `T` or a space
    /// between date and time, optional seconds and a fraction of 1 to ``maxFractionDigits`` digits
    /// (digits past the sixth are truncated: microsecond precision, as Spark stores timestamps),
    /// and `Z`, `±HH:MM`, `±HHMM` or `±HH` offsets; without an offset the time is taken as UTC. A
    /// bare date means midnight. Returns nil when malformed (including a longer fraction); never
    /// traps, whatever the text.
    public static func parseTimestampMicros(_ text: String) -> Int64? {
        var s = Substring(text.trimmingCharacters(in: " "))
        guard s.count >= 10 else { return nil }
        let dateEnd = s.index(s.startIndex, offsetBy: 10)
        guard let day = parseDate(s[s.startIndex..<dateEnd]) else { return nil }
        s = s[dateEnd...]
        var micros: Int64 = 0
        if let first = s.first, first == "T" || first == " " || first == "t" {
            s = s.dropFirst()
            // HH:MM[:SS[.fffffffff]]
            func number(_ n: Int) -> Int64? {
                guard s.count >= n else { return nil }
                let end = s.index(s.startIndex, offsetBy: n)
                guard s[s.startIndex..<end].allSatisfy(\.isASCIIDigit), let v = Int64(s[s.startIndex..<end]) else { return nil }
                s = s[end...]
                return v
            }
            guard let hh = number(2), hh < 24, s.first == ":" else { return nil }
            s = s.dropFirst()
            guard let mm = number(2), mm < 60 else { return nil }
            var ss: Int64 = 0
            if s.first == ":" {
                s = s.dropFirst()
                guard let v = number(2), v < 60 else { return nil }
                ss = v
            }
            var fraction: Int64 = 0
            if s.first == "." || s.first == "," {
                s = s.dropFirst()
                // 1 to 9 digits (nanoseconds); digits past the sixth are dropped (truncation
                // toward the earlier instant, as Spark does).
                var digits = 0
                while let c = s.first, c.isASCIIDigit {
                    if digits < 6 { fraction = fraction * 10 + Int64(c.asciiValue ?? 48) - 48 }
                    digits += 1
                    s = s.dropFirst()
                }
                guard digits > 0, digits <= maxFractionDigits else { return nil }
                while digits < 6 { fraction *= 10; digits += 1 }
            }
            micros = ((hh * 60 + mm) * 60 + ss) * 1_000_000 + fraction
        }
        var offsetMinutes: Int64 = 0
        if let c = s.first {
            if c == "Z" || c == "z" {
                s = s.dropFirst()
            } else if c == "+" || c == "-" {
                let sign: Int64 = c == "-" ? -1 : 1
                s = s.dropFirst()
                let digits = s.filter { $0 != ":" }
                guard digits.allSatisfy(\.isASCIIDigit), digits.count == 2 || digits.count == 4,
                      let h = Int64(digits.prefix(2)), h < 24 else { return nil }
                let m = digits.count == 4 ? (Int64(digits.suffix(2)) ?? 99) : 0
                guard m < 60 else { return nil }
                offsetMinutes = sign * (h * 60 + m)
                s = s[s.endIndex...]
            }
        }
        guard s.isEmpty else { return nil }
        let (dayMicros, o1) = day.multipliedReportingOverflow(by: 86_400_000_000)
        guard !o1 else { return nil }
        return dayMicros + micros - offsetMinutes * 60_000_000
    }

    /// `a / b` rounded toward negative infinity (`b` > 0): a timestamp in a coarser unit is the
    /// tick it falls in, also before the epoch. Never traps.
    public static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return a % b < 0 ? q - 1 : q
    }

    /// `YYYY-MM-DD`.
    public static func formatDate(days: Int64) -> String {
        let (y, m, d) = civil(days: days)
        return pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2)
    }

    /// `YYYY-MM-DDTHH:MM:SS.ffffff` plus `Z` when `utc`.
    public static func formatTimestamp(micros: Int64, utc: Bool) -> String {
        var days = micros / 86_400_000_000
        var rest = micros % 86_400_000_000
        if rest < 0 { rest += 86_400_000_000; days -= 1 }
        let seconds = rest / 1_000_000, fraction = rest % 1_000_000
        return formatDate(days: days) + "T" + pad(seconds / 3600, 2) + ":" + pad(seconds % 3600 / 60, 2) + ":" + pad(seconds % 60, 2)
            + "." + pad(fraction, 6) + (utc ? "Z" : "")
    }

    static func pad(_ v: Int64, _ width: Int) -> String {
        let negative = v < 0
        var s = String(negative ? -v : v)
        while s.count < width { s = "0" + s }
        return negative ? "-" + s : s
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
