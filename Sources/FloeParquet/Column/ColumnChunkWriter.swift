import FloeColumnar

/// The dictionary of one column chunk being written.
private enum DictionaryState {
    case words32(FixedWidthDictionaryBuilder<UInt32>)
    case words64(FixedWidthDictionaryBuilder<UInt64>)
    case bytes(ByteArrayDictionaryBuilder)

    var count: Int {
        switch self {
        case .words32(let d): d.count
        case .words64(let d): d.count
        case .bytes(let d): d.count
        }
    }

    var byteSize: Int {
        switch self {
        case .words32(let d): d.dictionaryByteSize
        case .words64(let d): d.dictionaryByteSize
        case .bytes(let d): d.dictionaryByteSize
        }
    }

    func encodePage(into out: BufferBuilder) {
        switch self {
        case .words32(let d): d.encodeDictionaryPage(into: out)
        case .words64(let d): d.encodeDictionaryPage(into: out)
        case .bytes(let d): d.encodeDictionaryPage(into: out)
        }
    }
}

/// A finished column chunk: its bytes (dictionary page first, then data pages) and metadata with
/// offsets relative to the start of `bytes`.
struct EncodedColumnChunk {
    var bytes: Buffer
    var metaData: ColumnMetaData
    var dictionaryPageOffset: Int?
    var dataPageOffset: Int
}

/// Encodes one leaf column of one row group into pages: levels as RLE, values dictionary-encoded
/// (falling back to PLAIN once the dictionary outgrows its limit) or PLAIN, pages compressed.
///
/// Invariants: pages end at record boundaries (repetition level 0); the dictionary page, when any
/// page uses the dictionary, precedes all data pages in ``finish()``'s output; statistics cover every
/// value written.
final class ColumnChunkWriter {
    let descriptor: ColumnDescriptor
    let options: ParquetWriteOptions
    private let codec: Codec
    private let level: Int?
    private var dictionary: DictionaryState?
    private var hasFallenBack = false

    // The page being filled.
    private var pageDefinitions: [Int16] = []
    private var pageRepetitions: [Int16] = []
    private var pageIndices: [Int32] = []
    private let pageValues = BufferBuilder()
    private let pageBooleans = BitmapBuilder()
    private var pageValueCount = 0
    private var pageRowCount = 0

    // The chunk so far.
    private let dataPages = BufferBuilder()
    private var dictionaryPageCount = 0
    private var numValues: Int64 = 0
    private var uncompressedBytes: Int64 = 0
    private var encodings: Set<Int32> = []
    private var nullCount: Int64 = 0
    private var minimum: Scalar?
    private var maximum: Scalar?
    private let scratch = BufferBuilder()

    init(descriptor: ColumnDescriptor, options: ParquetWriteOptions) {
        self.descriptor = descriptor
        self.options = options
        switch options.compression {
        case .uncompressed: codec = .uncompressed; level = nil
        case .snappy: codec = .snappy; level = nil
        case .gzip(let l): codec = .gzip; level = l
        case .zstd(let l): codec = .zstd; level = l
        case .lz4Raw: codec = .lz4Raw; level = nil
        }
        if options.isDictionaryEnabled {
            switch descriptor.physicalType {
            case .int32, .float: dictionary = .words32(FixedWidthDictionaryBuilder<UInt32>())
            case .int64, .double: dictionary = .words64(FixedWidthDictionaryBuilder<UInt64>())
            case .byteArray: dictionary = .bytes(ByteArrayDictionaryBuilder())
            default: dictionary = nil
            }
        }
    }

    private var path: String { descriptor.dottedPath }

    /// Appends the shredded data of one batch.
    func write(_ leaf: LeafData) throws {
        let physical = try PhysicalValues.fromArrow(leaf.values, node: descriptor.node, path: path)
        if options.isStatisticsEnabled, var (lo, hi) = ColumnStatistics.bounds(of: leaf.values) {
            if case .timestamp(.second, _) = leaf.values.dataType, case .int(let a) = lo, case .int(let b) = hi {
                // Stored as milliseconds (`fromArrow` above checked that every value fits).
                (lo, hi) = (.int(a * 1000), .int(b * 1000))
            }
            if minimum == nil || ScalarOrder.less(lo, minimum!) { minimum = lo }
            if maximum == nil || ScalarOrder.less(maximum!, hi) { maximum = hi }
        }
        nullCount += Int64(leaf.levelCount - leaf.values.count)
        let maxDef = Int16(descriptor.maxDefinitionLevel)
        // Split into slices of at most `step` entries that end on record boundaries. Pages are cut
        // between slices, so a slice holds at most about a page of values.
        let step = max(1, min(16_384, options.dataPageSize / Self.plainBytesPerValue(physical)))
        var start = 0
        var valueStart = 0
        while start < leaf.levelCount {
            var end = min(start + step, leaf.levelCount)
            if !leaf.repetitionLevels.isEmpty {
                while end < leaf.levelCount && leaf.repetitionLevels[end] != 0 { end += 1 }
            }
            var defined = end - start
            if !leaf.definitionLevels.isEmpty {
                defined = 0
                for i in start..<end where leaf.definitionLevels[i] == maxDef { defined += 1 }
                pageDefinitions.append(contentsOf: leaf.definitionLevels[start..<end])
            }
            if !leaf.repetitionLevels.isEmpty {
                pageRepetitions.append(contentsOf: leaf.repetitionLevels[start..<end])
                for i in start..<end where leaf.repetitionLevels[i] == 0 { pageRowCount += 1 }
            } else {
                pageRowCount += end - start
            }
            try appendValues(physical, from: valueStart, count: defined)
            numValues += Int64(end - start)
            valueStart += defined
            start = end
            if estimatedPageSize >= options.dataPageSize { try flushPage() }
        }
    }

