/// Conversions between column types: the widenings Delta allows (type widening, schema
/// enforcement of appends) and timestamp unit changes.
extension Column {
    /// Whether ``cast(to:)`` converts `from` to `to` without loss.
    public static func canCast(from: DataType, to: DataType) -> Bool {
        if from == to { return true }
        switch (from, to) {
        case (.null, _): return true
        case (.int8, .int16), (.int8, .int32), (.int8, .int64), (.int16, .int32), (.int16, .int64), (.int32, .int64),
             (.uint8, .int16), (.uint8, .int32), (.uint8, .int64), (.uint16, .int32), (.uint16, .int64), (.uint32, .int64),
             (.float16, .float32), (.float16, .float64), (.float32, .float64),
             (.int8, .float64), (.int16, .float64), (.int32, .float64):
            return true
        case (.int8, .decimal(let p, let s)), (.int16, .decimal(let p, let s)), (.int32, .decimal(let p, let s)),
             (.int64, .decimal(let p, let s)):
            let digits: Int = switch from { case .int8: 3; case .int16: 5; case .int32: 10; default: 19 }
            return p - s >= digits
        case (.decimal(let p1, let s1), .decimal(let p2, let s2)):
            return s2 >= s1 && (p2 - s2) >= (p1 - s1)
        case (.timestamp, .timestamp): return true
        case (.date32, .timestamp(_, nil)): return true
        case (.string, .binary), (.binary, .string): return true
        case (.list(let a), .list(let b)): return canCast(from: a.dataType, to: b.dataType)
        case (.map(let a, _), .map(let b, _)): return canCast(from: a.dataType, to: b.dataType)
        case (.struct(let a), .struct(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { canCast(from: $0.dataType, to: $1.dataType) }
        default: return false
        }
    }

    /// This column converted to `type`. Throws ``ColumnarError/Code-swift.struct/conversion`` for
    /// unsupported conversions and ``ColumnarError/Code-swift.struct/overflow`` when a timestamp
    /// does not fit the finer unit.
    public func cast(to type: DataType) throws -> Column {
        if dataType == type { return self }
        func fail() -> ColumnarError { ColumnarError(.conversion, "cannot convert \(dataType) to \(type)") }
        func mapFixed<S: BitwiseCopyable, T: BitwiseCopyable>(_: S.Type, _: T.Type, _ f: (S) throws -> T) rethrows -> Column {
            let out = BufferBuilder(capacity: count * MemoryLayout<T>.stride)
            try buffers[0].withUnsafeValues(of: S.self) { src in
                for v in src.prefix(count) { out.append(try f(v)) }
            }
            return Column(dataType: type, count: count, nullCount: nullCount, validity: validity, buffers: [out.finish()])
        }
        switch (dataType, type) {
        case (.null, _):
            return Column.nulls(type, count: count)
        case (.int8, .int16): return mapFixed(Int8.self, Int16.self) { Int16($0) }
        case (.int8, .int32): return mapFixed(Int8.self, Int32.self) { Int32($0) }
        case (.int8, .int64): return mapFixed(Int8.self, Int64.self) { Int64($0) }
        case (.int16, .int32): return mapFixed(Int16.self, Int32.self) { Int32($0) }
        case (.int16, .int64): return mapFixed(Int16.self, Int64.self) { Int64($0) }
        case (.int32, .int64): return mapFixed(Int32.self, Int64.self) { Int64($0) }
        case (.uint8, .int16): return mapFixed(UInt8.self, Int16.self) { Int16($0) }
        case (.uint8, .int32): return mapFixed(UInt8.self, Int32.self) { Int32($0) }
        case (.uint8, .int64): return mapFixed(UInt8.self, Int64.self) { Int64($0) }
        case (.uint16, .int32): return mapFixed(UInt16.self, Int32.self) { Int32($0) }
        case (.uint16, .int64): return mapFixed(UInt16.self, Int64.self) { Int64($0) }
        case (.uint32, .int64): return mapFixed(UInt32.self, Int64.self) { Int64($0) }
        case (.float16, .float32): return mapFixed(UInt16.self, Float.self) { Float(Float16(bitPattern: $0)) }
        case (.float16, .float64): return mapFixed(UInt16.self, Double.self) { Double(Float16(bitPattern: $0)) }
        case (.float32, .float64): return mapFixed(Float.self, Double.self) { Double($0) }
        case (.int8, .float64): return mapFixed(Int8.self, Double.self) { Double($0) }
        case (.int16, .float64): return mapFixed(Int16.self, Double.self) { Double($0) }
        case (.int32, .float64): return mapFixed(Int32.self, Double.self) { Double($0) }
        case (.int8, .decimal(_, let s)): return mapFixed(Int8.self, Int128.self) { Int128($0) * pow10(s) }
        case (.int16, .decimal(_, let s)): return mapFixed(Int16.self, Int128.self) { Int128($0) * pow10(s) }
        case (.int32, .decimal(_, let s)): return mapFixed(Int32.self, Int128.self) { Int128($0) * pow10(s) }
        case (.int64, .decimal(_, let s)): return mapFixed(Int64.self, Int128.self) { Int128($0) * pow10(s) }
        case (.decimal(_, let s1), .decimal(_, let s2)) where s2 >= s1:
            let factor = pow10(s2 - s1)
            return mapFixed(Int128.self, Int128.self) { $0 * factor }
        case (.timestamp(let u1, _), .timestamp(let u2, _)):
            let a = u1.ticksPerSecond, b = u2.ticksPerSecond
            if a == b { return Column(dataType: type, count: count, nullCount: nullCount, validity: validity, buffers: buffers) }
            if a > b {
                let d = a / b
                return mapFixed(Int64.self, Int64.self) { v in v >= 0 ? v / d : -((-v + d - 1) / d) }
            }
            let m = b / a
            return try mapFixed(Int64.self, Int64.self) { v in
                let (r, o) = v.multipliedReportingOverflow(by: m)
                if o { throw ColumnarError(.overflow, "timestamp \(v) does not fit \(type)") }
                return r
            }
        case (.date32, .timestamp(let unit, nil)):
            let perDay = unit.ticksPerSecond * 86_400
            return mapFixed(Int32.self, Int64.self) { Int64($0) * perDay }
        case (.string, .binary), (.binary, .string):
            return Column(dataType: type, count: count, nullCount: nullCount, validity: validity, buffers: buffers)
        case (.list, .list(let f)):
            return Column(dataType: type, count: count, nullCount: nullCount, validity: validity, buffers: buffers,
                          children: [try children[0].cast(to: f.dataType)])
        case (.map, .map(let f, _)):
            return Column(dataType: type, count: count, nullCount: nullCount, validity: validity, buffers: buffers,
                          children: [try children[0].cast(to: f.dataType)])
        case (.struct(let a), .struct(let b)) where a.count == b.count:
            return Column(dataType: type, count: count, nullCount: nullCount, validity: validity, buffers: [],
                          children: try zip(children, b).map { try $0.cast(to: $1.dataType) })
        default:
            throw fail()
        }
    }

    /// A column of `count` copies of `value` (nulls when `value` is `.null`).
    public static func constant(_ value: Scalar, type: DataType, count: Int) throws -> Column {
        if value.isNull { return Column.nulls(type, count: count) }
        let single = try Column([value], type: type)
        return single.take([Int32](repeating: 0, count: count))
    }
}

/// 10 raised to `n` (0...38).
func pow10(_ n: Int) -> Int128 {
    var r: Int128 = 1
    for _ in 0..<max(0, n) { r *= 10 }
    return r
}
