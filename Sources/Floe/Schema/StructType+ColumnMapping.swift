import Foundation

extension ColumnMappingMode {
    /// The table property naming the mode.
    public static let modeKey = "delta.columnMapping.mode"
    /// The table property tracking the largest column id ever assigned (internal: writers keep it,
    /// users cannot set it).
    public static let maxColumnIDKey = "delta.columnMapping.maxColumnId"

    /// The mode a table with `metadata` and `protocol` uses: `delta.columnMapping.mode`, honoured
    /// only when the protocol supports column mapping (reader version 2, or 3 with the
    /// `columnMapping` feature), as PROTOCOL.md "Column Mapping" requires.
    public init(metadata: Metadata, protocol p: ProtocolAction) {
        let supported = p.minReaderVersion == 2 || (p.minReaderVersion == 3 && p.hasReaderFeature(.columnMapping))
        guard supported, let raw = metadata.configuration[Self.modeKey]?.lowercased() else {
            self = .none
            return
        }
        self = ColumnMappingMode(rawValue: raw) ?? .none
    }

    /// The mode a configuration asks for (`none` when the property is absent).
    ///
    /// - Throws: ``DeltaError/Code/invalidArgument`` for a value other than `none`, `id` or `name`.
    static func requested(by configuration: [String: String]) throws -> ColumnMappingMode {
        guard let raw = configuration[modeKey] else { return .none }
        guard let mode = ColumnMappingMode(rawValue: raw.lowercased()) else {
            throw DeltaError(.invalidArgument, "\(modeKey) must be none, id or name, not '\(raw)'")
        }
        return mode
    }
}

/// How ``StructType/assigningColumnMapping(nextID:naming:)`` names fields that have no physical name.
enum PhysicalNaming {
    /// `col-<uuid>`: globally unique names, as the protocol asks for new columns.
    case generated
    /// The display name: for columns that existed before column mapping was enabled, whose data
    /// files already store them under that name.
    case displayName
}

extension StructType {
    /// The largest `delta.columnMapping.id` of any field at any depth (0 when none has one).
    public var maxColumnMappingID: Int64 {
        var result: Int64 = 0
        visitFields { field in result = Swift.max(result, field.columnMappingID ?? 0) }
        return result
    }

    /// Calls `body` for every field, depth-first (struct fields, and fields of structs inside arrays
    /// and maps).
    func visitFields(_ body: (StructField) -> Void) {
        for field in fields {
            body(field)
            field.type.visitNestedFields(body)
        }
    }

    /// This schema with a column-mapping id (`nextID`, then counting up) and a physical name given to
    /// every field that lacks them, at every depth. Fields keep ids and names they already have.
    func assigningColumnMapping(nextID: inout Int64, naming: PhysicalNaming) -> StructType {
        StructType(fields.map { field in
            var field = field
            if field.columnMappingID == nil {
                nextID += 1
                field.columnMappingID = nextID
            }
            if field.physicalName == nil {
                field.physicalName = naming == .generated ? "col-\(UUID().uuidString.lowercased())" : field.name
            }
            field.type = field.type.assigningColumnMapping(nextID: &nextID, naming: naming)
            return field
        })
    }

    /// Checks the column-mapping annotations a writer must keep: every field has an id and a physical
    /// name, ids are unique, physical names are unique among siblings, and no id exceeds `maxColumnID`.
    ///
    /// - Throws: ``DeltaError/Code/invalidArgument`` naming the offending column.
    func validateColumnMapping(maxColumnID: Int64) throws {
        var ids = Set<Int64>()
        func check(_ s: StructType, path: String) throws {
            var names = Set<String>()
            for field in s.fields {
                let full = path.isEmpty ? field.name : "\(path).\(field.name)"
                guard let id = field.columnMappingID, let physical = field.physicalName else {
                    throw DeltaError(.invalidArgument, "column '\(full)' has no column mapping id or physical name")
                }
                guard ids.insert(id).inserted else {
                    throw DeltaError(.invalidArgument, "column mapping id \(id) of column '\(full)' is used by another column")
                }
                guard id <= maxColumnID else {
                    throw DeltaError(.invalidArgument, "column mapping id \(id) of column '\(full)' exceeds delta.columnMapping.maxColumnId \(maxColumnID)")
                }
                guard names.insert(physical.lowercased()).inserted else {
                    throw DeltaError(.invalidArgument, "physical name '\(physical)' of column '\(full)' is used by a sibling column")
                }
                for nested in field.type.directStructs { try check(nested, path: full) }
            }
        }
        try check(self, path: "")
    }
}

extension DeltaType {
    func visitNestedFields(_ body: (StructField) -> Void) {
        switch self {
        case .struct(let s): s.visitFields(body)
        case .array(let a): a.elementType.visitNestedFields(body)
        case .map(let m):
            m.keyType.visitNestedFields(body)
            m.valueType.visitNestedFields(body)
        default: break
        }
    }

    func assigningColumnMapping(nextID: inout Int64, naming: PhysicalNaming) -> DeltaType {
        switch self {
        case .struct(let s): return .struct(s.assigningColumnMapping(nextID: &nextID, naming: naming))
        case .array(let a):
            return .array(ArrayType(elementType: a.elementType.assigningColumnMapping(nextID: &nextID, naming: naming), containsNull: a.containsNull))
        case .map(let m):
            let key = m.keyType.assigningColumnMapping(nextID: &nextID, naming: naming)
            let value = m.valueType.assigningColumnMapping(nextID: &nextID, naming: naming)
            return .map(MapType(keyType: key, valueType: value, valueContainsNull: m.valueContainsNull))
        default: return self
        }
    }

    /// The struct types directly below this type (itself, or the structs an array or map holds,
    /// looking through nested arrays and maps).
    var directStructs: [StructType] {
        switch self {
        case .struct(let s): [s]
        case .array(let a): a.elementType.directStructs
        case .map(let m): m.keyType.directStructs + m.valueType.directStructs
        default: []
        }
    }
}
