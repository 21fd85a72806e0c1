import FloeColumnar

/// How Arrow data is reassembled from one file's leaf columns: the shape of one Arrow field.
///
/// Levels: `definition` is the definition level at which the node's value is present (for a
/// required node, its parent's); for lists and maps `elementDefinition` is the level at which the
/// list has at least one element, and `repetition` the repetition level of its repeated group.
indirect enum ReadNode: Sendable {
    case leaf(column: Int, definition: Int, dataType: DataType)
    case structure(definition: Int, dataType: DataType, children: [ReadNode])
    case list(definition: Int, elementDefinition: Int, repetition: Int, dataType: DataType, element: ReadNode)

    /// The Arrow type this node produces.
    var dataType: DataType {
        switch self {
        case .leaf(_, _, let t), .structure(_, let t, _), .list(_, _, _, let t, _): t
        }
    }

    /// The first leaf column under this node (its levels describe the node's own structure).
    var firstLeaf: Int {
        switch self {
        case .leaf(let c, _, _): c
        case .structure(_, _, let children): children.first?.firstLeaf ?? -1
        case .list(_, _, _, _, let e): e.firstLeaf
        }
    }

    /// All leaf columns under this node, in order.
    var leaves: [Int] {
        switch self {
        case .leaf(let c, _, _): [c]
        case .structure(_, _, let children): children.flatMap(\.leaves)
        case .list(_, _, _, _, let e): e.leaves
        }
    }
}

/// A Parquet file's schema: the node tree, its leaf columns, and the equivalent Arrow schema.
///
/// Invariants: `columns[i].index == i`; `arrowSchema.fields[i]` is produced by `readNodes[i]`
/// from the leaves under `root.children[i]`.
public struct ParquetSchema: Sendable {
    /// The root group (its name is the schema name, usually `schema`).
    public let root: SchemaNode
    /// Leaf columns in depth-first order.
    public let columns: [ColumnDescriptor]
    /// The Arrow schema Floe reads this file as.
    public let arrowSchema: Schema
    let readNodes: [ReadNode]

    /// Derives leaf descriptors and the Arrow mapping from a schema tree.
    /// Throws ``ParquetError/Code-swift.struct/corrupt`` for malformed LIST/MAP structures and
    /// ``ParquetError/Code-swift.struct/unsupported`` for types Floe cannot represent.
    /// `int96Unit` is the unit INT96 timestamps are read in (nanoseconds, as pyarrow, by default;
    /// microseconds hold every INT96 date, nanoseconds only 1677–2262).
    public init(root: SchemaNode, int96Unit: TimeUnit = .nanosecond) throws {
        var builder = Builder()
        builder.int96Unit = int96Unit
        var fields: [Field] = []
        var nodes: [ReadNode] = []
        for child in root.children {
            let (f, n) = try builder.convert(child, parentDefinition: 0, parentRepetition: 0, path: [])
            fields.append(f)
            nodes.append(n)
        }
        self.root = root
        self.columns = builder.columns
        self.arrowSchema = Schema(fields)
        self.readNodes = nodes
    }

    private struct Builder {
        var int96Unit: TimeUnit = .nanosecond
        var columns: [ColumnDescriptor] = []

        mutating func convert(_ node: SchemaNode, parentDefinition: Int, parentRepetition: Int, path: [String],
                              asElement: Bool = false) throws -> (Field, ReadNode) {
            let path = path + [node.name]
            // A repeated node outside a LIST/MAP annotation is a required list of required elements.
            if node.repetition == .repeated && !asElement {
                let elementDef = parentDefinition + 1
                let rep = parentRepetition + 1
                let (elementField, element) = try convert(node, parentDefinition: elementDef, parentRepetition: rep,
                                                          path: Array(path.dropLast()), asElement: true)
                var ef = elementField
                ef.isNullable = false
                let type = DataType.list(ef)
                return (Field(node.name, type, isNullable: false, metadata: idMetadata(node)),
                        .list(definition: parentDefinition, elementDefinition: elementDef, repetition: rep,
                              dataType: type, element: element))
            }
            let isOptional = node.repetition == .optional && !asElement
            let def = parentDefinition + (isOptional ? 1 : 0)
            let metadata = idMetadata(node)

            if node.isLeaf {
                let type = try ParquetSchema.arrowType(of: node, path: path, int96Unit: int96Unit)
                let descriptor = ColumnDescriptor(index: columns.count, path: path, node: node,
                                                  maxDefinitionLevel: def, maxRepetitionLevel: parentRepetition)
                columns.append(descriptor)
                return (Field(node.name, type, isNullable: isOptional, metadata: metadata),
                        .leaf(column: descriptor.index, definition: def, dataType: type))
            }

            switch node.annotation {
            case .list?:
                guard node.children.count == 1, node.children[0].repetition == .repeated else {
                    // Tolerate a LIST annotation on a group that is not list-shaped: read it as a struct.
                    return try convertStruct(node, def: def, isOptional: isOptional, parentRepetition: parentRepetition, path: path)
                }
                let repeated = node.children[0]
                let elementDef = def + 1
                let rep = parentRepetition + 1
                let elementField: Field
                let element: ReadNode
                if repeated.isLeaf || repeated.children.count > 1 || repeated.name == "array"
                    || repeated.name == node.name + "_tuple" {
                    // Two-level (legacy) list: the repeated node itself is the element.
                    (elementField, element) = try convert(repeated, parentDefinition: elementDef, parentRepetition: rep,
                                                          path: path, asElement: true)
                } else {
                    (elementField, element) = try convert(repeated.children[0], parentDefinition: elementDef,
                                                          parentRepetition: rep, path: path + [repeated.name])
                }
                var ef = elementField
                if repeated.isLeaf || repeated.children.count > 1 || repeated.name == "array" || repeated.name == node.name + "_tuple" {
                    ef.isNullable = false
                }
                let type = DataType.list(ef)
                return (Field(node.name, type, isNullable: isOptional, metadata: metadata),
                        .list(definition: def, elementDefinition: elementDef, repetition: rep, dataType: type, element: element))

            case .map?, .mapKeyValue?:
                guard node.children.count == 1, node.children[0].repetition == .repeated,
                      !node.children[0].isLeaf, (1...2).contains(node.children[0].children.count) else {
                    if node.annotation == .mapKeyValue {
                        return try convertStruct(node, def: def, isOptional: isOptional, parentRepetition: parentRepetition, path: path)
                    }
                    throw ParquetError(.corrupt, "column '\(path.joined(separator: "."))': MAP group is not a repeated key/value group")
                }
                let kv = node.children[0]
                let elementDef = def + 1
                let rep = parentRepetition + 1
                var entryFields: [Field] = []
                var entryNodes: [ReadNode] = []
                for c in kv.children {
                    let (f, n) = try convert(c, parentDefinition: elementDef, parentRepetition: rep, path: path + [kv.name])
                    entryFields.append(f)
                    entryNodes.append(n)
                }
                if entryFields.count == 1 {
                    // A key-only map (a set): give it a null value column.
                    entryFields.append(Field("value", .null))
                    entryNodes.append(.structure(definition: elementDef, dataType: .null, children: []))
                }
                entryFields[0].isNullable = false
                let entriesType = DataType.struct(entryFields)
                let entries = Field(kv.name, entriesType, isNullable: false)
                let type = DataType.map(entries, keysSorted: false)
                return (Field(node.name, type, isNullable: isOptional, metadata: metadata),
                        .list(definition: def, elementDefinition: elementDef, repetition: rep, dataType: type,
                              element: .structure(definition: elementDef, dataType: entriesType, children: entryNodes)))

            default:
                return try convertStruct(node, def: def, isOptional: isOptional, parentRepetition: parentRepetition, path: path)
            }
        }

