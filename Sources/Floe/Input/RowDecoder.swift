import Foundation
import FloeColumnar

/// Decodes ndjson and CSV records into a ``RecordBatch`` of a target schema, value by value, in
/// the CLI's value encoding (Spec/CLI.md):
///
/// - integers: JSON numbers (or strings holding integers); floats: numbers or `"NaN"`,
///   `"Infinity"`, `"-Infinity"`; decimals: strings or numbers (`"12.30"`, `12.3`), at most the
///   column's scale and precision; booleans: `true`/`false`; strings; binary: base64;
///   dates: `"YYYY-MM-DD"`; timestamps: any ISO-8601 date-time (`Z`, an offset, or none for UTC;
///   `timestamp_ntz` takes the wall-clock time) or a number of microseconds since the epoch;
///   structs: objects; arrays: arrays; maps: arrays of `[key, value]` pairs or, for string keys,
///   objects; null: `null` or an absent key.
/// - CSV cells hold the same values as text; an empty unquoted cell is null, `""` is the empty
///   string (or empty binary; null for other types); nested values are JSON text.
///
/// Columns are matched by name (exactly, else ignoring case). Unknown columns are refused unless
/// ``allowsNewColumns``; then their types are inferred from the values of each batch (JSON:
/// integers → long, other numbers → double, strings → string, booleans → boolean, objects →
/// struct, arrays → array; CSV: long, double, boolean or string) and the column joins ``schema``
/// from the first batch where it has a non-null value.
///
/// Errors are ``DeltaError/Code/invalidArgument`` naming the line number and column.
public final class RowDecoder {
    /// The target schema: the table's columns and any new columns adopted so far.
    public private(set) var schema: Schema
    /// Whether input columns missing from the schema are added (schema evolution).
    public let allowsNewColumns: Bool
    /// Rows decoded since the last ``finish()``.
    public private(set) var count = 0

    private var builders: [ColumnBuilder]
    private var index: [String: Int] = [:]
    private var lowerIndex: [String: Int] = [:]
    /// Columns not in the schema: raw values per row (nil for rows before the column appeared).
    private var newColumns: [(name: String, values: [NewValue?])] = []
    private var newIndex: [String: Int] = [:]
    /// CSV: for each header position, the schema column or new column it feeds.
    private var csvTargets: [CSVTarget] = []
    private var csvHeaderCount = 0

    private enum NewValue {
        case json(JSONValue, line: Int)
        case text(String, line: Int)
    }

    private enum CSVTarget {
        case column(Int)
        case new(String)
    }

    /// A decoder for rows of `schema`.
    public init(schema: Schema, allowsNewColumns: Bool = false) {
        self.schema = schema
        self.allowsNewColumns = allowsNewColumns
        builders = schema.fields.map { ColumnBuilder($0.dataType) }
        rebuildIndex()
    }

    private func rebuildIndex() {
        index = [:]
        lowerIndex = [:]
        for (i, f) in schema.fields.enumerated() {
            if index[f.name] == nil { index[f.name] = i }
            if lowerIndex[f.name.lowercased()] == nil { lowerIndex[f.name.lowercased()] = i }
        }
    }

    private func columnIndex(_ name: String) -> Int? { index[name] ?? lowerIndex[name.lowercased()] }

    /// Sets the CSV header (column names in file order); must be called before CSV records.
    ///
    /// - Throws: for duplicate or (without ``allowsNewColumns``) unknown column names.
    public func setCSVHeader(_ names: [String], line: Int = 1) throws {
        var targets: [CSVTarget] = []
        var seen = Set<String>()
        for name in names {
            guard seen.insert(name.lowercased()).inserted else {
                throw DeltaError(.invalidArgument, "line \(line): CSV header names column '\(name)' twice")
            }
            if let i = columnIndex(name) {
                targets.append(.column(i))
            } else if allowsNewColumns {
                targets.append(.new(name))
            } else {
                throw unknownColumn(name, line: line)
            }
        }
        csvTargets = targets
        csvHeaderCount = names.count
    }

    private func unknownColumn(_ name: String, line: Int) -> DeltaError {
        DeltaError(.invalidArgument, "line \(line): unknown column '\(name)' (table columns: \(schema.fields.map(\.name).joined(separator: ", "))); use --merge-schema to add it")
    }

