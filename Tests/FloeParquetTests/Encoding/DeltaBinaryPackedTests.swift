import FloeColumnar
import Testing
@testable import FloeParquet

extension EncodingTests {
    @Suite struct DeltaBinaryPackedTests {
        func decode64(_ bytes: [UInt8], count: Int) throws -> [Int64] {
            var decoder = try DeltaBinaryPackedDecoder(exactBuffer(bytes))
            var out = [Int64](repeating: 0, count: count)
            try out.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
            return out
        }

        func encode(_ values: [Int64]) -> [UInt8] {
            let out = BufferBuilder()
            values.withUnsafeBufferPointer { DeltaBinaryPackedEncoder.encode($0, into: out) }
            return out.takeBytes()
        }

        func encode(_ values: [Int32]) -> [UInt8] {
            let out = BufferBuilder()
            values.withUnsafeBufferPointer { DeltaBinaryPackedEncoder.encode($0, into: out) }
            return out.takeBytes()
        }

        /// Example 1 of the specification (block size 8): 1, 2, 3, 4, 5.
        @Test func specificationExample1() throws {
            // Header: block size 8, 1 miniblock, 5 values, first value 1 (zigzag 2).
            // Block: min delta 1 (zigzag 2), bit width 0, no data.
            let bytes: [UInt8] = [8, 1, 5, 2, 2, 0]
            #expect(try decode64(bytes, count: 5) == [1, 2, 3, 4, 5])
            var decoder = try DeltaBinaryPackedDecoder(exactBuffer(bytes + [0xAA]))
            #expect(decoder.valueCount == 5)
            #expect(try decoder.skipToEnd() == bytes.count)
        }

        /// Example 2 of the specification (block size 8): 7, 5, 3, 1, 2, 3, 4, 5.
        @Test func specificationExample2() throws {
            // Header: 8, 1 miniblock, 8 values, first value 7 (zigzag 14).
            // Block: min delta -2 (zigzag 3), bit width 2, relative deltas 0 0 0 3 3 3 3 (+ padding 0).
            let bytes: [UInt8] = [8, 1, 8, 14, 3, 2, 0b1100_0000, 0b0011_1111]
            #expect(try decode64(bytes, count: 8) == [7, 5, 3, 1, 2, 3, 4, 5])
            var decoder = try DeltaBinaryPackedDecoder(exactBuffer(bytes))
            var out32 = [Int32](repeating: 0, count: 8)
            try out32.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
            #expect(out32 == [7, 5, 3, 1, 2, 3, 4, 5])
        }

        @Test func encoderHeaderAndLayout() throws {
            // 1...5 with the real block size: header 128, 4, 5, zigzag(1); one block: min delta 1,
            // four bit widths of 0, no miniblock data.
            #expect(encode([1, 2, 3, 4, 5] as [Int64]) == [0x80, 0x01, 4, 5, 2, 2, 0, 0, 0, 0])
            #expect(encode([] as [Int64]) == [0x80, 0x01, 4, 0, 0])
            #expect(encode([-3] as [Int64]) == [0x80, 0x01, 4, 1, 5])
        }

        func check64(_ values: [Int64], using rng: inout SeededGenerator) throws {
            let bytes = encode(values)
            #expect(bytes.count <= DeltaBinaryPackedEncoder.maxEncodedByteCount(count: values.count, bitWidth: 64))
            var decoder = try DeltaBinaryPackedDecoder(exactBuffer(bytes + [0xFF, 0xFF]))
            #expect(decoder.valueCount == values.count)
            var probe = decoder
            #expect(try probe.skipToEnd() == bytes.count)
            let out = BufferBuilder()
            for n in randomBatches(total: values.count, using: &rng) { try decoder.decodeInt64(count: n, into: out) }
            #expect(out.takeValues(as: Int64.self) == values)
            #expect(decoder.remaining == 0)
            #expect(throws: ParquetError.self) { try decoder.decodeInt64(count: 1, into: out) }
        }

        func check32(_ values: [Int32], using rng: inout SeededGenerator) throws {
            let bytes = encode(values)
            var decoder = try DeltaBinaryPackedDecoder(exactBuffer(bytes))
            let out = BufferBuilder()
            for n in randomBatches(total: values.count, using: &rng) { try decoder.decodeInt32(count: n, into: out) }
            #expect(out.takeValues(as: Int32.self) == values)
            // Int32 data never needs more than 32 bits per delta.
            var probe = try DeltaBinaryPackedDecoder(exactBuffer(bytes))
            _ = try probe.skipToEnd()
        }

