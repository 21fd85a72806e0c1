import Testing
@testable import Floe

@Suite("Schema DDL")
struct SchemaDDLTests {
    @Test("every type, aliases, NOT NULL, nesting and quoted names")
    func allTypes() throws {
        let schema = try StructType(ddl: """
            id long not null, i int, i2 INTEGER, big bigint, t tinyint, b byte, s smallint, sh short,
            f float, r real, d double, dec decimal(10,2), d5 decimal(5), dd decimal, n numeric(38, 38),
            str string, v varchar(20), bin binary, ok boolean, ok2 bool, day date, ts timestamp,
            ntz timestamp_ntz, tags array<string>, attrs map<string,string>,
            loc struct<lat:double,lon:double not null>, nested array<map<int, array<struct<`a b`: long>>>>,
            `select` string COMMENT 'a keyword', `we``ird` int, 日本 string
            """)
        let types = schema.fields.map(\.type)
        #expect(types[0] == .long && !schema.fields[0].nullable)
        #expect(Array(types[1...7]) == [.integer, .integer, .long, .byte, .byte, .short, .short])
        #expect(Array(types[8...14]) == [.float, .float, .double, .decimal(precision: 10, scale: 2), .decimal(precision: 5, scale: 0),
                                         .decimal(precision: 10, scale: 0), .decimal(precision: 38, scale: 38)])
        #expect(Array(types[15...22]) == [.string, .string, .binary, .boolean, .boolean, .date, .timestamp, .timestampNtz])
        #expect(types[23] == .array(ArrayType(elementType: .string)))
        #expect(types[24] == .map(MapType(keyType: .string, valueType: .string)))
        #expect(types[25] == .struct(StructType([StructField(name: "lat", type: .double),
                                                 StructField(name: "lon", type: .double, nullable: false)])))
        let inner = DeltaType.struct(StructType([StructField(name: "a b", type: .long)]))
        #expect(types[26] == .array(ArrayType(elementType: .map(MapType(keyType: .integer, valueType: .array(ArrayType(elementType: inner)))))))
        #expect(schema.fields[27].name == "select")
        #expect(schema.fields[27].metadata["comment"] == .string("a keyword"))
        #expect(schema.fields[28].name == "we`ird")
        #expect(schema.fields[29].name == "日本")
        // The DDL form reads back to the same schema (comments aside).
        var plain = schema
        plain.fields[27].metadata = [:]
        #expect(try StructType(ddl: schema.ddl) == plain)
        #expect(schema.fields[25].type.ddl == "struct<lat:double,lon:double not null>")
    }

    @Test("errors name the position")
    func errors() {
        let cases: [(String, String)] = [
            ("", "position 1: expected a column definition"),
            ("id", "position 3: expected a type"),
            ("id lng", "position 4: unknown type 'lng'"),
            ("id long,", "position 9: expected a column name"),
            ("id long name string", "position 9: expected ',' or the end"),
            ("d decimal(39,1)", "position 11: decimal precision must be between 1 and 38"),
            ("d decimal(5,6)", "decimal scale 6 exceeds precision 5"),
            ("d decimal(5,", "position 13: expected a scale"),
            ("a array<string", "position 15: expected '>' to close ARRAY<"),
            ("m map<string>", "position 13: expected ','"),
            ("s struct<>", "position 9: expected '<' after STRUCT"),
            ("s struct< >", "a STRUCT needs at least one field"),
            ("x long not", "expected NULL after NOT"),
            ("`open long", "position 1: unterminated quoted name"),
            ("x long comment 5", "expected a quoted comment"),
            ("x long; drop table", "unexpected character ';'"),
            ("a long, A string", "duplicate column name 'A'"),
            ("s struct<a:int, a:long>", "duplicate column name 's.a'"),
            ("n 12abc", "malformed number"),
        ]
        for (text, fragment) in cases {
            do {
                _ = try StructType(ddl: text)
                Issue.record("\(text) parsed")
            } catch let e as DeltaError {
                #expect(e.code == .invalidArgument, "\(text)")
                #expect(e.message.contains(fragment), "\(text): \(e.message)")
            } catch {
                Issue.record("\(text): \(error)")
            }
        }
    }

    @Test("garbage never traps")
    func garbage() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("abc <>(),:`'\"0123456789 not null struct array map decimal\u{0}\n\t-é")
        for _ in 0..<2_000 {
            let text = String((0..<Int.random(in: 0...40, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
            _ = try? StructType(ddl: text)
        }
        let deep = String(repeating: "array<", count: 10_000) + "int" + String(repeating: ">", count: 10_000)
        #expect(throws: DeltaError.self) { try StructType(ddl: "x " + deep) }
    }
}
