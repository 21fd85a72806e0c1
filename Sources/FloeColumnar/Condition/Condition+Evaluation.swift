extension Scalar {
    /// Orders two non-null scalars of compatible kinds (numbers compare across int/uint/float;
    /// decimals must have been bound to the same scale). Nil when they are not comparable.
    public static func compare(_ a: Scalar, _ b: Scalar) -> Int? {
        func cmp<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x == y ? 0 : 1) }
        switch (a, b) {
        case (.bool(let x), .bool(let y)): return cmp(x ? 1 : 0, y ? 1 : 0)
        case (.int(let x), .int(let y)): return cmp(x, y)
        case (.uint(let x), .uint(let y)): return cmp(x, y)
        case (.int(let x), .uint(let y)): return x < 0 ? -1 : cmp(UInt64(x), y)
        case (.uint(let x), .int(let y)): return y < 0 ? 1 : cmp(x, UInt64(y))
        case (.float(let x), .float(let y)):
            if x.isNaN || y.isNaN { return x.isNaN && y.isNaN ? 0 : (x.isNaN ? 1 : -1) } // NaN sorts last, as in Spark
            return cmp(x, y)
        case (.float(let x), .int(let y)): return compare(.float(x), .float(Double(y)))
        case (.int(let x), .float(let y)): return compare(.float(Double(x)), .float(y))
        case (.float(let x), .uint(let y)): return compare(.float(x), .float(Double(y)))
        case (.uint(let x), .float(let y)): return compare(.float(Double(x)), .float(y))
        case (.decimal(let x), .decimal(let y)): return cmp(x, y)
        case (.string(let x), .string(let y)):
            if x == y { return 0 }
            return x.utf8.lexicographicallyPrecedes(y.utf8) ? -1 : 1
        case (.binary(let x), .binary(let y)):
            if x == y { return 0 }
            return x.lexicographicallyPrecedes(y) ? -1 : 1
        default: return nil
        }
    }
}

extension Condition {
    /// Evaluates the predicate for every row of `batch`: true where it holds (unknown counts as
    /// false). Throws ``ColumnarError/Code-swift.struct/schemaMismatch`` for an unknown column.
    public func evaluate(_ batch: RecordBatch) throws -> [Bool] {
        let states = try evaluateStates(batch)
        return states.map { $0 == .yes }
    }

    /// Evaluates the predicate for every row of `batch` with SQL's three-valued logic: `.unknown`
    /// where the result is NULL (e.g. a comparison with a null value). Constraint checks need the
    /// difference, since a NULL result violates a Delta CHECK constraint.
    /// Throws ``ColumnarError/Code-swift.struct/schemaMismatch`` for an unknown column.
    public func evaluateStates(_ batch: RecordBatch) throws -> [TriState] {
        let n = batch.count
        switch self {
        case .constant(let b):
            return Array(repeating: b ? .yes : .no, count: n)
        case .comparison(let name, let op, let value):
            let column = try batch.resolve(name)
            if value.isNull { return Array(repeating: .unknown, count: n) }
            return (0..<n).map { i in
                let v = column.scalar(at: i)
                if v.isNull { return .unknown }
                guard let order = Scalar.compare(v, value) else { return .unknown }
                return op.holds(order) ? .yes : .no
            }
        case .isIn(let name, let values):
            let column = try batch.resolve(name)
            let hasNull = values.contains { $0.isNull }
            return (0..<n).map { i in
                let v = column.scalar(at: i)
                if v.isNull { return .unknown }
                if values.contains(where: { !$0.isNull && Scalar.compare(v, $0) == 0 }) { return .yes }
                return hasNull ? .unknown : .no
            }
        case .isNull(let name):
            let column = try batch.resolve(name)
            return (0..<n).map { column.isNull(at: $0) ? .yes : .no }
        case .isNotNull(let name):
            let column = try batch.resolve(name)
            return (0..<n).map { column.isNull(at: $0) ? .no : .yes }
        case .and(let parts):
            var acc = [TriState](repeating: .yes, count: n)
            for p in parts {
                let s = try p.evaluateStates(batch)
                for i in 0..<n { acc[i] = TriState.and(acc[i], s[i]) }
            }
            return acc
        case .or(let parts):
            var acc = [TriState](repeating: .no, count: n)
            for p in parts {
                let s = try p.evaluateStates(batch)
                for i in 0..<n { acc[i] = TriState.or(acc[i], s[i]) }
            }
            return acc
        case .not(let p):
            return try p.evaluateStates(batch).map(\.negated)
        }
    }

