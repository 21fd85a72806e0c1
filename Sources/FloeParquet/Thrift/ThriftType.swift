/// The physical storage type of a Parquet column (parquet.thrift `Type`).
///
/// A Thrift enumeration kept open: values this version of Floe does not know (written by newer
/// writers) are preserved as-is rather than rejected, and a reader decides whether it can handle
/// them. Invariant: `rawValue` is exactly the `i32` stored in the file.
struct ThriftType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The value as stored in the file.
    let rawValue: Int32

    /// A value from its stored number (any `i32` is accepted).
    init(rawValue: Int32) { self.rawValue = rawValue }

    /// `BOOLEAN` (0).
    static let boolean = ThriftType(rawValue: 0)
    /// `INT32` (1).
    static let int32 = ThriftType(rawValue: 1)
    /// `INT64` (2).
    static let int64 = ThriftType(rawValue: 2)
    /// `INT96` (3).
    static let int96 = ThriftType(rawValue: 3)
    /// `FLOAT` (4).
    static let float = ThriftType(rawValue: 4)
    /// `DOUBLE` (5).
    static let double = ThriftType(rawValue: 5)
    /// `BYTE_ARRAY` (6).
    static let byteArray = ThriftType(rawValue: 6)
    /// `FIXED_LEN_BYTE_ARRAY` (7).
    static let fixedLenByteArray = ThriftType(rawValue: 7)

    /// The name used by parquet.thrift, or `ThriftType(n)` for an unknown value.
    var description: String {
        switch rawValue {
        case 0: "BOOLEAN"
        case 1: "INT32"
        case 2: "INT64"
        case 3: "INT96"
        case 4: "FLOAT"
        case 5: "DOUBLE"
        case 6: "BYTE_ARRAY"
        case 7: "FIXED_LEN_BYTE_ARRAY"
        default: "ThriftType(\(rawValue))"
        }
    }
}
