import Foundation
import FloeColumnar
@testable import Floe

/// Rows of every Delta type Floe writes, as ndjson objects (the CLI's value encoding, which both
/// Floe's ``RowDecoder`` and `delta_interop.py` read), deterministic in the row id: edge values
/// (extremes, NaN, ±infinity, -0.0, empty and long strings, every-byte binary, dates and
/// timestamps before 1970 and far in the future) and nulls at every nesting level.
enum InteropData {
    /// Every type, nested included; `id` is NOT NULL.
    static let allTypesDDL = """
        id long not null, b byte, s short, i int, f float, d double, dec decimal(12,3), str string, bin binary,
        flag boolean, day date, ts timestamp, ntz timestamp_ntz, tags array<string>, attrs map<string,long>,
        loc struct<lat:double, lon:double, name:string>, items array<struct<k:string, v:array<int>>>
        """

    /// The all-types schema after schema evolution: a new top-level column and a new nested field.
    static let allTypesEvolvedDDL = """
        id long not null, b byte, s short, i int, f float, d double, dec decimal(12,3), str string, bin binary,
        flag boolean, day date, ts timestamp, ntz timestamp_ntz, tags array<string>, attrs map<string,long>,
        loc struct<lat:double, lon:double, name:string, alt:double>, items array<struct<k:string, v:array<int>>>,
        extra string
        """

    /// A partitioned table's columns: partitions `region` (string with characters that need
    /// escaping, and null) and `day` (date).
    static let partitionedDDL = "id long not null, region string, day date, amount decimal(10,2), ts timestamp, payload struct<a:long, b:array<string>>"
    static let partitionedEvolvedDDL = partitionedDDL + ", note string"
    static let partitionColumns = ["region", "day"]

    /// Partitions of every partitionable kind but string and date (above): integer, boolean,
    /// timestamp, decimal, timestamp_ntz; and column names that need quoting.
    static let typedPartitionsDDL = "id long not null, n int, flag boolean, ts timestamp, dec decimal(6,2), ntz timestamp_ntz, `col with space` string, `ünï` long"
    static let typedPartitionColumns = ["n", "flag", "ts", "dec", "ntz"]

    /// Row `id` of the typed-partitions schema; decimals are negative only with `negative`.
    static func typedPartitionsRow(_ id: Int, negative: Bool = false) -> JSONValue {
        let nulls = id % 4 == 3
        return .object([
            "id": .int(Int64(id)),
            "n": nulls ? .null : .int(Int64(id % 2 == 0 ? -5 : 7)),
            "flag": nulls ? .null : .bool(id % 3 == 0),
            "ts": nulls ? .null : .string(id % 2 == 0 ? "2024-01-01T10:11:12.345678Z" : "1999-12-31T23:59:59Z"),
            "dec": nulls ? .null : .string(negative ? "-1.50" : (id % 2 == 0 ? "1.50" : "20.05")),
            "ntz": nulls ? .null : .string(id % 2 == 0 ? "2024-01-01T10:00:00" : "2024-06-30T23:59:59.5"),
            "col with space": .string("v \(id)"),
            "ünï": .int(Int64(id * 3)),
        ])
    }

    static func schema(_ ddl: String) -> StructType {
        // The DDL above is fixed and valid; a parse failure is a test bug reported by the caller.
        (try? StructType(ddl: ddl)) ?? StructType([])
    }

