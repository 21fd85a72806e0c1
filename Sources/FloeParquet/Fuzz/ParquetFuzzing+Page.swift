import FloeColumnar

extension ParquetFuzzing {
    /// The parameters at the start of a page input, then the pages of one column chunk.
    ///
    /// Layout: `[0]` bits 0-2 the physical type, bits 3-4 the column's shape (``shape``), bits 5-7
    /// the codec id; `[1]` the FIXED_LEN_BYTE_ARRAY length; `[2]` bit 7 the mode (0: read the pages
    /// as a column chunk, 1: decode the first page with the decoders directly), bits 0-3 the batch
    /// size index (``batchSizes``); `[3]` bits 0-4 the logical annotation (``annotations``), bits 5-7
    /// the size of the synthetic dictionary of direct mode; `[4...5]` the chunk's value count
    /// (UInt16 little-endian); then the pages, each a Thrift `PageHeader` and its body.
    package struct PageParameters: Sendable {
        /// The number of parameter bytes before the pages.
        package static let byteCount = 6

        let physicalType: PhysicalType
        let shape: Int
        let codec: Int32
        let typeLength: Int
        let direct: Bool
        let batchSize: Int
        let annotation: LogicalAnnotation?
        let dictionarySize: Int
        let valueCount: Int

        init(_ p: UnsafeRawBufferPointer) {
            physicalType = PhysicalType(rawValue: Int32(p[0] & 0x07)) ?? .int32
            shape = Int(p[0] >> 3) & 0x03
            codec = Int32(p[0] >> 5)
            typeLength = Int(p[1])
            direct = p[2] & 0x80 != 0
            batchSize = Self.batchSizes[Int(p[2] & 0x0F)]
            annotation = Self.annotations[Int(p[3] & 0x1F) % Self.annotations.count]
            dictionarySize = 1 + Int(p[3] >> 5) * 5
            valueCount = Int(p[4]) | Int(p[5]) << 8
        }

        /// Batch sizes for the direct mode: around the decoders' internal group, miniblock and
        /// chunk sizes.
        static let batchSizes = [1, 2, 3, 5, 7, 8, 9, 15, 31, 32, 33, 64, 127, 128, 1024, 4097]

        /// Logical annotations of the leaf (most are rejected for most physical types).
        static let annotations: [LogicalAnnotation?] = [
            nil, .string, .integer(bitWidth: 8, isSigned: true), .integer(bitWidth: 16, isSigned: false),
            .integer(bitWidth: 32, isSigned: false), .integer(bitWidth: 64, isSigned: false),
            .decimal(precision: 9, scale: 2), .decimal(precision: 18, scale: 4), .decimal(precision: 38, scale: 10),
            .date, .time(unit: .millisecond, isAdjustedToUTC: true), .time(unit: .nanosecond, isAdjustedToUTC: false),
            .timestamp(unit: .millisecond, isAdjustedToUTC: true), .timestamp(unit: .microsecond, isAdjustedToUTC: false),
            .timestamp(unit: .nanosecond, isAdjustedToUTC: true), .float16, .uuid, .json, .enumeration, .interval,
            .null, .unknown, .bson, .integer(bitWidth: 16, isSigned: true),
        ]

        /// The one-column schema: shape 0 a required leaf, 1 an optional leaf, 2 an optional list of
        /// optional elements, 3 an optional struct holding a required list of required elements.
        func schema() throws -> ParquetSchema {
            var leaf = SchemaNode(name: "v", repetition: .required, physicalType: physicalType,
                                  typeLength: typeLength, annotation: annotation)
            let top: SchemaNode
            switch shape {
            case 0:
                top = leaf
            case 1:
                leaf.repetition = .optional
                top = leaf
            case 2:
                leaf.name = "element"
                leaf.repetition = .optional
                top = SchemaNode(name: "v", repetition: .optional, annotation: .list,
                                 children: [SchemaNode(name: "list", repetition: .repeated, children: [leaf])])
            default:
                leaf.name = "element"
                let list = SchemaNode(name: "l", repetition: .required, annotation: .list,
                                      children: [SchemaNode(name: "list", repetition: .repeated, children: [leaf])])
                top = SchemaNode(name: "v", repetition: .optional, children: [list])
            }
            return try ParquetSchema(root: SchemaNode(name: "schema", repetition: .required, children: [top]))
        }
    }

