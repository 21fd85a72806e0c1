import FloeColumnar
import Testing
@testable import FloeParquet

extension EncodingTests {
    @Suite struct RLEHybridTests {
        func decode(_ bytes: [UInt8], bitWidth: Int, count: Int) throws -> [Int32] {
            var decoder = try RLEHybridDecoder(exactBuffer(bytes), bitWidth: bitWidth)
            var out = [Int32](repeating: -1, count: count)
            try out.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
            return out
        }

        func encode(_ values: [Int32], bitWidth: Int) throws -> [UInt8] {
            let out = BufferBuilder()
            let encoder = try RLEHybridEncoder(bitWidth: bitWidth)
            try values.withUnsafeBufferPointer { try encoder.encode($0, into: out) }
            return out.takeBytes()
        }

        /// The specification's bit-packing example inside a bit-packed run, then a repeated run.
        @Test func specificationExample() throws {
            let bytes: [UInt8] = [0b11, 0x88, 0xC6, 0xFA,  // 1 group of 8 bit-packed values, width 3
                                  10 << 1, 5]              // 10 × 5
            #expect(try decode(bytes, bitWidth: 3, count: 18) == [0, 1, 2, 3, 4, 5, 6, 7] + [Int32](repeating: 5, count: 10))
        }

        @Test func canonicalEncoding() throws {
            // Ten equal values: one repeated run.
            #expect(try encode([Int32](repeating: 3, count: 10), bitWidth: 2) == [20, 3])
            // Width 9 repeated values take two bytes.
            #expect(try encode([Int32](repeating: 300, count: 8), bitWidth: 9) == [16, 0x2C, 0x01])
            // Seven equal values are too few for a run: one padded bit-packed group.
            #expect(try encode([Int32](repeating: 1, count: 7), bitWidth: 1) == [3, 0x7F])
            // 3 literals then 13 repeats: 5 repeats complete the group, 8 remain for a run.
            let values: [Int32] = [1, 2, 3] + [Int32](repeating: 0, count: 13)
            #expect(try encode(values, bitWidth: 2) == [3, 0b00_11_10_01, 0, 16, 0])
            #expect(try decode(try encode(values, bitWidth: 2), bitWidth: 2, count: 16) == values)
            // 3 literals then 12 repeats: only 7 would remain, so everything is bit-packed.
            let short: [Int32] = [1, 2, 3] + [Int32](repeating: 0, count: 12)
            #expect(try encode(short, bitWidth: 2).first == 5)  // 2 groups
            // Bit width 0.
            #expect(try encode([0, 0, 0], bitWidth: 0) == [3])
            #expect(try encode([Int32](repeating: 0, count: 100), bitWidth: 0) == [200, 1])
            #expect(try encode([], bitWidth: 5) == [])
        }

        @Test(arguments: 0...32) func roundTrip(bitWidth: Int) throws {
            var rng = SeededGenerator(seed: 77 + UInt64(bitWidth))
            let maxValue: UInt64 = bitWidth == 0 ? 0 : (UInt64(1) << UInt64(bitWidth)) - 1
            for shape in 0..<4 {
                var values: [Int32] = []
                let count = [1, 9, 1000, 5000][shape]
                while values.count < count {
                    let v = Int32(truncatingIfNeeded: UInt64.random(in: 0...maxValue, using: &rng))
                    let repeats = Bool.random(using: &rng) ? Int.random(in: 1...30, using: &rng) : 1
                    values.append(contentsOf: repeatElement(v, count: Swift.min(repeats, count - values.count)))
                }
                let encoded = try encode(values, bitWidth: bitWidth)
                #expect(encoded.count <= RLEHybridEncoder.maxEncodedByteCount(count: count, bitWidth: bitWidth))
                // Decode in random batches so runs and groups span batch boundaries.
                var decoder = try RLEHybridDecoder(exactBuffer(encoded), bitWidth: bitWidth)
                let builder = BufferBuilder()
                for n in randomBatches(total: count, using: &rng) { try decoder.decode(count: n, into: builder) }
                #expect(builder.takeValues(as: Int32.self) == values)
                // Asking for more than there is throws (the final group's padding is not handed out
                // past a group boundary).
                var full = try RLEHybridDecoder(exactBuffer(encoded), bitWidth: bitWidth)
                try full.skip(count: count - count % 8)
                #expect(throws: ParquetError.self) { try full.skip(count: 9) }
            }
        }

