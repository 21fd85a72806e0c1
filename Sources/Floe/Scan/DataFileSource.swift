import FloeColumnar
import FloeParquet

/// Opens a table's data files for reading through its storage: local files directly (`pread`),
/// other storages through their range reads. Paths are relative to the table root; a path that
/// escapes the root, or an absolute URI, is refused with ``DeltaError/Code/pathEscapesTable``.
enum DataFileSource {
    static func open(_ relativePath: String, in storage: any LogStorage) throws -> ParquetFileReader {
        if relativePath.hasPrefix("/") || relativePath.contains("://") || relativePath.hasPrefix("file:") {
            throw DeltaError(.pathEscapesTable, "data file '\(relativePath)' is an absolute path; Floe reads only files inside the table")
        }
        do {
            if let local = storage as? LocalStorage {
                let path = try local.absolutePath(relativePath)
                return try ParquetFileReader(path: path)
            }
            guard let entry = try storage.entry(at: relativePath) else {
                throw DeltaError(.fileNotFound, "data file '\(relativePath)' is missing")
            }
            return try ParquetFileReader(source: StorageByteSource(storage: storage, path: relativePath, size: Int(entry.size)),
                                         label: relativePath)
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
