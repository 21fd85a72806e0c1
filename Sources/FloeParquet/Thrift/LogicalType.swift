/// The logical type annotation of a schema element (parquet.thrift union `LogicalType`), which
/// supersedes `ConvertedType`.
///
/// Invariants: exactly one member is set on the wire; members with parameters carry them decoded
/// (required parameters missing are invalid metadata). A member unknown to this version of Floe
/// (e.g. a future addition) is kept as ``unrecognized(fieldID:)`` so that only that column, not the
/// whole file, need be refused. An empty union is invalid metadata. Parameter values are as stored
/// and not range-checked (e.g. a bit width of 7 is kept).
enum LogicalType: Hashable, Sendable {
    /// Member 1: UTF-8 text (BYTE_ARRAY).
    case string
    /// Member 2: a map group.
    case map
    /// Member 3: a list group.
    case list
    /// Member 4: an enumeration stored as UTF-8 (BYTE_ARRAY).
    case `enum`
    /// Member 5: a decimal with `precision` digits, `scale` of them after the point.
    case decimal(scale: Int32, precision: Int32)
    /// Member 6: days since the Unix epoch (INT32).
    case date
    /// Member 7: time of day.
    case time(isAdjustedToUTC: Bool, unit: ThriftTimeUnit)
    /// Member 8: an instant or local date-time.
    case timestamp(isAdjustedToUTC: Bool, unit: ThriftTimeUnit)
    /// Member 10: an integer of `bitWidth` bits (8, 16, 32 or 64), signed or not.
    case integer(bitWidth: Int8, isSigned: Bool)
    /// Member 11 (`UNKNOWN`, `NullType`): a column whose values are all null.
    case unknown
    /// Member 12: an embedded JSON document.
    case json
    /// Member 13: an embedded BSON document.
    case bson
    /// Member 14: a UUID (FIXED_LEN_BYTE_ARRAY of 16).
    case uuid
    /// Member 15: a half-precision float (FIXED_LEN_BYTE_ARRAY of 2).
    case float16
    /// Member 16: a semi-structured Variant group.
    case variant(specificationVersion: Int8?)
    /// Member 17: geometry in WKB, with an optional coordinate reference system.
    case geometry(crs: String?)
    /// Member 18: geography in WKB, with optional CRS and edge interpolation algorithm
    /// (parquet.thrift `EdgeInterpolationAlgorithm`, kept as its stored number).
    case geography(crs: String?, algorithm: Int32?)
    /// A union member unknown to this version of Floe, by its field id.
    case unrecognized(fieldID: Int16)
}

extension LogicalType: ThriftStruct {
    init(from reader: inout ThriftCompactReader) throws {
        var result: LogicalType?
        try reader.readStruct { r, field in
            guard field.type == .struct else { return try r.skip(field.type) }
            switch field.id {
            case 1: result = .string
            case 2: result = .map
            case 3: result = .list
            case 4: result = .enum
            case 5: result = try Self.readDecimal(&r); return
            case 6: result = .date
            case 7:
                let (utc, unit) = try Self.readTime(&r, "TimeType")
                result = .time(isAdjustedToUTC: utc, unit: unit); return
            case 8:
                let (utc, unit) = try Self.readTime(&r, "TimestampType")
                result = .timestamp(isAdjustedToUTC: utc, unit: unit); return
            case 10: result = try Self.readInteger(&r); return
            case 11: result = .unknown
            case 12: result = .json
            case 13: result = .bson
            case 14: result = .uuid
            case 15: result = .float16
            case 16: result = try Self.readVariant(&r); return
            case 17: result = try Self.readGeometry(&r); return
            case 18: result = try Self.readGeography(&r); return
            default: result = .unrecognized(fieldID: field.id)
            }
            // Parameterless members are empty structs; skipping tolerates fields added later.
            try r.skip(.struct)
        }
        guard let result else { throw ParquetError(.invalidMetadata, "Thrift union LogicalType has no member set") }
        self = result
    }

    private static func readDecimal(_ reader: inout ThriftCompactReader) throws -> LogicalType {
        var scale: Int32?
        var precision: Int32?
        try reader.readStruct { r, field in
            switch (field.id, field.type) {
            case (1, .i32): scale = try r.readI32()
            case (2, .i32): precision = try r.readI32()
            default: try r.skip(field.type)
            }
        }
        return .decimal(scale: try scale.thriftRequired("DecimalType.scale"),
                        precision: try precision.thriftRequired("DecimalType.precision"))
    }

