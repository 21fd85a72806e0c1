import FloeColumnar

/// Builds the dictionary of a fixed-width column (INT32 and FLOAT with `Word == UInt32`, INT64
/// and DOUBLE with `Word == UInt64`) while a writer turns values into dictionary indices.
///
/// Values are compared by bit pattern, so `0.0` and `-0.0`, and NaNs with different payloads, are
/// distinct entries and round-trip exactly. The hash table is open addressing with linear probing
/// over a power-of-two array of entry numbers, kept at most half full.
///
/// Invariants: `values` holds the distinct values in first-seen order and index `i` refers to
/// `values[i]`; every slot holds 0 (empty) or `i + 1` for the entry `i` hashing to it; a writer
/// falls back to PLAIN when ``dictionaryByteSize`` exceeds its limit (the indices already handed
/// out stay valid). Not `Sendable`: one writer owns it.
final class FixedWidthDictionaryBuilder<Word: FixedWidthInteger & UnsignedInteger & BitwiseCopyable> {
    private var table = Table()

    /// An empty dictionary.
    init() {}

    /// The distinct values in index order.
    var values: [Word] { table.values }

    /// The number of distinct values.
    var count: Int { table.values.count }

    /// The size of the dictionary page (PLAIN encoded) in bytes.
    var dictionaryByteSize: Int { table.values.count * MemoryLayout<Word>.size }

    /// The bit width of the indices into this dictionary.
    var indexBitWidth: Int { RLEHybridDecoder.bitWidth(forMaxValue: table.values.count - 1) }

    /// Looks every value of `source` up (adding it when new) and writes its index to `indices`,
    /// which must have room for `source.count` values.
    func insert(_ source: UnsafeBufferPointer<Word>, indices: UnsafeMutablePointer<Int32>) {
        var local = Table(empty: ())
        swap(&local, &table)
        defer { swap(&local, &table) }
        for i in 0..<source.count { indices[i] = local.index(of: source[i]) }
    }

    /// Looks values given as raw little-endian bytes (`bytes.count / size(Word)` of them) up.
    func insert(bytes: UnsafeRawBufferPointer, indices: UnsafeMutablePointer<Int32>) {
        let count = bytes.count / MemoryLayout<Word>.size
        guard let base = bytes.baseAddress else { return }
        var local = Table(empty: ())
        swap(&local, &table)
        defer { swap(&local, &table) }
        for i in 0..<count {
            indices[i] = local.index(of: base.loadUnaligned(fromByteOffset: i * MemoryLayout<Word>.size, as: Word.self))
        }
    }

    /// Appends the dictionary page's values (PLAIN) to `out`.
    func encodeDictionaryPage(into out: BufferBuilder) {
        table.values.withUnsafeBytes { out.append(bytes: $0) }
    }

    /// The hash table proper; a value type so that hot loops work on a local copy.
    private struct Table {
        var values: [Word] = []
        var slots: [Int32]
        var shift: UInt64

        init() {
            slots = [Int32](repeating: 0, count: 1024)
            shift = 64 - 10
        }

        /// A placeholder without storage, swapped in while a loop works on the real table.
        init(empty: Void) {
            slots = []
            shift = 0
        }

        @inline(__always)
        func slot(of value: Word) -> Int {
            Int(truncatingIfNeeded: (UInt64(truncatingIfNeeded: value) &* 0x9E37_79B9_7F4A_7C15) &>> shift)
        }

        /// The index of `value`, adding it if new.
        @inline(__always)
        mutating func index(of value: Word) -> Int32 {
            let mask = slots.count - 1
            var slot = slot(of: value)
            while true {
                let entry = slots[slot]
                if entry == 0 { break }
                if values[Int(entry) - 1] == value { return entry - 1 }
                slot = (slot + 1) & mask
            }
            let index = Int32(values.count)
            values.append(value)
            slots[slot] = index + 1
            if values.count * 2 > slots.count { grow() }
            return index
        }

        private mutating func grow() {
            let capacity = slots.count * 2
            shift -= 1
            var table = [Int32](repeating: 0, count: capacity)
            let mask = capacity - 1
            for (i, value) in values.enumerated() {
                var slot = slot(of: value)
                while table[slot] != 0 { slot = (slot + 1) & mask }
                table[slot] = Int32(i + 1)
            }
            slots = table
        }
    }
}
