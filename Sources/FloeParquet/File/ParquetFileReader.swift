import Dispatch
import Synchronization
import FloeColumnar

/// Reads a Parquet file: its footer on open, then row groups on demand, one ``RecordBatch`` per
/// row group, decoding only the requested columns.
///
/// Invariants: opening validates the magic bytes, the footer length and the schema; nothing else is
/// read until asked. Memory is bounded by one row group of the projected columns at a time. Every
/// malformed input surfaces as a ``ParquetError``. The reader is immutable and `Sendable`: row
/// groups may be read from several tasks at once.
public final class ParquetFileReader: Sendable {
    /// Where the bytes come from.
    public let source: any ByteSource
    /// The file's schema (tree, leaf columns and Arrow mapping).
    public let schema: ParquetSchema
    /// A summary of the footer.
    public let metadata: ParquetMetadata
    let fileMetaData: FileMetaData
    private let label: String

    /// Opens the file at `path`; INT96 timestamps are read in `int96Unit`.
    public convenience init(path: String, int96Unit: TimeUnit = .nanosecond) throws {
        try self.init(source: FileByteSource(path: path), label: path, int96Unit: int96Unit)
    }

    /// Opens a file from any byte source; `label` names it in errors. INT96 timestamps are read
    /// as `timestamp[int96Unit]` (nanoseconds wrap outside 1677–2262; microseconds do not).
    public init(source: any ByteSource, label: String = "parquet data", int96Unit: TimeUnit = .nanosecond) throws {
        self.source = source
        self.label = label
        let size = source.size
        guard size >= 12 else {
            throw ParquetError(.corrupt, "'\(label)': \(size) bytes is too small to be a Parquet file")
        }
        let head = try source.read(offset: 0, count: 4)
        let tail = try source.read(offset: size - 8, count: 8)
        let magic: [UInt8] = Array("PAR1".utf8)
        if tail.bytes[4...] == Array("PARE".utf8)[...] {
            throw ParquetError(.unsupported, "'\(label)': encrypted Parquet files (PARE footer) are not supported")
        }
        guard head.bytes == magic, Array(tail.bytes[4...]) == magic else {
            throw ParquetError(.corrupt, "'\(label)': not a Parquet file (missing PAR1 magic bytes)")
        }
        let footerLength = Int(UInt32(littleEndian: tail.withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }))
        guard footerLength > 0, footerLength <= size - 12 else {
            throw ParquetError(.corrupt, "'\(label)': footer length \(footerLength) does not fit in a file of \(size) bytes")
        }
        let footer = try source.read(offset: size - 8 - footerLength, count: footerLength)
        let meta: FileMetaData
        do {
            meta = try footer.withUnsafeBytes { try FileMetaData(footerBytes: $0) }
        } catch let error as ParquetError {
            throw ParquetError(error.code, "'\(label)': footer: \(error.message)", underlying: error.underlying)
        }
        if meta.isEncrypted {
            throw ParquetError(.unsupported, "'\(label)': encrypted Parquet files are not supported")
        }
        let root = try SchemaNode.tree(from: meta.schema)
        self.schema = try ParquetSchema(root: root, int96Unit: int96Unit)
        self.fileMetaData = meta
        self.metadata = try ParquetMetadata(meta, schema: schema, label: label)
    }

    /// The Arrow schema of the whole file.
    public var arrowSchema: Schema { schema.arrowSchema }

    /// The schema of the batches a read of `columns` produces (nil = every column).
    public func projectedSchema(columns: [String]?) throws -> Schema {
        try ProjectionPlan(schema: schema, columns: columns).schema
    }

    /// The number of row groups.
    public var rowGroupCount: Int { fileMetaData.rowGroups.count }

    /// Reads row group `index`, keeping only `columns` (top-level names, or dotted paths into
    /// structs such as `"address.city"`; nil = all), decoding leaf columns on up to `parallelism`
    /// threads.
    public func readRowGroup(_ index: Int, columns: [String]? = nil, parallelism: Int = 1) throws -> RecordBatch {
        let plan = try ProjectionPlan(schema: schema, columns: columns)
        return try readRowGroup(index, plan: plan, parallelism: parallelism)
    }

    func readRowGroup(_ index: Int, plan: ProjectionPlan, parallelism: Int) throws -> RecordBatch {
        guard index >= 0, index < fileMetaData.rowGroups.count else {
            throw ParquetError(.schemaMismatch, "'\(label)': row group \(index) does not exist (file has \(fileMetaData.rowGroups.count))")
        }
        let rowGroup = fileMetaData.rowGroups[index]
        guard rowGroup.columns.count == schema.columns.count else {
            throw ParquetError(.corrupt, "'\(label)': row group \(index) has \(rowGroup.columns.count) column chunks, schema has \(schema.columns.count) leaves")
        }
        let leaves = plan.leaves
        let results = LeafResults(count: leaves.count)
        let work: @Sendable (Int) -> Void = { [self] k in
            let leaf = leaves[k]
            let descriptor = schema.columns[leaf]
            do {
                let reader = ColumnChunkReader(descriptor: descriptor, arrowType: plan.leafTypes[leaf] ?? .null,
                                               chunk: rowGroup.columns[leaf], fileSize: source.size)
                results.set(k, .success(try reader.read(from: source)))
            } catch {
                results.set(k, .failure(error))
            }
        }
        if parallelism > 1 && leaves.count > 1 {
            DispatchQueue.concurrentPerform(iterations: leaves.count, execute: work)
        } else {
            for k in 0..<leaves.count { work(k) }
        }
        var decoded: [Int: LeafData] = [:]
        for (k, leaf) in leaves.enumerated() {
            switch results.get(k) {
            case .success(let data)?: decoded[leaf] = data
            case .failure(let error)?:
                if let e = error as? ParquetError {
                    throw ParquetError(e.code, "'\(label)' row group \(index): \(e.message)", underlying: e.underlying)
                }
                throw error
            case nil: throw ParquetError(.internalError, "leaf \(leaf) was not decoded")
            }
        }
        let assembler = LevelAssembler(leaves: decoded)
        var columns: [Column] = []
        for node in plan.nodes {
            let column = try assembler.assemble(node)
            guard column.count == Int(rowGroup.numRows) else {
                throw ParquetError(.corrupt, "'\(label)' row group \(index): a column has \(column.count) rows, the row group says \(rowGroup.numRows)")
            }
            columns.append(column)
        }
        if plan.nodes.isEmpty {
            return try RecordBatch(schema: plan.schema, columns: [], count: Int(rowGroup.numRows))
        }
        return try RecordBatch(schema: plan.schema, columns: columns)
    }

    /// Iterates the file's row groups as batches, skipping row groups whose statistics prove that
    /// no row can satisfy `predicate`.
    public func batches(columns: [String]? = nil, where predicate: Condition? = nil, parallelism: Int = 1) throws -> BatchIterator {
        let plan = try ProjectionPlan(schema: schema, columns: columns)
        var groups: [Int] = []
        for i in 0..<rowGroupCount {
            if let predicate, !metadata.rowGroups[i].mightMatch(predicate, schema: arrowSchema) { continue }
            groups.append(i)
        }
        return BatchIterator(reader: self, plan: plan, rowGroups: groups, parallelism: parallelism)
    }

    /// Reads every (matching) row group into memory.
    public func readAll(columns: [String]? = nil, where predicate: Condition? = nil, parallelism: Int = 1) throws -> [RecordBatch] {
        var it = try batches(columns: columns, where: predicate, parallelism: parallelism)
        var out: [RecordBatch] = []
        while let b = try it.next() { out.append(b) }
        return out
    }

    /// Streams row groups one at a time.
    public struct BatchIterator {
        let reader: ParquetFileReader
        let plan: ProjectionPlan
        /// The row groups that will be read, in order.
        public let rowGroups: [Int]
        let parallelism: Int
        var position = 0

        /// The next batch, or nil at the end.
        public mutating func next() throws -> RecordBatch? {
            guard position < rowGroups.count else { return nil }
            defer { position += 1 }
            return try reader.readRowGroup(rowGroups[position], plan: plan, parallelism: parallelism)
        }
    }
}

/// Thread-safe slots for results computed concurrently.
private final class LeafResults: Sendable {
    private let slots: Mutex<[Result<LeafData, any Error>?]>
    init(count: Int) { slots = Mutex(Array(repeating: nil, count: count)) }
    func set(_ i: Int, _ r: Result<LeafData, any Error>) { slots.withLock { $0[i] = r } }
    func get(_ i: Int) -> Result<LeafData, any Error>? { slots.withLock { $0[i] } }
}
