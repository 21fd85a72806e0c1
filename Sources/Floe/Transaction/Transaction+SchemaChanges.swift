import Foundation

extension Transaction {
    /// The column mapping mode the table will have after this transaction.
    public var effectiveColumnMappingMode: ColumnMappingMode {
        guard let metadata = effectiveMetadata, let p = effectiveProtocol else { return .none }
        return ColumnMappingMode(metadata: metadata, protocol: p)
    }

    /// Renames the column at `path` (dot-separated for nested struct fields, e.g. `"address.city"`;
    /// names holding dots in backquotes, e.g. `` "`a.b`.c" ``)
    /// to `newName`, as a metadata-only change: the column keeps its column-mapping id and physical
    /// name, so existing data files read under the new name. Renaming a partition column renames it
    /// in the partition columns too.
    ///
    /// Invariant: needs column mapping (`delta.columnMapping.mode` `name` or `id`); without it data
    /// files store display names, so a rename would lose the column's data.
    ///
    /// - Throws: ``DeltaError/Code/unsupportedFeature`` when the table does not use column mapping;
    ///   ``DeltaError/Code/invalidArgument`` for an unknown column, an empty name, or a name another
    ///   column at that level already has (ignoring case).
    public mutating func renameColumn(_ path: String, to newName: String) throws {
        let (metadata, schema) = try currentSchemaForChange(of: path, action: "rename")
        guard !newName.isEmpty else { throw DeltaError(.invalidArgument, "a column name cannot be empty") }
        let components = try Self.components(of: path)
        try refuseIfConstrained(components, path: path, action: "rename", metadata: metadata, schema: schema)
        var oldName = ""
        let renamed = try schema.replacingField(at: components, path: path) { field in
            oldName = field.name
            var field = field
            field.name = newName
            return field
        }
        do {
            try renamed.validate()
        } catch let error as DeltaError {
            throw DeltaError(.invalidArgument, "cannot rename column '\(path)' to '\(newName)': \(error.message)", underlying: error)
        }
        var updated = metadata
        updated.schemaString = renamed.jsonString
        if components.count == 1 {
            updated.partitionColumns = metadata.partitionColumns.map { $0 == oldName ? newName : $0 }
        }
        try updateMetadata(updated)
        operationParameters["oldColumnPath"] = path
        operationParameters["newColumnPath"] = (components.dropLast() + [newName]).joined(separator: ".")
    }

    /// Drops the column at `path` (dot-separated for nested struct fields), as a metadata-only
    /// change: data files keep their values, which no longer appear in the table; older versions
    /// (time travel) still have the column.
    ///
    /// Invariant: needs column mapping (a later column of the same name gets a new physical name,
    /// so it never reads the dropped values).
    ///
    /// - Throws: ``DeltaError/Code/unsupportedFeature`` when the table does not use column mapping;
    ///   ``DeltaError/Code/invalidArgument`` for an unknown column, a partition column, the last
    ///   data column of the table or the last field of a struct.
    public mutating func dropColumn(_ path: String) throws {
        let (metadata, schema) = try currentSchemaForChange(of: path, action: "drop")
        let components = try Self.components(of: path)
        if components.count == 1, let field = schema.field(caseInsensitive: components[0]),
           metadata.partitionColumns.contains(field.name) {
            throw DeltaError(.invalidArgument, "cannot drop partition column '\(field.name)' of table \(table.root)")
        }
        try refuseIfConstrained(components, path: path, action: "drop", metadata: metadata, schema: schema)
        let dropped = try schema.replacingField(at: components, path: path) { _ in nil }
        let remainingData = dropped.fields.filter { !metadata.partitionColumns.contains($0.name) }
        guard !remainingData.isEmpty else {
            throw DeltaError(.invalidArgument, "cannot drop column '\(path)': it is the last non-partition column of table \(table.root)")
        }
        var updated = metadata
        updated.schemaString = dropped.jsonString
        try updateMetadata(updated)
        var columns = operationParameters["columns"].flatMap { try? JSONValue.parse($0).arrayValue } ?? []
        columns.append(.string(path))
        operationParameters["columns"] = JSONValue.array(columns).jsonText
    }

