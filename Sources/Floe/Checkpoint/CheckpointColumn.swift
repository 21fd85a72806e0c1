import FloeColumnar

/// Typed, allocation-free access to one column of a decoded checkpoint batch, by row.
///
/// Wraps a ``Column`` produced by the Parquet reader (whose layout invariants hold) and reads its
/// buffers directly: integers of any width, booleans, strings through offsets and data, string
/// lists and string maps. An absent column (not in the file) reads as null everywhere, as the
/// protocol requires for missing checkpoint columns. A present column of an unexpected type reads
/// as null where it is null and throws ``DeltaError/Code/corruptLog`` where it holds a value.
struct CheckpointColumn {
    enum Kind {
        case absent
        case int8, int16, int32, int64, uint8, uint16, uint32, uint64
        case boolean, string, stringList, stringMap, structure
        case unexpected
    }

    /// The dotted name, e.g. `add.size`, for messages.
    let name: String
    let column: Column?
    let kind: Kind

    /// A column that is not in the file.
    static func absent(_ name: String) -> CheckpointColumn {
        CheckpointColumn(name: name, column: nil, kind: .absent)
    }

    private init(name: String, column: Column?, kind: Kind) {
        self.name = name
        self.column = column
        self.kind = kind
    }

    init(name: String, column: Column) {
        self.name = name
        self.column = column
        switch column.dataType {
        case .int8: kind = .int8
        case .int16: kind = .int16
        case .int32: kind = .int32
        case .int64: kind = .int64
        case .uint8: kind = .uint8
        case .uint16: kind = .uint16
        case .uint32: kind = .uint32
        case .uint64: kind = .uint64
        case .boolean: kind = .boolean
        case .string, .binary: kind = .string
        case .list(let element):
            kind = Self.isStringType(element.dataType) ? .stringList : .unexpected
        case .map(let entries, _):
            if case .struct(let kv) = entries.dataType, kv.count == 2,
               Self.isStringType(kv[0].dataType), Self.isStringType(kv[1].dataType) {
                kind = .stringMap
            } else {
                kind = .unexpected
            }
        case .struct: kind = .structure
        case .null: kind = .absent
        default: kind = .unexpected
        }
    }

    private static func isStringType(_ type: DataType) -> Bool {
        switch type {
        case .string, .binary: true
        default: false
        }
    }

    /// Whether the value at `row` is null (always for an absent column).
    @inline(__always)
    func isNull(_ row: Int) -> Bool {
        guard let column else { return true }
        return column.isNull(at: row)
    }

    /// The child field `field` of a struct column; absent when this column is absent, not a
    /// struct, or has no such field.
    func child(_ field: String) -> CheckpointColumn {
        let childName = name + "." + field
        guard let column, case .struct(let fields) = column.dataType,
              let index = fields.firstIndex(where: { $0.name == field }), index < column.children.count else {
            return .absent(childName)
        }
        return CheckpointColumn(name: childName, column: column.children[index])
    }

    func typeError(_ expected: String) -> DeltaError {
        DeltaError(.corruptLog, "column '\(name)' has type \(column?.dataType.description ?? "null"), expected \(expected)")
    }

    /// The integer at `row`, or `nil` when null.
    func int64(_ row: Int) throws -> Int64? {
        guard let column, !column.isNull(at: row) else { return nil }
        let values = column.buffers[0]
        switch kind {
        case .int64: return values.value(at: row, as: Int64.self)
        case .int32: return Int64(values.value(at: row, as: Int32.self))
        case .int16: return Int64(values.value(at: row, as: Int16.self))
        case .int8: return Int64(values.value(at: row, as: Int8.self))
        case .uint8: return Int64(values.value(at: row, as: UInt8.self))
        case .uint16: return Int64(values.value(at: row, as: UInt16.self))
        case .uint32: return Int64(values.value(at: row, as: UInt32.self))
        case .uint64:
            guard let v = Int64(exactly: values.value(at: row, as: UInt64.self)) else {
                throw DeltaError(.corruptLog, "column '\(name)' row \(row): value does not fit a 64-bit signed integer")
            }
            return v
        default: throw typeError("an integer")
        }
    }

    /// The boolean at `row`, or `nil` when null.
    func bool(_ row: Int) throws -> Bool? {
        guard let column, !column.isNull(at: row) else { return nil }
        guard case .boolean = kind else { throw typeError("a boolean") }
        return column.buffers[0].bit(at: row)
    }

    /// The string at `row`, or `nil` when null.
    func string(_ row: Int) throws -> String? {
        guard let column, !column.isNull(at: row) else { return nil }
        guard case .string = kind else { throw typeError("a string") }
        return Self.string(in: column, at: row)
    }

    /// The string at `row` of a string column known to be valid there.
    @inline(__always)
    static func string(in column: Column, at row: Int) -> String {
        let offsets = column.buffers[0]
        let start = Int(offsets.value(at: row, as: Int32.self))
        let end = Int(offsets.value(at: row + 1, as: Int32.self))
        return column.buffers[1].withUnsafeBytes { bytes in
            String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        }
    }

    /// The list of strings at `row`, or `nil` when null. Null elements are an error.
    func strings(_ row: Int) throws -> [String]? {
        guard let column, !column.isNull(at: row) else { return nil }
        guard case .stringList = kind else { throw typeError("a list of strings") }
        let range = column.offsetRange(at: row)
        let elements = column.children[0]
        var result: [String] = []
        result.reserveCapacity(range.count)
        for j in range {
            guard !elements.isNull(at: j) else {
                throw DeltaError(.corruptLog, "column '\(name)' row \(row) holds a null list element")
            }
            result.append(Self.string(in: elements, at: j))
        }
        return result
    }

    /// The string map at `row` with nullable values, or `nil` when null.
    func nullableStringMap(_ row: Int) throws -> [String: String?]? {
        guard let column, !column.isNull(at: row) else { return nil }
        guard case .stringMap = kind else { throw typeError("a map of strings") }
        let range = column.offsetRange(at: row)
        var result: [String: String?] = [:]
        if range.isEmpty { return result }
        result.reserveCapacity(range.count)
        let entries = column.children[0]
        let keys = entries.children[0], values = entries.children[1]
        for j in range {
            guard !keys.isNull(at: j) else {
                throw DeltaError(.corruptLog, "column '\(name)' row \(row) holds a null map key")
            }
            let key = Self.string(in: keys, at: j)
            result[key] = values.isNull(at: j) ? .some(nil) : .some(Self.string(in: values, at: j))
        }
        return result
    }

    /// The string map at `row` with null values dropped, or `nil` when null.
    func stringMap(_ row: Int) throws -> [String: String]? {
        guard let map = try nullableStringMap(row) else { return nil }
        var result: [String: String] = [:]
        result.reserveCapacity(map.count)
        for (key, value) in map { if let value { result[key] = value } }
        return result
    }
}
