import FloeColumnar

extension SchemaNode {
    /// Rebuilds the schema tree from `FileMetaData.schema` (depth-first, root first).
    /// Throws ``ParquetError/Code-swift.struct/corrupt`` when child counts do not add up, the tree is
    /// deeper than 128 levels, or a leaf lacks a physical type.
    static func tree(from elements: [SchemaElement]) throws -> SchemaNode {
        guard !elements.isEmpty else { throw ParquetError(.corrupt, "file schema is empty") }
        var position = 0
        let root = try build(elements, &position, depth: 0, isRoot: true)
        guard position == elements.count else {
            throw ParquetError(.corrupt, "file schema has \(elements.count) elements but the root's children account for \(position)")
        }
        return root
    }

    private static func build(_ elements: [SchemaElement], _ position: inout Int, depth: Int, isRoot: Bool) throws -> SchemaNode {
        guard position < elements.count else {
            throw ParquetError(.corrupt, "file schema ends early: a group claims more children than there are elements")
        }
        guard depth <= 128 else { throw ParquetError(.corrupt, "file schema is nested more than 128 levels deep") }
        let e = elements[position]
        position += 1
        let repetition: Repetition
        switch e.repetitionType {
        case nil: repetition = .required
        case .required?: repetition = .required
        case .optional?: repetition = .optional
        case .repeated?: repetition = .repeated
        case let other?:
            throw ParquetError(.unsupported, "column '\(e.name)': unknown repetition type \(other.rawValue)")
        }
        var node = SchemaNode(name: e.name, repetition: repetition)
        node.fieldID = e.fieldID
        node.annotation = annotation(of: e)
        if let numChildren = e.numChildren, e.type == nil || isRoot {
            guard numChildren >= 0, Int(numChildren) <= elements.count - position else {
                throw ParquetError(.corrupt, "group '\(e.name)' claims \(numChildren) children; only \(elements.count - position) elements remain")
            }
            node.children.reserveCapacity(Int(numChildren))
            for _ in 0..<Int(numChildren) {
                node.children.append(try build(elements, &position, depth: depth + 1, isRoot: false))
            }
            return node
        }
        if isRoot { return node }
        guard let type = e.type else {
            throw ParquetError(.corrupt, "schema element '\(e.name)' is neither a group nor has a physical type")
        }
        guard let physical = PhysicalType(rawValue: type.rawValue) else {
            throw ParquetError(.unsupported, "column '\(e.name)': unknown physical type \(type.rawValue)")
        }
        node.physicalType = physical
        node.typeLength = Int(e.typeLength ?? 0)
        return node
    }

    private static func unit(_ u: ThriftTimeUnit) -> FloeColumnar.TimeUnit? {
        switch u {
        case .millis: .millisecond
        case .micros: .microsecond
        case .nanos: .nanosecond
        case .unrecognized: nil
        }
    }

    private static func annotation(of e: SchemaElement) -> LogicalAnnotation? {
        if let logical = e.logicalType {
            switch logical {
            case .string: return .string
            case .map: return .map
            case .list: return .list
            case .enum: return .enumeration
            case .decimal(let scale, let precision): return .decimal(precision: Int(precision), scale: Int(scale))
            case .date: return .date
            case .time(let utc, let u): return unit(u).map { .time(unit: $0, isAdjustedToUTC: utc) } ?? .unknown
            case .timestamp(let utc, let u): return unit(u).map { .timestamp(unit: $0, isAdjustedToUTC: utc) } ?? .unknown
            case .integer(let width, let signed): return .integer(bitWidth: Int(width), isSigned: signed)
            case .unknown: return .null
            case .json: return .json
            case .bson: return .bson
            case .uuid: return .uuid
            case .float16: return .float16
            case .variant, .geometry, .geography, .unrecognized: return .unknown
            }
        }
        guard let converted = e.convertedType else { return nil }
        switch converted {
        case .utf8: return .string
        case .map: return .map
        case .mapKeyValue: return .mapKeyValue
        case .list: return .list
        case .enum: return .enumeration
        case .decimal: return .decimal(precision: Int(e.precision ?? 0), scale: Int(e.scale ?? 0))
        case .date: return .date
        case .timeMillis: return .time(unit: .millisecond, isAdjustedToUTC: true)
        case .timeMicros: return .time(unit: .microsecond, isAdjustedToUTC: true)
        case .timestampMillis: return .timestamp(unit: .millisecond, isAdjustedToUTC: true)
        case .timestampMicros: return .timestamp(unit: .microsecond, isAdjustedToUTC: true)
        case .uint8: return .integer(bitWidth: 8, isSigned: false)
        case .uint16: return .integer(bitWidth: 16, isSigned: false)
        case .uint32: return .integer(bitWidth: 32, isSigned: false)
        case .uint64: return .integer(bitWidth: 64, isSigned: false)
        case .int8: return .integer(bitWidth: 8, isSigned: true)
        case .int16: return .integer(bitWidth: 16, isSigned: true)
        case .int32: return .integer(bitWidth: 32, isSigned: true)
        case .int64: return .integer(bitWidth: 64, isSigned: true)
        case .json: return .json
        case .bson: return .bson
        case .interval: return .interval
        default: return .unknown
        }
    }