        @Test func lengthPrefixed() throws {
            let values: [Int32] = [0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1]
            let out = BufferBuilder()
            out.append(UInt8(0xAB))  // something before
            try RLEHybridEncoder(bitWidth: 1).encodeLengthPrefixed(values.withUnsafeBufferPointer { $0 }, into: out)
            var bytes = out.takeBytes()
            bytes.removeFirst()
            let length = Int(bytes[0]) | Int(bytes[1]) << 8
            #expect(length == bytes.count - 4)
            bytes += [9, 9, 9]  // the next section of the page
            var decoder = try RLEHybridDecoder(lengthPrefixed: exactBuffer(bytes), bitWidth: 1)
            #expect(decoder.encodedByteCount == 4 + length)
            var decoded = [Int32](repeating: 0, count: values.count)
            try decoded.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
            #expect(decoded == values)
        }

        /// A final bit-packed run whose header promises more groups than the bytes hold.
        @Test func truncatedFinalGroup() throws {
            // 2 groups (16 values) of width 3 declared, 4 bytes present: 10 whole values.
            let bytes: [UInt8] = [0b101, 0x88, 0xC6, 0xFA, 0x88]
            #expect(try decode(bytes, bitWidth: 3, count: 10) == [0, 1, 2, 3, 4, 5, 6, 7, 0, 1])
            #expect(throws: ParquetError.self) { try decode(bytes, bitWidth: 3, count: 11) }
            // Writers that cut the last group to the bytes needed: 3 values of width 8 in one declared group.
            #expect(try decode([0b11, 10, 20, 30], bitWidth: 8, count: 3) == [10, 20, 30])
        }

        @Test func malformedInput() throws {
            #expect(throws: ParquetError.self) { try RLEHybridDecoder(Buffer(), bitWidth: 33) }
            #expect(throws: ParquetError.self) { try RLEHybridDecoder(Buffer(), bitWidth: -1) }
            #expect(throws: ParquetError.self) { try RLEHybridDecoder(dictionaryIndices: exactBuffer([33, 0])) }
            // Exhausted data.
            #expect(throws: ParquetError.self) { try decode([], bitWidth: 3, count: 1) }
            #expect(throws: ParquetError.self) { try decode([4, 1], bitWidth: 3, count: 3) }
            // Repeated value truncated, and a repeated value too wide for the bit width.
            #expect(throws: ParquetError.self) { try decode([4, 1], bitWidth: 9, count: 1) }
            #expect(throws: ParquetError.self) { try decode([4, 9], bitWidth: 3, count: 1) }
            // Overlong and truncated headers.
            #expect(throws: ParquetError.self) { try decode([0x80, 0x80, 0x80, 0x80, 0x80, 0x80], bitWidth: 3, count: 1) }
            #expect(throws: ParquetError.self) { try decode([0xFF, 0xFF, 0xFF, 0xFF, 0x7F], bitWidth: 3, count: 1) }
            // Length prefix lying about the data.
            #expect(throws: ParquetError.self) { try RLEHybridDecoder(lengthPrefixed: exactBuffer([10, 0, 0, 0, 1]), bitWidth: 1) }
            #expect(throws: ParquetError.self) { try RLEHybridDecoder(lengthPrefixed: exactBuffer([1, 0]), bitWidth: 1) }
            #expect(throws: ParquetError.self) {
                try RLEHybridDecoder(lengthPrefixed: exactBuffer([0xFF, 0xFF, 0xFF, 0xFF, 1]), bitWidth: 1)
            }
            // Encoder: values wider than the bit width.
            #expect(throws: ParquetError.self) { try encode([4], bitWidth: 2) }
            #expect(throws: ParquetError.self) { try encode([-1], bitWidth: 31) }
            #expect(throws: ParquetError.self) { try RLEHybridEncoder(bitWidth: 33) }
            // Zero-length runs are skipped, not looped on.
            #expect(try decode([0, 1, 4, 2], bitWidth: 2, count: 2) == [2, 2])
        }

