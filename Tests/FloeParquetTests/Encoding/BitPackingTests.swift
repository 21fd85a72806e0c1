import Testing
@testable import FloeParquet

extension EncodingTests {
    @Suite struct BitPackingTests {
        /// The specification's example: 0 through 7 with bit width 3 pack into 10001000 11000110 11111010.
        @Test func specificationExample() {
            let values: [UInt32] = [0, 1, 2, 3, 4, 5, 6, 7]
            var packed = [UInt8](repeating: 0, count: 3)
            packed.withUnsafeMutableBytes { dst in
                values.withUnsafeBufferPointer { BitPacking.pack32($0.baseAddress!, count: 8, bitWidth: 3, into: dst.baseAddress!) }
            }
            #expect(packed == [0b1000_1000, 0b1100_0110, 0b1111_1010])
            var unpacked = [UInt32](repeating: 99, count: 8)
            packed.withUnsafeBytes { src in
                unpacked.withUnsafeMutableBufferPointer {
                    BitPacking.unpack32(src.baseAddress!, readable: 3, into: $0.baseAddress!, count: 8, bitWidth: 3)
                }
            }
            #expect(unpacked == values)
        }

        @Test(arguments: 0...32) func roundTrip32(bitWidth: Int) {
            var rng = SeededGenerator(seed: UInt64(bitWidth))
            let mask: UInt64 = bitWidth == 0 ? 0 : (UInt64(1) << UInt64(bitWidth)) - 1
            for count in [8, 16, 64, 800, 1024] {
                let values = (0..<count).map { _ in UInt32(truncatingIfNeeded: rng.next() & mask) }
                var packed = [UInt8](repeating: 0, count: count * bitWidth / 8)
                packed.withUnsafeMutableBytes { dst in
                    values.withUnsafeBufferPointer {
                        BitPacking.pack32($0.baseAddress!, count: count, bitWidth: bitWidth,
                                          into: dst.baseAddress ?? UnsafeMutableRawPointer(bitPattern: 16)!)
                    }
                }
                // Unpack from every start value and with counts that leave partial groups at both ends.
                for first in [0, 1, 3, 7, 8, 13] where first < count {
                    for n in [count - first, (count - first) / 2, 1, 0] {
                        var out = [UInt32](repeating: 0xDEAD, count: n + 1)
                        packed.withUnsafeBytes { src in
                            out.withUnsafeMutableBufferPointer {
                                BitPacking.unpack32(src.baseAddress ?? UnsafeRawPointer(bitPattern: 16)!, readable: src.count,
                                                    firstValue: first, into: $0.baseAddress!, count: n, bitWidth: bitWidth)
                            }
                        }
                        #expect(Array(out.prefix(n)) == Array(values[first..<(first + n)]))
                        #expect(out[n] == 0xDEAD, "wrote past count")
                    }
                }
            }
        }

        @Test(arguments: 0...64) func roundTrip64(bitWidth: Int) {
            var rng = SeededGenerator(seed: 1000 + UInt64(bitWidth))
            let mask: UInt64 = bitWidth == 64 ? ~0 : (UInt64(1) << UInt64(bitWidth)) - 1
            for count in [8, 32, 256, 1000] {
                let values = (0..<count).map { _ in rng.next() & mask }
                var packed = [UInt8](repeating: 0, count: count * bitWidth / 8)
                packed.withUnsafeMutableBytes { dst in
                    values.withUnsafeBufferPointer {
                        BitPacking.pack64($0.baseAddress!, count: count, bitWidth: bitWidth,
                                          into: dst.baseAddress ?? UnsafeMutableRawPointer(bitPattern: 16)!)
                    }
                }
                for first in [0, 5, 8, 9] where first < count {
                    let n = count - first
                    var out = [UInt64](repeating: 0, count: n)
                    packed.withUnsafeBytes { src in
                        out.withUnsafeMutableBufferPointer {
                            BitPacking.unpack64(src.baseAddress ?? UnsafeRawPointer(bitPattern: 16)!, readable: src.count,
                                                firstValue: first, into: $0.baseAddress!, count: n, bitWidth: bitWidth)
                        }
                    }
                    #expect(out == Array(values[first...]))
                }
            }
        }

        /// Bits past the readable bytes read as zero rather than being read.
        @Test func truncatedSourceReadsZeros() {
            let packed: [UInt8] = [0xFF, 0xFF]  // 16 bits of width 5: three whole values, one partial
            var out = [UInt32](repeating: 7, count: 8)
            packed.withUnsafeBytes { src in
                out.withUnsafeMutableBufferPointer {
                    BitPacking.unpack32(src.baseAddress!, readable: 2, into: $0.baseAddress!, count: 8, bitWidth: 5)
                }
            }
            #expect(out == [31, 31, 31, 1, 0, 0, 0, 0])
        }
    }
}