    /// Row `id` of the all-types schema (with `evolved`, also `extra` and `loc.alt`).
    static func allTypesRow(_ id: Int, evolved: Bool = false) -> JSONValue {
        func pick(_ values: [JSONValue]) -> JSONValue { values[id % values.count] }
        let s = JSONValue.string
        var loc: JSONValue = pick([.object(["lat": .number(JSONNumber(1.5)), "lon": .number(JSONNumber(-2.25)), "name": s("here")]),
                                   .object(["lat": .null, "lon": .int(0), "name": .null]), .null])
        if evolved, case .object(var o) = loc { o["alt"] = id % 2 == 0 ? .number(JSONNumber(100.5)) : .null; loc = .object(o) }
        var row: JSONObject = [
            "id": .int(Int64(id)),
            "b": pick([.int(-128), .int(127), .int(0), .null, .int(5)]),
            "s": pick([.int(-32768), .int(32767), .int(7), .null]),
            "i": pick([.int(Int64(Int32.min)), .int(Int64(Int32.max)), .int(-1), .null, .int(42)]),
            "f": pick([.number(JSONNumber(1.5)), s("-0.0"), .null, s("NaN"), .number(JSONNumber(3.25e10))]),
            "d": pick([.number(JSONNumber(0.1)), .number(JSONNumber(-1e300)), s("NaN"), .null, s("Infinity"), s("-Infinity"), .number(JSONNumber(2.5))]),
            "dec": pick([s("123456789.123"), s("-0.001"), .null, s("0.000"), s("-999999999.999")]),
            "str": pick([s("plain \(id)"), s(""), .null, s("ünïcödé ✓ \(id)"), s("quote \" back\\ slash"),
                         s(String(repeating: "long", count: 10) + "\(id)"), s("tab\tnew\nline")]),
            "bin": pick([s("AAECAwQ="), s(""), .null, s("/w==")]),
            "flag": pick([.bool(true), .bool(false), .null]),
            "day": pick([s("2024-02-29"), s("1969-12-31"), .null, s("0001-01-01"), s("9999-12-31")]),
            "ts": pick([s("2024-03-10T12:34:56.789012Z"), s("1969-12-31T23:59:59.999999Z"), .null, s("2300-01-01T00:00:00Z"),
                        s("1900-01-01T00:00:00.5Z")]),
            "ntz": pick([s("2024-03-10T12:34:56.789012"), s("1900-01-01T00:00:00"), .null, s("2100-12-31T23:59:59.999999")]),
            "tags": pick([.array([s("a"), s("b")]), .array([]), .null, .array([s("x"), .null])]),
            "attrs": pick([.array([.array([s("k1"), .int(1)]), .array([s("k2"), .null])]), .array([]), .null]),
            "loc": loc,
            "items": pick([.array([.object(["k": s("a"), "v": .array([.int(1), .int(2)])]), .object(["k": .null, "v": .null])]),
                           .null, .array([]), .array([.object(["k": s("z"), "v": .array([.null])])])]),
        ]
        if evolved { row["extra"] = id % 3 == 0 ? .null : s("extra \(id)") }
        return .object(row)
    }

    /// Row `id` of the partitioned schema; `region` cycles through values that need escaping.
    static func partitionedRow(_ id: Int, region: String? = nil, day: String? = nil, evolved: Bool = false) -> JSONValue {
        let regions: [JSONValue] = [.string("eu west"), .string("us/east"), .string("100%"), .null, .string("ü=ö")]
        let days: [JSONValue] = [.string("2024-01-01"), .string("1969-07-20"), .null]
        var row: JSONObject = [
            "id": .int(Int64(id)),
            "region": region.map { .string($0) } ?? regions[id % regions.count],
            "day": day.map { .string($0) } ?? days[id % days.count],
            "amount": id % 4 == 3 ? .null : .string("\(id * 7 - 10).\(id % 10)5"),
            "ts": id % 5 == 4 ? .null : .string("2024-05-0\(id % 9 + 1)T0\(id % 10):00:00.25Z"),
            "payload": id % 3 == 2 ? .null : .object(["a": .int(Int64(id)), "b": .array([.string("p\(id)"), .null])]),
        ]
        if evolved { row["note"] = .string("note \(id)") }
        return .object(row)
    }

    /// Decodes ndjson rows into one batch of `schema`'s Arrow schema.
    static func batch(_ rows: [JSONValue], schema: StructType) throws -> RecordBatch {
        let decoder = RowDecoder(schema: try schema.arrowSchema())
        for (i, row) in rows.enumerated() {
            try decoder.append(InputRecord(line: i + 1, payload: .json(Array(row.jsonText.utf8))))
        }
        return try decoder.finish() ?? RecordBatch(schema: try schema.arrowSchema(), columns: try schema.arrowSchema().fields.map { Column.nulls($0.dataType, count: 0) }, count: 0)
    }
}
