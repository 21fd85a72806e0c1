/// One node of a Parquet schema (parquet.thrift `SchemaElement`). `FileMetaData.schema` lists the
/// nodes depth-first, the root first.
///
/// Invariants: `name` is always present (required field). A group (inner node) has `numChildren`
/// set and `type` unset; a leaf has `type` set. These shape rules, and `typeLength` for
/// FIXED_LEN_BYTE_ARRAY, are the schema builder's to enforce: decoding keeps what was stored.
/// Enumerations keep unknown values (e.g. a newer repetition type) for the reader to refuse.
struct SchemaElement: Hashable, Sendable {
    /// Field 4 (required): the field's name.
    var name: String
    /// Field 1: the physical type; set for leaves only.
    var type: ThriftType?
    /// Field 2: the byte length of FIXED_LEN_BYTE_ARRAY values (otherwise an optional bit-width hint).
    var typeLength: Int32?
    /// Field 3: the repetition; unset only on the root.
    var repetitionType: FieldRepetitionType?
    /// Field 5: the number of children; set for groups only.
    var numChildren: Int32?
    /// Field 6: the deprecated converted type.
    var convertedType: ConvertedType?
    /// Field 7: the decimal scale (deprecated in favour of `LogicalType.decimal`).
    var scale: Int32?
    /// Field 8: the decimal precision (deprecated in favour of `LogicalType.decimal`).
    var precision: Int32?
    /// Field 9: the field id of the original schema (e.g. Iceberg/Delta column-mapping ids).
    var fieldID: Int32?
    /// Field 10: the logical type.
    var logicalType: LogicalType?
}

extension SchemaElement: ThriftStruct {
    init(from reader: inout ThriftCompactReader) throws {
        var name: String?
        var type: ThriftType?
        var typeLength: Int32?
        var repetitionType: FieldRepetitionType?
        var numChildren: Int32?
        var convertedType: ConvertedType?
        var scale: Int32?
        var precision: Int32?
        var fieldID: Int32?
        var logicalType: LogicalType?
        try reader.readStruct { r, field in
            switch (field.id, field.type) {
            case (1, .i32): type = ThriftType(rawValue: try r.readI32())
            case (2, .i32): typeLength = try r.readI32()
            case (3, .i32): repetitionType = FieldRepetitionType(rawValue: try r.readI32())
            case (4, .binary): name = try r.readString()
            case (5, .i32): numChildren = try r.readI32()
            case (6, .i32): convertedType = ConvertedType(rawValue: try r.readI32())
            case (7, .i32): scale = try r.readI32()
            case (8, .i32): precision = try r.readI32()
            case (9, .i32): fieldID = try r.readI32()
            case (10, .struct): logicalType = try LogicalType(from: &r)
            default: try r.skip(field.type)
            }
        }
        self.init(name: try name.thriftRequired("SchemaElement.name"), type: type, typeLength: typeLength,
                  repetitionType: repetitionType, numChildren: numChildren, convertedType: convertedType,
                  scale: scale, precision: precision, fieldID: fieldID, logicalType: logicalType)
    }

    func write(to writer: inout ThriftCompactWriter) {
        writer.writeStruct { w in
            if let type { w.writeI32Field(1, type.rawValue) }
            if let typeLength { w.writeI32Field(2, typeLength) }
            if let repetitionType { w.writeI32Field(3, repetitionType.rawValue) }
            w.writeStringField(4, name)
            if let numChildren { w.writeI32Field(5, numChildren) }
            if let convertedType { w.writeI32Field(6, convertedType.rawValue) }
            if let scale { w.writeI32Field(7, scale) }
            if let precision { w.writeI32Field(8, precision) }
            if let fieldID { w.writeI32Field(9, fieldID) }
            if let logicalType { w.writeStructField(10, logicalType) }
        }
    }
}