    /// Decodes the pages of one column chunk (see ``PageParameters`` for the input layout): either
    /// through the column chunk reader and the level assembler, as a file's chunk is read, or, in
    /// direct mode, by decoding the first page header and running the level and value decoders
    /// over its body in batches.
    package static func fuzzPage(_ data: UnsafeRawBufferPointer) throws {
        guard data.count >= PageParameters.byteCount else { return }
        let parameters = PageParameters(data)
        let pages = UnsafeRawBufferPointer(rebasing: data[PageParameters.byteCount...])
        let schema = try parameters.schema()
        guard let column = schema.columns.first else { return }
        if parameters.direct {
            let buffer = Buffer(bytes: pages)
            var position = 0
            for _ in 0 ..< 8 where position < buffer.count {
                position += try decodePage(buffer.slice(bytesFrom: position, count: buffer.count - position),
                                           column: column, parameters: parameters)
            }
        } else {
            try readChunk(pages, schema: schema, column: column, parameters: parameters)
        }
    }

    /// Reads `pages` as the only column chunk of a file, at offset 4 after the magic bytes.
    private static func readChunk(_ pages: UnsafeRawBufferPointer, schema: ParquetSchema, column: ColumnDescriptor,
                                  parameters: PageParameters) throws {
        let plan = try ProjectionPlan(schema: schema, columns: nil)
        let file = Buffer(bytes: Array("PAR1".utf8) + Array(pages))
        let size = Int64(pages.count)
        var chunk = ColumnChunk()
        chunk.metaData = ColumnMetaData(
            type: ThriftType(rawValue: column.physicalType.rawValue), encodings: [], pathInSchema: column.path,
            codec: CompressionCodec(rawValue: parameters.codec), numValues: Int64(parameters.valueCount),
            totalUncompressedSize: size, totalCompressedSize: size, keyValueMetadata: nil, dataPageOffset: 4,
            indexPageOffset: nil, dictionaryPageOffset: nil, statistics: nil, encodingStats: nil,
            bloomFilterOffset: nil, bloomFilterLength: nil, sizeStatistics: nil)
        let source = MemoryByteSource(file)
        let reader = ColumnChunkReader(descriptor: column, arrowType: plan.leafTypes[column.index] ?? .null,
                                       chunk: chunk, fileSize: source.size)
        let leaf = try reader.read(from: source)
        for node in plan.nodes {
            _ = try LevelAssembler(leaves: [column.index: leaf]).assemble(node)
        }
    }

