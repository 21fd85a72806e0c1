import CSnappy
import FloeColumnar

extension Codec {
    /// Decompresses a raw Snappy block to fill `destination` exactly.
    ///
    /// The block's own length header is checked against `destination.count` before decoding;
    /// libsnappy bounds-checks every copy, so corrupt input fails rather than overruns.
    static func snappyDecompress(_ input: UnsafeRawBufferPointer, into destination: UnsafeMutableRawBufferPointer) throws {
        guard let source = input.baseAddress?.assumingMemoryBound(to: CChar.self), input.count > 0 else {
            throw ParquetError(.compression, "SNAPPY: empty input cannot hold \(destination.count) bytes")
        }
        var declared = 0
        guard snappy_uncompressed_length(source, input.count, &declared) == SNAPPY_OK else {
            throw ParquetError(.compression, "SNAPPY: invalid length header")
        }
        guard declared == destination.count else {
            throw sizeMismatch(.snappy, produced: declared, expected: destination.count)
        }
        guard let target = destination.baseAddress?.assumingMemoryBound(to: CChar.self) else {
            throw ParquetError(.internalError, "SNAPPY: no output memory")
        }
        var produced = destination.count
        let status = snappy_uncompress(source, input.count, target, &produced)
        guard status == SNAPPY_OK else {
            throw ParquetError(.compression, "SNAPPY: corrupt data (status \(status.rawValue))")
        }
        guard produced == destination.count else {
            throw sizeMismatch(.snappy, produced: produced, expected: destination.count)
        }
    }

    /// Appends `input` compressed as one raw Snappy block.
    static func snappyCompress(_ input: UnsafeRawBufferPointer, into output: BufferBuilder) throws {
        let bound = snappy_max_compressed_length(input.count)
        try appendCompressed(into: output, bound: bound) { destination in
            guard let target = destination.baseAddress?.assumingMemoryBound(to: CChar.self) else {
                throw ParquetError(.internalError, "SNAPPY: no output memory")
            }
            // snappy_compress reads nothing when the length is 0, but wants a valid pointer.
            var empty: CChar = 0
            let source = input.baseAddress?.assumingMemoryBound(to: CChar.self)
            var written = destination.count
            let status = withUnsafePointer(to: &empty) { emptyPointer in
                snappy_compress(source ?? emptyPointer, input.count, target, &written)
            }
            guard status == SNAPPY_OK else {
                throw ParquetError(.compression, "SNAPPY: compression failed (status \(status.rawValue))")
            }
            return written
        }
    }
}
