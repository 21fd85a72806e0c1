import Foundation

/// Exact conversions between Swift values and unscaled decimals (`decimal(precision, scale)`
/// columns), for the Codable path: nothing is rounded or truncated unless an option says so.
enum DecimalConversion {
    /// The unscaled value of `value` at `scale`, checked against `precision`.
    static func unscaled(_ value: EncodedValue, precision: Int, scale: Int, options: RecordEncodingOptions) throws -> Int128 {
        let type = "decimal(\(precision),\(scale))"
        let unscaled: Int128
        switch value {
        case .decimal(let d):
            guard d.isFinite else { throw ColumnarError(.conversion, "Decimal \(d) is not a number and cannot be stored as \(type)") }
            unscaled = try fromText(d.description, scale: scale, type: type)
        case .string(let s):
            unscaled = try fromText(s, scale: scale, type: type)
        case .int(let i):
            unscaled = try scaled(Int128(i), scale: scale, type: type)
        case .uint(let u):
            unscaled = try scaled(Int128(u), scale: scale, type: type)
        case .double(let d):
            guard d.isFinite else { throw ColumnarError(.conversion, "\(d) cannot be stored as \(type)") }
            let text = plainText(of: d)
            if let exact = Condition.decimalValue(.string(text), scale: scale) {
                unscaled = exact
            } else if options.roundsDoublesToDecimalScale, let exact = Decimal(string: text, locale: posix) {
                var input = exact, rounded = Decimal()
                NSDecimalRound(&rounded, &input, scale, .plain)
                unscaled = try fromText(rounded.description, scale: scale, type: type)
            } else {
                throw ColumnarError(.conversion, "the Double \(text) has more than \(scale) fraction digit\(scale == 1 ? "" : "s") for \(type); "
                                    + "encode a Decimal or a String, or set RecordEncodingOptions.roundsDoublesToDecimalScale")
            }
        default:
            throw ColumnarError(.conversion, "a value of kind \(kind(of: value)) cannot be stored as \(type) (use Decimal, String, an integer or Double)")
        }
        guard unscaled.magnitude < pow10(precision).magnitude else {
            throw ColumnarError(.overflow, "\(ValueEncoding.decimal(unscaled, scale: scale)) has more than \(precision) digits for \(type)")
        }
        return unscaled
    }

    /// `text` (`-12.30`, `+5`, `.5`, `1e3` spelled plainly or with an exponent) at `scale`.
    static func fromText(_ text: String, scale: Int, type: String) throws -> Int128 {
        var plain = text.trimmingCharacters(in: .whitespaces)
        if plain.contains(where: { $0 == "e" || $0 == "E" }) {
            guard let d = Decimal(string: plain, locale: posix), d.isFinite else {
                throw ColumnarError(.conversion, "'\(text)' is not a decimal number (for \(type))")
            }
            plain = d.description
        }
        guard let v = Condition.decimalValue(.string(plain), scale: scale) else {
            let isNumber = !plain.isEmpty && plain.allSatisfy { $0.isASCIIDigit || $0 == "." || $0 == "-" || $0 == "+" }
            throw ColumnarError(.conversion, isNumber
                                ? "\(text) has more than \(scale) fraction digit\(scale == 1 ? "" : "s") or too many digits for \(type)"
                                : "'\(text)' is not a decimal number (for \(type))")
        }
        return v
    }

    /// An integer scaled to `scale`, refusing overflow.
    static func scaled(_ v: Int128, scale: Int, type: String) throws -> Int128 {
        let (r, overflow) = v.multipliedReportingOverflow(by: pow10(scale))
        guard !overflow else { throw ColumnarError(.overflow, "\(v) does not fit \(type)") }
        return r
    }

    /// The shortest decimal text that reads back as `d`, without an exponent.
    static func plainText(of d: Double) -> String {
        let text = "\(d)"
        guard text.contains("e"), let decimal = Decimal(string: text, locale: posix) else { return text }
        return decimal.description
    }

    /// `unscaled` at `scale` as a `Foundation.Decimal`, exactly (38 digits fit its mantissa).
    static func decimal(_ unscaled: Int128, scale: Int) -> Decimal? {
        Decimal(string: ValueEncoding.decimal(unscaled, scale: scale), locale: posix)
    }

    /// `unscaled` at `scale` as a `Double`, when the double converts back to the same decimal.
    static func double(_ unscaled: Int128, scale: Int) -> Double? {
        guard let d = Double(ValueEncoding.decimal(unscaled, scale: scale)), d.isFinite,
              Condition.decimalValue(.string(plainText(of: d)), scale: scale) == unscaled else { return nil }
        return d
    }

    static func kind(of value: EncodedValue) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "Bool"
        case .int, .uint: return "integer"
        case .double: return "Double"
        case .string: return "String"
        case .date: return "Date"
        case .decimal: return "Decimal"
        case .bytes: return "binary"
        case .array: return "array"
        case .object: return "struct"
        }
    }

    static let posix = Locale(identifier: "en_US_POSIX")
}

/// Hints for properties whose names miss a column only by spelling (camelCase vs. snake_case).
enum CodingKeyHint {
    /// `userId` → `user_id`, `HTTPCode` → `http_code`.
    static func snakeCase(_ name: String) -> String {
        var out = ""
        let chars = Array(name)
        for (i, c) in chars.enumerated() {
            if c.isUppercase {
                let previous = i > 0 ? chars[i - 1] : nil
                let next = i + 1 < chars.count ? chars[i + 1] : nil
                if let previous, previous != "_", previous.isLowercase || previous.isNumber || (next?.isLowercase ?? false) {
                    out.append("_")
                }
                out.append(contentsOf: c.lowercased())
            } else {
                out.append(c)
            }
        }
        return out
    }

    /// What to do about property `property` that should fill column `column`.
    static func advice(property: String, column: String) -> String {
        "name the column in CodingKeys (case \(property) = \"\(column)\"), or convert the keys to snake_case"
    }
}
