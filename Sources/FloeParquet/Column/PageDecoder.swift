import FloeColumnar

/// Decodes the parts of one page of a column chunk: decompression, levels and values, dispatching
/// on the page's encodings once per page (never per value).
///
/// Invariants: every length and count read from the page is checked against the bytes present;
/// failures are ``ParquetError``s naming the column.
struct PageDecoder {
    let path: String
    let descriptor: ColumnDescriptor
    let codec: Codec
    let context: CodecContext
    /// The unit INT96 timestamps are decoded to.
    var int96Unit: TimeUnit = .nanosecond

    private func corrupt(_ message: String) -> ParquetError {
        ParquetError(.corrupt, "column '\(path)': \(message)")
    }

    /// The page body after decompression (the body itself when uncompressed).
    func decompress(_ body: Buffer, uncompressedSize: Int) throws -> Buffer {
        if codec == .uncompressed {
            guard body.count >= uncompressedSize else {
                throw corrupt("uncompressed page of \(body.count) bytes claims \(uncompressedSize)")
            }
            return body.slice(bytesFrom: 0, count: uncompressedSize)
        }
        do {
            return try body.withUnsafeBytes { try codec.decompress($0, uncompressedSize: uncompressedSize, context: context) }
        } catch let e as ParquetError {
            throw ParquetError(e.code, "column '\(path)': \(e.message)", underlying: e.underlying)
        }
    }

    /// Decodes a dictionary page (always PLAIN-encoded values).
    func decodeDictionary(_ page: Buffer, count: Int) throws -> PhysicalValues {
        guard count >= 0 else { throw corrupt("negative dictionary size") }
        return try decodePlain(page, count: count)
    }

    private func decodePlain(_ page: Buffer, count: Int) throws -> PhysicalValues {
        let node = descriptor.node
        // `count` comes from the page header and is checked against the page by the decoders:
        // size the builders by what the page can hold, not by the count, so a lying count
        // throws instead of allocating. (Decoded values never take more bytes than PLAIN.)
        let limit = page.count
        return try page.withUnsafeBytes { src -> PhysicalValues in
            switch descriptor.physicalType {
            case .boolean:
                let bits = BitmapBuilder(capacity: min(count, limit * 8))
                _ = try PlainDecoder.decodeBooleans(src, count: count, into: bits)
                return .boolean(bits: bits.finish(), count: count)
            case .int32, .float:
                let out = BufferBuilder(capacity: min(count * 4, limit))
                _ = try PlainDecoder.decodeFixedWidth(src, count: count, byteWidth: 4, into: out)
                return .fixed(out.finish(), width: 4, count: count)
            case .int64, .double:
                let out = BufferBuilder(capacity: min(count * 8, limit))
                _ = try PlainDecoder.decodeFixedWidth(src, count: count, byteWidth: 8, into: out)
                return .fixed(out.finish(), width: 8, count: count)
            case .int96:
                let out = BufferBuilder(capacity: min(count * 8, limit))
                _ = try PlainDecoder.decodeInt96Timestamps(src, count: count, into: out, unit: int96Unit)
                return .fixed(out.finish(), width: 8, count: count)
            case .fixedLenByteArray:
                let out = BufferBuilder(capacity: min(count * node.typeLength, limit))
                _ = try PlainDecoder.decodeFixedWidth(src, count: count, byteWidth: node.typeLength, into: out)
                return .fixed(out.finish(), width: node.typeLength, count: count)
            case .byteArray:
                let offsets = BufferBuilder(capacity: (min(count, limit / 4) + 1) * 4)
                offsets.append(Int32(0))
                let data = BufferBuilder(capacity: src.count)
                _ = try PlainDecoder.decodeByteArrays(src, count: count, offsets: offsets, data: data)
                return .byteArray(offsets: offsets.finish(), data: data.finish(), count: count)
            }
        }
    }

