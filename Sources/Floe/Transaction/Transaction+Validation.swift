extension Transaction {
    /// Checks that the staged changes are valid and that Floe can write this table.
    func validate() throws {
        guard let metadata = effectiveMetadata, let p = effectiveProtocol else {
            throw DeltaError(.invalidArgument, "a transaction creating a table needs both metadata and a protocol")
        }
        try Snapshot.validateReadable(p, table: table.root)
        try Self.validateWritable(p, metadata: metadata, addsData: addedFiles.contains { $0.dataChange }, table: table.root,
                                  checkedConstraints: checkedConstraints)

        let appendOnly = metadata.configuration["delta.appendOnly"]?.lowercased() == "true"
            && ((2...6).contains(p.minWriterVersion) || p.hasWriterFeature(.appendOnly))
        if appendOnly, let removal = removedFiles.first(where: \.dataChange) {
            throw DeltaError(.invalidArgument, "table \(table.root) is append-only (delta.appendOnly=true): cannot remove \(removal.path) with dataChange=true")
        }

        // Under column mapping, `add.partitionValues` are keyed by physical names.
        let mode = ColumnMappingMode(metadata: metadata, protocol: p)
        let schemaForKeys = mode == .none ? nil : try metadata.schema()
        let partitionColumns = Set(metadata.partitionColumns.map { c in schemaForKeys?.field(named: c)?.physicalName(for: mode) ?? c })
        var seen = Set<FileKey>()
        for add in addedFiles {
            guard Set(add.partitionValues.keys) == partitionColumns else {
                throw DeltaError(.invalidArgument, "file \(add.path) has partition values for \(add.partitionValues.keys.sorted()) but the table is partitioned by \(partitionColumns.sorted())")
            }
            guard !add.path.isEmpty, seen.insert(add.fileKey).inserted else {
                throw DeltaError(.invalidArgument, "file \(add.path) is added more than once (or has an empty path)")
            }
            guard add.size >= 0 else { throw DeltaError(.invalidArgument, "file \(add.path) has a negative size") }
        }
        var removed = Set<FileKey>()
        for remove in removedFiles where !removed.insert(remove.fileKey).inserted {
            throw DeltaError(.invalidArgument, "file \(remove.path) is removed more than once")
        }
        if newMetadata == nil && newProtocol == nil && readSnapshot == nil {
            throw DeltaError(.invalidArgument, "a transaction creating a table needs metadata and a protocol")
        }
    }

    /// Checks that Floe can honour every writer requirement of protocol `p` for a table with
    /// `metadata`. Data may be added to a table with CHECK constraints or column invariants only when
    /// `checkedConstraints` lists every one of them (``ConstraintChecker/keys``).
    ///
    /// - Throws: ``DeltaError/Code/unsupportedFeature`` naming what Floe cannot honour.
    static func validateWritable(_ p: ProtocolAction, metadata: Metadata, addsData: Bool, table: String,
                                 checkedConstraints: Set<String>? = nil) throws {
        guard (1...7).contains(p.minWriterVersion) else {
            throw DeltaError(.unsupportedFeature, "table \(table) requires writer version \(p.minWriterVersion); Floe supports writer versions 1 to 7")
        }
        let features = p.effectiveWriterFeatures
        let unknown = features.filter { !TableFeature.supportedWriterFeatures.contains($0) }
        let schema = try metadata.schema()

        // Legacy versions imply features that only matter when used.
        var blocking: [String] = []
        for feature in unknown {
            switch feature {
            case .identityColumns where p.minWriterVersion < 7:
                if schema.anyField(where: { $0.metadata["delta.identity.start"] != nil }) { blocking.append("identityColumns") }
            default:
                blocking.append(feature.rawValue)
            }
        }
        if !blocking.isEmpty {
            throw DeltaError(.unsupportedFeature, "Floe cannot write table \(table): it requires writer features Floe does not support: \(blocking.joined(separator: ", "))")
        }
        guard addsData else { return }
        // Rows must have been checked against every constraint the table has now (Table.write does).
        let constraints = try TableConstraint.all(in: metadata, schema: schema)
        if let unchecked = constraints.first(where: { !(checkedConstraints ?? []).contains("\($0.key)=\($0.expression)") }) {
            throw DeltaError(.unsupportedFeature, "Floe cannot add these files to table \(table): their rows were not checked against its \(unchecked.label); add data with Table.write/append, which checks every row")
        }
        if features.contains(.generatedColumns), schema.anyField(where: { $0.metadata["delta.generationExpression"] != nil }) {
            throw DeltaError(.unsupportedFeature, "Floe cannot add data to table \(table): it has generated columns, which Floe does not compute yet")
        }
    }
}

extension StructType {
    /// Whether any field at any nesting level satisfies `predicate`.
    func anyField(where predicate: (StructField) -> Bool) -> Bool {
        fields.contains { field in
            predicate(field) || field.type.anyNestedField(where: predicate)
        }
    }
}

extension DeltaType {
    func anyNestedField(where predicate: (StructField) -> Bool) -> Bool {
        switch self {
        case .struct(let s): s.anyField(where: predicate)
        case .array(let a): a.elementType.anyNestedField(where: predicate)
        case .map(let m): m.keyType.anyNestedField(where: predicate) || m.valueType.anyNestedField(where: predicate)
        default: false
        }
    }

    /// Whether this type is or contains `type`.
    func contains(_ type: DeltaType) -> Bool {
        if self == type { return true }
        switch self {
        case .struct(let s): return s.fields.contains { $0.type.contains(type) }
        case .array(let a): return a.elementType.contains(type)
        case .map(let m): return m.keyType.contains(type) || m.valueType.contains(type)
        default: return false
        }
    }
}
