import FloeColumnar

extension Condition {
    /// Parses a SQL boolean expression such as
    /// `country = 'NL' AND (price BETWEEN 10 AND 20 OR tags IS NULL) AND ts >= TIMESTAMP '2026-01-01T00:00:00Z'`.
    ///
    /// Grammar (keywords case-insensitive):
    /// - `OR`, `AND`, `NOT` (lowest to highest precedence) and parentheses;
    /// - comparisons `= == != <> < <= > >=` between a column and a literal (either side);
    /// - `x [NOT] IN (literal, ...)`, `x IS [NOT] NULL`, `x [NOT] BETWEEN a AND b` (inclusive:
    ///   `x >= a AND x <= b`);
    /// - a bare boolean column (`active`, meaning `active = true`) and `TRUE` / `FALSE`;
    /// - literals: numbers (`42`, `-1.5`, `2e3`), strings in single quotes (`''` escapes a
    ///   quote), `TRUE`, `FALSE`, `NULL`, `DATE 'YYYY-MM-DD'`, `TIMESTAMP '<ISO-8601>'`,
    ///   `TIMESTAMP_NTZ '<ISO-8601>'`;
    /// - columns: bare names, dotted paths into structs (`loc.lat`), names in backquotes or double
    ///   quotes (`` `order` ``, `"my col"`) for keywords and other characters.
    ///
    /// Without a schema, literals keep generic forms (integers as `.int`, other numbers as
    /// `.float`, strings, dates and timestamps as `.string`); ``bound(to:)`` converts them later.
    ///
    /// - Throws: ``DeltaError/Code/invalidArgument`` naming the 1-based character position of the
    ///   offending token. Never traps, whatever the input.
    public init(sql text: String) throws {
        self = try ConditionParser.parse(text, schema: nil)
    }

    /// Parses a SQL boolean expression (see ``init(sql:)``) against `schema`: column names are
    /// resolved (exactly, else ignoring case; dotted paths into structs) and replaced by their
    /// spelling in the schema, and each literal is checked against and converted to its column's
    /// type (`DATE '2026-01-01'` to days, a decimal literal to the column's scale, ...).
    ///
    /// - Throws: ``DeltaError/Code/invalidArgument`` for syntax errors, unknown columns and
    ///   literals that do not fit their column, naming the position.
    public init(sql text: String, schema: Schema) throws {
        self = try ConditionParser.parse(text, schema: schema)
    }
}

/// Recursive-descent parser of SQL conditions (see ``Condition/init(sql:)``).
struct ConditionParser {
    /// A literal as written, before it is given a column's type.
    enum Literal {
        case null, bool(Bool), number(String), string(String), date(String), timestamp(String)

        var display: String {
            switch self {
            case .null: "NULL"
            case .bool(let b): b ? "TRUE" : "FALSE"
            case .number(let t): t
            case .string(let s): "'" + s.replacingOccurrences(of: "'", with: "''") + "'"
            case .date(let s): "DATE '\(s)'"
            case .timestamp(let s): "TIMESTAMP '\(s)'"
            }
        }
    }

    /// A resolved column: its name in the condition and its type (nil without a schema).
    struct ColumnRef {
        var name: String
        var type: DataType?
        var position: Int
    }

    enum Operand {
        case column(ColumnRef)
        case literal(Literal, position: Int)
    }

    static let maxDepth = 200
    static let keywords: Set<String> = ["and", "or", "not", "in", "is", "null", "true", "false", "between"]

    var tokens: [SQLToken]
    var index = 0
    var depth = 0
    let schema: Schema?

    static func parse(_ text: String, schema: Schema?) throws -> Condition {
        let (tokens, lexical) = SQLLexer(text).tokenize()
        do throws(SQLSyntaxError) {
            var parser = ConditionParser(tokens: tokens, schema: schema)
            guard parser.current.kind != .end || lexical != nil else {
                throw SQLSyntaxError(position: 1, message: "empty predicate")
            }
            let condition = try parser.parseOr()
            if let lexical { throw lexical }
            guard parser.current.kind == .end else {
                throw parser.fail("expected AND, OR or the end of the predicate, found \(parser.current.display)")
            }
            return condition
        } catch {
            // Report the first problem in the text: a lexical error wins unless parsing failed earlier.
            let first = lexical.map { $0.position <= error.position ? $0 : error } ?? error
            throw DeltaError(.invalidArgument, "invalid predicate at position \(first.position): \(first.message)")
        }
    }

