import Foundation

/// Options for creating a table.
public struct TableCreationOptions: Sendable, Hashable {
    /// Whether to enable In-Commit Timestamps (default `true`): commit times then come from the
    /// log rather than file modification times, which makes time travel robust to file copies.
    /// Turn it off for the widest compatibility with older readers and writers.
    public var inCommitTimestamps: Bool
    /// The table name recorded in the metadata.
    public var name: String?
    /// The table description recorded in the metadata.
    public var description: String?
    /// The table id (a GUID); a random UUID when `nil`.
    public var tableID: String?

    /// Creates options.
    public init(inCommitTimestamps: Bool = true, name: String? = nil, description: String? = nil, tableID: String? = nil) {
        self.inCommitTimestamps = inCommitTimestamps
        self.name = name
        self.description = description
        self.tableID = tableID
    }
}

extension Transaction {
    /// Starts a transaction that creates a table at version 0 (a `CREATE TABLE`, or with staged
    /// files a `CREATE TABLE AS SELECT`).
    ///
    /// The protocol is the smallest one that supports what the schema and properties use:
    /// - With In-Commit Timestamps (the default): writer version 7 with the `inCommitTimestamp`
    ///   writer feature (and `delta.enableInCommitTimestamps=true` in the properties).
    ///   In-Commit Timestamps are a writer-only feature, so the reader version stays 1.
    /// - Without: reader version 1, writer version 2 (the version every Delta client writes).
    /// - More writer features are listed only when used: `appendOnly` when `delta.appendOnly` is
    ///   `true`, `invariants` when a column has `delta.invariants`, `checkConstraints` for
    ///   `delta.constraints.*`, `changeDataFeed` when `delta.enableChangeDataFeed` is `true`,
    ///   `generatedColumns` for `delta.generationExpression`. On writer version 7 these are listed
    ///   as features; otherwise the legacy writer version is raised to cover them (3 for CHECK
    ///   constraints, 4 for change data feed or generated columns).
    /// - Reader-writer features needed by the schema or properties — `timestampNtz` for
    ///   `timestamp_ntz` columns, `variantType` for `variant` columns, `deletionVectors` when
    ///   `delta.enableDeletionVectors` is `true` — make it reader version 3 / writer version 7 with
    ///   those features in both lists.
    ///
    /// - Column mapping (`delta.columnMapping.mode` `name` or `id`): every field, nested ones
    ///   included, gets a `delta.columnMapping.id` and a `col-<uuid>` physical name (ids and names
    ///   the schema already has are kept) and `delta.columnMapping.maxColumnId` is set; the protocol
    ///   lists `columnMapping` as a reader-writer feature when it uses table features, otherwise it
    ///   is the legacy reader version 2 / writer version 5.
    ///
    /// Identity columns and row tracking are not supported yet and are refused.
    ///
    /// - Throws: ``DeltaError/Code/invalidArgument`` for an invalid schema or partition columns,
    ///   ``DeltaError/Code/unsupportedFeature`` for properties Floe cannot honour.
    public static func creatingTable(in table: Table, schema: StructType, partitionColumns: [String] = [],
                                     configuration: [String: String] = [:],
                                     options: TableCreationOptions = TableCreationOptions()) throws -> Transaction {
        guard !schema.fields.isEmpty else {
            throw DeltaError(.invalidArgument, "a table schema needs at least one column")
        }
        do {
            try schema.validate()
        } catch let error as DeltaError {
            throw DeltaError(.invalidArgument, error.message, underlying: error)
        }
        for column in partitionColumns {
            guard let field = schema.field(named: column) else {
                throw DeltaError(.invalidArgument, "partition column '\(column)' is not in the schema")
            }
            guard field.type.isPrimitive, field.type != .variant, field.type != .void else {
                throw DeltaError(.invalidArgument, "partition column '\(column)' has type \(field.type); partition columns must be primitive")
            }
        }
        guard Set(partitionColumns).count == partitionColumns.count else {
            throw DeltaError(.invalidArgument, "partition columns \(partitionColumns) contain duplicates")
        }
        guard partitionColumns.count < schema.fields.count else {
            throw DeltaError(.invalidArgument, "a table needs at least one column that is not a partition column")
        }
        for (key, value) in configuration.sorted(by: { $0.key < $1.key }) {
            try TableProperty.validate(key, value)
        }
        var configuration = configuration
        var schema = schema
        let mappingMode = try ColumnMappingMode.requested(by: configuration)
        if mappingMode != .none {
            // Every field gets an id and a unique physical name (PROTOCOL.md, "Writer Requirements
            // for Column Mapping"); given ones are kept.
            let given = configuration[ColumnMappingMode.maxColumnIDKey].flatMap { Int64($0) } ?? 0
            var next = max(given, schema.maxColumnMappingID)
            schema = schema.assigningColumnMapping(nextID: &next, naming: .generated)
            do {
                try schema.validateColumnMapping(maxColumnID: next)
            } catch let error as DeltaError {
                throw DeltaError(.invalidArgument, error.message, underlying: error)
            }
            configuration[ColumnMappingMode.modeKey] = mappingMode.rawValue
            configuration[ColumnMappingMode.maxColumnIDKey] = String(next)
        }
        if configuration["delta.enableRowTracking"]?.lowercased() == "true" {
            throw DeltaError(.unsupportedFeature, "creating tables with row tracking is not supported yet")
        }
        if schema.anyField(where: { $0.metadata["delta.identity.start"] != nil }) {
            throw DeltaError(.unsupportedFeature, "creating tables with identity columns is not supported yet")
        }
        if options.inCommitTimestamps {
            configuration["delta.enableInCommitTimestamps"] = "true"
        } else if configuration["delta.enableInCommitTimestamps"]?.lowercased() == "true" {
            throw DeltaError(.invalidArgument, "delta.enableInCommitTimestamps=true contradicts TableCreationOptions.inCommitTimestamps=false")
        }
        let protocolAction = defaultProtocol(schema: schema, configuration: configuration)
        let metadata = Metadata(id: options.tableID ?? UUID().uuidString.lowercased(), name: options.name,
                                description: options.description, schemaString: schema.jsonString,
                                partitionColumns: partitionColumns, configuration: configuration,
                                createdTime: nowMillis())
        var transaction = Transaction(table: table, readSnapshot: nil, operation: "CREATE TABLE")
        transaction.newProtocol = protocolAction
        transaction.newMetadata = metadata
        transaction.operationParameters = [
            "partitionBy": JSONValue.array(partitionColumns.map { .string($0) }).jsonText,
            "properties": JSONValue.object(Transaction.stringObject(configuration)).jsonText,
        ]
        if let description = options.description { transaction.operationParameters["description"] = description }
        return transaction
    }

