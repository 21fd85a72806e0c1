import Foundation

/// Decodes Swift values from a ``Scalar`` of a known ``DataType``.
struct ScalarDecoder: Decoder {
    let value: Scalar
    let type: DataType
    var codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func mismatch(_ expected: String) -> DecodingError {
        .typeMismatch(Any.self, .init(codingPath: codingPath, debugDescription: "expected \(expected), found \(value) of type \(type)"))
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        switch (value, self.type) {
        case (.structure(let items), .struct(let fields)):
            return KeyedDecodingContainer(Keyed<Key>(items: Dictionary(zip(fields.map(\.name), zip(items, fields.map(\.dataType))), uniquingKeysWith: { a, _ in a }), codingPath: codingPath))
        case (.map(let entries), .map(let f, _)):
            guard case .struct(let kv) = f.dataType, kv.count == 2 else { throw mismatch("a map") }
            var items: [String: (Scalar, DataType)] = [:]
            for e in entries { if case .string(let k) = e.key { items[k] = (e.value, kv[1].dataType) } }
            return KeyedDecodingContainer(Keyed<Key>(items: items, codingPath: codingPath))
        default:
            throw mismatch("a struct")
        }
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .list(let items) = value, case .list(let f) = type else { throw mismatch("a list") }
        return Unkeyed(items: items, elementType: f.dataType, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { Single(decoder: self) }

    private struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let items: [String: (Scalar, DataType)]
        var codingPath: [any CodingKey]
        var allKeys: [Key] { items.keys.compactMap { Key(stringValue: $0) } }
        func contains(_ key: Key) -> Bool { items[key.stringValue] != nil }
        func item(_ key: Key) throws -> (Scalar, DataType) {
            guard let v = items[key.stringValue] else {
                let snake = CodingKeyHint.snakeCase(key.stringValue)
                let hint = snake != key.stringValue && items[snake] != nil
                    ? "; there is a column '\(snake)': " + CodingKeyHint.advice(property: key.stringValue, column: snake) : ""
                throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "no column '\(key.stringValue)'" + hint))
            }
            return v
        }
        func decodeNil(forKey key: Key) throws -> Bool { (items[key.stringValue]?.0 ?? .null).isNull }
        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            let (v, t) = try item(key)
            return try ScalarDecoder(value: v, type: t, codingPath: codingPath + [key]).decodeValue(T.self)
        }
        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
            let (v, t) = try item(key)
            return try ScalarDecoder(value: v, type: t, codingPath: codingPath + [key]).container(keyedBy: type)
        }
        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            let (v, t) = try item(key)
            return try ScalarDecoder(value: v, type: t, codingPath: codingPath + [key]).unkeyedContainer()
        }
        func superDecoder() throws -> any Decoder { ScalarDecoder(value: .structure(Array(items.values.map(\.0))), type: .null, codingPath: codingPath) }
        func superDecoder(forKey key: Key) throws -> any Decoder {
            let (v, t) = try item(key)
            return ScalarDecoder(value: v, type: t, codingPath: codingPath + [key])
        }
    }

    private struct Unkeyed: UnkeyedDecodingContainer {
        let items: [Scalar]
        let elementType: DataType
        var codingPath: [any CodingKey]
        var currentIndex = 0
        var count: Int? { items.count }
        var isAtEnd: Bool { currentIndex >= items.count }
        init(items: [Scalar], elementType: DataType, codingPath: [any CodingKey]) {
            self.items = items; self.elementType = elementType; self.codingPath = codingPath
        }
        mutating func next() throws -> ScalarDecoder {
            guard !isAtEnd else {
                throw DecodingError.valueNotFound(Any.self, .init(codingPath: codingPath, debugDescription: "list has no more elements"))
            }
            defer { currentIndex += 1 }
            return ScalarDecoder(value: items[currentIndex], type: elementType, codingPath: codingPath)
        }
        mutating func decodeNil() throws -> Bool {
            if !isAtEnd && items[currentIndex].isNull { currentIndex += 1; return true }
            return false
        }
        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next().decodeValue(T.self) }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
            try next().container(keyedBy: type)
        }
        mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next().unkeyedContainer() }
        mutating func superDecoder() throws -> any Decoder { try next() }
    }

    func decodeValue<T: Decodable>(_: T.Type) throws -> T {
        if T.self == Date.self {
            let date: Date
            switch (value, type) {
            case (.int(let v), .timestamp(let unit, _)): date = Date(timeIntervalSince1970: Double(v) / Double(unit.ticksPerSecond))
            case (.int(let v), .date32): date = Date(timeIntervalSince1970: Double(v) * 86_400)
            default: throw mismatch("a timestamp or date")
            }
            if let result = date as? T { return result }
        }
        if T.self == Decimal.self {
            let decimal: Decimal?
            switch (value, type) {
            case (.decimal(let v), .decimal(_, let scale)): decimal = DecimalConversion.decimal(v, scale: scale)
            case (.int(let i), _): decimal = Decimal(i)
            case (.uint(let u), _): decimal = Decimal(u)
            case (.string(let s), _): decimal = Decimal(string: s, locale: DecimalConversion.posix)
            default: throw mismatch("a decimal")
            }
            guard let decimal else { throw mismatch("a value Decimal can hold") }
            if let result = decimal as? T { return result }
        }
        if T.self == Data.self || T.self == [UInt8].self {
            guard case .binary(let b) = value else { throw mismatch("binary") }
            if let result = Data(b) as? T { return result }
            if let result = b as? T { return result }
        }
        return try T(from: self)
    }

    private struct Single: SingleValueDecodingContainer {
        let decoder: ScalarDecoder
        var codingPath: [any CodingKey] { decoder.codingPath }
        func decodeNil() -> Bool { decoder.value.isNull }
        func decode(_ type: Bool.Type) throws -> Bool {
            guard case .bool(let b) = decoder.value else { throw decoder.mismatch("a boolean") }
            return b
        }
        func decode(_ type: String.Type) throws -> String {
            switch (decoder.value, decoder.type) {
            case (.string(let s), _): return s
            case (.decimal(let v), .decimal(_, let scale)): return ValueEncoding.decimal(v, scale: scale)
            default: throw decoder.mismatch("a string")
            }
        }
        func decode(_ type: Double.Type) throws -> Double {
            switch (decoder.value, decoder.type) {
            case (.float(let d), _): return d
            case (.int(let i), _): return Double(i)
            case (.uint(let u), _): return Double(u)
            case (.decimal(let v), .decimal(_, let scale)):
                guard let d = DecimalConversion.double(v, scale: scale) else {
                    throw DecodingError.typeMismatch(Double.self, .init(codingPath: codingPath, debugDescription:
                        "the decimal \(ValueEncoding.decimal(v, scale: scale)) has no exact Double; decode it as Decimal or String"))
                }
                return d
            default: throw decoder.mismatch("a number")
            }
        }
        func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }
        func integer<T: FixedWidthInteger>(_: T.Type) throws -> T {
            let r: T?
            switch (decoder.value, decoder.type) {
            case (.int(let i), _): r = T(exactly: i)
            case (.uint(let u), _): r = T(exactly: u)
            case (.decimal(let v), .decimal(_, let scale)):
                // Only a decimal without a fraction is an integer.
                let divisor = pow10(scale)
                r = v % divisor == 0 ? T(exactly: v / divisor) : nil
            default: r = nil
            }
            guard let r else { throw decoder.mismatch("\(T.self)") }
            return r
        }
        func decode(_ type: Int.Type) throws -> Int { try integer(Int.self) }
        func decode(_ type: Int8.Type) throws -> Int8 { try integer(Int8.self) }
        func decode(_ type: Int16.Type) throws -> Int16 { try integer(Int16.self) }
        func decode(_ type: Int32.Type) throws -> Int32 { try integer(Int32.self) }
        func decode(_ type: Int64.Type) throws -> Int64 { try integer(Int64.self) }
        func decode(_ type: UInt.Type) throws -> UInt { try integer(UInt.self) }
        func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(UInt8.self) }
        func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(UInt16.self) }
        func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(UInt32.self) }
        func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(UInt64.self) }
        func decode<T: Decodable>(_ type: T.Type) throws -> T { try decoder.decodeValue(T.self) }
    }
}
