import FloeColumnar

/// Deterministic data for the files Floe writes for pyarrow: every type Floe writes, flat and
/// nested, with the edge cases (extremes, NaN, ±0, empty and unicode strings; null, empty list,
/// list of null... at every level) in the first rows and seeded random values after them.
enum InteropWriteData {
    static func mapType(_ key: DataType, _ value: DataType, valueNullable: Bool = true) -> DataType {
        .map(Field("key_value", .struct([Field("key", key, isNullable: false), Field("value", value, isNullable: valueNullable)]),
                   isNullable: false), keysSorted: false)
    }

    static func list(_ element: DataType, nullable: Bool = true) -> DataType {
        .list(Field("element", element, isNullable: nullable))
    }

    /// Every flat type Floe writes.
    static let flatFields: [Field] = [
        Field("bool", .boolean), Field("int8", .int8), Field("int16", .int16), Field("int32", .int32), Field("int64", .int64),
        Field("uint8", .uint8), Field("uint16", .uint16), Field("uint32", .uint32), Field("uint64", .uint64),
        Field("float16", .float16), Field("float32", .float32), Field("float64", .float64),
        Field("decimal_1_0", .decimal(precision: 1, scale: 0)), Field("decimal_9_2", .decimal(precision: 9, scale: 2)),
        Field("decimal_18_6", .decimal(precision: 18, scale: 6)), Field("decimal_19_19", .decimal(precision: 19, scale: 19)),
        Field("decimal_38_10", .decimal(precision: 38, scale: 10)),
        Field("date32", .date32),
        Field("timestamp_s", .timestamp(.second, timezone: nil)), Field("timestamp_ms_utc", .timestamp(.millisecond, timezone: "UTC")),
        Field("timestamp_us", .timestamp(.microsecond, timezone: nil)), Field("timestamp_ns_utc", .timestamp(.nanosecond, timezone: "UTC")),
        Field("string", .string), Field("binary", .binary), Field("fixed_binary_3", .fixedSizeBinary(3)),
        Field("null", .null),
    ]

    /// Non-nullable columns (REQUIRED in Parquet), flat and nested.
    static let requiredFields: [Field] = [
        Field("required_int64", .int64, isNullable: false),
        Field("required_string", .string, isNullable: false),
        Field("required_list", list(.int32), isNullable: false),
        Field("required_list_of_required", list(.string, nullable: false), isNullable: false),
        Field("required_struct", .struct([Field("a", .int16, isNullable: false), Field("b", .float64)]), isNullable: false),
    ]

    /// Nested columns with nullable (and some non-nullable) levels.
    static let nestedFields: [Field] = [
        Field("struct", .struct([Field("a", .int32), Field("b", .string, isNullable: false)])),
        Field("list_int64", list(.int64)),
        Field("list_struct", list(.struct([Field("x", .float64), Field("y", list(.string))]))),
        Field("list_list_list", list(list(list(.int32)))),
        Field("map", mapType(.string, .int64)),
        Field("map_nested", mapType(.int32, list(.struct([Field("k", .string), Field("t", .timestamp(.microsecond, timezone: "UTC"))])))),
        Field("deep_struct", .struct([Field("s", .struct([Field("t", .struct([Field("v", .date32), Field("w", .binary)]))]))])),
        Field("struct_list_map", .struct([Field("l", list(.boolean)), Field("m", mapType(.string, .decimal(precision: 12, scale: 3))),
                                          Field("n", .uint64)])),
        Field("list_fixed", list(.fixedSizeBinary(3))),
        Field("list_float16", list(.float16, nullable: false)),
    ]

    static var allFields: [Field] { flatFields + requiredFields + nestedFields }

    static func pow10(_ n: Int) -> Int128 {
        var v: Int128 = 1
        for _ in 0..<n { v *= 10 }
        return v
    }