    /// The protocol Floe gives a new table; see ``creatingTable(in:schema:partitionColumns:configuration:options:)``.
    public static func defaultProtocol(schema: StructType, configuration: [String: String]) -> ProtocolAction {
        func enabled(_ key: String) -> Bool { configuration[key]?.lowercased() == "true" }
        var readerWriter: [TableFeature] = []
        if schema.fields.contains(where: { $0.type.contains(.timestampNtz) }) { readerWriter.append(.timestampNtz) }
        if schema.fields.contains(where: { $0.type.contains(.variant) }) { readerWriter.append(.variantType) }
        if enabled("delta.enableDeletionVectors") { readerWriter.append(.deletionVectors) }
        if enabled("delta.enableTypeWidening") { readerWriter.append(.typeWidening) }
        let mode = configuration["delta.columnMapping.mode"]?.lowercased()
        let columnMapping = mode == "name" || mode == "id"

        var writerOnly: [TableFeature] = []
        if enabled("delta.enableInCommitTimestamps") { writerOnly.append(.inCommitTimestamp) }
        if enabled("delta.appendOnly") { writerOnly.append(.appendOnly) }
        if schema.anyField(where: { $0.metadata["delta.invariants"] != nil }) { writerOnly.append(.invariants) }
        if configuration.keys.contains(where: { $0.hasPrefix("delta.constraints.") }) { writerOnly.append(.checkConstraints) }
        if enabled("delta.enableChangeDataFeed") { writerOnly.append(.changeDataFeed) }
        if schema.anyField(where: { $0.metadata["delta.generationExpression"] != nil }) { writerOnly.append(.generatedColumns) }

        let needsTableFeatures = !readerWriter.isEmpty || writerOnly.contains(.inCommitTimestamp)
        if needsTableFeatures {
            if columnMapping { readerWriter.append(.columnMapping) }
            return ProtocolAction(minReaderVersion: readerWriter.isEmpty ? 1 : 3, minWriterVersion: 7,
                                  readerFeatures: readerWriter.isEmpty ? nil : readerWriter,
                                  writerFeatures: writerOnly + readerWriter)
        }
        var writerVersion = 2
        if writerOnly.contains(.checkConstraints) { writerVersion = 3 }
        if writerOnly.contains(.changeDataFeed) || writerOnly.contains(.generatedColumns) { writerVersion = 4 }
        if columnMapping { writerVersion = 5 }
        return ProtocolAction(minReaderVersion: columnMapping ? 2 : 1, minWriterVersion: writerVersion)
    }
}

extension Table {
    /// Creates an empty table at version 0 and returns its snapshot.
    ///
    /// See ``Transaction/creatingTable(in:schema:partitionColumns:configuration:options:)`` for the
    /// protocol chosen.
    ///
    /// - Throws: ``DeltaError/Code/tableAlreadyExists`` when a table exists, or the errors of
    ///   ``Transaction/creatingTable(in:schema:partitionColumns:configuration:options:)``.
    @discardableResult
    public func create(schema: StructType, partitionColumns: [String] = [], configuration: [String: String] = [:],
                       options: TableCreationOptions = TableCreationOptions()) throws -> Snapshot {
        let transaction = try Transaction.creatingTable(in: self, schema: schema, partitionColumns: partitionColumns,
                                                        configuration: configuration, options: options)
        let result = try transaction.commit()
        return try snapshot(version: result.version)
    }
}