        @Test func edgeCases() throws {
            var rng = SeededGenerator(seed: 21)
            try check64([] as [Int64], using: &rng)
            try check64([42] as [Int64], using: &rng)
            try check64([Int64](repeating: -7, count: 1000), using: &rng)
            try check64([.min, .max, .min, .max, 0, .min, -1, .max], using: &rng)
            try check64((0..<1000).map { $0 % 2 == 0 ? Int64.min : Int64.max }, using: &rng)
            try check64((0..<300).map { Int64($0) * 1_000_000_007 }, using: &rng)
            for count in [2, 31, 32, 33, 127, 128, 129, 130, 255, 256, 257, 1000] {
                try check64((0..<count).map { _ in Int64.random(in: -1000...1000, using: &rng) }, using: &rng)
                try check64((0..<count).map { _ in Int64.random(in: .min ... .max, using: &rng) }, using: &rng)
            }
            try check32([] as [Int32], using: &rng)
            try check32([Int32.min], using: &rng)
            try check32([.min, .max, .min, .max, 0, -1], using: &rng)
            try check32((0..<1000).map { _ in Int32.random(in: .min ... .max, using: &rng) }, using: &rng)
            try check32((0..<1000).map { Int32($0) }, using: &rng)
        }

        /// Values whose deltas need exactly `bitWidth` bits, for every width.
        @Test(arguments: 0...64) func everyBitWidth(bitWidth: Int) throws {
            var rng = SeededGenerator(seed: 500 + UInt64(bitWidth))
            let mask: UInt64 = bitWidth == 64 ? ~0 : (UInt64(1) << UInt64(bitWidth)) - 1
            var values: [Int64] = [Int64.random(in: .min ... .max, using: &rng)]
            for i in 1..<700 {
                let delta = i == 1 ? mask : rng.next() & mask  // make sure the full width is used
                values.append(values[i - 1] &+ Int64(bitPattern: delta))
            }
            try check64(values, using: &rng)
            if bitWidth <= 32 {
                try check32(values.map { Int32(truncatingIfNeeded: $0) }, using: &rng)
            }
        }

        @Test func unusedMiniblockWidthsMayBeGarbage() throws {
            // Block of 16 values in 2 miniblocks of 8; 5 values need only the first miniblock, whose
            // bit width is 1; the second width byte is garbage and its data absent.
            let bytes: [UInt8] = [16, 2, 5, 0, 0, 1, 200, 0b0000_0101]
            #expect(try decode64(bytes, count: 5) == [0, 1, 1, 2, 2])
        }

        @Test func malformedInput() throws {
            // Miniblock bit width above 64 (and above 32 for Int32 output).
            #expect(throws: ParquetError.self) { try decode64([8, 1, 2, 0, 0, 65] + [UInt8](repeating: 0, count: 80), count: 2) }
            let wide: [UInt8] = [8, 1, 2, 0, 0, 33] + [UInt8](repeating: 0, count: 40)
            #expect(try decode64(wide, count: 2) == [0, 0])
            var decoder = try DeltaBinaryPackedDecoder(exactBuffer(wide))
            #expect(throws: ParquetError.self) {
                var out = [Int32](repeating: 0, count: 2)
                try out.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
            }
            // Truncated miniblock, truncated bit widths, truncated block header, truncated header.
            #expect(throws: ParquetError.self) { try decode64([8, 1, 8, 0, 0, 8, 1, 2, 3], count: 8) }
            #expect(throws: ParquetError.self) { try decode64([16, 2, 8, 0, 0, 8], count: 8) }
            #expect(throws: ParquetError.self) { try decode64([8, 1, 8, 0], count: 8) }
            #expect(throws: ParquetError.self) { try decode64([8, 1], count: 0) }
            // Bad block geometry.
            #expect(throws: ParquetError.self) { try decode64([0, 1, 1, 0], count: 1) }
            #expect(throws: ParquetError.self) { try decode64([8, 0, 1, 0], count: 1) }
            #expect(throws: ParquetError.self) { try decode64([8, 3, 1, 0], count: 1) }
            #expect(throws: ParquetError.self) { try decode64([12, 1, 1, 0], count: 1) }
            #expect(throws: ParquetError.self) { try decode64([0x80, 0x01, 128, 1, 1, 0], count: 1) }  // miniblocks of 1 value
            // More values requested than declared.
            #expect(throws: ParquetError.self) { try decode64([8, 1, 1, 0], count: 2) }
            // Huge declared count is fine until values are asked for.
            var huge = try DeltaBinaryPackedDecoder(exactBuffer([8, 1, 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0]))
            #expect(huge.valueCount == Int(Int32.max))
            #expect(throws: ParquetError.self) { _ = try huge.skipToEnd() }
            #expect(throws: ParquetError.self) { try DeltaBinaryPackedDecoder(exactBuffer([8, 1, 0x80, 0x80, 0x80, 0x80, 0x10, 0])) }
        }

        @Test func randomGarbageNeverCrashes() {
            var rng = SeededGenerator(seed: 31)
            for _ in 0..<3000 {
                var bytes = (0..<Int.random(in: 0...60, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
                if bytes.count > 4 && Bool.random(using: &rng) { bytes[0] = 8; bytes[1] = 1; bytes[2] = UInt8.random(in: 0...40, using: &rng) }
                _ = try? decode64(bytes, count: Int.random(in: 0...50, using: &rng))
                if var d = try? DeltaBinaryPackedDecoder(exactBuffer(bytes)) { _ = try? d.skipToEnd() }
            }
        }
    }
}