    /// The error for a JSON record naming one column twice (keys match case-insensitively).
    private func duplicateKey(_ name: String, line: Int) -> DeltaError {
        DeltaError(.invalidArgument, "line \(line): column '\(name)' appears more than once in the record")
    }

    /// Decodes one record and appends it; a record that fails to decode is not added (a record
    /// naming a column twice is refused).
    public func append(_ record: InputRecord) throws {
        var row = [Scalar](repeating: .null, count: schema.fields.count)
        var present = [Bool](repeating: false, count: schema.fields.count)
        var extra: [(String, NewValue)] = []
        switch record.payload {
        case .json(let bytes):
            let value: JSONValue
            do {
                value = try JSONValue.parse(bytes)
            } catch {
                throw DeltaError(.invalidArgument, "line \(record.line): malformed JSON: \(error.reason) at byte \(error.offset + 1)")
            }
            guard case .object(let object) = value else {
                throw DeltaError(.invalidArgument, "line \(record.line): expected a JSON object, found \(Self.kind(of: value))")
            }
            var extraNames = Set<String>()
            for member in object {
                if let i = columnIndex(member.key) {
                    let field = schema.fields[i]
                    guard !present[i] else { throw duplicateKey(member.key, line: record.line) }
                    row[i] = try JSONScalar.convert(member.value, to: field.dataType, path: field.name, line: record.line)
                    present[i] = true
                } else if allowsNewColumns {
                    // A key given twice would add two values to one new column.
                    guard extraNames.insert(member.key.lowercased()).inserted else {
                        throw duplicateKey(member.key, line: record.line)
                    }
                    extra.append((member.key, .json(member.value, line: record.line)))
                } else {
                    throw unknownColumn(member.key, line: record.line)
                }
            }
        case .csv(let cells):
            guard cells.count == csvHeaderCount else {
                throw DeltaError(.invalidArgument, "line \(record.line): \(cells.count) field\(cells.count == 1 ? "" : "s") but the CSV header has \(csvHeaderCount)")
            }
            for (cell, target) in zip(cells, csvTargets) {
                switch target {
                case .column(let i):
                    let field = schema.fields[i]
                    row[i] = try JSONScalar.convert(text: cell, to: field.dataType, path: field.name, line: record.line)
                    present[i] = true
                case .new(let name):
                    if let cell { extra.append((name, .text(cell, line: record.line))) }
                }
            }
        }
        for (i, field) in schema.fields.enumerated() where !field.isNullable && row[i].isNull {
            throw DeltaError(.invalidArgument, "line \(record.line), column '\(field.name)': the column is NOT NULL but the value is \(present[i] ? "null" : "missing")")
        }
        for (i, value) in row.enumerated() {
            do { try builders[i].append(value) } catch {
                throw DeltaError(.invalidArgument, "line \(record.line), column '\(schema.fields[i].name)': \(error)")
            }
        }
        for (name, value) in extra {
            let key = name.lowercased()
            if let k = newIndex[key] {
                newColumns[k].values.append(value)
            } else {
                newIndex[key] = newColumns.count
                newColumns.append((name, [NewValue?](repeating: nil, count: count) + [value]))
            }
        }
        count += 1
        for k in newColumns.indices where newColumns[k].values.count < count { newColumns[k].values.append(nil) }
    }

    /// The rows decoded since the last call as one batch (nil when there were none), and a fresh
    /// start for the next batch. New columns with at least one non-null value are typed, added to
    /// the batch and to ``schema``.
    public func finish() throws -> RecordBatch? {
        defer {
            builders = schema.fields.map { ColumnBuilder($0.dataType) }
            count = 0
            newColumns = []
            newIndex = [:]
        }
        guard count > 0 else { return nil }
        var fields = schema.fields
        var columns = builders.map { $0.finish() }
        var adopted: [Field] = []
        for column in newColumns {
            guard let type = try Self.inferType(column.name, column.values) else { continue }
            let builder = ColumnBuilder(type)
            for value in column.values {
                switch value {
                case nil: builder.appendNull()
                case .json(let v, let line)?:
                    let s = try JSONScalar.convert(v, to: type, path: column.name, line: line)
                    do { try builder.append(s) } catch {
                        throw DeltaError(.invalidArgument, "line \(line), column '\(column.name)': \(error)")
                    }
                case .text(let t, let line)?:
                    let s = try JSONScalar.convert(text: t, to: type, path: column.name, line: line)
                    do { try builder.append(s) } catch {
                        throw DeltaError(.invalidArgument, "line \(line), column '\(column.name)': \(error)")
                    }
                }
            }
            let field = Field(column.name, type)
            fields.append(field)
            columns.append(builder.finish())
            adopted.append(field)
        }
        let batch = try RecordBatch(schema: Schema(fields), columns: columns, count: count)
        if !adopted.isEmpty {
            let oldTargets = csvTargets
            schema = Schema(fields)
            rebuildIndex()
            csvTargets = oldTargets.map { target in
                if case .new(let name) = target, let i = columnIndex(name) { return .column(i) }
                return target
            }
        }
        return batch
    }

