extension Int64 {
    /// `self + other`, clamped to `Int64.min...Int64.max` instead of trapping: for sums of values
    /// read from a log or statistics (sizes, row counts), which another writer may have made
    /// arbitrarily large.
    func saturatingAdding(_ other: Int64) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? .max : .min) : sum
    }

    /// `self - other`, clamped to `Int64.min...Int64.max` instead of trapping (a cutoff `now -
    /// retention` for a retention longer than the epoch).
    func saturatingSubtracting(_ other: Int64) -> Int64 {
        let (difference, overflow) = subtractingReportingOverflow(other)
        return overflow ? (other > 0 ? .min : .max) : difference
    }

    /// `value` rounded toward zero, clamped to `Int64.min...Int64.max`; NaN gives 0. The
    /// conversion `Int64(_:)` traps outside the range; this one never does.
    init(saturating value: Double) {
        if value.isNaN {
            self = 0
        } else if value >= 9_223_372_036_854_775_808.0 {  // 2^63, the first Double beyond Int64
            self = .max
        } else if value < -9_223_372_036_854_775_808.0 {
            self = .min
        } else {
            self = Int64(value)
        }
    }
}

extension Sequence where Element == Int64 {
    /// The sum, saturating at the bounds of `Int64` (see ``Swift/Int64/saturatingAdding(_:)``).
    func saturatingSum() -> Int64 { reduce(0) { $0.saturatingAdding($1) } }
}