    /// Refuses to rename or drop the column at `components` (or a struct holding it) when a CHECK
    /// constraint refers to it or to a field inside it, as Delta does: the constraint would
    /// otherwise no longer resolve and every later write would fail.
    ///
    /// - Throws: ``DeltaError/Code/invalidArgument`` naming the constraints.
    private func refuseIfConstrained(_ components: [String], path: String, action: String,
                                     metadata: Metadata, schema: StructType) throws {
        let arrow = try schema.arrowSchema()
        let target = components.map { $0.lowercased() }
        var users: [String] = []
        for constraint in try TableConstraint.all(in: metadata, schema: schema) {
            guard case .check = constraint.kind else { continue }
            // A constraint Floe cannot parse is checked by its own error on every write.
            guard let condition = try? constraint.condition(schema: arrow) else { continue }
            let uses = condition.columnNames.contains { column in
                let used = column.split(separator: ".", omittingEmptySubsequences: false).map { $0.lowercased() }
                return used.count >= target.count && Array(used.prefix(target.count)) == target
            }
            if uses { users.append("\(constraint.name) (\(constraint.expression))") }
        }
        guard users.isEmpty else {
            throw DeltaError(.invalidArgument, "cannot \(action) column '\(path)' of table \(table.root): CHECK constraint\(users.count == 1 ? "" : "s") \(users.joined(separator: ", ")) use\(users.count == 1 ? "s" : "") it; drop the constraint first")
        }
    }

    /// Changes the type of the column at `path` (dot-separated for nested struct fields) to the
    /// wider `type`, as a metadata-only change recorded in the field's `delta.typeChanges`
    /// (`fromType`, `toType`); data files written before keep the narrower type and are widened
    /// when read.
    ///
    /// Allowed (the protocol's Type Widening rules): byte → short → integer → long, float → double,
    /// byte/short/integer → double, date → timestamp_ntz, decimal(p, s) → decimal(p + k1, s + k2)
    /// with k1 ≥ k2 ≥ 0, byte/short/integer → decimal(10 + k1, k2), long → decimal(20 + k1, k2).
    /// Needs `delta.enableTypeWidening=true` (see ``setProperties(_:)``).
    ///
    /// - Throws: ``DeltaError/Code/unsupportedFeature`` when type widening is not enabled;
    ///   ``DeltaError/Code/invalidArgument`` for an unknown column, the same type, a partition
    ///   column changing from date, or a change the rules above do not allow (narrowing included).
    public mutating func changeColumnType(_ path: String, to type: DeltaType) throws {
        guard var metadata = effectiveMetadata else {
            throw DeltaError(.invalidArgument, "the transaction has no table metadata to change")
        }
        guard metadata.configuration["delta.enableTypeWidening"]?.lowercased() == "true" else {
            throw DeltaError(.unsupportedFeature, "cannot change the type of column '\(path)': type widening is not enabled on table \(table.root); set delta.enableTypeWidening=true first (Table.setProperties or `floe alter TABLE set-property delta.enableTypeWidening=true`)")
        }
        let schema = try metadata.schema()
        let components = try Self.components(of: path)
        let isPartition = components.count == 1 && schema.field(caseInsensitive: components[0]).map { metadata.partitionColumns.contains($0.name) } == true
        let changed = try schema.replacingField(at: components, path: path) { field in
            let from = field.type
            guard from.isPrimitive && type.isPrimitive else {
                throw DeltaError(.invalidArgument, "cannot change column '\(path)' from \(from) to \(type): only primitive types can be widened")
            }
            guard from != type else {
                throw DeltaError(.invalidArgument, "column '\(path)' already has type \(type)")
            }
            guard SchemaMerger.canWiden(from: from, to: type) else {
                let direction = SchemaMerger.canWiden(from: type, to: from) ? "narrowing" : "this change"
                throw DeltaError(.invalidArgument, "cannot change column '\(path)' from \(from) to \(type): \(direction) is not supported; type widening allows byte → short → integer → long, float → double, byte/short/integer → double, date → timestamp_ntz and decimal precision increases at least as large as the scale increase")
            }
            if isPartition, from == .date {
                throw DeltaError(.invalidArgument, "cannot change partition column '\(path)' from date to \(type): partition values would have to be rewritten")
            }
            var field = field
            field.type = type
            var history = field.metadata["delta.typeChanges"]?.arrayValue ?? []
            history.append(.object(["fromType": .string(from.description), "toType": .string(type.description)]))
            field.metadata["delta.typeChanges"] = .array(history)
            return field
        }
        metadata.schemaString = changed.jsonString
        try updateMetadata(metadata)
        operationParameters["column"] = JSONValue.object(["name": .string(path), "type": .string(type.description)]).jsonText
    }

