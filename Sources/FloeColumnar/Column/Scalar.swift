/// One value of any ``DataType``, for the edges of the system (tests, CLI input and output,
/// statistics), never for hot loops, which work on column buffers.
///
/// Representation per type: signed integers, `date32` (days) and `timestamp` (ticks of its unit) as
/// `.int`; unsigned integers as `.uint`; floating point as `.float`; decimals as `.decimal` with the
/// unscaled value; string as `.string`; binary and fixed-size binary as `.binary`; list as `.list`;
/// struct as `.structure` (one value per field, in order); map as `.map` of key/value pairs.
public enum Scalar: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case uint(UInt64)
    case float(Double)
    case decimal(Int128)
    case string(String)
    case binary([UInt8])
    case list([Scalar])
    case structure([Scalar])
    case map([MapEntry])

    /// One key/value pair of a map value.
    public struct MapEntry: Sendable, Hashable {
        public var key: Scalar
        public var value: Scalar
        public init(key: Scalar, value: Scalar) { self.key = key; self.value = value }
    }

    /// Whether this is `.null`.
    public var isNull: Bool { if case .null = self { true } else { false } }
}

extension Column {
    /// The value at `index` as a ``Scalar``.
    public func scalar(at index: Int) -> Scalar {
        if isNull(at: index) { return .null }
        switch dataType {
        case .null: return .null
        case .boolean: return .bool(buffers[0].bit(at: index))
        case .int8: return .int(Int64(buffers[0].value(at: index, as: Int8.self)))
        case .int16: return .int(Int64(buffers[0].value(at: index, as: Int16.self)))
        case .int32, .date32: return .int(Int64(buffers[0].value(at: index, as: Int32.self)))
        case .int64, .timestamp: return .int(buffers[0].value(at: index, as: Int64.self))
        case .uint8: return .uint(UInt64(buffers[0].value(at: index, as: UInt8.self)))
        case .uint16: return .uint(UInt64(buffers[0].value(at: index, as: UInt16.self)))
        case .uint32: return .uint(UInt64(buffers[0].value(at: index, as: UInt32.self)))
        case .uint64: return .uint(buffers[0].value(at: index, as: UInt64.self))
        case .float16: return .float(Double(Float16(bitPattern: buffers[0].value(at: index, as: UInt16.self))))
        case .float32: return .float(Double(buffers[0].value(at: index, as: Float.self)))
        case .float64: return .float(buffers[0].value(at: index, as: Double.self))
        case .decimal: return .decimal(buffers[0].value(at: index, as: Int128.self))
        case .string:
            let r = offsetRange(at: index)
            return .string(buffers[1].withUnsafeBytes { String(decoding: $0[r], as: UTF8.self) })
        case .binary:
            let r = offsetRange(at: index)
            return .binary(buffers[1].withUnsafeBytes { Array($0[r]) })
        case .fixedSizeBinary(let n):
            return .binary(buffers[0].withUnsafeBytes { Array($0[(index * n)..<((index + 1) * n)]) })
        case .list:
            return .list(offsetRange(at: index).map { children[0].scalar(at: $0) })
        case .map:
            let entries = children[0]
            return .map(offsetRange(at: index).map {
                Scalar.MapEntry(key: entries.children[0].scalar(at: $0), value: entries.children[1].scalar(at: $0))
            })
        case .struct:
            return .structure(children.map { $0.scalar(at: index) })
        }
    }

    /// Builds a column of `dataType` from scalars; `.null` entries become nulls.
    /// Throws ``ColumnarError/Code-swift.struct/conversion`` when a value does not fit the type.
    public init(_ values: [Scalar], type dataType: DataType) throws {
        let builder = ColumnBuilder(dataType)
        for v in values { try builder.append(v) }
        self = builder.finish()
    }
}
