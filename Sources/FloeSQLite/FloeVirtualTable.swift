import Floe
import FloeColumnar

/// A ``FloeTableSource`` as an SQLite virtual table: plans which constraints and columns to push
/// into Floe scans.
final class FloeVirtualTable: VirtualTable {
    let source: FloeTableSource

    init(source: FloeTableSource) { self.source = source }

    var declaration: String { source.declaration }

    /// Accepts every usable constraint Floe can evaluate at least as loosely as SQLite (see
    /// ``Pushdown``), never omitting SQLite's own check; `IN (…)` lists arrive whole. The cost
    /// favours plans with more (and equality) constraints, and partition columns most.
    func bestIndex(_ info: IndexInfo) throws -> IndexPlan {
        var plan = IndexPlan()
        var terms: [ScanPlan.Term] = []
        var selectivity = 1.0
        for (i, constraint) in info.constraints.enumerated() where constraint.isUsable {
            guard constraint.column >= 0, constraint.column < source.fields.count else { continue }
            let field = source.fields[constraint.column]
            guard let op = Pushdown.operator(for: constraint, type: field.dataType) else { continue }
            let isPartition = source.snapshot.partitionColumns.contains(field.name)
            switch op {
            case .isNull, .isNotNull:
                terms.append(ScanPlan.Term(column: constraint.column, op: op, argument: 0))
                selectivity *= 0.5
            default:
                let argument = plan.usages.count + 1
                plan.usages[i] = IndexPlan.ConstraintUsage(argumentIndex: argument, receivesAllValues: op == .in)
                terms.append(ScanPlan.Term(column: constraint.column, op: op, argument: argument))
                let factor = op == .equal || op == .in ? 0.1 : 0.4
                selectivity *= isPartition ? factor * 0.5 : factor
            }
        }
        plan.indexString = ScanPlan(columnsUsed: info.columnsUsed, terms: terms).encoded
        let files = Double(max(1, source.snapshot.activeFiles.count))
        let rows = max(1, Double(source.estimatedRowCount) * selectivity)
        // Below 2^63, so the conversion cannot trap whatever the statistics claim.
        plan.estimatedRows = Int64(min(rows.rounded(.up), 9.0e18))
        plan.estimatedCost = 10 + files * selectivity * 100 + rows
        return plan
    }

    func openCursor() throws -> any VirtualTableCursor { FloeCursor(source: source) }
}

/// The plan a ``FloeVirtualTable`` passes from `xBestIndex` to `xFilter` in the index string:
/// `<columns used, hex>;<column>:<op>:<argument>,…` (argument 0 for operators without a value).
struct ScanPlan: Hashable {
    struct Term: Hashable {
        var column: Int
        var op: Pushdown.Operator
        var argument: Int
    }

    var columnsUsed: UInt64
    var terms: [Term]

    var encoded: String {
        String(columnsUsed, radix: 16) + ";" + terms.map { "\($0.column):\($0.op.rawValue):\($0.argument)" }.joined(separator: ",")
    }

    init(columnsUsed: UInt64, terms: [Term]) {
        self.columnsUsed = columnsUsed
        self.terms = terms
    }

    /// Decodes ``encoded``; nil for anything else.
    init?(_ text: String) {
        let parts = text.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, let used = UInt64(parts[0], radix: 16) else { return nil }
        var terms: [Term] = []
        for item in parts[1].split(separator: ",") {
            let fields = item.split(separator: ":")
            guard fields.count == 3, let column = Int(fields[0]), let op = Pushdown.Operator(rawValue: String(fields[1])),
                  let argument = Int(fields[2]) else { return nil }
            terms.append(Term(column: column, op: op, argument: argument))
        }
        columnsUsed = used
        self.terms = terms
    }

    /// Whether the statement may read column `index`.
    func usesColumn(_ index: Int) -> Bool {
        index >= 63 ? columnsUsed & (1 << 63) != 0 : columnsUsed & (1 << UInt64(index)) != 0
    }
}
