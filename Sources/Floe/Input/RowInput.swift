import Foundation
import FloeColumnar
import FloeParquet

/// Reads whole inputs — ndjson, CSV or Parquet, from a file or a file descriptor — into record
/// batches for a table write.
public enum RowInput {
    /// The most rows decoded into one batch (each batch becomes at least one data file per
    /// partition).
    public static let defaultBatchRows = 1_048_576

    /// Reads ndjson or CSV text from `fileDescriptor` to its end. An empty input (no bytes, only
    /// blank lines or a byte order mark), CSV included, gives no batches.
    ///
    /// - Parameters:
    ///   - schema: The target columns (the table's), see ``RowDecoder``.
    ///   - allowsNewColumns: Whether unknown columns are added (types inferred).
    ///   - maxRecordBytes: The most bytes of one record (``RecordSplitter/maxRecordBytes``).
    ///   - progress: Called after each chunk with the bytes read so far.
    /// - Throws: ``DeltaError/Code/invalidArgument`` naming the line and column of malformed input
    ///   (and the line of a record over the size limit), ``DeltaError/Code/io`` for read errors.
    public static func readText(fileDescriptor: Int32, format: RowInputFormat, schema: Schema, allowsNewColumns: Bool,
                                batchRows: Int = defaultBatchRows, label: String = "standard input",
                                maxRecordBytes: Int = RecordSplitter.defaultMaxRecordBytes,
                                progress: ((Int) -> Void)? = nil) throws -> [RecordBatch] {
        var lines: [Int]? = nil
        return try readText(fileDescriptor: fileDescriptor, format: format, schema: schema, allowsNewColumns: allowsNewColumns,
                            batchRows: batchRows, label: label, maxRecordBytes: maxRecordBytes, lines: &lines, progress: progress)
    }

    /// ``readText(fileDescriptor:format:schema:allowsNewColumns:batchRows:label:maxRecordBytes:progress:)``
    /// that also appends to `lines` (when not nil) the 1-based input line of each row, in order
    /// (for ``WriteOptions/inputLines``).
    public static func readText(fileDescriptor: Int32, format: RowInputFormat, schema: Schema, allowsNewColumns: Bool,
                                batchRows: Int = defaultBatchRows, label: String = "standard input",
                                maxRecordBytes: Int = RecordSplitter.defaultMaxRecordBytes, lines: inout [Int]?,
                                progress: ((Int) -> Void)? = nil) throws -> [RecordBatch] {
        var splitter = RecordSplitter(format: format, maxRecordBytes: maxRecordBytes)
        let decoder = RowDecoder(schema: schema, allowsNewColumns: allowsNewColumns)
        var batches: [RecordBatch] = []
        var headerSet = false
        func consume(_ records: [InputRecord]) throws {
            if format == .csv && !headerSet, let header = splitter.csvHeader {
                try decoder.setCSVHeader(header, line: splitter.csvHeaderLine)
                headerSet = true
            }
            for record in records {
                try decoder.append(record)
                lines?.append(record.line)
                if decoder.count >= batchRows, let batch = try decoder.finish() { batches.append(batch) }
            }
        }
        var total = 0
        try readChunks(from: fileDescriptor, label: label) { chunk in
            total += chunk.count
            try consume(try splitter.feed(chunk))
            progress?(total)
        }
        try consume(try splitter.finish())
        // No CSV header means no records either: an empty input, like an empty ndjson input.
        if let batch = try decoder.finish() { batches.append(batch) }
        return batches
    }

    /// Reads ndjson or CSV text from the file at `path`.
    public static func readText(path: String, format: RowInputFormat, schema: Schema, allowsNewColumns: Bool,
                                batchRows: Int = defaultBatchRows, maxRecordBytes: Int = RecordSplitter.defaultMaxRecordBytes,
                                progress: ((Int) -> Void)? = nil) throws -> [RecordBatch] {
        var lines: [Int]? = nil
        return try readText(path: path, format: format, schema: schema, allowsNewColumns: allowsNewColumns, batchRows: batchRows,
                            maxRecordBytes: maxRecordBytes, lines: &lines, progress: progress)
    }

    /// Reads ndjson or CSV text from the file at `path`, appending each row's input line to
    /// `lines` when it is not nil.
    public static func readText(path: String, format: RowInputFormat, schema: Schema, allowsNewColumns: Bool,
                                batchRows: Int = defaultBatchRows, maxRecordBytes: Int = RecordSplitter.defaultMaxRecordBytes,
                                lines: inout [Int]?, progress: ((Int) -> Void)? = nil) throws -> [RecordBatch] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw DeltaError(errno == ENOENT ? .fileNotFound : .io, "cannot open input '\(path)': \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        return try readText(fileDescriptor: fd, format: format, schema: schema, allowsNewColumns: allowsNewColumns,
                            batchRows: batchRows, label: "'\(path)'", maxRecordBytes: maxRecordBytes, lines: &lines, progress: progress)
    }

    /// Reads every row of a Parquet file (its own column types; the table write conforms them).
    public static func readParquet(path: String) throws -> [RecordBatch] {
        do {
            return try readParquet(try ParquetFileReader(path: path))
        } catch let e as ParquetError {
            throw DeltaError(e.code == .io ? .io : .invalidArgument, "Parquet input: \(e.message)", underlying: e)
        }
    }

    /// Reads every row of a Parquet file from `fileDescriptor` (e.g. standard input), which is
    /// read into memory to its end; input that does not start with the Parquet magic `PAR1` is
    /// refused as soon as its first 4 bytes are read, so a non-Parquet stream (`/dev/zero`) is
    /// not buffered.
    public static func readParquet(fileDescriptor: Int32, label: String = "standard input") throws -> [RecordBatch] {
        var bytes: [UInt8] = []
        try readChunks(from: fileDescriptor, label: label) { chunk in
            bytes.append(contentsOf: chunk)
            if bytes.count >= 4 && !bytes.starts(with: Array("PAR1".utf8)) {
                throw DeltaError(.invalidArgument, "Parquet input: \(label) is not a Parquet file (it does not start with PAR1)")
            }
        }
        return try readParquet(bytes: bytes, label: label)
    }

    /// Reads `fileDescriptor` to its end in chunks of up to 1 MiB, passing each to `body`
    /// (retrying interrupted reads).
    ///
    /// - Throws: ``DeltaError/Code/io`` naming `label` when a read fails, and what `body` throws.
    static func readChunks(from fileDescriptor: Int32, label: String, _ body: (ArraySlice<UInt8>) throws -> Void) throws {
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fileDescriptor, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw DeltaError(.io, "reading \(label): \(String(cString: strerror(errno)))")
            }
            if n == 0 { return }
            try body(buffer[0..<n])
        }
    }

    /// Reads every row of a Parquet file held in memory (e.g. read from standard input).
    public static func readParquet(bytes: [UInt8], label: String = "standard input") throws -> [RecordBatch] {
        do {
            return try readParquet(try ParquetFileReader(source: MemoryByteSource(bytes: bytes), label: label))
        } catch let e as ParquetError {
            throw DeltaError(.invalidArgument, "Parquet input: \(e.message)", underlying: e)
        }
    }

    static func readParquet(_ reader: ParquetFileReader) throws -> [RecordBatch] {
        var it = try reader.batches()
        var out: [RecordBatch] = []
        while let b = try it.next() { out.append(b) }
        return out
    }
}