    /// Decodes `count` levels at the start of `bytes` and appends them; returns the bytes consumed.
    func decodeLevels(_ bytes: Buffer, count: Int, maxLevel: Int, encoding: Encoding, lengthPrefixed: Bool,
                      into levels: inout [Int16]) throws -> Int {
        let bitWidth = RLEHybridDecoder.bitWidth(forMaxValue: maxLevel)
        let start = levels.count
        var consumed = 0
        switch encoding {
        case .rle:
            var decoder = lengthPrefixed
                ? try RLEHybridDecoder(lengthPrefixed: bytes, bitWidth: bitWidth)
                : try RLEHybridDecoder(bytes, bitWidth: bitWidth)
            try withUnsafeTemporaryAllocation(of: Int32.self, capacity: 4096) { scratch in
                var done = 0
                while done < count {
                    let n = min(4096, count - done)
                    try decoder.decode(into: UnsafeMutableBufferPointer(rebasing: scratch[0..<n]))
                    // Grown batch by batch: `count` comes from the page header, and the data may
                    // hold far fewer levels.
                    levels.append(contentsOf: repeatElement(0, count: n))
                    for i in 0..<n {
                        let v = scratch[i]
                        guard v >= 0, Int(v) <= maxLevel else { throw corrupt("level \(v) exceeds the maximum \(maxLevel)") }
                        levels[start + done + i] = Int16(v)
                    }
                    done += n
                }
            }
            consumed = decoder.encodedByteCount
        case .bitPacked:
            // Deprecated BIT_PACKED levels: MSB-first, no length prefix.
            let byteCount = (count * bitWidth + 7) / 8
            guard byteCount <= bytes.count else { throw corrupt("BIT_PACKED levels truncated") }
            levels.append(contentsOf: repeatElement(0, count: count))
            bytes.withUnsafeBytes { src in
                var bit = 0
                for i in 0..<count {
                    var v = 0
                    for _ in 0..<bitWidth {
                        let byte = src[bit >> 3]
                        v = (v << 1) | Int((byte >> (7 - UInt8(bit & 7))) & 1)
                        bit += 1
                    }
                    levels[start + i] = Int16(min(v, maxLevel))
                }
            }
            consumed = byteCount
        default:
            throw ParquetError(.unsupported, "column '\(path)': level encoding \(encoding) is not supported")
        }
        return consumed
    }

    /// The number of levels from `start` on that equal `maxLevel` (entries with a value).
    static func countDefined(_ levels: [Int16], from start: Int, maxLevel: Int) -> Int {
        let target = Int16(maxLevel)
        var n = 0
        levels.withUnsafeBufferPointer { l in
            for i in start..<l.count where l[i] == target { n += 1 }
        }
        return n
    }

    /// Decodes `count` non-null values of the page's encoding and appends them.
    func decodeValues(_ bytes: Buffer, count: Int, encoding: Encoding, dictionary: PhysicalValues?,
                      into acc: ValueAccumulator) throws {
        guard count > 0 else { return }
        let type = descriptor.physicalType
        let width = acc.width
        switch encoding {
        case .plain:
            try bytes.withUnsafeBytes { src in
                switch type {
                case .boolean: _ = try PlainDecoder.decodeBooleans(src, count: count, into: acc.bits)
                case .int96: _ = try PlainDecoder.decodeInt96Timestamps(src, count: count, into: acc.fixed, unit: int96Unit)
                case .byteArray: _ = try PlainDecoder.decodeByteArrays(src, count: count, offsets: acc.offsets, data: acc.data)
                default: _ = try PlainDecoder.decodeFixedWidth(src, count: count, byteWidth: width, into: acc.fixed)
                }
            }
        case .plainDictionary, .rleDictionary:
            guard let dictionary else { throw corrupt("dictionary-encoded page without a dictionary page") }
            var indices = try RLEHybridDecoder(dictionaryIndices: bytes)
            switch dictionary {
            case .fixed(let dict, let w, _):
                try dict.withUnsafeBytes {
                    try DictionaryDecoder.decode(count: count, indices: &indices, dictionary: $0, byteWidth: w, into: acc.fixed)
                }
            case .byteArray(let offsets, let data, _):
                try offsets.withUnsafeValues(of: Int32.self) { off in
                    try data.withUnsafeBytes { d in
                        try DictionaryDecoder.decode(count: count, indices: &indices, dictionaryOffsets: off, dictionaryData: d,
                                                     offsets: acc.offsets, data: acc.data)
                    }
                }
            case .boolean:
                throw corrupt("a BOOLEAN column cannot be dictionary-encoded")
            }
        case .rle where type == .boolean:
            _ = try RLEHybridDecoder.decodeBooleans(bytes, count: count, into: acc.bits)
        case .deltaBinaryPacked where type == .int32:
            var d = try DeltaBinaryPackedDecoder(bytes)
            try d.decodeInt32(count: count, into: acc.fixed)
        case .deltaBinaryPacked where type == .int64:
            var d = try DeltaBinaryPackedDecoder(bytes)
            try d.decodeInt64(count: count, into: acc.fixed)
        case .deltaLengthByteArray where type == .byteArray:
            var d = try DeltaLengthByteArrayDecoder(bytes)
            try d.decode(count: count, offsets: acc.offsets, data: acc.data)
        case .deltaByteArray where type == .byteArray:
            var d = try DeltaByteArrayDecoder(bytes)
            try d.decode(count: count, offsets: acc.offsets, data: acc.data)
        case .deltaByteArray where type == .fixedLenByteArray:
            var d = try DeltaByteArrayDecoder(bytes)
            try d.decodeFixedLength(count: count, byteWidth: width, into: acc.fixed)
        case .byteStreamSplit where type != .boolean && type != .byteArray && type != .int96:
            var d = try ByteStreamSplitDecoder(bytes, byteWidth: width)
            try d.decode(count: count, into: acc.fixed)
        default:
            throw ParquetError(.unsupported, "column '\(path)': encoding \(encoding) is not supported for \(type)")
        }
        acc.didAppend(count)
    }
}
