import CZlib
import FloeColumnar

extension Codec {
    /// The gzip level used when none is given: zlib's default (6).
    static let defaultGzipLevel = Int(Z_DEFAULT_COMPRESSION)

    /// Inflates gzip (or zlib-wrapped) data to fill `destination` exactly.
    ///
    /// Concatenated gzip members are decoded one after another, as `gzip -d` does; any bytes left
    /// after the last complete member must themselves be a member. Every loop turn consumes input
    /// or produces output, and output never exceeds `destination.count`, so this cannot hang or
    /// overrun on hostile input.
    static func gzipDecompress(_ input: UnsafeRawBufferPointer, into destination: UnsafeMutableRawBufferPointer,
                               context: CodecContext) throws {
        guard let source = input.baseAddress, input.count > 0 else {
            throw ParquetError(.compression, "GZIP: empty input cannot hold \(destination.count) bytes")
        }
        guard let target = destination.baseAddress else {
            throw ParquetError(.internalError, "GZIP: no output memory")
        }
        guard input.count <= Int(UInt32.max) else {
            throw ParquetError(.overflow, "GZIP: \(input.count) compressed bytes is too large")
        }
        let stream = try context.inflater()
        // zlib's API is not const-correct: next_in is never written through.
        stream.pointee.next_in = UnsafeMutablePointer(mutating: source.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = uInt(input.count)
        stream.pointee.next_out = target.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_out = uInt(destination.count)
        defer {
            // Drop the pointers into caller memory; the stream is reset before its next use.
            stream.pointee.next_in = nil
            stream.pointee.next_out = nil
        }

        while true {
            let inBefore = stream.pointee.avail_in
            let outBefore = stream.pointee.avail_out
            let status = inflate(stream, Z_FINISH)
            switch status {
            case Z_STREAM_END:
                if stream.pointee.avail_in == 0 {
                    let produced = destination.count - Int(stream.pointee.avail_out)
                    guard produced == destination.count else {
                        throw sizeMismatch(.gzip, produced: produced, expected: destination.count)
                    }
                    return
                }
                // Another gzip member follows.
                guard inflateReset(stream) == Z_OK else {
                    throw ParquetError(.compression, "GZIP: inflateReset failed")
                }
            case Z_OK, Z_BUF_ERROR:
                if stream.pointee.avail_in == 0 {
                    throw ParquetError(.compression, "GZIP: truncated data")
                }
                if stream.pointee.avail_out == 0 {
                    throw ParquetError.corrupt("GZIP: data decompresses to more than the \(destination.count) bytes the header says")
                }
                guard stream.pointee.avail_in != inBefore || stream.pointee.avail_out != outBefore else {
                    throw ParquetError(.compression, "GZIP: inflate made no progress")
                }
            default:
                throw ParquetError(.compression, "GZIP: \(zlibMessage(stream, status))")
            }
        }
    }

    /// Appends `input` as one gzip member compressed at `level` (default ``defaultGzipLevel``; 0...9).
    static func gzipCompress(_ input: UnsafeRawBufferPointer, into output: BufferBuilder, level: Int?,
                             context: CodecContext) throws {
        guard input.count <= Int(UInt32.max) else {
            throw ParquetError(.overflow, "GZIP: \(input.count) bytes is too large to compress")
        }
        let compressionLevel = level ?? defaultGzipLevel
        guard compressionLevel == Int(Z_DEFAULT_COMPRESSION) || (0...9).contains(compressionLevel) else {
            throw ParquetError(.compression, "GZIP: invalid level \(compressionLevel) (0...9)")
        }
        let stream = try context.deflater(level: Int32(compressionLevel))
        let bound = Int(deflateBound(stream, uLong(input.count)))
        defer {
            stream.pointee.next_in = nil
            stream.pointee.next_out = nil
        }
        try appendCompressed(into: output, bound: bound) { destination in
            var empty: Bytef = 0
            return try withUnsafeMutablePointer(to: &empty) { emptyPointer in
                stream.pointee.next_in = input.baseAddress.map {
                    UnsafeMutablePointer(mutating: $0.assumingMemoryBound(to: Bytef.self))
                } ?? emptyPointer
                stream.pointee.avail_in = uInt(input.count)
                stream.pointee.next_out = destination.baseAddress?.assumingMemoryBound(to: Bytef.self)
                stream.pointee.avail_out = uInt(destination.count)
                let status = deflate(stream, Z_FINISH)
                guard status == Z_STREAM_END else {
                    throw ParquetError(.compression, "GZIP: \(zlibMessage(stream, status))")
                }
                return destination.count - Int(stream.pointee.avail_out)
            }
        }
    }

    /// zlib's message for a failed call, or the status code.
    private static func zlibMessage(_ stream: UnsafeMutablePointer<z_stream>, _ status: Int32) -> String {
        if let message = stream.pointee.msg { return String(cString: message) }
        return "zlib error \(status)"
    }
}
