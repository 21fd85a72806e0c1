import Foundation
import Testing
import FloeColumnar
@testable import Floe

@Suite("Row input (ndjson, CSV)")
struct RowInputTests {
    /// Every input type: the schema the ndjson/CSV fuzz target decodes into, too.
    static let schema = DeltaFuzzing.rowSchema

    /// Decodes `text` fully (in small chunks, to exercise records split across reads).
    static func decode(_ text: String, format: RowInputFormat = .ndjson, schema: Schema = schema,
                       newColumns: Bool = false, chunk: Int = 7) throws -> [RecordBatch] {
        var splitter = RecordSplitter(format: format)
        let decoder = RowDecoder(schema: schema, allowsNewColumns: newColumns)
        let bytes = Array(text.utf8)
        var records: [InputRecord] = []
        var start = 0
        while start < bytes.count {
            records += try splitter.feed(bytes[start..<min(bytes.count, start + chunk)])
            start += chunk
        }
        records += try splitter.finish()
        if let header = splitter.csvHeader { try decoder.setCSVHeader(header, line: splitter.csvHeaderLine) }
        for r in records { try decoder.append(r) }
        return try decoder.finish().map { [$0] } ?? []
    }

    static func rows(_ batches: [RecordBatch]) -> [[Scalar]] {
        batches.flatMap { b in (0..<b.count).map { r in b.columns.map { $0.scalar(at: r) } } }
    }

    static func error(_ body: () throws -> Void) -> String {
        do { try body(); return "no error" } catch let e as DeltaError { return e.message } catch { return "\(error)" }
    }

