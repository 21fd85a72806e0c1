import FloeColumnar

extension ThriftStruct {
    /// Decodes a value from `buffer` starting at byte `offset`, returning it with the number of
    /// bytes it occupied (for a page header: the offset of the page body is `offset + byteCount`).
    static func decode(from buffer: Buffer, at offset: Int = 0) throws -> (value: Self, byteCount: Int) {
        try buffer.withUnsafeBytes { try decode(from: $0, at: offset) }
    }
}
