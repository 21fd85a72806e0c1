import Foundation
import Synchronization

/// A named consumer of a table's stream whose committed offset is kept durably in the table,
/// under `_floe/groups/<name>/`, so that a restarted consumer (in any process, on any machine
/// sharing the storage) continues where the last one committed.
///
/// Layout: each commit of an offset writes a new file `_floe/groups/<name>/<n>.json` (`n` zero
/// padded to 20 digits, one more than the highest present) with put-if-absent
/// (``LogStorage/writeIfAbsent(_:contents:)``), holding the ``StreamOffset`` JSON. The committed
/// offset is the one in the highest-numbered file. A file is never rewritten, so a reader never
/// sees a partial offset, and a crash leaves either the old or the new offset. The 10 newest
/// files are kept; older ones are deleted after a commit.
///
/// Delta readers ignore `_floe` (it is neither `_delta_log` nor a data file of the log), and so
/// does VACUUM of every engine (names starting with `_` are hidden), Floe's included.
///
/// Delivery: commit an offset only after the rows before it are processed. A crash between
/// processing and committing re-delivers those rows (at-least-once), never skips any.
///
/// Two consumers committing the same group at once conflict: the loser's commit throws
/// ``DeltaError/Code/conflict``.
public struct ConsumerGroup: Sendable {
    /// The group's name.
    public let name: String
    /// The table whose stream the group consumes (and where its offsets live).
    public let table: Table
    /// The number of the last offset file this value (or a copy) wrote or read.
    let lastNumber = LastOffsetFile()

    /// How many offset files a commit keeps.
    static let retainedFiles: Int64 = 10

    /// A group of `table`.
    ///
    /// - Throws: ``DeltaError/Code/invalidArgument`` for a name that is empty, longer than 200
    ///   bytes, `.` or `..`, starts with `.`, or contains `/`, `\` or control characters.
    public init(name: String, table: Table) throws {
        try Self.validate(name: name)
        self.name = name
        self.table = table
    }

    /// Checks a group name (see ``init(name:table:)``).
    public static func validate(name: String) throws {
        let problem: String? =
            if name.isEmpty { "is empty" }
            else if name.utf8.count > 200 { "is longer than 200 bytes" }
            else if name.contains("/") || name.contains("\\") { "contains a path separator" }
            else if name == "." || name == ".." { "is '\(name)'" }
            else if name.hasPrefix(".") { "starts with '.'" }
            else if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0.value == 0x7F }) { "contains control characters" }
            else { nil }
        if let problem {
            let shown = name.unicodeScalars.map { $0.properties.generalCategory == .control ? "\\u{\(String($0.value, radix: 16))}" : String($0) }.joined()
            throw DeltaError(.invalidArgument, "consumer group name '\(shown)' \(problem); use letters, digits, '-', '_' and '.'")
        }
    }

    /// The directory of the group's offset files, relative to the table root.
    public var directory: String { "_floe/groups/\(name)" }

    /// The committed offset, or nil when the group has never committed (a new group).
    ///
    /// - Throws: ``DeltaError/Code/corruptLog`` for an offset file that is not a valid offset
    ///   (naming it); storage errors.
    public func committedOffset() throws -> StreamOffset? {
        guard let (number, path) = try newestFile() else { return nil }
        lastNumber.set(number)
        let bytes = try table.storage.read(path)
        do {
            return try StreamOffset(json: String(decoding: bytes, as: UTF8.self))
        } catch let e as DeltaError {
            throw DeltaError(.corruptLog, "offset file \(path) of consumer group '\(name)' is not a valid stream offset: \(e.message)", underlying: e)
        }
    }

    /// Durably commits `offset` as the group's position.
    ///
    /// - Throws: ``DeltaError/Code/conflict`` when another consumer committed the group since this
    ///   value last read or wrote it; storage errors.
    public func commit(_ offset: StreamOffset) throws {
        let previous = try lastNumber.value ?? newestFile()?.number ?? 0
        let (number, overflow) = previous.addingReportingOverflow(1)
        guard !overflow else {
            throw DeltaError(.corruptLog, "consumer group '\(name)' of \(table.root) has an offset file numbered \(previous): no later one can be written")
        }
        let path = "\(directory)/\(LogFile.versionPrefix(number)).json"
        let contents = Array(try offset.json().utf8) + [0x0A]
        let concurrent = "consumer group '\(name)' of \(table.root): another consumer committed the group since this one last read it (offset file \(number)); a group is consumed by one consumer at a time"
        guard try table.storage.writeIfAbsent(path, contents: contents) == .written else {
            throw DeltaError(.conflict, concurrent)
        }
        // Fencing: a stale consumer's number may be free again because old files were cleaned up
        // after another consumer went far ahead; then ours is not the newest, and it must not pass
        // for a commit.
        if let newest = try newestFile(), newest.number > number {
            try? table.storage.delete(path)
            throw DeltaError(.conflict, concurrent)
        }
        lastNumber.set(number)
        // Old offset files are only history; failing to delete one is harmless.
        let oldest = number - Self.retainedFiles
        if oldest >= 1, number % Self.retainedFiles == 0 {
            for entry in (try? table.storage.list(directory: directory)) ?? [] {
                if let n = Self.number(ofFile: entry.name), n <= oldest { try? table.storage.delete(entry.path) }
            }
        }
    }

    /// The highest-numbered offset file.
    func newestFile() throws -> (number: Int64, path: String)? {
        var best: (Int64, String)?
        for entry in try table.storage.list(directory: directory) where !entry.isDirectory {
            if let n = Self.number(ofFile: entry.name), n > (best?.0 ?? 0) { best = (n, entry.path) }
        }
        return best
    }

    /// `n` of a file named `%020d.json`.
    static func number(ofFile name: String) -> Int64? {
        guard name.utf8.count == 25, name.hasSuffix(".json") else { return nil }
        let digits = name.prefix(20)
        guard digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int64(digits)
    }

    /// The names of the table's consumer groups.
    public static func names(in table: Table) throws -> [String] {
        try table.storage.list(directory: "_floe/groups").filter(\.isDirectory).map(\.name)
    }
}

/// The number of the offset file a ``ConsumerGroup`` value last wrote or read, shared by its
/// copies: a commit writes the next number, so a commit by another consumer in between conflicts.
final class LastOffsetFile: Sendable {
    private let number = Mutex<Int64?>(nil)
    var value: Int64? { number.withLock { $0 } }
    func set(_ value: Int64) { number.withLock { $0 = value } }
}
