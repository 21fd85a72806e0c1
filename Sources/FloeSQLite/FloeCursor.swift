import Floe
import FloeColumnar

/// A scan of a ``FloeTableSource`` driven by SQLite.
///
/// Invariants: at most one batch (one row group of the projected columns) is held at a time;
/// while not ``isAtEnd``, `row` is a valid row of `batch`; `slots[i]` is the batch column holding
/// virtual table column `i`, nil when the statement does not read it.
final class FloeCursor: VirtualTableCursor {
    let source: FloeTableSource
    private var batches: ScanBatches?
    private var batch: RecordBatch?
    private var row = 0
    private var slots: [Int?] = []
    private(set) var rowID: Int64 = 0

    init(source: FloeTableSource) { self.source = source }

    var isAtEnd: Bool { batch == nil }

    /// Starts a Floe scan of the plan's columns with the plan's constraints as a condition.
    func filter(indexNumber: Int32, indexString: String?, arguments: [FilterArgument]) throws {
        let plan = indexString.flatMap(ScanPlan.init) ?? ScanPlan(columnsUsed: .max, terms: [])
        var conditions: [Condition] = []
        for term in plan.terms where term.column >= 0 && term.column < source.fields.count {
            let field = source.fields[term.column]
            let argument: FilterArgument
            if term.argument == 0 {
                argument = .value(.null)
            } else if term.argument <= arguments.count {
                argument = arguments[term.argument - 1]
            } else {
                continue
            }
            if let condition = Pushdown.condition(column: field.name, type: field.dataType, op: term.op, argument: argument) {
                conditions.append(condition)
            }
        }
        let condition: Condition? = conditions.isEmpty ? nil : conditions.count == 1 ? conditions[0] : .and(conditions)
        let names = source.fields.indices.filter(plan.usesColumn).map { source.fields[$0].name }
        var iterator: ScanBatches
        do {
            iterator = try source.table.scan(source.snapshot, columns: names, where: condition).batches()
        } catch {
            throw wrap(error)
        }
        let statistics = source.statistics
        statistics.scans += 1
        statistics.filesRead += iterator.files.count
        statistics.filesSkipped += source.snapshot.activeFiles.count - iterator.files.count
        statistics.lastCondition = condition
        statistics.lastColumns = names
        slots = source.fields.indices.map { i in names.firstIndex(of: source.fields[i].name) }
        batch = nil
        row = 0
        rowID = 0
        do {
            batch = try iterator.next()
        } catch {
            throw wrap(error)
        }
        batches = iterator
        if batch != nil { statistics.rowsReturned += 1 }
    }

    func next() throws {
        guard let current = batch else { return }
        rowID += 1
        row += 1
        if row < current.count {
            source.statistics.rowsReturned += 1
            return
        }
        batch = nil
        row = 0
        guard var iterator = batches else { return }
        do {
            batch = try iterator.next()
        } catch {
            throw wrap(error)
        }
        batches = iterator
        if batch != nil { source.statistics.rowsReturned += 1 }
    }

    func column(_ index: Int, into result: ColumnResult) throws {
        guard let batch, index >= 0, index < slots.count, let slot = slots[index] else {
            result.setNull()
            return
        }
        SQLiteEncoding.write(batch.columns[slot], row: row, to: result)
    }

    /// A Floe error as an ``SQLiteError`` naming the table, so SQLite reports its message.
    private func wrap(_ error: any Error) -> any Error {
        if error is SQLiteError { return error }
        let text: String
        if let e = error as? DeltaError { text = e.message } else if let e = error as? ColumnarError { text = e.message } else { text = "\(error)" }
        return SQLiteError(.error, "table \(source.name): \(text)", underlying: error)
    }
}
