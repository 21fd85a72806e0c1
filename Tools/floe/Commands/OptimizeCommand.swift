import ArgumentParser
import Foundation
import Floe
import FloeColumnar

/// `floe optimize TABLE [--target-size BYTES] [--where PREDICATE]`: compact small files.
struct OptimizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "optimize",
        abstract: "Compact a table's small files into larger ones (bin-packing within each partition).",
        discussion: """
        Files smaller than the target size are packed, smallest first, into files of up to the \
        target size; each group of two or more is rewritten as one file and everything is committed \
        as one OPTIMIZE version (dataChange=false: readers of the change data feed see no change). \
        Concurrent appends do not conflict with it. Prints each compaction and the version \
        committed.

        Examples:
          floe optimize /data/events
          floe optimize /data/events --target-size 64MiB --where "day = '2024-05-01'"
        """)

    @Argument(help: "The table directory.")
    var table: String

    @Option(help: ArgumentHelp("Pack files up to this size: bytes, or with a suffix KiB/MiB/GiB (also K/M/G) or KB/MB/GB.", valueName: "size"),
            transform: { text in
                guard let bytes = OptimizeCommand.byteCount(text) else {
                    throw ValidationError("--target-size expects a positive number of bytes (e.g. 134217728 or 128MiB), got '\(text)'")
                }
                return bytes
            })
    var targetSize: Int64 = 128 * 1024 * 1024

    @Option(name: .customLong("where"), help: ArgumentHelp("Only compact the partitions matching this condition on partition columns.", valueName: "predicate"))
    var condition: String?

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    func run() throws {
        let floeTable = Table(path: table)
        let schema = try floeTable.snapshot().arrowSchema()
        // A predicate that does not parse against the table is a usage error (Spec/CLI.md).
        let parsed: Condition?
        do { parsed = try condition.map { try Condition(sql: $0, schema: schema) } } catch {
            throw ValidationError("--where: \(FloeCommand.describe(error))")
        }
        let result = try floeTable.optimize(targetFileSize: targetSize, where: parsed)
        switch format {
        case .text: try StandardOutput.shared.write(Self.text(result, targetSize: targetSize))
        case .json: try StandardOutput.shared.line(Self.json(result))
        }
    }

    /// A byte count with an optional unit suffix; nil unless positive.
    static func byteCount(_ text: String) -> Int64? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let digits = trimmed.prefix { $0.isASCII && $0.isNumber }
        let unit = trimmed.dropFirst(digits.count).trimmingCharacters(in: .whitespaces).lowercased()
        let multipliers: [String: Int64] = [
            "": 1, "b": 1, "k": 1 << 10, "kib": 1 << 10, "m": 1 << 20, "mib": 1 << 20, "g": 1 << 30, "gib": 1 << 30,
            "kb": 1_000, "mb": 1_000_000, "gb": 1_000_000_000,
        ]
        guard let value = Int64(digits), let multiplier = multipliers[unit] else { return nil }
        let (bytes, overflow) = value.multipliedReportingOverflow(by: multiplier)
        return overflow || bytes <= 0 ? nil : bytes
    }

    /// The partition a compacted file belongs to, as its Hive directory (`(table)` when unpartitioned).
    static func partitionLabel(_ compaction: OptimizeResult.Compaction) -> String {
        let path = PathCoding.decodeURIPath(compaction.addedFile)
        guard let slash = path.lastIndex(of: "/") else { return "(table)" }
        return String(path[..<slash])
    }

    static func text(_ result: OptimizeResult, targetSize: Int64) -> String {
        guard let version = result.version else {
            return "nothing to compact: \(result.consideredFiles) file\(result.consideredFiles == 1 ? "" : "s") considered, no two can be combined below \(targetSize) bytes\n"
        }
        var out = ""
        for c in result.compactions {
            out += "\(partitionLabel(c)): \(c.removedFiles.count) files (\(c.removedBytes) bytes) -> \(PathCoding.decodeURIPath(c.addedFile)) (\(c.addedBytes) bytes, \(c.rows) rows)\n"
        }
        out += "version \(version): compacted \(result.filesRemoved) files (\(result.bytesRemoved) bytes) into \(result.filesAdded) (\(result.bytesAdded) bytes) in \(result.partitionsOptimized) partition\(result.partitionsOptimized == 1 ? "" : "s"); \(result.skippedFiles) of \(result.consideredFiles) considered files left as they were\n"
        return out
    }

    static func json(_ result: OptimizeResult) -> String {
        var s = "{\"version\":" + (result.version.map(String.init) ?? "null")
        s += ",\"filesRemoved\":\(result.filesRemoved),\"filesAdded\":\(result.filesAdded),\"bytesRemoved\":\(result.bytesRemoved),\"bytesAdded\":\(result.bytesAdded)"
        s += ",\"partitionsOptimized\":\(result.partitionsOptimized),\"consideredFiles\":\(result.consideredFiles),\"skippedFiles\":\(result.skippedFiles)"
        s += ",\"compactions\":[" + result.compactions.map { c in
            var o = "{\"partition\":{"
            o += c.partitionValues.keys.sorted().map { key in
                var kv = ""
                ValueEncoding.appendString(key, to: &kv)
                kv += ":"
                if let value = c.partitionValues[key] ?? nil { ValueEncoding.appendString(value, to: &kv) } else { kv += "null" }
                return kv
            }.joined(separator: ",")
            o += "},\"removedFiles\":[" + c.removedFiles.map { path in
                var p = ""
                ValueEncoding.appendString(PathCoding.decodeURIPath(path), to: &p)
                return p
            }.joined(separator: ",") + "]"
            o += ",\"addedFile\":"
            ValueEncoding.appendString(PathCoding.decodeURIPath(c.addedFile), to: &o)
            o += ",\"removedBytes\":\(c.removedBytes),\"addedBytes\":\(c.addedBytes),\"rows\":\(c.rows)}"
            return o
        }.joined(separator: ",") + "]}"
        return s
    }
}
