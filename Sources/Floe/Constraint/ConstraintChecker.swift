import FloeColumnar

/// Checks rows against a table's CHECK constraints and column invariants before they are written.
///
/// Built once per write from the table's metadata: every constraint is parsed up front, so a
/// constraint Floe cannot evaluate refuses the write before any row is looked at (enforcement is
/// never skipped). Invariant: ``constraints`` and the parsed conditions correspond one to one.
struct ConstraintChecker {
    /// The table's constraints, in ``TableConstraint/all(in:schema:)`` order.
    let constraints: [TableConstraint]
    private let conditions: [Condition]

    /// Parses the constraints of a table with `metadata` against `schema` (the table's, after any
    /// schema evolution of the write).
    ///
    /// - Throws: ``DeltaError/Code/unsupportedFeature`` naming a constraint Floe cannot evaluate.
    init(metadata: Metadata, schema: StructType) throws {
        constraints = try TableConstraint.all(in: metadata, schema: schema)
        let arrow = try schema.arrowSchema()
        conditions = try constraints.map { try $0.condition(schema: arrow) }
    }

    /// Whether there is nothing to check.
    var isEmpty: Bool { constraints.isEmpty }

    /// The keys of the constraints this checker enforces (what ``Transaction`` compares with the
    /// table's constraints at commit).
    var keys: Set<String> { Set(constraints.map { "\($0.key)=\($0.expression)" }) }

    /// Checks every row of `batch` (conformed to the table schema); `firstRow` is the 1-based number
    /// of its first row within the whole write.
    ///
    /// - Throws: ``DeltaError/Code/constraintViolation`` naming the constraint, its columns with
    ///   their values, and the first violating row (1-based within the write).
    func check(_ batch: RecordBatch, firstRow: Int, action: String = "append", options: WriteOptions = WriteOptions()) throws {
        for (constraint, condition) in zip(constraints, conditions) {
            let states = try Self.evaluate(condition, batch, constraint: constraint)
            guard let bad = states.firstIndex(where: { $0 != .yes }) else { continue }
            let columns = condition.columnNames.sorted()
            let values = columns.map { name -> String in
                let value = (try? batch.resolve(name))?.scalar(at: bad) ?? .null
                return "\(name) = \(Self.display(value))"
            }
            let outcome = states[bad] == .unknown ? "NULL" : "false"
            throw DeltaError(.constraintViolation, "row \(firstRow + bad) of the \(action)\(options.lineSuffix(row: firstRow + bad - 1)) violates the \(constraint.label): the expression is \(outcome) for \(values.isEmpty ? "the row" : values.joined(separator: ", ")); nothing was committed")
        }
    }

    /// The three-valued result of `condition` for each row.
    static func evaluate(_ condition: Condition, _ batch: RecordBatch, constraint: TableConstraint) throws -> [TriState] {
        do {
            return try condition.evaluateStates(batch)
        } catch let error as ColumnarError {
            throw DeltaError(.unsupportedFeature, "Floe cannot evaluate the \(constraint.label): \(error)", underlying: error)
        }
    }

    /// A value as messages show it: strings quoted, NULL in capitals.
    static func display(_ value: Scalar) -> String {
        switch value {
        case .null: "NULL"
        case .string(let s): "'" + s.replacingOccurrences(of: "'", with: "''") + "'"
        case .int(let v): String(v)
        case .float(let v): String(v)
        case .bool(let v): v ? "true" : "false"
        default: "\(value)"
        }
    }
}
