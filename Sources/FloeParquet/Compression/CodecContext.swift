import CZlib
import CZstd

/// Reusable state of the compression libraries (zstd contexts, zlib streams), so that
/// decompressing many pages does not set up and tear down the library state for each one.
///
/// Pass one to ``Codec``'s `decompress`/`compress` methods; when none is passed, a temporary one
/// is used for that call. The state is created lazily, per codec, on first use.
///
/// Invariants: every non-nil handle is a live, initialised library object owned by this context
/// and freed in `deinit`; each zlib stream lives at a fixed heap address (zlib keeps a pointer
/// back to it). Not `Sendable`: use a context from one task at a time (e.g. one per column reader).
final class CodecContext {
    /// A zstd decompression context, created on first use.
    private var zstdDecompressionContext: OpaquePointer?
    /// A zstd compression context, created on first use.
    private var zstdCompressionContext: OpaquePointer?
    /// An inflate stream initialised with `windowBits` 15 + 32 (gzip or zlib header), created on first use.
    private var inflateStream: UnsafeMutablePointer<z_stream>?
    /// A gzip-writing deflate stream and the level it was initialised with, created on first use.
    private var deflateStream: (stream: UnsafeMutablePointer<z_stream>, level: Int32)?

    /// A context with no library state yet.
    init() {}

    deinit {
        if let zstdDecompressionContext { ZSTD_freeDCtx(zstdDecompressionContext) }
        if let zstdCompressionContext { ZSTD_freeCCtx(zstdCompressionContext) }
        if let inflateStream {
            inflateEnd(inflateStream)
            inflateStream.deallocate()
        }
        if let deflateStream {
            deflateEnd(deflateStream.stream)
            deflateStream.stream.deallocate()
        }
    }

    /// The zstd decompression context, reset to default parameters and ready for a new frame.
    func zstdDecompressor() throws -> OpaquePointer {
        if let zstdDecompressionContext {
            _ = ZSTD_DCtx_reset(zstdDecompressionContext, ZSTD_reset_session_only)
            return zstdDecompressionContext
        }
        guard let context = ZSTD_createDCtx() else {
            throw ParquetError(.compression, "ZSTD: cannot create a decompression context")
        }
        zstdDecompressionContext = context
        return context
    }

    /// The zstd compression context, ready for a new frame.
    func zstdCompressor() throws -> OpaquePointer {
        if let zstdCompressionContext {
            _ = ZSTD_CCtx_reset(zstdCompressionContext, ZSTD_reset_session_only)
            return zstdCompressionContext
        }
        guard let context = ZSTD_createCCtx() else {
            throw ParquetError(.compression, "ZSTD: cannot create a compression context")
        }
        zstdCompressionContext = context
        return context
    }

    /// An inflate stream that accepts gzip and zlib headers, reset and ready for a new stream.
    func inflater() throws -> UnsafeMutablePointer<z_stream> {
        if let inflateStream {
            guard inflateReset(inflateStream) == Z_OK else {
                throw ParquetError(.compression, "GZIP: inflateReset failed")
            }
            return inflateStream
        }
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // 15 = the largest window; + 32 = detect a gzip or a zlib header automatically.
        let status = inflateInit2_(stream, 15 + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            stream.deallocate()
            throw ParquetError(.compression, "GZIP: inflateInit2 failed (\(status))")
        }
        inflateStream = stream
        return stream
    }

    /// A deflate stream writing gzip (RFC 1952) at `level`, reset and ready for a new stream.
    func deflater(level: Int32) throws -> UnsafeMutablePointer<z_stream> {
        if let deflateStream {
            if deflateStream.level == level {
                guard deflateReset(deflateStream.stream) == Z_OK else {
                    throw ParquetError(.compression, "GZIP: deflateReset failed")
                }
                return deflateStream.stream
            }
            deflateEnd(deflateStream.stream)
            deflateStream.stream.deallocate()
            self.deflateStream = nil
        }
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // 15 + 16 = the largest window, with a gzip header and trailer; 8 = zlib's default memLevel.
        let status = deflateInit2_(stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                                   zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            stream.deallocate()
            throw ParquetError(.compression, "GZIP: deflateInit2 failed for level \(level) (\(status))")
        }
        deflateStream = (stream, level)
        return stream
    }
}
