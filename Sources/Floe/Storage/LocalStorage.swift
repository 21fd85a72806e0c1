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
/// reading absolute paths under ``externalReadRoots``.
///
/// Symbolic links: ``root`` is resolved once (`realpath`), when the storage is created, so a table
/// reached through a symbolic link has one root for every command. Below the root no symbolic link
/// is ever followed: every file and directory is reached by walking from the root with
/// `openat(O_NOFOLLOW)` one component at a time, so reading, writing, listing and deleting refuse
/// a path through a symbolic link (``DeltaError/Code/pathEscapesTable``) whether its target lies
/// inside the table or not; ``list(directory:prefix:startingAt:)`` reports links as entries with
/// ``FileEntry/isSymbolicLink`` (never as the directory or file they point to); ``delete(_:)``
/// removes at most a link itself. Only regular files are read (a FIFO or device is refused, never
/// opened for blocking reads).
public struct LocalStorage: LogStorage {
    /// The absolute path of the table root with symbolic links resolved (`realpath`; for a root that
    /// does not exist yet, of its deepest existing ancestor), normalized, without trailing `/`
    /// (except for `/` itself).
    public let root: String

    /// The root as the caller spelled it (absolute, normalized, links not resolved). Absolute paths
    /// in the log under this spelling denote files of the table too.
    let givenRoot: String

    /// Directories outside the table whose files may be **read** when the log names them by
    /// absolute path or `file:` URI (e.g. the source table of a shallow clone). Empty by default:
    /// then nothing outside ``root`` is ever read. Absolute, resolved like ``root``, without
    /// trailing `/`. Writes and deletes never leave ``root``.
    public let externalReadRoots: [String]

    /// Creates storage for the table at `root` (absolute, or relative to the current directory).
    /// The directory need not exist yet; symbolic links in `root` are resolved now, once.
    ///
    /// - Parameter externalReadRoots: Directories outside the table that absolute paths in the log
    ///   may be read from (default none). Only name directories you trust the log to reference.
    public init(root: String, externalReadRoots: [String] = []) {
        func absolute(_ path: String) -> String {
            path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        }
        self.root = Self.resolve(absolute(root))
        self.givenRoot = Self.normalize(absolute: absolute(root))
        self.externalReadRoots = externalReadRoots.map { Self.resolve(absolute($0)) }
    }

    /// `path` with symbolic links resolved: `realpath` of it, or when it does not exist, of its
    /// deepest existing ancestor followed by the remaining (normalized) components.
    static func resolve(_ absolute: String) -> String {
        if let real = realPath(absolute) { return real }
        let normalized = normalize(absolute: absolute)
        var existing = normalized
        var rest: [String] = []
        while existing != "/" {
            rest.append(lastComponent(existing))
            existing = parent(of: existing)
            if let real = realPath(existing) {
                return (real == "/" ? "" : real) + "/" + rest.reversed().joined(separator: "/")
            }
        }
        return normalized
    }

