/// A decoder for the Thrift compact protocol, reading from borrowed memory.
///
/// The reader never owns its bytes: it is created inside a `withUnsafeBytes` scope and must not
/// outlive it. Decoded binaries and strings are copied out, so decoded values stay valid afterwards.
///
/// Invariants:
/// - `0 <= position <= bytes.count`; every read checks bounds first and throws rather than traps.
///   Running off the end is ``ParquetError/Code-swift.struct/corrupt`` (truncation); bytes that
///   cannot be Thrift at all (bad type codes, over-long varints, out-of-range values) are
///   ``ParquetError/Code-swift.struct/invalidMetadata``.
/// - Struct, list and map nesting is limited to ``maxDepth`` levels, so hostile input cannot
///   exhaust the stack; declared list, map and binary lengths are checked against the bytes that
///   remain before anything is allocated, so lying lengths throw instead of allocating.
/// - Every element of every container consumes at least one byte, so decoding and skipping run in
///   time linear in the input: a malformed input cannot make the reader loop without progress.
/// - After a throw the reader's state is unspecified; callers discard it.
struct ThriftCompactReader {
    /// The deepest nesting of structs, lists and maps accepted.
    static let maxDepth = 64
    /// The most elements a list decoder reserves room for before seeing them.
    static let maxListReservation = 4096

    /// The bytes being decoded (borrowed).
    let bytes: UnsafeRawBufferPointer
    /// The offset of the next byte to read; after decoding a struct it is the struct's end,
    /// so `position` minus the start offset is the number of bytes the struct occupied.
    private(set) var position: Int
    /// The id of the last field header read in the struct being decoded (field ids are delta coded).
    private var lastFieldID: Int16 = 0
    /// The current struct/container nesting depth.
    private var depth: Int = 0

    /// A reader over `bytes`, starting at byte `position`.
    init(_ bytes: UnsafeRawBufferPointer, position: Int = 0) {
        self.bytes = bytes
        self.position = Swift.min(Swift.max(position, 0), bytes.count)
    }

    /// The number of bytes not yet read.
    var remaining: Int { bytes.count &- position }

    // MARK: - Errors

    private func truncated(_ needed: Int) -> ParquetError {
        ParquetError(.corrupt, "Thrift data truncated: needed \(needed) byte(s) at offset \(position), \(remaining) remain")
    }

    private func invalid(_ what: String) -> ParquetError {
        ParquetError(.invalidMetadata, "Invalid Thrift data at offset \(position): \(what)")
    }

    // MARK: - Primitive values

    /// Reads one raw byte.
    @inline(__always)
    mutating func readByte() throws -> UInt8 {
        guard position < bytes.count else { throw truncated(1) }
        let byte = bytes[position]
        position &+= 1
        return byte
    }

    /// Skips `count` raw bytes.
    @inline(__always)
    mutating func skipBytes(_ count: Int) throws {
        guard count >= 0, count <= remaining else { throw truncated(count) }
        position &+= count
    }

    /// Reads an unsigned LEB128 varint of at most 10 bytes (64 bits).
    @inline(__always)
    mutating func readVarint() throws -> UInt64 {
        // Fast path: one-byte varints (small ids, counts, booleans in lists, sizes < 64) dominate.
        if position < bytes.count {
            let first = bytes[position]
            if first < 0x80 {
                position &+= 1
                return UInt64(first)
            }
        }
        return try readVarintSlow()
    }