    static func kind(of value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "a boolean"
        case .number(let n): "the number \(n.text)"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// The type of a new column from its values; nil when all are null.
    private static func inferType(_ name: String, _ values: [NewValue?]) throws -> DataType? {
        var type: DataType?
        var firstLine = 0
        for value in values {
            let inferred: DataType?
            let line: Int
            switch value {
            case nil: continue
            case .json(let v, let l)?: inferred = try inferJSON(v, path: name, line: l, depth: 1); line = l
            case .text(let t, let l)?: inferred = inferText(t); line = l
            }
            guard let inferred else { continue }
            guard let current = type else { type = inferred; firstLine = line; continue }
            guard let unified = unify(current, inferred) else {
                throw DeltaError(.invalidArgument, "line \(line), column '\(name)': a value of type \(ConditionParser.typeName(inferred)) in a new column whose values on line \(firstLine) have type \(ConditionParser.typeName(current))")
            }
            type = unified
        }
        return type
    }

    private static func inferText(_ text: String) -> DataType {
        if Int64(text) != nil { return .int64 }
        if Double(text) != nil { return .float64 }
        if text == "true" || text == "false" { return .boolean }
        return .string
    }

    /// The type of a new column's JSON value at nesting `depth` (1 for the column itself); a value
    /// nested deeper than ``DeltaType/maxNestingDepth`` is an error naming the line and the limit.
    private static func inferJSON(_ value: JSONValue, path: String, line: Int, depth: Int) throws -> DataType? {
        switch value {
        case .array, .object:
            guard depth < DeltaType.maxNestingDepth else {
                throw JSONScalar.fail(line, path, "a new column nested more than \(DeltaType.maxNestingDepth) levels deep (the limit for column types)")
            }
        default: break
        }
        switch value {
        case .null: return nil
        case .bool: return .boolean
        case .number(let n): return Int64(n.text) != nil ? .int64 : .float64
        case .string: return .string
        case .array(let items):
            var element: DataType?
            for item in items {
                guard let t = try inferJSON(item, path: path + ".element", line: line, depth: depth + 1) else { continue }
                guard let e = element else { element = t; continue }
                guard let u = unify(e, t) else {
                    throw DeltaError(.invalidArgument, "line \(line), column '\(path)': array elements of different types (\(ConditionParser.typeName(e)) and \(ConditionParser.typeName(t)))")
                }
                element = u
            }
            return .list(Field("element", element ?? .string))
        case .object(let object):
            var fields: [Field] = []
            for member in object {
                guard let t = try inferJSON(member.value, path: path + "." + member.key, line: line, depth: depth + 1) else {
                    if !fields.contains(where: { $0.name == member.key }) { fields.append(Field(member.key, .null)) }
                    continue
                }
                if let i = fields.firstIndex(where: { $0.name == member.key }) {
                    fields[i].dataType = unify(fields[i].dataType, t) ?? t
                } else {
                    fields.append(Field(member.key, t))
                }
            }
            return .struct(fields.map { f in var f = f; if f.dataType == .null { f.dataType = .string }; return f })
        }
    }

    /// The common type of two inferred types, or nil when they conflict.
    private static func unify(_ a: DataType, _ b: DataType) -> DataType? {
        if a == b { return a }
        switch (a, b) {
        case (.int64, .float64), (.float64, .int64): return .float64
        case (.list(let x), .list(let y)):
            guard let e = unify(x.dataType, y.dataType) else { return nil }
            return .list(Field("element", e))
        case (.struct(let x), .struct(let y)):
            var fields = x
            for f in y {
                if let i = fields.firstIndex(where: { $0.name == f.name }) {
                    guard let u = unify(fields[i].dataType, f.dataType) else { return nil }
                    fields[i].dataType = u
                } else {
                    fields.append(f)
                }
            }
            return .struct(fields)
        default: return nil
        }
    }
}

/// Conversions of JSON values and CSV text to scalars of a column type.
enum JSONScalar {
    static func fail(_ line: Int, _ path: String, _ message: String) -> DeltaError {
        DeltaError(.invalidArgument, "line \(line), column '\(path)': \(message)")
    }

