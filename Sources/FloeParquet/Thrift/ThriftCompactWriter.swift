/// An encoder for the Thrift compact protocol, appending to a byte array.
///
/// Usage for a struct: `let saved = writer.beginStruct()`, then field writes in ascending field-id
/// order (`writeI32Field(1, ...)`, ...), then `writer.endStruct(saved)`, which writes the stop field.
///
/// Invariants: `bytes` always holds a prefix of a valid compact-protocol encoding; field headers use
/// the one-byte delta form whenever the id is 1...15 above the previous field id of the same struct
/// and the long form otherwise. Booleans follow the majority of Thrift implementations (Java, C++):
/// the list element type is 1 and list elements are written as 1 (true) / 2 (false).
struct ThriftCompactWriter {
    /// The encoded bytes so far.
    private(set) var bytes: [UInt8]
    /// The id of the last field written in the struct being encoded.
    private var lastFieldID: Int16 = 0

    /// An empty writer with room for `capacity` bytes.
    init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// The number of bytes written so far.
    var count: Int { bytes.count }

    // MARK: - Primitive values

    /// Appends one raw byte.
    @inline(__always)
    mutating func writeByte(_ byte: UInt8) {
        bytes.append(byte)
    }

    /// Appends an unsigned LEB128 varint.
    @inline(__always)
    mutating func writeVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(truncatingIfNeeded: v))
    }

    /// Appends an `i8`.
    mutating func writeI8(_ value: Int8) {
        bytes.append(UInt8(bitPattern: value))
    }

    /// Appends a zigzag varint `i16`.
    mutating func writeI16(_ value: Int16) {
        writeVarint(UInt64(UInt16(bitPattern: (value << 1) ^ (value >> 15))))
    }

    /// Appends a zigzag varint `i32`.
    @inline(__always)
    mutating func writeI32(_ value: Int32) {
        writeVarint(UInt64(UInt32(bitPattern: (value << 1) ^ (value >> 31))))
    }

    /// Appends a zigzag varint `i64`.
    @inline(__always)
    mutating func writeI64(_ value: Int64) {
        writeVarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    /// Appends a `double` (8 bytes, little-endian).
    mutating func writeDouble(_ value: Double) {
        let bits = value.bitPattern
        for shift in stride(from: 0, to: 64, by: 8) {
            bytes.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift)))
        }
    }

    /// Appends a boolean in its container-element form.
    mutating func writeBool(_ value: Bool) {
        bytes.append(value ? ThriftCompactType.boolTrue.rawValue : ThriftCompactType.boolFalse.rawValue)
    }

    /// Appends a length-prefixed binary.
    mutating func writeBinary(_ value: UnsafeRawBufferPointer) {
        writeVarint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    /// Appends a length-prefixed binary.
    mutating func writeBinary(_ value: [UInt8]) {
        writeVarint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    /// Appends a string as length-prefixed UTF-8.
    mutating func writeString(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            writeVarint(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    // MARK: - Containers

    /// The wire code of an element type (booleans always use code 1).
    @inline(__always)
    private static func elementCode(_ type: ThriftCompactType) -> UInt8 {
        type.isBool ? ThriftCompactType.boolTrue.rawValue : type.rawValue
    }

    /// Appends a list (or set) header.
    mutating func writeListHeader(elementType: ThriftCompactType, count: Int) {
        let code = Self.elementCode(elementType)
        if count < 15 {
            bytes.append(UInt8(truncatingIfNeeded: count) << 4 | code)
        } else {
            bytes.append(0xF0 | code)
            writeVarint(UInt64(count))
        }
    }

    /// Appends a map header.
    mutating func writeMapHeader(keyType: ThriftCompactType, valueType: ThriftCompactType, count: Int) {
        writeVarint(UInt64(count))
        if count > 0 { bytes.append(Self.elementCode(keyType) << 4 | Self.elementCode(valueType)) }
    }

    /// Appends a list header followed by one element per value, written by `element`.
    @inline(__always)
    mutating func writeList<Element>(of elementType: ThriftCompactType, _ values: [Element],
                                     _ element: (inout ThriftCompactWriter, Element) -> Void) {
        writeListHeader(elementType: elementType, count: values.count)
        for value in values { element(&self, value) }
    }

    // MARK: - Structs and fields

    /// Starts a struct; pass the result to ``endStruct(_:)``.
    @inline(__always)
    mutating func beginStruct() -> Int16 {
        let saved = lastFieldID
        lastFieldID = 0
        return saved
    }

    /// Writes the stop field of the struct started with ``beginStruct()``.
    @inline(__always)
    mutating func endStruct(_ saved: Int16) {
        bytes.append(ThriftCompactType.stop.rawValue)
        lastFieldID = saved
    }

    /// Appends a field header; boolean fields pass `.boolTrue` / `.boolFalse` as the type.
    @inline(__always)
    mutating func writeFieldHeader(id: Int16, type: ThriftCompactType) {
        let delta = Int(id) - Int(lastFieldID)
        if delta > 0 && delta <= 15 {
            bytes.append(UInt8(delta) << 4 | type.rawValue)
        } else {
            bytes.append(type.rawValue)
            writeI16(id)
        }
        lastFieldID = id
    }

    /// Writes a boolean field (the value is carried in the header).
    mutating func writeBoolField(_ id: Int16, _ value: Bool) {
        writeFieldHeader(id: id, type: value ? .boolTrue : .boolFalse)
    }

    /// Writes an `i8` field.
    mutating func writeI8Field(_ id: Int16, _ value: Int8) {
        writeFieldHeader(id: id, type: .byte)
        writeI8(value)
    }

    /// Writes an `i16` field.
    mutating func writeI16Field(_ id: Int16, _ value: Int16) {
        writeFieldHeader(id: id, type: .i16)
        writeI16(value)
    }

    /// Writes an `i32` field (also used for enumerations).
    @inline(__always)
    mutating func writeI32Field(_ id: Int16, _ value: Int32) {
        writeFieldHeader(id: id, type: .i32)
        writeI32(value)
    }

    /// Writes an `i64` field.
    @inline(__always)
    mutating func writeI64Field(_ id: Int16, _ value: Int64) {
        writeFieldHeader(id: id, type: .i64)
        writeI64(value)
    }

    /// Writes a `double` field.
    mutating func writeDoubleField(_ id: Int16, _ value: Double) {
        writeFieldHeader(id: id, type: .double)
        writeDouble(value)
    }

    /// Writes a binary field.
    mutating func writeBinaryField(_ id: Int16, _ value: [UInt8]) {
        writeFieldHeader(id: id, type: .binary)
        writeBinary(value)
    }

    /// Writes a string field.
    mutating func writeStringField(_ id: Int16, _ value: String) {
        writeFieldHeader(id: id, type: .binary)
        writeString(value)
    }

    /// Writes a struct-valued field.
    mutating func writeStructField<Value: ThriftStruct>(_ id: Int16, _ value: Value) {
        writeFieldHeader(id: id, type: .struct)
        value.write(to: &self)
    }

    /// Writes an empty struct as a field (the members of marker unions such as `LogicalType.STRING`).
    mutating func writeEmptyStructField(_ id: Int16) {
        writeFieldHeader(id: id, type: .struct)
        bytes.append(ThriftCompactType.stop.rawValue)
    }

    /// Writes a list-valued field.
    @inline(__always)
    mutating func writeListField<Element>(_ id: Int16, of elementType: ThriftCompactType, _ values: [Element],
                                          _ element: (inout ThriftCompactWriter, Element) -> Void) {
        writeFieldHeader(id: id, type: .list)
        writeList(of: elementType, values, element)
    }

    /// Writes a field holding a list of structs.
    mutating func writeStructListField<Element: ThriftStruct>(_ id: Int16, _ values: [Element]) {
        writeListField(id, of: .struct, values) { $1.write(to: &$0) }
    }
}
