import Testing
@testable import FloeColumnar

@Suite struct BufferTests {
    @Test func builderRoundTrip() throws {
        let b = BufferBuilder()
        for i in 0..<1000 { b.append(Int64(i)) }
        let buf = b.finish()
        #expect(buf.count == 8000)
        #expect(buf.value(at: 999, as: Int64.self) == 999)
        #expect(b.count == 0)
    }

    @Test func bitmap() {
        let bm = BitmapBuilder()
        bm.append(true); bm.append(false); bm.append(repeating: true, count: 20); bm.append(false)
        #expect(bm.count == 23)
        #expect(bm.trueCount == 21)
        let buf = bm.finish()
        #expect(buf.bit(at: 0) && !buf.bit(at: 1) && buf.bit(at: 21) && !buf.bit(at: 22))
    }
}
