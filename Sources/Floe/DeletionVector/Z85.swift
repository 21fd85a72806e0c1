/// The Z85 variant of Base85 (ZeroMQ RFC 32) that Delta uses for inline deletion vectors and for
/// the UUIDs naming deletion vector files: every 4 bytes (big-endian) become 5 characters of an
/// 85-character, JSON-friendly alphabet.
enum Z85 {
    static let alphabet: [UInt8] = Array("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#".utf8)

    /// Character → digit value, 0xFF for characters outside the alphabet.
    static let digits: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in alphabet.enumerated() { table[Int(c)] = UInt8(i) }
        return table
    }()

    /// Decodes `text`, whose length must be a multiple of 5, into `text.count / 5 * 4` bytes.
    /// Returns nil for a bad length, a character outside the alphabet, or a group above 2^32 - 1.
    static func decode(_ text: Substring) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 5 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(chars.count / 5 * 4)
        var i = 0
        while i < chars.count {
            var value: UInt64 = 0
            for k in 0..<5 {
                let d = digits[Int(chars[i + k])]
                if d == 0xFF { return nil }
                value = value * 85 + UInt64(d)
            }
            guard value <= UInt64(UInt32.max) else { return nil }
            out.append(UInt8(truncatingIfNeeded: value >> 24))
            out.append(UInt8(truncatingIfNeeded: value >> 16))
            out.append(UInt8(truncatingIfNeeded: value >> 8))
            out.append(UInt8(truncatingIfNeeded: value))
            i += 5
        }
        return out
    }

    /// Encodes `bytes`, zero-padded at the end to a multiple of 4 (as Delta's writers do).
    static func encode(_ bytes: [UInt8]) -> String {
        var padded = bytes
        while padded.count % 4 != 0 { padded.append(0) }
        var out: [UInt8] = []
        out.reserveCapacity(padded.count / 4 * 5)
        var i = 0
        while i < padded.count {
            var value = UInt32(padded[i]) << 24 | UInt32(padded[i + 1]) << 16 | UInt32(padded[i + 2]) << 8 | UInt32(padded[i + 3])
            var group = [UInt8](repeating: 0, count: 5)
            for k in stride(from: 4, through: 0, by: -1) {
                group[k] = alphabet[Int(value % 85)]
                value /= 85
            }
            out.append(contentsOf: group)
            i += 4
        }
        return String(decoding: out, as: UTF8.self)
    }
}
