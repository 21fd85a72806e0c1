import FloeColumnar
import FloeParquet

/// Opens a table's data files for reading through its storage (INT96 timestamps decoded straight
/// to microseconds, Delta's unit, so Spark's dates after 2262 survive): local files directly (`pread`),
/// other storages through their range reads. Paths are relative to the table root, or absolute
/// inside it; a path that escapes the root is refused with ``DeltaError/Code/pathEscapesTable``.
enum DataFileSource {
    static func open(_ path: String, in storage: any LogStorage) throws -> ParquetFileReader {
        let relativePath = try TablePath.relative(path, in: storage, what: "data file")
        do {
            if let local = storage as? LocalStorage {
                let path = try local.readablePath(relativePath)
                return try ParquetFileReader(path: path, int96Unit: .microsecond)
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

/// Resolves the (already percent-decoded) paths of the log — `add.path`, absolute deletion vector
/// paths — to paths relative to the table root.
enum TablePath {
    /// `path` relative to the table root: relative paths are returned as they are; absolute paths
    /// (`/abs/path`, `file:/abs/path`, `file:///abs/path`, or a URI under the storage's root
    /// description) only when they lie inside the table — or, kept absolute, when they lie under
    /// one of ``LocalStorage/externalReadRoots`` (none by default).
    ///
    /// - Throws: ``DeltaError/Code/pathEscapesTable`` for a path outside the table.
    static func relative(_ path: String, in storage: any LogStorage, what: String) throws -> String {
        var absolute: String?
        if path.hasPrefix("file://") {
            absolute = String(path.dropFirst("file://".count))
            if absolute?.hasPrefix("/") == false { absolute = nil }  // file://host/... is not local
        } else if path.hasPrefix("file:/") {
            absolute = String(path.dropFirst("file:".count))
        } else if path.hasPrefix("/") {
            absolute = path
        } else if path.contains("://") {
            let root = storage.rootDescription.hasSuffix("/") ? storage.rootDescription : storage.rootDescription + "/"
            if path.hasPrefix(root) { return String(path.dropFirst(root.count)) }
            throw DeltaError(.pathEscapesTable, "\(what) '\(path)' is outside the table \(storage.rootDescription); Floe reads only files inside the table")
        } else {
            // Storage refuses `..` anyway; refusing here names what the path was for.
            if path.split(separator: "/", omittingEmptySubsequences: false).contains("..") {
                throw DeltaError(.pathEscapesTable, "\(what) '\(path)' climbs out with '..': it is outside the table \(storage.rootDescription); Floe reads only files inside the table")
            }
            return path
        }
        if let absolute, let local = storage as? LocalStorage, let external = local.externalPath(absolute) {
            return external  // allowed by LocalStorage.externalReadRoots
        }
        guard let absolute, let local = storage as? LocalStorage else {
            throw DeltaError(.pathEscapesTable, "\(what) '\(path)' is an absolute path outside the table \(storage.rootDescription); Floe reads only files inside the table")
        }
        let resolved: String
        do { resolved = try local.absolutePath(LocalStorage.normalize(absolute: absolute)) } catch let e as DeltaError {
            throw DeltaError(.pathEscapesTable, "\(what) '\(path)' is outside the table \(local.root); Floe reads only files inside the table", underlying: e)
        }
        let prefix = local.root == "/" ? "/" : local.root + "/"
        guard resolved.hasPrefix(prefix) else {
            throw DeltaError(.pathEscapesTable, "\(what) '\(path)' is not a file inside the table \(local.root)")
        }
        return String(resolved.dropFirst(prefix.count))
    }
}
