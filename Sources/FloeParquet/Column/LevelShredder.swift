import FloeColumnar

/// Splits an Arrow column into per-leaf definition/repetition levels and dense non-null leaf
/// values (Dremel record shredding), the inverse of ``LevelAssembler``, for the schema produced by
/// ``SchemaNode/writeSchema(for:)``.
///
/// Invariants of the output, per leaf: `levelCount` entries (at least one per row); values only for
/// entries at the leaf's maximum definition level. A non-nullable field holding nulls is refused with
/// ``ParquetError/Code-swift.struct/schemaMismatch`` naming the column and row.
struct LevelShredder {
    /// One step of shredding: entries pointing into the current column (-1 once cut short by a null
    /// or empty list above), with the definition and repetition levels reached so far.
    private struct Entries {
        var index: [Int32]
        var definition: [Int16]
        var repetition: [Int16]
    }

    private(set) var leaves: [LeafData] = []
    private var maxDefinition: [Int] = []
    private var maxRepetition: [Int] = []

    /// Shreds `column` (the Arrow data of `field`), appending one ``LeafData`` per leaf in depth-first order.
    mutating func shred(_ column: Column, field: Field) throws {
        let n = column.count
        // Fast path: a flat column.
        if !field.dataType.isNested {
            if !field.isNullable {
                guard column.nullCount == 0 else {
                    let row = (0..<n).first { column.isNull(at: $0) } ?? 0
                    throw ParquetError(.schemaMismatch, "column '\(field.name)' is not nullable but row \(row) is null")
                }
                leaves.append(LeafData(levelCount: n, definitionLevels: [], repetitionLevels: [], values: column))
                return
            }
            var defs = [Int16](repeating: 1, count: n)
            if column.nullCount > 0, let validity = column.validity {
                validity.withUnsafeBytes { bits in
                    for i in 0..<n where !bitIsSet(bits, i) { defs[i] = 0 }
                }
                var indices: [Int32] = []
                indices.reserveCapacity(n - column.nullCount)
                for i in 0..<n where defs[i] == 1 { indices.append(Int32(i)) }
                leaves.append(LeafData(levelCount: n, definitionLevels: defs, repetitionLevels: [], values: column.take(indices)))
            } else {
                leaves.append(LeafData(levelCount: n, definitionLevels: defs, repetitionLevels: [], values: column))
            }
            return
        }
        let start = Entries(index: (0..<n).map { Int32($0) }, definition: [Int16](repeating: 0, count: n),
                            repetition: [Int16](repeating: 0, count: n))
        try walk(column, field: field, entries: start, repetitionLevel: 0, path: field.name)
    }

    private mutating func walk(_ column: Column, field: Field, entries: Entries, repetitionLevel: Int16, path: String) throws {
        var e = entries
        if field.isNullable {
            for k in 0..<e.index.count where e.index[k] >= 0 {
                if column.isNull(at: Int(e.index[k])) { e.index[k] = -1 } else { e.definition[k] += 1 }
            }
        } else if column.nullCount > 0 {
            for k in 0..<e.index.count where e.index[k] >= 0 && column.isNull(at: Int(e.index[k])) {
                throw ParquetError(.schemaMismatch, "column '\(path)' is not nullable but holds a null (entry \(e.index[k]))")
            }
        }
        switch field.dataType {
        case .struct(let fields):
            for (f, child) in zip(fields, column.children) {
                try walk(child, field: f, entries: e, repetitionLevel: repetitionLevel, path: path + "." + f.name)
            }
        case .list(let elementField):
            let next = expand(column, entries: e, repetitionLevel: repetitionLevel + 1)
            try walk(column.children[0], field: elementField, entries: next, repetitionLevel: repetitionLevel + 1,
                     path: path + ".element")
        case .map(let entriesField, _):
            let next = expand(column, entries: e, repetitionLevel: repetitionLevel + 1)
            guard case .struct(let kv) = entriesField.dataType, kv.count == 2, column.children.count == 1,
                  column.children[0].children.count == 2 else {
                throw ParquetError(.schemaMismatch, "column '\(path)': malformed map")
            }
            var key = kv[0]
            key.isNullable = false
            try walk(column.children[0].children[0], field: key, entries: next, repetitionLevel: repetitionLevel + 1, path: path + ".key")
            try walk(column.children[0].children[1], field: kv[1], entries: next, repetitionLevel: repetitionLevel + 1, path: path + ".value")
        default:
            var values: [Int32] = []
            values.reserveCapacity(e.index.count)
            for i in e.index where i >= 0 { values.append(i) }
            let dense = values.count == column.count && values.elementsEqual(0..<Int32(column.count)) ? column : column.take(values)
            leaves.append(LeafData(levelCount: e.index.count, definitionLevels: e.definition,
                                   repetitionLevels: e.repetition, values: dense))
        }
    }

    /// Expands entries pointing at list/map entries into entries pointing at their elements.
    private func expand(_ column: Column, entries e: Entries, repetitionLevel: Int16) -> Entries {
        var out = Entries(index: [], definition: [], repetition: [])
        out.index.reserveCapacity(e.index.count)
        out.definition.reserveCapacity(e.index.count)
        out.repetition.reserveCapacity(e.index.count)
        column.buffers[0].withUnsafeValues(of: Int32.self) { offsets in
            for k in 0..<e.index.count {
                let i = e.index[k]
                if i < 0 || offsets[Int(i)] == offsets[Int(i) + 1] {
                    out.index.append(-1)
                    out.definition.append(e.definition[k])
                    out.repetition.append(e.repetition[k])
                    continue
                }
                var first = true
                for j in offsets[Int(i)]..<offsets[Int(i) + 1] {
                    out.index.append(j)
                    out.definition.append(e.definition[k] + 1)
                    out.repetition.append(first ? e.repetition[k] : repetitionLevel)
                    first = false
                }
            }
        }
        return out
    }
}
