extension Table {
    /// Renames a column in one metadata-only commit (operation `RENAME COLUMN`); see
    /// ``Transaction/renameColumn(_:to:)``. Needs column mapping.
    ///
    /// A concurrent commit that changes metadata, the protocol or data makes this one fail with
    /// ``DeltaError/Code/conflict``.
    @discardableResult
    public func renameColumn(_ path: String, to newName: String, options: CommitOptions = CommitOptions()) throws -> CommitResult {
        var transaction = try self.transaction(operation: "RENAME COLUMN")
        try transaction.renameColumn(path, to: newName)
        return try transaction.commit(options: options)
    }

    /// Drops a column in one metadata-only commit (operation `DROP COLUMNS`); see
    /// ``Transaction/dropColumn(_:)``. Needs column mapping; partition columns cannot be dropped.
    ///
    /// A concurrent commit that changes metadata, the protocol or data makes this one fail with
    /// ``DeltaError/Code/conflict``.
    @discardableResult
    public func dropColumn(_ path: String, options: CommitOptions = CommitOptions()) throws -> CommitResult {
        var transaction = try self.transaction(operation: "DROP COLUMNS")
        try transaction.dropColumn(path)
        return try transaction.commit(options: options)
    }

    /// Widens a column's type in one metadata-only commit (operation `CHANGE COLUMN`); see
    /// ``Transaction/changeColumnType(_:to:)``. Needs `delta.enableTypeWidening=true`.
    ///
    /// A concurrent commit that changes metadata, the protocol or data makes this one fail with
    /// ``DeltaError/Code/conflict``.
    @discardableResult
    public func changeColumnType(_ path: String, to type: DeltaType, options: CommitOptions = CommitOptions()) throws -> CommitResult {
        var transaction = try self.transaction(operation: "CHANGE COLUMN")
        try transaction.changeColumnType(path, to: type)
        return try transaction.commit(options: options)
    }

    /// Sets table properties in one commit (operation `SET TBLPROPERTIES`), upgrading the protocol
    /// as they need; see ``Transaction/setProperties(_:)``.
    ///
    /// A concurrent commit that changes metadata, the protocol or data makes this one fail with
    /// ``DeltaError/Code/conflict``.
    @discardableResult
    public func setProperties(_ properties: [String: String], options: CommitOptions = CommitOptions()) throws -> CommitResult {
        var transaction = try self.transaction(operation: "SET TBLPROPERTIES")
        try transaction.setProperties(properties)
        return try transaction.commit(options: options)
    }

    /// Enables column mapping in `name` mode (`SET TBLPROPERTIES`), so columns can be renamed and
    /// dropped; see ``Transaction/enableColumnMapping()``. Returns `nil` (and commits nothing) when
    /// the table already uses column mapping.
    @discardableResult
    public func enableColumnMapping(options: CommitOptions = CommitOptions()) throws -> CommitResult? {
        var transaction = try self.transaction(operation: "SET TBLPROPERTIES")
        guard transaction.effectiveColumnMappingMode == .none else { return nil }
        try transaction.enableColumnMapping()
        return try transaction.commit(options: options)
    }
}
