#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FloeColumnar

extension ParquetFuzzing {
    /// The largest whole file or page input written as a seed (larger ones slow fuzzing down).
    static let maxSeedSize = 16 * 1024

    /// Writes a seed corpus for every target into `directory/<target>/` (folders created as
    /// needed): small Parquet files Floe writes with every codec, page version, dictionary setting
    /// and a spread of types; their footers; their column chunks as page inputs; synthetic pages of
    /// the encodings Floe does not write (DELTA_*, BYTE_STREAM_SPLIT, RLE booleans); compressed
    /// blocks of every codec. Each Parquet file of `extraFiles` (e.g. written by pyarrow) adds a
    /// file, footer and page seeds the same way. Returns the number of seeds per target.
    package static func writeSeeds(to directory: String, extraFiles: [String] = []) throws -> [Target: Int] {
        var seeds = SeedWriter(directory: directory)
        for target in Target.allCases { try seeds.makeDirectory(target) }
        for (name, batch, options) in try sampleFiles() {
            let path = seeds.path(.file, "floe-\(name).parquet")
            _ = try ParquetFileWriter.write([batch], to: path, options: options)
            seeds.counts[.file, default: 0] += 1
            try seeds.derive(fromFile: path, name: "floe-\(name)")
        }
        for (k, path) in extraFiles.enumerated() {
            var base = Substring(path.split(separator: "/").last ?? "extra")
            if base.hasSuffix(".parquet") { base = base.dropLast(8) }
            // A file Floe cannot read (an unsupported feature) still makes a file seed.
            try? seeds.copyFile(path, name: "extra\(k)-\(base)")
            try? seeds.derive(fromFile: path, name: "extra\(k)-\(base)")
        }
        try syntheticPages(&seeds)
        try codecSeeds(&seeds)
        return seeds.counts
    }

    // MARK: Floe-written files