    /// The average size of one value PLAIN-encoded (at least 1).
    private static func plainBytesPerValue(_ values: PhysicalValues) -> Int {
        switch values {
        case .boolean: return 1
        case .fixed(_, let width, _): return max(1, width)
        case .byteArray(let offsets, _, let count):
            guard count > 0 else { return 4 }
            let bytes = Int(offsets.value(at: count, as: Int32.self)) - Int(offsets.value(at: 0, as: Int32.self))
            return 4 + max(0, bytes) / count
        }
    }

    private var estimatedPageSize: Int {
        let levelBytes = (pageDefinitions.count + pageRepetitions.count) / 4
        let indexBytes = dictionary.map { pageIndices.count * max(1, RLEHybridDecoder.bitWidth(forMaxValue: $0.count)) / 8 } ?? 0
        return pageValues.count + pageBooleans.count / 8 + indexBytes + levelBytes
    }

    private func appendValues(_ values: PhysicalValues, from start: Int, count: Int) throws {
        guard count > 0 else { return }
        pageValueCount += count
        if let dictionary, !hasFallenBack {
            let base = pageIndices.count
            pageIndices.append(contentsOf: repeatElement(0, count: count))
            try pageIndices.withUnsafeMutableBufferPointer { idx in
                let out = idx.baseAddress! + base
                switch (dictionary, values) {
                case (.words32(let d), .fixed(let buffer, 4, _)):
                    buffer.withUnsafeValues(of: UInt32.self) { d.insert(UnsafeBufferPointer(rebasing: $0[start..<(start + count)]), indices: out) }
                case (.words64(let d), .fixed(let buffer, 8, _)):
                    buffer.withUnsafeValues(of: UInt64.self) { d.insert(UnsafeBufferPointer(rebasing: $0[start..<(start + count)]), indices: out) }
                case (.bytes(let d), .byteArray(let offsets, let data, _)):
                    try offsets.withUnsafeValues(of: Int32.self) { off in
                        try data.withUnsafeBytes { bytes in
                            try d.insert(offsets: UnsafeBufferPointer(rebasing: off[start...(start + count)]), data: bytes, indices: out)
                        }
                    }
                default:
                    throw ParquetError(.internalError, "column '\(path)': values do not match the dictionary type")
                }
            }
            if dictionary.byteSize > options.dictionaryPageSizeLimit {
                // Finish this page with the dictionary; later pages are PLAIN.
                try flushPage()
                hasFallenBack = true
            }
            return
        }
        switch values {
        case .boolean(let bits, _):
            bits.withUnsafeBytes { b in for i in start..<(start + count) { pageBooleans.append(bitIsSet(b, i)) } }
        case .fixed(let buffer, let width, _):
            buffer.withUnsafeBytes { pageValues.append(bytes: UnsafeRawBufferPointer(rebasing: $0[(start * width)..<((start + count) * width)])) }
        case .byteArray(let offsets, let data, _):
            try offsets.withUnsafeValues(of: Int32.self) { off in
                try data.withUnsafeBytes { bytes in
                    try PlainEncoder.encodeByteArrays(offsets: UnsafeBufferPointer(rebasing: off[start...(start + count)]), data: bytes, into: pageValues)
                }
            }
        }
    }

    /// Compresses `body` with the chunk's codec and appends header + body to `out`.
    private func emitPage(_ header: PageHeader, body: Buffer, into out: BufferBuilder) throws {
        var h = header
        let compressed: Buffer
        if codec == .uncompressed {
            compressed = body
        } else {
            compressed = try body.withUnsafeBytes { try codec.compress($0, level: level) }
        }
        guard let uncompressedSize = Int32(exactly: body.count), let compressedSize = Int32(exactly: compressed.count) else {
            throw ParquetError(.overflow, "column '\(path)': a page of \(body.count) bytes exceeds Parquet's 2 GiB page size limit (lower dataPageSize)")
        }
        h.uncompressedPageSize = uncompressedSize
        h.compressedPageSize = compressedSize
        var writer = ThriftCompactWriter()
        h.write(to: &writer)
        let headerBytes = writer.bytes
        headerBytes.withUnsafeBytes { out.append(bytes: $0) }
        compressed.withUnsafeBytes { out.append(bytes: $0) }
        uncompressedBytes += Int64(headerBytes.count + body.count)
    }

