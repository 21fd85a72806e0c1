import Foundation

/// How ``RecordBatch/init(encoding:schema:options:)`` converts Swift values to column values.
public struct RecordEncodingOptions: Sendable, Hashable {
    /// Whether a `Double` with more fraction digits than a decimal column's scale is rounded to the
    /// scale (to nearest, ties away from zero). When false (the default) such a value is refused:
    /// a `Double` goes into a decimal column only when its shortest decimal text fits exactly.
    public var roundsDoublesToDecimalScale: Bool

    /// Options with the given settings; the defaults convert only exactly.
    public init(roundsDoublesToDecimalScale: Bool = false) {
        self.roundsDoublesToDecimalScale = roundsDoublesToDecimalScale
    }
}

/// Building batches from `Encodable` values and reading rows back as `Decodable` values: the
/// convenient path for Swift users. It goes through per-value trees, so use it for modest volumes;
/// bulk paths build column buffers directly.
///
/// Decimal columns take `Foundation.Decimal` (exactly), `String` (decimal text such as `"-899.63"`),
/// integers, and `Double` when its shortest decimal text fits the scale (or rounded, with
/// ``RecordEncodingOptions/roundsDoublesToDecimalScale``); a value with more fraction digits than
/// the scale or more digits than the precision is refused, never silently changed. Decoding reads
/// a decimal as `Decimal` or `String` exactly, as `Double` when the double converts back to the
/// same decimal, and as an integer type when it has no fraction.
extension RecordBatch {
    /// A batch with one row per value. Each value must encode as a keyed container (a struct);
    /// its properties become columns. Without `schema`, types are inferred: integers → int64,
    /// unsigned → uint64, floating point → float64, `String` → string, `Bool` → boolean,
    /// `Date` → timestamp[µs, UTC], `Decimal` → decimal(38, s) with s the most fraction digits
    /// seen, `Data`/`[UInt8]` → binary, arrays → list, nested structs → struct; a property that is
    /// nil or missing in any row is nullable. With `schema`, a column that no property fills but a
    /// camelCase property would (`userId` for `user_id`) is refused with a hint at `CodingKeys`.
    public init<T: Encodable>(encoding values: [T], schema: Schema? = nil, options: RecordEncodingOptions = .init()) throws {
        let trees = try values.map { try TreeEncoder.encode($0) }
        var rows: [[(String, EncodedValue)]] = []
        for (i, t) in trees.enumerated() {
            guard case .object(let fields) = t else {
                throw ColumnarError(.conversion, "row \(i) does not encode as a struct with named properties")
            }
            rows.append(fields)
        }
        let schema = try schema ?? SchemaInference.infer(rows)
        var columns: [Column] = []
        for field in schema.fields {
            let builder = ColumnBuilder(field.dataType)
            for (i, row) in rows.enumerated() {
                guard let v = row.first(where: { $0.0 == field.name })?.1 else {
                    if let camel = row.first(where: { CodingKeyHint.snakeCase($0.0) == field.name })?.0 {
                        throw ColumnarError(.schemaMismatch, "row \(i): no property fills column '\(field.name)', but property '\(camel)' would: "
                                            + CodingKeyHint.advice(property: camel, column: field.name))
                    }
                    try builder.append(.null)
                    continue
                }
                do {
                    try builder.append(try SchemaInference.scalar(v, as: field.dataType, options: options))
                } catch {
                    throw ColumnarError(.conversion, "row \(i), column '\(field.name)': \(error)", underlying: error)
                }
            }
            let column = builder.finish()
            if !field.isNullable && column.nullCount > 0 {
                throw ColumnarError(.schemaMismatch, "column '\(field.name)' is not nullable but a row has no value")
            }
            columns.append(column)
        }
        try self.init(schema: schema, columns: columns)
    }

    /// Decodes every row as a `T`, matching columns to coding keys by name.
    public func decode<T: Decodable>(_ type: T.Type) throws -> [T] {
        try (0..<count).map { row in
            let value = Scalar.structure(columns.map { $0.scalar(at: row) })
            return try T(from: ScalarDecoder(value: value, type: .struct(schema.fields), codingPath: []))
        }
    }
}

enum SchemaInference {
    static func infer(_ rows: [[(String, EncodedValue)]]) throws -> Schema {
        var names: [String] = []
        var types: [String: DataType?] = [:]
        var nullable: [String: Bool] = [:]
        for row in rows {
            for (k, v) in row {
                if types[k] == nil { names.append(k); types[k] = .some(nil); nullable[k] = false }
                if case .null = v { nullable[k] = true; continue }
                types[k] = try merge(types[k] ?? nil, type(of: v))
            }
        }
        return Schema(names.map { name in
            let present = rows.allSatisfy { row in row.contains { $0.0 == name } }
            return Field(name, (types[name] ?? nil) ?? .null, isNullable: (nullable[name] ?? true) || !present || types[name]! == nil)
        })
    }