    @Test("every type from ndjson, in all accepted forms")
    func ndjsonTypes() throws {
        let text = """
            \u{FEFF}{"id":1,"i":-5,"s":300,"b":-128,"f":1.5,"d":"NaN","dec":"12.30","str":"x\\n\\u00e9","bin":"aGk=","day":"2026-11-24","ts":"2026-11-24T10:00:00.5Z","ntz":"2026-11-24T10:00:00","tags":[1,null],"attrs":[["a",1]],"loc":{"lat":1,"lon":2.5},"ok":true}
            {"ID":2,"i":"7","f":"-Infinity","d":1e3,"dec":3,"str":42,"ts":1000000,"ntz":"2026-11-24 10:00:00+02:00","tags":[],"attrs":{"k":null},"loc":{"LON":0},"ok":"false"}\r

            {"id":3,"dec":"-0.5","day":null,"ts":"2026-11-24T11:00:00+01:00","attrs":[{"key":"z","value":9}]}
            """
        let rows = Self.rows(try Self.decode(text))
        #expect(rows.count == 3)
        var first = rows[0]
        if case .float(let nan) = first[5] { #expect(nan.isNaN) } else { Issue.record("d is not NaN") }
        first[5] = .null
        #expect(first == [.int(1), .int(-5), .int(300), .int(-128), .float(1.5), .null, .decimal(1230), .string("x\né"),
                            .binary([104, 105]), .int(20_781), .int(1_795_514_400_500_000), .int(1_795_514_400_000_000),
                            .list([.int(1), .null]), .map([Scalar.MapEntry(key: .string("a"), value: .int(1))]),
                            .structure([.float(1), .float(2.5)]), .bool(true)])
        #expect(rows[1] == [.int(2), .int(7), .null, .null, .float(-.infinity), .float(1000), .decimal(300), .string("42"), .null, .null,
                            .int(1_000_000), .int(1_795_507_200_000_000), .list([]), .map([Scalar.MapEntry(key: .string("k"), value: .null)]),
                            .structure([.null, .float(0)]), .bool(false)])
        #expect(rows[2][6] == .decimal(-50))
        #expect(rows[2][10] == .int(1_795_514_400_000_000))
        #expect(rows[2][13] == .map([Scalar.MapEntry(key: .string("z"), value: .int(9))]))
    }

    @Test("malformed lines and values that do not fit name the line and column")
    func ndjsonErrors() {
        let cases: [(String, String)] = [
            ("{\"id\":1}\n{\"id\":2,}\n", "line 2: malformed JSON"),
            ("{\"id\":1}\n\n\n{\"id\":\n", "line 4: malformed JSON: unexpected end of input"),
            ("{\"id\":1} {\"id\":2}\n", "line 1: malformed JSON: unexpected data after the JSON value"),
            ("\"just a string\"\n", "line 1: expected a JSON object, found a string"),
            ("{\"id\":1,\"zzz\":2}\n", "line 1: unknown column 'zzz'"),
            ("{\"id\":1,\"ID\":2}\n", "line 1: column 'ID' appears more than once in the record"),
            ("{\"i\":1}\n", "line 1, column 'id': the column is NOT NULL but the value is missing"),
            ("{\"id\":null}\n", "line 1, column 'id': the column is NOT NULL but the value is null"),
            ("{\"id\":1.5}\n", "line 1, column 'id': 1.5 is not a valid long"),
            ("{\"id\":1,\"i\":3000000000}\n", "line 1, column 'i': 3000000000 is out of range for integer"),
            ("{\"id\":1,\"b\":128}\n", "column 'b': 128 is out of range for byte"),
            ("{\"id\":1,\"f\":\"fast\"}\n", "column 'f': \"fast\" is not a valid float"),
            ("{\"id\":1,\"dec\":\"10000\"}\n", "column 'dec': 10000 does not fit decimal(6,2)"),
            ("{\"id\":1,\"dec\":1.005}\n", "column 'dec': 1.005 does not fit decimal(6,2)"),
            ("{\"id\":1,\"dec\":true}\n", "column 'dec': true is not a valid decimal(6,2)"),
            ("{\"id\":1,\"str\":{}}\n", "column 'str': expected a string, found an object"),
            ("{\"id\":1,\"bin\":\"***\"}\n", "column 'bin': \"***\" is not valid base64"),
            ("{\"id\":1,\"day\":\"24/11/2026\"}\n", "column 'day': \"24/11/2026\" is not a valid date"),
            ("{\"id\":1,\"ts\":\"noon\"}\n", "column 'ts': \"noon\" is not a valid timestamp"),
            ("{\"id\":1,\"ts\":1.5}\n", "column 'ts': 1.5 is not a whole number"),
            ("{\"id\":1,\"tags\":[1,\"x\"]}\n", "column 'tags[1]'"),
            ("{\"id\":1,\"attrs\":[[\"a\"]]}\n", "column 'attrs': map entries must be [key, value] pairs"),
            ("{\"id\":1,\"attrs\":[[null,1]]}\n", "map keys may not be null"),
            ("{\"id\":1,\"loc\":{\"lat\":1}}\n", "column 'loc.lon': the field is NOT NULL"),
            ("{\"id\":1,\"loc\":{\"lat\":1,\"lon\":1,\"alt\":3}}\n", "column 'loc': unknown field 'alt'"),
            ("{\"id\":1,\"loc\":[1,2]}\n", "column 'loc': expected an object, found an array"),
            ("{\"id\":1,\"ok\":\"yes\"}\n", "column 'ok': \"yes\" is not a valid boolean"),
            ("{\"id\":1,\"tags\":" + String(repeating: "[", count: 2000) + "\n", "line 1: malformed JSON"),
        ]
        for (text, fragment) in cases {
            let message = Self.error { _ = try Self.decode(text) }
            #expect(message.contains(fragment), "\(text): \(message)")
        }
    }

    @Test("CSV: header in any order, RFC 4180 quoting, nulls, the same values as text")
    func csv() throws {
        let schema = Schema([Field("id", .int64), Field("name", .string), Field("price", .decimal(precision: 8, scale: 2)),
                             Field("at", .timestamp(.microsecond, timezone: "UTC")), Field("ok", .boolean),
                             Field("loc", .struct([Field("lat", .float64)])), Field("f", .float64)])
        let text = "name,ID,price,at,ok,loc,f\r\n"
            + "\"Smith, \"\"J\"\"\",1,12.5,2026-11-24T10:00:00Z,true,\"{\"\"lat\"\":1.5}\",NaN\r\n"
            + ",2,,,,,\n"
            + "\"\",3, 7 ,1000000,FALSE,,-Infinity\n"
            + "\"multi\nline\",4,0.01,2026-11-24,1,,2.5"  // no final newline
        let rows = Self.rows(try Self.decode(text, format: .csv, schema: schema, chunk: 5))
        #expect(rows.count == 4)
        #expect(rows[0][0] == .int(1) && rows[0][1] == .string("Smith, \"J\"") && rows[0][2] == .decimal(1250))
        #expect(rows[0][3] == .int(1_795_514_400_000_000) && rows[0][4] == .bool(true) && rows[0][5] == .structure([.float(1.5)]))
        #expect(rows[1] == [.int(2), .null, .null, .null, .null, .null, .null])
        #expect(rows[2][1] == .string("") && rows[2][2] == .decimal(700) && rows[2][3] == .int(1_000_000) && rows[2][4] == .bool(false))
        #expect(rows[2][6] == .float(-.infinity))
        #expect(rows[3][1] == .string("multi\nline") && rows[3][3] == .int(1_795_478_400_000_000))

        let errors: [(String, String)] = [
            ("id,name\n1,\"x\n", "line 2: unterminated quoted CSV field"),
            ("id,name\n1,\"x\"y\n", "line 2: unexpected character after a closing quote"),
            ("id,name\n1\n", "line 2: 1 field but the CSV header has 2"),
            ("id,id\n1,2\n", "line 1: CSV header names column 'id' twice"),
            ("id,,name\n", "line 1: CSV header field 2 is empty"),
            ("id,nope\n", "line 1: unknown column 'nope'"),
            ("id,name\n\n\nx,y\n", "line 4, column 'id': \"x\" is not a valid long"),
            ("id,name\n1,\"a\nb\"\n3,\"b\nc\nd\"\nz,q\n", "line 7, column 'id'"),
            ("price\n1.234\n", "line 2, column 'price': 1.234 does not fit decimal(8,2)"),
            ("loc\n{bad\n", "line 2, column 'loc': malformed JSON"),
        ]
        for (text, fragment) in errors {
            let message = Self.error { _ = try Self.decode(text, format: .csv, schema: schema) }
            #expect(message.contains(fragment), "\(text): \(message)")
        }
    }

    @Test("a record naming a new column twice is refused, not decoded into a ragged batch (found by fuzzing)")
    func duplicateNewColumn() {
        let error = #expect(throws: DeltaError.self) {
            _ = try Self.decode("{\"id\":3,\"extra\":[{\"a\":1}],\"Extra\":null}\n", newColumns: true)
        }
        #expect(error?.message.contains("line 1: column 'Extra' appears more than once") == true, "\(String(describing: error))")
    }

    @Test("new columns are typed from their values when allowed")
    func newColumns() throws {
        let schema = Schema([Field("id", .int64)])
        let batches = try Self.decode("""
            {"id":1,"n":1,"tags":["a"],"loc":{"x":1}}
            {"id":2,"n":2.5,"flag":true,"none":null,"loc":{"y":"z"}}
            """, schema: schema, newColumns: true)
        let batch = try #require(batches.first)
        #expect(batch.schema.fields.map(\.name) == ["id", "n", "tags", "loc", "flag"])
        #expect(batch.schema.fields[1].dataType == .float64)
        #expect(batch.schema.fields[2].dataType == .list(Field("element", .string)))
        #expect(batch.schema.fields[3].dataType == .struct([Field("x", .int64), Field("y", .string)]))
        #expect(Self.rows(batches)[0] == [.int(1), .float(1), .list([.string("a")]), .structure([.int(1), .null]), .null])
        let message = Self.error { _ = try Self.decode("{\"id\":1,\"n\":1}\n{\"id\":2,\"n\":\"x\"}\n", schema: schema, newColumns: true) }
        #expect(message.contains("line 2, column 'n'"), "\(message)")
        let csv = try Self.decode("id,score,label,flag\n1,2,x,true\n2,2.5,,false\n", format: .csv, schema: schema, newColumns: true)
        #expect(csv[0].schema.fields.map(\.dataType) == [.int64, .float64, .string, .boolean])
    }

    @Test("random bytes never trap the splitter or decoder")
    func garbage() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("{}[]\",:0123456789.eE-+ntrufalsNI\\\n\r\t abc\u{0}é".utf8)
        for i in 0..<1_500 {
            let bytes = (0..<Int.random(in: 0...80, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
            let text = String(decoding: bytes, as: UTF8.self)
            _ = try? Self.decode(text, format: i % 2 == 0 ? .ndjson : .csv, newColumns: i % 3 == 0)
        }
    }
}