    private static func sampleFiles() throws -> [(String, RecordBatch, ParquetWriteOptions)] {
        func options(_ compression: ParquetWriteOptions.Compression, v2: Bool = false, dictionary: Bool = true,
                     rowGroup: Int = 1_000, page: Int = 1_000) -> ParquetWriteOptions {
            var o = ParquetWriteOptions()
            o.compression = compression
            o.usesDataPageV2 = v2
            o.isDictionaryEnabled = dictionary
            o.rowGroupSize = rowGroup
            o.dataPageSize = page
            o.isDurable = false
            return o
        }
        let rows = 24
        func ints(_ f: (Int) -> Int64?) -> [Scalar] { (0 ..< rows).map { f($0).map(Scalar.int) ?? .null } }
        func strings(_ f: (Int) -> String?) -> [Scalar] { (0 ..< rows).map { f($0).map(Scalar.string) ?? .null } }
        func batch(_ columns: [(Field, [Scalar])]) throws -> RecordBatch {
            try RecordBatch(schema: Schema(columns.map(\.0)),
                            columns: try columns.map { try Column($0.1, type: $0.0.dataType) })
        }
        let flat = try batch([
            (Field("i32", .int32), ints { $0 % 5 == 0 ? nil : Int64($0 * 3 - 20) }),
            (Field("i64", .int64, isNullable: false), ints { Int64($0) * 1_000_000_007 }),
            (Field("s", .string), strings { $0 % 7 == 3 ? nil : String(repeating: "ab", count: $0 % 4) }),
            (Field("b", .boolean), (0 ..< rows).map { $0 % 6 == 1 ? .null : .bool($0 % 3 == 0) }),
        ])
        let numeric = try batch([
            (Field("f32", .float32), (0 ..< rows).map { .float(Double($0) / 4) }),
            (Field("f64", .float64, isNullable: false), (0 ..< rows).map { .float(Double($0) * -1.5e10) }),
            (Field("d9", .decimal(precision: 9, scale: 2)), (0 ..< rows).map { $0 % 4 == 0 ? .null : .decimal(Int128($0 * 12345)) }),
            (Field("d38", .decimal(precision: 38, scale: 10)), (0 ..< rows).map { .decimal(Int128($0) * 10_000_000_000_000) }),
            (Field("u16", .uint16), (0 ..< rows).map { .uint(UInt64($0 * 2_000)) }),
            (Field("i8", .int8, isNullable: false), ints { Int64($0 % 100 - 50) }),
        ])
        let temporal = try batch([
            (Field("date", .date32), ints { Int64(18_000 + $0) }),
            (Field("ts_us", .timestamp(.microsecond, timezone: "UTC")), ints { $0 == 2 ? nil : Int64($0) * 86_400_000_000 }),
            (Field("ts_ns", .timestamp(.nanosecond, timezone: nil)), ints { Int64($0) * 1_000_000_123 }),
            (Field("fixed", .fixedSizeBinary(5)), (0 ..< rows).map { $0 % 5 == 0 ? .null : .binary((0 ..< 5).map { UInt8($0 + 65) }) }),
            (Field("bin", .binary), (0 ..< rows).map { .binary(Array(repeating: UInt8($0), count: $0 % 3)) }),
        ])
        let element = Field("element", .int32)
        let kv = Field("key_value", .struct([Field("key", .string, isNullable: false), Field("value", .int64)]),
                       isNullable: false)
        let lists: [Scalar] = (0 ..< rows).map { (r: Int) -> Scalar in
            if r % 5 == 0 { return .null }
            return .list((0 ..< r % 4).map { (k: Int) -> Scalar in k == 1 ? .null : .int(Int64(r * 10 + k)) })
        }
        let structs: [Scalar] = (0 ..< rows).map { (r: Int) -> Scalar in
            if r % 6 == 0 { return .null }
            let a: Scalar = r % 2 == 0 ? .null : .string("x\(r)")
            let b: Scalar = .list((0 ..< r % 3).map { (k: Int) -> Scalar in .float(Double(k)) })
            return .structure([a, b])
        }
        let maps: [Scalar] = (0 ..< rows).map { (r: Int) -> Scalar in
            if r % 4 == 0 { return .null }
            return .map((0 ..< r % 3).map { (k: Int) -> Scalar.MapEntry in
                Scalar.MapEntry(key: .string("k\(k)"), value: .int(Int64(r)))
            })
        }
        let structType = DataType.struct([Field("a", .string), Field("b", .list(Field("element", .float64, isNullable: false)))])
        let nested = try batch([
            (Field("list", .list(element)), lists),
            (Field("st", structType), structs),
            (Field("m", .map(kv, keysSorted: false)), maps),
        ])
        return [
            ("flat-plain", flat, options(.uncompressed, dictionary: false)),
            ("flat-dict-zstd", flat, options(.zstd(level: 1))),
            ("flat-v2-snappy", flat, options(.snappy, v2: true, page: 64)),
            ("flat-gzip-groups", flat, options(.gzip(level: 6), rowGroup: 10, page: 40)),
            ("flat-lz4raw-v2-plain", flat, options(.lz4Raw, v2: true, dictionary: false)),
            ("numeric-plain", numeric, options(.uncompressed, dictionary: false)),
            ("numeric-dict-v2", numeric, options(.uncompressed, v2: true)),
            ("temporal-snappy", temporal, options(.snappy)),
            ("temporal-plain-v2", temporal, options(.uncompressed, v2: true, dictionary: false, page: 100)),
            ("nested-plain", nested, options(.uncompressed, dictionary: false)),
            ("nested-dict-v2-zstd", nested, options(.zstd(level: 3), v2: true, page: 50)),
        ]
    }

    // MARK: Synthetic pages

