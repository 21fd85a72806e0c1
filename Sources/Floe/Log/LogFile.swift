/// A file in `_delta_log` whose name Floe understands, with the version it belongs to.
public struct LogFile: Sendable, Hashable {
    /// What kind of log file this is.
    public enum Kind: Sendable, Hashable {
        /// `%020d.json`: the commit for ``LogFile/version``.
        case commit
        /// `%020d.checkpoint.parquet`.
        case classicCheckpoint
        /// `%020d.checkpoint.%010d.%010d.parquet`: part `part` of `parts` (1-based).
        case multiPartCheckpoint(part: Int, parts: Int)
        /// `%020d.checkpoint.<uuid>.json` or `.parquet`: a V2 checkpoint.
        case uuidCheckpoint(uuid: String, isJSON: Bool)
        /// `%020d.%020d.compacted.json`: the reconciled actions of commits `version...endVersion`.
        case compaction(endVersion: Int64)
        /// `%020d.crc`: a version checksum file.
        case checksum
    }

    /// The file as listed by storage.
    public let entry: FileEntry
    /// The table version the file belongs to (the start version for compactions).
    public let version: Int64
    /// The kind of file.
    public let kind: Kind

    /// Recognizes a log file by name; returns `nil` for names that are not Delta log files
    /// (temporary files, `_last_checkpoint`, directories, …).
    public init?(entry: FileEntry) {
        guard !entry.isDirectory else { return nil }
        let name = entry.name.utf8
        guard name.count > 20 else { return nil }
        var version: Int64 = 0
        var index = name.startIndex
        for _ in 0..<20 {
            let c = name[index]
            guard c >= 0x30 && c <= 0x39 else { return nil }
            let (times10, overflow1) = version.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = times10.addingReportingOverflow(Int64(c - 0x30))
            guard !overflow1, !overflow2 else { return nil }
            version = next
            index = name.index(after: index)
        }
        guard version >= 0 else { return nil }
        let rest = Substring(entry.name).dropFirst(20)
        let kind: Kind
        if rest == ".json" {
            kind = .commit
        } else if rest == ".crc" {
            kind = .checksum
        } else if rest == ".checkpoint.parquet" {
            kind = .classicCheckpoint
        } else if rest.hasPrefix(".checkpoint.") {
            let tail = rest.dropFirst(".checkpoint.".count)
            let parts = tail.split(separator: ".", omittingEmptySubsequences: false)
            if parts.count == 3, parts[2] == "parquet", parts[0].count == 10, parts[1].count == 10,
               let part = Int(parts[0]), let total = Int(parts[1]), part >= 1, part <= total {
                kind = .multiPartCheckpoint(part: part, parts: total)
            } else if parts.count == 2, parts[1] == "json" || parts[1] == "parquet", Self.isUUID(parts[0]) {
                kind = .uuidCheckpoint(uuid: String(parts[0]), isJSON: parts[1] == "json")
            } else {
                return nil
            }
        } else if rest.hasSuffix(".compacted.json"), rest.count == 1 + 20 + ".compacted.json".count,
                  let end = Int64(rest.dropFirst().prefix(20)), end > version {
            kind = .compaction(endVersion: end)
        } else {
            return nil
        }
        self.entry = entry
        self.version = version
        self.kind = kind
    }

    static func isUUID(_ text: Substring) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 36 else { return false }
        for (i, b) in bytes.enumerated() {
            if i == 8 || i == 13 || i == 18 || i == 23 {
                if b != UInt8(ascii: "-") { return false }
            } else if PathCoding.hexValue(b) == nil {
                return false
            }
        }
        return true
    }

    /// The file name of the commit for `version`: `%020d.json`.
    public static func commitName(_ version: Int64) -> String { versionPrefix(version) + ".json" }

    /// The table-relative path of the commit for `version`.
    public static func commitPath(_ version: Int64) -> String { "_delta_log/" + commitName(version) }

    /// `version` zero-padded to 20 digits.
    public static func versionPrefix(_ version: Int64) -> String {
        let digits = String(version)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits
    }

    /// Whether this file is a checkpoint (or part of one).
    public var isCheckpoint: Bool {
        switch kind {
        case .classicCheckpoint, .multiPartCheckpoint, .uuidCheckpoint: true
        default: false
        }
    }
}
