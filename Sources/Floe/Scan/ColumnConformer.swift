import FloeColumnar

/// Turns a column as stored in a data file (physical names, possibly older or narrower types)
/// into the table's logical column: struct fields matched by field id (id mapping) or physical
/// name, missing fields filled with nulls, widened types cast (type widening, INT96/ms/ns
/// timestamps to µs).
enum ColumnConformer {
    static func conform(_ column: Column?, fileField: Field?, to target: PhysicalField, count: Int, path: String) throws -> Column {
        let type = target.logical.dataType
        guard let column, let fileField else { return Column.nulls(type, count: count) }
        switch (type, fileField.dataType) {
        case (.struct, .struct(let fileChildren)):
            if target.isVariant, fileChildren.contains(where: { $0.name == "typed_value" }) {
                throw DeltaError(.unsupportedFeature, "column '\(path)' holds shredded variants (typed_value) in a data file; Floe reads only unshredded variants (variantShredding is not supported)")
            }
            var children: [Column] = []
            for child in target.children {
                let i = index(of: child, in: fileChildren)
                children.append(try conform(i.map { column.children[$0] }, fileField: i.map { fileChildren[$0] }, to: child,
                                             count: column.count, path: path + "." + child.logical.name))
            }
            return Column(dataType: type, count: column.count, nullCount: column.nullCount, validity: column.validity,
                          buffers: [], children: children)
        case (.list, .list(let fileElement)):
            guard let element = target.children.first else { return try cast(column, to: type, path: path) }
            let child = try conform(column.children[0], fileField: fileElement, to: element, count: column.children[0].count, path: path + ".element")
            return Column(dataType: type, count: column.count, nullCount: column.nullCount, validity: column.validity,
                          buffers: column.buffers, children: [child])
        case (.map(let entries, _), .map(let fileEntries, _)):
            guard target.children.count == 2, case .struct(let fileKV) = fileEntries.dataType, fileKV.count == 2 else {
                return try cast(column, to: type, path: path)
            }
            let kv = column.children[0]
            let key = try conform(kv.children[0], fileField: fileKV[0], to: target.children[0], count: kv.count, path: path + ".key")
            let value = try conform(kv.children[1], fileField: fileKV[1], to: target.children[1], count: kv.count, path: path + ".value")
            let entriesColumn = Column(dataType: entries.dataType, count: kv.count, nullCount: kv.nullCount, validity: kv.validity,
                                       buffers: [], children: [key, value])
            return Column(dataType: type, count: column.count, nullCount: column.nullCount, validity: column.validity,
                          buffers: column.buffers, children: [entriesColumn])
        default:
            return try cast(column, to: type, path: path)
        }
    }

    static func cast(_ column: Column, to type: DataType, path: String) throws -> Column {
        if column.dataType == type { return column }
        if column.dataType == .binary && type == .string {
            // Reading is as lenient with binary-stored strings as with string-stored ones (whose
            // bytes are not validated either); writes validate (``WriteConformer``).
            return Column(dataType: type, count: column.count, nullCount: column.nullCount, validity: column.validity,
                          buffers: column.buffers)
        }
        guard Column.canCast(from: column.dataType, to: type) else {
            throw DeltaError(.schemaMismatch, "column '\(path)' is stored as \(column.dataType) in a data file, but the table type is \(type)")
        }
        do {
            return try column.cast(to: type)
        } catch {
            throw DeltaError(.schemaMismatch, "column '\(path)': \(error)", underlying: error)
        }
    }

    /// The index of the file field storing `target`: by field id when both carry one, else by
    /// physical name (falling back to a case-insensitive match, as Spark writes may differ in case).
    static func index(of target: PhysicalField, in fields: [Field]) -> Int? {
        if let id = target.fieldID, let i = fields.firstIndex(where: { $0.fieldID == id }) { return i }
        if let i = fields.firstIndex(where: { $0.name == target.physicalName }) { return i }
        let lower = target.physicalName.lowercased()
        return fields.firstIndex { $0.name.lowercased() == lower }
    }
}
