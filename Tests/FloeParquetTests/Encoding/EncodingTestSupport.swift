import FloeColumnar
import FloeTestSupport
import Testing
@testable import FloeParquet

/// The parent suite of every encoding test, so that `swift test --filter Encoding` selects them.
@Suite enum EncodingTests {}

/// The shared SplitMix64 generator (FloeTestSupport), for every test of this module.
typealias SeededGenerator = FloeTestSupport.SeededGenerator

extension BufferBuilder {
    /// The bytes written so far, then resets the builder.
    func takeBytes() -> [UInt8] { finish().bytes }
    /// The values written so far, then resets the builder.
    func takeValues<T: BitwiseCopyable>(as type: T.Type) -> [T] { finish().values(as: T.self) }
}

/// Runs `body` with the bytes of `bytes` as a raw buffer.
func withBytes<R>(_ bytes: [UInt8], _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    try bytes.withUnsafeBytes(body)
}

/// Splits `total` into random batch sizes (some zero, some large).
func randomBatches(total: Int, using rng: inout SeededGenerator) -> [Int] {
    var result: [Int] = []
    var left = total
    while left > 0 {
        let n = Swift.min(left, Int.random(in: 0...Swift.max(1, Swift.min(left, 300)), using: &rng))
        result.append(n)
        left -= n
    }
    return result
}

/// Random byte strings, with runs of shared prefixes and some empty ones.
func randomStrings(count: Int, using rng: inout SeededGenerator) -> [[UInt8]] {
    var result: [[UInt8]] = []
    for _ in 0..<count {
        if let last = result.last, Bool.random(using: &rng) {
            let keep = Int.random(in: 0...last.count, using: &rng)
            var value = Array(last.prefix(keep))
            for _ in 0..<Int.random(in: 0...6, using: &rng) { value.append(UInt8.random(in: 97...122, using: &rng)) }
            result.append(value)
        } else {
            let length = Int.random(in: 0...40, using: &rng)
            result.append((0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) })
        }
    }
    return result
}

/// The Arrow layout (offsets from `base`, bytes) of `strings`.
func arrowLayout(_ strings: [[UInt8]], base: Int = 0) -> (offsets: [Int32], data: [UInt8]) {
    var offsets: [Int32] = [Int32(base)]
    var data = [UInt8](repeating: 0xEE, count: base)
    for s in strings {
        data.append(contentsOf: s)
        offsets.append(Int32(data.count))
    }
    return (offsets, data)
}

/// Reads strings back from Arrow layout.
func strings(offsets: [Int32], data: [UInt8]) -> [[UInt8]] {
    guard offsets.count > 1 else { return [] }
    return (0..<(offsets.count - 1)).map { Array(data[Int(offsets[$0])..<Int(offsets[$0 + 1])]) }
}

/// A buffer holding exactly `bytes` in an allocation of exactly that size, so that an address
/// sanitizer run catches any read past the end.
func exactBuffer(_ bytes: [UInt8]) -> Buffer { Buffer(values: bytes) }
