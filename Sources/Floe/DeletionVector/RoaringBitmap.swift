/// A serialized deletion vector that is malformed; the loader adds the file and descriptor.
struct RoaringFormatError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

/// Little-endian reads from a byte array, each checked against the end.
struct ByteCursor {
    let bytes: [UInt8]
    var position: Int
    let end: Int

    init(_ bytes: [UInt8], from start: Int = 0, to end: Int? = nil) {
        self.bytes = bytes
        self.position = start
        self.end = end ?? bytes.count
    }

    var remaining: Int { end - position }

    mutating func need(_ n: Int, _ what: @autoclosure () -> String) throws {
        guard n >= 0, n <= remaining else {
            throw RoaringFormatError("truncated: \(what()) needs \(n) bytes at offset \(position), \(remaining) left")
        }
    }

    func bigEndianU32(at offset: Int) -> UInt32 {
        UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
    }

    mutating func u16(_ what: @autoclosure () -> String) throws -> UInt16 {
        try need(2, what())
        defer { position += 2 }
        return UInt16(bytes[position]) | UInt16(bytes[position + 1]) << 8
    }

    mutating func u32(_ what: @autoclosure () -> String) throws -> UInt32 {
        try need(4, what())
        defer { position += 4 }
        var v: UInt32 = 0
        for k in 0..<4 { v |= UInt32(bytes[position + k]) << (8 * k) }
        return v
    }

    mutating func u64(_ what: @autoclosure () -> String) throws -> UInt64 {
        try need(8, what())
        defer { position += 8 }
        var v: UInt64 = 0
        for k in 0..<8 { v |= UInt64(bytes[position + k]) << (8 * k) }
        return v
    }
}

/// A 32-bit Roaring bitmap in its containers, as deserialized from the portable format of the
/// RoaringFormatSpec: one container per 16-bit high half (`keys`, ascending), each an array of
/// sorted low halves, a 65 536-bit bitmap, or runs.
struct RoaringBitmap32: Sendable {
    enum Container: Sendable {
        /// Sorted, distinct low 16 bits (at most 4096).
        case array([UInt16])
        /// 1024 words, bit `v` of the block set when `v` is present.
        case bitmap([UInt64])
        /// Runs as (start, length - 1) pairs, ascending and disjoint.
        case run([UInt16])
    }

    let keys: [UInt16]
    let containers: [Container]
    let cardinality: Int64

    static let serialCookieNoRun: UInt32 = 12346
    static let serialCookie: UInt32 = 12347
    static let noOffsetThreshold = 4

