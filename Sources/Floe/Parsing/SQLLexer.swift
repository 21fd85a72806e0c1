/// A token of the small SQL dialects Floe parses (column DDL and boolean conditions).
struct SQLToken: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        /// A bare word: a keyword or an unquoted name (`id`, `AND`, `decimal`).
        case word
        /// A name in backquotes or double quotes, unescaped (`` `my col` ``, `"x"`).
        case quotedName
        /// A string in single quotes, unescaped (`'it''s'` is `it's`).
        case string
        /// A number literal's text (`12`, `1.5`, `2e10`), without sign.
        case number
        /// Punctuation or an operator: `( ) , . : < > = != <> <= >= -`, `+`.
        case symbol
        /// The end of the input.
        case end
    }

    var kind: Kind
    /// The token's text (unescaped for quoted names and strings).
    var text: String
    /// 1-based position of the token's first character in the input.
    var position: Int

    /// Whether this is the bare word `keyword`, ignoring case.
    func isWord(_ keyword: String) -> Bool {
        kind == .word && text.lowercased() == keyword
    }

    func isSymbol(_ symbol: String) -> Bool { kind == .symbol && text == symbol }

    /// How the token reads in an error message.
    var display: String {
        switch kind {
        case .end: "end of input"
        case .string: "'\(text.replacingOccurrences(of: "'", with: "''"))'"
        case .quotedName: "`\(text)`"
        default: "'\(text)'"
        }
    }
}

/// A syntax error at a position of a parsed text.
struct SQLSyntaxError: Error, Sendable {
    var position: Int
    var message: String
}

/// Splits text into ``SQLToken``s. Never traps: any input yields tokens or a ``SQLSyntaxError``.
struct SQLLexer {
    let characters: [Character]

    init(_ text: String) { characters = Array(text) }

    /// All tokens, ending with one `.end` token; on a lexical error, the tokens before it, an
    /// `.end` token at the error's position, and the error (parsers report it unless they fail
    /// earlier, so the first problem in the text is the one reported).
    func tokenize() -> (tokens: [SQLToken], error: SQLSyntaxError?) {
        do throws(SQLSyntaxError) {
            var tokens: [SQLToken] = []
            try scan(into: &tokens)
            return (tokens, nil)
        } catch {
            return (partial + [SQLToken(kind: .end, text: "", position: error.position)], error)
        }
    }

    private var partial: [SQLToken] {
        var tokens: [SQLToken] = []
        do throws(SQLSyntaxError) { try scan(into: &tokens) } catch {}
        return tokens
    }

    private func scan(into tokens: inout [SQLToken]) throws(SQLSyntaxError) {
        var i = 0
        let n = characters.count
        while i < n {
            let c = characters[i]
            let start = i
            if c.isWhitespace { i += 1; continue }
            if c == "`" || c == "\"" {
                // Quoted name; the quote character doubled inside is a literal quote.
                var text = ""
                i += 1
                var closed = false
                while i < n {
                    if characters[i] == c {
                        if i + 1 < n && characters[i + 1] == c { text.append(c); i += 2; continue }
                        closed = true
                        i += 1
                        break
                    }
                    text.append(characters[i])
                    i += 1
                }
                guard closed else { throw SQLSyntaxError(position: start + 1, message: "unterminated quoted name") }
                guard !text.isEmpty else { throw SQLSyntaxError(position: start + 1, message: "empty quoted name") }
                tokens.append(SQLToken(kind: .quotedName, text: text, position: start + 1))
                continue
            }
            if c == "'" {
                var text = ""
                i += 1
                var closed = false
                while i < n {
                    if characters[i] == "'" {
                        if i + 1 < n && characters[i + 1] == "'" { text.append("'"); i += 2; continue }
                        closed = true
                        i += 1
                        break
                    }
                    text.append(characters[i])
                    i += 1
                }
                guard closed else { throw SQLSyntaxError(position: start + 1, message: "unterminated string literal") }
                tokens.append(SQLToken(kind: .string, text: text, position: start + 1))
                continue
            }
            if c.isASCIIDigitCharacter || (c == "." && i + 1 < n && characters[i + 1].isASCIIDigitCharacter) {
                var text = ""
                while i < n, characters[i].isASCIIDigitCharacter { text.append(characters[i]); i += 1 }
                if i < n, characters[i] == "." {
                    text.append(".")
                    i += 1
                    while i < n, characters[i].isASCIIDigitCharacter { text.append(characters[i]); i += 1 }
                }
                if i < n, characters[i] == "e" || characters[i] == "E" {
                    var j = i + 1
                    var exponent = "e"
                    if j < n, characters[j] == "+" || characters[j] == "-" { exponent.append(characters[j]); j += 1 }
                    if j < n, characters[j].isASCIIDigitCharacter {
                        while j < n, characters[j].isASCIIDigitCharacter { exponent.append(characters[j]); j += 1 }
                        text += exponent
                        i = j
                    }
                }
                if i < n, characters[i].isWordCharacter {
                    throw SQLSyntaxError(position: start + 1, message: "malformed number '\(text)\(characters[i])'")
                }
                if text.hasPrefix(".") { text = "0" + text }
                tokens.append(SQLToken(kind: .number, text: text, position: start + 1))
                continue
            }
            if c.isWordCharacter {
                var text = ""
                while i < n, characters[i].isWordCharacter || characters[i].isASCIIDigitCharacter {
                    text.append(characters[i])
                    i += 1
                }
                tokens.append(SQLToken(kind: .word, text: text, position: start + 1))
                continue
            }
            let two = i + 1 < n ? String([c, characters[i + 1]]) : ""
            if ["<=", ">=", "<>", "!=", "=="].contains(two) {
                tokens.append(SQLToken(kind: .symbol, text: two == "==" ? "=" : two, position: start + 1))
                i += 2
                continue
            }
            if "(),.:<>=-+".contains(c) {
                tokens.append(SQLToken(kind: .symbol, text: String(c), position: start + 1))
                i += 1
                continue
            }
            let shown = c.isASCII && !c.isLetter && (c.asciiValue ?? 0) < 0x20 ? "\\u{\(String(c.unicodeScalars.first?.value ?? 0, radix: 16))}" : String(c)
            throw SQLSyntaxError(position: start + 1, message: "unexpected character '\(shown)'")
        }
        tokens.append(SQLToken(kind: .end, text: "", position: n + 1))
    }
}

extension Character {
    var isASCIIDigitCharacter: Bool { isASCII && isNumber }
    /// A character that may start or continue a bare word: letters (any script) and `_`.
    var isWordCharacter: Bool { self == "_" || isLetter }
}
