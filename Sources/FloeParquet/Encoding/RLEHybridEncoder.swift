import FloeColumnar

/// Encodes values with the RLE / bit-packing hybrid encoding (`RLE = 3`) for levels, dictionary
/// indices and RLE booleans.
///
/// The output is the canonical mix other writers produce: a value repeated at least 8 times
/// becomes a repeated run, everything else goes into bit-packed runs of whole groups of 8. Before a
/// repeated run, pending bit-packed values are completed to a multiple of 8 with the first values
/// of the repetition (which keeps the run only if at least 8 repeats remain). Only the final group
/// of the data is padded (with zero bits).
///
/// Invariants: `0 <= bitWidth <= 32`; every run length is in `1 ... 2^31 - 1`; encoding only
/// appends to the output builder.
struct RLEHybridEncoder {
    /// The width in bits of every value, `0...32`.
    let bitWidth: Int

    /// The longest run written in one header (the format's limit for run lengths).
    static let maxRunLength = Int(Int32.max)

    /// An encoder for values of `bitWidth` bits; throws ``ParquetError/Code-swift.struct/internalError``
    /// for a width outside `0...32`.
    init(bitWidth: Int) throws {
        guard bitWidth >= 0 && bitWidth <= 32 else {
            throw ParquetError(.internalError, "RLE bit width \(bitWidth) is outside 0...32")
        }
        self.bitWidth = bitWidth
    }

    /// Appends the runs encoding `values` to `out`. Every value must lie in `0 ..< 2^bitWidth`
    /// (checked: ``ParquetError/Code-swift.struct/internalError`` otherwise, with nothing appended).
    func encode(_ values: UnsafeBufferPointer<Int32>, into out: BufferBuilder) throws {
        guard let base = values.baseAddress, values.count > 0 else { return }
        try base.withMemoryRebound(to: UInt32.self, capacity: values.count) {
            try encodeUnsigned($0, count: values.count, into: out)
        }
    }

    /// Appends a 4-byte little-endian length, then the runs encoding `values` (the form of data
    /// page v1 levels and RLE booleans).
    func encodeLengthPrefixed(_ values: UnsafeBufferPointer<Int32>, into out: BufferBuilder) throws {
        let start = out.count
        out.append(UInt32(0))
        try encode(values, into: out)
        let length = out.count - start - 4
        guard length <= Int(UInt32.max) else {
            throw ParquetError(.overflow, "RLE data of \(length) bytes exceeds the 4-byte length prefix")
        }
        out.withUnsafeMutableBytes {
            $0.storeBytes(of: UInt32(length).littleEndian, toByteOffset: start, as: UInt32.self)
        }
    }

    /// The largest number of bytes ``encode(_:into:)`` can produce for `count` values.
    static func maxEncodedByteCount(count: Int, bitWidth: Int) -> Int {
        // Worst case: all bit-packed (with a 5-byte header per maximal run).
        (count + 7) / 8 * bitWidth + 5 * (count / maxRunLength + 1)
    }

    private func encodeUnsigned(_ values: UnsafePointer<UInt32>, count: Int, into out: BufferBuilder) throws {
        let w = bitWidth
        if w < 32 {
            var all: UInt32 = 0
            for i in 0..<count { all |= values[i] }
            guard all >> UInt32(w) == 0 else {
                throw ParquetError(.internalError, "RLE value does not fit in \(w) bits")
            }
        }
        var literalStart = 0  // first value not yet written
        var i = 0
        while i < count {
            let value = values[i]
            var j = i + 1
            while j < count && values[j] == value { j += 1 }
            let runLength = j - i
            if runLength >= 8 {
                // Complete the pending literals to whole groups with the first repeats.
                let borrow = (8 - (i - literalStart) % 8) % 8
                if runLength - borrow >= 8 {
                    writeLiterals(values + literalStart, count: i + borrow - literalStart, into: out)
                    writeRepeated(value, count: runLength - borrow, into: out)
                    literalStart = j
                }
            }
            i = j
        }
        writeLiterals(values + literalStart, count: count - literalStart, into: out)
    }

    /// Writes `count` values as bit-packed runs; only a final partial group is zero padded.
    private func writeLiterals(_ values: UnsafePointer<UInt32>, count: Int, into out: BufferBuilder) {
        let w = bitWidth
        let maxGroups = Self.maxRunLength / 8
        var done = 0
        while done < count {
            let n = Swift.min(count - done, maxGroups * 8)
            let groups = (n + 7) / 8
            LEB128.appendUnsigned(UInt64(groups) << 1 | 1, to: out)
            let whole = n / 8 * 8
            out.appendUninitialized(whole / 8 * w) { raw in
                guard let dst = raw.baseAddress else { return }
                BitPacking.pack32(values + done, count: whole, bitWidth: w, into: dst)
            }
            if whole < n {
                var group: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
                withUnsafeMutableBytes(of: &group) { g in
                    guard let base = g.baseAddress else { return }
                    let padded = base.bindMemory(to: UInt32.self, capacity: 8)
                    padded.update(from: values + done + whole, count: n - whole)
                    out.appendUninitialized(w) { raw in
                        guard let dst = raw.baseAddress else { return }
                        BitPacking.pack32(padded, count: 8, bitWidth: w, into: dst)
                    }
                }
            }
            done += n
        }
    }

    /// Writes `count` repeats of `value` as repeated runs.
    private func writeRepeated(_ value: UInt32, count: Int, into out: BufferBuilder) {
        var left = count
        while left > 0 {
            let n = Swift.min(left, Self.maxRunLength)
            LEB128.appendUnsigned(UInt64(n) << 1, to: out)
            var v = value
            for _ in 0..<((bitWidth + 7) / 8) {
                out.append(UInt8(truncatingIfNeeded: v))
                v >>= 8
            }
            left -= n
        }
    }
}
