extension DeletionVectorDescriptor {
    /// The file holding an on-disk deletion vector: for storage type `u`, the table-relative
    /// `<random prefix>/deletion_vector_<uuid>.bin` (the last 20 characters of ``pathOrInlineDv``
    /// are the Z85-encoded UUID); for `p`, the path given. Nil for inline vectors, or when the
    /// UUID does not decode.
    var filePath: String? {
        switch storageType {
        case "p":
            return pathOrInlineDv
        case "u":
            let chars = Array(pathOrInlineDv.utf8)
            guard chars.count >= 20, let bytes = Z85.decode(Array(chars.suffix(20))), bytes.count == 16 else { return nil }
            let hex = bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
            let h = Array(hex)
            let uuid = String(h[0..<8]) + "-" + String(h[8..<12]) + "-" + String(h[12..<16]) + "-" + String(h[16..<20]) + "-" + String(h[20..<32])
            let prefix = String(decoding: chars.dropLast(20), as: UTF8.self)
            let name = "deletion_vector_\(uuid).bin"
            return prefix.isEmpty ? name : prefix + "/" + name
        default:
            return nil
        }
    }
}

/// ZeroMQ's Z85 text encoding of binary data (4 bytes ↔ 5 characters), used by deletion vector
/// descriptors.
enum Z85 {
    static let alphabet = Array("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#".utf8)
    static let values: [UInt8: UInt32] = {
        var map: [UInt8: UInt32] = [:]
        for (i, c) in alphabet.enumerated() { map[c] = UInt32(i) }
        return map
    }()

    /// The bytes of Z85 text whose length is a multiple of 5; nil for invalid text.
    static func decode(_ text: [UInt8]) -> [UInt8]? {
        guard text.count % 5 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(text.count / 5 * 4)
        var i = 0
        while i < text.count {
            var value: UInt64 = 0
            for c in text[i..<(i + 5)] {
                guard let digit = values[c] else { return nil }
                value = value * 85 + UInt64(digit)
            }
            guard value <= UInt64(UInt32.max) else { return nil }
            out.append(contentsOf: [UInt8(value >> 24 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)])
            i += 5
        }
        return out
    }
}
