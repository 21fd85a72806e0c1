/// A value that is encoded as one Thrift struct (or union) in the compact protocol.
///
/// Invariants for conforming types:
/// - `init(from:)` consumes exactly one struct, up to and including its stop field, skips fields it
///   does not know (or whose wire type does not match the definition, as Apache Thrift's generated
///   code does), and throws ``ParquetError/Code-swift.struct/invalidMetadata`` naming the struct and
///   field when a required field is missing.
/// - `write(to:)` emits fields in ascending id order, omitting `nil` optional fields, so that
///   `init(from:)` of the output reproduces an equal value.
protocol ThriftStruct: Sendable {
    /// Decodes one struct from the reader's current position.
    init(from reader: inout ThriftCompactReader) throws
    /// Encodes the struct, including its stop field.
    func write(to writer: inout ThriftCompactWriter)
}

extension ThriftStruct {
    /// Decodes a value from the start of `bytes` (trailing bytes are ignored).
    init(thriftBytes bytes: UnsafeRawBufferPointer) throws {
        var reader = ThriftCompactReader(bytes)
        try self.init(from: &reader)
    }

    /// Decodes a value from the start of `bytes` (trailing bytes are ignored).
    init(thriftBytes bytes: [UInt8]) throws {
        self = try bytes.withUnsafeBytes { try Self(thriftBytes: $0) }
    }

    /// Decodes a value from `bytes` starting at byte `offset`, returning it with the number of
    /// bytes it occupied.
    static func decode(from bytes: UnsafeRawBufferPointer, at offset: Int = 0) throws -> (value: Self, byteCount: Int) {
        guard offset >= 0, offset <= bytes.count else {
            throw ParquetError(.corrupt, "Thrift struct offset \(offset) is outside the \(bytes.count) bytes available")
        }
        var reader = ThriftCompactReader(bytes, position: offset)
        let value = try Self(from: &reader)
        return (value, reader.position - offset)
    }

    /// The compact-protocol encoding of the value.
    func thriftEncoded() -> [UInt8] {
        var writer = ThriftCompactWriter()
        write(to: &writer)
        return writer.bytes
    }
}

extension ThriftCompactReader {
    /// Decodes a struct whose fields are handled by `field`; `field` must consume the value of every
    /// field it is given (calling ``skip(_:)`` for fields it does not recognise).
    @inline(__always)
    mutating func readStruct(_ field: (inout ThriftCompactReader, ThriftFieldHeader) throws -> Void) throws {
        let saved = try beginStruct()
        while let header = try readFieldHeader() { try field(&self, header) }
        endStruct(saved)
    }
}

extension ThriftCompactWriter {
    /// Encodes a struct whose fields are written by `body`, followed by its stop field.
    @inline(__always)
    mutating func writeStruct(_ body: (inout ThriftCompactWriter) -> Void) {
        let saved = beginStruct()
        body(&self)
        endStruct(saved)
    }
}
