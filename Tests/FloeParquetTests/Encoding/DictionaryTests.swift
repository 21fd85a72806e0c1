import FloeColumnar
import Testing
@testable import FloeParquet

extension EncodingTests {
    @Suite struct DictionaryTests {
        /// Builds a dictionary, writes its page and the RLE indices, then reads both back.
        @Test func fixedWidthRoundTrip() throws {
            var rng = SeededGenerator(seed: 11)
            let distinct = (0..<3000).map { _ in Int64.random(in: .min ... .max, using: &rng) } + [.min, .max, 0]
            var values: [Int64] = []
            while values.count < 50_000 {
                let v = distinct.randomElement(using: &rng) ?? 0
                values.append(contentsOf: repeatElement(v, count: Bool.random(using: &rng) ? 1 : Int.random(in: 1...20, using: &rng)))
            }
            let builder = FixedWidthDictionaryBuilder<UInt64>()
            var indices = [Int32](repeating: -1, count: values.count)
            values.withUnsafeBytes { raw in
                indices.withUnsafeMutableBufferPointer { builder.insert(bytes: raw, indices: $0.baseAddress!) }
            }
            #expect(builder.count == Set(values).count)
            #expect(builder.dictionaryByteSize == 8 * builder.count)
            #expect(indices.allSatisfy { $0 >= 0 && Int($0) < builder.count })

            let page = BufferBuilder()
            builder.encodeDictionaryPage(into: page)
            let pageBytes = page.takeBytes()
            let dictionary = BufferBuilder()
            _ = try withBytes(pageBytes) { try PlainDecoder.decode($0, count: builder.count, as: Int64.self, into: dictionary) }
            let dictionaryBuffer = dictionary.finish()

            let data = BufferBuilder()
            data.append(UInt8(builder.indexBitWidth))
            try indices.withUnsafeBufferPointer { try RLEHybridEncoder(bitWidth: builder.indexBitWidth).encode($0, into: data) }
            var decoder = try RLEHybridDecoder(dictionaryIndices: data.finish())

            let out = BufferBuilder()
            var rest = values.count
            for n in [1, 7, 100, 10_000] {
                try dictionaryBuffer.withUnsafeBytes {
                    try DictionaryDecoder.decode(count: n, indices: &decoder, dictionary: $0, byteWidth: 8, into: out)
                }
                rest -= n
            }
            try dictionaryBuffer.withUnsafeBytes {
                try DictionaryDecoder.decode(count: rest, indices: &decoder, dictionary: $0, byteWidth: 8, into: out)
            }
            #expect(out.takeValues(as: Int64.self) == values)
        }

        @Test func floatsCompareByBitPattern() {
            let values: [Float] = [0.0, -0.0, .nan, Float(bitPattern: 0x7FC0_0001), 1, 0.0, .nan]
            let builder = FixedWidthDictionaryBuilder<UInt32>()
            var indices = [Int32](repeating: 0, count: values.count)
            values.withUnsafeBytes { raw in
                indices.withUnsafeMutableBufferPointer { builder.insert(bytes: raw, indices: $0.baseAddress!) }
            }
            #expect(indices == [0, 1, 2, 3, 4, 0, 2])
            #expect(builder.values.map { Float(bitPattern: $0).bitPattern } == values.prefix(5).map(\.bitPattern))
            #expect(builder.indexBitWidth == 3)
        }

        @Test func byteArrayRoundTrip() throws {
            var rng = SeededGenerator(seed: 12)
            let distinct = randomStrings(count: 5000, using: &rng) + [[]]
            let values = (0..<40_000).map { _ in distinct.randomElement(using: &rng) ?? [] }
            let (offsets, data) = arrowLayout(values, base: 2)
            let builder = ByteArrayDictionaryBuilder()
            var indices = [Int32](repeating: -1, count: values.count)
            try offsets.withUnsafeBufferPointer { o in
                try data.withUnsafeBytes { d in
                    try indices.withUnsafeMutableBufferPointer { try builder.insert(offsets: o, data: d, indices: $0.baseAddress!) }
                }
            }
            let uniques = Set(values)
            #expect(builder.count == uniques.count)
            #expect(builder.dictionaryByteSize == uniques.reduce(0) { $0 + 4 + $1.count })

            let page = BufferBuilder()
            builder.encodeDictionaryPage(into: page)
            let pageBytes = page.takeBytes()
            #expect(pageBytes.count == builder.dictionaryByteSize)
            let dictOffsets = BufferBuilder()
            let dictData = BufferBuilder()
            dictOffsets.append(Int32(0))
            _ = try withBytes(pageBytes) {
                try PlainDecoder.decodeByteArrays($0, count: builder.count, offsets: dictOffsets, data: dictData)
            }
            let dOffsets = dictOffsets.takeValues(as: Int32.self)
            let dData = dictData.takeBytes()

            let outOffsets = BufferBuilder()
            let outData = BufferBuilder()
            outOffsets.append(Int32(0))
            // Gather directly, then through the fused RLE path.
            try indices.withUnsafeBufferPointer { idx in
                try dOffsets.withUnsafeBufferPointer { o in
                    try dData.withUnsafeBytes {
                        try DictionaryDecoder.gather(indices: UnsafeBufferPointer(rebasing: idx[0..<1000]), dictionaryOffsets: o,
                                                     dictionaryData: $0, offsets: outOffsets, data: outData)
                    }
                }
            }
            let rle = BufferBuilder()
            rle.append(UInt8(builder.indexBitWidth))
            try indices[1000...].withUnsafeBufferPointer { try RLEHybridEncoder(bitWidth: builder.indexBitWidth).encode($0, into: rle) }
            var decoder = try RLEHybridDecoder(dictionaryIndices: rle.finish())
            try dOffsets.withUnsafeBufferPointer { o in
                try dData.withUnsafeBytes {
                    try DictionaryDecoder.decode(count: values.count - 1000, indices: &decoder, dictionaryOffsets: o,
                                                 dictionaryData: $0, offsets: outOffsets, data: outData)
                }
            }
            #expect(strings(offsets: outOffsets.takeValues(as: Int32.self), data: outData.takeBytes()) == values)
        }