    static func type(of v: EncodedValue) throws -> DataType? {
        switch v {
        case .null: return nil
        case .bool: return .boolean
        case .int: return .int64
        case .uint: return .uint64
        case .double: return .float64
        case .string: return .string
        case .date: return .timestamp(.microsecond, timezone: "UTC")
        case .decimal(let d): return .decimal(precision: 38, scale: max(0, -d.exponent))
        case .bytes: return .binary
        case .array(let items):
            var element: DataType? = nil
            var hasNull = false
            for i in items {
                if case .null = i { hasNull = true; continue }
                element = try merge(element, type(of: i))
            }
            return .list(Field("element", element ?? .null, isNullable: hasNull))
        case .object(let fields):
            return .struct(try fields.map { (k, v) in
                let t = try type(of: v)
                return Field(k, t ?? .null, isNullable: true)
            })
        }
    }

    static func merge(_ a: DataType?, _ b: DataType?) throws -> DataType? {
        guard let a else { return b }
        guard let b else { return a }
        if a == b { return a }
        switch (a, b) {
        case (.int64, .float64), (.float64, .int64), (.uint64, .float64), (.float64, .uint64): return .float64
        case (.int64, .uint64), (.uint64, .int64): return .int64
        case (.decimal(_, let x), .decimal(_, let y)): return .decimal(precision: 38, scale: max(x, y))
        case (.null, let t), (let t, .null): return t
        case (.list(let x), .list(let y)):
            let e = try merge(x.dataType, y.dataType) ?? .null
            return .list(Field("element", e, isNullable: x.isNullable || y.isNullable))
        case (.struct(let x), .struct(let y)):
            var fields = x
            for f in y {
                if let i = fields.firstIndex(where: { $0.name == f.name }) {
                    fields[i].dataType = try merge(fields[i].dataType, f.dataType) ?? .null
                } else {
                    fields.append(f)
                }
            }
            return .struct(fields)
        default:
            throw ColumnarError(.conversion, "values of types \(a) and \(b) cannot share a column")
        }
    }

    static func scalar(_ v: EncodedValue, as type: DataType, options: RecordEncodingOptions = .init()) throws -> Scalar {
        switch (v, type) {
        case (.null, _): return .null
        case (_, .decimal(let precision, let scale)):
            return .decimal(try DecimalConversion.unscaled(v, precision: precision, scale: scale, options: options))
        case (.bool(let b), _): return .bool(b)
        case (.int(let i), .float16), (.int(let i), .float32), (.int(let i), .float64): return .float(Double(i))
        case (.int(let i), _): return .int(i)
        case (.uint(let u), .float16), (.uint(let u), .float32), (.uint(let u), .float64): return .float(Double(u))
        case (.uint(let u), _): return .uint(u)
        case (.double(let d), _): return .float(d)
        case (.string(let s), _): return .string(s)
        case (.bytes(let b), _): return .binary(b)
        case (.date(let d), .timestamp(let unit, _)):
            let ticks = (d.timeIntervalSince1970 * Double(unit.ticksPerSecond)).rounded()
            guard ticks.isFinite, abs(ticks) < 9.2e18 else {
                throw ColumnarError(.overflow, "date \(d) is out of range for a timestamp")
            }
            return .int(Int64(ticks))
        case (.date(let d), .date32):
            let days = (d.timeIntervalSince1970 / 86_400).rounded(.down)
            guard days.isFinite, days >= Double(Int32.min), days <= Double(Int32.max) else {
                throw ColumnarError(.overflow, "date \(d) is out of range for a date")
            }
            return .int(Int64(days))
        case (.decimal(let d), _): throw ColumnarError(.conversion, "Decimal \(d) cannot be stored as \(type)")
        case (.array(let items), .list(let f)):
            return .list(try items.map { try scalar($0, as: f.dataType, options: options) })
        case (.object(let fields), .struct(let schemaFields)):
            return .structure(try schemaFields.map { f in
                try scalar(fields.first { $0.0 == f.name }?.1 ?? .null, as: f.dataType, options: options)
            })
        case (.object(let fields), .map(let entries, _)):
            guard case .struct(let kv) = entries.dataType, kv.count == 2 else { throw ColumnarError(.conversion, "bad map type") }
            return .map(try fields.map { Scalar.MapEntry(key: .string($0.0), value: try scalar($0.1, as: kv[1].dataType, options: options)) })
        default:
            throw ColumnarError(.conversion, "value \(v) cannot be stored as \(type)")
        }
    }
}