    /// Sets table properties (`metaData.configuration`), upgrading the protocol for the features they
    /// enable. `delta.columnMapping.mode=name` on a table without column mapping enables it: every
    /// existing column gets a column-mapping id and, as its physical name, its display name (the
    /// name its data files already use); `delta.columnMapping.maxColumnId` is set. With
    /// `delta.enableTypeWidening=true` the `typeWidening` feature is added.
    ///
    /// - Throws: ``DeltaError/Code/invalidArgument`` for `delta.columnMapping.maxColumnId` (internal),
    ///   CHECK constraints (`delta.constraints.*`), an invalid or unsupported column mapping mode
    ///   change (only `none` → `name` is possible on an existing table), or a property with an empty
    ///   key, a known `delta.*` property whose value does not fit its kind (``TableProperty``:
    ///   booleans, positive integers, intervals, enumerations); ``DeltaError/Code/unsupportedFeature``
    ///   for `delta.enableRowTracking=true`.
    public mutating func setProperties(_ properties: [String: String]) throws {
        guard var metadata = effectiveMetadata else {
            throw DeltaError(.invalidArgument, "the transaction has no table metadata to change")
        }
        for (key, value) in properties.sorted(by: { $0.key < $1.key }) {
            guard !key.isEmpty else { throw DeltaError(.invalidArgument, "a table property needs a non-empty key") }
            if key == ColumnMappingMode.maxColumnIDKey {
                throw DeltaError(.invalidArgument, "\(key) is maintained by writers and cannot be set")
            }
            if key.hasPrefix("delta.constraints.") {
                throw DeltaError(.invalidArgument, "CHECK constraints (\(key)) cannot be set as table properties")
            }
            try TableProperty.validate(key, value)
            if key == "delta.enableRowTracking", value.lowercased() == "true" {
                throw DeltaError(.unsupportedFeature, "enabling row tracking is not supported yet")
            }
            metadata.configuration[key] = value
        }
        try updateMetadata(metadata)
        let merged = (operationParameters["properties"].flatMap { try? JSONValue.parse($0).objectValue } ?? JSONObject())
        var object = merged
        for (key, value) in properties.sorted(by: { $0.key < $1.key }) { object[key] = .string(value) }
        operationParameters["properties"] = JSONValue.object(object).jsonText
    }

    /// Enables column mapping in `name` mode (see ``setProperties(_:)``); nothing changes when the
    /// table already uses column mapping.
    public mutating func enableColumnMapping() throws {
        guard effectiveColumnMappingMode == .none else { return }
        try setProperties([ColumnMappingMode.modeKey: ColumnMappingMode.name.rawValue])
    }

    /// Fits `metadata` (with parsed `schema`) to its column mapping mode before it is committed:
    /// checks the mode change against the read snapshot (only `none` → `name` on existing tables),
    /// gives fields without them ids and physical names (display names when mapping is being enabled
    /// on an existing table, `col-<uuid>` otherwise) and keeps `delta.columnMapping.maxColumnId` at
    /// least the largest id.
    func fittingColumnMapping(_ metadata: Metadata, schema: StructType) throws -> Metadata {
        let requested = try ColumnMappingMode.requested(by: metadata.configuration)
        let previous = readSnapshot.map { ColumnMappingMode(metadata: $0.metadata, protocol: $0.protocol) } ?? .none
        if readSnapshot != nil && requested != previous && !(previous == .none && requested == .name) {
            throw DeltaError(.invalidArgument, "cannot change the column mapping mode of table \(table.root) from \(previous.rawValue) to \(requested.rawValue); only none → name is supported on existing tables")
        }
        guard requested != .none else { return metadata }
        let recorded = metadata.configuration[ColumnMappingMode.maxColumnIDKey].flatMap { Int64($0) } ?? 0
        var next = max(recorded, schema.maxColumnMappingID)
        let naming: PhysicalNaming = readSnapshot != nil && previous == .none ? .displayName : .generated
        let assigned = schema.assigningColumnMapping(nextID: &next, naming: naming)
        try assigned.validateColumnMapping(maxColumnID: next)
        var result = metadata
        if assigned != schema { result.schemaString = assigned.jsonString }
        result.configuration[ColumnMappingMode.maxColumnIDKey] = String(next)
        return result
    }

    /// The metadata and schema to change for `action` on the column at `path`, after checking that
    /// the table uses column mapping.
    private func currentSchemaForChange(of path: String, action: String) throws -> (Metadata, StructType) {
        guard let metadata = effectiveMetadata else {
            throw DeltaError(.invalidArgument, "the transaction has no table metadata to change")
        }
        guard effectiveColumnMappingMode != .none else {
            throw DeltaError(.unsupportedFeature, "cannot \(action) column '\(path)' of table \(table.root): it needs column mapping, which the table does not use; enable it first with Table.enableColumnMapping() or `floe alter TABLE set-property delta.columnMapping.mode=name`")
        }
        return (metadata, try metadata.schema())
    }

