import Testing
@testable import Floe

@Suite("Partition values and paths")
struct PartitionTests {
    @Test("Hive-style escaping matches Spark")
    func escape() {
        #expect(PathCoding.escapePartitionName("A/A") == "A%2FA")
        #expect(PathCoding.escapePartitionName("a:b=c?d#e%f\"g\\h'i*j{k[l]m^n") == "a%3Ab%3Dc%3Fd%23e%25f%22g%5Ch%27i%2Aj%7Bk%5Bl%5Dm%5En")
        #expect(PathCoding.escapePartitionName("tab\there\u{7F}") == "tab%09here%7F")
        #expect(PathCoding.escapePartitionName("B B é 😀 <>|") == "B B é 😀 <>|")
        for text in ["A/A", "100%", "a=b:c", "x\u{01}y", "plain", "日本/語", "%", "%4"] {
            #expect(PathCoding.unescapePartitionName(PathCoding.escapePartitionName(text)) == text)
        }
        #expect(PathCoding.unescapePartitionName("a%2") == "a%2")
        #expect(PathCoding.unescapePartitionName("a%zz") == "a%zz")
    }

    @Test("partition directories")
    func directories() throws {
        let dir = PathCoding.partitionDirectory(columns: ["year", "city", "k"], values: ["year": "2024", "city": "S:F", "k": nil])
        #expect(dir == "year=2024/city=S%3AF/k=__HIVE_DEFAULT_PARTITION__")
        let parsed = try PathCoding.parsePartitionDirectory(dir)
        #expect(parsed.map(\.column) == ["year", "city", "k"])
        #expect(parsed.map(\.value) == ["2024", "S:F", nil])
        #expect(PathCoding.partitionDirectory(columns: ["e"], values: ["e": ""]) == "e=__HIVE_DEFAULT_PARTITION__")
    }

    @Test("log paths are URI-decoded and encoded")
    func uriPaths() {
        #expect(PathCoding.decodeURIPath("x=B%2520B/part%20one.parquet") == "x=B%20B/part one.parquet")
        #expect(PathCoding.decodeURIPath("bad%zzescape%") == "bad%zzescape%")
        let raw = "p=A%2FA/file name#1?.parquet"
        let encoded = PathCoding.encodeURIPath(raw)
        #expect(encoded == "p=A%252FA/file%20name%231%3F.parquet")
        #expect(PathCoding.decodeURIPath(encoded) == raw)
        #expect(PathCoding.encodeURIPath("é/ok-._~") == "é/ok-._~")
    }

    @Test("partition value serialization")
    func values() throws {
        #expect(PartitionValue.date(daysSinceEpoch: 0).serialized == "1970-01-01")
        #expect(PartitionValue.date(daysSinceEpoch: 19_000).serialized == "2022-01-08")
        #expect(PartitionValue.date(daysSinceEpoch: -1).serialized == "1969-12-31")
        #expect(PartitionValue.timestamp(microsecondsSinceEpoch: 0).serialized == "1970-01-01 00:00:00")
        #expect(PartitionValue.timestamp(microsecondsSinceEpoch: 123_456).serialized == "1970-01-01 00:00:00.123456")
        #expect(PartitionValue.timestampNtz(microsecondsSinceEpoch: -1).serialized == "1969-12-31 23:59:59.999999")
        #expect(PartitionValue.null.serialized == nil)
        #expect(PartitionValue.boolean(true).serialized == "true")
        #expect(PartitionValue.double(1.5).serialized == "1.5")
        #expect(PartitionValue.double(.nan).serialized == "NaN")
        #expect(PartitionValue.long(-9).serialized == "-9")

        #expect(try PartitionValue(parsing: "2022-01-08", as: .date) == .date(daysSinceEpoch: 19_000))
        #expect(try PartitionValue(parsing: "", as: .integer) == .null)
        #expect(try PartitionValue(parsing: nil, as: .string) == .null)
        #expect(try PartitionValue(parsing: "1970-01-01 00:00:00.123456", as: .timestamp) == .timestamp(microsecondsSinceEpoch: 123_456))
        #expect(try PartitionValue(parsing: "1970-01-01T00:00:01.5Z", as: .timestamp) == .timestamp(microsecondsSinceEpoch: 1_500_000))
        #expect(try PartitionValue(parsing: "1970-01-01T01:00:00+01:00", as: .timestamp) == .timestamp(microsecondsSinceEpoch: 0))
        #expect(try PartitionValue(parsing: "2021-02-03 04:05:06", as: .timestampNtz).serialized == "2021-02-03 04:05:06")
        #expect(try PartitionValue(parsing: "12.50", as: .decimal(precision: 5, scale: 2)) == .decimal("12.50"))
        #expect(throws: DeltaError.self) { try PartitionValue(parsing: "2021-02-30", as: .date) }
        #expect(throws: DeltaError.self) { try PartitionValue(parsing: "x", as: .integer) }
        #expect(throws: DeltaError.self) { try PartitionValue(parsing: "300", as: .byte) }
    }
}
