import FloeColumnar
import Testing
@testable import FloeParquet

extension EncodingTests {
    @Suite struct LEB128Tests {
        @Test func roundTrip() throws {
            let values: [UInt64] = [0, 1, 127, 128, 300, 16_383, 16_384, UInt64(UInt32.max), UInt64.max - 1, UInt64.max]
            let out = BufferBuilder()
            for v in values { LEB128.appendUnsigned(v, to: out) }
            let bytes = out.takeBytes()
            try withBytes(bytes) { raw throws in
                var p = 0
                for v in values { #expect(try LEB128.readUnsigned(raw, at: &p) == v) }
                #expect(p == bytes.count)
            }
            #expect(bytes.prefix(5) == [0, 1, 127, 0x80, 0x01])
        }

        @Test func zigZag() {
            for v: Int64 in [0, -1, 1, -2, 2, Int64.max, Int64.min, 123_456_789, -987_654_321] {
                #expect(LEB128.decodeZigZag(LEB128.encodeZigZag(v)) == v)
            }
            #expect(LEB128.encodeZigZag(-1) == 1)
            #expect(LEB128.encodeZigZag(1) == 2)
            #expect(LEB128.encodeZigZag(Int64.min) == UInt64.max)
        }

        @Test func malformed() {
            // Truncated: continuation bit on the last byte.
            #expect(throws: ParquetError.self) { try withBytes([0x80, 0x80]) { raw in var p = 0; _ = try LEB128.readUnsigned(raw, at: &p) } }
            // Eleven bytes.
            #expect(throws: ParquetError.self) {
                try withBytes([UInt8](repeating: 0x80, count: 10) + [0x01]) { raw in var p = 0; _ = try LEB128.readUnsigned(raw, at: &p) }
            }
            // Ten bytes whose last carries more than the 64th bit.
            #expect(throws: ParquetError.self) {
                try withBytes([UInt8](repeating: 0xFF, count: 9) + [0x02]) { raw in var p = 0; _ = try LEB128.readUnsigned(raw, at: &p) }
            }
            #expect(throws: ParquetError.self) { try withBytes([]) { raw in var p = 0; _ = try LEB128.readUnsigned(raw, at: &p) } }
        }
    }
}