    static func realPath(_ path: String) -> String? {
        guard !path.utf8.contains(0), let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// `path` (table-relative, or absolute) resolved for reading: as ``absolutePath(_:)``, or, for
    /// an absolute path outside the table, the normalized path when it lies under one of
    /// ``externalReadRoots``.
    ///
    /// - Throws: ``DeltaError/Code/pathEscapesTable`` for any other path outside the table.
    public func readablePath(_ path: String) throws -> String {
        if PathBytes.hasPrefix(path, "/"), let external = externalPath(path) { return external }
        return try absolutePath(path)
    }

    /// The normalized `path` when it is an absolute path without `..` under an external read
    /// root (and not inside the table), else nil.
    func externalPath(_ path: String) -> String? {
        guard !externalReadRoots.isEmpty, !path.utf8.contains(0),
              !PathBytes.components(path).contains(where: PathBytes.isParent) else { return nil }
        let normalized = Self.normalize(absolute: path)
        guard tableRelative(normalized) == nil else { return nil }
        // A path that reaches the table through a link is the table's, not external: vacuum must see it.
        guard tableRelativeResolvingAncestors(normalized) == nil else { return nil }
        return externalReadRoots.contains { PathBytes.hasPrefix(normalized, $0 == "/" ? "/" : $0 + "/") } ? normalized : nil
    }

    /// The absolute root path.
    public var rootDescription: String { root }

    /// `path` with empty and `.` components dropped and `..` applied lexically (never above `/`).
    static func normalize(absolute path: String) -> String {
        var parts: [Substring] = []
        for part in PathBytes.components(path) {
            if PathBytes.isCurrent(part) { continue }
            if PathBytes.isParent(part) { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// The part of the absolute `path` below the root (under ``root`` or the caller's spelling of
    /// it), or nil when it is not below either.
    func tableRelative(_ path: String) -> Substring? {
        func strip(_ base: String) -> Substring? {
            if path == base { return "" }
            let prefix = base == "/" ? "/" : base + "/"
            return PathBytes.dropping(prefix, from: path)
        }
        return strip(root) ?? (givenRoot == root ? nil : strip(givenRoot))
    }

    /// The part of the absolute, normalized `path` below the root, also when `path` reaches the
    /// root through a symbolic link other than the caller's spelling: the deepest ancestor of
    /// `path` whose `realpath` is ``root`` is the root, and the rest is taken lexically (nothing
    /// below the root is resolved). Nil when no ancestor is the root.
    func tableRelativeResolvingAncestors(_ path: String) -> Substring? {
        if let below = tableRelative(path) { return below }
        var ancestor = path
        while ancestor != "/" {
            ancestor = Self.parent(of: ancestor)
            if Self.realPath(ancestor) == root {
                let prefix = ancestor == "/" ? "/" : ancestor + "/"
                return path.dropFirst(prefix.count)
            }
        }
        return nil
    }

    /// The components of a table-relative (or absolute, inside the root) path below the root.
    ///
    /// - Throws: ``DeltaError/Code/pathEscapesTable`` for `..` or an absolute path elsewhere;
    ///   ``DeltaError/Code/invalidArgument`` for a NUL character.
    func components(_ path: String) throws -> [String] {
        if path.utf8.contains(0) {
            throw DeltaError(.invalidArgument, "path '\(path)' contains a NUL character")
        }
        var relative = Substring(path)
        if PathBytes.hasPrefix(path, "/") {
            guard let below = tableRelative(path) else {
                throw DeltaError(.pathEscapesTable, "path '\(path)' is outside the table root \(root)")
            }
            relative = below
        }
        var parts: [String] = []
        for part in PathBytes.components(relative) {
            if PathBytes.isCurrent(part) { continue }
            if PathBytes.isParent(part) {
                throw DeltaError(.pathEscapesTable, "path '\(path)' uses '..' (paths must stay inside the table root \(root))")
            }
            parts.append(String(part))
        }
        return parts
    }

    /// The absolute path of the components `parts` below the root.
    func join<C: Collection>(_ parts: C) -> String where C.Element == String {
        parts.isEmpty ? root : (root == "/" ? "" : root) + "/" + parts.joined(separator: "/")
    }

    /// Resolves a table-relative (or absolute, inside the root) path to an absolute path.
    ///
    /// - Throws: ``DeltaError/Code/pathEscapesTable``.
    public func absolutePath(_ path: String) throws -> String {
        join(try components(path))
    }

    // MARK: - Walking without following links

    /// The error for a failed `openat` of `name` in the directory `directory` (at `path`): a
    /// symbolic link is ``DeltaError/Code/pathEscapesTable``, a missing entry (or a non-directory
    /// where a directory was expected) ``DeltaError/Code/fileNotFound``, anything else
    /// ``DeltaError/Code/io``.
    func walkError(_ code: Int32, directory: Int32, name: String, path: String) -> DeltaError {
        var info = stat()
        if code != ENOENT, fstatat(directory, name, &info, AT_SYMLINK_NOFOLLOW) == 0, (info.st_mode & S_IFMT) == S_IFLNK {
            return DeltaError(.pathEscapesTable, "\(path) is a symbolic link: Floe does not follow symbolic links below the table root \(root)")
        }
        if code == ENOENT || code == ENOTDIR {
            return DeltaError(.fileNotFound, "\(path) does not exist", underlying: POSIXErrorCode(rawValue: code).map { POSIXError($0) })
        }
        return Self.posixError(code, "cannot open \(path)")
    }

    /// Opens the directory `parts` below the root, one component at a time with
    /// `openat(O_DIRECTORY | O_NOFOLLOW)`, so no symbolic link is followed. With `creating`,
    /// missing directories (the root included) are created, each new entry's parent `fsync`ed.
    /// The caller closes the descriptor.
    ///
    /// - Throws: ``DeltaError/Code/fileNotFound`` when a component is missing (and not created) or
    ///   not a directory, ``DeltaError/Code/pathEscapesTable`` for a symbolic link,
    ///   ``DeltaError/Code/io``.
    func openDirectory<C: Collection>(_ parts: C, creating: Bool) throws -> Int32 where C.Element == String {
        var fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd < 0 {
            let code = errno
            guard code == ENOENT, creating else {
                if code == ENOENT || code == ENOTDIR { throw DeltaError(.fileNotFound, "table directory \(root) does not exist") }
                throw Self.posixError(code, "cannot open \(root)")
            }
            try Self.createDirectories(root)
            fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard fd >= 0 else { throw Self.posixError(errno, "cannot open \(root)") }
        }
        var path = root == "/" ? "" : root
        for part in parts {
            let parentPath = path.isEmpty ? "/" : path
            path += "/" + part
            var next = openat(fd, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            if next < 0, errno == ENOENT, creating {
                if mkdirat(fd, part, 0o777) == 0 {
                    do { try Self.syncFile(fd, path: parentPath) } catch { close(fd); throw error }
                } else if errno != EEXIST {
                    let code = errno
                    close(fd)
                    throw Self.posixError(code, "cannot create directory \(path)")
                }
                next = openat(fd, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            }
            if next < 0 {
                let error = walkError(errno, directory: fd, name: part, path: path)
                close(fd)
                throw error
            }
            close(fd)
            fd = next
        }
        return fd
    }

    /// Creates the absolute `directory` and missing ancestors (following links: used for the
    /// root itself, which the caller chose), fsyncing each parent whose entries changed.
    static func createDirectories(_ directory: String) throws {
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
        try syncDirectory(parent)
    }

    /// Opens (creating it and missing parents) the directory `path` of the table without following
    /// symbolic links, for writing files into it with `openat`/`renameat`. The caller closes it.
    ///
    /// - Returns: The descriptor and the directory's absolute path.
    /// - Throws: ``DeltaError/Code/pathEscapesTable`` for an escaping path or a symbolic link on
    ///   the way, ``DeltaError/Code/io``.
    func openDirectoryForWriting(_ path: String) throws -> (fd: Int32, absolute: String) {
        let parts = try components(path)
        let fd: Int32
        do { fd = try openDirectory(parts, creating: true) } catch let e as DeltaError where e.code == .fileNotFound {
            throw DeltaError(.io, "cannot create directory \(join(parts)): \(e.message)", underlying: e)
        }
        return (fd, join(parts))
    }

    /// Opens a file of the table (or under an external read root) read-only: a regular file,
    /// reached without following symbolic links below the root. The caller closes the descriptor.
    ///
    /// - Throws: ``DeltaError/Code/fileNotFound`` when missing, ``DeltaError/Code/pathEscapesTable``
    ///   for an escaping path or a symbolic link, ``DeltaError/Code/io`` (also for a directory,
    ///   FIFO or device).
    func openForReading(_ path: String) throws -> (fd: Int32, absolute: String) {
        let fd: Int32
        let absolute: String
        if PathBytes.hasPrefix(path, "/"), let external = externalPath(path) {
            absolute = external
            fd = open(external, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
            guard fd >= 0 else {
                let code = errno
                if code == ENOENT || code == ENOTDIR { throw DeltaError(.fileNotFound, "file \(absolute) does not exist") }
                throw Self.posixError(code, "cannot open \(absolute)")
            }
        } else {
            let parts = try components(path)
            absolute = join(parts)
            guard let name = parts.last else { throw DeltaError(.io, "\(absolute) is the table directory, not a file") }
            let directory: Int32
            do { directory = try openDirectory(parts.dropLast(), creating: false) } catch let e as DeltaError where e.code == .fileNotFound {
                throw DeltaError(.fileNotFound, "file \(absolute) does not exist", underlying: e)
            }
            defer { close(directory) }
            fd = openat(directory, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
            guard fd >= 0 else {
                let error = walkError(errno, directory: directory, name: name, path: absolute)
                if error.code == .fileNotFound { throw DeltaError(.fileNotFound, "file \(absolute) does not exist") }
                throw error
            }
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let code = errno
            close(fd)
            throw Self.posixError(code, "cannot stat \(absolute)")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw DeltaError(.io, "\(absolute) is not a regular file")
        }
        return (fd, absolute)
    }

    /// Lists a directory with `readdir` and `fstatat(AT_SYMLINK_NOFOLLOW)`; see
    /// ``LogStorage/list(directory:prefix:startingAt:)``. Symbolic links are entries of their own
    /// (``FileEntry/isSymbolicLink``); a directory reached through one is refused.
    public func list(directory: String, prefix: String, startingAt: String?) throws -> [FileEntry] {
        let parts = try components(directory)
        let dirPath = join(parts)
        let fd: Int32
        do { fd = try openDirectory(parts, creating: false) } catch let e as DeltaError where e.code == .fileNotFound {
            return []
        }
        guard let dir = fdopendir(fd) else {
            let code = errno
            close(fd)
            throw Self.posixError(code, "cannot list directory \(dirPath)")
        }
        defer { closedir(dir) }
        let relativeDir = parts.joined(separator: "/")
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
            // Relative to the open directory, and about the entry itself (a link is not followed).
            guard fstatat(dirfd(dir), name, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
                if errno == ENOENT { continue }  // deleted while listing
                throw Self.posixError(errno, "cannot stat \(dirPath)/\(name)")
            }
            let path = relativeDir.isEmpty ? name : relativeDir + "/" + name
            entries.append(Self.fileEntry(path: path, info: info))
        }
        entries.sort { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }  // same directory: path order is name order
        return entries
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

    /// The parent directory components and the file name of a path that must name a file.
    func fileComponents(_ path: String) throws -> (directory: ArraySlice<String>, name: String) {
        let parts = try components(path)
        guard let name = parts.last else {
            throw DeltaError(.invalidArgument, "path '\(path)' names the table directory, not a file")
        }
        return (parts.dropLast(), name)
    }

    /// Replaces a file with temp file, `fsync`, `rename(2)` and directory `fsync`.
    public func write(_ path: String, contents: [UInt8]) throws {
        let (parts, name) = try fileComponents(path)
        let directoryPath = join(parts)
        let directory = try openDirectory(parts, creating: true)
        defer { close(directory) }
        let temp = try writeTemporaryFile(in: directory, path: directoryPath, finalName: name, contents: contents)
        if renameat(directory, temp, directory, name) != 0 {
            let code = errno
            unlinkat(directory, temp, 0)
            throw Self.posixError(code, "cannot move \(directoryPath)/\(temp) to \(directoryPath)/\(name)")
        }
        try Self.syncFile(directory, path: directoryPath)
    }

    /// Unlinks a file (a symbolic link itself, never its target); a missing file is not an error.
    public func delete(_ path: String) throws {
        let (parts, name) = try fileComponents(path)
        let directory: Int32
        do { directory = try openDirectory(parts, creating: false) } catch let e as DeltaError where e.code == .fileNotFound {
            return
        }
        defer { close(directory) }
        if unlinkat(directory, name, 0) != 0 {
            let code = errno
            if code == ENOENT { return }
            throw Self.posixError(code, "cannot delete \(join(parts))/\(name)")
        }
    }

    /// Removes the directory `path` of the table if it is empty (never through or at a symbolic
    /// link). Returns whether it was removed.
    func removeDirectoryIfEmpty(_ path: String) throws -> Bool {
        let (parts, name) = try fileComponents(path)
        let directory: Int32
        do { directory = try openDirectory(parts, creating: false) } catch let e as DeltaError where e.code == .fileNotFound {
            return false
        }
        defer { close(directory) }
        return unlinkat(directory, name, AT_REMOVEDIR) == 0
    }

    /// `lstat`s a path (a symbolic link is described, not followed); `nil` when nothing exists there.
    public func entry(at path: String) throws -> FileEntry? {
        var info = stat()
        if PathBytes.hasPrefix(path, "/"), let external = externalPath(path) {
            guard stat(external, &info) == 0 else {
                let code = errno
                if code == ENOENT || code == ENOTDIR { return nil }
                throw Self.posixError(code, "cannot stat \(external)")
            }
            return Self.fileEntry(path: external, info: info)
        }
        let parts = try components(path)
        guard let name = parts.last else {
            let fd = try openDirectory(parts, creating: false)
            defer { close(fd) }
            guard fstat(fd, &info) == 0 else { throw Self.posixError(errno, "cannot stat \(root)") }
            return Self.fileEntry(path: "", info: info)
        }
        let directory: Int32
        do { directory = try openDirectory(parts.dropLast(), creating: false) } catch let e as DeltaError where e.code == .fileNotFound {
            return nil
        }
        defer { close(directory) }
        guard fstatat(directory, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR { return nil }
            throw Self.posixError(code, "cannot stat \(join(parts))")
        }
        return Self.fileEntry(path: parts.joined(separator: "/"), info: info)
    }

    // MARK: - Helpers

    func relativePath(ofAbsolute absolute: String) throws -> String {
        guard let below = tableRelative(absolute) else {
            throw DeltaError(.internalError, "path \(absolute) is not below \(root)")
        }
        return String(below)
    }

    static func fileEntry(path: String, info: stat) -> FileEntry {
        #if canImport(Darwin)
        let seconds = Int64(info.st_mtimespec.tv_sec)
        let nanos = Int64(info.st_mtimespec.tv_nsec)
        #else
        let seconds = Int64(info.st_mtim.tv_sec)
        let nanos = Int64(info.st_mtim.tv_nsec)
        #endif
        let type = info.st_mode & S_IFMT
        return FileEntry(path: path, size: Int64(info.st_size), modificationTime: seconds.multipliedReportingOverflow(by: 1000).overflow
                            ? (seconds > 0 ? .max : .min) : (seconds * 1000).saturatingAdding(nanos / 1_000_000),
                         isDirectory: type == S_IFDIR, isSymbolicLink: type == S_IFLNK)
    }

    static func parent(of absolute: String) -> String {
        let bytes = absolute.utf8
        guard let slash = bytes.lastIndex(of: PathBytes.slash), slash != bytes.startIndex else { return "/" }
        return String(Substring(bytes[..<slash]))
    }

    static func lastComponent(_ absolute: String) -> String {
        let bytes = absolute.utf8
        guard let slash = bytes.lastIndex(of: PathBytes.slash) else { return absolute }
        return String(Substring(bytes[bytes.index(after: slash)...]))
    }

    static func posixError(_ code: Int32, _ message: String) -> DeltaError {
        let text = String(cString: strerror(code))
        return DeltaError(.io, "\(message): \(text) (errno \(code))",
                          underlying: POSIXErrorCode(rawValue: code).map { POSIXError($0) })
    }

    /// Writes `contents` to a new uniquely named hidden file in the open `directory` (at `path`)
    /// and, with `syncs`, fsyncs it.
    ///
    /// - Returns: The temporary file's name in `directory`.
    func writeTemporaryFile(in directory: Int32, path: String, finalName: String, contents: [UInt8], syncs: Bool = true) throws -> String {
        let temp = ".\(finalName).\(UUID().uuidString.lowercased()).tmp"
        let fd = openat(directory, temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Self.posixError(errno, "cannot create temporary file \(path)/\(temp)") }
        var ok = false
        defer {
            if !ok { unlinkat(directory, temp, 0) }
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
                    throw Self.posixError(errno, "cannot write \(path)/\(temp)")
                }
                offset += n
            }
            if syncs { try Self.syncFile(fd, path: "\(path)/\(temp)") }
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
