/// The kind of a page (parquet.thrift `PageType`): it says which page-specific header is set.
///
/// A Thrift enumeration kept open: values this version of Floe does not know (written by newer
/// writers) are preserved as-is rather than rejected, and a reader decides whether it can handle
/// them. Invariant: `rawValue` is exactly the `i32` stored in the file.
struct PageType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The value as stored in the file.
    let rawValue: Int32

    /// A value from its stored number (any `i32` is accepted).
    init(rawValue: Int32) { self.rawValue = rawValue }

    /// `DATA_PAGE` (0).
    static let dataPage = PageType(rawValue: 0)
    /// `INDEX_PAGE` (1).
    static let indexPage = PageType(rawValue: 1)
    /// `DICTIONARY_PAGE` (2).
    static let dictionaryPage = PageType(rawValue: 2)
    /// `DATA_PAGE_V2` (3).
    static let dataPageV2 = PageType(rawValue: 3)

    /// The name used by parquet.thrift, or `PageType(n)` for an unknown value.
    var description: String {
        switch rawValue {
        case 0: "DATA_PAGE"
        case 1: "INDEX_PAGE"
        case 2: "DICTIONARY_PAGE"
        case 3: "DATA_PAGE_V2"
        default: "PageType(\(rawValue))"
        }
    }
}
