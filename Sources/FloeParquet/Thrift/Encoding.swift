/// The encoding of values or levels in a page (parquet.thrift `Encoding`).
///
/// A Thrift enumeration kept open: values this version of Floe does not know (written by newer
/// writers) are preserved as-is rather than rejected, and a reader decides whether it can handle
/// them. Invariant: `rawValue` is exactly the `i32` stored in the file.
struct Encoding: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The value as stored in the file.
    let rawValue: Int32

    /// A value from its stored number (any `i32` is accepted).
    init(rawValue: Int32) { self.rawValue = rawValue }

    /// `PLAIN` (0).
    static let plain = Encoding(rawValue: 0)
    /// `PLAIN_DICTIONARY` (2).
    static let plainDictionary = Encoding(rawValue: 2)
    /// `RLE` (3).
    static let rle = Encoding(rawValue: 3)
    /// `BIT_PACKED` (4).
    static let bitPacked = Encoding(rawValue: 4)
    /// `DELTA_BINARY_PACKED` (5).
    static let deltaBinaryPacked = Encoding(rawValue: 5)
    /// `DELTA_LENGTH_BYTE_ARRAY` (6).
    static let deltaLengthByteArray = Encoding(rawValue: 6)
    /// `DELTA_BYTE_ARRAY` (7).
    static let deltaByteArray = Encoding(rawValue: 7)
    /// `RLE_DICTIONARY` (8).
    static let rleDictionary = Encoding(rawValue: 8)
    /// `BYTE_STREAM_SPLIT` (9).
    static let byteStreamSplit = Encoding(rawValue: 9)

    /// The name used by parquet.thrift, or `Encoding(n)` for an unknown value.
    var description: String {
        switch rawValue {
        case 0: "PLAIN"
        case 2: "PLAIN_DICTIONARY"
        case 3: "RLE"
        case 4: "BIT_PACKED"
        case 5: "DELTA_BINARY_PACKED"
        case 6: "DELTA_LENGTH_BYTE_ARRAY"
        case 7: "DELTA_BYTE_ARRAY"
        case 8: "RLE_DICTIONARY"
        case 9: "BYTE_STREAM_SPLIT"
        default: "Encoding(\(rawValue))"
        }
    }
}
