import FloeColumnar

/// Which leaves to decode and how to assemble them for a column selection.
///
/// Invariants: `nodes[i]` produces `schema.fields[i]`; `leaves` lists, without duplicates and in
/// file order, every leaf any node reads; `leafTypes[leaf]` is the Arrow type of that leaf's values.
struct ProjectionPlan: Sendable {
    let schema: Schema
    let nodes: [ReadNode]
    let leaves: [Int]
    let leafTypes: [Int: DataType]

    /// Plans reading `columns` (top-level names or dotted struct paths; nil = every column).
    /// Throws ``ParquetError/Code-swift.struct/schemaMismatch`` naming an unknown column.
    init(schema: ParquetSchema, columns: [String]?) throws {
        var fields: [Field] = []
        var nodes: [ReadNode] = []
        if let columns {
            for name in columns {
                let (f, n) = try Self.resolve(name, in: schema)
                fields.append(f)
                nodes.append(n)
            }
        } else {
            fields = schema.arrowSchema.fields
            nodes = schema.readNodes
        }
        var leafTypes: [Int: DataType] = [:]
        func collect(_ n: ReadNode) {
            switch n {
            case .leaf(let c, _, let t): leafTypes[c] = t
            case .structure(_, _, let children): children.forEach(collect)
            case .list(_, _, _, _, let e): collect(e)
            }
        }
        nodes.forEach(collect)
        self.schema = Schema(fields, metadata: schema.arrowSchema.metadata)
        self.nodes = nodes
        self.leaves = leafTypes.keys.sorted()
        self.leafTypes = leafTypes
    }

    private static func resolve(_ name: String, in schema: ParquetSchema) throws -> (Field, ReadNode) {
        if let i = schema.arrowSchema.index(of: name) {
            return (schema.arrowSchema.fields[i], schema.readNodes[i])
        }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count > 1, let top = schema.arrowSchema.index(of: parts[0]) else {
            throw ParquetError(.schemaMismatch, "no column named '\(name)' in the file (columns: \(schema.arrowSchema.fields.map(\.name).joined(separator: ", ")))")
        }
        var field = schema.arrowSchema.fields[top]
        var node = schema.readNodes[top]
        for part in parts.dropFirst() {
            guard case .struct(let fields) = field.dataType, case .structure(_, _, let children) = node,
                  let i = fields.firstIndex(where: { $0.name == part }) else {
                throw ParquetError(.schemaMismatch, "no column named '\(name)' in the file")
            }
            // A field of a nullable struct is null where the struct is; keep the struct's levels
            // by wrapping: the selected field becomes a single-field struct only if we did not
            // descend. Here we return the field itself with nullability widened.
            var f = fields[i]
            if field.isNullable { f.isNullable = true }
            field = f
            node = children[i]
        }
        field.name = name
        return (field, node)
    }
}
