/// The page index's list of data page locations for one column chunk (parquet.thrift `OffsetIndex`).
///
/// Invariants: `pageLocations` is present (required, checked on decoding); the format requires it
/// ordered by offset with strictly increasing `firstRowIndex`, which readers must verify before
/// relying on it. `unencodedByteArrayDataBytes`, when present, has one entry per page.
struct OffsetIndex: Hashable, Sendable {
    /// Field 1: the location of every data page.
    var pageLocations: [PageLocation]
    /// Field 2: per page, the unencoded size of BYTE_ARRAY data.
    var unencodedByteArrayDataBytes: [Int64]?
}

extension OffsetIndex: ThriftStruct {
    init(from reader: inout ThriftCompactReader) throws {
        var pageLocations: [PageLocation]?
        var unencodedByteArrayDataBytes: [Int64]?
        try reader.readStruct { r, field in
            switch (field.id, field.type) {
            case (1, .list): pageLocations = try r.readStructList("OffsetIndex.page_locations")
            case (2, .list):
                unencodedByteArrayDataBytes = try r.readList(of: .i64, "OffsetIndex.unencoded_byte_array_data_bytes") { try $0.readI64() }
            default: try r.skip(field.type)
            }
        }
        self.pageLocations = try pageLocations.thriftRequired("OffsetIndex.page_locations")
        self.unencodedByteArrayDataBytes = unencodedByteArrayDataBytes
    }

    func write(to writer: inout ThriftCompactWriter) {
        writer.writeStruct { w in
            w.writeStructListField(1, pageLocations)
            if let unencodedByteArrayDataBytes { w.writeListField(2, of: .i64, unencodedByteArrayDataBytes) { $0.writeI64($1) } }
        }
    }
}