    /// Reads one bitmap at the cursor, leaving the cursor just after it.
    static func deserialize(_ cursor: inout ByteCursor) throws -> RoaringBitmap32 {
        let cookie = try cursor.u32("the cookie")
        let size: Int
        var runFlags: [UInt8] = []
        let hasRunContainers: Bool
        if cookie & 0xFFFF == serialCookie {
            size = Int(cookie >> 16) + 1
            hasRunContainers = true
            let flagBytes = (size + 7) / 8
            try cursor.need(flagBytes, "the run container flags")
            runFlags = Array(cursor.bytes[cursor.position..<(cursor.position + flagBytes)])
            cursor.position += flagBytes
        } else if cookie == serialCookieNoRun {
            size = Int(try cursor.u32("the container count"))
            hasRunContainers = false
        } else {
            throw RoaringFormatError("unknown Roaring cookie \(cookie) (expected \(serialCookieNoRun) or \(serialCookie))")
        }
        guard size <= 65536 else { throw RoaringFormatError("\(size) containers (at most 65536)") }
        try cursor.need(size * 4, "the container headers")
        var keys: [UInt16] = []
        var cardinalities: [Int] = []
        keys.reserveCapacity(size)
        cardinalities.reserveCapacity(size)
        for i in 0..<size {
            let key = try cursor.u16("a container key")
            if let last = keys.last, key <= last {
                throw RoaringFormatError("container keys are not ascending (\(key) after \(last) at container \(i))")
            }
            keys.append(key)
            cardinalities.append(Int(try cursor.u16("a container cardinality")) + 1)
        }
        if !hasRunContainers || size >= noOffsetThreshold {
            // Byte offsets of the containers: redundant with sequential reading.
            try cursor.need(size * 4, "the container offsets")
            cursor.position += size * 4
        }
        var containers: [Container] = []
        containers.reserveCapacity(size)
        var total: Int64 = 0
        for i in 0..<size {
            let isRun = hasRunContainers && runFlags[i / 8] & (1 << UInt8(i % 8)) != 0
            let declared = cardinalities[i]
            if isRun {
                let runCount = Int(try cursor.u16("a run count"))
                try cursor.need(runCount * 4, "\(runCount) runs")
                var runs: [UInt16] = []
                runs.reserveCapacity(runCount * 2)
                var count = 0
                var nextFree = 0
                for _ in 0..<runCount {
                    let start = Int(try cursor.u16("a run start"))
                    let lengthMinusOne = Int(try cursor.u16("a run length"))
                    guard start >= nextFree, start + lengthMinusOne <= 0xFFFF else {
                        throw RoaringFormatError("run \(start)+\(lengthMinusOne) of container \(keys[i]) overlaps, is out of order or exceeds the block")
                    }
                    runs.append(UInt16(start))
                    runs.append(UInt16(lengthMinusOne))
                    count += lengthMinusOne + 1
                    nextFree = start + lengthMinusOne + 1
                }
                guard count == declared else {
                    throw RoaringFormatError("run container \(keys[i]) holds \(count) values but its header says \(declared)")
                }
                containers.append(.run(runs))
            } else if declared <= 4096 {
                try cursor.need(declared * 2, "an array container of \(declared) values")
                var values: [UInt16] = []
                values.reserveCapacity(declared)
                for k in 0..<declared {
                    let v = try cursor.u16("an array value")
                    if k > 0, v <= values[k - 1] {
                        throw RoaringFormatError("array container \(keys[i]) is not strictly ascending")
                    }
                    values.append(v)
                }
                containers.append(.array(values))
            } else {
                try cursor.need(8192, "a bitmap container")
                var words: [UInt64] = []
                words.reserveCapacity(1024)
                var count = 0
                for _ in 0..<1024 {
                    let w = try cursor.u64("a bitmap word")
                    count += w.nonzeroBitCount
                    words.append(w)
                }
                guard count == declared else {
                    throw RoaringFormatError("bitmap container \(keys[i]) holds \(count) values but its header says \(declared)")
                }
                containers.append(.bitmap(words))
            }
            total += Int64(declared)
        }
        return RoaringBitmap32(keys: keys, containers: containers, cardinality: total)
    }

    func contains(_ value: UInt32) -> Bool {
        let high = UInt16(truncatingIfNeeded: value >> 16), low = UInt16(truncatingIfNeeded: value)
        guard let i = Self.search(keys, high) else { return false }
        switch containers[i] {
        case .array(let values): return Self.search(values, low) != nil
        case .bitmap(let words): return words[Int(low) >> 6] & (1 << UInt64(low & 63)) != 0
        case .run(let runs):
            var k = 0
            while k < runs.count {
                let start = runs[k], length = runs[k + 1]
                if low < start { return false }
                if Int(low) <= Int(start) + Int(length) { return true }
                k += 2
            }
            return false
        }
    }

