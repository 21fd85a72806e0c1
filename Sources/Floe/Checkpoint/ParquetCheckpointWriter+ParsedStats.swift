import FloeColumnar

extension ParquetCheckpointWriter {
    /// The type of the `add.stats_parsed` column for a table with `schema` (data columns only,
    /// physical names under column mapping): `numRecords: long`, `minValues` and `maxValues` (the
    /// columns whose type has an order: numbers, decimals, strings, dates, timestamps, booleans;
    /// nested structs kept), `nullCount` (a `long` for every column), `tightBounds: boolean`.
    public static func statsParsedType(for schema: StructType, columnMapping: ColumnMappingMode = .none) -> DataType {
        let bounds = boundsFields(schema, mode: columnMapping)
        let counts = nullCountFields(schema, mode: columnMapping)
        var fields = [Field("numRecords", .int64)]
        if !bounds.isEmpty {
            fields.append(Field("minValues", .struct(bounds)))
            fields.append(Field("maxValues", .struct(bounds)))
        }
        if !counts.isEmpty { fields.append(Field("nullCount", .struct(counts))) }
        fields.append(Field("tightBounds", .boolean))
        return .struct(fields)
    }

    static func boundsFields(_ schema: StructType, mode: ColumnMappingMode) -> [Field] {
        schema.fields.compactMap { field in
            let name = field.physicalName(for: mode)
            if case .struct(let nested) = field.type {
                let children = boundsFields(nested, mode: mode)
                return children.isEmpty ? nil : Field(name, .struct(children))
            }
            return arrowType(forBounds: field.type).map { Field(name, $0) }
        }
    }

    static func nullCountFields(_ schema: StructType, mode: ColumnMappingMode) -> [Field] {
        schema.fields.compactMap { field in
            let name = field.physicalName(for: mode)
            if case .struct(let nested) = field.type {
                let children = nullCountFields(nested, mode: mode)
                return children.isEmpty ? nil : Field(name, .struct(children))
            }
            return Field(name, .int64)
        }
    }

    /// The Arrow type of a primitive Delta type's statistics or partition values; `nil` for types
    /// without min/max statistics (binary, nested, variant, void).
    static func arrowType(forBounds type: DeltaType) -> DataType? {
        switch type {
        case .long: .int64
        case .integer: .int32
        case .short: .int16
        case .byte: .int8
        case .float: .float32
        case .double: .float64
        case .decimal(let p, let s): .decimal(precision: p, scale: s)
        case .string: .string
        case .boolean: .boolean
        case .date: .date32
        case .timestamp: .timestamp(.microsecond, timezone: "UTC")
        case .timestampNtz: .timestamp(.microsecond, timezone: nil)
        default: nil
        }
    }
}

/// The layout of `stats_parsed` and `partitionValues_parsed` for one table.
struct ParsedStatsLayout {
    let statsType: DataType
    /// The partition columns: the key in `partitionValues`, the Delta type and the Arrow type.
    let partitions: [(name: String, type: DeltaType, arrow: DataType)]

    init(snapshot: Snapshot) throws {
        let mode = snapshot.columnMappingMode
        let partitionNames = Set(snapshot.partitionColumns)
        let data = StructType(snapshot.schema.fields.filter { !partitionNames.contains($0.name) })
        statsType = ParquetCheckpointWriter.statsParsedType(for: data, columnMapping: mode)
        var partitions: [(String, DeltaType, DataType)] = []
        for column in snapshot.partitionColumns {
            guard let field = snapshot.schema.field(named: column) else { continue }
            // Partition values of types without an Arrow form here are kept as their strings.
            let arrow = ParquetCheckpointWriter.arrowType(forBounds: field.type) ?? .string
            partitions.append((field.physicalName(for: mode), arrow == .string ? .string : field.type, arrow))
        }
        self.partitions = partitions
    }

    var partitionFields: [Field] { partitions.map { Field($0.name, $0.arrow) } }
}

/// Builds `add.stats_parsed` and `add.partitionValues_parsed` from each file's JSON statistics and
/// partition values. Values that do not parse as the column's type are left null (no statistic).
final class ParsedStatsEncoder {
    let layout: ParsedStatsLayout
    private let stats: ColumnBuilder
    private let partitionValues: ColumnBuilder?

    init(_ layout: ParsedStatsLayout) {
        self.layout = layout
        stats = ColumnBuilder(layout.statsType)
        partitionValues = layout.partitions.isEmpty ? nil : ColumnBuilder(.struct(layout.partitionFields))
    }

    func append(_ add: AddFile) throws {
        do {
            if let partitionValues {
                let values = layout.partitions.map { partition -> Scalar in
                    guard let text = add.partitionValues[partition.name] ?? nil,
                          let value = try? PartitionValue(parsing: text, as: partition.type) else { return .null }
                    if case .decimal(_, let scale) = partition.arrow, case .decimal(let digits) = value {
                        return Self.decimalScalar(digits, scale: scale)
                    }
                    return Self.scalar(value)
                }
                try partitionValues.append(.structure(values))
            }
            if let text = add.stats, let object = try? JSONValue.parse(Array(text.utf8)), case .object = object {
                try stats.append(Self.scalar(object, as: layout.statsType))
            } else {
                stats.appendNull()
            }
        } catch {
            throw DeltaError(.internalError, "building stats_parsed for \(add.path) failed: \(error)")
        }
    }

