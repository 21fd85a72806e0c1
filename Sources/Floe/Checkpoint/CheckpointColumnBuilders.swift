import FloeColumnar

// Builders for the columns of a checkpoint, writing Arrow buffers directly (no per-value
// `Scalar`). Each builder appends one value (or null) per row; `finish()` hands over the column.
// Not `Sendable`: one checkpoint is built by one task.

/// Validity bits and null count shared by the builders.
struct ValidityBuilder {
    let bits = BitmapBuilder()
    var nullCount = 0

    mutating func append(_ valid: Bool) {
        bits.append(valid)
        if !valid { nullCount += 1 }
    }

    mutating func appendNulls(_ n: Int) {
        bits.append(repeating: false, count: n)
        nullCount += n
    }

    mutating func finish() -> (Buffer?, Int) {
        let buffer = bits.finish()
        let nulls = nullCount
        nullCount = 0
        return (nulls > 0 ? buffer : nil, nulls)
    }
}

/// Builds a `string` column.
final class StringColumnBuilder {
    private let offsets = BufferBuilder()
    private let data = BufferBuilder()
    private var validity = ValidityBuilder()
    private(set) var count = 0

    init(capacity: Int = 0) {
        offsets.reserve((capacity + 1) * 4)
        offsets.append(Int32(0))
    }

    func append(_ value: String?) {
        if var value {
            value.withUTF8 { data.append(bytes: UnsafeRawBufferPointer($0)) }
            validity.append(true)
        } else {
            validity.append(false)
        }
        offsets.append(Int32(truncatingIfNeeded: data.count))
        count += 1
    }

    /// Appends `n` nulls.
    func appendNulls(_ n: Int) {
        guard n > 0 else { return }
        let end = Int32(truncatingIfNeeded: data.count)
        _ = offsets.appendUninitialized(n * 4) { $0.initializeMemory(as: Int32.self, repeating: end) }
        validity.appendNulls(n)
        count += n
    }

    func finish() throws -> Column {
        guard data.count <= Int(Int32.max) else {
            throw DeltaError(.invalidArgument, "a checkpoint column holds more than 2 GiB of text")
        }
        let (bits, nulls) = validity.finish()
        return Column(dataType: .string, count: count, nullCount: nulls, validity: bits,
                      buffers: [offsets.finish(), data.finish()])
    }
}

/// Builds a fixed-width integer column (`int32` or `int64`).
final class IntegerColumnBuilder<T: FixedWidthInteger & BitwiseCopyable> {
    private let values = BufferBuilder()
    private var validity = ValidityBuilder()
    private(set) var count = 0
    let dataType: DataType

    init(_ dataType: DataType, capacity: Int = 0) {
        self.dataType = dataType
        values.reserve(capacity * MemoryLayout<T>.size)
    }

    func append(_ value: T?) {
        values.append(value ?? 0)
        validity.append(value != nil)
        count += 1
    }

    /// Appends `n` nulls.
    func appendNulls(_ n: Int) {
        guard n > 0 else { return }
        values.appendZeros(n * MemoryLayout<T>.size)
        validity.appendNulls(n)
        count += n
    }

    func finish() -> Column {
        let (bits, nulls) = validity.finish()
        return Column(dataType: dataType, count: count, nullCount: nulls, validity: bits, buffers: [values.finish()])
    }
}

/// Builds a `boolean` column.
final class BooleanColumnBuilder {
    private let values = BitmapBuilder()
    private var validity = ValidityBuilder()
    private(set) var count = 0

    func append(_ value: Bool?) {
        values.append(value ?? false)
        validity.append(value != nil)
        count += 1
    }

    /// Appends `n` nulls.
    func appendNulls(_ n: Int) {
        guard n > 0 else { return }
        values.append(repeating: false, count: n)
        validity.appendNulls(n)
        count += n
    }

    func finish() -> Column {
        let (bits, nulls) = validity.finish()
        return Column(dataType: .boolean, count: count, nullCount: nulls, validity: bits, buffers: [values.finish()])
    }
}

