/// A JSON value as it appears in the Delta log.
///
/// Objects keep their keys in document order and numbers keep their literal text, so a value that
/// is parsed and serialized again is reproduced exactly (apart from insignificant whitespace).
/// This is what lets Floe preserve `commitInfo` objects and column metadata it does not understand.
public enum JSONValue: Sendable, Hashable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number, kept as its literal text.
    case number(JSONNumber)
    /// A string (already unescaped).
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object, with keys in document order.
    case object(JSONObject)

    /// A number value holding `value`.
    public static func int(_ value: Int64) -> JSONValue { .number(JSONNumber(value)) }

    /// The string payload, or `nil` when this is not a string.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The boolean payload, or `nil` when this is not a boolean.
    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// The value as a 64-bit integer, or `nil` when it is not an integral number in range.
    public var int64Value: Int64? {
        if case .number(let n) = self { return n.int64Value }
        return nil
    }

    /// The value as a double, or `nil` when it is not a number.
    public var doubleValue: Double? {
        if case .number(let n) = self { return n.doubleValue }
        return nil
    }

    /// The object payload, or `nil` when this is not an object.
    public var objectValue: JSONObject? {
        if case .object(let o) = self { return o }
        return nil
    }

    /// The array payload, or `nil` when this is not an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// Whether this is `null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}

/// A JSON number kept as its literal text, so that large integers and decimal fractions survive a
/// round trip unchanged.
///
/// Invariant: `text` is a valid JSON number literal.
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    /// The literal text, e.g. `"42"`, `"-1.5e3"`.
    public let text: String

    /// Creates a number from validated literal text (used by the parser).
    init(literal: String) { self.text = literal }

    /// Creates a number from an integer.
    public init(_ value: Int64) { self.text = String(value) }

    /// Creates a number from a double. Non-finite values, which JSON cannot represent, become `0`.
    public init(_ value: Double) {
        if value.isFinite {
            if value == value.rounded(), abs(value) < 1e15 {
                self.text = String(Int64(value)) + ".0"
            } else {
                self.text = "\(value)"
            }
        } else {
            self.text = "0"
        }
    }

    /// The value as a 64-bit integer; `nil` if the literal has a fraction or exponent or is out of
    /// range.
    public var int64Value: Int64? { Int64(text) }

    /// The value as a double.
    public var doubleValue: Double? { Double(text) }

    /// The literal text.
    public var description: String { text }
}

/// A JSON object whose keys keep their document order.
///
/// Lookup by key returns the last entry with that key (as most JSON readers do). Equality and
/// hashing ignore key order.
public struct JSONObject: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    /// One key/value member of an object.
    public struct Member: Sendable, Hashable {
        /// The member's name.
        public var key: String
        /// The member's value.
        public var value: JSONValue
    }

    /// The members in document order.
    public private(set) var members: [Member]

    /// Creates an empty object.
    public init() { members = [] }

    /// Creates an object from members in the given order.
    public init(_ members: [Member]) { self.members = members }

    /// Creates an object with the literal's members in order.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        members = elements.map { Member(key: $0.0, value: $0.1) }
    }

    /// The number of members.
    public var count: Int { members.count }

    /// Whether the object has no members.
    public var isEmpty: Bool { members.isEmpty }

    /// The keys in document order.
    public var keys: [String] { members.map(\.key) }

    /// The value for `key`; setting `nil` removes the member, setting a value replaces the existing
    /// member in place or appends a new one.
    public subscript(key: String) -> JSONValue? {
        get {
            var i = members.count - 1
            while i >= 0 {
                if members[i].key == key { return members[i].value }
                i -= 1
            }
            return nil
        }
        set {
            if let index = members.lastIndex(where: { $0.key == key }) {
                if let newValue {
                    members[index].value = newValue
                } else {
                    members.remove(at: index)
                }
            } else if let newValue {
                members.append(Member(key: key, value: newValue))
            }
        }
    }

    /// Appends a member without checking for duplicates (used by the parser).
    mutating func appendUnchecked(_ key: String, _ value: JSONValue) {
        members.append(Member(key: key, value: value))
    }

    /// Iterates over the members in document order.
    public func makeIterator() -> IndexingIterator<[Member]> { members.makeIterator() }

    /// Whether both objects have the same keys with equal values, in any order.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.members.count == rhs.members.count else { return false }
        for member in lhs.members where rhs[member.key] != member.value { return false }
        return true
    }

    /// Hashes the members independently of their order.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(members.count)
        var sum = 0
        for member in members {
            var h = Hasher()
            h.combine(member.key)
            h.combine(member.value)
            sum &+= h.finalize()
        }
        hasher.combine(sum)
    }
}