    init(tokens: [SQLToken], schema: Schema?) {
        self.tokens = tokens
        self.schema = schema
    }

    var current: SQLToken { tokens[index] }
    func peek(_ offset: Int = 1) -> SQLToken { tokens[min(index + offset, tokens.count - 1)] }
    mutating func advance() { if index < tokens.count - 1 { index += 1 } }

    func fail(_ message: String, at token: SQLToken? = nil) -> SQLSyntaxError {
        SQLSyntaxError(position: (token ?? current).position, message: message)
    }

    mutating func enter() throws(SQLSyntaxError) {
        depth += 1
        guard depth <= Self.maxDepth else { throw fail("predicate nested more than \(Self.maxDepth) levels deep") }
    }

    mutating func parseOr() throws(SQLSyntaxError) -> Condition {
        try enter()
        defer { depth -= 1 }
        var parts = [try parseAnd()]
        while current.isWord("or") {
            advance()
            parts.append(try parseAnd())
        }
        return parts.count == 1 ? parts[0] : .or(parts)
    }

    mutating func parseAnd() throws(SQLSyntaxError) -> Condition {
        var parts = [try parseNot()]
        while current.isWord("and") {
            advance()
            parts.append(try parseNot())
        }
        return parts.count == 1 ? parts[0] : .and(parts)
    }

    mutating func parseNot() throws(SQLSyntaxError) -> Condition {
        if current.isWord("not") {
            advance()
            try enter()
            defer { depth -= 1 }
            return .not(try parseNot())
        }
        return try parsePredicate()
    }