    /// Writes the pending page, if any.
    func flushPage() throws {
        let levelCount = max(pageDefinitions.count, pageRepetitions.count, descriptor.maxDefinitionLevel == 0 && descriptor.maxRepetitionLevel == 0 ? pageValueCount : 0)
        guard levelCount > 0 else { return }
        let body = BufferBuilder(capacity: pageValues.count + pageIndices.count + 64)
        if descriptor.maxRepetitionLevel > 0 {
            let encoder = try RLEHybridEncoder(bitWidth: RLEHybridDecoder.bitWidth(forMaxValue: descriptor.maxRepetitionLevel))
            let levels = pageRepetitions.map { Int32($0) }
            try levels.withUnsafeBufferPointer { try encoder.encodeLengthPrefixed($0, into: body) }
        }
        if descriptor.maxDefinitionLevel > 0 {
            let encoder = try RLEHybridEncoder(bitWidth: RLEHybridDecoder.bitWidth(forMaxValue: descriptor.maxDefinitionLevel))
            let levels = pageDefinitions.map { Int32($0) }
            try levels.withUnsafeBufferPointer { try encoder.encodeLengthPrefixed($0, into: body) }
        }
        let encoding: Encoding
        if let dictionary, !hasFallenBack {
            let width = RLEHybridDecoder.bitWidth(forMaxValue: max(dictionary.count - 1, 0))
            body.append(UInt8(width))
            let encoder = try RLEHybridEncoder(bitWidth: width)
            try pageIndices.withUnsafeBufferPointer { try encoder.encode($0, into: body) }
            encoding = .rleDictionary
            dictionaryPageCount += 1
        } else if descriptor.physicalType == .boolean {
            let bits = pageBooleans.finish()
            try bits.withUnsafeBytes { try PlainEncoder.encodeBooleans(bitmap: $0, count: pageValueCount, into: body) }
            encoding = .plain
        } else {
            pageValues.withUnsafeMutableBytes { body.append(bytes: UnsafeRawBufferPointer($0)) }
            encoding = .plain
        }
        encodings.insert(encoding.rawValue)
        let header = PageHeader(type: .dataPage, uncompressedPageSize: 0, compressedPageSize: 0,
                                dataPageHeader: DataPageHeader(numValues: Int32(levelCount), encoding: encoding,
                                                               definitionLevelEncoding: .rle, repetitionLevelEncoding: .rle))
        try emitPage(header, body: body.finish(), into: dataPages)
        pageDefinitions.removeAll(keepingCapacity: true)
        pageRepetitions.removeAll(keepingCapacity: true)
        pageIndices.removeAll(keepingCapacity: true)
        pageValues.truncate(to: 0)
        pageValueCount = 0
        pageRowCount = 0
    }

    /// Flushes the last page and returns the chunk's bytes and metadata.
    func finish() throws -> EncodedColumnChunk {
        try flushPage()
        let out = BufferBuilder(capacity: dataPages.count + 1024)
        var dictionaryOffset: Int?
        if let dictionary, dictionaryPageCount > 0 {
            let plain = BufferBuilder(capacity: dictionary.byteSize + 16)
            dictionary.encodePage(into: plain)
            let header = PageHeader(type: .dictionaryPage, uncompressedPageSize: 0, compressedPageSize: 0,
                                    dictionaryPageHeader: DictionaryPageHeader(numValues: Int32(dictionary.count), encoding: .plain))
            dictionaryOffset = 0
            try emitPage(header, body: plain.finish(), into: out)
            encodings.insert(Encoding.plain.rawValue)
        }
        let dataOffset = out.count
        dataPages.withUnsafeMutableBytes { out.append(bytes: UnsafeRawBufferPointer($0)) }
        encodings.insert(Encoding.rle.rawValue)
        var statistics: Statistics?
        if options.isStatisticsEnabled {
            var s = Statistics()
            s.nullCount = nullCount
            if let minimum, let maximum,
               let lo = ColumnStatistics.encode(minimum, node: descriptor.node),
               let hi = ColumnStatistics.encode(maximum, node: descriptor.node),
               lo.count <= options.maxStatisticsSize, hi.count <= options.maxStatisticsSize {
                s.minValue = lo
                s.maxValue = hi
            }
            statistics = s
        }
        let meta = ColumnMetaData(
            type: ThriftType(rawValue: descriptor.physicalType.rawValue),
            encodings: encodings.sorted().map { Encoding(rawValue: $0) },
            pathInSchema: descriptor.path,
            codec: CompressionCodec(rawValue: codec.thriftValue),
            numValues: numValues,
            totalUncompressedSize: uncompressedBytes,
            totalCompressedSize: Int64(out.count),
            dataPageOffset: Int64(dataOffset),
            dictionaryPageOffset: dictionaryOffset.map { Int64($0) },
            statistics: statistics)
        return EncodedColumnChunk(bytes: out.finish(), metaData: meta, dictionaryPageOffset: dictionaryOffset, dataPageOffset: dataOffset)
    }
}
