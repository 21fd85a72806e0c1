import Foundation

/// An untyped value tree produced by encoding a Swift value, before a schema is known.
indirect enum EncodedValue {
    case null
    case bool(Bool)
    case int(Int64)
    case uint(UInt64)
    case double(Double)
    case string(String)
    case date(Date)
    /// A `Foundation.Decimal`, kept exact (its own `Codable` conformance encodes its internals).
    case decimal(Decimal)
    case bytes([UInt8])
    case array([EncodedValue])
    case object([(String, EncodedValue)])
}

/// Collects the value tree of one `Encodable` value.
final class TreeEncoder: Encoder {
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] = [:]
    fileprivate var storage: Storage = Storage()

    fileprivate final class Storage {
        var value: EncodedValue?
        var objectKeys: [String] = []
        var objectValues: [String: Storage] = [:]
        var array: [Storage]?
        var isObject = false

        func resolved() -> EncodedValue {
            if isObject { return .object(objectKeys.map { ($0, objectValues[$0]?.resolved() ?? .null) }) }
            if let array { return .array(array.map { $0.resolved() }) }
            return value ?? .null
        }
    }

    static func encode<T: Encodable>(_ value: T) throws -> EncodedValue {
        let encoder = TreeEncoder()
        try encoder.encodeValue(value)
        return encoder.storage.resolved()
    }

    fileprivate func encodeValue<T: Encodable>(_ value: T) throws {
        switch value {
        case let d as Date: storage.value = .date(d)
        case let d as Decimal: storage.value = .decimal(d)
        case let d as Data: storage.value = .bytes([UInt8](d))
        case let u as URL: storage.value = .string(u.absoluteString)
        case let b as [UInt8] where T.self == [UInt8].self: storage.value = .bytes(b)
        default: try value.encode(to: self)
        }
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        storage.isObject = true
        return KeyedEncodingContainer(Keyed<Key>(storage: storage, encoder: self))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if storage.array == nil { storage.array = [] }
        return Unkeyed(storage: storage, encoder: self)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { Single(storage: storage, encoder: self) }

    fileprivate func child<T: Encodable>(_ value: T) throws -> Storage {
        let sub = TreeEncoder()
        sub.codingPath = codingPath
        try sub.encodeValue(value)
        return sub.storage
    }

    private struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let storage: Storage
        let encoder: TreeEncoder
        var codingPath: [any CodingKey] { encoder.codingPath }
        func set(_ key: Key, _ s: Storage) {
            if storage.objectValues[key.stringValue] == nil { storage.objectKeys.append(key.stringValue) }
            storage.objectValues[key.stringValue] = s
        }
        mutating func encodeNil(forKey key: Key) throws { let s = Storage(); s.value = .null; set(key, s) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { set(key, try encoder.child(value)) }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            let sub = TreeEncoder(); set(key, sub.storage); return sub.container(keyedBy: keyType)
        }
        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            let sub = TreeEncoder(); set(key, sub.storage); return sub.unkeyedContainer()
        }
        mutating func superEncoder() -> any Encoder { encoder }
        mutating func superEncoder(forKey key: Key) -> any Encoder { let sub = TreeEncoder(); set(key, sub.storage); return sub }
    }

    private struct Unkeyed: UnkeyedEncodingContainer {
        let storage: Storage
        let encoder: TreeEncoder
        var codingPath: [any CodingKey] { encoder.codingPath }
        var count: Int { storage.array?.count ?? 0 }
        mutating func encodeNil() throws { let s = Storage(); s.value = .null; storage.array?.append(s) }
        mutating func encode<T: Encodable>(_ value: T) throws { storage.array?.append(try encoder.child(value)) }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            let sub = TreeEncoder(); storage.array?.append(sub.storage); return sub.container(keyedBy: keyType)
        }
        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            let sub = TreeEncoder(); storage.array?.append(sub.storage); return sub.unkeyedContainer()
        }
        mutating func superEncoder() -> any Encoder { encoder }
    }

    private struct Single: SingleValueEncodingContainer {
        let storage: Storage
        let encoder: TreeEncoder
        var codingPath: [any CodingKey] { encoder.codingPath }
        mutating func encodeNil() throws { storage.value = .null }
        mutating func encode(_ value: Bool) throws { storage.value = .bool(value) }
        mutating func encode(_ value: String) throws { storage.value = .string(value) }
        mutating func encode(_ value: Double) throws { storage.value = .double(value) }
        mutating func encode(_ value: Float) throws { storage.value = .double(Double(value)) }
        mutating func encode(_ value: Int) throws { storage.value = .int(Int64(value)) }
        mutating func encode(_ value: Int8) throws { storage.value = .int(Int64(value)) }
        mutating func encode(_ value: Int16) throws { storage.value = .int(Int64(value)) }
        mutating func encode(_ value: Int32) throws { storage.value = .int(Int64(value)) }
        mutating func encode(_ value: Int64) throws { storage.value = .int(value) }
        mutating func encode(_ value: UInt) throws { storage.value = .uint(UInt64(value)) }
        mutating func encode(_ value: UInt8) throws { storage.value = .uint(UInt64(value)) }
        mutating func encode(_ value: UInt16) throws { storage.value = .uint(UInt64(value)) }
        mutating func encode(_ value: UInt32) throws { storage.value = .uint(UInt64(value)) }
        mutating func encode(_ value: UInt64) throws { storage.value = .uint(value) }
        mutating func encode<T: Encodable>(_ value: T) throws {
            let s = try encoder.child(value)
            storage.value = s.resolved()
        }
    }
}
