import FloeColumnar
import Testing
@testable import FloeParquet

extension EncodingTests {
    @Suite struct PlainTests {
        func roundTrip<T: BitwiseCopyable & Equatable>(_ values: [T]) throws {
            let out = BufferBuilder()
            values.withUnsafeBufferPointer { PlainEncoder.encode($0, into: out) }
            let bytes = out.takeBytes() + [1, 2, 3]  // trailing bytes of something else
            #expect(bytes.count == values.count * MemoryLayout<T>.size + 3)
            let decoded = BufferBuilder()
            let consumed = try withBytes(bytes) { try PlainDecoder.decode($0, count: values.count, as: T.self, into: decoded) }
            #expect(consumed == values.count * MemoryLayout<T>.size)
            #expect(decoded.takeValues(as: T.self) == values)
        }

        @Test func fixedWidth() throws {
            var rng = SeededGenerator(seed: 1)
            try roundTrip((0..<1000).map { _ in Int32.random(in: .min ... .max, using: &rng) } + [.min, .max, 0])
            try roundTrip((0..<1000).map { _ in Int64.random(in: .min ... .max, using: &rng) } + [.min, .max, 0])
            try roundTrip((0..<1000).map { _ in Float(bitPattern: UInt32.random(in: 0 ... 0x7F7F_FFFF, using: &rng)) })
            try roundTrip((0..<1000).map { _ in Double.random(in: -1e300...1e300, using: &rng) } + [-0.0, .infinity])
            try roundTrip([Int64]())
            // Little-endian on the wire.
            let out = BufferBuilder()
            [Int32(0x0102_0304)].withUnsafeBufferPointer { PlainEncoder.encode($0, into: out) }
            #expect(out.takeBytes() == [4, 3, 2, 1])
        }

        @Test func fixedLengthByteArray() throws {
            let bytes: [UInt8] = Array(0..<48)
            let out = BufferBuilder()
            let consumed = try withBytes(bytes) { try PlainDecoder.decodeFixedWidth($0, count: 3, byteWidth: 16, into: out) }
            #expect(consumed == 48)
            #expect(out.takeBytes() == bytes)
            #expect(throws: ParquetError.self) {
                try withBytes(bytes) { try PlainDecoder.decodeFixedWidth($0, count: 4, byteWidth: 16, into: out) }
            }
        }