    /// Calls `body` with every value in `range` (of the 32-bit space, as UInt64), ascending, as
    /// maximal ranges of consecutive values.
    func forEachRange(in range: Range<UInt64>, _ body: (Range<UInt64>) -> Void) {
        for (i, key) in keys.enumerated() {
            let base = UInt64(key) << 16
            if base >= range.upperBound { break }
            if base + 65536 <= range.lowerBound { continue }
            func emit(_ lo: UInt64, _ hi: UInt64) {
                let a = max(lo, range.lowerBound), b = min(hi, range.upperBound)
                if a < b { body(a..<b) }
            }
            switch containers[i] {
            case .array(let values):
                for v in values { emit(base + UInt64(v), base + UInt64(v) + 1) }
            case .run(let runs):
                var k = 0
                while k < runs.count {
                    let start = base + UInt64(runs[k])
                    emit(start, start + UInt64(runs[k + 1]) + 1)
                    k += 2
                }
            case .bitmap(let words):
                for (w, word) in words.enumerated() where word != 0 {
                    var bits = word
                    while bits != 0 {
                        let b = UInt64(bits.trailingZeroBitCount)
                        let v = base + UInt64(w) * 64 + b
                        emit(v, v + 1)
                        bits &= bits - 1
                    }
                }
            }
        }
    }

    static func search<T: Comparable>(_ sorted: [T], _ value: T) -> Int? {
        var lo = 0, hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sorted[mid] < value { lo = mid + 1 } else { hi = mid }
        }
        return lo < sorted.count && sorted[lo] == value ? lo : nil
    }
}

/// The rows a deletion vector removes from its data file: a set of 64-bit row indexes (positions
/// of rows in the file, from 0, across row groups), held as Delta's `RoaringBitmapArray` — 32-bit
/// Roaring bitmaps ("buckets") keyed by the high 32 bits — without expanding it into a per-row set.
public struct DeletionVector: Sendable {
    struct Bucket: Sendable {
        let key: UInt32
        let bitmap: RoaringBitmap32
    }

    let buckets: [Bucket]
    /// The number of rows deleted.
    public let cardinality: Int64

    /// The magic number opening Delta's portable `RoaringBitmapArray` serialization.
    static let magic: UInt32 = 1_681_511_377

    /// Parses the serialized `RoaringBitmapArray` in `bytes[range]` (magic number, bucket count,
    /// then key and 32-bit portable Roaring bitmap per bucket); it must fill the range exactly.
    static func deserialize(_ bytes: [UInt8], range: Range<Int>) throws -> DeletionVector {
        var cursor = ByteCursor(bytes, from: range.lowerBound, to: range.upperBound)
        if cursor.remaining >= 4, cursor.bigEndianU32(at: cursor.position) == nativeMagic {
            return try deserializeNative(&cursor)
        }
        let magic = try cursor.u32("the magic number")
        guard magic == Self.magic else {
            throw RoaringFormatError("magic number \(magic) is neither \(Self.magic) (portable) nor \(Self.nativeMagic) (native): not a RoaringBitmapArray")
        }
        let count = try cursor.u64("the bucket count")
        // Each bucket takes at least 12 bytes (key, cookie, count): a bound before allocating.
        guard count <= UInt64(cursor.remaining / 12) else {
            throw RoaringFormatError("\(count) buckets cannot fit in \(cursor.remaining) bytes")
        }
        var buckets: [Bucket] = []
        buckets.reserveCapacity(Int(count))
        var total: Int64 = 0
        for _ in 0..<Int(count) {
            let key = try cursor.u32("a bucket key")
            guard key & 0x8000_0000 == 0 else { throw RoaringFormatError("bucket key \(key) has its most significant bit set") }
            if let last = buckets.last, key <= last.key {
                throw RoaringFormatError("bucket keys are not ascending (\(key) after \(last.key))")
            }
            let bitmap = try RoaringBitmap32.deserialize(&cursor)
            buckets.append(Bucket(key: key, bitmap: bitmap))
            total += bitmap.cardinality
        }
        guard cursor.remaining == 0 else {
            throw RoaringFormatError("\(cursor.remaining) bytes follow the bitmap")
        }
        return DeletionVector(buckets: buckets, cardinality: total)
    }

    /// The magic number (big-endian) of the older "native" `RoaringBitmapArray` serialization that
    /// Delta readers also accept (the inline example of the protocol uses it).
    static let nativeMagic: UInt32 = 1_681_511_376

