import FloeColumnar

/// A summary of a Parquet file's footer.
///
/// Invariants: `numRows` is the footer's row count and equals the sum of the row groups' rows
/// (checked on open); `rowGroups[i].columns[j]` describes leaf `j` of the schema.
public struct ParquetMetadata: Sendable {
    /// The format version the writer recorded.
    public let version: Int
    /// Total rows.
    public let numRows: Int
    /// The writing application, e.g. `parquet-cpp-arrow version 18.0.0`.
    public let createdBy: String?
    /// Application key/value metadata (e.g. the Arrow schema under `ARROW:schema`).
    public let keyValueMetadata: [String: String]
    /// The row groups.
    public let rowGroups: [RowGroupMetadata]

    init(_ meta: FileMetaData, schema: ParquetSchema, label: String) throws {
        version = Int(meta.version)
        numRows = Int(meta.numRows)
        createdBy = meta.createdBy
        var kv: [String: String] = [:]
        for item in meta.keyValueMetadata ?? [] { kv[item.key] = item.value ?? "" }
        keyValueMetadata = kv
        var groups: [RowGroupMetadata] = []
        var total: Int64 = 0
        for (i, rg) in meta.rowGroups.enumerated() {
            guard rg.numRows >= 0 else { throw ParquetError(.corrupt, "'\(label)': row group \(i) has a negative row count") }
            let (sum, overflow) = total.addingReportingOverflow(rg.numRows)
            guard !overflow else { throw ParquetError(.corrupt, "'\(label)': the row groups' row counts overflow 64 bits") }
            total = sum
            groups.append(RowGroupMetadata(rg, schema: schema))
        }
        guard total == meta.numRows || meta.rowGroups.isEmpty else {
            throw ParquetError(.corrupt, "'\(label)': footer says \(meta.numRows) rows but row groups hold \(total)")
        }
        rowGroups = groups
    }
}

/// One row group's metadata.
public struct RowGroupMetadata: Sendable {
    /// Rows in the group.
    public let numRows: Int
    /// Uncompressed bytes of all its column data.
    public let totalByteSize: Int
    /// One entry per leaf column, in schema order.
    public let columns: [ColumnChunkMetadata]
    private let paths: [String: Int]

    init(_ rg: RowGroup, schema: ParquetSchema) {
        numRows = Int(rg.numRows)
        totalByteSize = Int(rg.totalByteSize)
        var cols: [ColumnChunkMetadata] = []
        var paths: [String: Int] = [:]
        for (j, chunk) in rg.columns.enumerated() {
            let descriptor = j < schema.columns.count ? schema.columns[j] : nil
            cols.append(ColumnChunkMetadata(chunk, descriptor: descriptor, schema: schema))
            if let descriptor, descriptor.maxRepetitionLevel == 0 { paths[descriptor.dottedPath] = j }
        }
        columns = cols
        self.paths = paths
    }

    /// Whether rows of this group might satisfy `predicate`, judging by column statistics
    /// (conservative: true unless the statistics rule every row out).
    public func mightMatch(_ predicate: Condition, schema: Schema) -> Bool {
        predicate.mightMatch { name in
            guard let j = paths[name], let stats = columns[j].statistics else { return nil }
            let allNull = stats.nullCount.map { $0 == columns[j].numValues && numRows > 0 } ?? false
            return ColumnBounds(min: stats.min, max: stats.max, nullCount: stats.nullCount, allNull: allNull)
        }
    }
}

/// One column chunk's metadata.
public struct ColumnChunkMetadata: Sendable {
    /// The leaf's path in the schema.
    public let path: [String]
    /// The physical type, when known.
    public let physicalType: PhysicalType?
    /// The compression codec's name (`SNAPPY`, `ZSTD`, ...).
    public let codec: String
    /// The encodings used by its pages.
    public let encodings: [String]
    /// Level entries (values including nulls) in the chunk.
    public let numValues: Int
    /// Stored bytes.
    public let compressedSize: Int
    /// Bytes after decompression.
    public let uncompressedSize: Int
    /// Min/max/null statistics when the writer recorded trustworthy ones.
    public let statistics: ColumnStatistics?

    init(_ chunk: ColumnChunk, descriptor: ColumnDescriptor?, schema: ParquetSchema) {
        let meta = chunk.metaData
        path = meta?.pathInSchema ?? descriptor?.path ?? []
        physicalType = meta.flatMap { PhysicalType(rawValue: $0.type.rawValue) }
        codec = meta.map { "\($0.codec)" } ?? "UNKNOWN"
        encodings = meta?.encodings.map { "\($0)" } ?? []
        numValues = Int(meta?.numValues ?? 0)
        compressedSize = Int(meta?.totalCompressedSize ?? 0)
        uncompressedSize = Int(meta?.totalUncompressedSize ?? 0)
        if let s = meta?.statistics, let descriptor, let type = try? ParquetSchema.arrowType(of: descriptor.node, path: descriptor.path) {
            statistics = ColumnChunkMetadata.decode(s, node: descriptor.node, type: type)
        } else {
            statistics = nil
        }
    }

    /// Decodes Thrift statistics, preferring `min_value`/`max_value`; legacy `min`/`max` are used
    /// only for types whose legacy (signed) sort order is the type's order.
    static func decode(_ s: Statistics, node: SchemaNode, type: DataType) -> ColumnStatistics {
        var out = ColumnStatistics(nullCount: s.nullCount.map { Int($0) }, distinctCount: s.distinctCount.map { Int($0) })
        if let lo = s.minValue, let hi = s.maxValue {
            out.min = ColumnStatistics.decode(lo, node: node, type: type)
            out.max = ColumnStatistics.decode(hi, node: node, type: type)
            out.isMinExact = s.isMinValueExact ?? true
            out.isMaxExact = s.isMaxValueExact ?? true
        } else if let lo = s.min, let hi = s.max, legacyOrderIsValid(node: node, type: type) {
            out.min = ColumnStatistics.decode(lo, node: node, type: type)
            out.max = ColumnStatistics.decode(hi, node: node, type: type)
        }
        if case .float(let x)? = out.min, x.isNaN { out.min = nil; out.max = nil }
        if case .float(let x)? = out.max, x.isNaN { out.min = nil; out.max = nil }
        if out.min == nil || out.max == nil { out.min = nil; out.max = nil }
        return out
    }

    private static func legacyOrderIsValid(node: SchemaNode, type: DataType) -> Bool {
        switch type {
        case .uint8, .uint16, .uint32, .uint64: return false
        default: break
        }
        switch node.physicalType {
        case .boolean?, .int32?, .int64?, .float?, .double?: return true
        default: return false
        }
    }
}
