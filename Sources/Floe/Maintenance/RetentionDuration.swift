/// The interval strings of table properties such as `delta.deletedFileRetentionDuration` and
/// `delta.logRetentionDuration` (`interval 1 week`, `interval 7 days`, `interval 36 hours 30
/// minutes`), as Spark's `CalendarInterval` text, and conversions between hours and milliseconds.
///
/// One parser serves every property (vacuum's file retention, checkpoint tombstone retention,
/// log cleanup and property validation), so they agree on what an interval is. Amounts are
/// non-negative numbers (integers, or decimals such as `1.5`), units weeks, days, hours, minutes,
/// seconds, milliseconds, microseconds and nanoseconds (singular or plural; `min`, `sec`,
/// `milli`, `micro`, `nano` too), case-insensitive, the `interval` keyword optional. Months and
/// years are refused (they have no fixed length).
///
/// Invariant: no input traps. An interval longer than `Int64.max` milliseconds (about 292 million
/// years) saturates to `Int64.max` — a retention that long keeps everything, which is what it
/// asks for — and hours convert to milliseconds the same way.
enum RetentionDuration {
    /// The table's default file retention when `delta.deletedFileRetentionDuration` is not set:
    /// one week.
    static let defaultHours = 168.0

    /// One hour in milliseconds.
    static let hourMillis: Int64 = 3_600_000

    /// The interval in milliseconds (saturating at `Int64.max`, sub-millisecond remainders
    /// rounded up), or nil when `text` is not an interval of fixed-length units with
    /// non-negative amounts.
    static func milliseconds(_ text: String) -> Int64? {
        var words = text.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        if words.first == "interval" { words.removeFirst() }
        guard !words.isEmpty, words.count % 2 == 0 else { return nil }
        var total: Int64 = 0
        var i = 0
        while i < words.count {
            guard let part = amountMillis(words[i], unit: words[i + 1]) else { return nil }
            total = total.saturatingAdding(part)
            i += 2
        }
        return total
    }

    /// The interval in hours, or nil when `text` is not an interval (see ``milliseconds(_:)``).
    static func hours(_ text: String) -> Double? {
        milliseconds(text).map { Double($0) / Double(hourMillis) }
    }

    /// `hours` in milliseconds, rounded up, saturating at `Int64.max` (and 0 for values that are
    /// not positive, NaN included).
    static func milliseconds(hours: Double) -> Int64 {
        saturatingInt64((hours * Double(hourMillis)).rounded(.up))
    }

    /// `value` as a non-negative `Int64`: values at or beyond the type's range (infinities
    /// included) saturate to `Int64.max`; values below 0 and NaN give 0.
    static func saturatingInt64(_ value: Double) -> Int64 {
        value > 0 ? Int64(saturating: value) : 0
    }

    /// One `amount unit` pair in milliseconds.
    private static func amountMillis(_ amount: String, unit: String) -> Int64? {
        guard let scale = unitScale(unit) else { return nil }
        // Integer amounts of whole-millisecond units are exact.
        if case .millis(let millis) = scale, let whole = Int64(amount) {
            guard whole >= 0 else { return nil }
            let (product, overflow) = whole.multipliedReportingOverflow(by: millis)
            return overflow ? .max : product
        }
        guard amount.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == "+" || $0 == "e" || $0 == "-") }),
              let value = Double(amount), value.isFinite, value >= 0 else { return nil }
        switch scale {
        case .millis(let millis): return saturatingInt64((value * Double(millis)).rounded(.up))
        case .fraction(let perMilli): return saturatingInt64((value / perMilli).rounded(.up))
        }
    }

    private enum Scale {
        /// Whole milliseconds per unit.
        case millis(Int64)
        /// Units per millisecond.
        case fraction(Double)
    }

    private static func unitScale(_ unit: String) -> Scale? {
        let singular = unit.hasSuffix("s") ? String(unit.dropLast()) : unit
        switch singular {
        case "week": return .millis(7 * 24 * 3_600_000)
        case "day": return .millis(24 * 3_600_000)
        case "hour": return .millis(3_600_000)
        case "minute", "min": return .millis(60_000)
        case "second", "sec": return .millis(1000)
        case "millisecond", "milli": return .millis(1)
        case "microsecond", "micro": return .fraction(1000)
        case "nanosecond", "nano": return .fraction(1_000_000)
        default: return nil
        }
    }
}
