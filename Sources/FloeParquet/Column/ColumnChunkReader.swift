import FloeColumnar

/// Accumulates the dense values of one leaf column as pages decode them, in physical layout.
///
/// Invariants: `count` values appended so far; byte arrays keep `count + 1` offsets (first 0).
final class ValueAccumulator {
    let physicalType: PhysicalType
    let width: Int
    let fixed = BufferBuilder()
    let bits = BitmapBuilder()
    let offsets = BufferBuilder()
    let data = BufferBuilder()
    private(set) var count = 0

    init(physicalType: PhysicalType, typeLength: Int) {
        self.physicalType = physicalType
        switch physicalType {
        case .int32, .float: width = 4
        case .int64, .double, .int96: width = 8
        case .fixedLenByteArray: width = typeLength
        case .boolean, .byteArray: width = 0
        }
        if physicalType == .byteArray { offsets.append(Int32(0)) }
    }

    func didAppend(_ n: Int) { count += n }

    func finish() -> PhysicalValues {
        switch physicalType {
        case .boolean: return .boolean(bits: bits.finish(), count: count)
        case .byteArray: return .byteArray(offsets: offsets.finish(), data: data.finish(), count: count)
        default: return .fixed(fixed.finish(), width: width, count: count)
        }
    }
}


/// Reads one column chunk: walks its pages, decompresses them, decodes levels and values.
///
/// Invariants: the chunk's byte range is validated against the file before reading; page sizes
/// are validated against the chunk; the number of decoded level entries equals the chunk's
/// `num_values`, or the chunk is reported corrupt.
struct ColumnChunkReader {
    /// The most levels reserved up front; chunks with more grow their level arrays as pages decode.
    static let maxLevelReservation = 1 << 22

    let descriptor: ColumnDescriptor
    let arrowType: DataType
    let chunk: ColumnChunk
    let fileSize: Int

