import FloeColumnar

/// Turns dictionary indices (`RLE_DICTIONARY` / `PLAIN_DICTIONARY` data pages) into values by
/// gathering from a dictionary page already decoded with ``PlainDecoder``.
///
/// A fixed-width dictionary is its values' contiguous bytes (`size = bytes / byteWidth`); a
/// byte-array dictionary is Arrow string layout, `offsets` holding `size + 1` entries,
/// non-decreasing and within `data` (as ``PlainDecoder/decodeByteArrays(_:count:offsets:data:)``
/// produces them: a precondition, not checked per call).
///
/// Invariants: every index is checked against the dictionary size (negative or too large indices
/// throw ``ParquetError/Code-swift.struct/corrupt``); on a throw from the `gather` functions the
/// output builders are left as they were (the fused `decode` functions may leave the values of
/// earlier chunks appended).
enum DictionaryDecoder {
    /// Values gathered per chunk by the fused decoders.
    static let chunkSize = 4096

    /// Checks that every index is in `0 ..< dictionarySize`, for readers that keep the indices
    /// (an Arrow dictionary column) instead of gathering.
    static func checkIndices(_ indices: UnsafeBufferPointer<Int32>, dictionarySize: Int) throws {
        var largest: UInt32 = 0
        for index in indices { largest = Swift.max(largest, UInt32(bitPattern: index)) }
        guard indices.isEmpty || Int(largest) < dictionarySize else {
            throw ParquetError.corrupt(
                "dictionary index \(Int32(bitPattern: largest)) out of range for a dictionary of \(dictionarySize) values")
        }
    }

    // MARK: Fixed width

    /// Appends `dictionary[indices[i]]` for every index to `out`; values are `byteWidth` bytes.
    static func gather(indices: UnsafeBufferPointer<Int32>, dictionary: UnsafeRawBufferPointer,
                       byteWidth: Int, into out: BufferBuilder) throws {
        let count = indices.count
        guard count > 0, let idx = indices.baseAddress else { return }
        guard byteWidth > 0 else { throw ParquetError(.internalError, "dictionary byte width \(byteWidth)") }
        let size = dictionary.count / byteWidth
        guard let dict = dictionary.baseAddress, size > 0 else {
            throw ParquetError.corrupt("dictionary index into an empty dictionary")
        }
        try out.appendUninitialized(count * byteWidth) { raw in
            guard let dst = raw.baseAddress else { return }
            switch byteWidth {
            case 1: try gather(idx, count, dict, size, dst, as: UInt8.self)
            case 2: try gather(idx, count, dict, size, dst, as: UInt16.self)
            case 4: try gather(idx, count, dict, size, dst, as: UInt32.self)
            case 8: try gather(idx, count, dict, size, dst, as: UInt64.self)
            case 16: try gather(idx, count, dict, size, dst, as: Bytes16.self)
            default:
                for i in 0..<count {
                    let j = try check(idx[i], size)
                    (dst + i * byteWidth).copyMemory(from: dict + j * byteWidth, byteCount: byteWidth)
                }
            }
        }
    }

    /// Sixteen bytes moved as one value (FIXED_LEN_BYTE_ARRAY(16): UUIDs, decimals).
    private struct Bytes16 { var low: UInt64; var high: UInt64 }

    @inline(__always)
    private static func gather<T: BitwiseCopyable>(_ idx: UnsafePointer<Int32>, _ count: Int, _ dict: UnsafeRawPointer,
                                                   _ size: Int, _ dst: UnsafeMutableRawPointer, as: T.Type) throws {
        let stride = MemoryLayout<T>.size
        for i in 0..<count {
            let j = try check(idx[i], size)
            dst.storeBytes(of: dict.loadUnaligned(fromByteOffset: j &* stride, as: T.self),
                           toByteOffset: i &* stride, as: T.self)
        }
    }

    @inline(__always)
    private static func check(_ index: Int32, _ size: Int) throws -> Int {
        let j = Int(UInt32(bitPattern: index))
        guard j < size else {
            throw ParquetError.corrupt("dictionary index \(index) out of range for a dictionary of \(size) values")
        }
        return j
    }

    /// Decodes `count` indices from `indices` and appends the values they select; repeated runs
    /// of one index become a fill instead of a gather.
    static func decode(count: Int, indices decoder: inout RLEHybridDecoder, dictionary: UnsafeRawBufferPointer,
                       byteWidth: Int, into out: BufferBuilder) throws {
        guard byteWidth > 0 else { throw ParquetError(.internalError, "dictionary byte width \(byteWidth)") }
        let size = dictionary.count / byteWidth
        try decoder.decodeRuns(count: count, repeated: { value, n in
            let j = try check(Int32(bitPattern: value), size)
            try fill(dictionary, index: j, byteWidth: byteWidth, count: n, into: out)
        }, literal: { values, n in
            let indices = UnsafeRawPointer(values).assumingMemoryBound(to: Int32.self)
            try gather(indices: UnsafeBufferPointer(start: indices, count: n), dictionary: dictionary,
                       byteWidth: byteWidth, into: out)
        })
    }