    mutating func parsePredicate() throws(SQLSyntaxError) -> Condition {
        if current.isSymbol("(") {
            let open = current
            advance()
            let inner = try parseOr()
            guard current.isSymbol(")") else {
                throw fail("expected ')' to close the '(' at position \(open.position), found \(current.display)")
            }
            advance()
            return inner
        }
        let startToken = current
        let left = try parseOperand()
        // Postfix forms: IS [NOT] NULL, [NOT] IN, [NOT] BETWEEN.
        if current.isWord("is") {
            advance()
            var negated = false
            if current.isWord("not") { negated = true; advance() }
            guard current.isWord("null") else { throw fail("expected NULL after IS\(negated ? " NOT" : ""), found \(current.display)") }
            advance()
            let column = try requireColumn(left, "IS NULL", at: startToken)
            return negated ? .isNotNull(column: column.name) : .isNull(column: column.name)
        }
        var negated = false
        if current.isWord("not") && (peek().isWord("in") || peek().isWord("between")) {
            negated = true
            advance()
        }
        if current.isWord("in") {
            advance()
            let column = try requireColumn(left, "IN", at: startToken)
            try checkComparable(column)
            guard current.isSymbol("(") else { throw fail("expected '(' after IN, found \(current.display)") }
            advance()
            guard !current.isSymbol(")") else { throw fail("IN needs at least one value") }
            var values: [Scalar] = []
            while true {
                let token = current
                guard case .literal(let literal, let position) = try parseOperand() else {
                    throw fail("IN lists may hold only literals, found column \(token.display)", at: token)
                }
                values.append(try convert(literal, for: column, at: position))
                if current.isSymbol(",") { advance(); continue }
                guard current.isSymbol(")") else { throw fail("expected ',' or ')' in the IN list, found \(current.display)") }
                advance()
                break
            }
            let condition = Condition.isIn(column: column.name, values: values)
            return negated ? .not(condition) : condition
        }
        if current.isWord("between") {
            advance()
            let column = try requireColumn(left, "BETWEEN", at: startToken)
            try checkComparable(column)
            let lowToken = current
            guard case .literal(let low, let lowPosition) = try parseOperand() else {
                throw fail("BETWEEN bounds must be literals", at: lowToken)
            }
            guard current.isWord("and") else { throw fail("expected AND in BETWEEN, found \(current.display)") }
            advance()
            let highToken = current
            guard case .literal(let high, let highPosition) = try parseOperand() else {
                throw fail("BETWEEN bounds must be literals", at: highToken)
            }
            let condition = Condition.and([
                .comparison(column: column.name, op: .greaterOrEqual, value: try convert(low, for: column, at: lowPosition)),
                .comparison(column: column.name, op: .lessOrEqual, value: try convert(high, for: column, at: highPosition)),
            ])
            return negated ? .not(condition) : condition
        }
        if negated { throw fail("expected IN or BETWEEN after NOT, found \(current.display)") }
        if current.kind == .symbol, let op = Self.comparisonOperator(current.text) {
            let opToken = current
            advance()
            let rightToken = current
            let right = try parseOperand()
            switch (left, right) {
            case (.column(let column), .literal(let literal, let position)):
                try checkComparable(column)
                return .comparison(column: column.name, op: op, value: try convert(literal, for: column, at: position))
            case (.literal(let literal, let position), .column(let column)):
                try checkComparable(column)
                return .comparison(column: column.name, op: op.swapped, value: try convert(literal, for: column, at: position))
            case (.column, .column):
                throw fail("comparing two columns is not supported; compare a column with a literal", at: rightToken)
            case (.literal, .literal):
                throw fail("a comparison needs a column on one side", at: opToken)
            }
        }
        // A bare operand: a boolean column or TRUE/FALSE.
        switch left {
        case .literal(.bool(let b), _):
            return .constant(b)
        case .literal(let literal, _):
            throw fail("expected a condition, found the literal \(literal.display)", at: startToken)
        case .column(let column):
            if !Self.isConditionEnd(current) {
                throw fail("expected a comparison, IN, BETWEEN or IS after column '\(column.name)', found \(current.display)")
            }
            if let type = column.type, type != .boolean {
                throw fail("column '\(column.name)' has type \(Self.typeName(type)), not boolean; compare it with a value", at: startToken)
            }
            return .comparison(column: column.name, op: .equal, value: .bool(true))
        }
    }

    static func isConditionEnd(_ token: SQLToken) -> Bool {
        token.kind == .end || token.isSymbol(")") || token.isWord("and") || token.isWord("or")
    }

    static func comparisonOperator(_ text: String) -> ComparisonOperator? {
        switch text {
        case "=": .equal
        case "!=", "<>": .notEqual
        case "<": .less
        case "<=": .lessOrEqual
        case ">": .greater
        case ">=": .greaterOrEqual
        default: nil
        }
    }

    func requireColumn(_ operand: Operand, _ what: String, at token: SQLToken) throws(SQLSyntaxError) -> ColumnRef {
        switch operand {
        case .column(let c): return c
        case .literal(let l, _): throw fail("\(what) needs a column on its left, found the literal \(l.display)", at: token)
        }
    }

    func checkComparable(_ column: ColumnRef) throws(SQLSyntaxError) {
        guard let type = column.type else { return }
        switch type {
        case .struct, .list, .map, .null:
            throw SQLSyntaxError(position: column.position,
                                 message: "column '\(column.name)' has type \(type), which cannot be compared; only IS [NOT] NULL applies")
        default: return
        }
    }

