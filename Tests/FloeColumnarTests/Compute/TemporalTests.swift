import Testing
import FloeColumnar

/// ISO-8601 parsing: fractions of up to nine digits are accepted and truncated to microseconds;
/// no text traps.
@Suite struct TemporalTests {
    static let base: Int64 = 1_764_115_200_000_000  // 2025-11-26T00:00:00Z

    @Test(arguments: [
        ("2025-11-26T00:00:00.1Z", base + 100_000),
        ("2025-11-26T00:00:00.123456Z", base + 123_456),
        ("2025-11-26T00:00:00.1234567Z", base + 123_456),      // pandas / Java: 7 digits
        ("2025-11-26T00:00:00.12345678Z", base + 123_456),
        ("2025-11-26T00:00:00.123456789Z", base + 123_456),    // nanoseconds
        ("2025-11-26T00:00:00.999999999Z", base + 999_999),    // truncated, never rounded up
        ("2025-11-26 00:00:00,1234567+01:00", base + 123_456 - 3_600_000_000),
        ("2025-11-26T00:00:00.1234567", base + 123_456),
        ("1969-12-31T23:59:59.9999999Z", -1),                  // truncation toward the earlier instant
    ])
    func fractionsUpToNanosecondsTruncateToMicroseconds(text: String, micros: Int64) {
        #expect(Temporal.parseTimestampMicros(text) == micros)
    }

    @Test(arguments: [
        "2025-11-26T00:00:00.1234567890Z",  // ten digits
        "2025-11-26T00:00:00.12345678901234567890Z",
        "2025-11-26T00:00:00.Z",
        "2025-11-26T00:00:00.",
    ])
    func longerOrEmptyFractionsAreRefused(text: String) {
        #expect(Temporal.parseTimestampMicros(text) == nil)
    }
}
