#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Synchronization
import FloeColumnar

/// What a finished Parquet file holds.
public struct ParquetWriteSummary: Sendable {
    /// The final path.
    public let path: String
    /// Rows written.
    public let numRows: Int
    /// File size in bytes.
    public let fileSize: Int
    /// Statistics per top-level leaf column path (dotted), merged over row groups.
    public let statistics: [String: ColumnStatistics]
}

/// Writes a Parquet file from record batches, crash-safely: data goes to a hidden temporary file
/// next to the destination, which is fsynced and renamed into place only by ``close()``; until then
/// (and after ``abort()`` or a crash) the destination does not exist.
///
/// Invariants: every batch must have the writer's schema (same types; nullability enforced);
/// row groups hold at most `options.rowGroupSize` rows. Not `Sendable`: one task writes a file.
public final class ParquetFileWriter {
    /// The schema of every batch.
    public let schema: Schema
    /// The destination path.
    public let path: String
    private let options: ParquetWriteOptions
    private let parquetSchema: ParquetSchema
    private let root: SchemaNode
    private let temporaryPath: String
    private let name: String
    private let temporaryName: String
    /// The destination directory (`-1` for in-memory writers or once closed).
    private var directoryFD: Int32 = -1
    private var fd: Int32
    private var position = 0
    private var rowGroups: [RowGroup] = []
    private var writers: [ColumnChunkWriter] = []
    private var rowsInGroup = 0
    private var totalRows = 0
    private var mergedStatistics: [String: ColumnStatistics] = [:]
    private var isClosed = false
    /// Set when writing to memory instead of a file.
    private let memory: BufferBuilder?

