extension Condition {
    /// The predicate with literals converted to the types of the columns they are compared with
    /// (`schema` resolves top-level names and dotted struct paths): strings to dates and
    /// timestamps (ISO-8601), numbers and numeric strings to decimals at the column's scale,
    /// integers to floats for floating-point columns. Throws
    /// ``ColumnarError/Code-swift.struct/schemaMismatch`` for an unknown column and
    /// ``ColumnarError/Code-swift.struct/conversion`` for a literal that cannot be converted.
    public func bound(to schema: Schema) throws -> Condition {
        switch self {
        case .constant: return self
        case .comparison(let c, let op, let v):
            let type = try schema.type(ofColumn: c)
            return .comparison(column: c, op: op, value: try Condition.coerce(v, to: type, column: c))
        case .isIn(let c, let values):
            let type = try schema.type(ofColumn: c)
            return .isIn(column: c, values: try values.map { try Condition.coerce($0, to: type, column: c) })
        case .isNull(let c):
            _ = try schema.type(ofColumn: c)
            return self
        case .isNotNull(let c):
            _ = try schema.type(ofColumn: c)
            return self
        case .and(let ps): return .and(try ps.map { try $0.bound(to: schema) })
        case .or(let ps): return .or(try ps.map { try $0.bound(to: schema) })
        case .not(let p): return .not(try p.bound(to: schema))
        }
    }

    /// Converts one literal to a column type's scalar representation.
    public static func coerce(_ value: Scalar, to type: DataType, column: String) throws -> Scalar {
        func fail() -> ColumnarError {
            ColumnarError(.conversion, "literal \(value) cannot be compared with column '\(column)' of type \(type)")
        }
        if value.isNull { return value }
        switch (type, value) {
        case (.date32, .string(let s)):
            guard let d = Temporal.parseDate(Substring(s)) ?? Temporal.parseTimestampMicros(s).map({ Temporal.floorDivide($0, 86_400_000_000) }) else { throw fail() }
            return .int(d)
        case (.timestamp(let unit, _), .string(let s)):
            guard let micros = Temporal.parseTimestampMicros(s) else { throw fail() }
            switch unit {
            case .second: return .int(Temporal.floorDivide(micros, 1_000_000))
            case .millisecond: return .int(Temporal.floorDivide(micros, 1_000))
            case .microsecond: return .int(micros)
            case .nanosecond:
                let (r, o) = micros.multipliedReportingOverflow(by: 1000)
                if o { throw fail() }
                return .int(r)
            }
        case (.decimal(_, let scale), _):
            return .decimal(try decimalValue(value, scale: scale) ?? { throw fail() }())
        case (.float16, .int(let i)), (.float32, .int(let i)), (.float64, .int(let i)): return .float(Double(i))
        case (.float16, .uint(let u)), (.float32, .uint(let u)), (.float64, .uint(let u)): return .float(Double(u))
        case (.float16, .string(let s)), (.float32, .string(let s)), (.float64, .string(let s)):
            guard let d = Double(s) else { throw fail() }
            return .float(d)
        case (.int8, .string(let s)), (.int16, .string(let s)), (.int32, .string(let s)), (.int64, .string(let s)):
            guard let i = Int64(s) else { throw fail() }
            return .int(i)
        case (.boolean, .string(let s)):
            switch s.lowercased() {
            case "true": return .bool(true)
            case "false": return .bool(false)
            default: throw fail()
            }
        case (.binary, .string(let s)), (.fixedSizeBinary, .string(let s)):
            return .binary(Array(s.utf8))
        case (.string, .int(let i)): return .string(String(i))
        default:
            return value
        }
    }

    /// The unscaled decimal at `scale` of a numeric literal; nil when it has more fraction digits.
    static func decimalValue(_ value: Scalar, scale: Int) -> Int128? {
        switch value {
        case .decimal(let d): return d
        case .int(let i): return multipliedByPow10(Int128(i), scale)
        case .uint(let u): return multipliedByPow10(Int128(u), scale)
        case .float(let f): return decimalValue(.string(String(f)), scale: scale)
        case .string(let s):
            var text = Substring(s.trimmingCharacters(in: " "))
            var negative = false
            if text.hasPrefix("-") { negative = true; text = text.dropFirst() } else if text.hasPrefix("+") { text = text.dropFirst() }
            let parts = text.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count <= 2, let whole = parts.first, !(whole.isEmpty && parts.count == 1),
                  whole.allSatisfy(\.isASCIIDigit) else { return nil }
            var fraction = parts.count == 2 ? parts[1] : ""
            guard fraction.allSatisfy(\.isASCIIDigit) else { return nil }
            while fraction.count > scale && fraction.hasSuffix("0") { fraction = fraction.dropLast() }
            guard fraction.count <= scale else { return nil }
            let digits = String(whole) + String(fraction) + String(repeating: "0", count: scale - fraction.count)
            guard let v = Int128(digits.isEmpty ? "0" : digits) else { return nil }
            return negative ? -v : v
        default: return nil
        }
    }
}

extension Schema {
    /// The type of a top-level column or a dotted path into structs.
    public func type(ofColumn name: String) throws -> DataType {
        if let f = self[name] { return f.dataType }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count > 1, var type = self[parts[0]]?.dataType else {
            throw ColumnarError(.schemaMismatch, "no column named '\(name)'")
        }
        for part in parts.dropFirst() {
            guard case .struct(let fields) = type, let f = fields.first(where: { $0.name == part }) else {
                throw ColumnarError(.schemaMismatch, "no column named '\(name)'")
            }
            type = f.dataType
        }
        return type
    }
}

extension String {
    func trimmingCharacters(in set: Character) -> String {
        var s = Substring(self)
        while s.first == set { s = s.dropFirst() }
        while s.last == set { s = s.dropLast() }
        return String(s)
    }
}