    private mutating func readVarintSlow() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        var p = position
        let end = bytes.count
        while true {
            guard p < end else { throw truncated(p - position + 1) }
            let byte = bytes[p]
            p &+= 1
            if shift == 63 && byte > 1 { throw invalid("varint longer than 64 bits") }
            result |= UInt64(byte & 0x7F) &<< shift
            if byte < 0x80 {
                position = p
                return result
            }
            shift &+= 7
        }
    }

    /// Reads an unsigned varint that must fit in 32 bits (lengths and counts).
    @inline(__always)
    mutating func readVarint32() throws -> UInt32 {
        let value = try readVarint()
        guard value <= UInt64(UInt32.max) else { throw invalid("varint \(value) exceeds 32 bits") }
        return UInt32(truncatingIfNeeded: value)
    }

    /// Reads an `i8` (one raw byte, two's complement).
    @inline(__always)
    mutating func readI8() throws -> Int8 {
        Int8(bitPattern: try readByte())
    }

    /// Reads a zigzag varint `i16`.
    @inline(__always)
    mutating func readI16() throws -> Int16 {
        let value = try readVarint()
        guard value <= 0xFFFF else { throw invalid("i16 varint \(value) out of range") }
        let u = UInt16(truncatingIfNeeded: value)
        return Int16(bitPattern: (u >> 1) ^ (0 &- (u & 1)))
    }

    /// Reads a zigzag varint `i32`.
    @inline(__always)
    mutating func readI32() throws -> Int32 {
        let value = try readVarint()
        guard value <= 0xFFFF_FFFF else { throw invalid("i32 varint \(value) out of range") }
        let u = UInt32(truncatingIfNeeded: value)
        return Int32(bitPattern: (u >> 1) ^ (0 &- (u & 1)))
    }

    /// Reads a zigzag varint `i64`.
    @inline(__always)
    mutating func readI64() throws -> Int64 {
        let u = try readVarint()
        return Int64(bitPattern: (u >> 1) ^ (0 &- (u & 1)))
    }

    /// Reads a `double` (8 bytes, little-endian IEEE 754).
    mutating func readDouble() throws -> Double {
        guard remaining >= 8 else { throw truncated(8) }
        let bits = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self))
        position &+= 8
        return Double(bitPattern: bits)
    }

    /// Reads a boolean in its container-element form (one byte). `1` is true; `0` and `2` are
    /// false (writers disagree on the false value; both are in use).
    mutating func readBool() throws -> Bool {
        switch try readByte() {
        case 1: return true
        case 0, 2: return false
        case let other: throw invalid("byte \(other) is not a boolean")
        }
    }

    /// Reads the length prefix of a binary/string and checks it against the remaining bytes.
    @inline(__always)
    mutating func readBinaryLength() throws -> Int {
        let length = Int(try readVarint32())
        guard length <= remaining else {
            throw ParquetError(.corrupt, "Thrift binary of \(length) bytes at offset \(position) exceeds the \(remaining) bytes remaining")
        }
        return length
    }

    /// Reads a binary value without copying: the returned view aliases the input and is valid only
    /// as long as the memory the reader was created over.
    mutating func readBinaryView() throws -> UnsafeRawBufferPointer {
        let length = try readBinaryLength()
        let view = UnsafeRawBufferPointer(rebasing: bytes[position ..< position &+ length])
        position &+= length
        return view
    }

    /// Reads a binary value as a fresh array.
    mutating func readBinary() throws -> [UInt8] {
        Array(try readBinaryView())
    }

    /// Reads a string (binary decoded as UTF-8; invalid sequences become U+FFFD).
    mutating func readString() throws -> String {
        String(decoding: try readBinaryView(), as: UTF8.self)
    }

    // MARK: - Containers

    /// Decodes a type nibble used as a container element type.
    @inline(__always)
    private func elementType(_ code: UInt8) throws -> ThriftCompactType {
        guard code != 0, let type = ThriftCompactType(rawValue: code) else {
            throw invalid("\(code) is not a container element type")
        }
        return type
    }

    /// The fewest bytes one element of `type` can occupy in a container.
    @inline(__always)
    private static func minimumSize(of type: ThriftCompactType) -> Int {
        type == .double ? 8 : 1
    }

    /// Reads a list (or set) header. The count is checked against the remaining bytes.
    mutating func readListHeader() throws -> ThriftListHeader {
        let byte = try readByte()
        let type = try elementType(byte & 0x0F)
        var count = Int(byte >> 4)
        if count == 15 { count = Int(try readVarint32()) }
        guard count <= remaining / Self.minimumSize(of: type) else {
            throw ParquetError(.corrupt, "Thrift list of \(count) \(type) elements at offset \(position) exceeds the \(remaining) bytes remaining")
        }
        return ThriftListHeader(elementType: type, count: count)
    }

    /// Reads a map header. The count is checked against the remaining bytes.
    mutating func readMapHeader() throws -> ThriftMapHeader {
        let count = Int(try readVarint32())
        if count == 0 { return ThriftMapHeader(keyType: .stop, valueType: .stop, count: 0) }
        let types = try readByte()
        let keyType = try elementType(types >> 4)
        let valueType = try elementType(types & 0x0F)
        let entrySize = Self.minimumSize(of: keyType) + Self.minimumSize(of: valueType)
        guard count <= remaining / entrySize else {
            throw ParquetError(.corrupt, "Thrift map of \(count) entries at offset \(position) exceeds the \(remaining) bytes remaining")
        }
        return ThriftMapHeader(keyType: keyType, valueType: valueType, count: count)
    }

    /// Reads a whole list whose elements must have wire type `expected` (either boolean code
    /// matches a boolean list), calling `element` once per element.
    /// - Parameter context: names the field for error messages, e.g. `"ColumnMetaData.encodings"`.
    @inline(__always)
    mutating func readList<Element>(
        of expected: ThriftCompactType, _ context: StaticString,
        _ element: (inout ThriftCompactReader) throws -> Element
    ) throws -> [Element] {
        let header = try readListHeader()
        guard header.elementType == expected || (header.elementType.isBool && expected.isBool) else {
            throw ParquetError(.invalidMetadata, "\(context): expected list<\(expected)>, found list<\(header.elementType)>")
        }
        try enter()
        var result: [Element] = []
        // The count is bounded by the input, but a decoded element can be much larger than its
        // encoding (an all-optional struct is one byte), so reserve at most a modest amount up
        // front and let real elements grow the array.
        result.reserveCapacity(Swift.min(header.count, Self.maxListReservation))
        for _ in 0 ..< header.count { result.append(try element(&self)) }
        leave()
        return result
    }

    /// Reads a list of structs.
    mutating func readStructList<Element: ThriftStruct>(_ context: StaticString, of type: Element.Type = Element.self) throws -> [Element] {
        try readList(of: .struct, context) { try Element(from: &$0) }
    }

    // MARK: - Structs

    @inline(__always)
    private mutating func enter() throws {
        depth &+= 1
        guard depth <= Self.maxDepth else {
            throw invalid("nesting deeper than \(Self.maxDepth) levels")
        }
    }

    @inline(__always)
    private mutating func leave() { depth &-= 1 }

    /// Starts decoding a struct: call before the first ``readFieldHeader()`` of a struct and pass
    /// the result to ``endStruct(_:)`` after its stop field.
    @inline(__always)
    mutating func beginStruct() throws -> Int16 {
        try enter()
        let saved = lastFieldID
        lastFieldID = 0
        return saved
    }

    /// Finishes decoding a struct started with ``beginStruct()``.
    @inline(__always)
    mutating func endStruct(_ saved: Int16) {
        lastFieldID = saved
        leave()
    }

    /// Reads the next field header of the current struct, or returns `nil` at its stop field.
    @inline(__always)
    mutating func readFieldHeader() throws -> ThriftFieldHeader? {
        let byte = try readByte()
        if byte == 0 { return nil }
        guard let type = ThriftCompactType(rawValue: byte & 0x0F), type != .stop else {
            throw invalid("\(byte & 0x0F) is not a field type")
        }
        let delta = byte >> 4
        let id = delta != 0 ? lastFieldID &+ Int16(delta) : try readI16()
        lastFieldID = id
        return ThriftFieldHeader(id: id, type: type)
    }

    // MARK: - Skipping

    /// Skips the value of a field whose header has wire type `type` (a boolean field has no
    /// payload). Nested structs, lists, sets and maps are skipped whole, up to ``maxDepth`` levels.
    mutating func skip(_ type: ThriftCompactType) throws {
        if type.isBool { return }
        try skipElement(type)
    }

    /// Skips one container element of wire type `type` (a boolean element is one byte).
    mutating func skipElement(_ type: ThriftCompactType) throws {
        switch type {
        case .stop:
            throw invalid("stop is not a value type")
        case .boolTrue, .boolFalse, .byte:
            try skipBytes(1)
        case .i16, .i32, .i64:
            _ = try readVarint()
        case .double:
            try skipBytes(8)
        case .binary:
            try skipBytes(try readBinaryLength())
        case .list, .set:
            let header = try readListHeader()
            switch header.elementType {
            case .boolTrue, .boolFalse, .byte:
                try skipBytes(header.count)
            case .double:
                try skipBytes(header.count * 8)
            default:
                try enter()
                for _ in 0 ..< header.count { try skipElement(header.elementType) }
                leave()
            }
        case .map:
            let header = try readMapHeader()
            try enter()
            for _ in 0 ..< header.count {
                try skipElement(header.keyType)
                try skipElement(header.valueType)
            }
            leave()
        case .struct:
            let saved = try beginStruct()
            while let field = try readFieldHeader() { try skip(field.type) }
            endStruct(saved)
        }
    }
}

