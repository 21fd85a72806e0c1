import Foundation

/// The one writer of standard output. Every result `floe` prints goes through it, so that a
/// failing write (a full disk, `/dev/full`, a closed descriptor) fails the command with
/// `error: cannot write standard output: …` and exit status 1 instead of crashing or exiting 0
/// with the output lost.
///
/// Writes are buffered (up to 64 KiB) and go to descriptor 1 with `write(2)`, retried on
/// `EINTR` and on partial writes. The first failure is sticky: the buffer is dropped and every
/// later `write` or `flush` throws the same error. `FloeCommand.main` flushes once more before
/// exiting and reports a failure of that flush too.
///
/// A write to a pipe whose reader has gone raises `SIGPIPE`, which ends the process as usual for
/// Unix tools (`floe scan t | head`); `floe` does not ignore the signal.
final class StandardOutput: @unchecked Sendable {
    /// The process's standard output.
    static let shared = StandardOutput(fileDescriptor: 1)

    private let fileDescriptor: Int32
    private let lock = NSLock()
    private var buffer: [UInt8] = []
    private var failure: CLIError?
    private static let capacity = 1 << 16

    init(fileDescriptor: Int32) { self.fileDescriptor = fileDescriptor }

    /// Appends `text` to the buffer, writing the buffer out when it is full.
    ///
    /// - Throws: `CLIError` "cannot write standard output: …" when this or an earlier write failed.
    func write(_ text: String) throws {
        try lock.withLock {
            if let failure { throw failure }
            buffer.append(contentsOf: text.utf8)
            if buffer.count >= Self.capacity { try drain() }
        }
    }

    /// Writes `text` and a newline.
    func line(_ text: String) throws { try write(text + "\n") }

    /// Writes `text` and a newline and flushes at once, for results streamed while the command
    /// runs (one line per commit of `append --stream`).
    func emit(_ text: String) throws {
        try write(text + "\n")
        try flush()
    }

    /// Writes out everything buffered.
    ///
    /// - Throws: `CLIError` "cannot write standard output: …" when this or an earlier write failed.
    func flush() throws {
        try lock.withLock {
            if let failure { throw failure }
            try drain()
        }
    }

    /// Flushes, then, when standard output is a regular file, makes what was written durable with
    /// `fsync`: a consumer group's offset is committed only after the rows it covers would
    /// survive a crash.
    ///
    /// - Throws: `CLIError` as ``flush()``, or when the sync fails.
    func flushDurably() throws {
        try lock.withLock {
            if let failure { throw failure }
            try drain()
            var info = stat()
            guard fstat(fileDescriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return }
            while fsync(fileDescriptor) != 0 {
                let code = errno
                if code == EINTR { continue }
                let error = CLIError("cannot write standard output: fsync failed: \(String(cString: strerror(code)))")
                failure = error
                throw error
            }
        }
    }

    /// Writes the buffer to the descriptor; the lock is held.
    private func drain() throws {
        var offset = 0
        defer {
            if offset > 0 { buffer.removeFirst(offset) }
        }
        while offset < buffer.count {
            let n = buffer.withUnsafeBytes { raw in
                Foundation.write(fileDescriptor, raw.baseAddress! + offset, raw.count - offset)
            }
            if n < 0 {
                let code = errno
                if code == EINTR { continue }
                if code == EAGAIN || code == EWOULDBLOCK {
                    // A non-blocking descriptor that is full: wait until it takes more.
                    var ready = pollfd(fd: fileDescriptor, events: Int16(POLLOUT), revents: 0)
                    _ = poll(&ready, 1, -1)
                    continue
                }
                let error = CLIError("cannot write standard output: \(String(cString: strerror(code)))")
                failure = error
                buffer.removeAll()
                offset = 0
                throw error
            }
            if n == 0 {
                let error = CLIError("cannot write standard output: the write made no progress")
                failure = error
                buffer.removeAll()
                offset = 0
                throw error
            }
            offset += n
        }
    }
}

/// Standard error, best effort: a diagnostic that cannot be written is dropped (there is nowhere
/// left to report it), and a failing write never crashes the process.
enum StandardError {
    /// Writes `text` as it is (no newline added).
    static func write(_ text: String) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw in
                Foundation.write(2, raw.baseAddress! + offset, raw.count - offset)
            }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            offset += n
        }
    }
}

/// Results go through `StandardOutput`; Swift's `print` (buffered by the C library, whose
/// failures are lost at exit) is unavailable in this module.
@available(*, unavailable, message: "write results with StandardOutput.shared.line(_:) (it reports failed writes)")
func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {}
