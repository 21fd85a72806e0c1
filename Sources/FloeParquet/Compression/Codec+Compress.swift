import FloeColumnar

extension Codec {
    /// Compresses `input` and appends the compressed bytes to `output`.
    ///
    /// The result decompresses, with ``decompress(_:uncompressedSize:into:context:)`` and
    /// `uncompressedSize: input.count`, back to `input`; it is also what other Parquet
    /// implementations expect for this codec (gzip members for ``gzip``, one zstd frame with its
    /// content size for ``zstd``, one raw block for ``lz4Raw``, one Hadoop frame for ``lz4``).
    /// On failure `output`'s count is unchanged.
    ///
    /// - Parameters:
    ///   - input: The bytes to compress, at most ``maxUncompressedSize`` of them; must not point
    ///     into `output`'s memory.
    ///   - output: Where the compressed bytes are appended.
    ///   - level: The codec's compression level; `nil` means the default (zstd 1 as in Arrow,
    ///     gzip zlib's default 6). Ignored by codecs without levels (snappy, LZ4).
    ///   - context: Library state to reuse across calls; a temporary one when `nil`.
    /// - Returns: The number of bytes appended.
    /// - Throws: ``ParquetError/Code-swift.struct/unsupported`` for ``lzo`` and ``brotli``,
    ///   ``ParquetError/Code-swift.struct/overflow`` for input over the size limit,
    ///   ``ParquetError/Code-swift.struct/compression`` if the library fails (e.g. a bad level).
    @discardableResult
    func compress(_ input: UnsafeRawBufferPointer, into output: BufferBuilder, level: Int? = nil,
                  context: CodecContext? = nil) throws -> Int {
        guard isSupported else { throw unsupportedError }
        guard input.count <= Codec.maxUncompressedSize else {
            throw ParquetError(.overflow, "\(name): cannot compress \(input.count) bytes (limit \(Codec.maxUncompressedSize))")
        }
        let start = output.count
        switch self {
        case .uncompressed:
            output.append(bytes: input)
        case .snappy:
            try Codec.snappyCompress(input, into: output)
        case .gzip:
            try Codec.gzipCompress(input, into: output, level: level, context: context ?? CodecContext())
        case .zstd:
            try Codec.zstdCompress(input, into: output, level: level, context: context ?? CodecContext())
        case .lz4Raw:
            try Codec.lz4RawCompress(input, into: output)
        case .lz4:
            try Codec.lz4HadoopCompress(input, into: output)
        case .lzo, .brotli:
            throw unsupportedError
        }
        return output.count - start
    }

    /// Compresses `input` into a new ``Buffer``; same contract as ``compress(_:into:level:context:)``.
    func compress(_ input: UnsafeRawBufferPointer, level: Int? = nil, context: CodecContext? = nil) throws -> Buffer {
        let output = BufferBuilder(capacity: input.count / 2 + 64)
        try compress(input, into: output, level: level, context: context)
        return output.finish()
    }

    /// Appends at most `bound` bytes to `output` through `body`, which returns how many it wrote;
    /// `output` ends up grown by exactly that many. `body` must return a count in `0...bound`.
    static func appendCompressed(into output: BufferBuilder, bound: Int,
                                 _ body: (UnsafeMutableRawBufferPointer) throws -> Int) throws {
        let start = output.count
        let written = try output.appendUninitialized(bound, body)
        guard written >= 0 && written <= bound else {
            output.truncate(to: start)
            throw ParquetError(.internalError, "compressor reported \(written) bytes for a \(bound)-byte buffer")
        }
        output.truncate(to: start + written)
    }
}
