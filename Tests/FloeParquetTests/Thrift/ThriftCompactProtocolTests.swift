import Testing
@testable import FloeParquet

/// Decodes `bytes` with `body`, giving it a reader over the whole array.
private func read<T>(_ bytes: [UInt8], _ body: (inout ThriftCompactReader) throws -> T) throws -> T {
    try bytes.withUnsafeBytes { raw in
        var reader = ThriftCompactReader(raw)
        return try body(&reader)
    }
}

/// The error code of a `ParquetError` thrown by `body`, or `nil` if it did not throw.
private func errorCode(_ body: () throws -> Void) -> ParquetError.Code? {
    do {
        try body()
        return nil
    } catch let error as ParquetError {
        return error.code
    } catch {
        Issue.record("unexpected error type \(type(of: error)): \(error)")
        return nil
    }
}

private let zigzagCases: [(Int64, [UInt8])] = [
        (Int64(0), [UInt8(0x00)]), (-1, [0x01]), (1, [0x02]), (-2, [0x03]), (63, [0x7E]), (-64, [0x7F]),
        (64, [0x80, 0x01]), (150, [0xAC, 0x02]), (Int64(Int32.max), [0xFE, 0xFF, 0xFF, 0xFF, 0x0F]),
        (Int64(Int32.min), [0xFF, 0xFF, 0xFF, 0xFF, 0x0F]),
]

@Suite("Thrift compact protocol")
struct ThriftCompactProtocolTests {
    @Test("varints and zigzag integers match the wire format", arguments: zigzagCases)
    func zigzagI32(value: Int64, wire: [UInt8]) throws {
        var writer = ThriftCompactWriter()
        writer.writeI32(Int32(value))
        #expect(writer.bytes == wire)
        #expect(try read(wire) { try $0.readI32() } == Int32(value))
        #expect(try read(wire) { try $0.readI64() } == value)
    }

    @Test("i16 and i64 extremes round-trip")
    func integerExtremes() throws {
        for value in [Int16.min, -1, 0, 1, Int16.max] {
            var writer = ThriftCompactWriter()
            writer.writeI16(value)
            #expect(try read(writer.bytes) { try $0.readI16() } == value)
        }
        for value in [Int64.min, Int64.min + 1, -1, 0, 1, Int64.max - 1, Int64.max] {
            var writer = ThriftCompactWriter()
            writer.writeI64(value)
            #expect(writer.bytes.count <= 10)
            #expect(try read(writer.bytes) { try $0.readI64() } == value)
        }
        for value in [Int8.min, -1, 0, Int8.max] {
            var writer = ThriftCompactWriter()
            writer.writeI8(value)
            #expect(try read(writer.bytes) { try $0.readI8() } == value)
        }
    }

    @Test("over-long and out-of-range varints are invalid metadata")
    func badVarints() throws {
        let elevenBytes = [UInt8](repeating: 0x80, count: 10) + [0x01]
        #expect(errorCode { _ = try read(elevenBytes) { try $0.readVarint() } } == .invalidMetadata)
        let tenthByteTooBig = [UInt8](repeating: 0xFF, count: 9) + [0x02]
        #expect(errorCode { _ = try read(tenthByteTooBig) { try $0.readVarint() } } == .invalidMetadata)
        let maxU64 = [UInt8](repeating: 0xFF, count: 9) + [0x01]
        #expect(try read(maxU64) { try $0.readVarint() } == UInt64.max)
        #expect(errorCode { _ = try read([0x80, 0x80, 0x80, 0x80, 0x10]) { try $0.readI32() } } == .invalidMetadata)
        #expect(errorCode { _ = try read([0x80, 0x80, 0x04]) { try $0.readI16() } } == .invalidMetadata)
        #expect(errorCode { _ = try read([0x80, 0x80]) { try $0.readVarint() } } == .corrupt)
        #expect(errorCode { _ = try read([]) { try $0.readByte() } } == .corrupt)
    }

    @Test("doubles, binaries and strings round-trip")
    func scalars() throws {
        var writer = ThriftCompactWriter()
        writer.writeDouble(-1.5)
        writer.writeDouble(.infinity)
        writer.writeBinary([1, 2, 3])
        writer.writeString("héllo")
        writer.writeBinary([])
        #expect(Array(writer.bytes[0 ..< 8]) == [0, 0, 0, 0, 0, 0, 0xF8, 0xBF])
        try read(writer.bytes) { (r: inout ThriftCompactReader) throws in
            #expect(try r.readDouble() == -1.5)
            #expect(try r.readDouble() == .infinity)
            #expect(try r.readBinary() == [1, 2, 3])
            #expect(try r.readString() == "héllo")
            #expect(try r.readBinary() == [])
            #expect(r.remaining == 0)
        }
        #expect(errorCode { _ = try read([0, 0, 0]) { try $0.readDouble() } } == .corrupt)
    }

    @Test("a binary whose length exceeds the input throws without allocating")
    func lyingBinaryLength() {
        // Length 0xFFFFFFFF, then 2 bytes.
        #expect(errorCode { _ = try read([0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 1, 2]) { try $0.readBinary() } } == .corrupt)
        #expect(errorCode { _ = try read([0x05, 1, 2]) { try $0.readString() } } == .corrupt)
    }

