import FloeColumnar

/// Min/max/null-count statistics of one column chunk, as Arrow-typed values.
///
/// Invariants: `min`/`max`, when present, are of the column's Arrow type (``Scalar`` representation)
/// and bounds of the non-null values (`min <= every value <= max` in the type's order); NaN never
/// appears in them. They are the smallest and largest values themselves unless `isMinExact` /
/// `isMaxExact` is false: some writers (arrow-rs, hence delta-rs) truncate long string and binary
/// bounds, to a prefix for the minimum and to an incremented prefix (a value that need not occur)
/// for the maximum. Either may be absent (no non-null values, a writer that did not record them,
/// or legacy statistics whose sort order cannot be trusted).
public struct ColumnStatistics: Sendable, Hashable {
    /// Number of null entries, when recorded.
    public var nullCount: Int?
    /// Smallest non-null value (a lower bound of them when `isMinExact` is false).
    public var min: Scalar?
    /// Largest non-null value (an upper bound of them when `isMaxExact` is false).
    public var max: Scalar?
    /// Number of distinct values, when recorded.
    public var distinctCount: Int?
    /// Whether `min` is the smallest value rather than a lower bound (the writer truncated it).
    public var isMinExact: Bool
    /// Whether `max` is the largest value rather than an upper bound (the writer truncated it).
    public var isMaxExact: Bool

    /// Creates statistics.
    public init(nullCount: Int? = nil, min: Scalar? = nil, max: Scalar? = nil, distinctCount: Int? = nil,
                isMinExact: Bool = true, isMaxExact: Bool = true) {
        self.nullCount = nullCount
        self.min = min
        self.max = max
        self.distinctCount = distinctCount
        self.isMinExact = isMinExact
        self.isMaxExact = isMaxExact
    }
}

/// Ordering of scalars of one Arrow type, as Parquet's type-defined column order defines it.
enum ScalarOrder {
    /// Whether `a < b` for two non-null values of `type`; false for incomparable values.
    static func less(_ a: Scalar, _ b: Scalar) -> Bool {
        switch (a, b) {
        case (.bool(let x), .bool(let y)): return !x && y
        case (.int(let x), .int(let y)): return x < y
        case (.uint(let x), .uint(let y)): return x < y
        case (.float(let x), .float(let y)): return x < y || (x == 0 && y == 0 && x.sign == .minus && y.sign == .plus)
        case (.decimal(let x), .decimal(let y)): return x < y
        case (.string(let x), .string(let y)): return x.utf8.lexicographicallyPrecedes(y.utf8)
        case (.binary(let x), .binary(let y)): return x.lexicographicallyPrecedes(y)
        default: return false
        }
    }
}

extension ColumnStatistics {
    /// Computes min/max over a dense (null-free) Arrow column of a primitive type.
    /// Returns nil bounds for empty input, all-NaN floats, and types without an order.
    static func bounds(of column: Column) -> (min: Scalar, max: Scalar)? {
        let n = column.count
        guard n > 0 else { return nil }
        func intBounds<T: FixedWidthInteger & BitwiseCopyable>(_: T.Type) -> (T, T) {
            column.buffers[0].withUnsafeValues(of: T.self) { v in
                var lo = v[0], hi = v[0]
                for x in v.prefix(n) { if x < lo { lo = x }; if x > hi { hi = x } }
                return (lo, hi)
            }
        }
        func floatBounds<T: BinaryFloatingPoint & BitwiseCopyable>(_: T.Type) -> (Scalar, Scalar)? {
            column.buffers[0].withUnsafeValues(of: T.self) { v in
                var lo = T.infinity, hi = -T.infinity
                var any = false
                for x in v.prefix(n) where !x.isNaN {
                    any = true
                    if x < lo || (x == 0 && lo == 0 && x.sign == .minus) { lo = x }
                    if x > hi || (x == 0 && hi == 0 && x.sign == .plus) { hi = x }
                }
                guard any else { return nil }
                // Parquet: a zero minimum is written as -0.0, a zero maximum as +0.0.
                if lo == 0 { lo = -T(0) }
                if hi == 0 { hi = T(0) }
                return (.float(Double(lo)), .float(Double(hi)))
            }
        }
        switch column.dataType {
        case .boolean:
            var sawTrue = false, sawFalse = false
            column.buffers[0].withUnsafeBytes { bits in
                for i in 0..<n { if bitIsSet(bits, i) { sawTrue = true } else { sawFalse = true } }
            }
            return (.bool(!sawFalse), .bool(sawTrue))
        case .int8: let (a, b) = intBounds(Int8.self); return (.int(Int64(a)), .int(Int64(b)))
        case .int16: let (a, b) = intBounds(Int16.self); return (.int(Int64(a)), .int(Int64(b)))
        case .int32, .date32: let (a, b) = intBounds(Int32.self); return (.int(Int64(a)), .int(Int64(b)))
        case .int64, .timestamp: let (a, b) = intBounds(Int64.self); return (.int(a), .int(b))
        case .uint8: let (a, b) = intBounds(UInt8.self); return (.uint(UInt64(a)), .uint(UInt64(b)))
        case .uint16: let (a, b) = intBounds(UInt16.self); return (.uint(UInt64(a)), .uint(UInt64(b)))
        case .uint32: let (a, b) = intBounds(UInt32.self); return (.uint(UInt64(a)), .uint(UInt64(b)))
        case .uint64: let (a, b) = intBounds(UInt64.self); return (.uint(a), .uint(b))
        case .decimal: let (a, b) = intBounds(Int128.self); return (.decimal(a), .decimal(b))
        case .float32: return floatBounds(Float.self)
        case .float64: return floatBounds(Double.self)
        case .float16:
            return column.buffers[0].withUnsafeValues(of: UInt16.self) { v -> (Scalar, Scalar)? in
                let floats = v.prefix(n).map { Float(Float16(bitPattern: $0)) }
                let column = Column(dataType: .float32, count: n, buffers: [Buffer(values: floats)])
                return bounds(of: column)
            }
        case .string, .binary:
            return column.buffers[0].withUnsafeValues(of: Int32.self) { off in
                column.buffers[1].withUnsafeBytes { data -> (Scalar, Scalar) in
                    func slice(_ i: Int) -> Slice<UnsafeRawBufferPointer> { data[Int(off[i])..<Int(off[i + 1])] }
                    var lo = 0, hi = 0
                    for i in 1..<n {
                        let s = slice(i)
                        if s.lexicographicallyPrecedes(slice(lo)) { lo = i }
                        if slice(hi).lexicographicallyPrecedes(s) { hi = i }
                    }
                    if case .string = column.dataType {
                        return (.string(String(decoding: slice(lo), as: UTF8.self)), .string(String(decoding: slice(hi), as: UTF8.self)))
                    }
                    return (.binary(Array(slice(lo))), .binary(Array(slice(hi))))
                }
            }
        case .fixedSizeBinary(let w):
            return column.buffers[0].withUnsafeBytes { data -> (Scalar, Scalar) in
                func slice(_ i: Int) -> Slice<UnsafeRawBufferPointer> { data[(i * w)..<((i + 1) * w)] }
                var lo = 0, hi = 0
                for i in 1..<n {
                    if slice(i).lexicographicallyPrecedes(slice(lo)) { lo = i }
                    if slice(hi).lexicographicallyPrecedes(slice(i)) { hi = i }
                }
                return (.binary(Array(slice(lo))), .binary(Array(slice(hi))))
            }
        default:
            return nil
        }
    }

