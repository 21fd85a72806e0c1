/// Statistics of a column chunk or page (parquet.thrift `Statistics`). Every field is optional.
///
/// Invariants: values are kept exactly as stored. `minValue`/`maxValue` are ordered by the column's
/// `ColumnOrder`; the deprecated `min`/`max` by signed comparison only, so readers should prefer the
/// former. Bounds are PLAIN-encoded without the length prefix of byte arrays. An absent `nullCount`
/// means "unknown", never zero.
///
/// Representation: the fields live in one copy-on-write box, so that `Statistics?` inside page
/// headers and column metadata is a single reference; copying a page header then costs a retain
/// instead of a field-by-field copy. Value semantics are unaffected.
struct Statistics: Hashable, Sendable {
    /// The fields. Never mutated while shared: setters copy it first unless uniquely referenced.
    private final class Storage: @unchecked Sendable {
        var max: [UInt8]?
        var min: [UInt8]?
        var nullCount: Int64?
        var distinctCount: Int64?
        var maxValue: [UInt8]?
        var minValue: [UInt8]?
        var isMaxValueExact: Bool?
        var isMinValueExact: Bool?
        var nanCount: Int64?

        init() {}

        init(copying other: Storage) {
            max = other.max
            min = other.min
            nullCount = other.nullCount
            distinctCount = other.distinctCount
            maxValue = other.maxValue
            minValue = other.minValue
            isMaxValueExact = other.isMaxValueExact
            isMinValueExact = other.isMinValueExact
            nanCount = other.nanCount
        }
    }

    private var storage: Storage

    /// Statistics with the given fields (all absent by default).
    init(max: [UInt8]? = nil, min: [UInt8]? = nil, nullCount: Int64? = nil, distinctCount: Int64? = nil,
         maxValue: [UInt8]? = nil, minValue: [UInt8]? = nil, isMaxValueExact: Bool? = nil,
         isMinValueExact: Bool? = nil, nanCount: Int64? = nil) {
        let storage = Storage()
        storage.max = max
        storage.min = min
        storage.nullCount = nullCount
        storage.distinctCount = distinctCount
        storage.maxValue = maxValue
        storage.minValue = minValue
        storage.isMaxValueExact = isMaxValueExact
        storage.isMinValueExact = isMinValueExact
        storage.nanCount = nanCount
        self.storage = storage
    }

    private mutating func uniqueStorage() -> Storage {
        if !isKnownUniquelyReferenced(&storage) { storage = Storage(copying: storage) }
        return storage
    }

    /// Field 1: DEPRECATED maximum, in signed order.
    var max: [UInt8]? {
        get { storage.max }
        set { uniqueStorage().max = newValue }
    }
    /// Field 2: DEPRECATED minimum, in signed order.
    var min: [UInt8]? {
        get { storage.min }
        set { uniqueStorage().min = newValue }
    }
    /// Field 3: the number of nulls.
    var nullCount: Int64? {
        get { storage.nullCount }
        set { uniqueStorage().nullCount = newValue }
    }
    /// Field 4: the number of distinct values.
    var distinctCount: Int64? {
        get { storage.distinctCount }
        set { uniqueStorage().distinctCount = newValue }
    }
    /// Field 5: the upper bound under the column order.
    var maxValue: [UInt8]? {
        get { storage.maxValue }
        set { uniqueStorage().maxValue = newValue }
    }
    /// Field 6: the lower bound under the column order.
    var minValue: [UInt8]? {
        get { storage.minValue }
        set { uniqueStorage().minValue = newValue }
    }
    /// Field 7: whether `maxValue` is the actual maximum (not just a bound).
    var isMaxValueExact: Bool? {
        get { storage.isMaxValueExact }
        set { uniqueStorage().isMaxValueExact = newValue }
    }
    /// Field 8: whether `minValue` is the actual minimum (not just a bound).
    var isMinValueExact: Bool? {
        get { storage.isMinValueExact }
        set { uniqueStorage().isMinValueExact = newValue }
    }
    /// Field 9: the number of NaN values (floating-point columns only).
    var nanCount: Int64? {
        get { storage.nanCount }
        set { uniqueStorage().nanCount = newValue }
    }

    static func == (lhs: Statistics, rhs: Statistics) -> Bool {
        if lhs.storage === rhs.storage { return true }
        let a = lhs.storage, b = rhs.storage
        return a.max == b.max && a.min == b.min && a.nullCount == b.nullCount && a.distinctCount == b.distinctCount
            && a.maxValue == b.maxValue && a.minValue == b.minValue && a.isMaxValueExact == b.isMaxValueExact
            && a.isMinValueExact == b.isMinValueExact && a.nanCount == b.nanCount
    }

    func hash(into hasher: inout Hasher) {
        let s = storage
        hasher.combine(s.max)
        hasher.combine(s.min)
        hasher.combine(s.nullCount)
        hasher.combine(s.distinctCount)
        hasher.combine(s.maxValue)
        hasher.combine(s.minValue)
        hasher.combine(s.isMaxValueExact)
        hasher.combine(s.isMinValueExact)
        hasher.combine(s.nanCount)
    }
}

extension Statistics: ThriftStruct {
    init(from reader: inout ThriftCompactReader) throws {
        let s = Storage()
        let saved = try reader.beginStruct()
        while let field = try reader.readFieldHeader() {
            switch (field.id, field.type) {
            case (1, .binary): s.max = try reader.readBinary()
            case (2, .binary): s.min = try reader.readBinary()
            case (3, .i64): s.nullCount = try reader.readI64()
            case (4, .i64): s.distinctCount = try reader.readI64()
            case (5, .binary): s.maxValue = try reader.readBinary()
            case (6, .binary): s.minValue = try reader.readBinary()
            case (7, .boolTrue), (7, .boolFalse): s.isMaxValueExact = field.type == .boolTrue
            case (8, .boolTrue), (8, .boolFalse): s.isMinValueExact = field.type == .boolTrue
            case (9, .i64): s.nanCount = try reader.readI64()
            default: try reader.skip(field.type)
            }
        }
        reader.endStruct(saved)
        storage = s
    }

    func write(to writer: inout ThriftCompactWriter) {
        let s = storage
        writer.writeStruct { w in
            if let max = s.max { w.writeBinaryField(1, max) }
            if let min = s.min { w.writeBinaryField(2, min) }
            if let nullCount = s.nullCount { w.writeI64Field(3, nullCount) }
            if let distinctCount = s.distinctCount { w.writeI64Field(4, distinctCount) }
            if let maxValue = s.maxValue { w.writeBinaryField(5, maxValue) }
            if let minValue = s.minValue { w.writeBinaryField(6, minValue) }
            if let isMaxValueExact = s.isMaxValueExact { w.writeBoolField(7, isMaxValueExact) }
            if let isMinValueExact = s.isMinValueExact { w.writeBoolField(8, isMinValueExact) }
            if let nanCount = s.nanCount { w.writeI64Field(9, nanCount) }
        }
    }
}
