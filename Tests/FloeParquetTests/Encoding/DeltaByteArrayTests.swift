import FloeColumnar
import Testing
@testable import FloeParquet

extension EncodingTests {
    @Suite struct DeltaByteArrayTests {
        func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

        func encodeLengths(_ values: [Int32]) -> [UInt8] {
            let out = BufferBuilder()
            values.withUnsafeBufferPointer { DeltaBinaryPackedEncoder.encode($0, into: out) }
            return out.takeBytes()
        }

        func encodeDLBA(_ values: [[UInt8]]) throws -> [UInt8] {
            let (offsets, data) = arrowLayout(values, base: 1)
            let out = BufferBuilder()
            try offsets.withUnsafeBufferPointer { o in
                try data.withUnsafeBytes { try DeltaLengthByteArrayEncoder.encode(offsets: o, data: $0, into: out) }
            }
            return out.takeBytes()
        }

        func encodeDBA(_ values: [[UInt8]]) throws -> [UInt8] {
            let (offsets, data) = arrowLayout(values, base: 3)
            let out = BufferBuilder()
            try offsets.withUnsafeBufferPointer { o in
                try data.withUnsafeBytes { try DeltaByteArrayEncoder.encode(offsets: o, data: $0, into: out) }
            }
            return out.takeBytes()
        }

        /// Decodes with `decode(count:offsets:data:)` in random batches, finishing the output
        /// builders between batches (the decoder must not depend on them).
        func decodeAll<D>(_ decoder: inout D, count: Int, using rng: inout SeededGenerator,
                          _ step: (inout D, Int, BufferBuilder, BufferBuilder) throws -> Void) throws -> [[UInt8]] {
            var result: [[UInt8]] = []
            for n in randomBatches(total: count, using: &rng) {
                let offsets = BufferBuilder()
                let data = BufferBuilder()
                data.append(UInt8(0xCC))
                offsets.append(Int32(1))
                try step(&decoder, n, offsets, data)
                result += strings(offsets: offsets.takeValues(as: Int32.self), data: data.takeBytes())
            }
            return result
        }

        /// The specification's DELTA_LENGTH_BYTE_ARRAY example.
        @Test func deltaLengthSpecificationExample() throws {
            let values = ["Hello", "World", "Foobar", "ABCDEF"].map(bytes)
            let encoded = try encodeDLBA(values)
            #expect(encoded == encodeLengths([5, 5, 6, 6]) + bytes("HelloWorldFoobarABCDEF"))
            var decoder = try DeltaLengthByteArrayDecoder(exactBuffer(encoded + [0xEE]))
            var rng = SeededGenerator(seed: 1)
            #expect(try decodeAll(&decoder, count: 4, using: &rng) { try $0.decode(count: $1, offsets: $2, data: $3) } == values)
            #expect(decoder.consumedByteCount == encoded.count)
        }

        /// The specification's DELTA_BYTE_ARRAY example.
        @Test func deltaStringsSpecificationExample() throws {
            let values = ["axis", "axle", "babble", "babyhood"].map(bytes)
            let encoded = try encodeDBA(values)
            #expect(encoded == encodeLengths([0, 2, 0, 3]) + encodeLengths([4, 2, 6, 5]) + bytes("axislebabbleyhood"))
            var decoder = try DeltaByteArrayDecoder(exactBuffer(encoded))
            var rng = SeededGenerator(seed: 2)
            #expect(try decodeAll(&decoder, count: 4, using: &rng) { try $0.decode(count: $1, offsets: $2, data: $3) } == values)
        }

        @Test func roundTrips() throws {
            var rng = SeededGenerator(seed: 41)
            for count in [0, 1, 2, 100, 5000, 9000] {
                var values = randomStrings(count: count, using: &rng)
                if count == 100 { values = [[UInt8]](repeating: [], count: 100) }
                var dlba = try DeltaLengthByteArrayDecoder(exactBuffer(try encodeDLBA(values)))
                #expect(dlba.valueCount == count)
                #expect(try decodeAll(&dlba, count: count, using: &rng) { try $0.decode(count: $1, offsets: $2, data: $3) } == values)
                var dba = try DeltaByteArrayDecoder(exactBuffer(try encodeDBA(values)))
                #expect(dba.valueCount == count)
                #expect(try decodeAll(&dba, count: count, using: &rng) { try $0.decode(count: $1, offsets: $2, data: $3) } == values)
                #expect(dba.remaining == 0)
            }
        }

