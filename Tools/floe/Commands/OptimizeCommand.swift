import ArgumentParser
import Foundation
import Floe
import FloeColumnar

/// `floe optimize TABLE [--target-size BYTES] [--where PREDICATE]`: compact small files.
struct OptimizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "optimize",
        abstract: "Compact a table's small files into larger ones (bin-packing within each partition).",
        discussion: """
        Files smaller than the target size are packed, smallest first, into files of up to the \
        target size; each group of two or more is rewritten as one file and everything is committed \
        as one OPTIMIZE version (dataChange=false: readers of the change data feed see no change). \
        Concurrent appends do not conflict with it. Prints each compaction and the version \
        committed.

        Examples:
          floe optimize /data/events
          floe optimize /data/events --target-size 64MiB --where "day = '2024-05-01'"
        """)

    @Argument(help: "The table directory.")
    var table: String

    @Option(help: ArgumentHelp("Pack files up to this size: bytes, or with a suffix KiB/MiB/GiB (also K/M/G) or KB/MB/GB.", valueName: "size"),
            transform: { text in
                guard let bytes = OptimizeCommand.byteCount(text) else {
                    throw ValidationError("--target-size expects a positive number of bytes (e.g. 134217728 or 128MiB), got '\(text)'")
                }
                return bytes
            })
    var targetSize: Int64 = 128 * 1024 * 1024

    @Option(name: .customLong("where"), help: ArgumentHelp("Only compact the partitions matching this condition on partition columns.", valueName: "predicate"),
            transform: { text in
                do {
                    return try WhereAdapter.parse(text)
                } catch let error as WhereAdapter.SyntaxError {
                    throw ValidationError("--where: \(error.message)")
                }
            })
    var condition: Condition?

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    func run() throws {
        let result = try Table(path: table).optimize(targetFileSize: targetSize, where: condition)
        switch format {
        case .text: print(Self.text(result, targetSize: targetSize), terminator: "")
        case .json: print(Self.json(result))
        }
    }

    /// A byte count with an optional unit suffix; nil unless positive.
    static func byteCount(_ text: String) -> Int64? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let digits = trimmed.prefix { $0.isASCII && $0.isNumber }
        let unit = trimmed.dropFirst(digits.count).trimmingCharacters(in: .whitespaces).lowercased()
        let multipliers: [String: Int64] = [
            "": 1, "b": 1, "k": 1 << 10, "kib": 1 << 10, "m": 1 << 20, "mib": 1 << 20, "g": 1 << 30, "gib": 1 << 30,
            "kb": 1_000, "mb": 1_000_000, "gb": 1_000_000_000,
        ]
        guard let value = Int64(digits), let multiplier = multipliers[unit] else { return nil }
        let (bytes, overflow) = value.multipliedReportingOverflow(by: multiplier)
        return overflow || bytes <= 0 ? nil : bytes
    }

    /// The partition a compacted file belongs to, as its Hive directory (`(table)` when unpartitioned).
    static func partitionLabel(_ compaction: OptimizeResult.Compaction) -> String {
        let path = PathCoding.decodeURIPath(compaction.addedFile)
        guard let slash = path.lastIndex(of: "/") else { return "(table)" }
        return String(path[..<slash])
    }

    static func text(_ result: OptimizeResult, targetSize: Int64) -> String {
        guard let version = result.version else {
            return "nothing to compact: \(result.consideredFiles) file\(result.consideredFiles == 1 ? "" : "s") considered, no two can be combined below \(targetSize) bytes\n"
        }
        var out = ""
        for c in result.compactions {
            out += "\(partitionLabel(c)): \(c.removedFiles.count) files (\(c.removedBytes) bytes) -> \(PathCoding.decodeURIPath(c.addedFile)) (\(c.addedBytes) bytes, \(c.rows) rows)\n"
        }
        out += "version \(version): compacted \(result.filesRemoved) files (\(result.bytesRemoved) bytes) into \(result.filesAdded) (\(result.bytesAdded) bytes) in \(result.partitionsOptimized) partition\(result.partitionsOptimized == 1 ? "" : "s"); \(result.skippedFiles) of \(result.consideredFiles) considered files left as they were\n"
        return out
    }

    static func json(_ result: OptimizeResult) -> String {
        var s = "{\"version\":" + (result.version.map(String.init) ?? "null")
        s += ",\"filesRemoved\":\(result.filesRemoved),\"filesAdded\":\(result.filesAdded),\"bytesRemoved\":\(result.bytesRemoved),\"bytesAdded\":\(result.bytesAdded)"
        s += ",\"partitionsOptimized\":\(result.partitionsOptimized),\"consideredFiles\":\(result.consideredFiles),\"skippedFiles\":\(result.skippedFiles)"
        s += ",\"compactions\":[" + result.compactions.map { c in
            var o = "{\"partition\":{"
            o += c.partitionValues.keys.sorted().map { key in
                var kv = ""
                ValueFormatter.appendString(key, to: &kv)
                kv += ":"
                if let value = c.partitionValues[key] ?? nil { ValueFormatter.appendString(value, to: &kv) } else { kv += "null" }
                return kv
            }.joined(separator: ",")
            o += "},\"removedFiles\":[" + c.removedFiles.map { path in
                var p = ""
                ValueFormatter.appendString(PathCoding.decodeURIPath(path), to: &p)
                return p
            }.joined(separator: ",") + "]"
            o += ",\"addedFile\":"
            ValueFormatter.appendString(PathCoding.decodeURIPath(c.addedFile), to: &o)
            o += ",\"removedBytes\":\(c.removedBytes),\"addedBytes\":\(c.addedBytes),\"rows\":\(c.rows)}"
            return o
        }.joined(separator: ",") + "]}"
        return s
    }
}

