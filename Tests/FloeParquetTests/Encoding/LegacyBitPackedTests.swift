import Testing
@testable import FloeParquet

extension EncodingTests {
    @Suite struct LegacyBitPackedTests {
        /// The specification's example: 0 through 7 with bit width 3 → 00000101 00111001 01110111.
        @Test func specificationExample() throws {
            var values = [Int32](repeating: -1, count: 8)
            let consumed = try withBytes([0b0000_0101, 0b0011_1001, 0b0111_0111, 0xAA]) { raw in
                try values.withUnsafeMutableBufferPointer { try LegacyBitPackedDecoder.decode(raw, bitWidth: 3, into: $0) }
            }
            #expect(consumed == 3)
            #expect(values == [0, 1, 2, 3, 4, 5, 6, 7])
        }

        @Test(arguments: [0, 1, 2, 5, 8, 13, 31, 32]) func roundTrip(bitWidth: Int) throws {
            var rng = SeededGenerator(seed: UInt64(bitWidth) + 90)
            let expected = (0..<99).map { _ in Int32(truncatingIfNeeded: bitWidth == 0 ? 0 : rng.next() & ((UInt64(1) << UInt64(bitWidth)) - 1)) }
            // Reference MSB-first packing, bit by bit.
            var bytes = [UInt8](repeating: 0, count: (99 * bitWidth + 7) / 8)
            var bit = 0
            for v in expected {
                for k in stride(from: bitWidth - 1, through: 0, by: -1) {
                    if (UInt32(bitPattern: v) >> UInt32(k)) & 1 == 1 { bytes[bit >> 3] |= 0x80 >> UInt8(bit & 7) }
                    bit += 1
                }
            }
            var values = [Int32](repeating: 0, count: 99)
            let consumed = try withBytes(bytes) { raw in
                try values.withUnsafeMutableBufferPointer { try LegacyBitPackedDecoder.decode(raw, bitWidth: bitWidth, into: $0) }
            }
            #expect(consumed == bytes.count)
            #expect(values == expected)
        }

        @Test func malformedInput() {
            var values = [Int32](repeating: 0, count: 8)
            #expect(throws: ParquetError.self) {
                try withBytes([1, 2]) { raw in try values.withUnsafeMutableBufferPointer { try LegacyBitPackedDecoder.decode(raw, bitWidth: 3, into: $0) } }
            }
            #expect(throws: ParquetError.self) {
                try withBytes([1, 2, 3]) { raw in try values.withUnsafeMutableBufferPointer { try LegacyBitPackedDecoder.decode(raw, bitWidth: 33, into: $0) } }
            }
        }
    }
}
