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
            // Fields are matched by name (exactly, else ignoring case), never by position.
            guard let pairs = structFieldPairs(a, b) else { return false }
            return pairs.enumerated().allSatisfy { j, i in
                i.map { canCast(from: a[$0].dataType, to: b[j].dataType) } ?? b[j].isNullable
            }
        default: return false
        }
    }

    /// This column converted to `type`. Throws ``ColumnarError/Code-swift.struct/conversion`` for
    /// unsupported conversions and for binary values that are not valid UTF-8 cast to strings, and
    /// ``ColumnarError/Code-swift.struct/overflow`` when a timestamp or date does not fit the finer
    /// unit or a value does not fit the target decimal's precision (never traps, never wraps).
    /// Timestamps cast to a coarser unit are rounded toward the earlier instant.
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
        case (.int8, .decimal(let p, let s)): return try mapFixed(Int8.self, Int128.self) { try scaled(Int128($0), s, p) }
        case (.int16, .decimal(let p, let s)): return try mapFixed(Int16.self, Int128.self) { try scaled(Int128($0), s, p) }
        case (.int32, .decimal(let p, let s)): return try mapFixed(Int32.self, Int128.self) { try scaled(Int128($0), s, p) }
        case (.int64, .decimal(let p, let s)): return try mapFixed(Int64.self, Int128.self) { try scaled(Int128($0), s, p) }
        case (.decimal(_, let s1), .decimal(let p2, let s2)) where s2 >= s1 && s2 - s1 <= 38:
            return try mapFixed(Int128.self, Int128.self) { try scaled($0, s2 - s1, p2) }
        case (.timestamp(let u1, _), .timestamp(let u2, _)):
            let a = u1.ticksPerSecond, b = u2.ticksPerSecond
            if a == b { return Column(dataType: type, count: count, nullCount: nullCount, validity: validity, buffers: buffers) }
            if a > b {
                // Toward the earlier instant (floor), with no overflow at Int64.min.
                let d = a / b
                return mapFixed(Int64.self, Int64.self) { v in
                    let q = v / d
                    return v % d < 0 ? q - 1 : q
                }
            }
            let m = b / a
            return try mapFixed(Int64.self, Int64.self) { v in
                let (r, o) = v.multipliedReportingOverflow(by: m)
                if o { throw ColumnarError(.overflow, "timestamp \(v) does not fit \(type)") }
                return r
            }
        case (.date32, .timestamp(let unit, nil)):
            let perDay = unit.ticksPerSecond * 86_400
            return try mapFixed(Int32.self, Int64.self) { day in
                let (r, o) = Int64(day).multipliedReportingOverflow(by: perDay)
                if o { throw ColumnarError(.overflow, "date \(day) days from the epoch does not fit \(type)") }
                return r
            }
        case (.string, .binary):
            return Column(dataType: type, count: count, nullCount: nullCount, validity: validity, buffers: buffers)
        case (.binary, .string):
            let strings = Column(dataType: type, count: count, nullCount: nullCount, validity: validity, buffers: buffers)
            if let bad = strings.firstInvalidUTF8Index() {
                throw ColumnarError(.conversion, "binary value \(bad + 1) of the column is not valid UTF-8, so it cannot become a string")
            }
            return strings
        case (.list, .list(let f)):
            return Column(dataType: type, count: count, nullCount: nullCount, validity: validity, buffers: buffers,
                          children: [try children[0].cast(to: f.dataType)])
        case (.map, .map(let f, _)):
            return Column(dataType: type, count: count, nullCount: nullCount, validity: validity, buffers: buffers,
                          children: [try children[0].cast(to: f.dataType)])
        case (.struct(let a), .struct(let b)):
            guard let pairs = Column.structFieldPairs(a, b), children.count == a.count else { throw fail() }
            let converted = try pairs.enumerated().map { j, i -> Column in
                guard let i else {
                    guard b[j].isNullable else { throw ColumnarError(.conversion, "cannot convert \(dataType) to \(type): NOT NULL field '\(b[j].name)' is missing") }
                    return Column.nulls(b[j].dataType, count: count)
                }
                return try children[i].cast(to: b[j].dataType)
            }
            return Column(dataType: type, count: count, nullCount: nullCount, validity: validity, buffers: [], children: converted)
        default:
            throw fail()
        }
    }

    /// For each field of `to`, the index of the field of `from` with its name (exactly, else
    /// ignoring case), or nil when `from` lacks it; nil overall when a field of `from` has no
    /// counterpart in `to` or two fields of `from` match one name.
    static func structFieldPairs(_ from: [Field], _ to: [Field]) -> [Int?]? {
        var used = Set<Int>()
        var pairs: [Int?] = []
        for f in to {
            let exact = from.indices.filter { from[$0].name == f.name }
            let folded = from.indices.filter { from[$0].name.lowercased() == f.name.lowercased() }
            let candidates = exact.isEmpty ? folded : exact
            guard candidates.count <= 1 else { return nil }
            if let i = candidates.first {
                guard used.insert(i).inserted else { return nil }
                pairs.append(i)
            } else {
                pairs.append(nil)
            }
        }
        return used.count == from.count ? pairs : nil
    }

    /// A column of `count` copies of `value` (nulls when `value` is `.null`).
    public static func constant(_ value: Scalar, type: DataType, count: Int) throws -> Column {
        if value.isNull { return Column.nulls(type, count: count) }
        let single = try Column([value], type: type)
        return single.take([Int32](repeating: 0, count: count))
    }
}

/// `value` · 10^`shift`, which must stay within `precision` digits.
private func scaled(_ value: Int128, _ shift: Int, _ precision: Int) throws -> Int128 {
    let limit = pow10(min(max(precision, 0), 38))
    guard let r = multipliedByPow10(value, shift), r < limit, r > -limit else {
        throw ColumnarError(.overflow, "unscaled value \(value) times 10^\(shift) has more than \(precision) digits")
    }
    return r
}

/// 10 raised to `n`, for `n` in 0...38 (the largest power of ten an Int128 holds); `n` is clamped
/// to that range, so this never traps.
func pow10(_ n: Int) -> Int128 {
    var r: Int128 = 1
    for _ in 0..<min(max(0, n), 38) { r *= 10 }
    return r
}

/// `value` · 10^`n` (n ≥ 0), or nil when it does not fit an Int128.
func multipliedByPow10(_ value: Int128, _ n: Int) -> Int128? {
    var r = value
    for _ in 0..<max(0, n) {
        if r == 0 { return 0 }
        let (p, o) = r.multipliedReportingOverflow(by: 10)
        if o { return nil }
        r = p
    }
    return r
}
