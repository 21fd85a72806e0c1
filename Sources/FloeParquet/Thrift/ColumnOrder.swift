/// The order in which a leaf column's `Statistics.minValue`/`maxValue` and column-index bounds
/// are computed (parquet.thrift union `ColumnOrder`).
///
/// Invariants: exactly one member is set on the wire; an unknown member is kept as
/// ``unrecognized(fieldID:)`` and readers must then ignore that column's min/max statistics.
/// An empty union is invalid metadata.
enum ColumnOrder: Hashable, Sendable {
    /// Member 1 (`TYPE_ORDER`, `TypeDefinedOrder`): the order defined by the logical or physical type.
    case typeDefinedOrder
    /// Member 2 (`IEEE_754_TOTAL_ORDER`): IEEE 754 totalOrder for floating-point columns.
    case ieee754TotalOrder
    /// Member 3 (`INT96_TIMESTAMP_ORDER`): chronological order of INT96 timestamps.
    case int96TimestampOrder
    /// A union member unknown to this version of Floe, by its field id.
    case unrecognized(fieldID: Int16)
}

extension ColumnOrder: ThriftStruct {
    init(from reader: inout ThriftCompactReader) throws {
        var result: ColumnOrder?
        try reader.readStruct { r, field in
            guard field.type == .struct else { return try r.skip(field.type) }
            switch field.id {
            case 1: result = .typeDefinedOrder
            case 2: result = .ieee754TotalOrder
            case 3: result = .int96TimestampOrder
            default: result = .unrecognized(fieldID: field.id)
            }
            try r.skip(.struct)
        }
        guard let result else { throw ParquetError(.invalidMetadata, "Thrift union ColumnOrder has no member set") }
        self = result
    }

    func write(to writer: inout ThriftCompactWriter) {
        writer.writeStruct { w in
            switch self {
            case .typeDefinedOrder: w.writeEmptyStructField(1)
            case .ieee754TotalOrder: w.writeEmptyStructField(2)
            case .int96TimestampOrder: w.writeEmptyStructField(3)
            case .unrecognized(let id): w.writeEmptyStructField(id)
            }
        }
    }
}