    /// Decodes the header at the start of `pages`, then its body with the decoders' own APIs, in
    /// batches of `parameters.batchSize` values; returns the bytes of header and body.
    private static func decodePage(_ pages: Buffer, column: ColumnDescriptor, parameters: PageParameters) throws -> Int {
        let (header, headerLength) = try PageHeader.decode(from: pages, at: 0)
        let storedLength = min(max(Int(header.compressedPageSize), 0), pages.count - headerLength)
        let stored = pages.slice(bytesFrom: headerLength, count: storedLength)
        let pageLength = headerLength + storedLength
        guard let codec = Codec(thriftValue: parameters.codec) else { return pages.count }
        let page = PageDecoder(path: "fuzz", descriptor: column, codec: codec, context: CodecContext())
        let batch = parameters.batchSize
        let limit = 1 << 16
        switch header.type {
        case .dictionaryPage:
            guard let dh = header.dictionaryPageHeader else { return pageLength }
            let body = try page.decompress(stored, uncompressedSize: Int(header.uncompressedPageSize))
            try decodeValues(body, count: min(Int(dh.numValues), limit), encoding: .plain, column: column,
                             parameters: parameters)
        case .dataPage:
            guard let dh = header.dataPageHeader else { return pageLength }
            let body = try page.decompress(stored, uncompressedSize: Int(header.uncompressedPageSize))
            let n = min(max(Int(dh.numValues), 0), limit)
            var offset = 0
            var defined = n
            if column.maxRepetitionLevel > 0 {
                let levels = body.slice(bytesFrom: offset, count: body.count - offset)
                offset += try decodeLevels(levels, count: n, maxLevel: column.maxRepetitionLevel,
                                           encoding: dh.repetitionLevelEncoding, lengthPrefixed: true, page: page,
                                           batch: batch).consumed
            }
            if column.maxDefinitionLevel > 0 {
                let levels = body.slice(bytesFrom: offset, count: body.count - offset)
                let result = try decodeLevels(levels, count: n, maxLevel: column.maxDefinitionLevel,
                                              encoding: dh.definitionLevelEncoding, lengthPrefixed: true, page: page,
                                              batch: batch)
                offset += result.consumed
                defined = result.defined
            }
            try decodeValues(body.slice(bytesFrom: offset, count: body.count - offset), count: defined,
                             encoding: dh.encoding, column: column, parameters: parameters)
        case .dataPageV2:
            guard let dh = header.dataPageHeaderV2 else { return pageLength }
            let n = min(max(Int(dh.numValues), 0), limit)
            let repLength = Int(dh.repetitionLevelsByteLength)
            let defLength = Int(dh.definitionLevelsByteLength)
            guard repLength >= 0, defLength >= 0, repLength <= stored.count - defLength else { return pageLength }
            var defined = n
            if column.maxRepetitionLevel > 0 {
                _ = try decodeLevels(stored.slice(bytesFrom: 0, count: repLength), count: n,
                                     maxLevel: column.maxRepetitionLevel, encoding: .rle, lengthPrefixed: false,
                                     page: page, batch: batch)
            }
            if column.maxDefinitionLevel > 0 {
                defined = try decodeLevels(stored.slice(bytesFrom: repLength, count: defLength), count: n,
                                           maxLevel: column.maxDefinitionLevel, encoding: .rle, lengthPrefixed: false,
                                           page: page, batch: batch).defined
            }
            let values = stored.slice(bytesFrom: repLength + defLength, count: stored.count - repLength - defLength)
            let valuesSize = Int(header.uncompressedPageSize) - repLength - defLength
            let body = dh.valuesAreCompressed ? try page.decompress(values, uncompressedSize: valuesSize) : values
            try decodeValues(body, count: defined, encoding: dh.encoding, column: column, parameters: parameters)
        default:
            break
        }
        return pageLength
    }

    /// Decodes `count` levels in batches (every third batch skipped rather than decoded), and again
    /// as a validity bitmap; returns the bytes consumed and the number of levels equal to `maxLevel`.
    private static func decodeLevels(_ bytes: Buffer, count: Int, maxLevel: Int, encoding: Encoding,
                                     lengthPrefixed: Bool, page: PageDecoder,
                                     batch: Int) throws -> (consumed: Int, defined: Int) {
        guard encoding == .rle else {
            var levels: [Int16] = []
            let consumed = try page.decodeLevels(bytes, count: count, maxLevel: maxLevel, encoding: encoding,
                                                 lengthPrefixed: lengthPrefixed, into: &levels)
            return (consumed, PageDecoder.countDefined(levels, from: 0, maxLevel: maxLevel))
        }
        let bitWidth = RLEHybridDecoder.bitWidth(forMaxValue: maxLevel)
        let make = {
            lengthPrefixed ? try RLEHybridDecoder(lengthPrefixed: bytes, bitWidth: bitWidth)
                           : try RLEHybridDecoder(bytes, bitWidth: bitWidth)
        }
        var decoder = try make()
        var scratch = [Int32](repeating: 0, count: batch)
        var done = 0
        var round = 0
        while done < count {
            let n = min(batch, count - done)
            if round % 3 == 2 {
                try decoder.skip(count: n)
            } else {
                try scratch.withUnsafeMutableBufferPointer {
                    try decoder.decode(into: UnsafeMutableBufferPointer(rebasing: $0[0 ..< n]))
                }
            }
            done += n
            round += 1
        }
        var validity = try make()
        let bitmap = BitmapBuilder()
        var defined = 0
        done = 0
        while done < count {
            let n = min(batch, count - done)
            defined += try validity.decodeValidity(count: n, maxDefinitionLevel: Int32(maxLevel), into: bitmap)
            done += n
        }
        return (decoder.encodedByteCount, defined)
    }

