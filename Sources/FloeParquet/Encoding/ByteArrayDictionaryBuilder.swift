#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FloeColumnar

/// Builds the dictionary of a BYTE_ARRAY or FIXED_LEN_BYTE_ARRAY column while a writer turns values
/// into dictionary indices.
///
/// Distinct values are stored back to back in one byte array with their start offsets; the hash
/// table is open addressing with linear probing over a power-of-two array of entry numbers (kept
/// at most half full), with each entry's 64-bit hash stored so that most mismatches cost no byte
/// comparison and growing never rehashes bytes. No per-value allocation.
///
/// Invariants: entry `i` is `bytes[starts[i] ..< starts[i + 1]]`, distinct from every other entry;
/// every slot holds 0 (empty) or `i + 1`; with `fixedLength` set, every entry has that length. A
/// writer falls back to PLAIN when ``dictionaryByteSize`` exceeds its limit. Not `Sendable`.
final class ByteArrayDictionaryBuilder {
    /// The length of every value of a FIXED_LEN_BYTE_ARRAY column; nil for BYTE_ARRAY.
    let fixedLength: Int?
    private var table = Table()

    /// An empty dictionary for BYTE_ARRAY values, or FIXED_LEN_BYTE_ARRAY values of `fixedLength` bytes.
    init(fixedLength: Int? = nil) {
        self.fixedLength = fixedLength
    }

    /// The number of distinct values.
    var count: Int { table.starts.count - 1 }

    /// The size of the dictionary page (PLAIN encoded) in bytes.
    var dictionaryByteSize: Int { table.bytes.count + (fixedLength == nil ? 4 * count : 0) }

    /// The bit width of the indices into this dictionary.
    var indexBitWidth: Int { RLEHybridDecoder.bitWidth(forMaxValue: count - 1) }

    /// Looks up the byte arrays given in Arrow layout (value `i` is
    /// `data[offsets[i] ..< offsets[i + 1]]`), adding new ones, and writes their indices to
    /// `indices`, which must have room for `offsets.count - 1` values.
    func insert(offsets: UnsafeBufferPointer<Int32>, data: UnsafeRawBufferPointer,
                indices: UnsafeMutablePointer<Int32>) throws {
        let n = offsets.count - 1
        guard n > 0 else { return }
        try PlainEncoder.validate(offsets: offsets, dataCount: data.count)
        // With only empty values the data may have no address; nothing is read through it then.
        guard let base = data.baseAddress ?? UnsafeRawPointer(bitPattern: 0x10) else { return }
        if let fixedLength {
            for i in 0..<n where Int(offsets[i + 1] - offsets[i]) != fixedLength {
                throw ParquetError(.internalError, "value of a FIXED_LEN_BYTE_ARRAY(\(fixedLength)) column has another length")
            }
        }
        var local = Table(empty: ())
        swap(&local, &table)
        defer { swap(&local, &table) }
        for i in 0..<n {
            let start = Int(offsets[i])
            indices[i] = local.index(of: base + start, count: Int(offsets[i + 1]) - start)
        }
    }

    /// Looks up FIXED_LEN_BYTE_ARRAY values given back to back (`values.count / fixedLength` of them).
    func insert(fixedLengthValues values: UnsafeRawBufferPointer, indices: UnsafeMutablePointer<Int32>) throws {
        guard let width = fixedLength, width > 0 else {
            throw ParquetError(.internalError, "fixed-length insert into a builder without a positive fixed length")
        }
        let n = values.count / width
        guard n > 0, let base = values.baseAddress else { return }
        var local = Table(empty: ())
        swap(&local, &table)
        defer { swap(&local, &table) }
        for i in 0..<n { indices[i] = local.index(of: base + i * width, count: width) }
    }

