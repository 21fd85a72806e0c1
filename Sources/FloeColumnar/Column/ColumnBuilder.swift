/// Builds a ``Column`` of any type value by value (recursively for nested types).
///
/// Invariants: after `n` appends, `count == n` and every child builder holds the values the layout
/// requires (a struct child one per struct entry, null entries included). Not `Sendable`: one task
/// at a time. For bulk data prefer building buffers directly.
public final class ColumnBuilder {
    /// The type being built.
    public let dataType: DataType
    private let validity = BitmapBuilder()
    private let values = BufferBuilder()
    private let bits = BitmapBuilder()
    private let offsets = BufferBuilder()
    private var children: [ColumnBuilder] = []
    /// The number of values appended.
    public private(set) var count = 0

    /// A builder for `dataType`.
    public init(_ dataType: DataType) {
        self.dataType = dataType
        switch dataType {
        case .string, .binary, .list, .map: offsets.append(Int32(0))
        default: break
        }
        switch dataType {
        case .list(let f), .map(let f, _): children = [ColumnBuilder(f.dataType)]
        case .struct(let fields): children = fields.map { ColumnBuilder($0.dataType) }
        default: break
        }
    }

    /// Appends a null.
    public func appendNull() {
        validity.append(false)
        count += 1
        switch dataType {
        case .null: break
        case .boolean: bits.append(false)
        case .string, .binary: offsets.append(Int32(truncatingIfNeeded: values.count))
        case .list, .map: offsets.append(Int32(truncatingIfNeeded: children[0].count))
        case .struct: for c in children { c.appendNull() }
        default: values.appendZeros(dataType.byteWidth ?? 0)
        }
    }

    private func conversion(_ v: Scalar) -> ColumnarError {
        ColumnarError(.conversion, "value \(v) does not fit type \(dataType)")
    }

    private func appendInteger<T: FixedWidthInteger & BitwiseCopyable>(_ v: Scalar, as: T.Type) throws {
        let result: T?
        switch v {
        case .int(let i): result = T(exactly: i)
        case .uint(let u): result = T(exactly: u)
        case .decimal(let d): result = T(exactly: d)
        case .float(let f): result = f.rounded() == f ? T(exactly: f) : nil
        default: result = nil
        }
        guard let result else { throw conversion(v) }
        values.append(result)
    }

    /// Appends a value; `.null` appends a null. Throws when the value does not fit the type.
    public func append(_ v: Scalar) throws {
        if case .null = v { appendNull(); return }
        switch dataType {
        case .null: throw conversion(v)
        case .boolean:
            guard case .bool(let b) = v else { throw conversion(v) }
            bits.append(b)
        case .int8: try appendInteger(v, as: Int8.self)
        case .int16: try appendInteger(v, as: Int16.self)
        case .int32, .date32: try appendInteger(v, as: Int32.self)
        case .int64, .timestamp: try appendInteger(v, as: Int64.self)
        case .uint8: try appendInteger(v, as: UInt8.self)
        case .uint16: try appendInteger(v, as: UInt16.self)
        case .uint32: try appendInteger(v, as: UInt32.self)
        case .uint64: try appendInteger(v, as: UInt64.self)
        case .float16, .float32, .float64:
            let d: Double
            switch v {
            case .float(let f): d = f
            case .int(let i): d = Double(i)
            case .uint(let u): d = Double(u)
            default: throw conversion(v)
            }
            // A finite value beyond the narrower type's range is refused, never made infinite.
            if case .float16 = dataType {
                guard !d.isFinite || Float16(d).isFinite else { throw ColumnarError(.overflow, "\(d) is out of range for \(dataType)") }
                values.append(Float16(d).bitPattern)
            } else if case .float32 = dataType {
                guard !d.isFinite || Float(d).isFinite else { throw ColumnarError(.overflow, "\(d) is out of range for \(dataType)") }
                values.append(Float(d))
            } else {
                values.append(d)
            }
        case .decimal:
            switch v {
            case .decimal(let d): values.append(d)
            case .int(let i): values.append(Int128(i))
            default: throw conversion(v)
            }
        case .string, .binary:
            switch v {
            case .string(let s): var s = s; s.withUTF8 { values.append(bytes: UnsafeRawBufferPointer($0)) }
            case .binary(let b): values.append(contentsOf: b)
            default: throw conversion(v)
            }
            guard values.count <= Int(Int32.max) else {
                throw ColumnarError(.overflow, "more than 2 GiB of data in one \(dataType) column")
            }
            offsets.append(Int32(values.count))
        case .fixedSizeBinary(let n):
            guard case .binary(let b) = v, b.count == n else { throw conversion(v) }
            values.append(contentsOf: b)
        case .list:
            guard case .list(let items) = v else { throw conversion(v) }
            for item in items { try children[0].append(item) }
            offsets.append(Int32(children[0].count))
        case .map:
            guard case .map(let entries) = v else { throw conversion(v) }
            for e in entries { try children[0].append(.structure([e.key, e.value])) }
            offsets.append(Int32(children[0].count))
        case .struct(let fields):
            guard case .structure(let items) = v, items.count == fields.count else { throw conversion(v) }
            for (c, item) in zip(children, items) { try c.append(item) }
        }
        validity.append(true)
        count += 1
    }

    /// The finished column; the builder must not be used afterwards.
    public func finish() -> Column {
        let nullCount = count - validity.trueCount
        let validityBuffer = nullCount > 0 ? validity.finish() : nil
        switch dataType {
        case .null:
            return Column.nulls(.null, count: count)
        case .boolean:
            return Column(dataType: dataType, count: count, nullCount: nullCount, validity: validityBuffer, buffers: [bits.finish()])
        case .string, .binary:
            return Column(dataType: dataType, count: count, nullCount: nullCount, validity: validityBuffer,
                          buffers: [offsets.finish(), values.finish()])
        case .list, .map:
            return Column(dataType: dataType, count: count, nullCount: nullCount, validity: validityBuffer,
                          buffers: [offsets.finish()], children: [children[0].finish()])
        case .struct:
            return Column(dataType: dataType, count: count, nullCount: nullCount, validity: validityBuffer,
                          buffers: [], children: children.map { $0.finish() })
        default:
            return Column(dataType: dataType, count: count, nullCount: nullCount, validity: validityBuffer, buffers: [values.finish()])
        }
    }
}