    /// Pages of the encodings Floe's writer does not produce, as page inputs (one uncompressed data
    /// page each, for the column chunk reader and for the direct decoders).
    private static func syntheticPages(_ seeds: inout SeedWriter) throws {
        let count = 40
        let int32s = (0 ..< Int32(count)).map { $0 &* 7919 &- 300 }
        let int64s = int32s.map { Int64($0) &* 1_000_003 }
        let words = (0 ..< count).map { "value\($0 / 3)-\(String(repeating: "z", count: $0 % 5))" }
        var offsets: [Int32] = [0]
        var bytes: [UInt8] = []
        for w in words { bytes += Array(w.utf8); offsets.append(Int32(bytes.count)) }
        let fixed4 = (0 ..< count * 4).map { UInt8(truncatingIfNeeded: $0 * 37) }

        func encoded(_ body: (BufferBuilder) throws -> Void) rethrows -> [UInt8] {
            let out = BufferBuilder()
            try body(out)
            return out.finish().withUnsafeBytes { Array($0) }
        }
        let dbp32 = int32s.withUnsafeBufferPointer { v in encoded { DeltaBinaryPackedEncoder.encode(v, into: $0) } }
        let dbp64 = int64s.withUnsafeBufferPointer { v in encoded { DeltaBinaryPackedEncoder.encode(v, into: $0) } }
        let dlba = try offsets.withUnsafeBufferPointer { o in
            try bytes.withUnsafeBytes { d in try encoded { try DeltaLengthByteArrayEncoder.encode(offsets: o, data: d, into: $0) } }
        }
        let dba = try offsets.withUnsafeBufferPointer { o in
            try bytes.withUnsafeBytes { d in try encoded { try DeltaByteArrayEncoder.encode(offsets: o, data: d, into: $0) } }
        }
        let dbaFixed = try fixed4.withUnsafeBytes { v in try encoded { try DeltaByteArrayEncoder.encodeFixedLength(v, byteWidth: 4, into: $0) } }
        let bss4 = try fixed4.withUnsafeBytes { v in try encoded { try ByteStreamSplitEncoder.encode(v, byteWidth: 4, into: $0) } }
        let bss8 = try int64s.withUnsafeBytes { v in try encoded { try ByteStreamSplitEncoder.encode(v, byteWidth: 8, into: $0) } }
        let booleans = try (0 ..< Int32(count)).map { $0 % 3 == 0 ? Int32(1) : 0 }.withUnsafeBufferPointer { v in
            try encoded { try RLEHybridEncoder(bitWidth: 1).encodeLengthPrefixed(v, into: $0) }
        }
        // An optional column: definition levels (every fifth null) then the values present.
        let definitions = (0 ..< Int32(count)).map { $0 % 5 == 0 ? Int32(0) : 1 }
        let levels = try definitions.withUnsafeBufferPointer { v in
            try encoded { try RLEHybridEncoder(bitWidth: 1).encodeLengthPrefixed(v, into: $0) }
        }
        let present = Array(int32s.enumerated().filter { $0.offset % 5 != 0 }.map(\.element))
        let optionalDBP = levels + present.withUnsafeBufferPointer { v in encoded { DeltaBinaryPackedEncoder.encode(v, into: $0) } }

        let cases: [(String, PhysicalType, Int, Int, Encoding, [UInt8])] = [
            ("dbp-int32", .int32, 0, 0, .deltaBinaryPacked, dbp32),
            ("dbp-int64", .int64, 0, 0, .deltaBinaryPacked, dbp64),
            ("dbp-int32-optional", .int32, 0, 1, .deltaBinaryPacked, optionalDBP),
            ("dlba", .byteArray, 0, 0, .deltaLengthByteArray, dlba),
            ("dba", .byteArray, 0, 0, .deltaByteArray, dba),
            ("dba-fixed4", .fixedLenByteArray, 4, 0, .deltaByteArray, dbaFixed),
            ("bss-float", .float, 0, 0, .byteStreamSplit, bss4),
            ("bss-double", .double, 0, 0, .byteStreamSplit, bss8),
            ("bss-fixed4", .fixedLenByteArray, 4, 0, .byteStreamSplit, bss4),
            ("rle-boolean", .boolean, 0, 0, .rle, booleans),
        ]
        for (name, type, typeLength, shape, encoding, body) in cases {
            let header = PageHeader(type: .dataPage, uncompressedPageSize: Int32(body.count),
                                    compressedPageSize: Int32(body.count),
                                    dataPageHeader: DataPageHeader(numValues: Int32(count), encoding: encoding,
                                                                   definitionLevelEncoding: .rle,
                                                                   repetitionLevelEncoding: .rle))
            let page = header.thriftEncoded() + body
            for direct in [false, true] {
                let parameters = pageParameters(type: type, shape: shape, codec: 0, typeLength: typeLength,
                                                direct: direct, annotation: 0, valueCount: count)
                try seeds.write(.page, "synthetic-\(name)\(direct ? "-direct" : "")", parameters + page)
            }
        }
    }

    /// The parameter bytes of a page input (see ``PageParameters``).
    static func pageParameters(type: PhysicalType, shape: Int, codec: Int32, typeLength: Int, direct: Bool,
                               annotation: Int, valueCount: Int) -> [UInt8] {
        [UInt8(type.rawValue) | UInt8(shape & 3) << 3 | UInt8(codec & 7) << 5,
         UInt8(truncatingIfNeeded: typeLength),
         (direct ? 0x80 : 0) | 0x09,
         UInt8(annotation & 0x1F) | 0xE0,
         UInt8(truncatingIfNeeded: valueCount), UInt8(truncatingIfNeeded: min(valueCount, 0xFFFF) >> 8)]
    }

    // MARK: Codecs