    /// The native serialization: big-endian magic and bitmap count, then per bitmap its big-endian
    /// byte size and a 32-bit portable Roaring bitmap; the high key of bitmap `i` is `i`.
    static func deserializeNative(_ cursor: inout ByteCursor) throws -> DeletionVector {
        cursor.position += 4
        try cursor.need(4, "the bitmap count")
        let count = Int(cursor.bigEndianU32(at: cursor.position))
        cursor.position += 4
        guard count <= cursor.remaining / 4, count <= Int(Int32.max) else {
            throw RoaringFormatError("\(count) bitmaps cannot fit in \(cursor.remaining) bytes")
        }
        var buckets: [Bucket] = []
        var total: Int64 = 0
        for key in 0..<count {
            try cursor.need(4, "the size of bitmap \(key)")
            let size = Int(cursor.bigEndianU32(at: cursor.position))
            cursor.position += 4
            try cursor.need(size, "bitmap \(key)")
            var inner = ByteCursor(cursor.bytes, from: cursor.position, to: cursor.position + size)
            let bitmap = try RoaringBitmap32.deserialize(&inner)
            guard inner.remaining == 0 else { throw RoaringFormatError("bitmap \(key) is shorter than its size \(size)") }
            cursor.position += size
            if bitmap.cardinality > 0 { buckets.append(Bucket(key: UInt32(key), bitmap: bitmap)) }
            total += bitmap.cardinality
        }
        guard cursor.remaining == 0 else { throw RoaringFormatError("\(cursor.remaining) bytes follow the bitmap") }
        return DeletionVector(buckets: buckets, cardinality: total)
    }

    /// Whether row `row` is deleted.
    public func contains(_ row: Int64) -> Bool {
        guard row >= 0 else { return false }
        let key = UInt32(truncatingIfNeeded: UInt64(row) >> 32)
        guard let i = buckets.firstIndex(where: { $0.key == key }) else { return false }
        return buckets[i].bitmap.contains(UInt32(truncatingIfNeeded: row))
    }

    /// The deleted row indexes, ascending (materialises the set: for tests and small vectors).
    public var rowIndexes: [Int64] {
        var out: [Int64] = []
        out.reserveCapacity(Int(min(cardinality, 1 << 24)))
        forEachDeletedRange(in: 0..<Int64.max) { r in
            for v in r { out.append(v) }
        }
        return out
    }

    /// The largest deleted row index, or nil when the vector is empty.
    public var maxRowIndex: Int64? {
        guard let last = buckets.last else { return nil }
        var maxLow: UInt64?
        last.bitmap.forEachRange(in: 0..<(1 << 32)) { maxLow = $0.upperBound - 1 }
        return maxLow.map { Int64(UInt64(last.key) << 32 | $0) }
    }

    /// Calls `body` with the deleted rows in `range`, ascending, as ranges of consecutive rows.
    public func forEachDeletedRange(in range: Range<Int64>, _ body: (Range<Int64>) -> Void) {
        guard range.upperBound > 0 else { return }
        let lo = UInt64(max(range.lowerBound, 0)), hi = UInt64(range.upperBound)
        for bucket in buckets {
            let base = UInt64(bucket.key) << 32
            if base >= hi { break }
            if base + (1 << 32) <= lo { continue }
            let localLo = lo > base ? lo - base : 0
            let localHi = min(hi - base, 1 << 32)
            bucket.bitmap.forEachRange(in: localLo..<localHi) { r in
                body(Int64(base + r.lowerBound)..<Int64(base + r.upperBound))
            }
        }
    }

    /// A mask over the rows `start ..< start + count` of the file: `false` where a row is deleted.
    /// Returns nil when no row of the range is deleted.
    public func keepMask(start: Int64, count: Int) -> [Bool]? {
        var mask: [Bool] = []
        forEachDeletedRange(in: start..<(start + Int64(count))) { r in
            if mask.isEmpty { mask = [Bool](repeating: true, count: count) }
            mask.withUnsafeMutableBufferPointer { m in
                for row in r { m[Int(row - start)] = false }
            }
        }
        return mask.isEmpty ? nil : mask
    }
}
