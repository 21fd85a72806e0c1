import FloeColumnar
import Foundation
import Testing
@testable import FloeParquet

/// Interoperability: data compressed by other implementations decompresses, and Floe's output
/// decompresses with other implementations (when their command-line tools are installed).
extension CodecTests {
    @Test func payloadsFromOtherToolsDecompress() throws {
        let text = CodecTestData.text
        #expect(try Self.decompress(.gzip, CodecTestData.gzip, size: text.count) == text)
        #expect(try Self.decompress(.gzip, CodecTestData.gzipTwoMembers, size: 2 * text.count) == text + text)
        #expect(try Self.decompress(.gzip, CodecTestData.zlib, size: text.count) == text)
        #expect(try Self.decompress(.zstd, CodecTestData.zstdWithoutContentSize, size: text.count) == text)
        #expect(try Self.decompress(.snappy, CodecTestData.snappy, size: text.count) == text)
        #expect(try Self.decompress(.lz4Raw, CodecTestData.lz4Raw, size: text.count) == text)
    }

    @Test func deprecatedLZ4ReadsHadoopFramesAndFallsBackToRawBlocks() throws {
        let text = CodecTestData.text
        let block = CodecTestData.lz4Raw
        // A raw block under the LZ4 id, as old parquet-cpp wrote.
        #expect(try Self.decompress(.lz4, block, size: text.count) == text)
        // Two Hadoop frames.
        let frame = Self.hadoopFrame(decompressedSize: UInt32(text.count), compressedSize: UInt32(block.count), block)
        #expect(try Self.decompress(.lz4, frame + frame, size: 2 * text.count) == text + text)
        // What Floe writes is one Hadoop frame.
        let written = try Self.compress(.lz4, text)
        #expect(Array(written.prefix(4)) == [0, 0, 0x03, 0x8E])  // 910, big-endian
        #expect(try Self.decompress(.lz4Raw, Array(written.dropFirst(8)), size: text.count) == text)
    }

    @Test func zstdReadsSeveralFramesAndSkippableFrames() throws {
        let text = CodecTestData.text
        let ours = try Self.compress(.zstd, text)
        // A skippable frame: magic 0x184D2A50 (little-endian), 4-byte length, that many bytes.
        let skippable: [UInt8] = [0x50, 0x2A, 0x4D, 0x18, 3, 0, 0, 0, 0xAA, 0xBB, 0xCC]
        let input = ours + skippable + CodecTestData.zstdWithoutContentSize
        #expect(try Self.decompress(.zstd, input, size: 2 * text.count) == text + text)
    }

    /// Floe's gzip and zstd output, read back by the `gzip` and `zstd` command-line tools.
    @Test func commandLineToolsReadFloeOutput() throws {
        let page = CodecTestData.compressible(count: 100_000, seed: 21)
        for (codec, tool) in [(Codec.gzip, "/usr/bin/gzip"), (.zstd, "/usr/bin/zstd")] {
            guard FileManager.default.isExecutableFile(atPath: tool) else {
                print("skipping \(tool): not installed")
                continue
            }
            let compressed = try Self.compress(codec, page)
            #expect(try Self.run(tool, ["-d", "-c"], input: compressed) == page, "\(tool)")
        }
    }

    /// Floe's output of every codec pyarrow names, read back by `pyarrow.decompress` when the test
    /// environment's Python (`FLOE_PYTHON`, set by `Tools/test.sh`) is available.
    @Test func pyarrowReadsFloeOutput() throws {
        guard let python = ProcessInfo.processInfo.environment["FLOE_PYTHON"],
              FileManager.default.isExecutableFile(atPath: python) else {
            print("skipping pyarrow cross-check: FLOE_PYTHON is not set")
            return
        }
        let page = CodecTestData.compressible(count: 100_000, seed: 22)
        let script = """
            import sys, pyarrow as pa
            data = sys.stdin.buffer.read()
            sys.stdout.buffer.write(pa.decompress(data, decompressed_size=int(sys.argv[2]), codec=sys.argv[1], asbytes=True))
            """
        for (codec, name) in [(Codec.snappy, "snappy"), (.gzip, "gzip"), (.zstd, "zstd"), (.lz4Raw, "lz4_raw")] {
            let compressed = try Self.compress(codec, page)
            #expect(try Self.run(python, ["-c", script, name, "\(page.count)"], input: compressed) == page, "\(codec)")
        }
    }

    /// Runs `tool` with `arguments`, `input` on its standard input; returns its standard output.
    static func run(_ tool: String, _ arguments: [String], input: [UInt8]) throws -> [UInt8] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("floe-codec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let inputURL = directory.appendingPathComponent("in")
        let outputURL = directory.appendingPathComponent("out")
        try Data(input).write(to: inputURL)
        _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardInput = try FileHandle(forReadingFrom: inputURL)
        process.standardOutput = try FileHandle(forWritingTo: outputURL)
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(tool) \(arguments) exited \(process.terminationStatus)")
        return try [UInt8](Data(contentsOf: outputURL))
    }
}
