#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// ``LogStorage`` on a local POSIX file system.
///
/// Commits are published with `link(2)`: the contents go to a uniquely named temporary file in the
/// same directory, which is `fsync`ed (together with the commit's data files and their directories,
/// concurrently, see ``writeIfAbsent(_:contents:afterMakingDurable:)``), hard-linked to the final
/// name (failing with `EEXIST` if the version is taken, which is reported as
/// ``PutOutcome/alreadyExists``), unlinked, and then the directory is `fsync`ed. A commit name is never the target of a plain `rename`, so a concurrent
/// writer can never replace a published commit. Other writes go through a temporary file, `fsync`,
/// `rename` into place and a directory `fsync`.
///
/// Paths must stay inside ``root``: `..` components and absolute paths outside the root are
/// rejected with ``DeltaError/Code/pathEscapesTable``; the one exception, off by default, is
/// reading absolute paths under ``externalReadRoots``. (Symbolic links inside the table are
/// followed and not checked.)
public struct LocalStorage: LogStorage {
    /// The absolute, normalized path of the table root (no trailing `/`, except for `/` itself).
    public let root: String

    /// Directories outside the table whose files may be **read** when the log names them by
    /// absolute path or `file:` URI (e.g. the source table of a shallow clone). Empty by default:
    /// then nothing outside ``root`` is ever read. Absolute, normalized, without trailing `/`.
    /// Writes and deletes never leave ``root``.
    public let externalReadRoots: [String]

    /// Creates storage for the table at `root` (absolute, or relative to the current directory).
    /// The directory need not exist yet.
    ///
    /// - Parameter externalReadRoots: Directories outside the table that absolute paths in the log
    ///   may be read from (default none). Only name directories you trust the log to reference.
    public init(root: String, externalReadRoots: [String] = []) {
        func absolute(_ path: String) -> String {
            Self.normalize(absolute: path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path)
        }
        self.root = absolute(root)
        self.externalReadRoots = externalReadRoots.map(absolute)
    }

    /// `path` (table-relative, or absolute) resolved for reading: as ``absolutePath(_:)``, or, for
    /// an absolute path outside the table, the normalized path when it lies under one of
    /// ``externalReadRoots``.
    ///
    /// - Throws: ``DeltaError/Code/pathEscapesTable`` for any other path outside the table.
    public func readablePath(_ path: String) throws -> String {
        if path.hasPrefix("/"), let external = externalPath(path) { return external }
        return try absolutePath(path)
    }

    /// The normalized `path` when it is an absolute path without `..` under an external read
    /// root (and not inside the table), else nil.
    func externalPath(_ path: String) -> String? {
        guard !externalReadRoots.isEmpty, !path.utf8.contains(0),
              !path.split(separator: "/").contains("..") else { return nil }
        let normalized = Self.normalize(absolute: path)
        let inside = root == "/" || normalized == root || normalized.hasPrefix(root + "/")
        guard !inside else { return nil }
        return externalReadRoots.contains { normalized.hasPrefix($0 == "/" ? "/" : $0 + "/") } ? normalized : nil
    }

    /// The absolute root path.
    public var rootDescription: String { root }

