import FloeColumnar
import Testing
@testable import FloeParquet

extension EncodingTests {
    @Suite struct BitWriterTests {
        func bits(_ bytes: [UInt8], count: Int) -> [Bool] {
            (0..<count).map { bytes[$0 >> 3] & (1 << UInt8($0 & 7)) != 0 }
        }

        /// Random mixes of runs and words, appended in several calls to one bitmap.
        @Test func matchesReference() throws {
            var rng = SeededGenerator(seed: 61)
            for _ in 0..<200 {
                let bitmap = BufferBuilder()
                var bitCount = 0
                var expected: [Bool] = []
                for _ in 0..<Int.random(in: 1...6, using: &rng) {
                    var pieces: [(Bool, UInt64, Int)] = []  // (isRun, word or bit, count)
                    for _ in 0..<Int.random(in: 0...12, using: &rng) {
                        if Bool.random(using: &rng) {
                            pieces.append((true, UInt64.random(in: 0...1, using: &rng), Int.random(in: 1...200, using: &rng)))
                        } else {
                            let n = Int.random(in: 1...64, using: &rng)
                            let word = n == 64 ? rng.next() : rng.next() & ((UInt64(1) << UInt64(n)) - 1)
                            pieces.append((false, word, n))
                        }
                    }
                    let total = pieces.reduce(0) { $0 + $1.2 }
                    try BitWriter.append(count: total, to: bitmap, bitCount: &bitCount) { writer in
                        for (isRun, value, n) in pieces {
                            if isRun { writer.append(repeating: value == 1, count: n) } else { writer.append(value, count: n) }
                        }
                    }
                    for (isRun, value, n) in pieces {
                        for k in 0..<n { expected.append(isRun ? value == 1 : (value >> UInt64(k)) & 1 == 1) }
                    }
                    #expect(bitmap.count == (bitCount + 7) / 8)
                }
                #expect(bitCount == expected.count)
                let bytes = bitmap.takeBytes()
                #expect(bits(bytes, count: expected.count) == expected)
                if expected.count % 8 != 0, let last = bytes.last {
                    #expect(last >> UInt8(expected.count % 8) == 0, "bits past the end must be zero")
                }
            }
        }

        @Test func packedBitsCopy() {
            var rng = SeededGenerator(seed: 62)
            let source = (0..<64).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let all = bits(source, count: 512)
            for _ in 0..<300 {
                let bitmap = BufferBuilder()
                var bitCount = 0
                var expected: [Bool] = []
                for _ in 0..<4 {
                    let offset = Int.random(in: 0...500, using: &rng)
                    let n = Int.random(in: 0...(512 - offset), using: &rng)
                    source.withUnsafeBytes { PackedBits.append($0.baseAddress!, bitOffset: offset, count: n, to: bitmap, bitCount: &bitCount) }
                    expected += all[offset..<(offset + n)]
                }
                let bytes = bitmap.takeBytes()
                #expect(bytes.count == (expected.count + 7) / 8)
                #expect(bits(bytes, count: expected.count) == expected)
                if expected.count % 8 != 0, let last = bytes.last { #expect(last >> UInt8(expected.count % 8) == 0) }
            }
        }

        @Test func failedAppendLeavesBitmapAlone() {
            let bitmap = BufferBuilder()
            var bitCount = 0
            try? BitWriter.append(count: 3, to: bitmap, bitCount: &bitCount) { $0.append(repeating: true, count: 3) }
            struct Oops: Error {}
            #expect(throws: Oops.self) {
                try BitWriter.append(count: 10, to: bitmap, bitCount: &bitCount) { _ in throw Oops() }
            }
            #expect(bitCount == 3)
            #expect(bitmap.takeBytes() == [0b111])
        }
    }
}
