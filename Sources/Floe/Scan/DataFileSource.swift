import FloeColumnar
import FloeParquet

/// Opens a table's data files for reading through its storage (INT96 timestamps decoded straight
/// to microseconds, Delta's unit, so Spark's dates after 2262 survive): local files directly (`pread`),
/// other storages through their range reads. Paths are mapped to files by ``TablePath/relative(_:in:what:)``
/// (the one canonicalisation the reader and vacuum share); a path that escapes the root, or a
/// symbolic link below it, is refused with ``DeltaError/Code/pathEscapesTable``.
enum DataFileSource {
    static func open(_ path: String, in storage: any LogStorage) throws -> ParquetFileReader {
        let relativePath = try TablePath.relative(path, in: storage, what: "data file")
        do {
            if let local = storage as? LocalStorage {
                // Opened without following symbolic links below the root (a regular file only).
                let (fd, path) = try local.openForReading(relativePath)
                return try ParquetFileReader(source: try FileByteSource(descriptor: fd, path: path), label: path, int96Unit: .microsecond)
            }
            guard let entry = try storage.entry(at: relativePath) else {
                throw DeltaError(.fileNotFound, "data file '\(relativePath)' is missing")
            }
            return try ParquetFileReader(source: StorageByteSource(storage: storage, path: relativePath, size: Int(entry.size)),
                                         label: relativePath, int96Unit: .microsecond)
        } catch let e as ParquetError where e.code == .io {
            throw DeltaError(.fileNotFound, "data file '\(relativePath)' cannot be read: \(e.message)", underlying: e)
        } catch let e as ParquetError {
            throw DeltaError(.corruptData, "data file '\(relativePath)': \(e.message)", underlying: e)
        }
    }
}

/// A ``ByteSource`` over a file of a ``LogStorage``.
struct StorageByteSource: ByteSource {
    let storage: any LogStorage
    let path: String
    let size: Int

    func read(offset: Int, count: Int) throws -> Buffer {
        guard offset >= 0, count >= 0, offset + count <= size else {
            throw ParquetError(.corrupt, "'\(path)': byte range \(offset)+\(count) lies outside the file (\(size) bytes)")
        }
        return Buffer(bytes: try storage.read(path, offset: Int64(offset), length: count))
    }
}