    static func shown(_ value: JSONValue) -> String {
        var text = value.jsonText
        if text.count > 40 { text = String(text.prefix(37)) + "..." }
        return text
    }

    /// The scalar for a JSON value in a column of `type`.
    static func convert(_ value: JSONValue, to type: DataType, path: String, line: Int) throws -> Scalar {
        if case .null = value { return .null }
        func mismatch() -> DeltaError {
            fail(line, path, "\(shown(value)) is not a valid \(ConditionParser.typeName(type))")
        }
        switch type {
        case .null:
            throw fail(line, path, "\(shown(value)) in a column that can only hold null")
        case .boolean:
            switch value {
            case .bool(let b): return .bool(b)
            case .string(let s):
                switch s.lowercased() {
                case "true": return .bool(true)
                case "false": return .bool(false)
                default: throw mismatch()
                }
            default: throw mismatch()
            }
        case .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64:
            let text: String
            switch value {
            case .number(let n): text = n.text
            case .string(let s): text = s.trimmingSpaces()
            default: throw mismatch()
            }
            return try integer(text, type: type, path: path, line: line) ?? { throw mismatch() }()
        case .float16, .float32, .float64:
            switch value {
            case .number(let n):
                return try float(n.text, type: type, path: path, line: line) ?? { throw mismatch() }()
            case .string(let s):
                return try float(s, type: type, path: path, line: line) ?? { throw mismatch() }()
            default: throw mismatch()
            }
        case .decimal(let precision, let scale):
            let text: String
            switch value {
            case .number(let n): text = n.text
            case .string(let s): text = s.trimmingSpaces()
            default: throw mismatch()
            }
            return try decimal(text, precision: precision, scale: scale, path: path, line: line) ?? { throw mismatch() }()
        case .string:
            switch value {
            case .string(let s): return .string(s)
            case .number(let n): return .string(n.text)
            case .bool(let b): return .string(b ? "true" : "false")
            default: throw fail(line, path, "expected a string, found \(RowDecoder.kind(of: value))")
            }
        case .binary, .fixedSizeBinary:
            guard case .string(let s) = value else { throw fail(line, path, "expected a base64 string, found \(RowDecoder.kind(of: value))") }
            guard let data = Data(base64Encoded: s) else { throw fail(line, path, "\(shown(value)) is not valid base64") }
            return .binary(Array(data))
        case .date32:
            guard case .string(let s) = value, let days = Temporal.parseDate(Substring(s.trimmingSpaces())), abs(days) <= Int64(Int32.max) else {
                throw fail(line, path, "\(shown(value)) is not a valid date (expected \"YYYY-MM-DD\")")
            }
            return .int(days)
        case .timestamp(let unit, _):
            let micros: Int64
            switch value {
            case .string(let s):
                guard let m = Temporal.parseTimestampMicros(s) else {
                    throw fail(line, path, "\(shown(value)) is not a valid timestamp (expected ISO-8601 such as \"2026-11-24T10:00:00Z\", or microseconds since the epoch)")
                }
                micros = m
            case .number(let n):
                guard let m = Int64(n.text) else { throw fail(line, path, "\(n.text) is not a whole number of microseconds since the epoch") }
                micros = m
            default:
                throw fail(line, path, "expected a timestamp string, found \(RowDecoder.kind(of: value))")
            }
            switch unit {
            case .microsecond: return .int(micros)
            case .millisecond: return .int(Temporal.floorDivide(micros, 1_000))
            case .second: return .int(Temporal.floorDivide(micros, 1_000_000))
            case .nanosecond:
                let (r, o) = micros.multipliedReportingOverflow(by: 1_000)
                if o { throw fail(line, path, "\(shown(value)) is out of range for nanosecond timestamps") }
                return .int(r)
            }
        case .list(let element):
            guard case .array(let items) = value else { throw fail(line, path, "expected an array, found \(RowDecoder.kind(of: value))") }
            var out: [Scalar] = []
            out.reserveCapacity(items.count)
            for (i, item) in items.enumerated() {
                let s = try convert(item, to: element.dataType, path: "\(path)[\(i)]", line: line)
                if s.isNull && !element.isNullable { throw fail(line, "\(path)[\(i)]", "array elements may not be null") }
                out.append(s)
            }
            return .list(out)
        case .map(let entries, _):
            guard case .struct(let kv) = entries.dataType, kv.count == 2 else { throw mismatch() }
            var out: [Scalar.MapEntry] = []
            func add(_ k: JSONValue, _ v: JSONValue, _ i: Int) throws {
                let key = try convert(k, to: kv[0].dataType, path: "\(path)[\(i)].key", line: line)
                if key.isNull { throw fail(line, path, "map keys may not be null") }
                let value = try convert(v, to: kv[1].dataType, path: "\(path)[\(i)].value", line: line)
                if value.isNull && !kv[1].isNullable { throw fail(line, "\(path)[\(i)].value", "map values may not be null") }
                out.append(Scalar.MapEntry(key: key, value: value))
            }
            switch value {
            case .array(let pairs):
                for (i, pair) in pairs.enumerated() {
                    switch pair {
                    case .array(let kvPair) where kvPair.count == 2:
                        try add(kvPair[0], kvPair[1], i)
                    case .object(let o) where o["key"] != nil:
                        try add(o["key"] ?? .null, o["value"] ?? .null, i)
                    default:
                        throw fail(line, path, "map entries must be [key, value] pairs, found \(shown(pair))")
                    }
                }
            case .object(let object):
                guard kv[0].dataType == .string else {
                    throw fail(line, path, "a map with \(ConditionParser.typeName(kv[0].dataType)) keys must be written as an array of [key, value] pairs")
                }
                for (i, member) in object.enumerated() { try add(.string(member.key), member.value, i) }
            default:
                throw fail(line, path, "expected a map (an array of [key, value] pairs or an object), found \(RowDecoder.kind(of: value))")
            }
            return .map(out)
        case .struct(let fields):
            guard case .object(let object) = value else { throw fail(line, path, "expected an object, found \(RowDecoder.kind(of: value))") }
            var items = [Scalar](repeating: .null, count: fields.count)
            for member in object {
                guard let i = fields.firstIndex(where: { $0.name == member.key })
                        ?? fields.firstIndex(where: { $0.name.lowercased() == member.key.lowercased() }) else {
                    throw fail(line, path, "unknown field '\(member.key)' (fields: \(fields.map(\.name).joined(separator: ", ")))")
                }
                items[i] = try convert(member.value, to: fields[i].dataType, path: path + "." + fields[i].name, line: line)
            }
            for (i, f) in fields.enumerated() where !f.isNullable && items[i].isNull {
                throw fail(line, path + "." + f.name, "the field is NOT NULL but the value is null or missing")
            }
            return .structure(items)
        }
    }

