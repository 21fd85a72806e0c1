/// Statistics of a column chunk or page (parquet.thrift `Statistics`). Every field is optional.
///
/// Invariants: values are kept exactly as stored. `minValue`/`maxValue` are ordered by the column's
/// `ColumnOrder`; the deprecated `min`/`max` by signed comparison only, so readers should prefer the
/// former. Bounds are PLAIN-encoded without the length prefix of byte arrays. An absent `nullCount`
/// means "unknown", never zero.
struct Statistics: Hashable, Sendable {
    /// Field 1: DEPRECATED maximum, in signed order.
    var max: [UInt8]?
    /// Field 2: DEPRECATED minimum, in signed order.
    var min: [UInt8]?
    /// Field 3: the number of nulls.
    var nullCount: Int64?
    /// Field 4: the number of distinct values.
    var distinctCount: Int64?
    /// Field 5: the upper bound under the column order.
    var maxValue: [UInt8]?
    /// Field 6: the lower bound under the column order.
    var minValue: [UInt8]?
    /// Field 7: whether `maxValue` is the actual maximum (not just a bound).
    var isMaxValueExact: Bool?
    /// Field 8: whether `minValue` is the actual minimum (not just a bound).
    var isMinValueExact: Bool?
    /// Field 9: the number of NaN values (floating-point columns only).
    var nanCount: Int64?
}

extension Statistics: ThriftStruct {
    init(from reader: inout ThriftCompactReader) throws {
        var result = Statistics()
        try reader.readStruct { r, field in
            switch (field.id, field.type) {
            case (1, .binary): result.max = try r.readBinary()
            case (2, .binary): result.min = try r.readBinary()
            case (3, .i64): result.nullCount = try r.readI64()
            case (4, .i64): result.distinctCount = try r.readI64()
            case (5, .binary): result.maxValue = try r.readBinary()
            case (6, .binary): result.minValue = try r.readBinary()
            case (7, .boolTrue), (7, .boolFalse): result.isMaxValueExact = field.boolValue
            case (8, .boolTrue), (8, .boolFalse): result.isMinValueExact = field.boolValue
            case (9, .i64): result.nanCount = try r.readI64()
            default: try r.skip(field.type)
            }
        }
        self = result
    }

    func write(to writer: inout ThriftCompactWriter) {
        writer.writeStruct { w in
            if let max { w.writeBinaryField(1, max) }
            if let min { w.writeBinaryField(2, min) }
            if let nullCount { w.writeI64Field(3, nullCount) }
            if let distinctCount { w.writeI64Field(4, distinctCount) }
            if let maxValue { w.writeBinaryField(5, maxValue) }
            if let minValue { w.writeBinaryField(6, minValue) }
            if let isMaxValueExact { w.writeBoolField(7, isMaxValueExact) }
            if let isMinValueExact { w.writeBoolField(8, isMinValueExact) }
            if let nanCount { w.writeI64Field(9, nanCount) }
        }
    }
}
