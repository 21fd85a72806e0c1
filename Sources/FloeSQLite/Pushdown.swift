import Foundation
import FloeColumnar

/// Turns SQLite constraints on a Floe virtual table into Floe ``Condition``s.
///
/// The rule: a pushed condition must hold for every row SQLite's own comparison would keep (it
/// may keep more — SQLite re-checks every constraint, so pushdown only skips work). Where Floe's
/// and SQLite's comparisons could disagree the condition is widened or not pushed:
/// - strict `<`/`>` on floats, decimals and strings are pushed as `<=`/`>=` (SQLite compares
///   decimals as REAL, and Swift string equality is canonical-equivalence, not byte equality);
/// - decimals get a margin of at least two units of their scale (and 1e-12 relative) around the
///   REAL bound;
/// - a REAL bound on an integer column is rounded outwards;
/// - dates and timestamps are TEXT in SQL, so a text bound is used only through its leading
///   `YYYY-MM-DD`, as a whole-day range (exact when it is a canonical microsecond timestamp);
/// - `IS NULL` is not pushed on float columns (SQLite turns NaN into NULL);
/// - text comparisons are pushed only under the BINARY collation; booleans only for `= 0/1`;
///   blobs and nested columns only for `IS [NOT] NULL`; a value of another storage class than the
///   column's is not pushed.
enum Pushdown {
    /// A pushable comparison.
    enum Operator: String, Hashable {
        case equal = "eq", less = "lt", lessOrEqual = "le", greater = "gt", greaterOrEqual = "ge"
        case `in` = "in", isNull = "nl", isNotNull = "nn"
    }

    /// How `constraint` on a column of `type` is pushed, or nil when it is not.
    static func `operator`(for constraint: IndexConstraint, type: DataType) -> Operator? {
        let comparisons: Bool
        switch type {
        case .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64,
             .float16, .float32, .float64, .decimal, .date32, .timestamp:
            comparisons = true
        case .string:
            comparisons = (constraint.collation ?? "BINARY").uppercased() == "BINARY"
        default:
            comparisons = false
        }
        switch constraint.op {
        case .isNull:
            switch type {
            case .float16, .float32, .float64: return nil
            default: return .isNull
            }
        case .isNotNull: return .isNotNull
        case .equal:
            if case .boolean = type { return constraint.isInList ? .in : .equal }
            guard comparisons else { return nil }
            return constraint.isInList ? .in : .equal
        case .less: return comparisons ? .less : nil
        case .lessOrEqual: return comparisons ? .lessOrEqual : nil
        case .greater: return comparisons ? .greater : nil
        case .greaterOrEqual: return comparisons ? .greaterOrEqual : nil
        default: return nil
        }
    }

    /// The condition for one filter argument of a pushed `op` on `column`, or nil when the value
    /// cannot be pushed safely (SQLite then filters alone).
    static func condition(column: String, type: DataType, op: Operator, argument: FilterArgument) -> Condition? {
        switch (op, argument) {
        case (.isNull, _): return .isNull(column: column)
        case (.isNotNull, _): return .isNotNull(column: column)
        case (.in, .list(let values)):
            var parts: [Condition] = []
            for value in values {
                guard let part = comparison(column: column, type: type, op: .equal, value: value) else { return nil }
                parts.append(part)
            }
            if parts.isEmpty { return nil }
            var exact: [Scalar] = []
            for part in parts {
                guard case .comparison(_, .equal, let v) = part else { return .or(parts) }
                exact.append(v)
            }
            return .isIn(column: column, values: exact)
        case (.in, .value(let value)), (_, .value(let value)):
            return comparison(column: column, type: type, op: op == .in ? .equal : op, value: value)
        case (_, .list):
            return nil
        }
    }