    @Test("booleans in list form accept 1 as true and 0 or 2 as false")
    func listBooleans() throws {
        #expect(try read([1]) { try $0.readBool() } == true)
        #expect(try read([0]) { try $0.readBool() } == false)
        #expect(try read([2]) { try $0.readBool() } == false)
        #expect(errorCode { _ = try read([3]) { try $0.readBool() } } == .invalidMetadata)
        var writer = ThriftCompactWriter()
        writer.writeListField(1, of: .boolTrue, [true, false, true]) { $0.writeBool($1) }
        #expect(writer.bytes == [0x19, 0x31, 1, 2, 1])
        // A list<bool> whose element type is written as 2 (as some writers do) decodes too.
        let decoded = try read([0x22, 1, 0]) { r in try r.readList(of: .boolTrue, "test") { try $0.readBool() } }
        #expect(decoded == [true, false])
    }

    @Test("field headers use delta form up to 15 and long form beyond, and booleans ride in the header")
    func fieldHeaders() throws {
        var writer = ThriftCompactWriter()
        let saved = writer.beginStruct()
        writer.writeI32Field(1, 1)        // delta 1
        writer.writeBoolField(2, true)    // delta 1, type 1
        writer.writeBoolField(3, false)   // delta 1, type 2
        writer.writeI64Field(18, 5)       // delta 15
        writer.writeI32Field(40, 7)       // delta 22: long form
        writer.writeI32Field(3, 9)        // going back: long form
        writer.endStruct(saved)
        #expect(writer.bytes == [0x15, 0x02, 0x11, 0x12, 0xF6, 0x0A, 0x05, 0x50, 0x0E, 0x05, 0x06, 0x12, 0x00])

        let fields = try read(writer.bytes) { r -> [(Int16, ThriftCompactType)] in
            var fields: [(Int16, ThriftCompactType)] = []
            try r.readStruct { r, field in
                fields.append((field.id, field.type))
                try r.skip(field.type)
            }
            #expect(r.remaining == 0)
            return fields
        }
        #expect(fields.map(\.0) == [1, 2, 3, 18, 40, 3])
        #expect(fields.map(\.1) == [.i32, .boolTrue, .boolFalse, .i64, .i32, .i32])
    }

    @Test("nested structs restore the enclosing struct's last field id")
    func nestedFieldIDs() throws {
        var writer = ThriftCompactWriter()
        writer.writeStruct { w in
            w.writeI32Field(5, 1)
            w.writeFieldHeader(id: 6, type: .struct)
            w.writeStruct { w in w.writeI32Field(14, 2) }
            w.writeI32Field(7, 3)
        }
        let ids = try read(writer.bytes) { r -> [Int16] in
            var ids: [Int16] = []
            try r.readStruct { r, field in
                ids.append(field.id)
                if field.type == .struct {
                    try r.readStruct { r, inner in
                        ids.append(inner.id)
                        try r.skip(inner.type)
                    }
                } else {
                    try r.skip(field.type)
                }
            }
            return ids
        }
        #expect(ids == [5, 6, 14, 7])
    }

    @Test("list headers use the short form below 15 elements")
    func listHeaders() throws {
        for count in [0, 1, 14, 15, 16, 300] {
            var writer = ThriftCompactWriter()
            writer.writeList(of: .i32, (0 ..< count).map(Int32.init)) { $0.writeI32($1) }
            #expect(writer.bytes[0] == (count < 15 ? UInt8(count << 4) | 5 : 0xF5))
            let decoded = try read(writer.bytes) { r in try r.readList(of: .i32, "test") { try $0.readI32() } }
            #expect(decoded == (0 ..< count).map(Int32.init))
        }
    }

    @Test("a list of the wrong element type is invalid metadata")
    func wrongElementType() {
        #expect(errorCode { _ = try read([0x15, 0x02]) { r in try r.readList(of: .i64, "test") { try $0.readI64() } } } == .invalidMetadata)
    }

    @Test("a list count larger than the remaining bytes throws before allocating")
    func lyingListCount() {
        // list<i64> of 0xFFFFFFFF elements followed by 3 bytes.
        let bytes: [UInt8] = [0xF6, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 1, 2, 3]
        #expect(errorCode { _ = try read(bytes) { r in try r.readList(of: .i64, "test") { try $0.readI64() } } } == .corrupt)
        #expect(errorCode { try read(bytes) { try $0.skipElement(.list) } } == .corrupt)
        // list<double> of 2 elements but only 9 bytes.
        #expect(errorCode { try read([0x27] + [UInt8](repeating: 0, count: 9)) { try $0.skipElement(.list) } } == .corrupt)
        // map of 0x7FFFFFFF entries.
        #expect(errorCode { try read([0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0x55, 1, 2]) { try $0.skipElement(.map) } } == .corrupt)
    }

