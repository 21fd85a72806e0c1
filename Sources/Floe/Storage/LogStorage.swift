/// A file in table storage, as returned by ``LogStorage/list(directory:prefix:startingAt:)`` and
/// ``LogStorage/entry(at:)``.
public struct FileEntry: Sendable, Hashable {
    /// The path relative to the table root, `/`-separated, e.g. `_delta_log/00000000000000000000.json`.
    public var path: String
    /// The file's size in bytes.
    public var size: Int64
    /// The last modification time in milliseconds since the Unix epoch.
    public var modificationTime: Int64
    /// Whether the entry is a directory.
    public var isDirectory: Bool
    /// Whether the entry is a symbolic link (described itself, not its target; never a directory).
    /// Floe never follows links below a table root, so such an entry is neither read nor deleted by
    /// `vacuum`.
    public var isSymbolicLink: Bool

    /// Creates an entry.
    public init(path: String, size: Int64, modificationTime: Int64, isDirectory: Bool = false, isSymbolicLink: Bool = false) {
        self.path = path
        self.size = size
        self.modificationTime = modificationTime
        self.isDirectory = isDirectory
        self.isSymbolicLink = isSymbolicLink
    }

    /// The last path component.
    public var name: String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }
}

/// The outcome of ``LogStorage/writeIfAbsent(_:contents:)``.
public enum PutOutcome: Sendable, Hashable {
    /// The file did not exist and now holds the given contents.
    case written
    /// A file already existed at the path; it was left untouched.
    case alreadyExists
}

/// The only way Floe's log layer touches storage.
///
/// Paths are relative to the table root and `/`-separated. Implementations must reject paths that
/// resolve outside the table root with ``DeltaError/Code/pathEscapesTable`` — including paths that
/// would reach outside it through a symbolic link (``LocalStorage`` follows none below the root) —
/// and report every other
/// failure as a ``DeltaError`` (``DeltaError/Code/fileNotFound`` for missing files,
/// ``DeltaError/Code/io`` otherwise). All methods may be called concurrently from many threads.
public protocol LogStorage: Sendable {
    /// A description of the table root for messages, e.g. its absolute path or URL.
    var rootDescription: String { get }

    /// Lists the direct children of `directory` whose names start with `prefix` and are not
    /// lexicographically smaller than `startingAt`, sorted by name (byte order).
    ///
    /// A missing directory lists as empty.
    func list(directory: String, prefix: String, startingAt: String?) throws -> [FileEntry]

    /// Reads a whole file.
    func read(_ path: String) throws -> [UInt8]

    /// Reads `length` bytes starting at `offset` (fewer when the file ends first), e.g. a Parquet
    /// footer. The default implementation reads the whole file.
    func read(_ path: String, offset: Int64, length: Int) throws -> [UInt8]

    /// Atomically creates `path` with `contents` if no file exists there, durably (the file and its
    /// directory entry survive a crash once this returns `.written`). Readers never observe a
    /// partially written file. This is how commits are published.
    ///
    /// - Returns: `.alreadyExists`, not an error, when the path is taken.
    func writeIfAbsent(_ path: String, contents: [UInt8]) throws -> PutOutcome

    /// Like ``writeIfAbsent(_:contents:)``, but first makes the files at `prerequisites` (written
    /// earlier without syncing, e.g. a commit's data files) and their directory entries durable:
    /// once this returns `.written`, or `.alreadyExists`, every prerequisite survives a crash, and a
    /// crash at any moment never leaves a published file whose prerequisites are not durable.
    /// Implementations may sync the prerequisites concurrently with the new file's own contents.
    func writeIfAbsent(_ path: String, contents: [UInt8], afterMakingDurable prerequisites: [String]) throws -> PutOutcome

    /// Makes the files at `paths`, written earlier without syncing, and their directory entries
    /// durable. Storage whose writes are durable when they return does nothing.
    func makeDurable(_ paths: [String]) throws

    /// Durably writes `path`, replacing any existing file atomically (readers see the old or the
    /// new contents, never a mix). Parent directories are created as needed. Used for data files,
    /// checkpoints and `_last_checkpoint`.
    func write(_ path: String, contents: [UInt8]) throws

    /// Deletes a file; deleting a missing file is not an error.
    func delete(_ path: String) throws

    /// The entry for `path`, or `nil` if nothing exists there.
    func entry(at path: String) throws -> FileEntry?

    /// Why there is no table at the root, in words that point the user the right way (e.g. "there
    /// is no such directory", "it is a file, not a directory"), for
    /// ``DeltaError/Code/tableNotFound`` messages. Called only once the log was found empty.
    func absentTableReason() -> String
}

extension LogStorage {
    /// The reason storage that cannot tell more gives: `_delta_log` holds no commit.
    public func absentTableReason() -> String { "_delta_log has no commits or checkpoints" }

    /// Does nothing: the default for storage whose writes are durable when they return.
    public func makeDurable(_ paths: [String]) throws {}

    /// Calls ``makeDurable(_:)`` and then ``writeIfAbsent(_:contents:)``.
    public func writeIfAbsent(_ path: String, contents: [UInt8], afterMakingDurable prerequisites: [String]) throws -> PutOutcome {
        try makeDurable(prerequisites)
        return try writeIfAbsent(path, contents: contents)
    }

    /// Reads a byte range by reading the whole file and slicing it.
    public func read(_ path: String, offset: Int64, length: Int) throws -> [UInt8] {
        guard offset >= 0, length >= 0 else {
            throw DeltaError(.invalidArgument, "invalid byte range offset \(offset) length \(length) for \(path)")
        }
        let bytes = try read(path)
        guard offset < Int64(bytes.count) else { return [] }
        let start = Int(offset)
        return Array(bytes[start..<min(bytes.count, start + length)])
    }

    /// Lists all direct children of `directory`, sorted by name.
    public func list(directory: String) throws -> [FileEntry] {
        try list(directory: directory, prefix: "", startingAt: nil)
    }

    /// Whether a file or directory exists at `path`.
    public func exists(_ path: String) throws -> Bool { try entry(at: path) != nil }
}

extension DeltaError {
    /// ``Code/tableNotFound`` for `storage`, saying why (``LogStorage/absentTableReason()``).
    static func tableNotFound(in storage: any LogStorage) -> DeltaError {
        DeltaError(.tableNotFound, "no Delta table at \(storage.rootDescription): \(storage.absentTableReason())")
    }
}