        @Test func fixedLength() throws {
            var rng = SeededGenerator(seed: 42)
            let width = 6
            var flat: [UInt8] = []
            for i in 0..<3000 {
                flat += [0, 0, UInt8(i >> 8), UInt8(i & 0xFF), UInt8.random(in: 0...1, using: &rng), 9]
            }
            let out = BufferBuilder()
            try flat.withUnsafeBytes { try DeltaByteArrayEncoder.encodeFixedLength($0, byteWidth: width, into: out) }
            let encoded = out.takeBytes()
            #expect(encoded.count < flat.count)
            var decoder = try DeltaByteArrayDecoder(exactBuffer(encoded))
            let decoded = BufferBuilder()
            for n in randomBatches(total: 3000, using: &rng) { try decoder.decodeFixedLength(count: n, byteWidth: width, into: decoded) }
            #expect(decoded.takeBytes() == flat)
            var wrong = try DeltaByteArrayDecoder(exactBuffer(encoded))
            #expect(throws: ParquetError.self) { try wrong.decodeFixedLength(count: 1, byteWidth: 5, into: decoded) }
        }

        @Test func malformedInput() throws {
            let offsets = BufferBuilder()
            let data = BufferBuilder()
            offsets.append(Int32(0))
            // DLBA: lengths longer than the data, negative lengths, more values than declared.
            let long = encodeLengths([3, 10]) + bytes("abcdefgh")
            var d1 = try DeltaLengthByteArrayDecoder(exactBuffer(long))
            try d1.decode(count: 0, offsets: offsets, data: data)
            #expect(throws: ParquetError.self) { try d1.decode(count: 2, offsets: offsets, data: data) }
            var d2 = try DeltaLengthByteArrayDecoder(exactBuffer(encodeLengths([2, -1, 2]) + bytes("abcdef")))
            #expect(throws: ParquetError.self) { try d2.decode(count: 3, offsets: offsets, data: data) }
            var d3 = try DeltaLengthByteArrayDecoder(exactBuffer(encodeLengths([1]) + bytes("a")))
            #expect(throws: ParquetError.self) { try d3.decode(count: 2, offsets: offsets, data: data) }
            // DELTA_BYTE_ARRAY: a prefix longer than the previous value (the first value has none).
            let badPrefix = encodeLengths([0, 5]) + encodeLengths([2, 1]) + bytes("abc")
            var d4 = try DeltaByteArrayDecoder(exactBuffer(badPrefix))
            #expect(throws: ParquetError.self) { try d4.decode(count: 2, offsets: offsets, data: data) }
            let firstPrefix = encodeLengths([1]) + encodeLengths([1]) + bytes("a")
            var d5 = try DeltaByteArrayDecoder(exactBuffer(firstPrefix))
            #expect(throws: ParquetError.self) { try d5.decode(count: 1, offsets: offsets, data: data) }
            let negativePrefix = encodeLengths([0, -1]) + encodeLengths([1, 1]) + bytes("ab")
            var d6 = try DeltaByteArrayDecoder(exactBuffer(negativePrefix))
            #expect(throws: ParquetError.self) { try d6.decode(count: 2, offsets: offsets, data: data) }
            // Prefix and suffix counts that differ.
            #expect(throws: ParquetError.self) {
                try DeltaByteArrayDecoder(exactBuffer(encodeLengths([0, 1]) + encodeLengths([1]) + bytes("a")))
            }
            #expect(offsets.count == 4)
        }

        @Test func randomGarbageNeverCrashes() {
            var rng = SeededGenerator(seed: 43)
            for _ in 0..<2000 {
                let bytes = (0..<Int.random(in: 0...80, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
                let offsets = BufferBuilder()
                let data = BufferBuilder()
                offsets.append(Int32(0))
                let n = Int.random(in: 0...20, using: &rng)
                if var d = try? DeltaLengthByteArrayDecoder(exactBuffer(bytes)) { try? d.decode(count: n, offsets: offsets, data: data) }
                if var d = try? DeltaByteArrayDecoder(exactBuffer(bytes)) { try? d.decode(count: n, offsets: offsets, data: data) }
            }
        }
    }
}
