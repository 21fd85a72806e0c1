extension StructType {
    /// Parses a column list in SQL DDL form, as in `CREATE TABLE t (...)` without the parentheses:
    ///
    ///     id long not null, name string, price decimal(10,2), ts timestamp, d date,
    ///     tags array<string>, attrs map<string,string>, loc struct<lat:double,lon:double>
    ///
    /// Types (case-insensitive): `boolean` (`bool`), `byte` (`tinyint`), `short` (`smallint`),
    /// `int` (`integer`), `long` (`bigint`), `float` (`real`), `double`, `decimal(p,s)`
    /// (`decimal(p)` is scale 0, bare `decimal` is `decimal(10,0)`; `numeric` and `dec` too),
    /// `string` (`varchar(n)`, `char(n)`, `text`), `binary`, `date`, `timestamp`
    /// (`timestamp_ltz`), `timestamp_ntz`, `array<T>`, `map<K,V>`, `struct<name:T, ...>` (the
    /// colon is optional). A column or struct field may be followed by `not null` and by
    /// `comment '...'` (stored as the `comment` metadata). Names are bare words (letters, digits,
    /// `_`) or quoted in backquotes (`` `a b` ``, a doubled backquote escapes one).
    ///
    /// - Throws: ``DeltaError/Code/invalidArgument`` naming the 1-based character position of the
    ///   problem, or a duplicate column name.
    public init(ddl text: String) throws {
        let (tokens, lexical) = SQLLexer(text).tokenize()
        var parser = DDLParser(tokens: tokens)
        do throws(SQLSyntaxError) {
            self = try parser.parseColumns()
            if let lexical { throw lexical }
        } catch {
            let first = lexical.map { $0.position <= error.position ? $0 : error } ?? error
            throw DeltaError(.invalidArgument, "invalid schema at position \(first.position): \(first.message)")
        }
        do {
            try validate()
        } catch let error as DeltaError {
            throw DeltaError(.invalidArgument, "invalid schema: \(error.message)")
        }
    }
}

/// Recursive-descent parser of DDL column lists (see ``StructType/init(ddl:)``).
struct DDLParser {
    var tokens: [SQLToken]
    var index = 0
    var depth = 0
    static let maxDepth = DeltaType.maxNestingDepth

    init(tokens: [SQLToken]) { self.tokens = tokens }

    var current: SQLToken { tokens[index] }

    mutating func advance() { if index < tokens.count - 1 { index += 1 } }

    func fail(_ message: String, at token: SQLToken? = nil) -> SQLSyntaxError {
        let t = token ?? current
        return SQLSyntaxError(position: t.position, message: message)
    }

    mutating func expectSymbol(_ symbol: String, _ context: String) throws(SQLSyntaxError) {
        guard current.isSymbol(symbol) else { throw fail("expected '\(symbol)' \(context), found \(current.display)") }
        advance()
    }

    mutating func parseColumns() throws(SQLSyntaxError) -> StructType {
        guard current.kind != .end else { throw fail("expected a column definition such as 'id long', found end of input") }
        var fields: [StructField] = []
        while true {
            fields.append(try parseField())
            if current.isSymbol(",") {
                advance()
                continue
            }
            guard current.kind == .end else {
                throw fail("expected ',' or the end of the column list, found \(current.display)")
            }
            return StructType(fields)
        }
    }

    mutating func parseName(_ what: String) throws(SQLSyntaxError) -> String {
        switch current.kind {
        case .word, .quotedName:
            let name = current.text
            advance()
            return name
        default:
            throw fail("expected \(what), found \(current.display)")
        }
    }

    mutating func parseField() throws(SQLSyntaxError) -> StructField {
        let name = try parseName("a column name")
        if current.isSymbol(":") { advance() }
        let type = try parseType()
        var nullable = true
        var metadata = JSONObject()
        while true {
            if current.isWord("not") {
                advance()
                guard current.isWord("null") else { throw fail("expected NULL after NOT, found \(current.display)") }
                advance()
                nullable = false
            } else if current.isWord("null") {
                advance()  // explicit NULL (nullable), as SQL allows
            } else if current.isWord("comment") {
                advance()
                guard current.kind == .string else { throw fail("expected a quoted comment after COMMENT, found \(current.display)") }
                metadata["comment"] = .string(current.text)
                advance()
            } else {
                break
            }
        }
        return StructField(name: name, type: type, nullable: nullable, metadata: metadata)
    }

