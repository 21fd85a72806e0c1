#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

extension LocalStorage {
    /// Publishes `path` with `link(2)` once `prerequisites` are durable.
    ///
    /// Steps: write the contents to a hidden temporary file in the destination directory; `fsync`
    /// that file, every prerequisite file and every directory from each prerequisite's parent up to
    /// the table root, all concurrently (one thread each, so the device can merge the cache
    /// flushes into one); `link` the temporary file to `path` (`EEXIST` gives
    /// ``PutOutcome/alreadyExists``); unlink the temporary name; `fsync` the destination directory.
    /// Publication strictly follows the syncs, so a crash never leaves a visible commit whose data
    /// files are not durable. A failure after `link` (the directory `fsync`) throws
    /// ``DeltaError/Code/commitNotDurable``: the file is visible, its durability unknown.
    public func writeIfAbsent(_ path: String, contents: [UInt8], afterMakingDurable prerequisites: [String]) throws -> PutOutcome {
        let absolute = try absolutePath(path)
        let directory = Self.parent(of: absolute)
        try createDirectories(directory)
        let targets = try durabilityTargets(prerequisites)
        let temp = try writeTemporaryFile(in: directory, finalName: Self.lastComponent(absolute), contents: contents, syncs: false)
        defer { unlink(temp) }
        try Self.syncConcurrently(targets.files + [temp], directories: targets.directories)
        try FailPoint.reach(.beforeCommitLink, path: absolute)
        if link(temp, absolute) != 0 {
            let code = errno
            if code == EEXIST { return .alreadyExists }
            throw Self.posixError(code, "cannot publish \(absolute)")
        }
        do {
            try FailPoint.reach(.afterCommitLink, path: absolute)
            unlink(temp)
            try Self.syncDirectory(directory)
        } catch {
            // Published but perhaps not durable: not an ordinary failure a caller may retry.
            throw DeltaError(.commitNotDurable, "\(absolute) was published (readers see it) but could not be made durable, so a crash may lose it; check the table before repeating the write: \(error)", underlying: error)
        }
        return .written
    }

    /// `fsync`s the files at `paths` and every directory from their parents up to the table root,
    /// concurrently.
    public func makeDurable(_ paths: [String]) throws {
        let targets = try durabilityTargets(paths)
        try Self.syncConcurrently(targets.files, directories: targets.directories)
    }

    /// The absolute files to sync for `paths`, and their ancestor directories up to and including
    /// the root (a new partition directory's own entry must be durable too), without repeats.
    func durabilityTargets(_ paths: [String]) throws -> (files: [String], directories: [String]) {
        var files: [String] = []
        var directories: [String] = []
        var seen: Set<String> = []
        for path in paths {
            let absolute = try absolutePath(path)
            files.append(absolute)
            var directory = Self.parent(of: absolute)
            while seen.insert(directory).inserted {
                directories.append(directory)
                if directory == root || !directory.hasPrefix(root) { break }
                let parent = Self.parent(of: directory)
                if parent == directory { break }
                directory = parent
            }
        }
        return (files, directories)
    }

    /// `fsync`s `files` and `directories`, the first on the calling thread and each other on a
    /// thread of its own, and waits for all. Throws the first failure (``DeltaError/Code/io``).
    static func syncConcurrently(_ files: [String], directories: [String]) throws {
        let items = files.map { (path: $0, isDirectory: false) } + directories.map { (path: $0, isDirectory: true) }
        guard let first = items.first else { return }
        let failures = SyncFailures()
        let group = DispatchGroup()
        for item in items.dropFirst() {
            group.enter()
            let thread = Thread {
                do { try syncPath(item.path, isDirectory: item.isDirectory) } catch { failures.record(error) }
                group.leave()
            }
            thread.start()
        }
        do { try syncPath(first.path, isDirectory: first.isDirectory) } catch { failures.record(error) }
        group.wait()
        if let error = failures.first { throw error }
    }

    /// Opens `path` read-only and `fsync`s it.
    static func syncPath(_ path: String, isDirectory: Bool) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC | (isDirectory ? O_DIRECTORY : 0))
        guard fd >= 0 else { throw posixError(errno, "cannot open \(path) to fsync it") }
        defer { close(fd) }
        try syncFile(fd, path: path)
    }
}

/// The first error of a set of concurrent syncs.
private final class SyncFailures: @unchecked Sendable {
    private let lock = NSLock()
    private var error: (any Error)?

    func record(_ error: any Error) {
        lock.lock()
        defer { lock.unlock() }
        if self.error == nil { self.error = error }
    }

    var first: (any Error)? {
        lock.lock()
        defer { lock.unlock() }
        return error
    }
}
