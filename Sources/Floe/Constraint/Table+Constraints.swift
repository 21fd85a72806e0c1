import FloeColumnar

extension Table {
    /// The CHECK constraints and column invariants of the latest version (see ``TableConstraint``).
    public func constraints() throws -> [TableConstraint] {
        let snapshot = try self.snapshot()
        return try TableConstraint.all(in: snapshot.metadata, schema: snapshot.schema)
    }

    /// Adds the CHECK constraint `name`: every row must make `expression` true (a NULL result
    /// violates it, as the Delta protocol requires), and later writes are refused for rows that do
    /// not.
    ///
    /// The existing rows are checked first; the constraint is committed (operation
    /// `ADD CONSTRAINT`) only if all of them satisfy it. The property `delta.constraints.<name>` is
    /// stored with the name lowercased, as Delta does, and the protocol is upgraded as Delta does:
    /// a legacy writer version below 3 becomes 3, writer version 7 gains the `checkConstraints`
    /// feature. A concurrent commit that adds or removes data makes this one fail with
    /// ``DeltaError/Code/conflict`` (the check would be stale).
    ///
    /// - Parameters:
    ///   - name: Letters, digits and `_`, not already a constraint of the table (case-insensitive).
    ///   - expression: A SQL boolean expression over the table's columns, in the grammar of
    ///     ``Condition/init(sql:schema:)``.
    /// - Returns: The commit (its version), like the other table changes.
    /// - Throws: ``DeltaError/Code/invalidArgument`` for a bad or taken name or an expression that
    ///   does not parse against the schema; ``DeltaError/Code/constraintViolation`` naming the first
    ///   existing row that violates it; ``DeltaError/Code/unsupportedFeature`` when Floe cannot
    ///   write the table; ``DeltaError/Code/conflict``.
    @discardableResult
    public func addConstraint(named name: String, _ expression: String, commit options: CommitOptions = CommitOptions()) throws -> CommitResult {
        guard !name.isEmpty, name.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_") }) else {
            throw DeltaError(.invalidArgument, "constraint name '\(name)' must be letters, digits and '_'")
        }
        let snapshot = try latestSnapshot()
        let key = TableConstraint.propertyKey(name)
        if let existing = snapshot.metadata.configuration.first(where: { $0.key.lowercased() == key }) {
            throw DeltaError(.invalidArgument, "table \(root) already has the CHECK constraint \(name) (\(existing.value)); drop it first")
        }
        let constraint = TableConstraint(name: name.lowercased(), expression: expression, kind: .check)
        let arrow = try snapshot.schema.arrowSchema()
        let condition: Condition
        do { condition = try Condition(sql: expression, schema: arrow) } catch let error as DeltaError {
            throw DeltaError(.invalidArgument, "CHECK constraint \(name): \(error.message)", underlying: error)
        }
        try Snapshot.validateReadable(snapshot.protocol, table: root)
        try Transaction.validateWritable(snapshot.protocol, metadata: snapshot.metadata, addsData: false, table: root)

        // Every existing row must satisfy it.
        let columns = Set(condition.columnNames.map { String($0.split(separator: ".", maxSplits: 1).first ?? Substring($0)) })
        let names = snapshot.schema.fields.map(\.name).filter { columns.contains($0) }
        var batches = try Scan(snapshot: snapshot, storage: storage, columns: names, predicate: nil).batches()
        var rowsBefore = 0
        while let batch = try batches.next() {
            let states = try ConstraintChecker.evaluate(condition, batch, constraint: constraint)
            if let bad = states.firstIndex(where: { $0 != .yes }) {
                let values = condition.columnNames.sorted().map { column in
                    "\(column) = \(ConstraintChecker.display((try? batch.resolve(column))?.scalar(at: bad) ?? .null))"
                }
                throw DeltaError(.constraintViolation, "cannot add the \(constraint.label) to table \(root): row \(rowsBefore + bad + 1) of version \(snapshot.version) does not satisfy it (the expression is \(states[bad] == .unknown ? "NULL" : "false") for \(values.joined(separator: ", ")))")
            }
            rowsBefore += batch.count
        }

        var transaction = transaction(from: snapshot, operation: "ADD CONSTRAINT")
        if snapshot.protocol.minWriterVersion < 3 {
            var upgraded = snapshot.protocol
            upgraded.minWriterVersion = 3
            try transaction.updateProtocol(upgraded)
        }
        var metadata = snapshot.metadata
        metadata.configuration[key] = expression
        try transaction.updateMetadata(metadata)
        transaction.recordRead(.wholeTable)
        transaction.operationParameters["name"] = name.lowercased()
        transaction.operationParameters["expr"] = expression
        return try transaction.commit(options: options)
    }

    /// Drops the CHECK constraint `name` (case-insensitive), committing operation
    /// `DROP CONSTRAINT`. The protocol is left as it is.
    ///
    /// - Returns: The commit (its version), like the other table changes.
    /// - Throws: ``DeltaError/Code/invalidArgument`` when the table has no such constraint;
    ///   ``DeltaError/Code/unsupportedFeature`` when Floe cannot write the table;
    ///   ``DeltaError/Code/conflict``.
    @discardableResult
    public func dropConstraint(named name: String, commit options: CommitOptions = CommitOptions()) throws -> CommitResult {
        let snapshot = try latestSnapshot()
        let key = TableConstraint.propertyKey(name)
        let stored = snapshot.metadata.configuration.keys.filter { $0.lowercased() == key }
        guard !stored.isEmpty else {
            let names = snapshot.metadata.configuration.keys.filter { $0.hasPrefix(TableConstraint.propertyPrefix) }
                .map { String($0.dropFirst(TableConstraint.propertyPrefix.count)) }.sorted()
            throw DeltaError(.invalidArgument, "table \(root) has no CHECK constraint \(name) (its constraints: \(names.isEmpty ? "none" : names.joined(separator: ", ")))")
        }
        try Snapshot.validateReadable(snapshot.protocol, table: root)
        try Transaction.validateWritable(snapshot.protocol, metadata: snapshot.metadata, addsData: false, table: root)
        var transaction = transaction(from: snapshot, operation: "DROP CONSTRAINT")
        var metadata = snapshot.metadata
        for key in stored { metadata.configuration[key] = nil }
        try transaction.updateMetadata(metadata)
        transaction.operationParameters["name"] = name.lowercased()
        return try transaction.commit(options: options)
    }
}