    /// The edge values of a type (all non-null), placed in the first rows.
    static func edges(_ type: DataType) -> [Scalar] {
        switch type {
        case .null: return []
        case .boolean: return [.bool(true), .bool(false)]
        case .int8: return [.int(-128), .int(127), .int(0), .int(-1)]
        case .int16: return [.int(Int64(Int16.min)), .int(Int64(Int16.max)), .int(0)]
        case .int32: return [.int(Int64(Int32.min)), .int(Int64(Int32.max)), .int(0), .int(-1)]
        case .int64: return [.int(.min), .int(.max), .int(0), .int(-1), .int((1 << 53) + 1), .int(-(1 << 53) - 1)]
        case .uint8: return [.uint(0), .uint(255)]
        case .uint16: return [.uint(0), .uint(65535)]
        case .uint32: return [.uint(0), .uint(UInt64(UInt32.max)), .uint(1 << 31)]
        case .uint64: return [.uint(0), .uint(.max), .uint(1 << 63), .uint((1 << 53) + 1)]
        case .float16:
            return [Float16.nan, .infinity, -.infinity, -0.0, 0.0, 65504, .leastNormalMagnitude, .leastNonzeroMagnitude, 0.1]
                .map { .float(Double($0)) }
        case .float32:
            return [Float.nan, .infinity, -.infinity, -0.0, 0.0, .greatestFiniteMagnitude, .leastNormalMagnitude, .leastNonzeroMagnitude, 0.1]
                .map { .float(Double($0)) }
        case .float64:
            return [Double.nan, .infinity, -.infinity, -0.0, 0.0, .greatestFiniteMagnitude, .leastNormalMagnitude, .leastNonzeroMagnitude, 0.1]
                .map { .float($0) }
        case .decimal(let p, _):
            let top = pow10(p) - 1
            return [.decimal(top), .decimal(-top), .decimal(0), .decimal(1), .decimal(-1)]
        case .date32: return [.int(0), .int(-1), .int(-719_162), .int(2_932_896), .int(3_000_000), .int(-800_000)]
        case .timestamp(let unit, _):
            if unit == .nanosecond { return [.int(0), .int(-1), .int(.min), .int(.max), .int(1_700_000_000_123_456_789)] }
            let perSecond = unit.ticksPerSecond
            return [.int(0), .int(-1), .int(-62_135_596_800 * perSecond), .int(253_402_300_800 * perSecond - 1), .int(1_700_000_000 * perSecond + perSecond / 3)]
        case .string:
            return ["", "a", "héllo wörld", "日本語テキスト", "emoji 🧊🐻‍❄️👩‍👩‍👧", "nul\u{0}inside", "e\u{301} combining",
                    "\u{FFFF}\u{10FFFF}", "tab\tnew\nline", "quote\" backslash\\"].map { .string($0) }
        case .binary: return [.binary([]), .binary(Array(0...255)), .binary([0]), .binary([255, 255, 255])]
        case .fixedSizeBinary(let n): return [.binary(Array(repeating: 0, count: n)), .binary(Array(repeating: 255, count: n))]
        case .list(let element):
            let inner = edgeValues(element.dataType, nullable: element.isNullable)
            var out: [Scalar] = [.list([])]
            out += inner.prefix(3).map { .list([$0]) }
            if inner.count >= 2 { out.append(.list(Array(inner.prefix(3)))) }
            return out
        case .map(let entries, _):
            guard case .struct(let kv) = entries.dataType else { return [] }
            let keys = edges(kv[0].dataType)
            let values = edgeValues(kv[1].dataType, nullable: kv[1].isNullable)
            var out: [Scalar] = [.map([])]
            for (i, v) in values.prefix(3).enumerated() where !keys.isEmpty {
                out.append(.map([Scalar.MapEntry(key: keys[i % keys.count], value: v)]))
            }
            if keys.count >= 2, let v = values.first {
                out.append(.map([Scalar.MapEntry(key: keys[0], value: v), Scalar.MapEntry(key: keys[1], value: values.last ?? v)]))
            }
            return out
        case .struct(let fields):
            let perField = fields.map { edgeValues($0.dataType, nullable: $0.isNullable) }
            let rows = max(1, min(4, perField.map(\.count).max() ?? 1))
            return (0..<rows).map { r in
                .structure(perField.map { e in e.isEmpty ? .null : e[r % e.count] })
            }
        }
    }

    /// Edge values with a null first when the field is nullable.
    static func edgeValues(_ type: DataType, nullable: Bool) -> [Scalar] {
        (nullable ? [.null] : []) + edges(type)
    }

