import Foundation
import Testing
import FloeColumnar
import FloeParquet
@testable import Floe

/// A test-side writer of Delta's portable `RoaringBitmapArray` (magic, bucket count, then key and
/// 32-bit portable Roaring bitmap per bucket), choosing array, bitmap or run containers.
enum RoaringWriter {
    static func le16(_ v: Int, _ out: inout [UInt8]) { out += [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
    static func le32(_ v: UInt32, _ out: inout [UInt8]) { for k in 0..<4 { out.append(UInt8(v >> (8 * UInt32(k)) & 0xFF)) } }

    static func serialize(_ rows: [Int64], runs: Bool = false) -> [UInt8] {
        var out: [UInt8] = []
        le32(DeletionVector.magic, &out)
        let byBucket = Dictionary(grouping: Set(rows).sorted()) { UInt32(UInt64($0) >> 32) }
        let keys = byBucket.keys.sorted()
        for k in 0..<8 { out.append(UInt8(UInt64(keys.count) >> (8 * UInt64(k)) & 0xFF)) }
        for key in keys {
            le32(key, &out)
            let lows = (byBucket[key] ?? []).map { UInt32(truncatingIfNeeded: $0) }
            let containers = Dictionary(grouping: lows) { Int($0 >> 16) }
            let ckeys = containers.keys.sorted()
            var header: [UInt8] = [], bodies: [[UInt8]] = []
            var runFlags = [UInt8](repeating: 0, count: (ckeys.count + 7) / 8)
            for (i, ck) in ckeys.enumerated() {
                let values = (containers[ck] ?? []).map { Int($0 & 0xFFFF) }
                le16(ck, &header)
                le16(values.count - 1, &header)
                var body: [UInt8] = []
                if runs {
                    runFlags[i / 8] |= 1 << UInt8(i % 8)
                    var pairs: [(Int, Int)] = []
                    for v in values {
                        if let last = pairs.last, last.0 + last.1 + 1 == v { pairs[pairs.count - 1].1 += 1 } else { pairs.append((v, 0)) }
                    }
                    le16(pairs.count, &body)
                    for (s, l) in pairs { le16(s, &body); le16(l, &body) }
                } else if values.count <= 4096 {
                    for v in values { le16(v, &body) }
                } else {
                    var words = [UInt64](repeating: 0, count: 1024)
                    for v in values { words[v >> 6] |= 1 << UInt64(v & 63) }
                    for w in words { for k in 0..<8 { body.append(UInt8(w >> (8 * UInt64(k)) & 0xFF)) } }
                }
                bodies.append(body)
            }
            if runs {
                le32(RoaringBitmap32.serialCookie | UInt32(ckeys.count - 1) << 16, &out)
                out += runFlags
                out += header
                if ckeys.count >= RoaringBitmap32.noOffsetThreshold {
                    var offset = 4 + runFlags.count + header.count + 4 * ckeys.count
                    for b in bodies { le32(UInt32(offset), &out); offset += b.count }
                }
            } else {
                le32(RoaringBitmap32.serialCookieNoRun, &out)
                le32(UInt32(ckeys.count), &out)
                out += header
                var offset = 8 + header.count + 4 * ckeys.count
                for b in bodies { le32(UInt32(offset), &out); offset += b.count }
            }
            for b in bodies { out += b }
        }
        return out
    }

    /// A DV file (version byte, then per vector: big-endian size, data, big-endian CRC-32) and the
    /// offset of each vector.
    static func file(_ vectors: [[UInt8]]) -> (bytes: [UInt8], offsets: [Int]) {
        var out: [UInt8] = [1], offsets: [Int] = []
        func be32(_ v: UInt32) { out += [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
        for v in vectors {
            offsets.append(out.count)
            be32(UInt32(v.count))
            out += v
            be32(CRC32.checksum(v[...]))
        }
        return (out, offsets)
    }
}

@Suite("Deletion vectors")
struct DeletionVectorTests {
    @Test("the protocol's inline example (native RoaringBitmapArray format) decodes to 3, 4, 7, 11, 18, 29")
    func protocolInlineExample() throws {
        let d = DeletionVectorDescriptor(storageType: "i", pathOrInlineDv: "wi5b=000010000siXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L",
                                         sizeInBytes: 40, cardinality: 6)
        let dv = try DeletionVector.load(d, storage: LocalStorage(root: "/nonexistent"), dataFile: "f")
        #expect(dv.rowIndexes == [3, 4, 7, 11, 18, 29])
        #expect(dv.keepMask(start: 0, count: 8) == [true, true, true, false, false, true, true, false])
        #expect(dv.keepMask(start: 30, count: 5) == nil)
    }

    @Test("Z85 and the UUID path of storage type u, with and without a random prefix")
    func paths() throws {
        let storage = LocalStorage(root: "/tmp/t")
        let d = DeletionVectorDescriptor(storageType: "u", pathOrInlineDv: "vBn[lx{q8@P<9BNH/isA", offset: 1, sizeInBytes: 36, cardinality: 2)
        #expect(try d.relativePath(in: storage) == "deletion_vector_61d16c75-6994-46b7-a15b-8b538852e50e.bin")
        // The protocol's example: prefix "ab", UUID d2c639aa-8816-431a-aaf6-d3fe2512ff61.
        let p = DeletionVectorDescriptor(storageType: "u", pathOrInlineDv: "ab^-aqEH.-t@S}K{vb[*k^", offset: 4, sizeInBytes: 40, cardinality: 6)
        #expect(try p.relativePath(in: storage) == "ab/deletion_vector_d2c639aa-8816-431a-aaf6-d3fe2512ff61.bin")
        let bytes: [UInt8] = Array(0..<16)
        #expect(Z85.decode(Substring(Z85.encode(bytes))) == bytes)
        #expect(Z85.decode("abc") == nil)
        #expect(Z85.decode("ab\"cd") == nil)
        let abs = DeletionVectorDescriptor(storageType: "p", pathOrInlineDv: "file:///tmp/t/dv%20x.bin", sizeInBytes: 40, cardinality: 1)
        #expect(try abs.relativePath(in: storage) == "dv x.bin")
        let outside = DeletionVectorDescriptor(storageType: "p", pathOrInlineDv: "s3://bucket/other/dv.bin", sizeInBytes: 40, cardinality: 1)
        #expect(throws: DeltaError.self) { try outside.relativePath(in: storage) }
        let escape = DeletionVectorDescriptor(storageType: "p", pathOrInlineDv: "/tmp/other/dv.bin", sizeInBytes: 40, cardinality: 1)
        let e = try #require(throws: DeltaError.self) { try escape.relativePath(in: storage) }
        #expect(e.code == .pathEscapesTable)
        let unknown = DeletionVectorDescriptor(storageType: "x", pathOrInlineDv: "", sizeInBytes: 40, cardinality: 1)
        #expect((try? unknown.relativePath(in: storage)) == nil)
    }

    @Test("array, bitmap and run containers, several buckets", arguments: [false, true])
    func containers(runs: Bool) throws {
        var rows: [Int64] = [0, 1, 2, 65535, 65536, 70000]
        rows += (100_000..<106_000).map { Int64($0) }          // > 4096 values in one container: a bitmap
        rows += [(Int64(1) << 32) + 5, (Int64(3) << 32) + 1]    // buckets 1 and 3
        let bytes = RoaringWriter.serialize(rows, runs: runs)
        let dv = try DeletionVector.deserialize(bytes, range: 0..<bytes.count)
        #expect(dv.cardinality == Int64(rows.count))
        #expect(dv.rowIndexes == rows.sorted())
        #expect(dv.contains(65535) && dv.contains(103_000) && !dv.contains(3) && dv.contains((Int64(3) << 32) + 1))
        #expect(dv.maxRowIndex == (Int64(3) << 32) + 1)
        let mask = try #require(dv.keepMask(start: 65_530, count: 10))
        #expect(mask == [true, true, true, true, true, false, false, true, true, true])
        // Truncation and trailing garbage are errors, never crashes.
        for cut in [3, 11, 17, bytes.count / 2, bytes.count - 1] {
            #expect(throws: RoaringFormatError.self) { try DeletionVector.deserialize(bytes, range: 0..<cut) }
        }
        #expect(throws: RoaringFormatError.self) { try DeletionVector.deserialize(bytes + [0], range: 0..<(bytes.count + 1)) }
    }

    /// A table of one data file of `rows` rows (ids 0..<rows, several row groups), its deletion
    /// vectors given per commit.
    static func makeTable(rows: Int, partitioned: Bool = false) throws -> String {
        let root = try Fixtures.scratchDirectory("dv")
        let ids = try Column((0..<rows).map { Scalar.int(Int64($0)) }, type: .int64)
        let batch = try RecordBatch(schema: Schema([Field("id", .int64)]), columns: [ids])
        var options = ParquetWriteOptions()
        options.rowGroupSize = 1000
        let dir = partitioned ? root + "/p=a" : root
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try ParquetFileWriter.write([batch], to: dir + "/data.parquet", options: options)
        return root
    }

    /// Commits `version`: the table at 0, else replaces the file's previous logical file
    /// (`previous`: its deletion vector JSON) with one carrying `dv`.
    static func commit(_ root: String, _ version: Int64, dv: String?, previous: String? = nil, partitioned: Bool = false, rows: Int) throws {
        let path = partitioned ? "p=a/data.parquet" : "data.parquet"
        let pv = partitioned ? #"{"p":"a"}"# : "{}"
        var lines: [String] = []
        if version == 0 {
            lines.append(#"{"protocol":{"minReaderVersion":3,"minWriterVersion":7,"readerFeatures":["deletionVectors"],"writerFeatures":["deletionVectors"]}}"#)
            let p = partitioned ? #",{\"name\":\"p\",\"type\":\"string\",\"nullable\":true,\"metadata\":{}}"# : ""
            lines.append(#"{"metaData":{"id":"x","format":{"provider":"parquet","options":{}},"schemaString":"{\"type\":\"struct\",\"fields\":[{\"name\":\"id\",\"type\":\"long\",\"nullable\":true,\"metadata\":{}}"# + p + #"]}","partitionColumns":["# + (partitioned ? #""p""# : "") + #"],"configuration":{"delta.enableDeletionVectors":"true"},"createdTime":1}}"#)
        } else {
            lines.append(#"{"remove":{"path":""# + path + #"","deletionTimestamp":2,"dataChange":true"# + (previous.map { #","deletionVector":"# + $0 } ?? "") + "}}")
        }
        let size = (try FileManager.default.attributesOfItem(atPath: root + "/" + path)[.size] as? Int) ?? 0
        lines.append(#"{"add":{"path":""# + path + #"","partitionValues":"# + pv + #","size":\#(size),"modificationTime":1,"dataChange":true,"stats":"{\"numRecords\":\#(rows)}""# + (dv.map { #","deletionVector":"# + $0 } ?? "") + "}}")
        try Fixtures.writeCommit(root, version, lines)
    }

    static func ids(_ root: String, version: Int64? = nil) throws -> [Int64] {
        let table = Table(path: root)
        let snapshot = try version.map { try table.snapshot(version: $0) } ?? table.snapshot()
        var out: [Int64] = []
        for b in try table.scan(snapshot, columns: ["id"]).readAll() {
            for r in 0..<b.count { if case .int(let v) = b.columns[0].scalar(at: r) { out.append(v) } }
        }
        return out
    }

    @Test("scans drop the rows of inline, relative (with prefix) and absolute deletion vectors, across row groups")
    func scans() throws {
        let rows = 5000
        for partitioned in [false, true] {
            let root = try Self.makeTable(rows: rows, partitioned: partitioned)
            defer { Fixtures.remove(root) }
            // v1: inline; v2: relative path with prefix "zz", two vectors in one file; v3: absolute path.
            let inlineRows: [Int64] = [0, 999, 1000, 4999]
            let inline = RoaringWriter.serialize(inlineRows)
            let fileRows: [Int64] = Array(1500..<1600) + [2000]
            let (file, offsets) = RoaringWriter.file([RoaringWriter.serialize([7]), RoaringWriter.serialize(fileRows, runs: true)])
            let uuid: [UInt8] = [0x61, 0xd1, 0x6c, 0x75, 0x69, 0x94, 0x46, 0xb7, 0xa1, 0x5b, 0x8b, 0x53, 0x88, 0x52, 0xe5, 0x0e]
            try Fixtures.write("", to: root + "/zz/.keep")
            try Data(file).write(to: URL(fileURLWithPath: root + "/zz/deletion_vector_61d16c75-6994-46b7-a15b-8b538852e50e.bin"))
            try Data(file).write(to: URL(fileURLWithPath: root + "/abs.bin"))
            try Self.commit(root, 0, dv: nil, partitioned: partitioned, rows: rows)
            let size = fileRows.count
            let second = RoaringWriter.serialize(fileRows, runs: true).count
            let dvs = [#"{"storageType":"i","pathOrInlineDv":"\#(Z85.encode(inline))","sizeInBytes":\#(inline.count),"cardinality":4}"#,
                       #"{"storageType":"u","pathOrInlineDv":"zz\#(Z85.encode(uuid))","offset":\#(offsets[1]),"sizeInBytes":\#(second),"cardinality":\#(size)}"#,
                       #"{"storageType":"p","pathOrInlineDv":"file://\#(root)/abs.bin","offset":\#(offsets[1]),"sizeInBytes":\#(second),"cardinality":\#(size)}"#]
            for (i, dv) in dvs.enumerated() {
                try Self.commit(root, Int64(i + 1), dv: dv, previous: i > 0 ? dvs[i - 1] : nil, partitioned: partitioned, rows: rows)
            }

            #expect(try Self.ids(root, version: 0).count == rows)
            let v1 = try Self.ids(root, version: 1)
            #expect(v1.count == rows - 4 && Set(v1).isDisjoint(with: inlineRows))
            let v2 = try Self.ids(root, version: 2)
            #expect(v2.count == rows - size && Set(v2).isDisjoint(with: fileRows) && v2.contains(0))
            #expect(try Self.ids(root, version: 3) == v2)
            if partitioned {
                let table = Table(path: root)
                let batches = try table.scan(table.snapshot(version: 2), columns: ["p"]).readAll()
                #expect(batches.reduce(0) { $0 + $1.count } == rows - size)
            }
        }
    }

    @Test("deletion vectors on a column-mapped table, with a predicate")
    func columnMapped() throws {
        let root = try Self.makeTable(rows: 3000)
        defer { Fixtures.remove(root) }
        let inline = RoaringWriter.serialize([5, 1500, 2999])
        let dv = #"{"storageType":"i","pathOrInlineDv":"\#(Z85.encode(inline))","sizeInBytes":\#(inline.count),"cardinality":3}"#
        let size = (try FileManager.default.attributesOfItem(atPath: root + "/data.parquet")[.size] as? Int) ?? 0
        try Fixtures.writeCommit(root, 0, [
            #"{"protocol":{"minReaderVersion":3,"minWriterVersion":7,"readerFeatures":["deletionVectors","columnMapping"],"writerFeatures":["deletionVectors","columnMapping"]}}"#,
            #"{"metaData":{"id":"x","format":{"provider":"parquet","options":{}},"schemaString":"{\"type\":\"struct\",\"fields\":[{\"name\":\"key\",\"type\":\"long\",\"nullable\":true,\"metadata\":{\"delta.columnMapping.id\":1,\"delta.columnMapping.physicalName\":\"id\"}}]}","partitionColumns":[],"configuration":{"delta.columnMapping.mode":"name"},"createdTime":1}}"#,
            #"{"add":{"path":"data.parquet","partitionValues":{},"size":\#(size),"modificationTime":1,"dataChange":true,"stats":"{\"numRecords\":3000,\"minValues\":{\"id\":0},\"maxValues\":{\"id\":2999},\"nullCount\":{\"id\":0},\"tightBounds\":false}","deletionVector":\#(dv)}}"#,
        ])
        let table = Table(path: root)
        let all = try table.scan(columns: ["key"]).readAll()
        #expect(all.reduce(0) { $0 + $1.count } == 2997)
        let some = try table.scan(columns: ["key"], where: .comparison(column: "key", op: .greaterOrEqual, value: .int(1499))).readAll()
        var keys: [Int64] = []
        for b in some { for r in 0..<b.count { if case .int(let v) = b.columns[0].scalar(at: r) { keys.append(v) } } }
        #expect(keys.count == 1499 && !keys.contains(1500) && !keys.contains(2999) && keys.contains(1499))
    }

    @Test("corrupt deletion vectors are clear errors naming the data file")
    func corrupt() throws {
        let root = try Self.makeTable(rows: 100)
        defer { Fixtures.remove(root) }
        let good = RoaringWriter.serialize([1, 2, 3])
        var (file, offsets) = RoaringWriter.file([good])
        file[file.count - 1] ^= 0xFF  // checksum
        try Data(file).write(to: URL(fileURLWithPath: root + "/bad.bin"))
        try Self.commit(root, 0, dv: nil, rows: 100)
        let cases: [(String, DeltaError.Code, String)] = [
            (#"{"storageType":"p","pathOrInlineDv":"bad.bin","offset":\#(offsets[0]),"sizeInBytes":\#(good.count),"cardinality":3}"#, .corruptData, "checksum"),
            (#"{"storageType":"i","pathOrInlineDv":"\#(Z85.encode(good))","sizeInBytes":\#(good.count),"cardinality":4}"#, .corruptData, "log says 4"),
            (#"{"storageType":"u","pathOrInlineDv":"\#(Z85.encode(Array(repeating: 7, count: 16)))","offset":1,"sizeInBytes":\#(good.count),"cardinality":3}"#, .fileNotFound, "missing"),
            (#"{"storageType":"i","pathOrInlineDv":"\#(Z85.encode(RoaringWriter.serialize([100])))","sizeInBytes":\#(good.count - 4),"cardinality":1}"#, .corruptData, "deletes row 100"),
            (#"{"storageType":"i","pathOrInlineDv":"\#(Z85.encode(RoaringWriter.serialize([100])))","sizeInBytes":\#(good.count - 2),"cardinality":1}"#, .corruptLog, "bytes follow the bitmap"),
        ]
        for (i, (dv, code, word)) in cases.enumerated() {
            try Self.commit(root, Int64(i + 1), dv: dv, previous: i > 0 ? cases[i - 1].0 : nil, rows: 100)
            let error = try #require(throws: DeltaError.self) { try Self.ids(root, version: Int64(i + 1)) }
            #expect(error.code == code && error.message.contains(word) && error.message.contains("data.parquet"), "\(i): \(error)")
        }
    }

    @Test("the golden DV file of table-with-dv-small", .enabled(if: Fixtures.goldenAvailable))
    func goldenFile() throws {
        let d = DeletionVectorDescriptor(storageType: "u", pathOrInlineDv: "vBn[lx{q8@P<9BNH/isA", offset: 1, sizeInBytes: 36, cardinality: 2)
        let dv = try DeletionVector.load(d, storage: LocalStorage(root: Fixtures.golden("table-with-dv-small")), dataFile: "f")
        #expect(dv.rowIndexes == [0, 9])
    }
}
