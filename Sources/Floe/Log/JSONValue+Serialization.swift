/// Writes compact JSON (no insignificant whitespace) into a byte buffer.
///
/// Strings are escaped the way Jackson (Spark) does by default: `"` and `\` are escaped, control
/// characters use the short escapes (`\n`, `\t`, …) or `\u00XX` with uppercase hex, and every
/// other character, including `/` and non-ASCII text, is written as raw UTF-8.
struct JSONWriter {
    /// The JSON text written so far.
    var bytes: [UInt8] = []

    init() {}

    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    mutating func raw(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    mutating func raw(_ text: String) { bytes.append(contentsOf: text.utf8) }

    mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): raw("\\\"")
            case UInt8(ascii: "\\"): raw("\\\\")
            case 0x0A: raw("\\n")
            case 0x0D: raw("\\r")
            case 0x09: raw("\\t")
            case 0x08: raw("\\b")
            case 0x0C: raw("\\f")
            case 0x00..<0x20:
                raw("\\u00")
                let hex: [UInt8] = Array("0123456789ABCDEF".utf8)
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 0x0F)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func value(_ value: JSONValue) {
        switch value {
        case .null: raw("null")
        case .bool(let b): raw(b ? "true" : "false")
        case .number(let n): raw(n.text)
        case .string(let s): string(s)
        case .array(let items):
            bytes.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { bytes.append(UInt8(ascii: ",")) }
                self.value(item)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let object):
            self.object(object)
        }
    }

    mutating func object(_ object: JSONObject) {
        bytes.append(UInt8(ascii: "{"))
        for (i, member) in object.members.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            string(member.key)
            bytes.append(UInt8(ascii: ":"))
            value(member.value)
        }
        bytes.append(UInt8(ascii: "}"))
    }
}

/// Builds one JSON object member by member, in the order the members are added.
///
/// Optional members whose value is `nil` are omitted, which is how Spark and delta-rs write
/// absent optional fields. The writer takes over the caller's buffer (see ``init(taking:)``) so
/// appending never copies what was written before.
struct JSONObjectWriter {
    var writer: JSONWriter
    private var first = true

    /// Starts an object in a fresh buffer.
    init() {
        writer = JSONWriter(capacity: 128)
        writer.bytes.append(UInt8(ascii: "{"))
    }

    /// Starts an object at the end of `writer`'s buffer, taking the buffer over (leaving `writer`
    /// empty); ``finish()`` hands it back.
    init(taking writer: inout JSONWriter) {
        self.writer = JSONWriter()
        swap(&self.writer, &writer)
        self.writer.bytes.append(UInt8(ascii: "{"))
    }

    private mutating func key(_ name: String) {
        if !first { writer.bytes.append(UInt8(ascii: ",")) }
        first = false
        writer.string(name)
        writer.bytes.append(UInt8(ascii: ":"))
    }

    mutating func field(_ name: String, _ value: String?) {
        guard let value else { return }
        key(name)
        writer.string(value)
    }

    mutating func field(_ name: String, _ value: Int64?) {
        guard let value else { return }
        key(name)
        writer.raw(String(value))
    }

    mutating func field(_ name: String, _ value: Int?) {
        guard let value else { return }
        key(name)
        writer.raw(String(value))
    }

    mutating func field(_ name: String, _ value: Bool?) {
        guard let value else { return }
        key(name)
        writer.raw(value ? "true" : "false")
    }

    mutating func field(_ name: String, _ value: JSONValue?) {
        guard let value else { return }
        key(name)
        writer.value(value)
    }

    mutating func field(_ name: String, strings: [String]?) {
        guard let strings else { return }
        key(name)
        writer.bytes.append(UInt8(ascii: "["))
        for (i, s) in strings.enumerated() {
            if i > 0 { writer.bytes.append(UInt8(ascii: ",")) }
            writer.string(s)
        }
        writer.bytes.append(UInt8(ascii: "]"))
    }

    /// Writes a string map with keys in `order` first (those present), then the rest sorted, so
    /// output is deterministic. `nil` values are written as JSON `null`.
    mutating func field(_ name: String, map: [String: String?]?, order: [String] = []) {
        guard let map else { return }
        key(name)
        writer.bytes.append(UInt8(ascii: "{"))
        var written = 0
        func emit(_ k: String, _ v: String?, into writer: inout JSONWriter) {
            if written > 0 { writer.bytes.append(UInt8(ascii: ",")) }
            written += 1
            writer.string(k)
            writer.bytes.append(UInt8(ascii: ":"))
            if let v { writer.string(v) } else { writer.raw("null") }
        }
        var seen = Set<String>()
        for k in order where !seen.contains(k) {
            if let v = map[k] {
                seen.insert(k)
                emit(k, v, into: &writer)
            }
        }
        for k in map.keys.sorted() where !seen.contains(k) {
            if let v = map[k] { emit(k, v, into: &writer) }
        }
        writer.bytes.append(UInt8(ascii: "}"))
    }

    /// Writes a string map whose values are never null.
    mutating func field(_ name: String, stringMap: [String: String]?) {
        guard let stringMap else { return }
        field(name, map: stringMap.mapValues { Optional($0) })
    }

    /// Writes a nested object produced by `body`.
    mutating func object(_ name: String, _ body: (inout JSONObjectWriter) -> Void) {
        key(name)
        var nested = JSONObjectWriter(taking: &writer)
        body(&nested)
        writer = nested.finish()
    }

    /// Closes the object and returns the writer holding its text, leaving this writer empty.
    ///
    /// `mutating` rather than `consuming`: unoptimized builds copy a consumed value, which made the
    /// buffer non-unique and every append copy it (quadratic time for large commits).
    mutating func finish() -> JSONWriter {
        writer.bytes.append(UInt8(ascii: "}"))
        var result = JSONWriter()
        swap(&result, &writer)
        return result
    }
}

extension JSONValue {
    /// The compact JSON text of this value.
    public var jsonText: String {
        var writer = JSONWriter()
        writer.value(self)
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}

extension JSONObject {
    /// The compact JSON text of this object, members in document order.
    public var jsonText: String { JSONValue.object(self).jsonText }
}
