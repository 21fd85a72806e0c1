/// A comparison operator of a ``Condition``.
public enum ComparisonOperator: String, Sendable, Hashable, CaseIterable {
    case equal = "=", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="

    /// The operator with its operands swapped (`a < b` ⇔ `b > a`).
    public var swapped: ComparisonOperator {
        switch self {
        case .equal, .notEqual: self
        case .less: .greater
        case .lessOrEqual: .greaterOrEqual
        case .greater: .less
        case .greaterOrEqual: .lessOrEqual
        }
    }

    func holds(_ order: Int) -> Bool {
        switch self {
        case .equal: order == 0
        case .notEqual: order != 0
        case .less: order < 0
        case .lessOrEqual: order <= 0
        case .greater: order > 0
        case .greaterOrEqual: order >= 0
        }
    }
}

/// A boolean condition over a batch's columns, with SQL semantics: comparisons with null are
/// unknown, and rows where the whole predicate is unknown do not match.
///
/// Columns are named by top-level name or by a dotted path into structs (`"loc.lat"`). Literals are
/// ``Scalar`` values; ``bind(to:)`` converts them to the column's type (e.g. a decimal literal to
/// the column's scale, a string to a date) before evaluation.
public indirect enum Condition: Sendable, Hashable {
    case comparison(column: String, op: ComparisonOperator, value: Scalar)
    case isIn(column: String, values: [Scalar])
    case isNull(column: String)
    case isNotNull(column: String)
    case and([Condition])
    case or([Condition])
    case not(Condition)
    case constant(Bool)

    /// Every column name the predicate refers to.
    public var columnNames: Set<String> {
        switch self {
        case .comparison(let c, _, _), .isIn(let c, _), .isNull(let c), .isNotNull(let c): [c]
        case .and(let ps), .or(let ps): ps.reduce(into: Set<String>()) { $0.formUnion($1.columnNames) }
        case .not(let p): p.columnNames
        case .constant: []
        }
    }
}

/// The result of evaluating a predicate with SQL's three-valued logic.
public enum TriState: Sendable, Hashable {
    case yes, no, unknown

    static func and(_ a: TriState, _ b: TriState) -> TriState {
        if a == .no || b == .no { return .no }
        if a == .unknown || b == .unknown { return .unknown }
        return .yes
    }
    static func or(_ a: TriState, _ b: TriState) -> TriState {
        if a == .yes || b == .yes { return .yes }
        if a == .unknown || b == .unknown { return .unknown }
        return .no
    }
    var negated: TriState {
        switch self { case .yes: .no; case .no: .yes; case .unknown: .unknown }
    }
}
