/// Path text compared and split by its UTF-8 bytes, as the file system sees it.
///
/// Swift's `String` works in grapheme clusters: `"/"` followed by a combining mark (U+0301, U+200D,
/// …) is one `Character`, so `split(separator: "/")` would keep `"../\u{301}x"` as one component
/// that is not `".."`, and `hasPrefix` would equate canonically equivalent spellings (é as one or
/// two scalars) that name different files. Every check that decides whether a path stays inside
/// the table uses these functions instead.
enum PathBytes {
    static let slash = UInt8(ascii: "/")

    /// The components of `path` between `/` bytes (empty ones dropped).
    static func components(_ path: some StringProtocol) -> [Substring] {
        String(path).utf8.split(separator: slash, omittingEmptySubsequences: true).map { Substring($0) }
    }

    /// Whether the bytes of `text` start with the bytes of `prefix`.
    static func hasPrefix(_ text: some StringProtocol, _ prefix: some StringProtocol) -> Bool {
        text.utf8.starts(with: prefix.utf8)
    }

    /// `text` without the bytes of `prefix`, or nil when it does not start with them.
    static func dropping(_ prefix: some StringProtocol, from text: String) -> Substring? {
        guard hasPrefix(text, prefix) else { return nil }
        let utf8 = text.utf8
        return Substring(utf8[utf8.index(utf8.startIndex, offsetBy: prefix.utf8.count)...])
    }

    /// Whether a component is exactly the bytes `..` or `.`.
    static func isParent(_ component: some StringProtocol) -> Bool { component.utf8.elementsEqual("..".utf8) }
    static func isCurrent(_ component: some StringProtocol) -> Bool { component.utf8.elementsEqual(".".utf8) }
}