/// Builds a `map<string, string>` column (values nullable).
final class StringMapColumnBuilder {
    static let entriesField = Field("key_value", .struct([Field("key", .string, isNullable: false),
                                                           Field("value", .string, isNullable: true)]),
                                    isNullable: false)
    static let dataType = DataType.map(entriesField, keysSorted: false)

    private let offsets = BufferBuilder()
    private let keys = StringColumnBuilder()
    private let values = StringColumnBuilder()
    private var validity = ValidityBuilder()
    private var entries = 0
    private(set) var count = 0

    init() { offsets.append(Int32(0)) }

    /// Appends a map, its keys in `order` first (those present), then the rest sorted.
    func append(_ map: [String: String?]?, order: [String] = []) {
        if let map {
            var done = Set<String>()
            for key in order {
                if let value = map[key], done.insert(key).inserted { appendEntry(key, value) }
            }
            for key in map.keys.sorted() where !done.contains(key) {
                if let value = map[key] { appendEntry(key, value) }
            }
        }
        validity.append(map != nil)
        offsets.append(Int32(truncatingIfNeeded: entries))
        count += 1
    }

    /// Appends a map without null values, keys sorted.
    func append(_ map: [String: String]?) {
        if let map {
            for key in map.keys.sorted() { appendEntry(key, map[key]) }
        }
        validity.append(map != nil)
        offsets.append(Int32(truncatingIfNeeded: entries))
        count += 1
    }

    /// Appends `n` null maps.
    func appendNulls(_ n: Int) {
        guard n > 0 else { return }
        let end = Int32(truncatingIfNeeded: entries)
        _ = offsets.appendUninitialized(n * 4) { $0.initializeMemory(as: Int32.self, repeating: end) }
        validity.appendNulls(n)
        count += n
    }

    private func appendEntry(_ key: String, _ value: String?) {
        keys.append(key)
        values.append(value)
        entries += 1
    }

    func finish() throws -> Column {
        let (bits, nulls) = validity.finish()
        let entriesColumn = Column(dataType: Self.entriesField.dataType, count: entries, buffers: [],
                                   children: [try keys.finish(), try values.finish()])
        return Column(dataType: Self.dataType, count: count, nullCount: nulls, validity: bits,
                      buffers: [offsets.finish()], children: [entriesColumn])
    }
}

/// Builds a `list<string>` column.
final class StringListColumnBuilder {
    static let dataType = DataType.list(Field("element", .string, isNullable: true))

    private let offsets = BufferBuilder()
    private let elements = StringColumnBuilder()
    private var validity = ValidityBuilder()
    private(set) var count = 0

    init() { offsets.append(Int32(0)) }

    func append(_ list: [String]?) {
        for element in list ?? [] { elements.append(element) }
        validity.append(list != nil)
        offsets.append(Int32(truncatingIfNeeded: elements.count))
        count += 1
    }

    /// Appends `n` null lists.
    func appendNulls(_ n: Int) {
        guard n > 0 else { return }
        let end = Int32(truncatingIfNeeded: elements.count)
        _ = offsets.appendUninitialized(n * 4) { $0.initializeMemory(as: Int32.self, repeating: end) }
        validity.appendNulls(n)
        count += n
    }

    func finish() throws -> Column {
        let (bits, nulls) = validity.finish()
        return Column(dataType: Self.dataType, count: count, nullCount: nulls, validity: bits,
                      buffers: [offsets.finish()], children: [try elements.finish()])
    }
}

/// Assembles a struct column from finished children and the struct's own validity.
struct StructColumnBuilder {
    private var validity = ValidityBuilder()
    private(set) var count = 0

    mutating func append(present: Bool) {
        validity.append(present)
        count += 1
    }

    mutating func appendNulls(_ n: Int) {
        guard n > 0 else { return }
        validity.appendNulls(n)
        count += n
    }

    mutating func finish(fields: [Field], children: [Column]) -> Column {
        let (bits, nulls) = validity.finish()
        return Column(dataType: .struct(fields), count: count, nullCount: nulls, validity: bits, buffers: [],
                      children: children)
    }
}
