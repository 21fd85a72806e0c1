import FloeColumnar

extension SchemaNode {
    /// The Parquet schema tree Floe writes for an Arrow schema (root named `schema`).
    ///
    /// Lists use the standard three-level form (`<name> (LIST) { repeated group list { element } }`),
    /// maps `<name> (MAP) { repeated group key_value { required key; value } }`; decimals of
    /// precision ≤ 9 are INT32, ≤ 18 INT64, else FIXED_LEN_BYTE_ARRAY; second-resolution timestamps are
    /// stored as milliseconds. Field ids in field metadata are kept. With `decimalsAsIntegers`
    /// false every decimal is a FIXED_LEN_BYTE_ARRAY of the fewest bytes its precision needs
    /// (pyarrow's default layout).
    public static func writeSchema(for schema: Schema, decimalsAsIntegers: Bool = true) throws -> SchemaNode {
        SchemaNode(name: "schema", repetition: .required,
                   children: try schema.fields.map { try node(for: $0, path: $0.name, decimalsAsIntegers: decimalsAsIntegers) })
    }

    static func node(for field: Field, path: String, decimalsAsIntegers: Bool = true) throws -> SchemaNode {
        let repetition: Repetition = field.isNullable ? .optional : .required
        var node: SchemaNode
        switch field.dataType {
        case .null:
            node = SchemaNode(name: field.name, repetition: .optional, physicalType: .int32, annotation: .null)
        case .boolean:
            node = SchemaNode(name: field.name, repetition: repetition, physicalType: .boolean)
        case .int8: node = leaf(field, repetition, .int32, .integer(bitWidth: 8, isSigned: true))
        case .int16: node = leaf(field, repetition, .int32, .integer(bitWidth: 16, isSigned: true))
        case .int32: node = leaf(field, repetition, .int32, nil)
        case .int64: node = leaf(field, repetition, .int64, nil)
        case .uint8: node = leaf(field, repetition, .int32, .integer(bitWidth: 8, isSigned: false))
        case .uint16: node = leaf(field, repetition, .int32, .integer(bitWidth: 16, isSigned: false))
        case .uint32: node = leaf(field, repetition, .int32, .integer(bitWidth: 32, isSigned: false))
        case .uint64: node = leaf(field, repetition, .int64, .integer(bitWidth: 64, isSigned: false))
        case .float16:
            node = leaf(field, repetition, .fixedLenByteArray, .float16)
            node.typeLength = 2
        case .float32: node = leaf(field, repetition, .float, nil)
        case .float64: node = leaf(field, repetition, .double, nil)
        case .decimal(let p, let s):
            guard p >= 1, p <= 38, s >= 0, s <= p else {
                throw ParquetError(.unsupported, "column '\(path)': decimal(\(p),\(s)) is outside precision 1...38")
            }
            if p <= 9 && decimalsAsIntegers {
                node = leaf(field, repetition, .int32, .decimal(precision: p, scale: s))
            } else if p <= 18 && decimalsAsIntegers {
                node = leaf(field, repetition, .int64, .decimal(precision: p, scale: s))
            } else {
                node = leaf(field, repetition, .fixedLenByteArray, .decimal(precision: p, scale: s))
                node.typeLength = decimalByteWidth(precision: p)
            }
        case .date32: node = leaf(field, repetition, .int32, .date)
        case .timestamp(let unit, let tz):
            let stored: TimeUnit = unit == .second ? .millisecond : unit
            node = leaf(field, repetition, .int64, .timestamp(unit: stored, isAdjustedToUTC: tz != nil))
        case .string: node = leaf(field, repetition, .byteArray, .string)
        case .binary: node = leaf(field, repetition, .byteArray, nil)
        case .fixedSizeBinary(let n):
            guard n > 0 else { throw ParquetError(.unsupported, "column '\(path)': fixed_size_binary of width \(n)") }
            node = leaf(field, repetition, .fixedLenByteArray, nil)
            node.typeLength = n
        case .list(let element):
            var e = try SchemaNode.node(for: element, path: path + ".element", decimalsAsIntegers: decimalsAsIntegers)
            e.name = "element"
            node = SchemaNode(name: field.name, repetition: repetition, annotation: .list, children: [
                SchemaNode(name: "list", repetition: .repeated, children: [e]),
            ])
        case .map(let entries, _):
            guard case .struct(let kv) = entries.dataType, kv.count == 2 else {
                throw ParquetError(.schemaMismatch, "column '\(path)': map entries must be a struct of key and value")
            }
            var key = try SchemaNode.node(for: kv[0], path: path + ".key", decimalsAsIntegers: decimalsAsIntegers)
            key.name = "key"
            key.repetition = .required
            var value = try SchemaNode.node(for: kv[1], path: path + ".value", decimalsAsIntegers: decimalsAsIntegers)
            value.name = "value"
            node = SchemaNode(name: field.name, repetition: repetition, annotation: .map, children: [
                SchemaNode(name: "key_value", repetition: .repeated, children: [key, value]),
            ])
        case .struct(let fields):
            guard !fields.isEmpty else {
                throw ParquetError(.unsupported, "column '\(path)': Parquet cannot store a struct with no fields")
            }
            node = SchemaNode(name: field.name, repetition: repetition,
                              children: try fields.map { try SchemaNode.node(for: $0, path: path + "." + $0.name, decimalsAsIntegers: decimalsAsIntegers) })
        }
        node.fieldID = field.fieldID
        return node
    }

    private static func leaf(_ field: Field, _ repetition: Repetition, _ type: PhysicalType,
                             _ annotation: LogicalAnnotation?) -> SchemaNode {
        SchemaNode(name: field.name, repetition: repetition, physicalType: type, annotation: annotation)
    }

    /// The fewest bytes holding any unscaled decimal of `precision` digits in two's complement.
    static func decimalByteWidth(precision: Int) -> Int {
        var bytes = 1
        // 10^precision - 1 must fit in 8*bytes - 1 bits.
        let bitsNeeded = Double(precision) * 3.321928094887362 + 1
        while Double(bytes * 8) < bitsNeeded { bytes += 1 }
        return bytes
    }
}
