import FloeColumnar
import Testing
@testable import FloeParquet

/// Corrupt, truncated and lying inputs: every one must throw a ``ParquetError``, never crash,
/// hang, or grow the output.
extension CodecTests {
    /// The codecs with a real decoder (uncompressed only checks the size).
    static let decodingCodecs: [Codec] = [.snappy, .gzip, .zstd, .lz4Raw, .lz4]

    /// Expects `body` to throw a ``ParquetError`` of one of `codes`.
    static func expectFailure(_ comment: Comment, codes: Set<ParquetError.Code> = [.corrupt, .compression],
                              sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) {
        let error = #expect(throws: ParquetError.self, comment, sourceLocation: sourceLocation) { try body() }
        if let error {
            #expect(codes.contains(error.code), "\(comment): \(error.code) \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: workingCodecs)
    func emptyInputIsAnEmptyPageOnly(codec: Codec) throws {
        #expect(try Self.decompress(codec, [], size: 0) == [])
        Self.expectFailure("\(codec) empty input, 10 bytes promised") { _ = try Self.decompress(codec, [], size: 10) }
    }

    @Test(arguments: workingCodecs)
    func impossibleSizesAreRejectedBeforeAllocating(codec: Codec) throws {
        let compressed = try Self.compress(codec, CodecTestData.text)
        Self.expectFailure("\(codec) negative size", codes: [.corrupt]) { _ = try Self.decompress(codec, compressed, size: -1) }
        Self.expectFailure("\(codec) size over the limit", codes: [.overflow]) {
            _ = try Self.decompress(codec, compressed, size: Codec.maxUncompressedSize + 1)
        }
        Self.expectFailure("\(codec) Int.max", codes: [.overflow]) { _ = try Self.decompress(codec, compressed, size: .max) }
        // 2 GiB - 1 from a few dozen bytes: refused by the ratio bounds or zstd's declared size.
        Self.expectFailure("\(codec) 2 GiB from \(compressed.count) bytes", codes: [.corrupt]) {
            _ = try Self.decompress(codec, compressed, size: Codec.maxUncompressedSize)
        }
    }

    @Test(arguments: workingCodecs)
    func sizesOffByAnyAmountThrowAndLeaveTheBuilderAlone(codec: Codec) throws {
        let page = CodecTestData.compressible(count: 3000, seed: 9)
        let compressed = try Self.compress(codec, page)
        let output = BufferBuilder()
        output.append(contentsOf: [7, 7, 7] as [UInt8])
        for size in [0, 1, page.count - 1, page.count + 1, page.count * 2] {
            Self.expectFailure("\(codec) promised \(size) of \(page.count)") {
                try compressed.withUnsafeBytes { try codec.decompress($0, uncompressedSize: size, into: output) }
            }
            #expect(output.count == 3)
        }
        #expect(try Self.decompress(codec, compressed, size: page.count) == page)
    }

    @Test(arguments: decodingCodecs)
    func garbageThrows(codec: Codec) {
        var generator = SeededGenerator(seed: UInt64(codec.thriftValue))
        let context = CodecContext()
        for trial in 0..<300 {
            let length = Int.random(in: 1...600, using: &generator)
            let garbage = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let size = Int.random(in: 1...5000, using: &generator)
            Self.expectFailure("\(codec) trial \(trial)") {
                _ = try Self.decompress(codec, garbage, size: size, context: context)
            }
        }
    }

    @Test(arguments: workingCodecs)
    func truncatedInputThrows(codec: Codec) throws {
        let page = CodecTestData.compressible(count: 10_000, seed: 2)
        let compressed = try Self.compress(codec, page)
        for length in Set([1, 5, compressed.count / 2, compressed.count - 1]) {
            Self.expectFailure("\(codec) truncated to \(length) of \(compressed.count)") {
                _ = try Self.decompress(codec, Array(compressed.prefix(length)), size: page.count)
            }
        }
    }

    @Test(arguments: workingCodecs)
    func trailingBytesThrow(codec: Codec) throws {
        let page = CodecTestData.compressible(count: 2000, seed: 4)
        let compressed = try Self.compress(codec, page)
        for junk in [[0] as [UInt8], [0x1F, 0x8B], CodecTestData.random(count: 40, seed: 1)] {
            Self.expectFailure("\(codec) with \(junk.count) trailing bytes") {
                _ = try Self.decompress(codec, compressed + junk, size: page.count)
            }
        }
    }

    @Test func gzipBombIsCutOffAtThePromisedSize() throws {
        let bomb = try Self.compress(.gzip, [UInt8](repeating: 0, count: 8 << 20), level: 9)
        Self.expectFailure("8 MiB of zeros promised as 1000 bytes", codes: [.corrupt]) {
            _ = try Self.decompress(.gzip, bomb, size: 1000)
        }
    }

    @Test func zstdWithoutContentSizeStillChecksTheSize() throws {
        let payload = CodecTestData.zstdWithoutContentSize
        #expect(try Self.decompress(.zstd, payload, size: CodecTestData.text.count) == CodecTestData.text)
        for size in [1, CodecTestData.text.count - 1, CodecTestData.text.count + 1, 64 << 20] {
            Self.expectFailure("zstd frame without size, promised \(size)") {
                _ = try Self.decompress(.zstd, payload, size: size)
            }
        }
    }

    @Test func hadoopFramesWithLyingSizesThrow() throws {
        let block = try Self.compress(.lz4Raw, CodecTestData.text)
        let count = UInt32(CodecTestData.text.count)
        for (decompressed, compressed) in [(count + 1, UInt32(block.count)), (count, UInt32(block.count) + 1),
                                           (count, UInt32(block.count) - 1), (.max, .max)] {
            let framed = Self.hadoopFrame(decompressedSize: decompressed, compressedSize: compressed, block)
            Self.expectFailure("Hadoop frame claiming \(decompressed)/\(compressed)") {
                _ = try Self.decompress(.lz4, framed, size: CodecTestData.text.count)
            }
        }
    }

    @Test func aContextStaysUsableAfterAFailure() throws {
        let context = CodecContext()
        for codec in [Codec.gzip, .zstd] {
            let good = try Self.compress(codec, CodecTestData.text, context: context)
            Self.expectFailure("\(codec) truncated") {
                _ = try Self.decompress(codec, Array(good.prefix(good.count / 2)), size: CodecTestData.text.count,
                                        context: context)
            }
            #expect(try Self.decompress(codec, good, size: CodecTestData.text.count, context: context) == CodecTestData.text)
        }
    }

    /// One Hadoop LZ4 frame: big-endian sizes, then the block.
    static func hadoopFrame(decompressedSize: UInt32, compressedSize: UInt32, _ block: [UInt8]) -> [UInt8] {
        withUnsafeBytes(of: decompressedSize.bigEndian) { Array($0) }
            + withUnsafeBytes(of: compressedSize.bigEndian) { Array($0) } + block
    }
}
