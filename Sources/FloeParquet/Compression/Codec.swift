import FloeColumnar

/// A Parquet page compression codec (the Thrift `CompressionCodec` enum).
///
/// Every codec can be named and mapped to and from its Thrift id. Decompression is implemented
/// for all codecs but ``lzo`` and ``brotli``; compression for all but those two as well.
/// Unsupported codecs throw ``ParquetError/Code-swift.struct/unsupported`` naming the codec.
///
/// The (de)compression entry points live in `Codec+Decompress.swift` and `Codec+Compress.swift`;
/// each codec's library glue lives in `Codec+NAME.swift`.
enum Codec: Sendable, Hashable, CaseIterable {
    /// No compression (id 0).
    case uncompressed
    /// Snappy raw format, via libsnappy (id 1).
    case snappy
    /// Gzip (RFC 1952) via zlib; decompression also accepts zlib (RFC 1950) headers (id 2).
    case gzip
    /// LZO (id 3); not implemented.
    case lzo
    /// Brotli (id 4); not implemented.
    case brotli
    /// The deprecated `LZ4` codec (id 5): LZ4 blocks in Hadoop's framing, each block preceded by
    /// its big-endian 32-bit decompressed and compressed sizes. Old parquet-cpp wrote raw LZ4
    /// blocks under this id, so decompression falls back to raw LZ4 when the framing does not fit.
    case lz4
    /// Zstandard frames, via libzstd (id 6).
    case zstd
    /// A single raw LZ4 block with no framing, via liblz4 (id 7, `LZ4_RAW`).
    case lz4Raw

    /// The codec for a Thrift `CompressionCodec` value, or `nil` for an unknown id.
    init?(thriftValue: Int32) {
        switch thriftValue {
        case 0: self = .uncompressed
        case 1: self = .snappy
        case 2: self = .gzip
        case 3: self = .lzo
        case 4: self = .brotli
        case 5: self = .lz4
        case 6: self = .zstd
        case 7: self = .lz4Raw
        default: return nil
        }
    }

    /// The Thrift `CompressionCodec` id; `Codec(thriftValue: c.thriftValue) == c` for every codec.
    var thriftValue: Int32 {
        switch self {
        case .uncompressed: 0
        case .snappy: 1
        case .gzip: 2
        case .lzo: 3
        case .brotli: 4
        case .lz4: 5
        case .zstd: 6
        case .lz4Raw: 7
        }
    }

    /// The codec's name as the Parquet specification spells it (`"SNAPPY"`, `"LZ4_RAW"`, ...).
    var name: String {
        switch self {
        case .uncompressed: "UNCOMPRESSED"
        case .snappy: "SNAPPY"
        case .gzip: "GZIP"
        case .lzo: "LZO"
        case .brotli: "BROTLI"
        case .lz4: "LZ4"
        case .zstd: "ZSTD"
        case .lz4Raw: "LZ4_RAW"
        }
    }

    /// Whether Floe can decompress (and compress) data in this codec.
    var isSupported: Bool {
        switch self {
        case .lzo, .brotli: false
        default: true
        }
    }

    /// The largest decompressed size accepted: Parquet stores page sizes as `i32`, so anything
    /// larger is corrupt metadata, and capping here bounds what hostile input can make Floe allocate.
    static let maxUncompressedSize = Int(Int32.max)

    /// The error thrown for ``lzo`` and ``brotli``.
    var unsupportedError: ParquetError {
        ParquetError(.unsupported, "compression codec \(name) is not supported")
    }
}

extension Codec: CustomStringConvertible {
    var description: String { name }
}
