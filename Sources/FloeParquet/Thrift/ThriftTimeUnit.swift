/// The unit of a TIME or TIMESTAMP logical type (parquet.thrift union `ThriftTimeUnit`).
///
/// Invariants: exactly one member is set on the wire; a member this version of Floe does not know
/// is kept as ``unrecognized(fieldID:)`` (so the column, not the whole file, can be refused). An
/// empty union is invalid metadata.
enum ThriftTimeUnit: Hashable, Sendable {
    /// Member 1 (`MILLIS`): milliseconds.
    case millis
    /// Member 2 (`MICROS`): microseconds.
    case micros
    /// Member 3 (`NANOS`): nanoseconds.
    case nanos
    /// A union member unknown to this version of Floe, by its field id.
    case unrecognized(fieldID: Int16)
}

extension ThriftTimeUnit: ThriftStruct {
    init(from reader: inout ThriftCompactReader) throws {
        var result: ThriftTimeUnit?
        try reader.readStruct { r, field in
            guard field.type == .struct else { return try r.skip(field.type) }
            switch field.id {
            case 1: result = .millis
            case 2: result = .micros
            case 3: result = .nanos
            default: result = .unrecognized(fieldID: field.id)
            }
            try r.skip(.struct)
        }
        guard let result else { throw ParquetError(.invalidMetadata, "Thrift union ThriftTimeUnit has no member set") }
        self = result
    }

    func write(to writer: inout ThriftCompactWriter) {
        writer.writeStruct { w in
            switch self {
            case .millis: w.writeEmptyStructField(1)
            case .micros: w.writeEmptyStructField(2)
            case .nanos: w.writeEmptyStructField(3)
            case .unrecognized(let id): w.writeEmptyStructField(id)
            }
        }
    }
}
