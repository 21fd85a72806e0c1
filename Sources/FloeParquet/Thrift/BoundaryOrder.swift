/// Whether a column index's min/max lists are ordered, and how (parquet.thrift `BoundaryOrder`).
///
/// A Thrift enumeration kept open: values this version of Floe does not know (written by newer
/// writers) are preserved as-is rather than rejected, and a reader decides whether it can handle
/// them. Invariant: `rawValue` is exactly the `i32` stored in the file.
struct BoundaryOrder: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The value as stored in the file.
    let rawValue: Int32

    /// A value from its stored number (any `i32` is accepted).
    init(rawValue: Int32) { self.rawValue = rawValue }

    /// `UNORDERED` (0).
    static let unordered = BoundaryOrder(rawValue: 0)
    /// `ASCENDING` (1).
    static let ascending = BoundaryOrder(rawValue: 1)
    /// `DESCENDING` (2).
    static let descending = BoundaryOrder(rawValue: 2)

    /// The name used by parquet.thrift, or `BoundaryOrder(n)` for an unknown value.
    var description: String {
        switch rawValue {
        case 0: "UNORDERED"
        case 1: "ASCENDING"
        case 2: "DESCENDING"
        default: "BoundaryOrder(\(rawValue))"
        }
    }
}
