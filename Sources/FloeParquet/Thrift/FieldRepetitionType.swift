/// Whether a schema element is required, optional or repeated (parquet.thrift `FieldRepetitionType`).
///
/// A Thrift enumeration kept open: values this version of Floe does not know (written by newer
/// writers) are preserved as-is rather than rejected, and a reader decides whether it can handle
/// them. Invariant: `rawValue` is exactly the `i32` stored in the file.
struct FieldRepetitionType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The value as stored in the file.
    let rawValue: Int32

    /// A value from its stored number (any `i32` is accepted).
    init(rawValue: Int32) { self.rawValue = rawValue }

    /// `REQUIRED` (0).
    static let required = FieldRepetitionType(rawValue: 0)
    /// `OPTIONAL` (1).
    static let optional = FieldRepetitionType(rawValue: 1)
    /// `REPEATED` (2).
    static let repeated = FieldRepetitionType(rawValue: 2)
    /// `VECTOR` (3).
    static let vector = FieldRepetitionType(rawValue: 3)

    /// The name used by parquet.thrift, or `FieldRepetitionType(n)` for an unknown value.
    var description: String {
        switch rawValue {
        case 0: "REQUIRED"
        case 1: "OPTIONAL"
        case 2: "REPEATED"
        case 3: "VECTOR"
        default: "FieldRepetitionType(\(rawValue))"
        }
    }
}