    /// Whether some row of data with the given per-column statistics might satisfy the predicate.
    /// `statistics(name)` returns the bounds and null facts of a column, or nil when unknown.
    /// Conservative: returns true whenever the statistics cannot rule a match out.
    public func mightMatch(_ statistics: (String) -> ColumnBounds?) -> Bool {
        bounds(statistics) != .no
    }

    private func bounds(_ stats: (String) -> ColumnBounds?) -> TriState {
        switch self {
        case .constant(let b): return b ? .yes : .no
        case .comparison(let name, let op, let value):
            guard let s = stats(name) else { return .unknown }
            if value.isNull { return .no }
            if s.allNull { return .no }
            guard let lo = s.min, let hi = s.max,
                  let cLo = Scalar.compare(lo, value), let cHi = Scalar.compare(hi, value) else { return .unknown }
            switch op {
            case .equal: return (cLo > 0 || cHi < 0) ? .no : .unknown
            case .notEqual: return (cLo == 0 && cHi == 0 && s.nullCount == 0) ? .no : .unknown
            case .less: return cLo >= 0 ? .no : .unknown
            case .lessOrEqual: return cLo > 0 ? .no : .unknown
            case .greater: return cHi <= 0 ? .no : .unknown
            case .greaterOrEqual: return cHi < 0 ? .no : .unknown
            }
        case .isIn(let name, let values):
            let parts = values.map { Condition.comparison(column: name, op: .equal, value: $0) }
            return Condition.or(parts).bounds(stats)
        case .isNull(let name):
            guard let s = stats(name), let nulls = s.nullCount else { return .unknown }
            return nulls == 0 ? .no : .unknown
        case .isNotNull(let name):
            guard let s = stats(name) else { return .unknown }
            return s.allNull ? .no : .unknown
        case .and(let parts):
            return parts.contains { $0.bounds(stats) == .no } ? .no : .unknown
        case .or(let parts):
            return parts.allSatisfy { $0.bounds(stats) == .no } ? .no : .unknown
        case .not(let p):
            // Only a few negations can use bounds safely; push NOT inward where possible.
            switch p {
            case .not(let q): return q.bounds(stats)
            case .and(let ps): return Condition.or(ps.map { .not($0) }).bounds(stats)
            case .or(let ps): return Condition.and(ps.map { .not($0) }).bounds(stats)
            case .isNull(let c): return Condition.isNotNull(column: c).bounds(stats)
            case .isNotNull(let c): return Condition.isNull(column: c).bounds(stats)
            case .comparison(let c, let op, let v):
                let negated: ComparisonOperator = switch op {
                case .equal: .notEqual
                case .notEqual: .equal
                case .less: .greaterOrEqual
                case .lessOrEqual: .greater
                case .greater: .lessOrEqual
                case .greaterOrEqual: .less
                }
                return Condition.comparison(column: c, op: negated, value: v).bounds(stats)
            default: return .unknown
            }
        }
    }
}

/// What statistics say about one column over a set of rows (a row group or a data file).
///
/// Invariants: `min`/`max`, when present, bound every non-null value; `allNull` is true only when
/// every value is known to be null (then min/max are absent).
public struct ColumnBounds: Sendable, Hashable {
    public var min: Scalar?
    public var max: Scalar?
    public var nullCount: Int?
    public var allNull: Bool

    public init(min: Scalar?, max: Scalar?, nullCount: Int?, allNull: Bool = false) {
        self.min = min
        self.max = max
        self.nullCount = nullCount
        self.allNull = allNull
    }
}

extension RecordBatch {
    /// The column at a top-level name or a dotted path into structs.
    public func resolve(_ name: String) throws -> Column {
        if let c = column(named: name) { return c }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count > 1, var column = column(named: parts[0]) else {
            throw ColumnarError(.schemaMismatch, "no column named '\(name)'")
        }
        var type = column.dataType
        for part in parts.dropFirst() {
            guard case .struct(let fields) = type, let i = fields.firstIndex(where: { $0.name == part }) else {
                throw ColumnarError(.schemaMismatch, "no column named '\(name)'")
            }
            let parentValidity = column
            column = column.children[i]
            type = fields[i].dataType
            if parentValidity.nullCount > 0 {
                // A null struct makes its fields null.
                let mask = (0..<column.count).map { parentValidity.isValid(at: $0) }
                column = column.maskingNulls(where: mask)
            }
        }
        return column
    }
}

extension Column {
    /// This column with entries where `keep[i]` is false turned into nulls.
    public func maskingNulls(where keep: [Bool]) -> Column {
        let indices: [Int32] = keep.enumerated().map { $0.element ? Int32($0.offset) : -1 }
        return take(indices)
    }
}
