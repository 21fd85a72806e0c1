import Testing
@testable import Floe

@Suite("Retention intervals and saturating conversions")
struct RetentionDurationTests {
    @Test("intervals parse to exact milliseconds; one parser for every retention property")
    func parsing() {
        #expect(RetentionDuration.milliseconds("interval 1 week") == 604_800_000)
        #expect(RetentionDuration.milliseconds("168 hours") == 604_800_000)
        #expect(RetentionDuration.milliseconds("interval 36 hours 30 minutes") == 131_400_000)
        #expect(RetentionDuration.milliseconds("INTERVAL 1.5 DAYS") == 129_600_000)
        #expect(RetentionDuration.milliseconds("interval 1 microsecond") == 1)
        #expect(RetentionDuration.milliseconds("interval 0 days") == 0)
        // The snapshot's parser is the same one (it used to accept one unit only).
        #expect(Snapshot.parseInterval("interval 36 hours 30 minutes") == 131_400_000)
        for bad in ["", "interval", "interval x days", "interval 1", "interval -1 days", "interval 1 month",
                    "interval nan days", "interval inf days", "interval 1e400 days", "interval 1 days 2"] {
            #expect(RetentionDuration.milliseconds(bad) == nil, "\(bad)")
        }
    }

    @Test("intervals and hours beyond Int64 milliseconds saturate instead of trapping")
    func saturation() {
        #expect(RetentionDuration.milliseconds("interval 99999999999999 weeks") == .max)
        #expect(RetentionDuration.milliseconds("interval 9223372036854775807 days 9223372036854775807 weeks") == .max)
        #expect(RetentionDuration.milliseconds("interval 1e300 hours") == .max)
        #expect(RetentionDuration.milliseconds(hours: 3e9) == 10_800_000_000_000_000)
        #expect(RetentionDuration.milliseconds(hours: 3e12) == .max)
        #expect(RetentionDuration.milliseconds(hours: 1e300) == .max)
        #expect(RetentionDuration.milliseconds(hours: .infinity) == .max)
        #expect(RetentionDuration.milliseconds(hours: -1) == 0)
        #expect(Int64(saturating: 9.3e18) == .max)
        #expect(Int64(saturating: -9.3e18) == .min)
        #expect(Int64(saturating: .nan) == 0)
        #expect(Int64(saturating: 42.9) == 42)
        #expect(Int64.max.saturatingAdding(1) == .max)
        #expect(Int64.min.saturatingAdding(-1) == .min)
        #expect(Int64(5).saturatingSubtracting(.max) == 5 - Int64.max)
        #expect(Int64.min.saturatingSubtracting(1) == .min)
        #expect([Int64.max, 1, 2].saturatingSum() == .max)
    }
}
