/// A JSON value of the interop documents (Tests/Interop/README.md). Numbers keep their literal
/// text, so integers and float reprs compare exactly; object members keep their order.
indirect enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([Member])

    /// One member of an object.
    struct Member: Equatable, Sendable {
        var key: String
        var value: JSONValue
    }

    /// The value of the first member named `key` of an object; nil otherwise.
    subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    var arrayValue: [JSONValue]? { if case .array(let a) = self { a } else { nil } }
    var stringValue: String? { if case .string(let s) = self { s } else { nil } }
    var boolValue: Bool? { if case .bool(let b) = self { b } else { nil } }
    var intValue: Int? { if case .number(let n) = self { Int(n) } else { nil } }
}

extension JSONValue: CustomStringConvertible {
    /// Compact JSON text (long strings shortened, for messages).
    var description: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return n
        case .string(let s):
            let shown = s.count > 120 ? String(s.prefix(100)) + "…(\(s.utf8.count) bytes)" : s
            return "\"" + JSONValue.escape(shown) + "\""
        case .array(let a): return "[" + a.map(\.description).joined(separator: ", ") + "]"
        case .object(let m): return "{" + m.map { "\"\(JSONValue.escape($0.key))\": \($0.value)" }.joined(separator: ", ") + "}"
        }
    }

    private static func escape(_ s: String) -> String {
        var out = ""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 { out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }
}

/// A strict JSON parser (RFC 8259) keeping number literals as text.
struct JSONParser {
    struct Failure: Error, CustomStringConvertible {
        let offset: Int
        let message: String
        var description: String { "JSON parse error at byte \(offset): \(message)" }
    }

