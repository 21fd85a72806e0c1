import CLZ4
import FloeColumnar

extension Codec {
    /// The size of a Hadoop LZ4 frame header: big-endian 32-bit decompressed and compressed sizes.
    private static let hadoopHeaderSize = 8

    /// Decompresses one raw LZ4 block (`LZ4_RAW`) to fill `destination` exactly.
    ///
    /// `LZ4_decompress_safe` never reads or writes outside the buffers it is given.
    static func lz4RawDecompress(_ input: UnsafeRawBufferPointer, into destination: UnsafeMutableRawBufferPointer) throws {
        let produced = try lz4Block(input, into: destination)
        guard produced == destination.count else {
            throw sizeMismatch(.lz4Raw, produced: produced, expected: destination.count)
        }
    }

    /// Decompresses deprecated `LZ4` data to fill `destination` exactly: Hadoop-framed blocks
    /// if the whole input parses as such frames that decode to exactly their stated sizes and
    /// together fill `destination`, otherwise one raw LZ4 block (what old parquet-cpp wrote).
    static func lz4HadoopDecompress(_ input: UnsafeRawBufferPointer, into destination: UnsafeMutableRawBufferPointer) throws {
        if tryHadoopFrames(input, into: destination) { return }
        let produced = try lz4Block(input, into: destination)
        guard produced == destination.count else {
            throw sizeMismatch(.lz4, produced: produced, expected: destination.count)
        }
    }

    /// Whether `input` is a sequence of Hadoop LZ4 frames that decodes to exactly `destination`.
    /// On `false`, `destination` may hold partial output and the caller falls back to raw LZ4.
    private static func tryHadoopFrames(_ input: UnsafeRawBufferPointer, into destination: UnsafeMutableRawBufferPointer) -> Bool {
        var inputOffset = 0
        var outputOffset = 0
        while input.count - inputOffset >= hadoopHeaderSize {
            let decompressedSize = Int(bigEndianUInt32(input, at: inputOffset))
            let compressedSize = Int(bigEndianUInt32(input, at: inputOffset + 4))
            inputOffset += hadoopHeaderSize
            guard compressedSize <= input.count - inputOffset,
                  decompressedSize <= destination.count - outputOffset else { return false }
            let block = UnsafeRawBufferPointer(rebasing: input[inputOffset ..< inputOffset + compressedSize])
            let target = UnsafeMutableRawBufferPointer(
                rebasing: destination[outputOffset ..< outputOffset + decompressedSize])
            guard let produced = try? lz4Block(block, into: target), produced == decompressedSize else { return false }
            inputOffset += compressedSize
            outputOffset += decompressedSize
        }
        return inputOffset == input.count && outputOffset == destination.count
    }

    /// Decodes one raw LZ4 block into at most `destination.count` bytes; returns how many.
    private static func lz4Block(_ input: UnsafeRawBufferPointer, into destination: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let source = input.baseAddress?.assumingMemoryBound(to: CChar.self), input.count > 0 else {
            throw ParquetError(.compression, "LZ4: empty input cannot hold \(destination.count) bytes")
        }
        guard input.count <= Int(Int32.max), destination.count <= Int(Int32.max) else {
            throw ParquetError(.overflow, "LZ4: block too large")
        }
        if destination.count == 0 {
            // A valid empty block is the single token byte 0; liblz4 wants a non-null destination.
            guard input.count == 1, source.pointee == 0 else {
                throw ParquetError(.compression, "LZ4: corrupt data")
            }
            return 0
        }
        guard let target = destination.baseAddress?.assumingMemoryBound(to: CChar.self) else {
            throw ParquetError(.internalError, "LZ4: no output memory")
        }
        let produced = LZ4_decompress_safe(source, target, Int32(input.count), Int32(destination.count))
        guard produced >= 0 else {
            throw ParquetError(.compression, "LZ4: corrupt data")
        }
        return Int(produced)
    }

    /// Appends `input` as one raw LZ4 block (`LZ4_RAW`).
    static func lz4RawCompress(_ input: UnsafeRawBufferPointer, into output: BufferBuilder) throws {
        let bound = try lz4Bound(input.count)
        try appendCompressed(into: output, bound: bound) { destination in
            try lz4CompressBlock(input, into: destination)
        }
    }

    /// Appends `input` as one Hadoop LZ4 frame (deprecated `LZ4`): the big-endian decompressed size,
    /// the big-endian compressed size, then one raw LZ4 block.
    static func lz4HadoopCompress(_ input: UnsafeRawBufferPointer, into output: BufferBuilder) throws {
        let bound = try lz4Bound(input.count) + hadoopHeaderSize
        try appendCompressed(into: output, bound: bound) { destination in
            let block = UnsafeMutableRawBufferPointer(rebasing: destination[hadoopHeaderSize...])
            let written = try lz4CompressBlock(input, into: block)
            destination.storeBytes(of: UInt32(input.count).bigEndian, toByteOffset: 0, as: UInt32.self)
            destination.storeBytes(of: UInt32(written).bigEndian, toByteOffset: 4, as: UInt32.self)
            return written + hadoopHeaderSize
        }
    }

    /// `LZ4_compressBound`, or an overflow error past `LZ4_MAX_INPUT_SIZE`.
    private static func lz4Bound(_ count: Int) throws -> Int {
        guard count <= Int(LZ4_MAX_INPUT_SIZE) else {
            throw ParquetError(.overflow, "LZ4: cannot compress \(count) bytes (limit \(LZ4_MAX_INPUT_SIZE))")
        }
        return Int(LZ4_compressBound(Int32(count)))
    }

    /// Compresses `input` as one raw LZ4 block into `destination` (at least `lz4Bound` bytes).
    private static func lz4CompressBlock(_ input: UnsafeRawBufferPointer, into destination: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let target = destination.baseAddress?.assumingMemoryBound(to: CChar.self) else {
            throw ParquetError(.internalError, "LZ4: no output memory")
        }
        var empty: CChar = 0
        let written = withUnsafePointer(to: &empty) { emptyPointer in
            LZ4_compress_default(input.baseAddress?.assumingMemoryBound(to: CChar.self) ?? emptyPointer,
                                 target, Int32(input.count), Int32(destination.count))
        }
        guard written > 0 else {
            throw ParquetError(.compression, "LZ4: compression failed")
        }
        return Int(written)
    }

    /// The big-endian `UInt32` at byte `offset` of `bytes` (which must hold 4 bytes there).
    private static func bigEndianUInt32(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt32 {
        UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }
}