    /// The depth-first `SchemaElement` list Floe writes for this tree (root first), with both
    /// logical and legacy converted types where the converted type exists, for older readers.
    func flattened() -> [SchemaElement] {
        var out: [SchemaElement] = []
        flatten(into: &out, isRoot: true)
        return out
    }

    private func flatten(into out: inout [SchemaElement], isRoot: Bool) {
        var e = SchemaElement(name: name)
        if !isRoot {
            e.repetitionType = switch repetition {
            case .required: .required
            case .optional: .optional
            case .repeated: .repeated
            }
        }
        if let physicalType {
            e.type = ThriftType(rawValue: physicalType.rawValue)
            if physicalType == .fixedLenByteArray { e.typeLength = Int32(typeLength) }
        } else {
            e.numChildren = Int32(children.count)
        }
        e.fieldID = fieldID
        func thriftUnit(_ u: FloeColumnar.TimeUnit) -> ThriftTimeUnit {
            switch u {
            case .millisecond, .second: .millis
            case .microsecond: .micros
            case .nanosecond: .nanos
            }
        }
        switch annotation {
        case .string?: e.logicalType = .string; e.convertedType = .utf8
        case .json?: e.logicalType = .json; e.convertedType = .json
        case .bson?: e.logicalType = .bson; e.convertedType = .bson
        case .enumeration?: e.logicalType = .enum; e.convertedType = .enum
        case .uuid?: e.logicalType = .uuid
        case .float16?: e.logicalType = .float16
        case .integer(let w, let signed)?:
            e.logicalType = .integer(bitWidth: Int8(w), isSigned: signed)
            let table: [Int: (ConvertedType, ConvertedType)] = [8: (.int8, .uint8), 16: (.int16, .uint16), 32: (.int32, .uint32), 64: (.int64, .uint64)]
            if let pair = table[w] { e.convertedType = signed ? pair.0 : pair.1 }
        case .decimal(let p, let s)?:
            e.logicalType = .decimal(scale: Int32(s), precision: Int32(p))
            e.convertedType = .decimal
            e.scale = Int32(s)
            e.precision = Int32(p)
        case .date?: e.logicalType = .date; e.convertedType = .date
        case .time(let u, let utc)?:
            e.logicalType = .time(isAdjustedToUTC: utc, unit: thriftUnit(u))
            if utc && u == .millisecond { e.convertedType = .timeMillis }
            if utc && u == .microsecond { e.convertedType = .timeMicros }
        case .timestamp(let u, let utc)?:
            e.logicalType = .timestamp(isAdjustedToUTC: utc, unit: thriftUnit(u))
            if utc && u == .millisecond { e.convertedType = .timestampMillis }
            if utc && u == .microsecond { e.convertedType = .timestampMicros }
        case .list?: e.logicalType = .list; e.convertedType = .list
        case .map?: e.logicalType = .map; e.convertedType = .map
        case .mapKeyValue?: e.convertedType = .mapKeyValue
        case .null?: e.logicalType = .unknown
        case .interval?: e.convertedType = .interval
        case .unknown?, nil: break
        }
        out.append(e)
        for c in children { c.flatten(into: &out, isRoot: false) }
    }
}