    /// Reads the whole chunk into levels and dense Arrow values.
    func read(from source: any ByteSource) throws -> LeafData {
        let path = descriptor.dottedPath
        if chunk.filePath != nil {
            throw ParquetError(.unsupported, "column '\(path)': column chunks in external files are not supported")
        }
        guard let meta = chunk.metaData else {
            throw ParquetError(.unsupported, "column '\(path)': column metadata is missing (encrypted column?)")
        }
        guard let codec = Codec(thriftValue: meta.codec.rawValue) else {
            throw ParquetError(.unsupported, "column '\(path)': unknown compression codec \(meta.codec.rawValue)")
        }
        var start = Int(meta.dataPageOffset)
        if let d = meta.dictionaryPageOffset, d > 0, Int(d) < start { start = Int(d) }
        let length = Int(meta.totalCompressedSize)
        if meta.numValues == 0 {
            // An empty chunk has no data pages: pyarrow writes data_page_offset 0 (and at most a
            // dictionary page) for the chunks of an empty row group, so there is nothing to read.
            let empty = ValueAccumulator(physicalType: descriptor.physicalType, typeLength: descriptor.node.typeLength).finish()
            return LeafData(levelCount: 0, definitionLevels: [], repetitionLevels: [],
                            values: try empty.arrowColumn(arrowType, node: descriptor.node, path: path))
        }
        guard start >= 4, length >= 0, start <= fileSize, length <= fileSize - start else {
            throw ParquetError(.corrupt, "column '\(path)': chunk byte range \(start)+\(length) lies outside the file")
        }
        let bytes = try source.read(offset: start, count: length)
        let expected = Int(meta.numValues)
        guard expected >= 0 else { throw ParquetError(.corrupt, "column '\(path)': negative value count") }

        let accumulator = ValueAccumulator(physicalType: descriptor.physicalType, typeLength: descriptor.node.typeLength)
        var definitions: [Int16] = []
        var repetitions: [Int16] = []
        // `expected` comes from the file: reserving all of it before any page is seen would let a
        // lying count allocate without bound. Larger chunks grow their arrays as pages decode.
        let reservation = min(expected, ColumnChunkReader.maxLevelReservation)
        if descriptor.maxDefinitionLevel > 0 { definitions.reserveCapacity(reservation) }
        if descriptor.maxRepetitionLevel > 0 { repetitions.reserveCapacity(reservation) }
        var dictionary: PhysicalValues?
        var levelsRead = 0
        let context = CodecContext()

        var position = 0
        while levelsRead < expected {
            guard position < bytes.count else {
                throw ParquetError(.corrupt, "column '\(path)': chunk ended after \(levelsRead) of \(expected) values")
            }
            let (header, headerLength) = try PageHeader.decode(from: bytes, at: position)
            let bodyStart = position + headerLength
            let bodyLength = Int(header.compressedPageSize)
            guard bodyLength <= bytes.count - bodyStart else {
                throw ParquetError(.corrupt, "column '\(path)': page of \(bodyLength) bytes overruns the column chunk")
            }
            let body = bytes.slice(bytesFrom: bodyStart, count: bodyLength)
            position = bodyStart + bodyLength
            var page = PageDecoder(path: path, descriptor: descriptor, codec: codec, context: context)
            if descriptor.physicalType == .int96, case .timestamp(let unit, _) = arrowType { page.int96Unit = unit }

            switch header.type {
            case .dictionaryPage:
                guard let dh = header.dictionaryPageHeader else {
                    throw ParquetError(.corrupt, "column '\(path)': dictionary page without its header")
                }
                let plain = try page.decompress(body, uncompressedSize: Int(header.uncompressedPageSize))
                dictionary = try page.decodeDictionary(plain, count: Int(dh.numValues))
            case .dataPage:
                guard let dh = header.dataPageHeader else {
                    throw ParquetError(.corrupt, "column '\(path)': data page without its header")
                }
                let n = Int(dh.numValues)
                guard n >= 0, n <= expected - levelsRead else {
                    throw ParquetError(.corrupt, "column '\(path)': data page holds \(n) values, more than the chunk's remaining \(expected - levelsRead)")
                }
                let plain = try page.decompress(body, uncompressedSize: Int(header.uncompressedPageSize))
                var offset = 0
                if descriptor.maxRepetitionLevel > 0 {
                    offset += try page.decodeLevels(plain.slice(bytesFrom: offset, count: plain.count - offset), count: n,
                                                    maxLevel: descriptor.maxRepetitionLevel, encoding: dh.repetitionLevelEncoding,
                                                    lengthPrefixed: true, into: &repetitions)
                }
                var nonNull = n
                if descriptor.maxDefinitionLevel > 0 {
                    let before = definitions.count
                    offset += try page.decodeLevels(plain.slice(bytesFrom: offset, count: plain.count - offset), count: n,
                                                    maxLevel: descriptor.maxDefinitionLevel, encoding: dh.definitionLevelEncoding,
                                                    lengthPrefixed: true, into: &definitions)
                    nonNull = PageDecoder.countDefined(definitions, from: before, maxLevel: descriptor.maxDefinitionLevel)
                }
                try page.decodeValues(plain.slice(bytesFrom: offset, count: plain.count - offset), count: nonNull,
                                      encoding: dh.encoding, dictionary: dictionary, into: accumulator)
                levelsRead += n
            case .dataPageV2:
                guard let dh = header.dataPageHeaderV2 else {
                    throw ParquetError(.corrupt, "column '\(path)': data page v2 without its header")
                }
                let n = Int(dh.numValues)
                let repLength = Int(dh.repetitionLevelsByteLength)
                let defLength = Int(dh.definitionLevelsByteLength)
                guard n >= 0, n <= expected - levelsRead, repLength >= 0, defLength >= 0,
                      repLength + defLength <= body.count else {
                    throw ParquetError(.corrupt, "column '\(path)': data page v2 has inconsistent sizes")
                }
                if descriptor.maxRepetitionLevel > 0 {
                    _ = try page.decodeLevels(body.slice(bytesFrom: 0, count: repLength), count: n,
                                              maxLevel: descriptor.maxRepetitionLevel, encoding: .rle, lengthPrefixed: false,
                                              into: &repetitions)
                }
                var nonNull = n
                if descriptor.maxDefinitionLevel > 0 {
                    let before = definitions.count
                    _ = try page.decodeLevels(body.slice(bytesFrom: repLength, count: defLength), count: n,
                                              maxLevel: descriptor.maxDefinitionLevel, encoding: .rle,
                                              lengthPrefixed: false, into: &definitions)
                    nonNull = PageDecoder.countDefined(definitions, from: before, maxLevel: descriptor.maxDefinitionLevel)
                }
                let values = body.slice(bytesFrom: repLength + defLength, count: body.count - repLength - defLength)
                let valuesSize = Int(header.uncompressedPageSize) - repLength - defLength
                guard valuesSize >= 0 else {
                    throw ParquetError(.corrupt, "column '\(path)': data page v2 levels exceed the page size")
                }
                let plain = dh.valuesAreCompressed ? try page.decompress(values, uncompressedSize: valuesSize) : values
                try page.decodeValues(plain, count: nonNull, encoding: dh.encoding, dictionary: dictionary, into: accumulator)
                levelsRead += n
            default:
                continue // index pages and page types from the future carry no values
            }
        }
        let physical = accumulator.finish()
        let values = try physical.arrowColumn(arrowType, node: descriptor.node, path: path)
        return LeafData(levelCount: levelsRead, definitionLevels: definitions, repetitionLevels: repetitions, values: values)
    }
}
