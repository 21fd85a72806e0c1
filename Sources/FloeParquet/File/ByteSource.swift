#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FloeColumnar

/// Random-access bytes a Parquet file is read from: a local file or memory.
///
/// Invariants: `size` is fixed for the source's lifetime; `read` returns exactly the requested
/// range or throws (a range outside `0..<size` is a ``ParquetError/Code-swift.struct/corrupt`` error:
/// it comes from lengths in the file). Safe to use from several tasks at once.
public protocol ByteSource: Sendable {
    /// Total size in bytes.
    var size: Int { get }
    /// Reads `count` bytes at `offset`.
    func read(offset: Int, count: Int) throws -> Buffer
}

/// A local file opened read-only; the descriptor is closed when the last reference goes away.
public final class FileByteSource: ByteSource, @unchecked Sendable {
    private let fd: Int32
    /// The path the file was opened at.
    public let path: String
    public let size: Int

    /// Opens `path` for reading. Throws ``ParquetError/Code-swift.struct/io`` when it cannot.
    public convenience init(path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw ParquetError(.io, "cannot open '\(path)': \(String(cString: strerror(errno)))")
        }
        try self.init(descriptor: fd, path: path)
    }

    /// Takes ownership of `descriptor`, a file opened for reading (e.g. by a storage layer that
    /// walked to it without following symbolic links); `path` names it in messages. The
    /// descriptor is closed when the source goes away, also when this initializer throws.
    /// Throws ``ParquetError/Code-swift.struct/io`` when it cannot be `fstat`ed or is a directory.
    public init(descriptor: Int32, path: String) throws {
        var st = stat()
        guard fstat(descriptor, &st) == 0 else {
            let message = String(cString: strerror(errno))
            close(descriptor)
            throw ParquetError(.io, "cannot stat '\(path)': \(message)")
        }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            close(descriptor)
            throw ParquetError(.io, "'\(path)' is a directory, not a Parquet file")
        }
        self.fd = descriptor
        self.path = path
        self.size = Int(st.st_size)
    }

    deinit { close(fd) }

    public func read(offset: Int, count: Int) throws -> Buffer {
        guard offset >= 0, count >= 0, offset <= size, count <= size - offset else {
            throw ParquetError(.corrupt, "'\(path)': byte range \(offset)+\(count) lies outside the file (\(size) bytes)")
        }
        let builder = BufferBuilder(capacity: count)
        try builder.appendUninitialized(count) { dst in
            var done = 0
            while done < count {
                let n = pread(fd, dst.baseAddress! + done, count - done, off_t(offset + done))
                if n < 0 {
                    if errno == EINTR { continue }
                    throw ParquetError(.io, "'\(path)': read failed: \(String(cString: strerror(errno)))")
                }
                if n == 0 { throw ParquetError(.corrupt, "'\(path)': file shrank while reading") }
                done += n
            }
        }
        return builder.finish()
    }
}

/// Bytes already in memory.
public struct MemoryByteSource: ByteSource {
    /// The bytes.
    public let buffer: Buffer
    public var size: Int { buffer.count }

    /// A source over `buffer`.
    public init(_ buffer: Buffer) { self.buffer = buffer }
    /// A source over a copy of `bytes`.
    public init(bytes: [UInt8]) { self.buffer = Buffer(bytes: bytes) }

    public func read(offset: Int, count: Int) throws -> Buffer {
        guard offset >= 0, count >= 0, offset <= size, count <= size - offset else {
            throw ParquetError(.corrupt, "byte range \(offset)+\(count) lies outside the data (\(size) bytes)")
        }
        return buffer.slice(bytesFrom: offset, count: count)
    }
}
