/// The compression codec of a column chunk's pages (parquet.thrift `CompressionCodec`).
///
/// A Thrift enumeration kept open: values this version of Floe does not know (written by newer
/// writers) are preserved as-is rather than rejected, and a reader decides whether it can handle
/// them. Invariant: `rawValue` is exactly the `i32` stored in the file.
struct CompressionCodec: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The value as stored in the file.
    let rawValue: Int32

    /// A value from its stored number (any `i32` is accepted).
    init(rawValue: Int32) { self.rawValue = rawValue }

    /// `UNCOMPRESSED` (0).
    static let uncompressed = CompressionCodec(rawValue: 0)
    /// `SNAPPY` (1).
    static let snappy = CompressionCodec(rawValue: 1)
    /// `GZIP` (2).
    static let gzip = CompressionCodec(rawValue: 2)
    /// `LZO` (3).
    static let lzo = CompressionCodec(rawValue: 3)
    /// `BROTLI` (4).
    static let brotli = CompressionCodec(rawValue: 4)
    /// `LZ4` (5).
    static let lz4 = CompressionCodec(rawValue: 5)
    /// `ZSTD` (6).
    static let zstd = CompressionCodec(rawValue: 6)
    /// `LZ4_RAW` (7).
    static let lz4Raw = CompressionCodec(rawValue: 7)

    /// The name used by parquet.thrift, or `CompressionCodec(n)` for an unknown value.
    var description: String {
        switch rawValue {
        case 0: "UNCOMPRESSED"
        case 1: "SNAPPY"
        case 2: "GZIP"
        case 3: "LZO"
        case 4: "BROTLI"
        case 5: "LZ4"
        case 6: "ZSTD"
        case 7: "LZ4_RAW"
        default: "CompressionCodec(\(rawValue))"
        }
    }
}
