import Foundation
import FloeColumnar

/// How a ``ParquetFileWriter`` lays out and compresses a file.
///
/// Defaults follow pyarrow's: ZSTD level 1 (Floe's default codec), dictionary encoding with a
/// 1 MiB dictionary limit and fallback to PLAIN, 1 MiB data pages (v1), row groups of up to
/// 1,048,576 rows, statistics for every column, columns encoded on up to 4 threads.
public struct ParquetWriteOptions: Sendable {
    /// A compression codec for data and dictionary pages.
    public enum Compression: Sendable, Hashable {
        case uncompressed
        case snappy
        case gzip(level: Int)
        case zstd(level: Int)
        case lz4Raw
    }

    /// The page codec.
    public var compression: Compression = .zstd(level: 1)
    /// The most rows in one row group (a batch larger than this is split).
    public var rowGroupSize: Int = 1_048_576
    /// The target size of a data page before compression, in bytes.
    public var dataPageSize: Int = 1_048_576
    /// Whether to try dictionary encoding (never used for booleans).
    public var isDictionaryEnabled: Bool = true
    /// The dictionary size at which a column chunk falls back to PLAIN.
    public var dictionaryPageSizeLimit: Int = 1_048_576
    /// Whether to record min/max/null-count statistics.
    public var isStatisticsEnabled: Bool = true
    /// Min/max values longer than this (bytes) are not recorded.
    public var maxStatisticsSize: Int = 4096
    /// Whether decimals of precision ≤ 9 are stored as INT32 and ≤ 18 as INT64 (what Spark and
    /// Delta write; the default); when false every decimal is a big-endian FIXED_LEN_BYTE_ARRAY of
    /// the fewest bytes its precision needs, as pyarrow writes by default. Readers take both.
    public var storesDecimalsAsIntegers: Bool = true
    /// Write data page v2 instead of v1.
    public var usesDataPageV2: Bool = false
    /// Threads used to encode the columns of a batch (default: the active processors, at most 4);
    /// batches under 4,096 rows are encoded on the calling thread.
    public var parallelism: Int = ParquetWriteOptions.defaultParallelism

    /// The active processor count, capped at 4.
    public static let defaultParallelism = max(1, min(4, ProcessInfo.processInfo.activeProcessorCount))
    /// Extra key/value metadata stored in the footer.
    public var keyValueMetadata: [String: String] = [:]
    /// Fsync the file before it is renamed into place (crash safety); turn off only for scratch files.
    public var isDurable: Bool = true

    /// Default options.
    public init() {}
}