    /// The scalar for a CSV cell (nil: an empty unquoted cell, null).
    static func convert(text: String?, to type: DataType, path: String, line: Int) throws -> Scalar {
        guard let text else { return .null }
        func mismatch(_ expected: String = "") -> DeltaError {
            var shown = text
            if shown.count > 40 { shown = String(shown.prefix(37)) + "..." }
            return fail(line, path, "\"\(shown)\" is not a valid \(ConditionParser.typeName(type))\(expected)")
        }
        switch type {
        case .string: return .string(text)
        case .binary where text.isEmpty: return .binary([])  // `""`: the empty value, as for strings
        case .struct, .list, .map:
            if text.isEmpty { return .null }
            let value: JSONValue
            do { value = try JSONValue.parse(text) } catch {
                throw fail(line, path, "malformed JSON for a \(ConditionParser.typeName(type)) value: \(error.reason) at byte \(error.offset + 1)")
            }
            return try convert(value, to: type, path: path, line: line)
        default: break
        }
        let trimmed = text.trimmingSpaces()
        if trimmed.isEmpty { return .null }
        switch type {
        case .boolean:
            switch trimmed.lowercased() {
            case "true", "t", "1": return .bool(true)
            case "false", "f", "0": return .bool(false)
            default: throw mismatch()
            }
        case .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64:
            return try integer(trimmed, type: type, path: path, line: line) ?? { throw mismatch() }()
        case .float16, .float32, .float64:
            return try float(trimmed, type: type, path: path, line: line) ?? { throw mismatch() }()
        case .decimal(let p, let s):
            return try decimal(trimmed, precision: p, scale: s, path: path, line: line) ?? { throw mismatch() }()
        case .date32, .timestamp, .binary, .fixedSizeBinary:
            let value: JSONValue = (type == .binary || Int64(trimmed) == nil || type == .date32) ? .string(trimmed) : .number(JSONNumber(Int64(trimmed) ?? 0))
            return try convert(value, to: type, path: path, line: line)
        default:
            throw mismatch()
        }
    }