    @Test("maps are written and skipped")
    func maps() throws {
        var writer = ThriftCompactWriter()
        writer.writeStruct { w in
            w.writeFieldHeader(id: 1, type: .map)
            w.writeMapHeader(keyType: .binary, valueType: .list, count: 2)
            for key in ["a", "b"] {
                w.writeString(key)
                w.writeList(of: .double, [1.0, 2.0]) { $0.writeDouble($1) }
            }
            w.writeFieldHeader(id: 2, type: .map)
            w.writeMapHeader(keyType: .i32, valueType: .i32, count: 0)
            w.writeI32Field(3, 42)
        }
        #expect(writer.bytes[1 ... 2] == [0x02, 0x89])
        try read(writer.bytes) { r in
            var last: Int32?
            try r.readStruct { r, field in
                if field.id == 3 { last = try r.readI32() } else { try r.skip(field.type) }
            }
            #expect(last == 42)
            #expect(r.remaining == 0)
        }
        let header = try read([0x00]) { try $0.readMapHeader() }
        #expect(header.count == 0)
    }

    @Test("skip handles every type, including sets and nested containers")
    func skipEverything() throws {
        var writer = ThriftCompactWriter()
        writer.writeStruct { w in
            w.writeBoolField(1, true)
            w.writeI8Field(2, -3)
            w.writeI16Field(3, -300)
            w.writeI32Field(4, 70000)
            w.writeI64Field(5, -1 << 40)
            w.writeDoubleField(6, 3.25)
            w.writeBinaryField(7, [1, 2, 3])
            w.writeFieldHeader(id: 8, type: .set)
            w.writeListHeader(elementType: .binary, count: 2)
            w.writeString("x"); w.writeString("yz")
            w.writeListField(9, of: .list, [[true, false], []]) { w, inner in
                w.writeList(of: .boolTrue, inner) { $0.writeBool($1) }
            }
            w.writeListField(10, of: .struct, [Int32(1), 2]) { w, value in
                w.writeStruct { w in
                    w.writeI32Field(1, value)
                    w.writeFieldHeader(id: 2, type: .map)
                    w.writeMapHeader(keyType: .boolTrue, valueType: .struct, count: 1)
                    w.writeBool(true)
                    w.writeStruct { w in w.writeI8Field(1, 1) }
                }
            }
            w.writeListField(11, of: .byte, [Int8(1), 2, 3]) { $0.writeI8($1) }
            w.writeStringField(200, "far field")
        }
        try read(writer.bytes + [0xAA]) { r in
            try r.skip(.struct)
            #expect(r.position == writer.bytes.count)
        }
        // Every strict prefix is truncated: skipping must throw, not trap.
        for length in 0 ..< writer.bytes.count {
            let prefix = Array(writer.bytes[..<length])
            #expect(errorCode { try read(prefix) { try $0.skip(.struct) } } != nil)
        }
    }

    @Test("invalid type codes are invalid metadata")
    func invalidTypes() {
        #expect(errorCode { try read([0x1D, 0x00]) { try $0.skip(.struct) } } == .invalidMetadata)   // type 13
        #expect(errorCode { try read([0x10, 0x00]) { try $0.skip(.struct) } } == .invalidMetadata)   // delta 1, type stop
        #expect(errorCode { try read([0x10]) { try $0.skipElement(.list) } } == .invalidMetadata)    // element type 0
        #expect(errorCode { try read([0x01, 0xD5]) { try $0.skipElement(.map) } } == .invalidMetadata) // key type 13
    }

    @Test("deep nesting is refused instead of overflowing the stack", arguments: [ThriftCompactType.struct, .list, .map])
    func depthLimit(kind: ThriftCompactType) {
        let depth = 100_000
        var bytes: [UInt8] = []
        switch kind {
        case .struct:
            // field 1 of type struct, nested.
            bytes = [UInt8](repeating: 0x1C, count: depth) + [UInt8](repeating: 0x00, count: depth + 1)
        case .list:
            // list of one list of one list ...
            bytes = [UInt8](repeating: 0x19, count: depth) + [0x05, 0x00]
        default:
            // map of one (i32 -> map) entry ...
            bytes = Array([[UInt8]](repeating: [0x01, 0x5B, 0x00], count: depth).joined()) + [0x00]
        }
        let code = errorCode { try read(bytes) { try $0.skipElement(kind) } }
        #expect(code == .invalidMetadata)
        // Nesting within the limit is fine.
        let shallow = ThriftCompactReader.maxDepth - 1
        let ok: [UInt8] = [UInt8](repeating: 0x1C, count: shallow) + [UInt8](repeating: 0x00, count: shallow + 1)
        #expect(errorCode { try read(ok) { try $0.skipElement(.struct) } } == nil)
    }

    @Test("field ids wrap instead of trapping on delta overflow")
    func fieldIDOverflow() {
        // Long-form id 32767, then a delta-15 field header.
        let bytes: [UInt8] = [0x05, 0xFE, 0xFF, 0x03, 0x00, 0xF5, 0x00, 0x00]
        #expect(errorCode { try read(bytes) { try $0.skip(.struct) } } == nil)
    }
}