    /// The condition for `column op value`, widened as described in ``Pushdown``.
    static func comparison(column: String, type: DataType, op: Operator, value: SQLiteValue) -> Condition? {
        func compare(_ op: ComparisonOperator, _ v: Scalar) -> Condition { .comparison(column: column, op: op, value: v) }
        /// `lower <= column <= upper` for `=`, `column >= lower` for `>`/`>=`, `column <= upper` for `<`/`<=`.
        func range(_ lower: Scalar, _ upper: Scalar) -> Condition? {
            switch op {
            case .equal: return lower == upper ? compare(.equal, lower) : .and([compare(.greaterOrEqual, lower), compare(.lessOrEqual, upper)])
            case .greater, .greaterOrEqual: return compare(.greaterOrEqual, lower)
            case .less, .lessOrEqual: return compare(.lessOrEqual, upper)
            default: return nil
            }
        }
        switch type {
        case .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64:
            switch value {
            case .integer(let v):
                return exact(op).map { compare($0, .int(v)) }
            case .real(let d):
                guard d.isFinite, abs(d) < 9.0e18 else { return nil }
                return range(.int(Int64(d.rounded(.down))), .int(Int64(d.rounded(.up))))
            default: return nil
            }
        case .float16, .float32, .float64:
            let d: Double
            switch value {
            case .integer(let v): d = Double(v)
            case .real(let r): d = r
            default: return nil
            }
            guard !d.isNaN else { return nil }
            return range(.float(d), .float(d))
        case .decimal(_, let scale):
            let d: Double
            switch value {
            case .integer(let v): d = Double(v)
            case .real(let r): d = r
            default: return nil
            }
            let scaled = d * pow(10, Double(scale))
            guard scaled.isFinite, abs(scaled) < 1e36 else { return nil }
            let margin = max(2, abs(scaled) * 1e-12)
            return range(.decimal(Int128((scaled - margin).rounded(.down))), .decimal(Int128((scaled + margin).rounded(.up))))
        case .string:
            guard case .text(let s) = value else { return nil }
            return range(.string(s), .string(s))
        case .boolean:
            guard op == .equal, case .integer(let v) = value, v == 0 || v == 1 else { return nil }
            return compare(.equal, .bool(v == 1))
        case .date32:
            guard case .text(let s) = value, let day = leadingDate(s) else { return nil }
            return range(.int(day), .int(day))
        case .timestamp(let unit, let zone):
            guard case .text(let s) = value, let day = leadingDate(s) else { return nil }
            if unit == .microsecond, let micros = Temporal.parseTimestampMicros(s),
               Temporal.formatTimestamp(micros: micros, utc: zone != nil) == s, let exactOp = exact(op) {
                // A canonical rendering: text order is time order.
                return compare(exactOp, .int(micros))
            }
            guard let start = ticks(days: day, unit: unit), let end = ticks(days: day + 1, unit: unit) else { return nil }
            switch op {
            case .equal: return .and([compare(.greaterOrEqual, .int(start)), compare(.less, .int(end))])
            case .greater, .greaterOrEqual: return compare(.greaterOrEqual, .int(start))
            case .less, .lessOrEqual: return compare(.less, .int(end))
            default: return nil
            }
        default:
            return nil
        }
    }

    static func exact(_ op: Operator) -> ComparisonOperator? {
        switch op {
        case .equal: .equal
        case .less: .less
        case .lessOrEqual: .lessOrEqual
        case .greater: .greater
        case .greaterOrEqual: .greaterOrEqual
        default: nil
        }
    }

    /// The day number of a text's leading `YYYY-MM-DD` (four-digit year), or nil.
    static func leadingDate(_ text: String) -> Int64? {
        let bytes = Array(text.utf8.prefix(10))
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              bytes.enumerated().allSatisfy({ $0.offset == 4 || $0.offset == 7 || ($0.element >= 48 && $0.element <= 57) }) else {
            return nil
        }
        return Temporal.parseDate(Substring(String(decoding: bytes, as: UTF8.self)))
    }

    /// Midnight of day `days` in ticks of `unit`, nil on overflow.
    static func ticks(days: Int64, unit: TimeUnit) -> Int64? {
        let (seconds, o1) = days.multipliedReportingOverflow(by: 86_400)
        let (value, o2) = seconds.multipliedReportingOverflow(by: unit.ticksPerSecond)
        return o1 || o2 ? nil : value
    }
}
