extension DeletionVectorDescriptor {
    /// The file holding this deletion vector, relative to the table root: for storage type `u`,
    /// `<random prefix>/deletion_vector_<uuid>.bin` with the UUID decoded from the last 20 Z85
    /// characters of ``pathOrInlineDv``; for `p`, the absolute path when it lies inside the table;
    /// nil for inline (`i`) vectors.
    ///
    /// - Throws: ``DeltaError/Code/corruptLog`` for a malformed descriptor,
    ///   ``DeltaError/Code/pathEscapesTable`` for an absolute path outside the table,
    ///   ``DeltaError/Code/unsupportedFeature`` for an unknown storage type.
    public func relativePath(in storage: any LogStorage) throws -> String? {
        switch storageType {
        case "i":
            return nil
        case "u":
            let text = pathOrInlineDv
            guard text.utf8.count >= 20, text.unicodeScalars.allSatisfy(\.isASCII) else {
                throw DeltaError(.corruptLog, "deletion vector '\(text)' (storage type u) is shorter than the 20 characters of an encoded UUID")
            }
            let split = text.index(text.endIndex, offsetBy: -20)
            guard let uuid = Z85.decode(text[split...]), uuid.count == 16 else {
                throw DeltaError(.corruptLog, "deletion vector '\(text)' (storage type u) does not end in a Z85-encoded UUID")
            }
            let prefix = String(text[..<split])
            let name = "deletion_vector_" + Self.canonicalUUID(uuid) + ".bin"
            let path = prefix.isEmpty ? name : prefix + "/" + name
            return try TablePath.canonical(path) { reason in
                DeltaError(.pathEscapesTable, "deletion vector file '\(path)' (storage type u) \(reason); Floe reads only files inside the table \(storage.rootDescription)")
            }
        case "p":
            return try TablePath.relative(PathCoding.decodeURIPath(pathOrInlineDv), in: storage, what: "deletion vector file")
        default:
            throw DeltaError(.unsupportedFeature, "deletion vector storage type '\(storageType)' is unknown (Floe reads u, i and p)")
        }
    }

    /// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, lowercase.
    static func canonicalUUID(_ bytes: [UInt8]) -> String {
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for (i, b) in bytes.enumerated() {
            if i == 4 || i == 6 || i == 8 || i == 10 { out.append(UInt8(ascii: "-")) }
            out.append(hex[Int(b >> 4)])
            out.append(hex[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension DeletionVector {
    /// Loads the deletion vector a descriptor points at: decodes an inline (`i`) vector, or reads
    /// a DV file (`u`, `p`) — format version byte 1, then at ``DeletionVectorDescriptor/offset`` a
    /// big-endian size, the serialized bitmap and its big-endian CRC-32 — and checks the size,
    /// checksum and cardinality against the descriptor.
    ///
    /// - Parameters:
    ///   - descriptor: The `deletionVector` of an `add` action.
    ///   - storage: The table's storage.
    ///   - dataFile: The data file the vector belongs to, for messages.
    /// - Throws: ``DeltaError/Code/corruptData`` for a malformed, truncated or mismatching vector,
    ///   ``DeltaError/Code/fileNotFound`` when its file is missing, and the errors of
    ///   ``DeletionVectorDescriptor/relativePath(in:)``.
    public static func load(_ descriptor: DeletionVectorDescriptor, storage: any LogStorage, dataFile: String) throws -> DeletionVector {
        let size = descriptor.sizeInBytes
        let what = "deletion vector of data file '\(dataFile)'"
        guard size >= 12 else {
            throw DeltaError(.corruptLog, "\(what): sizeInBytes \(size) is too small for a serialized deletion vector")
        }
        let vector: DeletionVector
        let source: String
        if let path = try descriptor.relativePath(in: storage) {
            source = "file '\(path)'"
            let offset = Int64(descriptor.offset ?? 0)
            guard offset >= 0 else { throw DeltaError(.corruptLog, "\(what): negative offset \(offset)") }
            let bytes: [UInt8]
            do {
                let version = try storage.read(path, offset: 0, length: 1)
                guard version.first == 1 else {
                    throw DeltaError(.corruptData, "\(what) in \(source): format version \(version.first.map(String.init) ?? "missing (empty file)") is not 1")
                }
                bytes = try storage.read(path, offset: offset, length: 4 + size + 4)
            } catch let e as DeltaError where e.code == .fileNotFound {
                throw DeltaError(.fileNotFound, "\(what): \(source) is missing", underlying: e)
            }
            guard bytes.count >= 4 + size else {
                throw DeltaError(.corruptData, "\(what) in \(source) at offset \(offset): truncated (\(bytes.count) bytes where \(4 + size + 4) were expected)")
            }
            let stored = Int(UInt32(bytes[0]) << 24 | UInt32(bytes[1]) << 16 | UInt32(bytes[2]) << 8 | UInt32(bytes[3]))
            guard stored == size else {
                throw DeltaError(.corruptData, "\(what) in \(source) at offset \(offset): the file says the vector has \(stored) bytes, the log says \(size)")
            }
            if bytes.count >= 4 + size + 4 {
                let expected = UInt32(bytes[4 + size]) << 24 | UInt32(bytes[5 + size]) << 16 | UInt32(bytes[6 + size]) << 8 | UInt32(bytes[7 + size])
                let actual = CRC32.checksum(bytes[4..<(4 + size)])
                guard expected == actual else {
                    throw DeltaError(.corruptData, "\(what) in \(source) at offset \(offset): CRC-32 checksum mismatch (stored \(expected), computed \(actual))")
                }
            }
            do { vector = try DeletionVector.deserialize(bytes, range: 4..<(4 + size)) } catch let e as RoaringFormatError {
                throw DeltaError(.corruptData, "\(what) in \(source) at offset \(offset) is malformed: \(e.message)")
            }
        } else {
            source = "inline"
            let text = descriptor.pathOrInlineDv
            guard let decoded = Z85.decode(Substring(text)), decoded.count >= size, decoded.count - size < 4 else {
                throw DeltaError(.corruptLog, "inline \(what) is not Z85 text of \(size) bytes")
            }
            do { vector = try DeletionVector.deserialize(decoded, range: 0..<size) } catch let e as RoaringFormatError {
                throw DeltaError(.corruptLog, "inline \(what) is malformed: \(e.message)")
            }
        }
        guard vector.cardinality == descriptor.cardinality else {
            throw DeltaError(.corruptData, "\(what) (\(source)) deletes \(vector.cardinality) rows but the log says \(descriptor.cardinality)")
        }
        return vector
    }
}

/// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as zlib computes it.
enum CRC32 {
    static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        table.withUnsafeBufferPointer { t in
            for b in bytes { crc = t[Int((crc ^ UInt32(b)) & 0xFF)] ^ (crc >> 8) }
        }
        return crc ^ 0xFFFF_FFFF
    }
}
