// Parsing and serializing the Delta schema JSON format (Spark SQL's JSON schema representation).

extension StructType {
    /// Parses schema JSON such as a `metaData.schemaString`.
    ///
    /// - Throws: ``DeltaError/Code/corruptLog`` for malformed JSON or an invalid schema, or
    ///   ``DeltaError/Code/unsupportedFeature`` for an unknown type name.
    public init(json: String) throws {
        let value: JSONValue
        do {
            value = try JSONValue.parse(json)
        } catch {
            throw DeltaError(.corruptLog, "schema JSON is malformed: \(error)", underlying: error)
        }
        guard case .struct(let s) = try DeltaType(jsonValue: value, path: "") else {
            throw DeltaError(.corruptLog, "schema JSON must be a struct type")
        }
        self = s
    }

    /// The compact schema JSON of this struct, as stored in `metaData.schemaString`.
    public var jsonString: String { DeltaType.struct(self).jsonValue.jsonText }
}

extension DeltaType {
    /// Parses a type from its schema JSON value: a primitive type name string, or an object with a
    /// `type` of `struct`, `array` or `map`.
    ///
    /// - Parameter path: The column path, for error messages.
    public init(jsonValue value: JSONValue, path: String) throws {
        let location = path.isEmpty ? "schema" : "column '\(path)'"
        switch value {
        case .string(let name):
            guard let type = DeltaType(primitiveName: name) else {
                throw DeltaError(.unsupportedFeature, "\(location) has unknown data type '\(name)'")
            }
            self = type
        case .object(let object):
            guard let kind = object["type"]?.stringValue else {
                throw DeltaError(.corruptLog, "\(location): type object has no 'type' string")
            }
            switch kind {
            case "struct":
                guard let fieldValues = object["fields"]?.arrayValue else {
                    throw DeltaError(.corruptLog, "\(location): struct type has no 'fields' array")
                }
                var fields: [StructField] = []
                fields.reserveCapacity(fieldValues.count)
                for fieldValue in fieldValues {
                    fields.append(try StructField(jsonValue: fieldValue, parentPath: path))
                }
                self = .struct(StructType(fields))
            case "array":
                guard let element = object["elementType"] else {
                    throw DeltaError(.corruptLog, "\(location): array type has no 'elementType'")
                }
                let elementType = try DeltaType(jsonValue: element, path: path.isEmpty ? "element" : path + ".element")
                self = .array(ArrayType(elementType: elementType, containsNull: object["containsNull"]?.boolValue ?? true))
            case "map":
                guard let key = object["keyType"], let valueType = object["valueType"] else {
                    throw DeltaError(.corruptLog, "\(location): map type needs 'keyType' and 'valueType'")
                }
                self = .map(MapType(keyType: try DeltaType(jsonValue: key, path: path + ".key"),
                                    valueType: try DeltaType(jsonValue: valueType, path: path + ".value"),
                                    valueContainsNull: object["valueContainsNull"]?.boolValue ?? true))
            default:
                // Some writers spell primitive types as {"type": "variant"}.
                if let type = DeltaType(primitiveName: kind) {
                    self = type
                } else {
                    throw DeltaError(.unsupportedFeature, "\(location) has unknown data type '\(kind)'")
                }
            }
        default:
            throw DeltaError(.corruptLog, "\(location): a type must be a string or an object")
        }
    }

    /// The schema JSON value of this type: a string for primitives, an object otherwise, with
    /// members in Spark's order.
    public var jsonValue: JSONValue {
        switch self {
        case .array(let a):
            return .object(["type": .string("array"), "elementType": a.elementType.jsonValue,
                            "containsNull": .bool(a.containsNull)])
        case .map(let m):
            return .object(["type": .string("map"), "keyType": m.keyType.jsonValue,
                            "valueType": m.valueType.jsonValue, "valueContainsNull": .bool(m.valueContainsNull)])
        case .struct(let s):
            return .object(["type": .string("struct"), "fields": .array(s.fields.map(\.jsonValue))])
        default:
            return .string(primitiveName ?? "")
        }
    }
}

extension StructField {
    /// Parses a struct field object: `name`, `type`, `nullable` and `metadata`.
    init(jsonValue value: JSONValue, parentPath: String) throws {
        guard let object = value.objectValue else {
            throw DeltaError(.corruptLog, "schema field under '\(parentPath)' is not an object")
        }
        guard let name = object["name"]?.stringValue else {
            throw DeltaError(.corruptLog, "schema field under '\(parentPath.isEmpty ? "root" : parentPath)' has no 'name'")
        }
        let path = parentPath.isEmpty ? name : "\(parentPath).\(name)"
        guard let typeValue = object["type"] else {
            throw DeltaError(.corruptLog, "column '\(path)' has no 'type'")
        }
        let metadata: JSONObject
        switch object["metadata"] {
        case nil, .null?: metadata = JSONObject()
        case .object(let o)?: metadata = o
        default: throw DeltaError(.corruptLog, "column '\(path)' has non-object 'metadata'")
        }
        self.init(name: name, type: try DeltaType(jsonValue: typeValue, path: path),
                  nullable: object["nullable"]?.boolValue ?? true, metadata: metadata)
    }

    /// The schema JSON object of this field.
    public var jsonValue: JSONValue {
        .object(["name": .string(name), "type": type.jsonValue, "nullable": .bool(nullable),
                 "metadata": .object(metadata)])
    }
}