    private static func fill(_ dictionary: UnsafeRawBufferPointer, index: Int, byteWidth: Int, count: Int,
                             into out: BufferBuilder) throws {
        guard let dict = dictionary.baseAddress else { return }
        let value = dict + index * byteWidth
        out.appendUninitialized(count * byteWidth) { raw in
            guard let dst = raw.baseAddress else { return }
            switch byteWidth {
            case 4: dst.initializeMemory(as: UInt32.self, repeating: value.loadUnaligned(as: UInt32.self), count: count)
            case 8: dst.initializeMemory(as: UInt64.self, repeating: value.loadUnaligned(as: UInt64.self), count: count)
            default:
                for i in 0..<count { (dst + i * byteWidth).copyMemory(from: value, byteCount: byteWidth) }
            }
        }
    }

    // MARK: Byte arrays

    /// Appends the byte arrays `indices` select from the dictionary (`dictionaryOffsets`,
    /// `dictionaryData`) in Arrow string layout: bytes to `data`, one end offset per value to
    /// `offsets` (whose first offset the caller has appended).
    /// Throws ``ParquetError/Code-swift.struct/overflow`` if `data` would outgrow `Int32` offsets.
    static func gather(indices: UnsafeBufferPointer<Int32>, dictionaryOffsets: UnsafeBufferPointer<Int32>,
                       dictionaryData: UnsafeRawBufferPointer, offsets: BufferBuilder, data: BufferBuilder) throws {
        let count = indices.count
        guard count > 0, let idx = indices.baseAddress else { return }
        let size = dictionaryOffsets.count - 1
        guard size > 0, let dictOffsets = dictionaryOffsets.baseAddress else {
            throw ParquetError.corrupt("dictionary index into an empty dictionary")
        }
        // First pass: validate the indices and size the output.
        var total = 0
        for i in 0..<count {
            let j = try check(idx[i], size)
            total &+= Int(dictOffsets[j + 1]) &- Int(dictOffsets[j])
        }
        let dataStart = data.count
        guard dataStart + total <= Int(Int32.max) else {
            throw ParquetError(.overflow, "string data exceeds 2 GiB; Int32 offsets cannot address it")
        }
        let dictBytes = dictionaryData.count
        guard let dict = dictionaryData.baseAddress else {
            // Every dictionary value is empty.
            offsets.appendUninitialized(count * 4) { raw in
                _ = raw.initializeMemory(as: Int32.self, repeating: Int32(dataStart))
            }
            return
        }
        offsets.appendUninitialized(count * 4) { offsetRaw in
            guard let offsetBase = offsetRaw.baseAddress else { return }
            let ends = offsetBase.bindMemory(to: Int32.self, capacity: count)
            data.appendUninitialized(total + ByteCopy.slack) { dataRaw in
                guard let dst = dataRaw.baseAddress else { return }
                var o = 0
                for i in 0..<count {
                    let j = Int(UInt32(bitPattern: idx[i]))
                    let start = Int(dictOffsets[j])
                    let length = Int(dictOffsets[j + 1]) - start
                    ByteCopy.copy(from: dict + start, readable: dictBytes - start, to: dst + o, count: length)
                    o += length
                    ends[i] = Int32(truncatingIfNeeded: dataStart + o)
                }
            }
        }
        data.truncate(to: dataStart + total)
    }

    /// Decodes `count` indices from `indices` and appends the byte arrays they select.
    static func decode(count: Int, indices decoder: inout RLEHybridDecoder,
                       dictionaryOffsets: UnsafeBufferPointer<Int32>, dictionaryData: UnsafeRawBufferPointer,
                       offsets: BufferBuilder, data: BufferBuilder) throws {
        var remaining = count
        try withUnsafeTemporaryAllocation(of: Int32.self, capacity: chunkSize) { scratch in
            guard let s = scratch.baseAddress else { return }
            while remaining > 0 {
                let n = Swift.min(remaining, chunkSize)
                try decoder.decode(into: UnsafeMutableBufferPointer(start: s, count: n))
                try gather(indices: UnsafeBufferPointer(start: s, count: n), dictionaryOffsets: dictionaryOffsets,
                           dictionaryData: dictionaryData, offsets: offsets, data: data)
                remaining -= n
            }
        }
    }
}