    /// Decodes `count` values of `encoding` from `body` with the decoders' batch APIs.
    private static func decodeValues(_ body: Buffer, count: Int, encoding: Encoding, column: ColumnDescriptor,
                                     parameters: PageParameters) throws {
        guard count > 0 else { return }
        let type = column.physicalType
        let batch = parameters.batchSize
        let width = ValueAccumulator(physicalType: type, typeLength: column.node.typeLength).width
        let fixed = BufferBuilder()
        let offsets = BufferBuilder()
        offsets.append(Int32(0))
        let data = BufferBuilder()
        let bits = BitmapBuilder()
        /// Calls `body` with successive batch sizes adding up to `count`.
        func batches(_ body: (Int) throws -> Void) rethrows {
            var done = 0
            while done < count {
                let n = min(batch, count - done)
                try body(n)
                done += n
            }
        }
        switch encoding {
        case .plain:
            try body.withUnsafeBytes { src in
                var position = 0
                try batches { n in
                    if type == .boolean {
                        // Booleans are bit-packed: `position` counts bits.
                        _ = try PlainDecoder.decodeBooleans(src, bitOffset: position, count: n, into: bits)
                        position += n
                        return
                    }
                    let rest = UnsafeRawBufferPointer(rebasing: src[position...])
                    switch type {
                    case .int96: position += try PlainDecoder.decodeInt96Timestamps(rest, count: n, into: fixed)
                    case .byteArray: position += try PlainDecoder.decodeByteArrays(rest, count: n, offsets: offsets, data: data)
                    default: position += try PlainDecoder.decodeFixedWidth(rest, count: n, byteWidth: width, into: fixed)
                    }
                }
            }
        case .rle:
            var decoder = try RLEHybridDecoder(lengthPrefixed: body, bitWidth: 1)
            try batches { n in _ = try decoder.appendBits(count: n, setWhenEqualTo: 1, into: bits) }
        case .plainDictionary, .rleDictionary:
            var indices = try RLEHybridDecoder(dictionaryIndices: body)
            let size = parameters.dictionarySize
            if type == .byteArray {
                // Entry i is i bytes of value i.
                let dictionaryOffsets = (0 ... size).map { Int32($0 * ($0 - 1) / 2) }
                var dictionaryData: [UInt8] = []
                for i in 0 ..< size { dictionaryData += repeatElement(UInt8(truncatingIfNeeded: i), count: i) }
                try dictionaryOffsets.withUnsafeBufferPointer { off in
                    try dictionaryData.withUnsafeBytes { d in
                        try batches { n in
                            try DictionaryDecoder.decode(count: n, indices: &indices, dictionaryOffsets: off,
                                                         dictionaryData: d, offsets: offsets, data: data)
                        }
                    }
                }
            } else if width > 0 {
                let dictionary = (0 ..< size * width).map { UInt8(truncatingIfNeeded: $0 / width) }
                try dictionary.withUnsafeBytes { d in
                    try batches { n in
                        try DictionaryDecoder.decode(count: n, indices: &indices, dictionary: d, byteWidth: width, into: fixed)
                    }
                }
            }
        case .deltaBinaryPacked:
            var decoder = try DeltaBinaryPackedDecoder(body)
            var probe = decoder
            _ = try probe.skipToEnd()
            if type == .int32 {
                var scratch = [Int32](repeating: 0, count: batch)
                try batches { n in
                    try scratch.withUnsafeMutableBufferPointer { try decoder.decode(into: UnsafeMutableBufferPointer(rebasing: $0[0 ..< n])) }
                }
            } else {
                var scratch = [Int64](repeating: 0, count: batch)
                try batches { n in
                    try scratch.withUnsafeMutableBufferPointer { try decoder.decode(into: UnsafeMutableBufferPointer(rebasing: $0[0 ..< n])) }
                }
            }
        case .deltaLengthByteArray:
            var decoder = try DeltaLengthByteArrayDecoder(body)
            try batches { n in try decoder.decode(count: n, offsets: offsets, data: data) }
        case .deltaByteArray:
            var decoder = try DeltaByteArrayDecoder(body)
            if type == .fixedLenByteArray {
                try batches { n in try decoder.decodeFixedLength(count: n, byteWidth: width, into: fixed) }
            } else {
                try batches { n in try decoder.decode(count: n, offsets: offsets, data: data) }
            }
        case .byteStreamSplit:
            var decoder = try ByteStreamSplitDecoder(body, byteWidth: width > 0 ? width : parameters.typeLength)
            try batches { n in try decoder.decode(count: n, into: fixed) }
        default:
            return
        }
    }
}