        mutating func convertStruct(_ node: SchemaNode, def: Int, isOptional: Bool, parentRepetition: Int,
                                    path: [String]) throws -> (Field, ReadNode) {
            var fields: [Field] = []
            var children: [ReadNode] = []
            for c in node.children {
                let (f, n) = try convert(c, parentDefinition: def, parentRepetition: parentRepetition, path: path)
                fields.append(f)
                children.append(n)
            }
            guard !children.isEmpty else {
                throw ParquetError(.unsupported, "column '\(path.joined(separator: "."))': empty group")
            }
            let type = DataType.struct(fields)
            return (Field(node.name, type, isNullable: isOptional, metadata: idMetadata(node)),
                    .structure(definition: def, dataType: type, children: children))
        }

        func idMetadata(_ node: SchemaNode) -> [String: String] {
            node.fieldID.map { [Field.fieldIDKey: String($0)] } ?? [:]
        }
    }

    /// The Arrow type of a leaf node's values.
    static func arrowType(of node: SchemaNode, path: [String], int96Unit: TimeUnit = .nanosecond) throws -> DataType {
        let name = path.joined(separator: ".")
        // Checked first, even for a column read as nulls: its values are still decoded.
        if node.physicalType == .fixedLenByteArray && node.typeLength <= 0 {
            throw ParquetError(.corrupt, "column '\(name)': FIXED_LEN_BYTE_ARRAY without a positive type_length")
        }
        if node.annotation == .null { return .null }
        switch node.physicalType ?? .byteArray {
        case .boolean:
            return .boolean
        case .int32:
            switch node.annotation {
            case .integer(8, true)?: return .int8
            case .integer(16, true)?: return .int16
            case .integer(8, false)?: return .uint8
            case .integer(16, false)?: return .uint16
            case .integer(32, false)?: return .uint32
            case .date?: return .date32
            case .decimal(let p, let s)?: return try decimalType(p, s, name)
            default: return .int32
            }
        case .int64:
            switch node.annotation {
            case .integer(64, false)?: return .uint64
            case .timestamp(let unit, let utc)?: return .timestamp(unit, timezone: utc ? "UTC" : nil)
            case .decimal(let p, let s)?: return try decimalType(p, s, name)
            default: return .int64
            }
        case .int96:
            return .timestamp(int96Unit, timezone: nil)
        case .float:
            return .float32
        case .double:
            return .float64
        case .byteArray:
            switch node.annotation {
            case .string?, .json?, .enumeration?: return .string
            case .decimal(let p, let s)?: return try decimalType(p, s, name)
            default: return .binary
            }
        case .fixedLenByteArray:
            switch node.annotation {
            case .decimal(let p, let s)?: return try decimalType(p, s, name)
            case .float16? where node.typeLength == 2: return .float16
            default: return .fixedSizeBinary(node.typeLength)
            }
        }
    }

    private static func decimalType(_ precision: Int, _ scale: Int, _ name: String) throws -> DataType {
        guard precision >= 1, precision <= 38, scale >= 0, scale <= precision else {
            throw ParquetError(.unsupported, "column '\(name)': DECIMAL(\(precision),\(scale)) is outside the supported precision 1...38")
        }
        return .decimal(precision: precision, scale: scale)
    }
}