    /// The PLAIN encoding (without length prefix) of a bound for a leaf node, as Parquet stores
    /// `min_value`/`max_value`.
    static func encode(_ value: Scalar, node: SchemaNode) -> [UInt8]? {
        func le<T: FixedWidthInteger>(_ v: T) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }
        switch (node.physicalType, value) {
        case (.boolean?, .bool(let b)): return [b ? 1 : 0]
        case (.int32?, .int(let v)): return le(Int32(truncatingIfNeeded: v))
        case (.int32?, .uint(let v)): return le(UInt32(truncatingIfNeeded: v))
        case (.int32?, .decimal(let v)): return le(Int32(truncatingIfNeeded: v))
        case (.int64?, .int(let v)): return le(v)
        case (.int64?, .uint(let v)): return le(v)
        case (.int64?, .decimal(let v)): return le(Int64(truncatingIfNeeded: v))
        case (.float?, .float(let v)): return le(Float(v).bitPattern)
        case (.double?, .float(let v)): return le(v.bitPattern)
        case (.byteArray?, .string(let s)): return Array(s.utf8)
        case (.byteArray?, .binary(let b)), (.fixedLenByteArray?, .binary(let b)): return b
        case (.fixedLenByteArray?, .float(let v)): return le(Float16(v).bitPattern)
        case (.fixedLenByteArray?, .decimal(let v)):
            return (0..<node.typeLength).reversed().map { b in UInt8(truncatingIfNeeded: b >= 16 ? (v < 0 ? -1 : 0) : v >> (b * 8)) }
        default: return nil
        }
    }

    /// Decodes a stored bound into a scalar of the leaf's Arrow type; nil when it cannot be decoded.
    static func decode(_ bytes: [UInt8], node: SchemaNode, type: DataType) -> Scalar? {
        func le<T: FixedWidthInteger>(_: T.Type) -> T? {
            guard bytes.count == MemoryLayout<T>.size else { return nil }
            return bytes.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(as: T.self)) }
        }
        switch (node.physicalType, type) {
        case (.boolean?, .boolean): return bytes.first.map { .bool($0 != 0) }
        case (.int32?, .uint8), (.int32?, .uint16), (.int32?, .uint32): return le(UInt32.self).map { .uint(UInt64($0)) }
        case (.int32?, .decimal): return le(Int32.self).map { .decimal(Int128($0)) }
        case (.int32?, _): return le(Int32.self).map { .int(Int64($0)) }
        case (.int64?, .uint64): return le(UInt64.self).map { .uint($0) }
        case (.int64?, .decimal): return le(Int64.self).map { .decimal(Int128($0)) }
        case (.int64?, _): return le(Int64.self).map { .int($0) }
        case (.float?, _): return le(UInt32.self).map { .float(Double(Float(bitPattern: $0))) }
        case (.double?, _): return le(UInt64.self).map { .float(Double(bitPattern: $0)) }
        case (.byteArray?, .string): return .string(String(decoding: bytes, as: UTF8.self))
        case (_, .decimal):
            return bytes.withUnsafeBytes { try? PhysicalValues.bigEndianDecimal($0, "") }.map { .decimal($0) }
        case (.fixedLenByteArray?, .float16): return le(UInt16.self).map { .float(Double(Float16(bitPattern: $0))) }
        case (.byteArray?, _), (.fixedLenByteArray?, _): return .binary(bytes)
        default: return nil
        }
    }
}