    /// A column reference or a literal.
    mutating func parseOperand() throws(SQLSyntaxError) -> Operand {
        let token = current
        switch token.kind {
        case .end:
            throw fail("expected a column or a value, found end of input")
        case .string:
            advance()
            return .literal(.string(token.text), position: token.position)
        case .number:
            advance()
            return .literal(.number(token.text), position: token.position)
        case .symbol where token.text == "-" || token.text == "+":
            advance()
            guard current.kind == .number else { throw fail("expected a number after '\(token.text)', found \(current.display)") }
            let text = (token.text == "-" ? "-" : "") + current.text
            advance()
            return .literal(.number(text), position: token.position)
        case .symbol:
            throw fail("expected a column or a value, found \(token.display)")
        case .word:
            let word = token.text.lowercased()
            if (word == "date" || word == "timestamp" || word == "timestamp_ntz") && peek().kind == .string {
                advance()
                let text = current.text
                let valuePosition = current.position
                advance()
                if word == "date" {
                    guard Temporal.parseDate(Substring(text.trimmingSpaces())) != nil else {
                        throw SQLSyntaxError(position: valuePosition, message: "'\(text)' is not a valid date (expected YYYY-MM-DD)")
                    }
                    return .literal(.date(text.trimmingSpaces()), position: token.position)
                }
                guard Temporal.parseTimestampMicros(text) != nil else {
                    throw SQLSyntaxError(position: valuePosition, message: "'\(text)' is not a valid timestamp (expected ISO-8601 such as 2026-11-24T10:00:00Z)")
                }
                return .literal(.timestamp(text), position: token.position)
            }
            switch word {
            case "null": advance(); return .literal(.null, position: token.position)
            case "true": advance(); return .literal(.bool(true), position: token.position)
            case "false": advance(); return .literal(.bool(false), position: token.position)
            default: break
            }
            if Self.keywords.contains(word) {
                throw fail("expected a column or a value, found the keyword \(token.text.uppercased()) (quote a column with this name in backquotes)")
            }
            return .column(try parseColumn())
        case .quotedName:
            return .column(try parseColumn())
        }
    }

    mutating func parseColumn() throws(SQLSyntaxError) -> ColumnRef {
        let first = current
        var parts = [current.text]
        advance()
        while current.isSymbol(".") {
            advance()
            guard current.kind == .word || current.kind == .quotedName else {
                throw fail("expected a field name after '.', found \(current.display)")
            }
            parts.append(current.text)
            advance()
        }
        guard let schema else {
            return ColumnRef(name: parts.joined(separator: "."), type: nil, position: first.position)
        }
        guard let (name, type) = Self.resolve(parts, in: schema) else {
            let written = parts.joined(separator: ".")
            throw SQLSyntaxError(position: first.position,
                                 message: "unknown column '\(written)' (columns: \(schema.fields.map(\.name).joined(separator: ", ")))")
        }
        return ColumnRef(name: name, type: type, position: first.position)
    }

    /// Resolves a possibly dotted name against `schema`: the whole name as a top-level column first,
    /// then a path into structs; exact matches before case-insensitive ones.
    static func resolve(_ parts: [String], in schema: Schema) -> (String, DataType)? {
        func field(_ name: String, in fields: [Field]) -> Field? {
            fields.first { $0.name == name } ?? fields.first { $0.name.lowercased() == name.lowercased() }
        }
        let whole = parts.joined(separator: ".")
        if parts.count > 1, let f = field(whole, in: schema.fields) { return (f.name, f.dataType) }
        guard var f = field(parts[0], in: schema.fields) else { return nil }
        var names = [f.name]
        for part in parts.dropFirst() {
            guard case .struct(let children) = f.dataType, let child = field(part, in: children) else { return nil }
            f = child
            names.append(child.name)
        }
        return (names.joined(separator: "."), f.dataType)
    }

