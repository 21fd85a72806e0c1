/// UTF-8 validation of string columns: Arrow (and Parquet's STRING annotation) promise that every
/// string value is valid UTF-8, and readers such as Polars, DuckDB and pyarrow's validation refuse
/// a file that breaks the promise, so writers check it.
extension Column {
    /// The index of the first non-null value of this string column that is not valid UTF-8 (or
    /// whose offsets do not describe a range of the data buffer), or nil when every value is valid.
    /// Always nil for columns of other types; nested columns are not searched (see
    /// ``firstInvalidUTF8(path:)``).
    ///
    /// One pass over the data: when the bytes of all values are valid UTF-8 as a whole and every
    /// value starts at the start of a scalar, each value is valid; only otherwise are the values
    /// checked one by one.
    public func firstInvalidUTF8Index() -> Int? {
        guard dataType == .string, count > 0 else { return nil }
        guard buffers.count == 2 else { return 0 }
        return buffers[0].withUnsafeValues(of: Int32.self) { offsets -> Int? in
            guard offsets.count > count else { return 0 }
            return buffers[1].withUnsafeBytes { data -> Int? in
                let first = Int(offsets[0]), last = Int(offsets[count])
                if first >= 0, first <= last, last <= data.count,
                   UTF8Validation.isValid(UnsafeRawBufferPointer(rebasing: data[first..<last])) {
                    var monotonic = true
                    var startsAtScalars = true
                    for i in 0..<count {
                        let start = Int(offsets[i]), end = Int(offsets[i + 1])
                        if start > end { monotonic = false; break }
                        if start < last && start < end && data[start] & 0xC0 == 0x80 { startsAtScalars = false; break }
                    }
                    if monotonic && startsAtScalars { return nil }
                }
                for i in 0..<count where isValid(at: i) {
                    let start = Int(offsets[i]), end = Int(offsets[i + 1])
                    guard start >= 0, start <= end, end <= data.count else { return i }
                    if !UTF8Validation.isValid(UnsafeRawBufferPointer(rebasing: data[start..<end])) { return i }
                }
                return nil
            }
        }
    }

    /// The first string value not valid UTF-8 anywhere in this column, its nested children
    /// included: the dotted path of the string column holding it (`path` for this column, then
    /// `path.field`, `path.element`, `path.key`, `path.value`) and the value's index within that
    /// column; nil when every string value is valid.
    public func firstInvalidUTF8(path: String) -> (path: String, index: Int)? {
        switch dataType {
        case .string:
            return firstInvalidUTF8Index().map { (path, $0) }
        case .list:
            return children.first?.firstInvalidUTF8(path: path + ".element")
        case .map(let entries, _):
            guard case .struct(let kv) = entries.dataType, kv.count == 2, let entryColumn = children.first,
                  entryColumn.children.count == 2 else { return nil }
            return entryColumn.children[0].firstInvalidUTF8(path: path + ".key")
                ?? entryColumn.children[1].firstInvalidUTF8(path: path + ".value")
        case .struct(let fields):
            for (child, field) in zip(children, fields) {
                if let found = child.firstInvalidUTF8(path: path + "." + field.name) { return found }
            }
            return nil
        default:
            return nil
        }
    }
}

/// A UTF-8 validator (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF).
public enum UTF8Validation {
    /// Whether `bytes` is well-formed UTF-8.
    public static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let n = bytes.count
        var i = 0
        while i < n {
            // ASCII runs, eight bytes at a time.
            while i + 8 <= n && bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 { i += 8 }
            guard i < n else { return true }
            let b0 = bytes[i]
            if b0 < 0x80 { i += 1; continue }
            func continuation(_ k: Int) -> Bool { i + k < n && bytes[i + k] & 0xC0 == 0x80 }
            switch b0 {
            case 0xC2...0xDF:
                guard continuation(1) else { return false }
                i += 2
            case 0xE0...0xEF:
                guard continuation(1), continuation(2) else { return false }
                let b1 = bytes[i + 1]
                if b0 == 0xE0 && b1 < 0xA0 { return false }   // overlong
                if b0 == 0xED && b1 > 0x9F { return false }   // UTF-16 surrogate
                i += 3
            case 0xF0...0xF4:
                guard continuation(1), continuation(2), continuation(3) else { return false }
                let b1 = bytes[i + 1]
                if b0 == 0xF0 && b1 < 0x90 { return false }   // overlong
                if b0 == 0xF4 && b1 > 0x8F { return false }   // above U+10FFFF
                i += 4
            default:
                return false  // a continuation byte, C0/C1 or F5...FF
            }
        }
        return true
    }

    /// Whether `bytes` is well-formed UTF-8.
    public static func isValid(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { isValid($0) }
    }
}
