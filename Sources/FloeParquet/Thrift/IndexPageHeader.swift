/// The header of an index page (parquet.thrift `IndexPageHeader`): empty in the format, and index
/// pages are not used by any known writer.
///
/// Invariants: none; decoding skips whatever fields a future writer may add.
struct IndexPageHeader: Hashable, Sendable {}

extension IndexPageHeader: ThriftStruct {
    init(from reader: inout ThriftCompactReader) throws {
        try reader.skip(.struct)
    }

    func write(to writer: inout ThriftCompactWriter) {
        writer.writeStruct { _ in }
    }
}
