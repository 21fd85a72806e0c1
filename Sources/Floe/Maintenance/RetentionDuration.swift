/// Parses the interval strings of table properties such as `delta.deletedFileRetentionDuration`
/// (`interval 1 week`, `interval 7 days`, `interval 36 hours 30 minutes`), as Spark's
/// `CalendarInterval` text. Months and years are refused (they have no fixed length).
enum RetentionDuration {
    /// The table's default file retention when `delta.deletedFileRetentionDuration` is not set:
    /// one week.
    static let defaultHours = 168.0

    /// The interval in hours, or nil when `text` is not an interval of fixed-length units.
    static func hours(_ text: String) -> Double? {
        var words = text.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        if words.first == "interval" { words.removeFirst() }
        guard !words.isEmpty, words.count % 2 == 0 else { return nil }
        var total = 0.0
        var i = 0
        while i < words.count {
            guard let amount = Double(words[i]), amount.isFinite, let unit = unitHours(words[i + 1]) else { return nil }
            total += amount * unit
            i += 2
        }
        return total
    }

    static func unitHours(_ unit: String) -> Double? {
        let singular = unit.hasSuffix("s") ? String(unit.dropLast()) : unit
        switch singular {
        case "week": return 168
        case "day": return 24
        case "hour": return 1
        case "minute", "min": return 1.0 / 60
        case "second", "sec": return 1.0 / 3600
        case "millisecond", "milli": return 1.0 / 3_600_000
        case "microsecond", "micro": return 1.0 / 3_600_000_000
        case "nanosecond", "nano": return 1.0 / 3_600_000_000_000
        default: return nil
        }
    }
}