    static func normalize(absolute path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// Resolves a table-relative (or absolute, inside the root) path to an absolute path.
    ///
    /// - Throws: ``DeltaError/Code/pathEscapesTable``.
    public func absolutePath(_ path: String) throws -> String {
        if path.utf8.contains(0) {
            throw DeltaError(.invalidArgument, "path '\(path)' contains a NUL character")
        }
        var relative = Substring(path)
        if path.hasPrefix("/") {
            let prefix = root == "/" ? "/" : root + "/"
            if path == root { relative = "" } else if path.hasPrefix(prefix) {
                relative = path.dropFirst(prefix.count)
            } else {
                throw DeltaError(.pathEscapesTable, "path '\(path)' is outside the table root \(root)")
            }
        }
        var parts: [Substring] = []
        for part in relative.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                throw DeltaError(.pathEscapesTable, "path '\(path)' uses '..' (paths must stay inside the table root \(root))")
            }
            parts.append(part)
        }
        if parts.isEmpty { return root }
        return (root == "/" ? "" : root) + "/" + parts.joined(separator: "/")
    }

    /// Lists a directory with `readdir` and `fstatat`; see ``LogStorage/list(directory:prefix:startingAt:)``.
    public func list(directory: String, prefix: String, startingAt: String?) throws -> [FileEntry] {
        let dirPath = try absolutePath(directory)
        guard let dir = opendir(dirPath) else {
            let code = errno
            if code == ENOENT || code == ENOTDIR { return [] }
            throw Self.posixError(code, "cannot list directory \(dirPath)")
        }
        defer { closedir(dir) }
        let relativeDir = try relativePath(ofAbsolute: dirPath)
        var entries: [FileEntry] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: entry.pointee.d_name)) {
                    String(cString: $0)
                }
            }
            if name == "." || name == ".." { continue }
            if !prefix.isEmpty && !name.hasPrefix(prefix) { continue }
            if let startingAt, name.utf8.lexicographicallyPrecedes(startingAt.utf8) { continue }
            var info = stat()
            // Relative to the open directory: no path building or lookup of its parents.
            guard fstatat(dirfd(dir), name, &info, 0) == 0 else {
                if errno == ENOENT { continue }  // deleted while listing
                throw Self.posixError(errno, "cannot stat \(dirPath)/\(name)")
            }
            let path = relativeDir.isEmpty ? name : relativeDir + "/" + name
            entries.append(Self.fileEntry(path: path, info: info))
        }
        entries.sort { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }  // same directory: path order is name order
        return entries
    }

    /// Opens a file of the table read-only; a missing file is ``DeltaError/Code/fileNotFound``.
    /// The caller closes the descriptor.
    private func openForReading(_ path: String) throws -> (fd: Int32, absolute: String) {
        let absolute = try readablePath(path)
        let fd = open(absolute, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            if code == ENOENT { throw DeltaError(.fileNotFound, "file \(absolute) does not exist") }
            throw Self.posixError(code, "cannot open \(absolute)")
        }
        return (fd, absolute)
    }

    /// Reads a whole file; a missing file is ``DeltaError/Code/fileNotFound``.
    public func read(_ path: String) throws -> [UInt8] {
        let (fd, absolute) = try openForReading(path)
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw Self.posixError(errno, "cannot stat \(absolute)") }
        var result: [UInt8] = []
        result.reserveCapacity(Int(info.st_size))
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glue.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw Self.posixError(errno, "cannot read \(absolute)")
            }
            if n == 0 { break }
            result.append(contentsOf: buffer[0..<n])
        }
        return result
    }

    /// Reads a byte range with `pread(2)`.
    public func read(_ path: String, offset: Int64, length: Int) throws -> [UInt8] {
        guard offset >= 0, length >= 0 else {
            throw DeltaError(.invalidArgument, "invalid byte range offset \(offset) length \(length) for \(path)")
        }
        let (fd, absolute) = try openForReading(path)
        defer { close(fd) }
        var result = [UInt8](repeating: 0, count: length)
        var filled = 0
        while filled < length {
            let n = result.withUnsafeMutableBytes { raw in
                pread(fd, raw.baseAddress.map { $0 + filled }, length - filled, off_t(offset) + off_t(filled))
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw Self.posixError(errno, "cannot read \(absolute)")
            }
            if n == 0 { break }
            filled += n
        }
        result.removeSubrange(filled...)
        return result
    }

    /// Publishes a file with temp file, `fsync`, `link(2)`, `unlink` and directory `fsync`; `EEXIST` from `link` gives ``PutOutcome/alreadyExists``.
    public func writeIfAbsent(_ path: String, contents: [UInt8]) throws -> PutOutcome {
        try writeIfAbsent(path, contents: contents, afterMakingDurable: [])
    }

    /// Replaces a file with temp file, `fsync`, `rename(2)` and directory `fsync`.
    public func write(_ path: String, contents: [UInt8]) throws {
        let absolute = try absolutePath(path)
        let directory = Self.parent(of: absolute)
        try createDirectories(directory)
        let temp = try writeTemporaryFile(in: directory, finalName: Self.lastComponent(absolute), contents: contents)
        if rename(temp, absolute) != 0 {
            let code = errno
            unlink(temp)
            throw Self.posixError(code, "cannot move \(temp) to \(absolute)")
        }
        try Self.syncDirectory(directory)
    }

    /// Unlinks a file; a missing file is not an error.
    public func delete(_ path: String) throws {
        let absolute = try absolutePath(path)
        if unlink(absolute) != 0 {
            let code = errno
            if code == ENOENT { return }
            throw Self.posixError(code, "cannot delete \(absolute)")
        }
    }

    /// `stat`s a path; `nil` when nothing exists there.
    public func entry(at path: String) throws -> FileEntry? {
        let absolute = try readablePath(path)
        var info = stat()
        guard stat(absolute, &info) == 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR { return nil }
            throw Self.posixError(code, "cannot stat \(absolute)")
        }
        return Self.fileEntry(path: try relativePath(ofAbsolute: absolute), info: info)
    }

    // MARK: - Helpers

    func relativePath(ofAbsolute absolute: String) throws -> String {
        if absolute == root { return "" }
        let prefix = root == "/" ? "/" : root + "/"
        guard absolute.hasPrefix(prefix) else {
            throw DeltaError(.internalError, "path \(absolute) is not below \(root)")
        }
        return String(absolute.dropFirst(prefix.count))
    }

    static func fileEntry(path: String, info: stat) -> FileEntry {
        #if canImport(Darwin)
        let seconds = Int64(info.st_mtimespec.tv_sec)
        let nanos = Int64(info.st_mtimespec.tv_nsec)
        #else
        let seconds = Int64(info.st_mtim.tv_sec)
        let nanos = Int64(info.st_mtim.tv_nsec)
        #endif
        let isDirectory = (info.st_mode & S_IFMT) == S_IFDIR
        return FileEntry(path: path, size: Int64(info.st_size), modificationTime: seconds.multipliedReportingOverflow(by: 1000).overflow
                            ? (seconds > 0 ? .max : .min) : (seconds * 1000).saturatingAdding(nanos / 1_000_000),
                         isDirectory: isDirectory)
    }

    static func parent(of absolute: String) -> String {
        guard let slash = absolute.lastIndex(of: "/"), slash != absolute.startIndex else { return "/" }
        return String(absolute[..<slash])
    }

    static func lastComponent(_ absolute: String) -> String {
        guard let slash = absolute.lastIndex(of: "/") else { return absolute }
        return String(absolute[absolute.index(after: slash)...])
    }

    static func posixError(_ code: Int32, _ message: String) -> DeltaError {
        let text = String(cString: strerror(code))
        return DeltaError(.io, "\(message): \(text) (errno \(code))",
                          underlying: POSIXErrorCode(rawValue: code).map { POSIXError($0) })
    }

    /// Creates `directory` and missing ancestors, fsyncing each parent whose entries changed.
    func createDirectories(_ directory: String) throws {
        var info = stat()
        if stat(directory, &info) == 0 {
            guard (info.st_mode & S_IFMT) == S_IFDIR else {
                throw DeltaError(.io, "\(directory) exists and is not a directory")
            }
            return
        }
        let parent = Self.parent(of: directory)
        if parent != directory { try createDirectories(parent) }
        if mkdir(directory, 0o777) != 0 {
            let code = errno
            if code == EEXIST { return }
            throw Self.posixError(code, "cannot create directory \(directory)")
        }
        try Self.syncDirectory(parent)
    }

    /// Writes `contents` to a new uniquely named hidden file in `directory` and fsyncs it.
    ///
    /// - Returns: The temporary file's absolute path.
    func writeTemporaryFile(in directory: String, finalName: String, contents: [UInt8], syncs: Bool = true) throws -> String {
        let temp = "\(directory)/.\(finalName).\(UUID().uuidString.lowercased()).tmp"
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Self.posixError(errno, "cannot create temporary file \(temp)") }
        var ok = false
        defer {
            if !ok { unlink(temp) }
        }
        do {
            defer { close(fd) }
            var offset = 0
            while offset < contents.count {
                let n = contents.withUnsafeBytes { raw in
                    Glue.write(fd, raw.baseAddress.map { $0 + offset }, raw.count - offset)
                }
                if n < 0 {
                    if errno == EINTR { continue }
                    throw Self.posixError(errno, "cannot write \(temp)")
                }
                offset += n
            }
            if syncs { try Self.syncFile(fd, path: temp) }
        }
        ok = true
        return temp
    }

    static func syncFile(_ fd: Int32, path: String) throws {
        #if canImport(Darwin)
        if fcntl(fd, F_FULLFSYNC) == 0 { return }
        #endif
        while fsync(fd) != 0 {
            if errno == EINTR { continue }
            throw posixError(errno, "cannot fsync \(path)")
        }
    }

    static func syncDirectory(_ directory: String) throws {
        let fd = open(directory, O_RDONLY | O_CLOEXEC | O_DIRECTORY)
        guard fd >= 0 else { throw posixError(errno, "cannot open directory \(directory) to fsync it") }
        defer { close(fd) }
        try syncFile(fd, path: directory)
    }
}

/// Unqualified POSIX `read`/`write`, which `LocalStorage`'s own methods would otherwise shadow.
enum Glue {
    static func read(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.read(fd, buffer, count)
        #elseif canImport(Musl)
        Musl.read(fd, buffer, count)
        #else
        Darwin.read(fd, buffer, count)
        #endif
    }

    static func write(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.write(fd, buffer, count)
        #elseif canImport(Musl)
        Musl.write(fd, buffer, count)
        #else
        Darwin.write(fd, buffer, count)
        #endif
    }
}
