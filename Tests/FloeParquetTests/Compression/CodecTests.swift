import FloeColumnar
import Testing
@testable import FloeParquet

/// Round trips and API contract of the compression codecs.
@Suite("Codec")
struct CodecTests {
    /// The codecs Floe both compresses and decompresses.
    static let workingCodecs: [Codec] = [.uncompressed, .snappy, .gzip, .zstd, .lz4Raw, .lz4]

    /// Sizes covering empty, tiny, LZ4's minimum-match edge, page-sized and multi-block inputs.
    static let sizes = [0, 1, 2, 12, 13, 100, 4096, 65_539, 1 << 20]

    /// Random and compressible samples of every size, made once.
    static let samples: [(name: String, bytes: [UInt8])] = sizes.flatMap { size in
        [("random \(size)", CodecTestData.random(count: size, seed: UInt64(size))),
         ("compressible \(size)", CodecTestData.compressible(count: size, seed: UInt64(size)))]
    }

    static func compress(_ codec: Codec, _ bytes: [UInt8], level: Int? = nil,
                         context: CodecContext? = nil) throws -> [UInt8] {
        try bytes.withUnsafeBytes { try codec.compress($0, level: level, context: context).bytes }
    }

    static func decompress(_ codec: Codec, _ bytes: [UInt8], size: Int,
                           context: CodecContext? = nil) throws -> [UInt8] {
        try bytes.withUnsafeBytes { try codec.decompress($0, uncompressedSize: size, context: context).bytes }
    }

    @Test func thriftIdsMatchTheSpecification() {
        let expected: [(Int32, Codec, String)] = [
            (0, .uncompressed, "UNCOMPRESSED"), (1, .snappy, "SNAPPY"), (2, .gzip, "GZIP"), (3, .lzo, "LZO"),
            (4, .brotli, "BROTLI"), (5, .lz4, "LZ4"), (6, .zstd, "ZSTD"), (7, .lz4Raw, "LZ4_RAW"),
        ]
        for (id, codec, name) in expected {
            #expect(Codec(thriftValue: id) == codec)
            #expect(codec.thriftValue == id)
            #expect(codec.name == name)
        }
        #expect(Codec.allCases.count == expected.count)
        #expect(Codec(thriftValue: 8) == nil)
        #expect(Codec(thriftValue: -1) == nil)
        #expect(Codec(thriftValue: .max) == nil)
    }

    @Test(arguments: workingCodecs)
    func roundTripsRandomAndCompressibleData(codec: Codec) throws {
        let context = CodecContext()
        for (name, bytes) in Self.samples {
            let compressed = try Self.compress(codec, bytes, context: context)
            let restored = try Self.decompress(codec, compressed, size: bytes.count, context: context)
            #expect(restored == bytes, "\(codec) \(name)")
            // Without a context, too.
            #expect(try Self.decompress(codec, compressed, size: bytes.count) == bytes, "\(codec) \(name)")
        }
    }

    @Test(arguments: [Codec.snappy, .gzip, .zstd, .lz4Raw, .lz4])
    func compressibleDataShrinks(codec: Codec) throws {
        let bytes = CodecTestData.compressible(count: 65_536, seed: 7)
        let compressed = try Self.compress(codec, bytes)
        #expect(compressed.count < bytes.count * 3 / 4, "\(codec): \(compressed.count) bytes")
    }

    /// Long runs of zeros reach each format's best compression ratio; the plausibility bounds
    /// `decompress` checks before allocating must still let them through.
    @Test(arguments: [Codec.snappy, .gzip, .zstd, .lz4Raw, .lz4])
    func maximallyCompressibleDataRoundTrips(codec: Codec) throws {
        let zeros = Buffer(bytes: [UInt8](repeating: 0, count: 16 << 20))
        let compressed = try zeros.withUnsafeBytes { try codec.compress($0, level: 9) }
        let restored = try compressed.withUnsafeBytes { try codec.decompress($0, uncompressedSize: zeros.count) }
        #expect(restored == zeros)
    }

    @Test func decompressAppendsToABuilderWithOneContext() throws {
        let output = BufferBuilder()
        output.append(contentsOf: Array("head".utf8))
        let context = CodecContext()
        var expected = Array("head".utf8)
        for (index, codec) in Self.workingCodecs.enumerated() {
            let page = CodecTestData.compressible(count: 1000 + index, seed: UInt64(index))
            let compressed = try Self.compress(codec, page, context: context)
            try compressed.withUnsafeBytes {
                try codec.decompress($0, uncompressedSize: page.count, into: output, context: context)
            }
            expected += page
        }
        #expect(output.finish().bytes == expected)
    }

    @Test func compressAppendsToABuilderAndReportsItsSize() throws {
        let output = BufferBuilder()
        output.append(contentsOf: [1, 2, 3] as [UInt8])
        let page = CodecTestData.compressible(count: 5000, seed: 3)
        let written = try page.withUnsafeBytes { try Codec.zstd.compress($0, into: output) }
        let bytes = output.finish().bytes
        #expect(bytes.count == 3 + written)
        #expect(Array(bytes.prefix(3)) == [1, 2, 3])
        #expect(try Self.decompress(.zstd, Array(bytes.dropFirst(3)), size: page.count) == page)
    }

    @Test(arguments: [-5, 1, 3, 9, 19, 22])
    func zstdLevelsRoundTrip(level: Int) throws {
        let page = CodecTestData.compressible(count: 65_536, seed: 11)
        let compressed = try Self.compress(.zstd, page, level: level)
        #expect(try Self.decompress(.zstd, compressed, size: page.count) == page)
    }

    @Test func gzipLevelsRoundTripAndBadLevelsThrow() throws {
        let page = CodecTestData.compressible(count: 20_000, seed: 5)
        let context = CodecContext()
        for level in [nil, 0, 1, 6, 9, 1] {
            let compressed = try Self.compress(.gzip, page, level: level, context: context)
            #expect(try Self.decompress(.gzip, compressed, size: page.count, context: context) == page)
        }
        for level in [10, -2, 100] {
            let error = #expect(throws: ParquetError.self) { try Self.compress(.gzip, page, level: level) }
            #expect(error?.code == .compression)
        }
    }

    @Test(arguments: [Codec.lzo, .brotli])
    func unimplementedCodecsThrowUnsupported(codec: Codec) {
        #expect(!codec.isSupported)
        let decompressError = #expect(throws: ParquetError.self) { try Self.decompress(codec, [1, 2, 3], size: 3) }
        #expect(decompressError?.code == .unsupported)
        #expect(decompressError?.message.contains(codec.name) == true)
        let compressError = #expect(throws: ParquetError.self) { try Self.compress(codec, [1, 2, 3]) }
        #expect(compressError?.code == .unsupported)
        #expect(compressError?.message.contains(codec.name) == true)
    }
}