    mutating func parseInteger(_ what: String) throws(SQLSyntaxError) -> Int {
        guard current.kind == .number, let v = Int(current.text), v >= 0 else {
            throw fail("expected \(what), found \(current.display)")
        }
        advance()
        return v
    }

    mutating func parseType() throws(SQLSyntaxError) -> DeltaType {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxDepth else { throw fail("types nested more than \(Self.maxDepth) levels deep") }
        let token = current
        guard token.kind == .word else {
            throw fail("expected a type such as long, string or decimal(10,2), found \(token.display)")
        }
        let name = token.text.lowercased()
        advance()
        switch name {
        case "boolean", "bool": return .boolean
        case "byte", "tinyint": return .byte
        case "short", "smallint": return .short
        case "int", "integer": return .integer
        case "long", "bigint": return .long
        case "float", "real": return .float
        case "double": return .double
        case "string", "text": return .string
        case "varchar", "char":
            if current.isSymbol("(") {
                advance()
                _ = try parseInteger("a length")
                try expectSymbol(")", "after the length")
            }
            return .string
        case "binary": return .binary
        case "date": return .date
        case "timestamp", "timestamp_ltz": return .timestamp
        case "timestamp_ntz": return .timestampNtz
        case "decimal", "dec", "numeric":
            var precision = 10, scale = 0
            if current.isSymbol("(") {
                advance()
                let pToken = current
                precision = try parseInteger("a precision")
                scale = 0
                if current.isSymbol(",") {
                    advance()
                    scale = try parseInteger("a scale")
                }
                try expectSymbol(")", "after the decimal precision and scale")
                guard (1...38).contains(precision) else {
                    throw fail("decimal precision must be between 1 and 38, got \(precision)", at: pToken)
                }
                guard scale <= precision else {
                    throw fail("decimal scale \(scale) exceeds precision \(precision)", at: pToken)
                }
            }
            return .decimal(precision: precision, scale: scale)
        case "array":
            try expectSymbol("<", "after ARRAY")
            let element = try parseType()
            try expectSymbol(">", "to close ARRAY<")
            return .array(ArrayType(elementType: element))
        case "map":
            try expectSymbol("<", "after MAP")
            let key = try parseType()
            try expectSymbol(",", "between the MAP key and value types")
            let value = try parseType()
            try expectSymbol(">", "to close MAP<")
            return .map(MapType(keyType: key, valueType: value))
        case "struct":
            try expectSymbol("<", "after STRUCT")
            var fields: [StructField] = []
            if current.isSymbol(">") {
                throw fail("a STRUCT needs at least one field")
            }
            while true {
                fields.append(try parseField())
                if current.isSymbol(",") { advance(); continue }
                try expectSymbol(">", "or ',' in STRUCT<")
                break
            }
            return .struct(StructType(fields))
        default:
            throw fail("unknown type '\(token.text)' (types: boolean, byte, short, int, long, float, double, decimal(p,s), string, binary, date, timestamp, timestamp_ntz, array<T>, map<K,V>, struct<...>)", at: token)
        }
    }
}

extension DeltaType {
    /// The type in the DDL form ``StructType/init(ddl:)`` reads: `long`, `decimal(10,2)`,
    /// `array<string>`, `map<string,long>`, `struct<lat:double,lon:double not null>`.
    public var ddl: String {
        switch self {
        case .array(let a): return "array<\(a.elementType.ddl)>"
        case .map(let m): return "map<\(m.keyType.ddl),\(m.valueType.ddl)>"
        case .struct(let s): return "struct<" + s.fields.map { $0.ddl(separator: ":") }.joined(separator: ",") + ">"
        default: return primitiveName ?? "\(self)"
        }
    }
}

extension StructField {
    /// `name type [not null]`, the name backquoted when it is not a plain word.
    func ddl(separator: String) -> String {
        StructField.ddlName(name) + separator + type.ddl + (nullable ? "" : " not null")
    }

    /// A column name as DDL and predicates write it: bare when it is a plain word that is not a
    /// keyword, else in backquotes.
    public static func ddlName(_ name: String) -> String {
        let plain = !name.isEmpty && name.first.map { $0.isWordCharacter } == true
            && name.allSatisfy { $0.isWordCharacter || $0.isASCIIDigitCharacter }
            && !ConditionParser.keywords.contains(name.lowercased())
        return plain ? name : "`" + name.replacingOccurrences(of: "`", with: "``") + "`"
    }
}

extension StructType {
    /// The schema as a DDL column list that ``init(ddl:)`` reads back (column metadata other than
    /// nullability is not included).
    public var ddl: String { fields.map { $0.ddl(separator: " ") }.joined(separator: ", ") }
}