        @Test func truncatedAndNegative() {
            let out = BufferBuilder()
            #expect(throws: ParquetError.self) {
                try withBytes([1, 2, 3, 4, 5, 6, 7]) { try PlainDecoder.decode($0, count: 1, as: Int64.self, into: out) }
            }
            #expect(throws: ParquetError.self) {
                try withBytes([1, 2, 3, 4]) { try PlainDecoder.decode($0, count: -1, as: Int32.self, into: out) }
            }
            #expect(throws: ParquetError.self) {
                try withBytes([1, 2, 3, 4]) { try PlainDecoder.decode($0, count: Int.max / 2, as: Int32.self, into: out) }
            }
            #expect(out.count == 0)
        }

        @Test func booleans() throws {
            var rng = SeededGenerator(seed: 2)
            let flags = (0..<1000).map { i in i < 100 ? true : (i < 200 ? false : Bool.random(using: &rng)) }
            let bitmap = BitmapBuilder()
            for f in flags { bitmap.append(f) }
            let bits = bitmap.finish().bytes
            let out = BufferBuilder()
            try withBytes(bits) { try PlainEncoder.encodeBooleans(bitmap: $0, bitOffset: 0, count: flags.count, into: out) }
            let encoded = out.takeBytes()
            #expect(encoded.count == 125)
            // Decode in batches that start mid-byte.
            let decoded = BitmapBuilder()
            var bit = 0
            for n in [3, 5, 8, 100, 1, 883] {
                let used = try withBytes(encoded) { try PlainDecoder.decodeBooleans($0, bitOffset: bit, count: n, into: decoded) }
                bit += n
                #expect(used == (bit + 7) / 8)
            }
            let result = decoded.finish()
            for i in 0..<flags.count { #expect(result.bit(at: i) == flags[i]) }
            // The same into a BufferBuilder bitmap.
            let fast = BufferBuilder()
            var bitCount = 0
            bit = 0
            for n in [3, 5, 8, 100, 1, 883] {
                _ = try withBytes(encoded) { try PlainDecoder.decodeBooleans($0, bitOffset: bit, count: n, into: fast, bitCount: &bitCount) }
                bit += n
            }
            #expect(fast.takeBytes() == result.bytes)
            #expect(throws: ParquetError.self) {
                try withBytes(encoded) { try PlainDecoder.decodeBooleans($0, bitOffset: 999, count: 2, into: fast, bitCount: &bitCount) }
            }
            #expect(throws: ParquetError.self) {
                try withBytes(encoded) { try PlainDecoder.decodeBooleans($0, bitOffset: 999, count: 2, into: decoded) }
            }
            // Encoding from a bit offset, with zero padding.
            try withBytes([0b1011_0110, 0xFF]) { try PlainEncoder.encodeBooleans(bitmap: $0, bitOffset: 3, count: 7, into: out) }
            #expect(out.takeBytes() == [0b0111_0110])
        }

        @Test func int96() throws {
            let nanos: [Int64] = [0, 1, PlainDecoder.nanosecondsPerDay, -1, -PlainDecoder.nanosecondsPerDay - 5,
                                  1_700_000_000_123_456_789, -2_208_988_800_000_000_000]
            let out = BufferBuilder()
            nanos.withUnsafeBufferPointer { PlainEncoder.encodeInt96Timestamps($0, into: out) }
            let bytes = out.takeBytes()
            #expect(bytes.count == 12 * nanos.count)
            // 1970-01-01T00:00:00: zero nanoseconds of Julian day 2440588 (0x253D8C).
            #expect(Array(bytes[0..<12]) == [0, 0, 0, 0, 0, 0, 0, 0, 0x8C, 0x3D, 0x25, 0])
            // -1 ns: the last nanosecond of the day before.
            #expect(Array(bytes[44..<48]) == [0x8B, 0x3D, 0x25, 0])
            let decoded = BufferBuilder()
            let consumed = try withBytes(bytes) { try PlainDecoder.decodeInt96Timestamps($0, count: nanos.count, into: decoded) }
            #expect(consumed == bytes.count)
            #expect(decoded.takeValues(as: Int64.self) == nanos)
            #expect(throws: ParquetError.self) {
                try withBytes(Array(bytes.dropLast())) { try PlainDecoder.decodeInt96Timestamps($0, count: nanos.count, into: decoded) }
            }
        }

        @Test func byteArrays() throws {
            var rng = SeededGenerator(seed: 3)
            let values = randomStrings(count: 2000, using: &rng) + [[], [UInt8](repeating: 7, count: 1000)]
            let (offsets, data) = arrowLayout(values, base: 5)
            let out = BufferBuilder()
            try offsets.withUnsafeBufferPointer { o in
                try data.withUnsafeBytes { try PlainEncoder.encodeByteArrays(offsets: o, data: $0, into: out) }
            }
            let encoded = out.takeBytes()
            #expect(encoded.count == 4 * values.count + values.reduce(0) { $0 + $1.count })
            // Decode in batches into builders that already hold data.
            let decodedOffsets = BufferBuilder()
            let decodedData = BufferBuilder()
            decodedData.append(contentsOf: [UInt8](repeating: 0xAA, count: 3))
            decodedOffsets.append(Int32(3))
            var position = 0
            for n in randomBatches(total: values.count, using: &rng) {
                position += try withBytes(Array(encoded[position...])) {
                    try PlainDecoder.decodeByteArrays($0, count: n, offsets: decodedOffsets, data: decodedData)
                }
            }
            #expect(position == encoded.count)
            let resultOffsets = decodedOffsets.takeValues(as: Int32.self)
            #expect(resultOffsets.count == values.count + 1)
            #expect(strings(offsets: resultOffsets, data: decodedData.takeBytes()) == values)
        }

        @Test func byteArrayLyingLengths() {
            let offsets = BufferBuilder()
            let data = BufferBuilder()
            offsets.append(Int32(0))
            let cases: [[UInt8]] = [
                [5, 0, 0, 0, 1, 2, 3, 4],              // length past the end
                [0xFF, 0xFF, 0xFF, 0xFF, 1, 2, 3, 4],  // negative length
                [0, 0, 0, 0x80, 1, 2, 3, 4],           // Int32.min
                [1, 0, 0, 0, 9, 2, 0],                 // second length truncated
                [1, 0],                                // length truncated
            ]
            for bytes in cases {
                #expect(throws: ParquetError.self) {
                    try withBytes(bytes) { try PlainDecoder.decodeByteArrays($0, count: 2, offsets: offsets, data: data) }
                }
            }
            #expect(throws: ParquetError.self) {
                try withBytes([0, 0, 0, 0]) { try PlainDecoder.decodeByteArrays($0, count: -1, offsets: offsets, data: data) }
            }
            // Nothing was appended by the failed calls.
            #expect(offsets.count == 4 && data.count == 0)
            // Bad offsets on the encoding side are a Floe bug, reported, not a crash.
            let out = BufferBuilder()
            #expect(throws: ParquetError.self) {
                try [Int32(0), 5, 3].withUnsafeBufferPointer { o in
                    try [UInt8](repeating: 0, count: 5).withUnsafeBytes { try PlainEncoder.encodeByteArrays(offsets: o, data: $0, into: out) }
                }
            }
            #expect(throws: ParquetError.self) {
                try [Int32(0), 9].withUnsafeBufferPointer { o in
                    try [UInt8](repeating: 0, count: 5).withUnsafeBytes { try PlainEncoder.encodeByteArrays(offsets: o, data: $0, into: out) }
                }
            }
        }
    }
}