    private static func readTime(_ reader: inout ThriftCompactReader, _ name: StaticString) throws -> (Bool, ThriftTimeUnit) {
        var utc: Bool?
        var unit: ThriftTimeUnit?
        try reader.readStruct { r, field in
            switch (field.id, field.type) {
            case (1, .boolTrue), (1, .boolFalse): utc = field.boolValue
            case (2, .struct): unit = try ThriftTimeUnit(from: &r)
            default: try r.skip(field.type)
            }
        }
        guard let utc, let unit else {
            throw ParquetError(.invalidMetadata, "Required Thrift field \(name).\(utc == nil ? "isAdjustedToUTC" : "unit") is missing")
        }
        return (utc, unit)
    }

    private static func readInteger(_ reader: inout ThriftCompactReader) throws -> LogicalType {
        var bitWidth: Int8?
        var isSigned: Bool?
        try reader.readStruct { r, field in
            switch (field.id, field.type) {
            case (1, .byte): bitWidth = try r.readI8()
            case (2, .boolTrue), (2, .boolFalse): isSigned = field.boolValue
            default: try r.skip(field.type)
            }
        }
        return .integer(bitWidth: try bitWidth.thriftRequired("IntType.bitWidth"),
                        isSigned: try isSigned.thriftRequired("IntType.isSigned"))
    }

    private static func readVariant(_ reader: inout ThriftCompactReader) throws -> LogicalType {
        var version: Int8?
        try reader.readStruct { r, field in
            switch (field.id, field.type) {
            case (1, .byte): version = try r.readI8()
            default: try r.skip(field.type)
            }
        }
        return .variant(specificationVersion: version)
    }

    private static func readGeometry(_ reader: inout ThriftCompactReader) throws -> LogicalType {
        var crs: String?
        try reader.readStruct { r, field in
            switch (field.id, field.type) {
            case (1, .binary): crs = try r.readString()
            default: try r.skip(field.type)
            }
        }
        return .geometry(crs: crs)
    }

    private static func readGeography(_ reader: inout ThriftCompactReader) throws -> LogicalType {
        var crs: String?
        var algorithm: Int32?
        try reader.readStruct { r, field in
            switch (field.id, field.type) {
            case (1, .binary): crs = try r.readString()
            case (2, .i32): algorithm = try r.readI32()
            default: try r.skip(field.type)
            }
        }
        return .geography(crs: crs, algorithm: algorithm)
    }

    func write(to writer: inout ThriftCompactWriter) {
        writer.writeStruct { w in
            switch self {
            case .string: w.writeEmptyStructField(1)
            case .map: w.writeEmptyStructField(2)
            case .list: w.writeEmptyStructField(3)
            case .enum: w.writeEmptyStructField(4)
            case let .decimal(scale, precision):
                w.writeFieldHeader(id: 5, type: .struct)
                w.writeStruct { w in
                    w.writeI32Field(1, scale)
                    w.writeI32Field(2, precision)
                }
            case .date: w.writeEmptyStructField(6)
            case let .time(utc, unit):
                w.writeFieldHeader(id: 7, type: .struct)
                Self.writeTime(&w, utc, unit)
            case let .timestamp(utc, unit):
                w.writeFieldHeader(id: 8, type: .struct)
                Self.writeTime(&w, utc, unit)
            case let .integer(bitWidth, isSigned):
                w.writeFieldHeader(id: 10, type: .struct)
                w.writeStruct { w in
                    w.writeI8Field(1, bitWidth)
                    w.writeBoolField(2, isSigned)
                }
            case .unknown: w.writeEmptyStructField(11)
            case .json: w.writeEmptyStructField(12)
            case .bson: w.writeEmptyStructField(13)
            case .uuid: w.writeEmptyStructField(14)
            case .float16: w.writeEmptyStructField(15)
            case let .variant(version):
                w.writeFieldHeader(id: 16, type: .struct)
                w.writeStruct { w in
                    if let version { w.writeI8Field(1, version) }
                }
            case let .geometry(crs):
                w.writeFieldHeader(id: 17, type: .struct)
                w.writeStruct { w in
                    if let crs { w.writeStringField(1, crs) }
                }
            case let .geography(crs, algorithm):
                w.writeFieldHeader(id: 18, type: .struct)
                w.writeStruct { w in
                    if let crs { w.writeStringField(1, crs) }
                    if let algorithm { w.writeI32Field(2, algorithm) }
                }
            case let .unrecognized(id): w.writeEmptyStructField(id)
            }
        }
    }

    private static func writeTime(_ writer: inout ThriftCompactWriter, _ utc: Bool, _ unit: ThriftTimeUnit) {
        writer.writeStruct { w in
            w.writeBoolField(1, utc)
            w.writeStructField(2, unit)
        }
    }
}
