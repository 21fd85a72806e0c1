import CZstd
import FloeColumnar

extension Codec {
    /// The zstd level used when none is given: 1, as in Arrow and pyarrow.
    static let defaultZstdLevel = 1

    /// Decompresses one or more zstd frames (skippable frames allowed) to fill `destination` exactly.
    ///
    /// Frames need not record their content size: decoding goes straight into `destination`, and
    /// libzstd fails with "destination too small" rather than write past it, so memory stays bounded
    /// by `destination.count` whatever the frame header's window size claims. (Sizes the frames
    /// declare are checked earlier, before any allocation, by ``zstdCheckDeclaredSize(_:expected:)``.)
    static func zstdDecompress(_ input: UnsafeRawBufferPointer, into destination: UnsafeMutableRawBufferPointer,
                               context: CodecContext) throws {
        guard let source = input.baseAddress, input.count > 0 else {
            throw ParquetError(.compression, "ZSTD: empty input cannot hold \(destination.count) bytes")
        }
        guard let target = destination.baseAddress else {
            throw ParquetError(.internalError, "ZSTD: no output memory")
        }
        let dctx = try context.zstdDecompressor()
        let result = ZSTD_decompressDCtx(dctx, target, destination.count, source, input.count)
        if ZSTD_isError(result) != 0 {
            throw ParquetError(.compression, "ZSTD: \(zstdErrorName(result))")
        }
        guard result == destination.count else {
            throw sizeMismatch(.zstd, produced: result, expected: destination.count)
        }
    }

    /// Appends `input` compressed as one zstd frame (recording its content size) at `level`
    /// (default ``defaultZstdLevel``; libzstd clamps levels beyond its range).
    static func zstdCompress(_ input: UnsafeRawBufferPointer, into output: BufferBuilder, level: Int?,
                             context: CodecContext) throws {
        let cctx = try context.zstdCompressor()
        let compressionLevel = Int32(clamping: level ?? defaultZstdLevel)
        let bound = ZSTD_compressBound(input.count)
        if ZSTD_isError(bound) != 0 {
            throw ParquetError(.overflow, "ZSTD: \(input.count) bytes is too large to compress")
        }
        try appendCompressed(into: output, bound: bound) { destination in
            let result = ZSTD_compressCCtx(cctx, destination.baseAddress, destination.count,
                                           input.baseAddress, input.count, compressionLevel)
            if ZSTD_isError(result) != 0 {
                throw ParquetError(.compression, "ZSTD: \(zstdErrorName(result))")
            }
            return result
        }
    }

    /// Throws if the frames of `input` all declare their content size and the sizes do not add up
    /// to `expected`, or if a frame header is invalid or a frame truncated. Reads frame and block
    /// headers only, so a lying page header is caught before its memory is allocated.
    static func zstdCheckDeclaredSize(_ input: UnsafeRawBufferPointer, expected: Int) throws {
        if let declared = try zstdDeclaredSize(input), declared != UInt64(expected) {
            throw sizeMismatch(.zstd, produced: Int(clamping: declared), expected: expected)
        }
    }

    /// The total content size the frames of `input` declare, or `nil` if some frame does not declare
    /// it. Throws if a frame header is invalid or a frame is truncated. Skippable frames count as 0.
    private static func zstdDeclaredSize(_ input: UnsafeRawBufferPointer) throws -> UInt64? {
        // ZSTD_CONTENTSIZE_UNKNOWN and ZSTD_CONTENTSIZE_ERROR (C macros Swift does not import).
        let unknown = UInt64.max, invalid = UInt64.max - 1
        guard let base = input.baseAddress else { return nil }
        var offset = 0
        var total: UInt64 = 0
        while offset < input.count {
            let remaining = input.count - offset
            let contentSize = UInt64(ZSTD_getFrameContentSize(base + offset, remaining))
            if contentSize == invalid {
                throw ParquetError(.compression, "ZSTD: invalid frame header at byte \(offset)")
            }
            if contentSize == unknown { return nil }
            let (sum, overflow) = total.addingReportingOverflow(contentSize)
            guard !overflow else { throw ParquetError.corrupt("ZSTD: declared content sizes overflow") }
            total = sum
            let frameSize = ZSTD_findFrameCompressedSize(base + offset, remaining)
            if ZSTD_isError(frameSize) != 0 {
                throw ParquetError(.compression, "ZSTD: \(zstdErrorName(frameSize)) (frame at byte \(offset))")
            }
            offset += frameSize
        }
        return total
    }

    /// libzstd's description of an error code.
    private static func zstdErrorName(_ code: Int) -> String {
        guard let name = ZSTD_getErrorName(code) else { return "error \(code)" }
        return String(cString: name)
    }
}