    /// A random value of `type`; nulls about `nullRate` of the time where allowed.
    static func random(_ type: DataType, nullable: Bool, rng: inout SeededGenerator, depth: Int = 0, nullRate: Double = 0.15) -> Scalar {
        if nullable && Double.random(in: 0..<1, using: &rng) < nullRate { return .null }
        let wide = Bool.random(using: &rng)
        switch type {
        case .null: return .null
        case .boolean: return .bool(Bool.random(using: &rng))
        case .int8: return .int(Int64(Int8.random(in: .min ... .max, using: &rng)))
        case .int16: return .int(Int64(Int16.random(in: .min ... .max, using: &rng)))
        case .int32: return .int(wide ? Int64(Int32.random(in: .min ... .max, using: &rng)) : Int64.random(in: -1000...1000, using: &rng))
        case .int64: return .int(wide ? Int64.random(in: .min ... .max, using: &rng) : Int64.random(in: -1000...1000, using: &rng))
        case .uint8: return .uint(UInt64(UInt8.random(in: .min ... .max, using: &rng)))
        case .uint16: return .uint(UInt64(UInt16.random(in: .min ... .max, using: &rng)))
        case .uint32: return .uint(UInt64(UInt32.random(in: .min ... .max, using: &rng)))
        case .uint64: return .uint(wide ? UInt64.random(in: .min ... .max, using: &rng) : UInt64.random(in: 0...1000, using: &rng))
        case .float16: return .float(Double(Float16(Double(Int.random(in: -2048...2048, using: &rng)) / 8)))
        case .float32: return .float(Double(Float.random(in: -1e6...1e6, using: &rng)))
        case .float64: return .float(Double.random(in: -1e12...1e12, using: &rng))
        case .decimal(let p, _):
            let limit = pow10(p)
            let hi = Int128(Int64.random(in: .min ... .max, using: &rng)) * Int128(UInt64.random(in: 0 ... .max, using: &rng))
            return .decimal(wide ? hi % limit : Int128(Int64.random(in: -999...999, using: &rng)) % limit)
        case .date32: return .int(Int64.random(in: -719_162...2_932_896, using: &rng))
        case .timestamp(let unit, _):
            let perSecond = unit.ticksPerSecond
            if unit == .nanosecond { return .int(Int64.random(in: .min ... .max, using: &rng)) }
            return .int(Int64.random(in: (-62_135_596_800 * perSecond)...(253_402_300_800 * perSecond - 1), using: &rng))
        case .string:
            let words = ["alpha", "beta", "gamma", "delta", "lake", "floe", "parquet", "ice", "", "ünïcödé", "日本語", "🧊🐻‍❄️"]
            let n = Int.random(in: 0...(wide ? 6 : 1), using: &rng)
            return .string((0..<n).map { _ in words[Int.random(in: 0..<words.count, using: &rng)] }.joined(separator: " "))
        case .binary:
            return .binary((0..<Int.random(in: 0..<20, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) })
        case .fixedSizeBinary(let n):
            return .binary((0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) })
        case .list(let f):
            let n = depth > 4 ? 0 : Int.random(in: 0...3, using: &rng)
            return .list((0..<n).map { _ in random(f.dataType, nullable: f.isNullable, rng: &rng, depth: depth + 1, nullRate: nullRate) })
        case .map(let f, _):
            guard case .struct(let kv) = f.dataType else { return .null }
            let n = depth > 4 ? 0 : Int.random(in: 0...3, using: &rng)
            return .map((0..<n).map { _ in
                Scalar.MapEntry(key: random(kv[0].dataType, nullable: false, rng: &rng, depth: depth + 1, nullRate: nullRate),
                                value: random(kv[1].dataType, nullable: kv[1].isNullable, rng: &rng, depth: depth + 1, nullRate: nullRate))
            })
        case .struct(let fields):
            return .structure(fields.map { random($0.dataType, nullable: $0.isNullable, rng: &rng, depth: depth + 1, nullRate: nullRate) })
        }
    }

    /// `rows` values of `field`: its edge values (a null first if nullable), then random ones.
    static func values(_ field: Field, rows: Int, seed: UInt64) -> [Scalar] {
        var rng = SeededGenerator(seed: seed)
        var out = Array(edgeValues(field.dataType, nullable: field.isNullable).prefix(rows))
        while out.count < rows { out.append(random(field.dataType, nullable: field.isNullable, rng: &rng)) }
        return out
    }

    /// A batch of `rows` rows of `fields`.
    static func batch(_ fields: [Field], rows: Int, seed: UInt64) throws -> RecordBatch {
        var columns: [Column] = []
        for (k, f) in fields.enumerated() {
            columns.append(try Column(values(f, rows: rows, seed: seed &+ UInt64(k) &* 7919), type: f.dataType))
        }
        return try RecordBatch(schema: Schema(fields), columns: columns, count: rows)
    }

    /// A batch of `rows` rows where every value is null (the fields must be nullable).
    static func allNull(_ fields: [Field], rows: Int) throws -> RecordBatch {
        try RecordBatch(schema: Schema(fields), columns: fields.map { Column.nulls($0.dataType, count: rows) }, count: rows)
    }
}
