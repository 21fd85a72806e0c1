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
    ///
    /// Each prerequisite's modification time is set to now just before it is synced (on every
    /// call, so on every attempt of a commit): a file a commit is about to reference always looks
    /// new to `vacuum`, which never deletes recently modified files (its protection of commits in
    /// flight). A prerequisite that is missing (e.g. deleted meanwhile) fails the publication.
    public func writeIfAbsent(_ path: String, contents: [UInt8], afterMakingDurable prerequisites: [String]) throws -> PutOutcome {
        let (parts, name) = try fileComponents(path)
        let targets = try durabilityTargets(prerequisites)
        let directoryPath = join(parts)
        let directory = try openDirectory(parts, creating: true)
        defer { close(directory) }
        let temp = try writeTemporaryFile(in: directory, path: directoryPath, finalName: name, contents: contents, syncs: false)
        defer { unlinkat(directory, temp, 0) }
        let tempPath = directoryPath + "/" + temp
        var jobs: [@Sendable () throws -> Void] = [{
            let fd = openat(directory, temp, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
            guard fd >= 0 else { throw Self.posixError(errno, "cannot open \(tempPath) to fsync it") }
            defer { close(fd) }
            try Self.syncFile(fd, path: tempPath)
        }]
        for file in targets.files { jobs.append { try self.syncEntry(file, isDirectory: false) } }
        for dir in targets.directories { jobs.append { try self.syncEntry(dir, isDirectory: true) } }
        try Self.runConcurrently(jobs)
        let absolute = directoryPath + "/" + name
        try FailPoint.reach(.beforeCommitLink, path: absolute)
        if linkat(directory, temp, directory, name, 0) != 0 {
            let code = errno
            if code == EEXIST { return .alreadyExists }
            throw Self.posixError(code, "cannot publish \(absolute)")
        }
        do {
            try FailPoint.reach(.afterCommitLink, path: absolute)
            unlinkat(directory, temp, 0)
            try Self.syncFile(directory, path: directoryPath)
        } catch {
            // Published but perhaps not durable: not an ordinary failure a caller may retry.
            throw DeltaError(.commitNotDurable, "\(absolute) was published (readers see it) but could not be made durable, so a crash may lose it; check the table before repeating the write: \(error)", underlying: error)
        }
        return .written
    }

    /// `fsync`s the files at `paths` and every directory from their parents up to the table root,
    /// concurrently (refreshing the files' modification times first, as
    /// ``writeIfAbsent(_:contents:afterMakingDurable:)`` does).
    public func makeDurable(_ paths: [String]) throws {
        let targets = try durabilityTargets(paths)
        var jobs: [@Sendable () throws -> Void] = []
        for file in targets.files { jobs.append { try self.syncEntry(file, isDirectory: false) } }
        for dir in targets.directories { jobs.append { try self.syncEntry(dir, isDirectory: true) } }
        try Self.runConcurrently(jobs)
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
                if directory == root || !PathBytes.hasPrefix(directory, root) { break }
                let parent = Self.parent(of: directory)
                if parent == directory { break }
                directory = parent
            }
        }
        return (files, directories)
    }

    /// Runs `jobs`, the first on the calling thread and each other on a thread of its own, and
    /// waits for all. Throws the first failure.
    static func runConcurrently(_ jobs: [@Sendable () throws -> Void]) throws {
        guard let first = jobs.first else { return }
        let failures = SyncFailures()
        let group = DispatchGroup()
        for job in jobs.dropFirst() {
            group.enter()
            let thread = Thread {
                do { try job() } catch { failures.record(error) }
                group.leave()
            }
            thread.start()
        }
        do { try first() } catch { failures.record(error) }
        group.wait()
        if let error = failures.first { throw error }
    }

    /// Opens the file or directory at the absolute `path` inside the table without following
    /// symbolic links and `fsync`s it; a file's modification time is set to now first.
    func syncEntry(_ path: String, isDirectory: Bool) throws {
        let parts = try components(path)
        let fd: Int32
        if isDirectory || parts.isEmpty {
            fd = try openDirectory(parts, creating: false)
        } else {
            let directory = try openDirectory(parts.dropLast(), creating: false)
            defer { close(directory) }
            fd = openat(directory, parts[parts.count - 1], O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
            guard fd >= 0 else { throw walkError(errno, directory: directory, name: parts[parts.count - 1], path: path) }
            // Best effort: a file this process may not touch is still synced.
            _ = futimens(fd, nil)
        }
        defer { close(fd) }
        try Self.syncFile(fd, path: path)
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