        @Test func randomGarbageNeverCrashes() {
            var rng = SeededGenerator(seed: 4242)
            for _ in 0..<2000 {
                let bytes = (0..<Int.random(in: 0...40, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
                let width = Int.random(in: 0...32, using: &rng)
                _ = try? decode(bytes, bitWidth: width, count: Int.random(in: 0...200, using: &rng))
                _ = try? RLEHybridDecoder(lengthPrefixed: exactBuffer(bytes), bitWidth: width)
            }
        }

        @Test func dictionaryIndicesForm() throws {
            let out = BufferBuilder()
            out.append(UInt8(17))
            let values = (0..<100).map { Int32($0 * 1000) }
            try values.withUnsafeBufferPointer { try RLEHybridEncoder(bitWidth: 17).encode($0, into: out) }
            let bytes = out.takeBytes()
            var decoder = try RLEHybridDecoder(dictionaryIndices: exactBuffer(bytes))
            #expect(decoder.bitWidth == 17)
            #expect(decoder.encodedByteCount == bytes.count)
            var decoded = [Int32](repeating: 0, count: 100)
            try decoded.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
            #expect(decoded == values)
        }

        @Test func bitWidthForMaxValue() {
            #expect(RLEHybridDecoder.bitWidth(forMaxValue: 0) == 0)
            #expect(RLEHybridDecoder.bitWidth(forMaxValue: 1) == 1)
            #expect(RLEHybridDecoder.bitWidth(forMaxValue: 2) == 2)
            #expect(RLEHybridDecoder.bitWidth(forMaxValue: 255) == 8)
            #expect(RLEHybridDecoder.bitWidth(forMaxValue: 256) == 9)
        }

        @Test func validityAndBooleans() throws {
            var rng = SeededGenerator(seed: 9)
            var levels: [Int32] = []
            while levels.count < 3000 {
                let v: Int32 = Bool.random(using: &rng) ? 2 : Int32.random(in: 0...1, using: &rng)
                levels.append(contentsOf: repeatElement(v, count: Int.random(in: 1...40, using: &rng)))
            }
            let bytes = try encode(levels, bitWidth: 2)
            var decoder = try RLEHybridDecoder(exactBuffer(bytes), bitWidth: 2)
            let bitmap = BitmapBuilder()
            let present = try decoder.decodeValidity(count: levels.count, maxDefinitionLevel: 2, into: bitmap)
            #expect(present == levels.filter { $0 == 2 }.count)
            let bits = bitmap.finish()
            for i in 0..<levels.count { #expect(bits.bit(at: i) == (levels[i] == 2)) }

            // The same into a BufferBuilder bitmap, in batches starting mid-byte.
            var again = try RLEHybridDecoder(exactBuffer(bytes), bitWidth: 2)
            let fast = BufferBuilder()
            var bitCount = 0
            var presentAgain = 0
            for n in randomBatches(total: levels.count, using: &rng) {
                presentAgain += try again.decodeValidity(count: n, maxDefinitionLevel: 2, into: fast, bitCount: &bitCount)
                #expect(fast.count == (bitCount + 7) / 8)
            }
            #expect(presentAgain == present)
            #expect(fast.takeBytes() == bits.bytes)

            // RLE booleans: length-prefixed, bit width 1.
            let flags = (0..<1000).map { i in i % 3 == 0 || (i > 500 && i < 700) }
            let packedFlags = BitmapBuilder()
            for f in flags { packedFlags.append(f) }
            let flagBytes = packedFlags.finish().bytes
            let out = BufferBuilder()
            try flagBytes.withUnsafeBytes {
                try RLEHybridEncoder.encodeBooleans(bitmap: $0, bitOffset: 0, count: flags.count, into: out)
            }
            let encoded = out.takeBytes() + [0xEE]
            let decodedBits = BitmapBuilder()
            let consumed = try RLEHybridDecoder.decodeBooleans(exactBuffer(encoded), count: flags.count, into: decodedBits)
            #expect(consumed == encoded.count - 1)
            let result = decodedBits.finish()
            for i in 0..<flags.count { #expect(result.bit(at: i) == flags[i]) }
            let fastBits = BufferBuilder()
            var flagCount = 0
            let consumedAgain = try RLEHybridDecoder.decodeBooleans(exactBuffer(encoded), count: flags.count,
                                                                   into: fastBits, bitCount: &flagCount)
            #expect(consumedAgain == consumed && flagCount == flags.count)
            #expect(fastBits.takeBytes() == result.bytes)
        }
    }
}