    /// Starts a file at `path` (created or replaced when ``close()`` succeeds).
    public convenience init(path: String, schema: Schema, options: ParquetWriteOptions = ParquetWriteOptions()) throws {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let dfd = open(directory.isEmpty ? "/" : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard dfd >= 0 else {
            throw ParquetError(.io, "cannot open directory '\(directory)': \(String(cString: strerror(errno)))")
        }
        defer { Glibc.close(dfd) }
        try self.init(directory: dfd, name: name, path: path, schema: schema, options: options)
    }

    /// Starts a file named `name` in the open directory `directory` (created or replaced when
    /// ``close()`` succeeds); `path` names it in messages and the summary. The temporary file is
    /// created, renamed and removed relative to the directory descriptor (with `O_NOFOLLOW`), so a
    /// caller that opened the directory without following symbolic links writes exactly there.
    /// The writer keeps its own duplicate of the descriptor; the caller may close `directory`.
    public init(directory: Int32, name: String, path: String, schema: Schema, options: ParquetWriteOptions = ParquetWriteOptions()) throws {
        self.schema = schema
        self.path = path
        self.options = options
        self.root = try SchemaNode.writeSchema(for: schema, decimalsAsIntegers: options.storesDecimalsAsIntegers)
        self.parquetSchema = try ParquetSchema(root: root)
        self.name = name
        self.temporaryName = ".\(name).floe-tmp-\(UInt64.random(in: 0 ... .max))"
        let slash = path.lastIndex(of: "/")
        self.temporaryPath = (slash.map { String(path[...$0]) } ?? "") + temporaryName
        self.memory = nil
        directoryFD = dup(directory)
        guard directoryFD >= 0 else {
            throw ParquetError(.io, "cannot use the directory of '\(path)': \(String(cString: strerror(errno)))")
        }
        fd = openat(directoryFD, temporaryName, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            let message = String(cString: strerror(errno))
            Glibc.close(directoryFD)
            directoryFD = -1
            throw ParquetError(.io, "cannot create '\(temporaryPath)': \(message)")
        }
        try writeBytes(Array("PAR1".utf8))
        startRowGroup()
    }

    /// Starts a file written to memory; ``finishInMemory()`` returns its bytes.
    public init(inMemorySchema schema: Schema, options: ParquetWriteOptions = ParquetWriteOptions()) throws {
        self.schema = schema
        self.path = ""
        self.options = options
        self.root = try SchemaNode.writeSchema(for: schema, decimalsAsIntegers: options.storesDecimalsAsIntegers)
        self.parquetSchema = try ParquetSchema(root: root)
        self.temporaryPath = ""
        self.name = ""
        self.temporaryName = ""
        self.memory = BufferBuilder(capacity: 1 << 16)
        self.fd = -1
        try writeBytes(Array("PAR1".utf8))
        startRowGroup()
    }

    deinit {
        if !isClosed { abort() }
    }

    private func startRowGroup() {
        writers = parquetSchema.columns.map { ColumnChunkWriter(descriptor: $0, options: options) }
        rowsInGroup = 0
    }

    private func writeBytes(_ bytes: UnsafeRawBufferPointer) throws {
        if let memory {
            memory.append(bytes: bytes)
            position += bytes.count
            return
        }
        var done = 0
        while done < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw ParquetError(.io, "writing '\(temporaryPath)' failed: \(String(cString: strerror(errno)))")
            }
            done += n
        }
        position += bytes.count
    }

    private func writeBytes(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try writeBytes($0) }
    }

    /// Appends a batch. Throws ``ParquetError/Code-swift.struct/schemaMismatch`` when its types differ
    /// from the writer's schema or a non-nullable column holds a null; nothing of that batch is kept then
    /// only if it was the first of its row group (otherwise the file should be aborted).
    public func write(_ batch: RecordBatch) throws {
        guard !isClosed else { throw ParquetError(.internalError, "write after close") }
        guard batch.columns.count == schema.fields.count else {
            throw ParquetError(.schemaMismatch, "batch has \(batch.columns.count) columns, file schema has \(schema.fields.count)")
        }
        for (f, c) in zip(schema.fields, batch.columns) where c.dataType != f.dataType {
            throw ParquetError(.schemaMismatch, "column '\(f.name)' has type \(c.dataType), the file schema says \(f.dataType)")
        }
        var offset = 0
        while offset < batch.count {
            let room = options.rowGroupSize - rowsInGroup
            let n = min(room, batch.count - offset)
            let part = (offset == 0 && n == batch.count) ? batch : batch.slice(offset, n)
            try writeRows(part)
            offset += n
            if rowsInGroup >= options.rowGroupSize { try flushRowGroup() }
        }
    }

    private func writeRows(_ batch: RecordBatch) throws {
        var shredder = LevelShredder()
        for (f, c) in zip(schema.fields, batch.columns) { try shredder.shred(c, field: f) }
        let leaves = shredder.leaves
        guard leaves.count == writers.count else {
            throw ParquetError(.internalError, "shredding produced \(leaves.count) leaves for \(writers.count) columns")
        }
        // Small batches encode faster on this thread than the hand-off to others costs.
        if options.parallelism > 1 && writers.count > 1 && batch.count >= 4096 {
            let errors = ErrorSlot()
            let writers = UncheckedBox(self.writers)
            DispatchQueue.concurrentPerform(iterations: self.writers.count) { i in
                // Each writer is touched by exactly one iteration.
                do { try writers.value[i].write(leaves[i]) } catch { errors.record(error) }
            }
            if let e = errors.first { throw e }
        } else {
            for (w, l) in zip(writers, leaves) { try w.write(l) }
        }
        rowsInGroup += batch.count
        totalRows += batch.count
    }

    /// Ends the current row group early, so that the next batch starts a new one (e.g. to keep
    /// rows that readers look up alone in a small first row group). Does nothing when the current
    /// row group is empty.
    public func endRowGroup() throws {
        guard !isClosed else { throw ParquetError(.internalError, "endRowGroup after close") }
        try flushRowGroup()
    }

    private func flushRowGroup() throws {
        guard rowsInGroup > 0 else { return }
        var chunks: [ColumnChunk] = []
        var totalUncompressed: Int64 = 0
        let groupStart = position
        for w in writers {
            let encoded = try w.finish()
            let base = Int64(position)
            var meta = encoded.metaData
            meta.dataPageOffset = base + Int64(encoded.dataPageOffset)
            meta.dictionaryPageOffset = encoded.dictionaryPageOffset.map { base + Int64($0) }
            try encoded.bytes.withUnsafeBytes { try writeBytes($0) }
            totalUncompressed += meta.totalUncompressedSize
            var chunk = ColumnChunk()
            chunk.fileOffset = base
            chunk.metaData = meta
            chunks.append(chunk)
            mergeStatistics(meta, descriptor: w.descriptor)
        }
        var rowGroup = RowGroup(columns: chunks, totalByteSize: totalUncompressed, numRows: Int64(rowsInGroup))
        rowGroup.fileOffset = Int64(groupStart)
        rowGroup.totalCompressedSize = Int64(position - groupStart)
        rowGroup.ordinal = Int16(truncatingIfNeeded: rowGroups.count)
        rowGroups.append(rowGroup)
        startRowGroup()
    }

    private func mergeStatistics(_ meta: ColumnMetaData, descriptor: ColumnDescriptor) {
        guard let s = meta.statistics, let type = try? ParquetSchema.arrowType(of: descriptor.node, path: descriptor.path) else { return }
        let decoded = ColumnChunkMetadata.decode(s, node: descriptor.node, type: type)
        let key = descriptor.dottedPath
        guard var current = mergedStatistics[key] else { mergedStatistics[key] = decoded; return }
        if let a = current.nullCount, let b = decoded.nullCount { current.nullCount = a + b } else { current.nullCount = nil }
        if let lo = decoded.min, let cur = current.min { current.min = ScalarOrder.less(lo, cur) ? lo : cur } else if current.min == nil { current.min = decoded.min }
        if let hi = decoded.max, let cur = current.max { current.max = ScalarOrder.less(cur, hi) ? hi : cur } else if current.max == nil { current.max = decoded.max }
        mergedStatistics[key] = current
    }

    /// Writes the footer, syncs, and renames the file into place. Returns what was written.
    @discardableResult
    public func close() throws -> ParquetWriteSummary {
        guard !isClosed else { throw ParquetError(.internalError, "close called twice") }
        guard memory == nil else { throw ParquetError(.internalError, "an in-memory writer is finished with finishInMemory()") }
        do {
            try writeFooter()
            if options.isDurable && fsync(fd) != 0 {
                throw ParquetError(.io, "fsync of '\(temporaryPath)' failed: \(String(cString: strerror(errno)))")
            }
            Glibc.close(fd)
            fd = -1
            guard renameat(directoryFD, temporaryName, directoryFD, name) == 0 else {
                throw ParquetError(.io, "cannot move the finished file to '\(path)': \(String(cString: strerror(errno)))")
            }
            if options.isDurable {
                while fsync(directoryFD) != 0 {
                    if errno == EINTR { continue }
                    let message = String(cString: strerror(errno))
                    Glibc.close(directoryFD)
                    directoryFD = -1
                    isClosed = true
                    throw ParquetError(.io, "fsync of the directory of '\(path)' failed: \(message)")
                }
            }
            Glibc.close(directoryFD)
            directoryFD = -1
            isClosed = true
            return ParquetWriteSummary(path: path, numRows: totalRows, fileSize: position, statistics: mergedStatistics)
        } catch {
            abort()
            throw error
        }
    }

    private func writeFooter() throws {
        try flushRowGroup()
        var meta = FileMetaData(version: 2, schema: root.flattened(), numRows: Int64(totalRows), rowGroups: rowGroups)
        meta.createdBy = "Floe version 0.1.0 (FloeParquet)"
        if !options.keyValueMetadata.isEmpty {
            meta.keyValueMetadata = options.keyValueMetadata.sorted { $0.key < $1.key }.map { KeyValue(key: $0.key, value: $0.value) }
        }
        meta.columnOrders = parquetSchema.columns.map { _ in .typeDefinedOrder }
        var writer = ThriftCompactWriter()
        meta.write(to: &writer)
        let footer = writer.bytes
        try footer.withUnsafeBytes { try writeBytes($0) }
        var length = UInt32(footer.count).littleEndian
        try withUnsafeBytes(of: &length) { try writeBytes($0) }
        try writeBytes(Array("PAR1".utf8))
    }

    /// Writes the footer and returns the whole file's bytes (in-memory writers only).
    public func finishInMemory() throws -> Buffer {
        guard let memory, !isClosed else { throw ParquetError(.internalError, "finishInMemory needs an open in-memory writer") }
        try writeFooter()
        isClosed = true
        return memory.finish()
    }

    /// Encodes `batches` (all of one schema) as the bytes of one Parquet file.
    public static func encode(_ batches: [RecordBatch], schema: Schema? = nil,
                              options: ParquetWriteOptions = ParquetWriteOptions()) throws -> Buffer {
        guard let schema = schema ?? batches.first?.schema else {
            throw ParquetError(.schemaMismatch, "no batches and no schema to encode")
        }
        let writer = try ParquetFileWriter(inMemorySchema: schema, options: options)
        for b in batches { try writer.write(b) }
        return try writer.finishInMemory()
    }

    /// Discards the file: the temporary file is removed and the destination is left untouched.
    public func abort() {
        if fd >= 0 { Glibc.close(fd); fd = -1 }
        if directoryFD >= 0 {
            unlinkat(directoryFD, temporaryName, 0)
            Glibc.close(directoryFD)
            directoryFD = -1
        }
        isClosed = true
    }

    /// Writes `batches` (all of one schema) to `path` as one file.
    @discardableResult
    public static func write(_ batches: [RecordBatch], to path: String, schema: Schema? = nil,
                             options: ParquetWriteOptions = ParquetWriteOptions()) throws -> ParquetWriteSummary {
        guard let schema = schema ?? batches.first?.schema else {
            throw ParquetError(.schemaMismatch, "no batches and no schema to write to '\(path)'")
        }
        let writer = try ParquetFileWriter(path: path, schema: schema, options: options)
        for b in batches { try writer.write(b) }
        return try writer.close()
    }
}

/// The first error thrown by concurrent work.
final class ErrorSlot: Sendable {
    private let error = Mutex<(any Error)?>(nil)
    func record(_ e: any Error) { error.withLock { if $0 == nil { $0 = e } } }
    var first: (any Error)? { error.withLock { $0 } }
}

/// Hands non-Sendable state to concurrent work that touches disjoint parts of it.
struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