    /// The field names of a column path: dot-separated, with names holding dots or backquotes
    /// quoted in backquotes (a doubled backquote inside quotes is one backquote), e.g.
    /// `` `a.b`.c `` → `["a.b", "c"]`.
    ///
    /// - Throws: ``DeltaError/Code/invalidArgument`` for an unterminated quote or an empty name.
    static func components(of path: String) throws -> [String] {
        var result: [String] = []
        var current = ""
        var quoted = false
        var chars = Array(path)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "`" {
                    if chars.first == "`" { chars.removeFirst(); current.append("`") } else { quoted = false }
                } else {
                    current.append(c)
                }
            } else if c == "`" {
                quoted = true
            } else if c == "." {
                result.append(current)
                current = ""
            } else {
                current.append(c)
            }
        }
        guard !quoted else { throw DeltaError(.invalidArgument, "unterminated backquote in column path '\(path)'") }
        result.append(current)
        guard !result.contains(where: \.isEmpty) else { throw DeltaError(.invalidArgument, "invalid column path '\(path)'") }
        return result
    }
}

extension StructType {
    /// The field whose name equals `name`, exactly or else ignoring case.
    func field(caseInsensitive name: String) -> StructField? {
        field(named: name) ?? indexOfField(caseInsensitive: name).map { fields[$0] }
    }

    /// This schema with the field at `components` (a path through struct fields; names matched
    /// exactly, else ignoring case) replaced by `transform`'s result, or removed when it returns
    /// `nil`.
    ///
    /// Paths continue through arrays with `element` and through maps with `key` or `value`
    /// (`items.element.price`, as Spark writes them).
    ///
    /// - Throws: ``DeltaError/Code/invalidArgument`` when the path does not name a struct field,
    ///   goes through a primitive column, or would leave a struct without fields.
    func replacingField(at components: [String], path: String, _ transform: (StructField) throws -> StructField?) throws -> StructType {
        guard let first = components.first, !first.isEmpty else {
            throw DeltaError(.invalidArgument, "invalid column path '\(path)'")
        }
        guard let index = fields.firstIndex(where: { $0.name == first }) ?? indexOfField(caseInsensitive: first) else {
            throw DeltaError(.invalidArgument, "no column '\(path)' in the table schema (columns: \(fieldNames.joined(separator: ", ")))")
        }
        var result = self
        if components.count == 1 {
            if let replacement = try transform(fields[index]) {
                result.fields[index] = replacement
            } else {
                result.fields.remove(at: index)
                guard !result.fields.isEmpty else {
                    throw DeltaError(.invalidArgument, "cannot drop '\(path)': it is the only field of its struct")
                }
            }
            return result
        }
        result.fields[index].type = try fields[index].type.replacingField(at: components.dropFirst(), name: fields[index].name, path: path, transform)
        return result
    }
}

extension DeltaType {
    /// This type with the struct field at `components` below it replaced (see
    /// ``StructType/replacingField(at:path:_:)``): struct fields by name, array elements by
    /// `element`, map keys and values by `key` and `value`.
    func replacingField(at components: ArraySlice<String>, name: String, path: String,
                        _ transform: (StructField) throws -> StructField?) throws -> DeltaType {
        guard let first = components.first else {
            throw DeltaError(.invalidArgument, "column path '\(path)' must end at a struct field, not at '\(name)'")
        }
        switch self {
        case .struct(let s):
            return .struct(try s.replacingField(at: Array(components), path: path, transform))
        case .array(let a) where first == "element":
            let element = try a.elementType.replacingField(at: components.dropFirst(), name: "element", path: path, transform)
            return .array(ArrayType(elementType: element, containsNull: a.containsNull))
        case .map(let m) where first == "key" || first == "value":
            let key = first == "key" ? try m.keyType.replacingField(at: components.dropFirst(), name: "key", path: path, transform) : m.keyType
            let value = first == "value" ? try m.valueType.replacingField(at: components.dropFirst(), name: "value", path: path, transform) : m.valueType
            return .map(MapType(keyType: key, valueType: value, valueContainsNull: m.valueContainsNull))
        case .array:
            throw DeltaError(.invalidArgument, "'\(name)' in column path '\(path)' is an array: continue the path with 'element'")
        case .map:
            throw DeltaError(.invalidArgument, "'\(name)' in column path '\(path)' is a map: continue the path with 'key' or 'value'")
        default:
            throw DeltaError(.invalidArgument, "column '\(name)' in '\(path)' is not a struct, array or map; it has no nested fields")
        }
    }
}