    /// Parses one JSON document.
    static func parse(_ bytes: [UInt8]) throws -> JSONValue {
        try bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { throw Failure(offset: 0, message: "empty document") }
            var parser = Cursor(base: base, count: buffer.count)
            parser.skipWhitespace()
            let value = try parser.value(depth: 0)
            parser.skipWhitespace()
            guard parser.position == buffer.count else { throw Failure(offset: parser.position, message: "trailing characters") }
            return value
        }
    }

    private struct Cursor {
        // A raw pointer rather than the buffer: no bounds checks (every access is checked against
        // `count` first), which matters for 100 MB of JSON in unoptimised test builds.
        let base: UnsafePointer<UInt8>
        let count: Int
        var position = 0

        init(base: UnsafePointer<UInt8>, count: Int) {
            self.base = base
            self.count = count
        }

        func fail(_ message: String) -> Failure { Failure(offset: position, message: message) }

        mutating func skipWhitespace() {
            while position < count {
                switch base[position] {
                case 0x20, 0x0A, 0x0D, 0x09: position += 1
                default: return
                }
            }
        }

        mutating func expect(_ literal: StaticString) throws {
            let n = literal.utf8CodeUnitCount
            guard position + n <= count else { throw fail("unexpected end") }
            for i in 0..<n where base[position + i] != literal.utf8Start[i] { throw fail("invalid literal") }
            position += n
        }

        mutating func value(depth: Int) throws -> JSONValue {
            guard depth < 512 else { throw fail("nested too deeply") }
            guard position < count else { throw fail("unexpected end") }
            switch base[position] {
            case UInt8(ascii: "n"): try expect("null"); return .null
            case UInt8(ascii: "t"): try expect("true"); return .bool(true)
            case UInt8(ascii: "f"): try expect("false"); return .bool(false)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "["):
                position += 1
                var items: [JSONValue] = []
                skipWhitespace()
                if position < count, base[position] == UInt8(ascii: "]") { position += 1; return .array(items) }
                while true {
                    skipWhitespace()
                    items.append(try value(depth: depth + 1))
                    skipWhitespace()
                    guard position < count else { throw fail("unterminated array") }
                    if base[position] == UInt8(ascii: ",") { position += 1; continue }
                    if base[position] == UInt8(ascii: "]") { position += 1; return .array(items) }
                    throw fail("expected , or ]")
                }
            case UInt8(ascii: "{"):
                position += 1
                var members: [JSONValue.Member] = []
                skipWhitespace()
                if position < count, base[position] == UInt8(ascii: "}") { position += 1; return .object(members) }
                while true {
                    skipWhitespace()
                    guard position < count, base[position] == UInt8(ascii: "\"") else { throw fail("expected a key") }
                    let key = try string()
                    skipWhitespace()
                    guard position < count, base[position] == UInt8(ascii: ":") else { throw fail("expected :") }
                    position += 1
                    skipWhitespace()
                    members.append(JSONValue.Member(key: key, value: try value(depth: depth + 1)))
                    skipWhitespace()
                    guard position < count else { throw fail("unterminated object") }
                    if base[position] == UInt8(ascii: ",") { position += 1; continue }
                    if base[position] == UInt8(ascii: "}") { position += 1; return .object(members) }
                    throw fail("expected , or }")
                }
            default:
                return .number(try number())
            }
        }

        mutating func number() throws -> String {
            let start = position
            func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
            if position < count, base[position] == UInt8(ascii: "-") { position += 1 }
            let intStart = position
            while position < count, isDigit(base[position]) { position += 1 }
            guard position > intStart else { throw fail("invalid number") }
            if position < count, base[position] == UInt8(ascii: ".") {
                position += 1
                let f = position
                while position < count, isDigit(base[position]) { position += 1 }
                guard position > f else { throw fail("invalid fraction") }
            }
            if position < count, base[position] == UInt8(ascii: "e") || base[position] == UInt8(ascii: "E") {
                position += 1
                if position < count, base[position] == UInt8(ascii: "+") || base[position] == UInt8(ascii: "-") { position += 1 }
                let e = position
                while position < count, isDigit(base[position]) { position += 1 }
                guard position > e else { throw fail("invalid exponent") }
            }
            return String(decoding: UnsafeBufferPointer(start: base + start, count: position - start), as: UTF8.self)
        }

        mutating func hex4() throws -> UInt32 {
            guard position + 4 <= count else { throw fail("truncated \\u escape") }
            var v: UInt32 = 0
            for _ in 0..<4 {
                let b = base[position]
                let d: UInt32
                switch b {
                case 0x30...0x39: d = UInt32(b - 0x30)
                case 0x41...0x46: d = UInt32(b - 0x41 + 10)
                case 0x61...0x66: d = UInt32(b - 0x61 + 10)
                default: throw fail("invalid \\u escape")
                }
                v = v << 4 | d
                position += 1
            }
            return v
        }

        mutating func string() throws -> String {
            position += 1 // opening quote
            let start = position
            // Fast path: no escapes.
            while position < count {
                let b = base[position]
                if b == UInt8(ascii: "\"") {
                    let s = String(decoding: UnsafeBufferPointer(start: base + start, count: position - start), as: UTF8.self)
                    position += 1
                    return s
                }
                if b == UInt8(ascii: "\\") { break }
                position += 1
            }
            var out = [UInt8](UnsafeBufferPointer(start: base + start, count: position - start))
            while position < count {
                let b = base[position]
                if b == UInt8(ascii: "\"") {
                    position += 1
                    return String(decoding: out, as: UTF8.self)
                }
                guard b == UInt8(ascii: "\\") else { out.append(b); position += 1; continue }
                position += 1
                guard position < count else { break }
                let e = base[position]
                position += 1
                switch e {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if (0xD800..<0xDC00).contains(code), position + 6 <= count,
                       base[position] == UInt8(ascii: "\\"), base[position + 1] == UInt8(ascii: "u") {
                        let save = position
                        position += 2
                        let low = try hex4()
                        if (0xDC00..<0xE000).contains(low) {
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            position = save
                        }
                    }
                    let scalar = Unicode.Scalar(code) ?? "\u{FFFD}"
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                default: throw fail("invalid escape")
                }
            }
            throw fail("unterminated string")
        }
    }
}
