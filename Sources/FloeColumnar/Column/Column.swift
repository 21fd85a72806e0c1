/// An immutable column of values (Arrow's "array"): a type, a length, an optional validity bitmap
/// and the type's buffers and children (see ``DataType`` for each type's layout).
///
/// Invariants (checked by ``validate()``, guaranteed by the builders and decoders):
/// `validity`, when present, has at least `count` bits, bit set = value present; `nullCount` is the
/// number of clear bits among the first `count` (0 when `validity` is nil); buffers and children
/// match the type's layout and `count`. Value slots of null entries hold unspecified bytes
/// (zero-filled by Floe's builders).
public struct Column: Sendable {
    /// The column's type.
    public let dataType: DataType
    /// The number of values, nulls included.
    public let count: Int
    /// The number of nulls.
    public let nullCount: Int
    /// LSB-first validity bitmap; nil when no value is null.
    public let validity: Buffer?
    /// The type's buffers, in Arrow order (values; or offsets then data).
    public let buffers: [Buffer]
    /// Child columns of nested types.
    public let children: [Column]

    /// Assembles a column from parts. Prefer the builders; use ``validate()`` on parts from elsewhere.
    public init(dataType: DataType, count: Int, nullCount: Int = 0, validity: Buffer? = nil,
                buffers: [Buffer], children: [Column] = []) {
        self.dataType = dataType
        self.count = count
        self.nullCount = validity == nil ? 0 : nullCount
        self.validity = nullCount == 0 ? nil : validity
        self.buffers = buffers
        self.children = children
    }

    /// A column of `count` nulls of type `dataType` (all slots zero, children likewise null/empty).
    public static func nulls(_ dataType: DataType, count: Int) -> Column {
        let validity = Buffer(bytes: [UInt8](repeating: 0, count: (count + 7) / 8))
        switch dataType {
        case .null:
            return Column(dataType: .null, count: count, nullCount: count, validity: validity, buffers: [])
        case .boolean:
            return Column(dataType: dataType, count: count, nullCount: count, validity: validity,
                          buffers: [Buffer(bytes: [UInt8](repeating: 0, count: (count + 7) / 8))])
        case .string, .binary:
            return Column(dataType: dataType, count: count, nullCount: count, validity: validity,
                          buffers: [Buffer(values: [Int32](repeating: 0, count: count + 1)), Buffer()])
        case .list(let f):
            return Column(dataType: dataType, count: count, nullCount: count, validity: validity,
                          buffers: [Buffer(values: [Int32](repeating: 0, count: count + 1))],
                          children: [Column.nulls(f.dataType, count: 0)])
        case .map(let f, _):
            return Column(dataType: dataType, count: count, nullCount: count, validity: validity,
                          buffers: [Buffer(values: [Int32](repeating: 0, count: count + 1))],
                          children: [Column.nulls(f.dataType, count: 0)])
        case .struct(let fields):
            return Column(dataType: dataType, count: count, nullCount: count, validity: validity, buffers: [],
                          children: fields.map { Column.nulls($0.dataType, count: count) })
        default:
            let width = dataType.byteWidth ?? 0
            return Column(dataType: dataType, count: count, nullCount: count, validity: validity,
                          buffers: [Buffer(bytes: [UInt8](repeating: 0, count: width * count))])
        }
    }

    /// Whether the value at `index` is null.
    @inlinable
    public func isNull(at index: Int) -> Bool {
        if case .null = dataType { return true }
        guard let validity else { return false }
        return !validity.bit(at: index)
    }

    /// Whether the value at `index` is present.
    @inlinable
    public func isValid(at index: Int) -> Bool { !isNull(at: index) }

    /// The `[start, end)` range into the data buffer (string/binary) or child (list/map) of entry `index`.
    @inlinable
    public func offsetRange(at index: Int) -> Range<Int> {
        let offsets = buffers[0]
        return Int(offsets.value(at: index, as: Int32.self))..<Int(offsets.value(at: index + 1, as: Int32.self))
    }

    /// Checks the layout invariants; throws ``ColumnarError`` describing the first violation.
    public func validate() throws {
        func fail(_ message: String) -> ColumnarError { ColumnarError(.invalidLayout, "\(dataType): \(message)") }
        if let validity, validity.count * 8 < count { throw fail("validity bitmap too short") }
        switch dataType {
        case .null: break
        case .boolean:
            guard buffers.count == 1, buffers[0].count * 8 >= count else { throw fail("value bitmap too short") }
        case .string, .binary, .list, .map:
            guard let offsets = buffers.first, offsets.count >= (count + 1) * 4 else { throw fail("offsets too short") }
            var previous: Int32 = 0
            for i in 0...count {
                let o = offsets.value(at: i, as: Int32.self)
                if o < previous || (i == 0 && o < 0) { throw fail("offsets decrease at \(i)") }
                previous = o
            }
            if dataType.isVariableWidth {
                guard buffers.count == 2, Int(previous) <= buffers[1].count else { throw fail("data shorter than offsets") }
            } else {
                guard children.count == 1, Int(previous) <= children[0].count else { throw fail("child shorter than offsets") }
                try children[0].validate()
            }
        case .struct(let fields):
            guard children.count == fields.count else { throw fail("child count \(children.count) != \(fields.count)") }
            for c in children {
                guard c.count >= count else { throw fail("child shorter than parent") }
                try c.validate()
            }
        default:
            let width = dataType.byteWidth ?? 0
            guard buffers.count == 1, buffers[0].count >= width * count else { throw fail("values buffer too short") }
        }
    }
}
