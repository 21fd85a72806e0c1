import FloeColumnar

extension Codec {
    /// Decompresses one page (or other codec-wrapped block) and appends the result to `output`.
    ///
    /// On success exactly `uncompressedSize` bytes were appended. On failure `output` is unchanged
    /// (its count; bytes past it may have been scribbled on) and the error is a ``ParquetError``:
    /// - ``ParquetError/Code-swift.struct/unsupported`` for ``lzo`` and ``brotli``;
    /// - ``ParquetError/Code-swift.struct/corrupt`` when `uncompressedSize` is negative, cannot be
    ///   produced by `input.count` bytes of this codec, or differs from what the data decodes to;
    /// - ``ParquetError/Code-swift.struct/overflow`` when `uncompressedSize` exceeds
    ///   ``maxUncompressedSize``;
    /// - ``ParquetError/Code-swift.struct/compression`` when the library rejects the data.
    ///
    /// Hostile input never makes this crash, loop, or reserve more than `uncompressedSize` bytes
    /// in `output` (plus the libraries' own bounded working memory). Empty input with an
    /// `uncompressedSize` of 0 is accepted for every codec (some writers emit empty pages so).
    ///
    /// - Parameters:
    ///   - input: The compressed bytes; must not point into `output`'s memory.
    ///   - uncompressedSize: The decompressed size the page header promises.
    ///   - output: Where the decompressed bytes are appended.
    ///   - context: Library state to reuse across calls; a temporary one when `nil`.
    func decompress(_ input: UnsafeRawBufferPointer, uncompressedSize: Int, into output: BufferBuilder,
                    context: CodecContext? = nil) throws {
        try checkDecompressible(input, uncompressedSize: uncompressedSize)
        try decompressChecked(input, uncompressedSize: uncompressedSize, into: output, context: context)
    }

    /// Decompresses one page into a new ``Buffer`` of exactly `uncompressedSize` bytes.
    ///
    /// Same contract and errors as ``decompress(_:uncompressedSize:into:context:)``; the result
    /// owns the memory it was decompressed into (no copy).
    func decompress(_ input: UnsafeRawBufferPointer, uncompressedSize: Int,
                    context: CodecContext? = nil) throws -> Buffer {
        try checkDecompressible(input, uncompressedSize: uncompressedSize)
        let output = BufferBuilder(capacity: uncompressedSize)
        try decompressChecked(input, uncompressedSize: uncompressedSize, into: output, context: context)
        return output.finish()
    }

    /// Appends the decompressed bytes to `output`, once `checkDecompressible` has passed.
    private func decompressChecked(_ input: UnsafeRawBufferPointer, uncompressedSize: Int, into output: BufferBuilder,
                                   context: CodecContext?) throws {
        if uncompressedSize == 0 && input.isEmpty { return }
        try output.appendUninitialized(uncompressedSize) { destination in
            try decompressChecked(input, into: destination, context: context)
        }
    }

    /// Rejects unsupported codecs and sizes that are impossible before anything is allocated.
    private func checkDecompressible(_ input: UnsafeRawBufferPointer, uncompressedSize: Int) throws {
        guard isSupported else { throw unsupportedError }
        guard uncompressedSize >= 0 else {
            throw ParquetError.corrupt("\(name): negative uncompressed size \(uncompressedSize)")
        }
        guard uncompressedSize <= Codec.maxUncompressedSize else {
            throw ParquetError(.overflow, "\(name): uncompressed size \(uncompressedSize) exceeds the limit of \(Codec.maxUncompressedSize) bytes")
        }
        if let limit = maxExpansion(ofCompressedSize: input.count), uncompressedSize > limit {
            throw ParquetError.corrupt("\(name): \(input.count) compressed bytes cannot decompress to the \(uncompressedSize) bytes promised")
        }
        if self == .zstd && !input.isEmpty {
            try Codec.zstdCheckDeclaredSize(input, expected: uncompressedSize)
        }
    }

    /// An upper bound on what `compressedSize` bytes of this codec can decompress to, where the
    /// format has a known bound small enough to be useful; `nil` otherwise.
    private func maxExpansion(ofCompressedSize compressedSize: Int) -> Int? {
        let n = compressedSize
        switch self {
        case .uncompressed: return n
        // An LZ4 sequence of 255-valued length bytes adds 255 output bytes per input byte.
        case .lz4, .lz4Raw: return n.multipliedReportingOverflow(by: 255).partialValue + 16
        // Deflate's best case is 258 bytes per 2 bits, i.e. 1032:1.
        case .gzip: return n.multipliedReportingOverflow(by: 1032).partialValue + 1024
        // Snappy's copies are at most 64 bytes per 2..5 input bytes: 32:1.
        case .snappy: return n.multipliedReportingOverflow(by: 32).partialValue + 32
        // A zstd block decodes to at most 128 KiB and takes at least 4 bytes (a 3-byte header and
        // an RLE byte): 32768:1, plus one block of slack. Without this bound a frame that does not
        // record its content size (or no input at all) made Floe reserve up to the 2 GiB promised.
        case .zstd: return n.multipliedReportingOverflow(by: 32_768).partialValue + 131_072
        case .lzo, .brotli: return nil
        }
    }

    /// Decompresses `input` to fill `destination` exactly, dispatching to the codec's library.
    private func decompressChecked(_ input: UnsafeRawBufferPointer, into destination: UnsafeMutableRawBufferPointer,
                                   context: CodecContext?) throws {
        switch self {
        case .uncompressed:
            guard input.count == destination.count else {
                throw ParquetError.corrupt("UNCOMPRESSED: page holds \(input.count) bytes, header says \(destination.count)")
            }
            if let base = input.baseAddress, let target = destination.baseAddress, input.count > 0 {
                target.copyMemory(from: base, byteCount: input.count)
            }
        case .snappy:
            try Codec.snappyDecompress(input, into: destination)
        case .gzip:
            try Codec.gzipDecompress(input, into: destination, context: context ?? CodecContext())
        case .zstd:
            try Codec.zstdDecompress(input, into: destination, context: context ?? CodecContext())
        case .lz4Raw:
            try Codec.lz4RawDecompress(input, into: destination)
        case .lz4:
            try Codec.lz4HadoopDecompress(input, into: destination)
        case .lzo, .brotli:
            throw unsupportedError
        }
    }

    /// The error for a decompressed size differing from the promised one.
    static func sizeMismatch(_ codec: Codec, produced: Int, expected: Int) -> ParquetError {
        .corrupt("\(codec.name): data decompressed to \(produced) bytes, header says \(expected)")
    }
}
