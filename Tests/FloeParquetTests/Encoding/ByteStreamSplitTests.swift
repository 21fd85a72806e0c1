import FloeColumnar
import Testing
@testable import FloeParquet

extension EncodingTests {
    @Suite struct ByteStreamSplitTests {
        /// The specification's example: three 4-byte values.
        @Test func specificationExample() throws {
            let values: [UInt8] = [0xAA, 0xBB, 0xCC, 0xDD, 0x00, 0x11, 0x22, 0x33, 0xA3, 0xB4, 0xC5, 0xD6]
            let out = BufferBuilder()
            try values.withUnsafeBytes { try ByteStreamSplitEncoder.encode($0, byteWidth: 4, into: out) }
            let encoded = out.takeBytes()
            #expect(encoded == [0xAA, 0x00, 0xA3, 0xBB, 0x11, 0xB4, 0xCC, 0x22, 0xC5, 0xDD, 0x33, 0xD6])
            var decoder = try ByteStreamSplitDecoder(exactBuffer(encoded), byteWidth: 4)
            try decoder.decode(count: 3, into: out)
            #expect(out.takeBytes() == values)
        }

        @Test(arguments: [1, 2, 3, 4, 8, 12, 16]) func roundTrip(byteWidth: Int) throws {
            var rng = SeededGenerator(seed: UInt64(byteWidth))
            for count in [0, 1, 7, 1001] {
                let values = (0..<(count * byteWidth)).map { _ in UInt8.random(in: 0...255, using: &rng) }
                let out = BufferBuilder()
                try values.withUnsafeBytes { try ByteStreamSplitEncoder.encode($0, byteWidth: byteWidth, into: out) }
                var decoder = try ByteStreamSplitDecoder(out.finish(), byteWidth: byteWidth)
                #expect(decoder.valueCount == count)
                let decoded = BufferBuilder()
                for n in randomBatches(total: count, using: &rng) { try decoder.decode(count: n, into: decoded) }
                #expect(decoded.takeBytes() == values)
                #expect(throws: ParquetError.self) { try decoder.decode(count: 1, into: decoded) }
            }
        }

        @Test func typedValues() throws {
            let doubles: [Double] = [1.5, -0.0, .pi, .infinity, -1e300]
            let out = BufferBuilder()
            try doubles.withUnsafeBytes { try ByteStreamSplitEncoder.encode($0, byteWidth: 8, into: out) }
            var decoder = try ByteStreamSplitDecoder(out.finish(), byteWidth: 8)
            let decoded = BufferBuilder()
            try decoder.decode(count: 5, into: decoded)
            #expect(decoded.takeValues(as: Double.self).map(\.bitPattern) == doubles.map(\.bitPattern))
        }

        @Test func malformedInput() {
            #expect(throws: ParquetError.self) { try ByteStreamSplitDecoder(exactBuffer([1, 2, 3, 4, 5]), byteWidth: 4) }
            #expect(throws: ParquetError.self) { try ByteStreamSplitDecoder(exactBuffer([1, 2, 3, 4]), byteWidth: 0) }
            #expect(throws: ParquetError.self) {
                var decoder = try ByteStreamSplitDecoder(exactBuffer([1, 2, 3, 4]), byteWidth: 4)
                try decoder.decode(count: -1, into: BufferBuilder())
            }
        }
    }
}
