/// Options for ``StructType/merged(with:options:)``.
public struct SchemaMergeOptions: Sendable, Hashable {
    /// Whether a column may change to a wider type (see ``StructType/merged(with:options:)``).
    /// Writers must only allow this when the table supports `typeWidening` and has
    /// `delta.enableTypeWidening` set.
    public var allowTypeWidening: Bool
    /// Whether widened columns get a `delta.typeChanges` entry in their metadata, as the protocol
    /// requires for tables using type widening.
    public var recordTypeChanges: Bool

    /// Creates merge options.
    public init(allowTypeWidening: Bool = true, recordTypeChanges: Bool = true) {
        self.allowTypeWidening = allowTypeWidening
        self.recordTypeChanges = recordTypeChanges
    }
}

extension StructType {
    /// Merges `other` (e.g. the schema of data being written) into this schema for schema
    /// evolution, returning the evolved schema.
    ///
    /// Rules:
    /// - Fields are matched by name ignoring case; the existing name, position and metadata win
    ///   (metadata keys only in `other` are added).
    /// - Fields only in `other` are appended (at the top level and inside nested structs, including
    ///   structs in arrays and maps). They must be nullable: existing rows have no value for them.
    /// - A field is nullable in the result if it is nullable in either schema; likewise
    ///   `containsNull` and `valueContainsNull`.
    /// - With `allowTypeWidening`, a type may widen as the protocol's Type Widening feature allows:
    ///   byte → short → integer → long, float → double, byte/short/integer → double,
    ///   date → timestamp_ntz, decimal(p, s) → decimal(p + k1, s + k2) with k1 ≥ k2 ≥ 0,
    ///   byte/short/integer → decimal(10 + k1, k2), long → decimal(20 + k1, k2). A narrower
    ///   incoming type is accepted and the existing wider type kept.
    /// - `void` columns may change to any type.
    ///
    /// - Throws: ``DeltaError/Code/schemaMismatch`` naming the column for any other change.
    public func merged(with other: StructType, options: SchemaMergeOptions = SchemaMergeOptions()) throws -> StructType {
        try SchemaMerger(options: options).mergeStruct(self, other, path: "")
    }
}

struct SchemaMerger {
    let options: SchemaMergeOptions

    func mergeStruct(_ existing: StructType, _ incoming: StructType, path: String) throws -> StructType {
        var result = existing
        for field in incoming.fields {
            let fullPath = path.isEmpty ? field.name : "\(path).\(field.name)"
            if let index = result.indexOfField(caseInsensitive: field.name) {
                result.fields[index] = try mergeField(result.fields[index], field, path: path.isEmpty ? result.fields[index].name : "\(path).\(result.fields[index].name)")
            } else {
                guard field.nullable else {
                    throw DeltaError(.schemaMismatch, "cannot add non-nullable column '\(fullPath)': existing rows have no value for it")
                }
                result.fields.append(field)
            }
        }
        try result.validate(path: path)
        return result
    }

    func mergeField(_ existing: StructField, _ incoming: StructField, path: String) throws -> StructField {
        var merged = existing
        var changes: [(from: DeltaType, to: DeltaType, fieldPath: String)] = []
        merged.type = try mergeType(existing.type, incoming.type, path: path, fieldPath: "", changes: &changes)
        merged.nullable = existing.nullable || incoming.nullable
        for member in incoming.metadata where existing.metadata[member.key] == nil {
            merged.metadata[member.key] = member.value
        }
        if options.recordTypeChanges && !changes.isEmpty {
            var history = merged.metadata["delta.typeChanges"]?.arrayValue ?? []
            for change in changes {
                var entry: JSONObject = ["fromType": .string(change.from.description), "toType": .string(change.to.description)]
                if !change.fieldPath.isEmpty { entry["fieldPath"] = .string(change.fieldPath) }
                history.append(.object(entry))
            }
            merged.metadata["delta.typeChanges"] = .array(history)
        }
        return merged
    }

    /// Merges two types at `path`; `fieldPath` is the path below the nearest struct field
    /// (`element`, `key`, `value`, dot-separated) for type-change records.
    func mergeType(_ existing: DeltaType, _ incoming: DeltaType, path: String, fieldPath: String,
                   changes: inout [(from: DeltaType, to: DeltaType, fieldPath: String)]) throws -> DeltaType {
        func sub(_ component: String) -> String { fieldPath.isEmpty ? component : "\(fieldPath).\(component)" }
        switch (existing, incoming) {
        case (.struct(let a), .struct(let b)):
            return .struct(try mergeStruct(a, b, path: path))
        case (.array(let a), .array(let b)):
            let element = try mergeType(a.elementType, b.elementType, path: path + ".element", fieldPath: sub("element"), changes: &changes)
            return .array(ArrayType(elementType: element, containsNull: a.containsNull || b.containsNull))
        case (.map(let a), .map(let b)):
            let key = try mergeType(a.keyType, b.keyType, path: path + ".key", fieldPath: sub("key"), changes: &changes)
            let value = try mergeType(a.valueType, b.valueType, path: path + ".value", fieldPath: sub("value"), changes: &changes)
            return .map(MapType(keyType: key, valueType: value, valueContainsNull: a.valueContainsNull || b.valueContainsNull))
        case _ where existing == incoming:
            return existing
        case (.void, _):
            return incoming
        case (_, .void):
            return existing
        default:
            guard existing.isPrimitive && incoming.isPrimitive else { break }
            if let widened = Self.widen(existing, incoming) {
                if widened == existing { return existing }
                guard options.allowTypeWidening else {
                    throw DeltaError(.schemaMismatch, "column '\(path)' would change type from \(existing) to \(widened), but type widening is not enabled")
                }
                changes.append((existing, widened, fieldPath))
                return widened
            }
        }
        throw DeltaError(.schemaMismatch, "column '\(path)' has type \(existing) in the table but \(incoming) in the new schema, and the types cannot be merged")
    }

    /// The wider of two primitive types when one widens to the other, else `nil`.
    static func widen(_ a: DeltaType, _ b: DeltaType) -> DeltaType? {
        if canWiden(from: b, to: a) { return a }
        if canWiden(from: a, to: b) { return b }
        if case .decimal(let p1, let s1) = a, case .decimal(let p2, let s2) = b {
            let scale = max(s1, s2)
            let precision = scale + max(p1 - s1, p2 - s2)
            return precision <= 38 ? .decimal(precision: precision, scale: scale) : nil
        }
        return nil
    }

    static func integerRank(_ t: DeltaType) -> Int? {
        switch t {
        case .byte: 1
        case .short: 2
        case .integer: 3
        case .long: 4
        default: nil
        }
    }

    /// Whether the protocol's Type Widening feature allows changing `from` to `to`.
    static func canWiden(from: DeltaType, to: DeltaType) -> Bool {
        if from == to { return true }
        if let f = integerRank(from), let t = integerRank(to) { return f <= t }
        switch (from, to) {
        case (.float, .double): return true
        case (.byte, .double), (.short, .double), (.integer, .double): return true
        case (.date, .timestampNtz): return true
        case (.decimal(let p, let s), .decimal(let p2, let s2)):
            let k1 = p2 - p, k2 = s2 - s
            return k2 >= 0 && k1 >= k2
        case (.byte, .decimal(let p, let s)), (.short, .decimal(let p, let s)), (.integer, .decimal(let p, let s)):
            return p - 10 >= s && s >= 0
        case (.long, .decimal(let p, let s)):
            return p - 20 >= s && s >= 0
        default: return false
        }
    }
}
