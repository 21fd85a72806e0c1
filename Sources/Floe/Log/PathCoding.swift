/// Encoding and decoding of file paths as they appear in the log, and Hive-style partition
/// directory names.
public enum PathCoding {
    /// Decodes a path from the log: `add.path`, `remove.path` and `cdc.path` are URI references, so
    /// `%XX` escapes are decoded (`%20` → space, `%25` → `%`).
    ///
    /// A `%` not followed by two hex digits is kept literally, and a result that is not valid UTF-8
    /// leaves the input unchanged, so decoding never fails.
    public static func decodeURIPath(_ path: String) -> String {
        guard path.utf8.contains(UInt8(ascii: "%")) else { return path }
        var out: [UInt8] = []
        out.reserveCapacity(path.utf8.count)
        let bytes = Array(path.utf8)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "%"), i + 2 < bytes.count,
               let hi = hexValue(bytes[i + 1]), let lo = hexValue(bytes[i + 2]) {
                out.append(hi << 4 | lo)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(validating: out, as: UTF8.self) ?? path
    }

    /// Encodes a table-relative file path for the log, as Spark's `Path.toUri` does: ASCII
    /// letters, digits, `-._~`, `!$&'()*+,;=:@/` and non-ASCII characters are kept; everything
    /// else (space, `%`, `#`, `?`, `"`, `<`, `>`, `\`, `^`, backtick, `{|}`, `[`, `]`, control
    /// characters) is percent-encoded with uppercase hex.
    ///
    /// Invariant: `decodeURIPath(encodeURIPath(p)) == p`.
    public static func encodeURIPath(_ path: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(path.utf8.count)
        for byte in path.utf8 {
            if byte >= 0x80 || uriKeep[Int(byte)] {
                out.append(byte)
            } else {
                out.append(UInt8(ascii: "%"))
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The directory name Spark and Hive use for a null (or empty string) partition value.
    public static let hiveDefaultPartition = "__HIVE_DEFAULT_PARTITION__"

    /// Escapes a partition column name or value for use in a directory name, exactly as Spark's
    /// `ExternalCatalogUtils.escapePathName` does on POSIX systems: the characters U+0000–U+001F,
    /// `"`, `#`, `%`, `'`, `*`, `/`, `:`, `=`, `?`, `\`, U+007F, `{`, `[`, `]` and `^` become
    /// `%XX` (uppercase hex); everything else, including non-ASCII text, is kept.
    public static func escapePartitionName(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value < 0x80 && partitionEscape[Int(value)] {
                out.append("%")
                out.append(Character(Unicode.Scalar(hexDigits[Int(value >> 4)])))
                out.append(Character(Unicode.Scalar(hexDigits[Int(value & 0x0F)])))
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Reverses ``escapePartitionName(_:)``: every `%XX` with two hex digits becomes that
    /// character; anything else is kept.
    public static func unescapePartitionName(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "%")) else { return text }
        var out: [UInt8] = []
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "%"), i + 2 < bytes.count,
               let hi = hexValue(bytes[i + 1]), let lo = hexValue(bytes[i + 2]) {
                // %XX denotes the character U+00XX, as in Spark (which works on UTF-16 chars).
                appendUTF8(UInt32(hi << 4 | lo), to: &out)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The relative directory for a file with the given partition values, e.g.
    /// `year=2024/city=S%3AF`: one `name=value` segment per partition column in order, both parts
    /// escaped, null and empty values written as ``hiveDefaultPartition``.
    public static func partitionDirectory(columns: [String], values: [String: String?]) -> String {
        columns.map { column in
            let value = values[column] ?? nil
            let text: String
            if let value, !value.isEmpty { text = escapePartitionName(value) } else { text = hiveDefaultPartition }
            return escapePartitionName(column) + "=" + text
        }.joined(separator: "/")
    }

    /// Parses a partition directory path such as `a=1/b=__HIVE_DEFAULT_PARTITION__` into ordered
    /// (column, value) pairs, unescaping both parts; the default partition becomes `nil`.
    ///
    /// - Throws: ``DeltaError/Code/invalidArgument`` when a segment has no `=`.
    public static func parsePartitionDirectory(_ path: String) throws -> [(column: String, value: String?)] {
        try path.split(separator: "/", omittingEmptySubsequences: true).map { segment in
            guard let eq = segment.firstIndex(of: "=") else {
                throw DeltaError(.invalidArgument, "partition directory segment '\(segment)' has no '='")
            }
            let column = unescapePartitionName(String(segment[..<eq]))
            let raw = String(segment[segment.index(after: eq)...])
            return (column, raw == hiveDefaultPartition ? nil : unescapePartitionName(raw))
        }
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }

    static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    static let partitionEscape: [Bool] = {
        var table = [Bool](repeating: false, count: 128)
        for i in 0..<0x20 { table[i] = true }
        for c in "\"#%'*/:=?\\{[]^".utf8 { table[Int(c)] = true }
        table[0x7F] = true
        return table
    }()

    static let uriKeep: [Bool] = {
        var table = [Bool](repeating: false, count: 128)
        for c in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@/".utf8 {
            table[Int(c)] = true
        }
        return table
    }()
}