        @Test func fixedLengthByteArrays() throws {
            var rng = SeededGenerator(seed: 13)
            let distinct = (0..<50).map { _ in (0..<12).map { _ in UInt8.random(in: 0...3, using: &rng) } }
            let values = (0..<1000).flatMap { _ in distinct.randomElement(using: &rng) ?? [] }
            let builder = ByteArrayDictionaryBuilder(fixedLength: 12)
            var indices = [Int32](repeating: 0, count: 1000)
            try values.withUnsafeBytes { raw in
                try indices.withUnsafeMutableBufferPointer { try builder.insert(fixedLengthValues: raw, indices: $0.baseAddress!) }
            }
            #expect(builder.count == Set(distinct).count)
            let page = BufferBuilder()
            builder.encodeDictionaryPage(into: page)
            let dictionary = page.takeBytes()
            #expect(dictionary.count == 12 * builder.count)
            let out = BufferBuilder()
            try indices.withUnsafeBufferPointer { idx in
                try dictionary.withUnsafeBytes { try DictionaryDecoder.gather(indices: idx, dictionary: $0, byteWidth: 12, into: out) }
            }
            #expect(out.takeBytes() == values)
        }

        @Test func indexOutOfRange() throws {
            let dictionary: [Int32] = [10, 20, 30]
            let out = BufferBuilder()
            for bad: Int32 in [3, -1, .max, .min] {
                #expect(throws: ParquetError.self) {
                    try [0, 1, bad].withUnsafeBufferPointer { idx in
                        try dictionary.withUnsafeBytes { try DictionaryDecoder.gather(indices: idx, dictionary: $0, byteWidth: 4, into: out) }
                    }
                }
                #expect(throws: ParquetError.self) {
                    try [0, bad].withUnsafeBufferPointer { idx in
                        try [Int32(0), 1, 3].withUnsafeBufferPointer { o in
                            try [UInt8](repeating: 65, count: 3).withUnsafeBytes {
                                try DictionaryDecoder.gather(indices: idx, dictionaryOffsets: o, dictionaryData: $0,
                                                             offsets: out, data: BufferBuilder())
                            }
                        }
                    }
                }
            }
            #expect(out.count == 0)
            try [Int32(0), 2, 1].withUnsafeBufferPointer { try DictionaryDecoder.checkIndices($0, dictionarySize: 3) }
            try [Int32]().withUnsafeBufferPointer { try DictionaryDecoder.checkIndices($0, dictionarySize: 0) }
            for bad: [Int32] in [[0, 3], [-1], [Int32.min, 0]] {
                #expect(throws: ParquetError.self) { try bad.withUnsafeBufferPointer { try DictionaryDecoder.checkIndices($0, dictionarySize: 3) } }
            }
            // A repeated run of an out-of-range index, through the fused path.
            var decoder = try RLEHybridDecoder(dictionaryIndices: exactBuffer([2, 20, 3]))
            #expect(throws: ParquetError.self) {
                try dictionary.withUnsafeBytes {
                    try DictionaryDecoder.decode(count: 10, indices: &decoder, dictionary: $0, byteWidth: 4, into: out)
                }
            }
            // Any index into an empty dictionary.
            #expect(throws: ParquetError.self) {
                try [Int32(0)].withUnsafeBufferPointer { idx in
                    try withBytes([]) { try DictionaryDecoder.gather(indices: idx, dictionary: $0, byteWidth: 4, into: out) }
                }
            }
        }

        @Test func otherWidths() throws {
            for width in [1, 2, 3, 4, 8, 16, 20] {
                let dictionary = (0..<(5 * width)).map { UInt8($0) }
                let indices: [Int32] = [4, 0, 2, 2, 1, 3]
                let out = BufferBuilder()
                try indices.withUnsafeBufferPointer { idx in
                    try dictionary.withUnsafeBytes { try DictionaryDecoder.gather(indices: idx, dictionary: $0, byteWidth: width, into: out) }
                }
                #expect(out.takeBytes() == indices.flatMap { dictionary[(Int($0) * width)..<(Int($0) * width + width)] })
            }
        }
    }
}