    static func integer(_ text: String, type: DataType, path: String, line: Int) throws -> Scalar? {
        var v = Int64(text)
        if v == nil, let d = Double(text), d.isFinite, d == d.rounded(), abs(d) < 9.0e15 { v = Int64(d) }
        guard let v else {
            let numeric = text.allSatisfy({ $0.isASCIIDigitCharacter || $0 == "-" || $0 == "+" }) && !text.isEmpty
            if numeric || (text.contains(where: \.isASCIIDigitCharacter) && Double(text)?.isInfinite == true) {
                throw fail(line, path, "\(text) is out of range for \(ConditionParser.typeName(type))")
            }
            return nil
        }
        let range: ClosedRange<Int64>
        switch type {
        case .int8: range = Int64(Int8.min)...Int64(Int8.max)
        case .int16, .uint8: range = Int64(Int16.min)...Int64(Int16.max)
        case .int32, .uint16: range = Int64(Int32.min)...Int64(Int32.max)
        default: range = Int64.min...Int64.max
        }
        guard range.contains(v) else {
            throw fail(line, path, "\(text) is out of range for \(ConditionParser.typeName(type)) (\(range.lowerBound) to \(range.upperBound))")
        }
        return .int(v)
    }

    /// A float column's value from text (a number, or `NaN`/`Infinity`/`-Infinity` spelled out);
    /// nil when it is no number. A finite number beyond the type's range (`1e400` for a double,
    /// `1e39` for a float) is an error: it never silently becomes infinity.
    static func float(_ text: String, type: DataType, path: String, line: Int) throws -> Scalar? {
        if let d = floatText(text) {
            let fits: Bool = switch type {
            case .float16: !d.isFinite || Float16(d).isFinite
            case .float32: !d.isFinite || Float(d).isFinite
            default: true
            }
            guard fits else { throw fail(line, path, "\(text.trimmingSpaces()) is out of range for \(ConditionParser.typeName(type))") }
            return .float(d)
        }
        let t = text.trimmingSpaces()
        if let d = Double(t), d.isInfinite, t.lowercased().allSatisfy({ $0.isASCIIDigitCharacter || "+-.e".contains($0) }) {
            throw fail(line, path, "\(t) is out of range for \(ConditionParser.typeName(type))")
        }
        return nil
    }

    static func floatText(_ text: String) -> Double? {
        switch text.trimmingSpaces().lowercased() {
        case "nan": return .nan
        case "infinity", "+infinity", "inf", "+inf": return .infinity
        case "-infinity", "-inf": return -.infinity
        default: break
        }
        let t = text.trimmingSpaces()
        guard let d = Double(t), d.isFinite else { return nil }
        return d
    }

    static func decimal(_ text: String, precision: Int, scale: Int, path: String, line: Int) throws -> Scalar? {
        guard let v = ConditionParser.decimal(text, scale: scale) else {
            if Double(text) != nil {
                throw fail(line, path, "\(text) does not fit decimal(\(precision),\(scale)) (too many decimal places or digits)")
            }
            return nil
        }
        var limit: Int128 = 1
        for _ in 0..<precision { limit *= 10 }
        guard v < limit && v > -limit else {
            throw fail(line, path, "\(text) does not fit decimal(\(precision),\(scale)) (more than \(precision - scale) digit\(precision - scale == 1 ? "" : "s") before the point)")
        }
        return .decimal(v)
    }
}