    /// Appends the dictionary page's values (PLAIN: length-prefixed for BYTE_ARRAY, back to back
    /// for FIXED_LEN_BYTE_ARRAY) to `out`.
    func encodeDictionaryPage(into out: BufferBuilder) {
        table.bytes.withUnsafeBytes { bytes in
            if fixedLength != nil {
                out.append(bytes: bytes)
                return
            }
            for i in 0..<count {
                let start = table.starts[i]
                let end = table.starts[i + 1]
                out.append(UInt32(end - start).littleEndian)
                out.append(bytes: UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
            }
        }
    }

    /// The dictionary in Arrow string layout (offsets from 0, then the bytes).
    func arrowLayout() -> (offsets: [Int32], data: [UInt8]) {
        (table.starts.map { Int32(truncatingIfNeeded: $0) }, table.bytes)
    }

    /// The hash table proper; a value type so that hot loops work on a local copy.
    private struct Table {
        var bytes: [UInt8] = []
        var starts: [Int] = [0]
        var hashes: [UInt64] = []
        var slots: [Int32]
        var shift: UInt64

        init() {
            slots = [Int32](repeating: 0, count: 1024)
            shift = 64 - 10
        }

        /// A placeholder without storage, swapped in while a loop works on the real table.
        init(empty: Void) {
            starts = []
            slots = []
            shift = 0
        }

        /// The index of the `count` bytes at `value`, adding them if new.
        @inline(__always)
        mutating func index(of value: UnsafeRawPointer, count: Int) -> Int32 {
            let hash = ByteArrayDictionaryBuilder.hash(value, count)
            let mask = slots.count - 1
            var slot = Int(truncatingIfNeeded: hash &>> shift)
            while true {
                let entry = Int(slots[slot])
                if entry == 0 { break }
                if hashes[entry - 1] == hash {
                    let start = starts[entry - 1]
                    if starts[entry] - start == count {
                        let equal = count == 0 || bytes.withUnsafeBytes { stored in
                            guard let s = stored.baseAddress else { return false }
                            return memcmp(s + start, value, count) == 0
                        }
                        if equal { return Int32(entry - 1) }
                    }
                }
                slot = (slot + 1) & mask
            }
            let index = hashes.count
            bytes.append(contentsOf: UnsafeRawBufferPointer(start: value, count: count))
            starts.append(bytes.count)
            hashes.append(hash)
            slots[slot] = Int32(index + 1)
            if hashes.count * 2 > slots.count { grow() }
            return Int32(index)
        }

        private mutating func grow() {
            let capacity = slots.count * 2
            shift -= 1
            var table = [Int32](repeating: 0, count: capacity)
            let mask = capacity - 1
            for (i, hash) in hashes.enumerated() {
                var slot = Int(truncatingIfNeeded: hash &>> shift)
                while table[slot] != 0 { slot = (slot + 1) & mask }
                table[slot] = Int32(i + 1)
            }
            slots = table
        }
    }

    /// A 64-bit hash of `count` bytes: 8-byte words mixed by multiplication, a final avalanche.
    @inline(__always)
    static func hash(_ p: UnsafeRawPointer, _ count: Int) -> UInt64 {
        let k: UInt64 = 0x9E37_79B9_7F4A_7C15
        var h: UInt64 = 0x243F_6A88_85A3_08D3 ^ (UInt64(truncatingIfNeeded: count) &* k)
        var i = 0
        while i + 8 <= count {
            h = (h ^ p.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* k
            h ^= h &>> 29
            i += 8
        }
        let rest = count - i
        if rest > 0 {
            var tail: UInt64
            if count >= 8 {
                tail = p.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
            } else if rest >= 4 {
                tail = UInt64(p.loadUnaligned(fromByteOffset: 0, as: UInt32.self))
                    | UInt64(p.loadUnaligned(fromByteOffset: rest - 4, as: UInt32.self)) &<< 32
            } else {
                tail = UInt64(p.load(fromByteOffset: 0, as: UInt8.self))
                    | UInt64(p.load(fromByteOffset: rest >> 1, as: UInt8.self)) &<< 8
                    | UInt64(p.load(fromByteOffset: rest - 1, as: UInt8.self)) &<< 16
            }
            h = (h ^ tail) &* k
        }
        // Murmur3 finaliser; the table uses the top bits.
        h ^= h &>> 33
        h = h &* 0xFF51_AFD7_ED55_8CCD
        h ^= h &>> 33
        h = h &* 0xC4CE_B9FE_1A85_EC53
        h ^= h &>> 33
        return h
    }
}