extension Optional {
    /// The wrapped value of a required Thrift field, or an ``ParquetError/Code-swift.struct/invalidMetadata``
    /// error naming the missing field (`name` is e.g. `"FileMetaData.version"`).
    @inline(__always)
    func thriftRequired(_ name: StaticString) throws -> Wrapped {
        guard let value = self else {
            throw ParquetError(.invalidMetadata, "Required Thrift field \(name) is missing")
        }
        return value
    }
}

extension ThriftCompactReader {
    /// Checks that the required fields of a struct were all present: bit `i` of `seen` is set when
    /// the `i`-th required field was decoded; `names` lists those fields (e.g.
    /// `"DataPageHeader.num_values"`) and is only evaluated when one is missing, so hot decoders
    /// pay nothing for the error message.
    @inline(__always)
    static func requireFields(_ seen: UInt32, count: Int, _ names: @autoclosure () -> [StaticString]) throws {
        let all: UInt32 = count >= 32 ? .max : (1 << UInt32(count)) &- 1
        guard seen & all == all else { throw missingField(seen, names()) }
    }

    private static func missingField(_ seen: UInt32, _ names: [StaticString]) -> ParquetError {
        let index = names.indices.first { seen & (1 << UInt32($0)) == 0 } ?? 0
        let name = names.isEmpty ? "?" : names[index].description
        return ParquetError(.invalidMetadata, "Required Thrift field \(name) is missing")
    }
}