/// A minimal `--where` parser for `floe optimize`, standing in until the shared condition parser
/// (`Sources/Floe/Parsing`) lands: comparisons (`=`, `==`, `!=`, `<>`, `<`, `<=`, `>`, `>=`) of a
/// column with a literal, `IS [NOT] NULL`, `[NOT] IN (…)`, `AND`, `OR`, `NOT` and parentheses.
/// Literals: `'text'` (`''` escapes a quote), integers, decimals, `TRUE`, `FALSE`, `NULL`; columns:
/// names, dotted paths or `"quoted"`/`` `quoted` `` names.
enum WhereAdapter {
    struct SyntaxError: Error {
        let message: String
    }

    enum Token: Equatable {
        case word(String)
        case quoted(String)
        case string(String)
        case number(String)
        case symbol(String)
    }

    static func parse(_ text: String) throws -> Condition {
        var parser = Parser(tokens: try tokenize(text))
        let condition = try parser.orExpression()
        guard parser.position == parser.tokens.count else {
            throw SyntaxError(message: "unexpected \(parser.describe(parser.tokens[parser.position])) in '\(text)'")
        }
        return condition
    }

    static func tokenize(_ text: String) throws -> [Token] {
        var tokens: [Token] = []
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c.isWhitespace { i += 1; continue }
            if c == "'" || c == "\"" || c == "`" {
                var value = ""
                i += 1
                var closed = false
                while i < chars.count {
                    if chars[i] == c {
                        if c == "'" && i + 1 < chars.count && chars[i + 1] == "'" { value.append("'"); i += 2; continue }
                        closed = true
                        i += 1
                        break
                    }
                    value.append(chars[i])
                    i += 1
                }
                guard closed else { throw SyntaxError(message: "unterminated \(c) quote") }
                tokens.append(c == "'" ? .string(value) : .quoted(value))
            } else if c.isNumber || ((c == "-" || c == "+" || c == ".") && i + 1 < chars.count && (chars[i + 1].isNumber || chars[i + 1] == ".")) {
                var value = String(c)
                i += 1
                while i < chars.count, chars[i].isNumber || chars[i] == "." || chars[i] == "e" || chars[i] == "E"
                        || ((chars[i] == "-" || chars[i] == "+") && (chars[i - 1] == "e" || chars[i - 1] == "E")) {
                    value.append(chars[i])
                    i += 1
                }
                tokens.append(.number(value))
            } else if c.isLetter || c == "_" {
                var value = ""
                while i < chars.count, chars[i].isLetter || chars[i].isNumber || chars[i] == "_" || chars[i] == "." {
                    value.append(chars[i])
                    i += 1
                }
                tokens.append(.word(value))
            } else {
                let two = i + 1 < chars.count ? String([c, chars[i + 1]]) : ""
                if ["<=", ">=", "!=", "<>", "=="].contains(two) {
                    tokens.append(.symbol(two))
                    i += 2
                } else if "=<>(),".contains(c) {
                    tokens.append(.symbol(String(c)))
                    i += 1
                } else {
                    throw SyntaxError(message: "unexpected character '\(c)'")
                }
            }
        }
        return tokens
    }

    struct Parser {
        let tokens: [Token]
        var position = 0

        func describe(_ token: Token) -> String {
            switch token {
            case .word(let w): "'\(w)'"
            case .quoted(let q): "\"\(q)\""
            case .string(let s): "'\(s)'"
            case .number(let n): n
            case .symbol(let s): "'\(s)'"
            }
        }

        var peek: Token? { position < tokens.count ? tokens[position] : nil }

        mutating func keyword(_ word: String) -> Bool {
            if case .word(let w)? = peek, w.uppercased() == word { position += 1; return true }
            return false
        }

        mutating func symbol(_ s: String) -> Bool {
            if case .symbol(let t)? = peek, t == s { position += 1; return true }
            return false
        }

        mutating func orExpression() throws -> Condition {
            var parts = [try andExpression()]
            while keyword("OR") { parts.append(try andExpression()) }
            return parts.count == 1 ? parts[0] : .or(parts)
        }

        mutating func andExpression() throws -> Condition {
            var parts = [try unary()]
            while keyword("AND") { parts.append(try unary()) }
            return parts.count == 1 ? parts[0] : .and(parts)
        }

        mutating func unary() throws -> Condition {
            if keyword("NOT") { return .not(try unary()) }
            if symbol("(") {
                let inner = try orExpression()
                guard symbol(")") else { throw SyntaxError(message: "missing ')'") }
                return inner
            }
            return try predicate()
        }

        mutating func predicate() throws -> Condition {
            let column: String
            switch peek {
            case .word(let w)?: column = w
            case .quoted(let q)?: column = q
            case let other?: throw SyntaxError(message: "expected a column name, found \(describe(other))")
            case nil: throw SyntaxError(message: "expected a column name at the end")
            }
            position += 1
            if keyword("IS") {
                let negated = keyword("NOT")
                guard keyword("NULL") else { throw SyntaxError(message: "expected NULL after IS") }
                return negated ? .isNotNull(column: column) : .isNull(column: column)
            }
            let negatedIn = keyword("NOT")
            if keyword("IN") {
                guard symbol("(") else { throw SyntaxError(message: "expected '(' after IN") }
                var values = [try literal()]
                while symbol(",") { values.append(try literal()) }
                guard symbol(")") else { throw SyntaxError(message: "missing ')' after the IN list") }
                let condition = Condition.isIn(column: column, values: values)
                return negatedIn ? .not(condition) : condition
            }
            if negatedIn { throw SyntaxError(message: "expected IN after NOT") }
            let operators: [String: ComparisonOperator] = ["=": .equal, "==": .equal, "!=": .notEqual, "<>": .notEqual,
                                                           "<": .less, "<=": .lessOrEqual, ">": .greater, ">=": .greaterOrEqual]
            guard case .symbol(let s)? = peek, let op = operators[s] else {
                throw SyntaxError(message: "expected a comparison after '\(column)'")
            }
            position += 1
            return .comparison(column: column, op: op, value: try literal())
        }

        mutating func literal() throws -> Scalar {
            guard let token = peek else { throw SyntaxError(message: "expected a value at the end") }
            position += 1
            switch token {
            case .string(let s): return .string(s)
            case .number(let n):
                if let i = Int64(n) { return .int(i) }
                if let d = Double(n) { return .float(d) }
                throw SyntaxError(message: "invalid number \(n)")
            case .word(let w):
                switch w.uppercased() {
                case "TRUE": return .bool(true)
                case "FALSE": return .bool(false)
                case "NULL": return .null
                default: throw SyntaxError(message: "expected a value, found '\(w)' (quote text as 'text')")
                }
            default:
                throw SyntaxError(message: "expected a value, found \(describe(token))")
            }
        }
    }
}