    private static func codecSeeds(_ seeds: inout SeedWriter) throws {
        let text = Array(String(repeating: "Floe fuzzes the Parquet decoders; ", count: 12).utf8)
        let payloads: [(String, [UInt8])] = [
            ("empty", []),
            ("zeros", [UInt8](repeating: 0, count: 300)),
            ("text", text),
            ("mixed", (0 ..< 200).map { UInt8(truncatingIfNeeded: $0 &* $0 &+ 17) }),
        ]
        for codec in Codec.allCases where codec.isSupported {
            for (name, payload) in payloads {
                let compressed = try payload.withUnsafeBytes { try codec.compress($0) }
                let size = UInt32(payload.count)
                let input = [UInt8(codec.thriftValue)] + (0 ..< 4).map { UInt8(truncatingIfNeeded: size >> (8 * $0)) }
                    + compressed.withUnsafeBytes { Array($0) }
                try seeds.write(.codec, "\(codec.name.lowercased())-\(name)", input)
            }
        }
    }
}

/// Writes seed files and derives seeds from Parquet files.
private struct SeedWriter {
    let directory: String
    var counts: [ParquetFuzzing.Target: Int] = [:]

    init(directory: String) { self.directory = directory }

    func path(_ target: ParquetFuzzing.Target, _ name: String) -> String { "\(directory)/\(target.rawValue)/\(name)" }

    func makeDirectory(_ target: ParquetFuzzing.Target) throws {
        for dir in [directory, "\(directory)/\(target.rawValue)"] {
            guard mkdir(dir, 0o755) == 0 || errno == EEXIST else {
                throw ParquetError(.io, "cannot create '\(dir)': \(String(cString: strerror(errno)))")
            }
        }
    }

    mutating func write(_ target: ParquetFuzzing.Target, _ name: String, _ bytes: [UInt8]) throws {
        let file = path(target, name)
        guard let handle = fopen(file, "wb") else {
            throw ParquetError(.io, "cannot create '\(file)': \(String(cString: strerror(errno)))")
        }
        let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, handle) }
        guard fclose(handle) == 0, written == bytes.count else {
            throw ParquetError(.io, "cannot write '\(file)'")
        }
        counts[target, default: 0] += 1
    }

    mutating func copyFile(_ path: String, name: String) throws {
        let source = try FileByteSource(path: path)
        guard source.size <= ParquetFuzzing.maxSeedSize else { return }
        try write(.file, "\(name).parquet", try source.read(offset: 0, count: source.size).withUnsafeBytes { Array($0) })
    }

    /// Adds the footer of the Parquet file at `path` and the column chunks of its first row group
    /// as seeds.
    mutating func derive(fromFile path: String, name: String) throws {
        let reader = try ParquetFileReader(path: path)
        let source = reader.source
        let footerLength = Int(UInt32(littleEndian: try source.read(offset: source.size - 8, count: 4)
            .withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }))
        let footer = try source.read(offset: source.size - 8 - footerLength, count: footerLength)
        try write(.footer, name, footer.withUnsafeBytes { Array($0) })
        guard let group = reader.fileMetaData.rowGroups.first else { return }
        for (j, chunk) in group.columns.enumerated() where j < reader.schema.columns.count {
            guard let meta = chunk.metaData else { continue }
            let start = Int(meta.chunkStartOffset)
            let length = Int(meta.totalCompressedSize)
            guard length <= ParquetFuzzing.maxSeedSize, start >= 0, length >= 0, start <= source.size - length else { continue }
            let bytes = try source.read(offset: start, count: length).withUnsafeBytes { Array($0) }
            let column = reader.schema.columns[j]
            let shape: Int = switch (column.maxDefinitionLevel, column.maxRepetitionLevel) {
            case (0, 0): 0
            case (1, 0): 1
            case (2, 1): 3
            default: column.maxRepetitionLevel > 0 ? 2 : 1
            }
            let annotation = ParquetFuzzing.PageParameters.annotations.firstIndex { $0 == column.node.annotation } ?? 0
            for direct in [false, true] {
                let parameters = ParquetFuzzing.pageParameters(
                    type: column.physicalType, shape: shape, codec: meta.codec.rawValue,
                    typeLength: column.node.typeLength, direct: direct, annotation: annotation,
                    valueCount: Int(meta.numValues))
                try write(.page, "\(name)-c\(j)\(direct ? "-direct" : "")", parameters + bytes)
            }
        }
    }
}