    func appendNulls(_ n: Int) {
        for _ in 0..<n {
            stats.appendNull()
            partitionValues?.appendNull()
        }
    }

    func finish() throws -> [(Field, Column)] {
        var result: [(Field, Column)] = []
        if let partitionValues {
            let column = partitionValues.finish()
            result.append((Field("partitionValues_parsed", column.dataType), column))
        }
        let column = stats.finish()
        result.append((Field("stats_parsed", column.dataType), column))
        return result
    }

    static func scalar(_ value: PartitionValue) -> Scalar {
        switch value {
        case .null: .null
        case .string(let s): .string(s)
        case .long(let v): .int(v)
        case .integer(let v): .int(Int64(v))
        case .short(let v): .int(Int64(v))
        case .byte(let v): .int(Int64(v))
        case .float(let v): .float(Double(v))
        case .double(let v): .float(v)
        case .boolean(let b): .bool(b)
        case .decimal(let text): decimalScalar(text, scale: nil)
        case .date(let days): .int(Int64(days))
        case .timestamp(let micros), .timestampNtz(let micros): .int(micros)
        case .binary(let bytes): .string(String(decoding: bytes, as: UTF8.self))
        }
    }

    /// The value of `json` as a scalar of Arrow type `type`, or `.null` when it does not fit.
    static func scalar(_ json: JSONValue, as type: DataType) -> Scalar {
        switch (type, json) {
        case (.struct(let fields), .object(let object)):
            return .structure(fields.map { field in object[field.name].map { scalar($0, as: field.dataType) } ?? .null })
        case (.int8, .number(let n)), (.int16, .number(let n)), (.int32, .number(let n)), (.int64, .number(let n)):
            guard let v = n.int64Value else { return .null }
            let fits: Bool
            switch type {
            case .int8: fits = Int8(exactly: v) != nil
            case .int16: fits = Int16(exactly: v) != nil
            case .int32: fits = Int32(exactly: v) != nil
            default: fits = true
            }
            return fits ? .int(v) : .null
        case (.float32, .number(let n)), (.float64, .number(let n)):
            return n.doubleValue.map(Scalar.float) ?? .null
        case (.float32, .string(let s)), (.float64, .string(let s)):
            return PartitionValue.parseJavaDouble(s).map(Scalar.float) ?? .null
        case (.decimal(_, let scale), .number(let n)):
            return decimalScalar(n.text, scale: scale)
        case (.string, .string(let s)):
            return .string(s)
        case (.boolean, .bool(let b)):
            return .bool(b)
        case (.date32, .string(let s)):
            return CivilTime.parseDate(Substring(s)).flatMap { Int32(exactly: $0) }.map { .int(Int64($0)) } ?? .null
        case (.timestamp, .string(let s)):
            return CivilTime.parseTimestamp(s).map(Scalar.int) ?? .null
        default:
            return .null
        }
    }

    /// The unscaled decimal of `text` (plain or exponent notation) at `scale`, or `.null` when it
    /// is not exactly representable in 38 digits. With `scale == nil` the text's own scale is used.
    static func decimalScalar(_ text: String, scale: Int?) -> Scalar {
        var mantissa = Substring(text)
        var exponent = 0
        if let e = mantissa.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            guard let value = Int(mantissa[mantissa.index(after: e)...]) else { return .null }
            exponent = value
            mantissa = mantissa[..<e]
        }
        var negative = false
        if mantissa.first == "-" { negative = true; mantissa = mantissa.dropFirst() }
        else if mantissa.first == "+" { mantissa = mantissa.dropFirst() }
        var digits = "", fractionDigits = 0, seenPoint = false
        for c in mantissa {
            if c == "." { guard !seenPoint else { return .null }; seenPoint = true; continue }
            guard c.isASCII, c.isNumber else { return .null }
            digits.append(c)
            if seenPoint { fractionDigits += 1 }
        }
        guard !digits.isEmpty else { return .null }
        let naturalScale = fractionDigits - exponent
        let target = scale ?? max(0, naturalScale)
        // Shift to the target scale; dropping non-zero digits would change the value.
        if target >= naturalScale {
            digits += String(repeating: "0", count: target - naturalScale)
        } else {
            let drop = naturalScale - target
            guard drop <= digits.count, digits.suffix(drop).allSatisfy({ $0 == "0" }) else { return .null }
            digits = String(digits.dropLast(drop))
        }
        let trimmed = digits.drop { $0 == "0" }
        guard trimmed.count <= 38, let magnitude = Int128(trimmed.isEmpty ? "0" : String(trimmed)) else { return .null }
        return .decimal(negative ? -magnitude : magnitude)
    }
}
