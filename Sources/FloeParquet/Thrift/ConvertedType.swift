/// The deprecated logical annotation of a schema element (parquet.thrift `ConvertedType`), superseded by `LogicalType` but still written for compatibility.
///
/// A Thrift enumeration kept open: values this version of Floe does not know (written by newer
/// writers) are preserved as-is rather than rejected, and a reader decides whether it can handle
/// them. Invariant: `rawValue` is exactly the `i32` stored in the file.
struct ConvertedType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The value as stored in the file.
    let rawValue: Int32

    /// A value from its stored number (any `i32` is accepted).
    init(rawValue: Int32) { self.rawValue = rawValue }

    /// `UTF8` (0).
    static let utf8 = ConvertedType(rawValue: 0)
    /// `MAP` (1).
    static let map = ConvertedType(rawValue: 1)
    /// `MAP_KEY_VALUE` (2).
    static let mapKeyValue = ConvertedType(rawValue: 2)
    /// `LIST` (3).
    static let list = ConvertedType(rawValue: 3)
    /// `ENUM` (4).
    static let `enum` = ConvertedType(rawValue: 4)
    /// `DECIMAL` (5).
    static let decimal = ConvertedType(rawValue: 5)
    /// `DATE` (6).
    static let date = ConvertedType(rawValue: 6)
    /// `TIME_MILLIS` (7).
    static let timeMillis = ConvertedType(rawValue: 7)
    /// `TIME_MICROS` (8).
    static let timeMicros = ConvertedType(rawValue: 8)
    /// `TIMESTAMP_MILLIS` (9).
    static let timestampMillis = ConvertedType(rawValue: 9)
    /// `TIMESTAMP_MICROS` (10).
    static let timestampMicros = ConvertedType(rawValue: 10)
    /// `UINT_8` (11).
    static let uint8 = ConvertedType(rawValue: 11)
    /// `UINT_16` (12).
    static let uint16 = ConvertedType(rawValue: 12)
    /// `UINT_32` (13).
    static let uint32 = ConvertedType(rawValue: 13)
    /// `UINT_64` (14).
    static let uint64 = ConvertedType(rawValue: 14)
    /// `INT_8` (15).
    static let int8 = ConvertedType(rawValue: 15)
    /// `INT_16` (16).
    static let int16 = ConvertedType(rawValue: 16)
    /// `INT_32` (17).
    static let int32 = ConvertedType(rawValue: 17)
    /// `INT_64` (18).
    static let int64 = ConvertedType(rawValue: 18)
    /// `JSON` (19).
    static let json = ConvertedType(rawValue: 19)
    /// `BSON` (20).
    static let bson = ConvertedType(rawValue: 20)
    /// `INTERVAL` (21).
    static let interval = ConvertedType(rawValue: 21)

    /// The name used by parquet.thrift, or `ConvertedType(n)` for an unknown value.
    var description: String {
        switch rawValue {
        case 0: "UTF8"
        case 1: "MAP"
        case 2: "MAP_KEY_VALUE"
        case 3: "LIST"
        case 4: "ENUM"
        case 5: "DECIMAL"
        case 6: "DATE"
        case 7: "TIME_MILLIS"
        case 8: "TIME_MICROS"
        case 9: "TIMESTAMP_MILLIS"
        case 10: "TIMESTAMP_MICROS"
        case 11: "UINT_8"
        case 12: "UINT_16"
        case 13: "UINT_32"
        case 14: "UINT_64"
        case 15: "INT_8"
        case 16: "INT_16"
        case 17: "INT_32"
        case 18: "INT_64"
        case 19: "JSON"
        case 20: "BSON"
        case 21: "INTERVAL"
        default: "ConvertedType(\(rawValue))"
        }
    }
}
