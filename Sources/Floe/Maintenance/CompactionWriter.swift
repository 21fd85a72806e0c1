import Foundation
import FloeColumnar
import FloeParquet

/// Streams rows into one new data file of a table — like the writes of ``Table/write(_:options:)``
/// (physical names and field ids under column mapping, Hive-style partition directory, `part-00000-<uuid>-c000.<codec>.parquet`, Delta stats JSON),
/// but batch by batch, so compacting many files holds one row group in memory, not the files.
///
/// The file appears under its final name only when ``finish()`` succeeds (``ParquetFileWriter``
/// writes a hidden temporary file and renames it); ``abort()`` or an error leaves nothing.
final class CompactionWriter {
    let relativePath: String
    let partitionValues: [String: String?]
    private let writer: ParquetFileWriter
    private let dataFields: [Field]
    private let layout: PhysicalWriteLayout
    private let indexedColumns: Int
    private var rows = 0

    /// Starts a file for the partition `partitionValues` of `snapshot`'s table, holding the
    /// table's non-partition columns.
    init(table: Table, snapshot: Snapshot, partitionValues: [String: String?], options: ParquetWriteOptions) throws {
        guard let local = table.storage as? LocalStorage else {
            throw DeltaError(.unsupportedFeature, "writing data files needs local storage")
        }
        let partitionColumns = snapshot.partitionColumns
        dataFields = try snapshot.arrowSchema().fields.filter { !partitionColumns.contains($0.name) }
        layout = try PhysicalWriteLayout(schema: snapshot.schema, mode: snapshot.columnMappingMode)
        indexedColumns = Int(snapshot.properties["delta.dataSkippingNumIndexedCols"] ?? "") ?? 32
        self.partitionValues = partitionValues
        let directory = partitionColumns.isEmpty ? "" : PathCoding.partitionDirectory(columns: partitionColumns.map(layout.physicalName(of:)), values: partitionValues)
        let name = "part-00000-\(UUID().uuidString.lowercased())-c000.\(Self.codecTag(options.compression)).parquet"
        relativePath = directory.isEmpty ? name : directory + "/" + name
        // Reached and created without following symbolic links; the file is written relative to it.
        let (directoryFD, directoryPath) = try local.openDirectoryForWriting(directory)
        defer { close(directoryFD) }
        do {
            writer = try ParquetFileWriter(directory: directoryFD, name: name, path: directoryPath + "/" + name,
                                           schema: Schema(layout.fileFields(dataFields)), options: options)
        } catch let e as ParquetError {
            throw DeltaError(.io, "creating data file '\(relativePath)': \(e.message)", underlying: e)
        }
    }

    /// Appends rows of a table-conformed batch (partition columns are dropped).
    func append(_ batch: RecordBatch) throws {
        guard batch.count > 0 else { return }
        let data = try layout.fileBatch(try batch.project(dataFields.map(\.name)))
        do {
            try writer.write(data)
        } catch let e as ParquetError {
            throw DeltaError(.io, "writing data file '\(relativePath)': \(e.message)", underlying: e)
        }
        rows += batch.count
    }

    /// Completes the file and returns its `add` action (`dataChange=false`: compaction moves rows).
    func finish() throws -> AddFile {
        let summary: ParquetWriteSummary
        do {
            summary = try writer.close()
        } catch let e as ParquetError {
            throw DeltaError(.io, "writing data file '\(relativePath)': \(e.message)", underlying: e)
        }
        let stats = StatisticsJSON.make(numRecords: rows, fields: layout.fileFields(dataFields), statistics: summary.statistics, indexedColumns: indexedColumns)
        return AddFile(path: PathCoding.encodeURIPath(relativePath), partitionValues: partitionValues, size: Int64(summary.fileSize),
                       modificationTime: Int64(Date().timeIntervalSince1970 * 1000), dataChange: false, stats: stats)
    }

    /// Discards the file.
    func abort() { writer.abort() }

    /// The codec part of data file names, as ``Table/write(_:options:)`` names them.
    static func codecTag(_ compression: ParquetWriteOptions.Compression) -> String {
        switch compression {
        case .zstd: "zstd"
        case .snappy: "snappy"
        case .gzip: "gz"
        case .lz4Raw: "lz4raw"
        case .uncompressed: "uncompressed"
        }
    }
}
