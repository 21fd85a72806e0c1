/// Reading and writing the footer at the end of a Parquet file:
/// `<FileMetaData, compact Thrift> <metadata length: UInt32 little-endian> "PAR1"`.
extension FileMetaData {
    /// The magic bytes that open and close a plaintext-footer Parquet file.
    static let magic: [UInt8] = Array("PAR1".utf8)
    /// The magic bytes that close a Parquet file with an encrypted footer.
    static let encryptedFooterMagic: [UInt8] = Array("PARE".utf8)
    /// The length of the trailer: metadata length (4 bytes) and magic (4 bytes).
    static let trailerLength = 8

    /// The byte length of the footer metadata, read from the last 8 bytes of `fileTail` (any suffix
    /// of the file at least 8 bytes long).
    ///
    /// - Throws: ``ParquetError/Code-swift.struct/corrupt`` if the tail is shorter than 8 bytes, the
    ///   magic is wrong or the length is negative; ``ParquetError/Code-swift.struct/unsupported`` for
    ///   an encrypted footer (`PARE`).
    static func footerLength(fileTail: UnsafeRawBufferPointer) throws -> Int {
        guard fileTail.count >= trailerLength else {
            throw ParquetError(.corrupt, "Parquet file too short for a footer: \(fileTail.count) bytes")
        }
        let trailer = UnsafeRawBufferPointer(rebasing: fileTail[(fileTail.count - trailerLength)...])
        let magicBytes = trailer[4 ..< 8]
        if magicBytes.elementsEqual(encryptedFooterMagic) {
            throw ParquetError(.unsupported, "Parquet files with an encrypted footer are not supported")
        }
        guard magicBytes.elementsEqual(magic) else {
            throw ParquetError(.corrupt, "Parquet footer magic is not PAR1: \(Array(magicBytes))")
        }
        let length = Int32(littleEndian: trailer.loadUnaligned(fromByteOffset: 0, as: Int32.self))
        guard length >= 0 else {
            throw ParquetError(.corrupt, "Parquet footer length is negative (\(length))")
        }
        return Int(length)
    }

    /// Decodes the footer from `fileTail`, a suffix of the file that holds the whole footer metadata
    /// followed by the 8-byte trailer (it may hold more bytes before the metadata).
    ///
    /// - Throws: ``ParquetError/Code-swift.struct/corrupt`` if the tail does not hold the whole
    ///   footer (read `footerLength(fileTail:) + 8` bytes from the end and retry), and every error of
    ///   ``footerLength(fileTail:)`` and ``init(footerBytes:)-(UnsafeRawBufferPointer)``.
    static func decodeFooter(fileTail: UnsafeRawBufferPointer) throws -> FileMetaData {
        let length = try footerLength(fileTail: fileTail)
        guard length <= fileTail.count - trailerLength else {
            throw ParquetError(.corrupt, "Parquet footer of \(length) bytes does not fit in the \(fileTail.count - trailerLength) bytes before the trailer")
        }
        let start = fileTail.count - trailerLength - length
        return try FileMetaData(footerBytes: UnsafeRawBufferPointer(rebasing: fileTail[start ..< start + length]))
    }

    /// Decodes the footer from `fileTail` (see ``decodeFooter(fileTail:)-(UnsafeRawBufferPointer)``).
    static func decodeFooter(fileTail: [UInt8]) throws -> FileMetaData {
        try fileTail.withUnsafeBytes { try decodeFooter(fileTail: $0) }
    }

    /// Decodes the footer metadata itself (the Thrift bytes, without the trailer).
    init(footerBytes: UnsafeRawBufferPointer) throws {
        try self.init(thriftBytes: footerBytes)
    }

    /// Decodes the footer metadata itself (the Thrift bytes, without the trailer).
    init(footerBytes: [UInt8]) throws {
        try self.init(thriftBytes: footerBytes)
    }

    /// The complete footer to append after the last row group: the encoded metadata, its length
    /// and the magic.
    func encodedFooter() -> [UInt8] {
        var writer = ThriftCompactWriter(capacity: 4096)
        write(to: &writer)
        var bytes = writer.bytes
        let length = UInt32(truncatingIfNeeded: bytes.count)
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: length >> UInt32(shift))) }
        bytes.append(contentsOf: Self.magic)
        return bytes
    }
}
