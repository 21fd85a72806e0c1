import FloeColumnar

/// Random values of any type, with nulls where the field allows them.
enum RandomData {
    static func value(_ type: DataType, nullable: Bool, rng: inout SeededGenerator, depth: Int = 0) -> Scalar {
        if nullable && Int.random(in: 0..<5, using: &rng) == 0 { return .null }
        switch type {
        case .null: return .null
        case .boolean: return .bool(Bool.random(using: &rng))
        case .int8: return .int(Int64(Int8.random(in: .min ... .max, using: &rng)))
        case .int16: return .int(Int64(Int16.random(in: .min ... .max, using: &rng)))
        case .int32, .date32: return .int(Int64(Int32.random(in: -100_000 ... 100_000, using: &rng)))
        case .int64, .timestamp: return .int(Int64.random(in: .min ... .max, using: &rng))
        case .uint8: return .uint(UInt64(UInt8.random(in: .min ... .max, using: &rng)))
        case .uint16: return .uint(UInt64(UInt16.random(in: .min ... .max, using: &rng)))
        case .uint32: return .uint(UInt64(UInt32.random(in: .min ... .max, using: &rng)))
        case .uint64: return .uint(UInt64.random(in: .min ... .max, using: &rng))
        case .float16: return .float(Double(Float16(Float.random(in: -100...100, using: &rng))))
        case .float32: return .float(Double(Float.random(in: -1e6...1e6, using: &rng)))
        case .float64: return .float(Double.random(in: -1e12...1e12, using: &rng))
        case .decimal(let p, _):
            var limit: Int128 = 1
            for _ in 0..<p { limit *= 10 }
            let hi = Int128(Int64.random(in: .min ... .max, using: &rng)) * Int128(UInt64.random(in: 0 ... .max, using: &rng))
            return .decimal(hi % limit)
        case .string:
            let n = Int.random(in: 0..<12, using: &rng)
            let chars = Array("abcdefghijklmnopqrstuvwxyzé€😀 ")
            return .string(String((0..<n).map { _ in chars[Int.random(in: 0..<chars.count, using: &rng)] }))
        case .binary:
            return .binary((0..<Int.random(in: 0..<10, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) })
        case .fixedSizeBinary(let n):
            return .binary((0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) })
        case .list(let f):
            let n = depth > 3 ? 0 : Int.random(in: 0..<4, using: &rng)
            return .list((0..<n).map { _ in value(f.dataType, nullable: f.isNullable, rng: &rng, depth: depth + 1) })
        case .map(let f, _):
            guard case .struct(let kv) = f.dataType else { return .null }
            let n = depth > 3 ? 0 : Int.random(in: 0..<4, using: &rng)
            return .map((0..<n).map { _ in
                Scalar.MapEntry(key: value(kv[0].dataType, nullable: false, rng: &rng, depth: depth + 1),
                                value: value(kv[1].dataType, nullable: kv[1].isNullable, rng: &rng, depth: depth + 1))
            })
        case .struct(let fields):
            return .structure(fields.map { value($0.dataType, nullable: $0.isNullable, rng: &rng, depth: depth + 1) })
        }
    }

    static func column(_ field: Field, count: Int, seed: UInt64) throws -> (Column, [Scalar]) {
        var rng = SeededGenerator(seed: seed)
        let values = (0..<count).map { _ in value(field.dataType, nullable: field.isNullable, rng: &rng) }
        return (try Column(values, type: field.dataType), values)
    }

    static func mapType(_ key: DataType, _ value: DataType, valueNullable: Bool = true) -> DataType {
        .map(Field("key_value", .struct([Field("key", key, isNullable: false), Field("value", value, isNullable: valueNullable)]),
                   isNullable: false), keysSorted: false)
    }

    /// A spread of nested and flat fields used by round-trip tests.
    static let sampleFields: [Field] = [
        Field("i64", .int64),
        Field("req_i32", .int32, isNullable: false),
        Field("s", .string),
        Field("b", .boolean),
        Field("dec", .decimal(precision: 30, scale: 4)),
        Field("st", .struct([Field("x", .int32), Field("y", .string, isNullable: false)])),
        Field("li", .list(Field("element", .int64))),
        Field("ls", .list(Field("element", .struct([Field("a", .int16), Field("b", .list(Field("element", .string)))])))),
        Field("lll", .list(Field("element", .list(Field("element", .list(Field("element", .list(Field("element", .int32))))))))),
        Field("m", mapType(.string, .int64)),
        Field("req_list", .list(Field("element", .float64, isNullable: false)), isNullable: false),
        Field("sm", .struct([Field("m", mapType(.int32, .list(Field("element", .string)))), Field("l", .list(Field("element", .boolean)))])),
    ]
}