    /// The scalar for `literal` compared with `column`: generic without a schema, else converted
    /// to the column's type.
    func convert(_ literal: Literal, for column: ColumnRef, at position: Int) throws(SQLSyntaxError) -> Scalar {
        guard let type = column.type else { return Self.generic(literal) }
        func mismatch(_ detail: String = "") -> SQLSyntaxError {
            SQLSyntaxError(position: position, message: "\(literal.display) cannot be compared with column '\(column.name)' of type \(Self.typeName(type))\(detail)")
        }
        func coerce(_ value: Scalar) throws(SQLSyntaxError) -> Scalar {
            do { return try Condition.coerce(value, to: type, column: column.name) } catch { throw mismatch() }
        }
        switch literal {
        case .null:
            return .null
        case .bool(let b):
            guard type == .boolean else { throw mismatch() }
            return .bool(b)
        case .number(let text):
            switch type {
            case .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64:
                if let i = Int64(text) { return .int(i) }
                guard let d = Double(text), d.isFinite else { throw mismatch(" (number out of range)") }
                if text.allSatisfy({ $0.isASCIIDigitCharacter || $0 == "-" }) { throw mismatch(" (number out of range)") }
                return .float(d)
            case .float16, .float32, .float64:
                guard let d = Double(text) else { throw mismatch() }
                return .float(d)
            case .decimal(_, let scale):
                guard let v = Self.decimal(text, scale: scale) else {
                    throw mismatch(" (more than \(scale) decimal place\(scale == 1 ? "" : "s") or out of range)")
                }
                return .decimal(v)
            case .string:
                return .string(text)
            case .date32, .timestamp:
                throw mismatch("; write DATE '...' or TIMESTAMP '...'")
            default:
                throw mismatch()
            }
        case .string(let s):
            switch type {
            case .string: return .string(s)
            case .binary, .fixedSizeBinary: return .binary(Array(s.utf8))
            case .decimal(_, let scale):
                guard let v = Self.decimal(s.trimmingSpaces(), scale: scale) else { throw mismatch() }
                return .decimal(v)
            case .date32, .timestamp, .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64,
                 .float16, .float32, .float64, .boolean:
                return try coerce(.string(s.trimmingSpaces()))
            default:
                throw mismatch()
            }
        case .date(let text), .timestamp(let text):
            switch type {
            case .date32, .timestamp: return try coerce(.string(text))
            default: throw mismatch()
            }
        }
    }

    static func generic(_ literal: Literal) -> Scalar {
        switch literal {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .number(let text):
            if let i = Int64(text) { return .int(i) }
            return .float(Double(text) ?? .nan)
        case .string(let s), .date(let s), .timestamp(let s): return .string(s)
        }
    }

    /// The unscaled value of a decimal number's text at `scale` (no exponent), nil when it has more
    /// fraction digits (other than trailing zeros) or does not fit 38 digits.
    static func decimal(_ text: String, scale: Int) -> Int128? {
        var chars = Array(text)
        var negative = false
        if chars.first == "-" { negative = true; chars.removeFirst() } else if chars.first == "+" { chars.removeFirst() }
        // Split mantissa and exponent.
        var exponent = 0
        if let e = chars.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            let exponentText = String(chars[(e + 1)...])
            guard let x = Int(exponentText), x > -100, x < 100 else { return nil }
            exponent = x
            chars = Array(chars[..<e])
        }
        var whole: [Character] = chars
        var fraction: [Character] = []
        if let dot = chars.firstIndex(of: ".") {
            whole = Array(chars[..<dot])
            fraction = Array(chars[(dot + 1)...])
        }
        guard !(whole.isEmpty && fraction.isEmpty) else { return nil }
        for c in whole + fraction where !c.isASCIIDigitCharacter { return nil }
        // Apply the exponent by moving digits across the point.
        while exponent > 0 {
            whole.append(fraction.isEmpty ? "0" : fraction.removeFirst())
            exponent -= 1
        }
        while exponent < 0 {
            fraction.insert(whole.isEmpty ? "0" : whole.removeLast(), at: 0)
            exponent += 1
        }
        while fraction.count > scale && fraction.last == "0" { fraction.removeLast() }
        guard fraction.count <= scale else { return nil }
        var digits = whole + fraction + [Character](repeating: "0", count: scale - fraction.count)
        while digits.count > 1 && digits.first == "0" { digits.removeFirst() }
        guard digits.count <= 38, let v = Int128(digits.isEmpty ? "0" : String(digits)) else { return nil }
        return negative ? -v : v
    }

    /// A Delta-style type name for messages (`long`, `decimal(10,2)`, `timestamp`).
    static func typeName(_ type: DataType) -> String {
        if let delta = try? DeltaType(arrow: type, column: "") { return delta.ddl }
        return type.description
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first?.isWhitespace == true { s = s.dropFirst() }
        while s.last?.isWhitespace == true { s = s.dropLast() }
        return String(s)
    }
}
