// Parsing actions from, and serializing them to, the newline-delimited JSON of commit files.

extension Action {
    /// Parses the newline-delimited JSON of a commit file or JSON checkpoint.
    ///
    /// Blank lines are skipped; unknown action keys and unknown fields are ignored. A line that is
    /// not a JSON object, or a known action missing a required field or holding a field of the
    /// wrong type, is an error.
    ///
    /// - Parameters:
    ///   - bytes: The file's contents.
    ///   - source: The file name, used in error messages.
    /// - Throws: ``DeltaError/Code/corruptLog`` naming `source` and the line number.
    public static func parseLines(_ bytes: [UInt8], source: String) throws -> [Action] {
        var actions: [Action] = []
        actions.reserveCapacity(bytes.count / 200 + 1)
        try bytes.withUnsafeBufferPointer { buffer in
            var lineStart = 0
            var lineNumber = 0
            let count = buffer.count
            while lineStart < count {
                lineNumber += 1
                var lineEnd = lineStart
                while lineEnd < count && buffer[lineEnd] != 0x0A { lineEnd += 1 }
                let terminated = lineEnd < count
                var contentEnd = lineEnd
                if contentEnd > lineStart && buffer[contentEnd - 1] == 0x0D { contentEnd -= 1 }
                let line = UnsafeBufferPointer(rebasing: buffer[lineStart..<contentEnd])
                lineStart = lineEnd + 1
                if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                let context = LogLocation(source: source, line: lineNumber)
                let value: JSONValue
                do {
                    value = try JSONValue.parse(line)
                } catch {
                    if !terminated {
                        throw DeltaError(.corruptLog, "\(context): the last line is incomplete JSON (truncated or torn write): \(error)", underlying: error)
                    }
                    throw DeltaError(.corruptLog, "\(context): malformed JSON: \(error)", underlying: error)
                }
                guard case .object(let object) = value else {
                    throw DeltaError(.corruptLog, "\(context): expected a JSON object with one action")
                }
                try appendActions(from: object, context: context, to: &actions)
            }
        }
        return actions
    }

    /// Decodes the known actions of one log line (normally exactly one).
    static func appendActions(from line: JSONObject, context: LogLocation, to actions: inout [Action]) throws {
        for member in line {
            if case .null = member.value { continue }
            guard let body = member.value.objectValue else {
                if knownKeys.contains(member.key) {
                    throw DeltaError(.corruptLog, "\(context): '\(member.key)' action is not a JSON object")
                }
                continue
            }
            let reader = FieldReader(object: body, action: member.key, context: context)
            switch member.key {
            case "add": actions.append(.add(try AddFile(reader)))
            case "remove": actions.append(.remove(try RemoveFile(reader)))
            case "metaData": actions.append(.metadata(try Metadata(reader)))
            case "protocol": actions.append(.protocol(try ProtocolAction(reader)))
            case "commitInfo": actions.append(.commitInfo(CommitInfo(fields: body)))
            case "txn": actions.append(.txn(try SetTransaction(reader)))
            case "cdc": actions.append(.cdc(try AddCDCFile(reader)))
            case "domainMetadata": actions.append(.domainMetadata(try DomainMetadata(reader)))
            case "checkpointMetadata": actions.append(.checkpointMetadata(try CheckpointMetadata(reader)))
            case "sidecar": actions.append(.sidecar(try Sidecar(reader)))
            default: continue
            }
        }
    }

    static let knownKeys: Set<String> = ["add", "remove", "metaData", "protocol", "commitInfo", "txn", "cdc",
                                         "domainMetadata", "checkpointMetadata", "sidecar"]

    /// Decodes one action from a single-action JSON object such as `{"add":{...}}`.
    ///
    /// - Returns: `nil` when the object holds no known action.
    public static func decode(_ object: JSONObject, context: String = "action") throws -> Action? {
        var actions: [Action] = []
        try appendActions(from: object, context: LogLocation(source: context, line: nil), to: &actions)
        return actions.first
    }

    /// This action as one line of log JSON, without the trailing newline.
    ///
    /// - Parameter partitionColumns: The table's partition columns; partition value maps list these
    ///   keys first, in this order, then any others sorted.
    public func jsonLine(partitionColumns: [String] = []) -> String {
        var writer = JSONWriter()
        write(to: &writer, partitionColumns: partitionColumns)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    /// The contents of a commit file holding `actions`, one per line, each line ending in `\n`.
    public static func commitFileContents(_ actions: [Action], partitionColumns: [String] = []) -> [UInt8] {
        var writer = JSONWriter(capacity: actions.count * 256)
        for action in actions {
            action.write(to: &writer, partitionColumns: partitionColumns)
            writer.bytes.append(0x0A)
        }
        return writer.bytes
    }

    func write(to writer: inout JSONWriter, partitionColumns: [String]) {
        var outer = JSONObjectWriter(taking: &writer)
        switch self {
        case .protocol(let p):
            outer.object("protocol") { o in
                o.field("minReaderVersion", p.minReaderVersion)
                o.field("minWriterVersion", p.minWriterVersion)
                o.field("readerFeatures", strings: p.readerFeatures?.map(\.rawValue))
                o.field("writerFeatures", strings: p.writerFeatures?.map(\.rawValue))
            }
        case .metadata(let m):
            outer.object("metaData") { o in
                o.field("id", m.id)
                o.field("name", m.name)
                o.field("description", m.description)
                o.object("format") { f in
                    f.field("provider", m.format.provider)
                    f.field("options", stringMap: m.format.options)
                }
                o.field("schemaString", m.schemaString.isEmpty ? nil : m.schemaString)
                o.field("partitionColumns", strings: m.partitionColumns)
                o.field("configuration", stringMap: m.configuration)
                o.field("createdTime", m.createdTime)
            }
        case .add(let a):
            outer.object("add") { o in
                o.field("path", a.path)
                o.field("partitionValues", map: a.partitionValues, order: partitionColumns)
                o.field("size", a.size)
                o.field("modificationTime", a.modificationTime)
                o.field("dataChange", a.dataChange)
                o.field("stats", a.stats)
                o.field("tags", stringMap: a.tags)
                if let dv = a.deletionVector { o.object("deletionVector") { dv.write(to: &$0) } }
                o.field("baseRowId", a.baseRowID)
                o.field("defaultRowCommitVersion", a.defaultRowCommitVersion)
                o.field("clusteringProvider", a.clusteringProvider)
            }
        case .remove(let r):
            outer.object("remove") { o in
                o.field("path", r.path)
                o.field("deletionTimestamp", r.deletionTimestamp)
                o.field("dataChange", r.dataChange)
                o.field("extendedFileMetadata", r.extendedFileMetadata)
                o.field("partitionValues", map: r.partitionValues, order: partitionColumns)
                o.field("size", r.size)
                o.field("stats", r.stats)
                o.field("tags", stringMap: r.tags)
                if let dv = r.deletionVector { o.object("deletionVector") { dv.write(to: &$0) } }
                o.field("baseRowId", r.baseRowID)
                o.field("defaultRowCommitVersion", r.defaultRowCommitVersion)
            }
        case .cdc(let c):
            outer.object("cdc") { o in
                o.field("path", c.path)
                o.field("partitionValues", map: c.partitionValues, order: partitionColumns)
                o.field("size", c.size)
                o.field("dataChange", c.dataChange)
                o.field("tags", stringMap: c.tags)
            }
        case .commitInfo(let info):
            outer.field("commitInfo", JSONValue.object(info.fields))
        case .txn(let t):
            outer.object("txn") { o in
                o.field("appId", t.appID)
                o.field("version", t.version)
                o.field("lastUpdated", t.lastUpdated)
            }
        case .domainMetadata(let d):
            outer.object("domainMetadata") { o in
                o.field("domain", d.domain)
                o.field("configuration", d.configuration)
                o.field("removed", d.removed)
            }
        case .checkpointMetadata(let c):
            outer.object("checkpointMetadata") { o in
                o.field("version", c.version)
                o.field("tags", stringMap: c.tags)
            }
        case .sidecar(let s):
            outer.object("sidecar") { o in
                o.field("path", s.path)
                o.field("sizeInBytes", s.sizeInBytes)
                o.field("modificationTime", s.modificationTime)
                o.field("tags", stringMap: s.tags)
            }
        }
        writer = outer.finish()
    }
}

extension DeletionVectorDescriptor {
    func write(to o: inout JSONObjectWriter) {
        o.field("storageType", storageType)
        o.field("pathOrInlineDv", pathOrInlineDv)
        o.field("offset", offset)
        o.field("sizeInBytes", sizeInBytes)
        o.field("cardinality", cardinality)
    }

    init(_ r: FieldReader) throws {
        self.init(storageType: try r.string("storageType"), pathOrInlineDv: try r.string("pathOrInlineDv"),
                  offset: try r.optionalInt64("offset").map { Int($0) }, sizeInBytes: Int(try r.int64("sizeInBytes")),
                  cardinality: try r.int64("cardinality"))
    }
}

/// Where an action came from, formatted only when an error message needs it.
struct LogLocation: CustomStringConvertible {
    let source: String
    let line: Int?
    var description: String { line.map { "\(source) line \($0)" } ?? source }
}

/// Reads typed fields of one action object, producing errors that name the action, the field and
/// the log location.
struct FieldReader {
    let object: JSONObject
    let action: String
    let context: LogLocation

    func failure(_ field: String, _ problem: String) -> DeltaError {
        DeltaError(.corruptLog, "\(context): '\(action)' action field '\(field)' \(problem)")
    }

    func nested(_ field: String) throws -> FieldReader? {
        switch object[field] {
        case nil, .null?: return nil
        case .object(let o)?: return FieldReader(object: o, action: "\(action).\(field)", context: context)
        default: throw failure(field, "must be an object")
        }
    }

    func string(_ field: String) throws -> String {
        guard let value = try optionalString(field) else { throw failure(field, "is missing") }
        return value
    }

    func optionalString(_ field: String) throws -> String? {
        switch object[field] {
        case nil, .null?: return nil
        case .string(let s)?: return s
        default: throw failure(field, "must be a string")
        }
    }

    func int64(_ field: String) throws -> Int64 {
        guard let value = try optionalInt64(field) else { throw failure(field, "is missing") }
        return value
    }

    func optionalInt64(_ field: String) throws -> Int64? {
        switch object[field] {
        case nil, .null?: return nil
        case .number(let n)?:
            if let i = n.int64Value { return i }
            if let d = n.doubleValue, d == d.rounded(), abs(d) < 9.2e18 { return Int64(d) }
            throw failure(field, "must be an integer, found \(n.text)")
        case .string(let s)?:
            // Some writers quote numbers; accept them when they are plain integers.
            if let i = Int64(s) { return i }
            throw failure(field, "must be an integer")
        default: throw failure(field, "must be an integer")
        }
    }

    func bool(_ field: String) throws -> Bool {
        guard let value = try optionalBool(field) else { throw failure(field, "is missing") }
        return value
    }

    func optionalBool(_ field: String) throws -> Bool? {
        switch object[field] {
        case nil, .null?: return nil
        case .bool(let b)?: return b
        case .string("true")?: return true
        case .string("false")?: return false
        default: throw failure(field, "must be a boolean")
        }
    }

    /// A map whose values may be null (partition values).
    func nullableStringMap(_ field: String) throws -> [String: String?]? {
        switch object[field] {
        case nil, .null?: return nil
        case .object(let o)?:
            var map: [String: String?] = [:]
            map.reserveCapacity(o.count)
            for member in o {
                switch member.value {
                case .string(let s): map[member.key] = .some(s)
                case .null: map[member.key] = .some(nil)
                default: throw failure(field, "value for '\(member.key)' must be a string or null")
                }
            }
            return map
        default: throw failure(field, "must be an object")
        }
    }

    /// A string-to-string map; null values are dropped.
    func stringMap(_ field: String) throws -> [String: String]? {
        guard let map = try nullableStringMap(field) else { return nil }
        return map.compactMapValues { $0 }
    }

    func stringArray(_ field: String) throws -> [String]? {
        switch object[field] {
        case nil, .null?: return nil
        case .array(let items)?:
            return try items.map {
                guard let s = $0.stringValue else { throw failure(field, "must be an array of strings") }
                return s
            }
        default: throw failure(field, "must be an array of strings")
        }
    }
}

extension ProtocolAction {
    init(_ r: FieldReader) throws {
        let reader = try r.int64("minReaderVersion")
        let writer = try r.int64("minWriterVersion")
        guard let readerVersion = Int(exactly: reader), let writerVersion = Int(exactly: writer) else {
            throw r.failure("minReaderVersion", "is out of range")
        }
        self.init(minReaderVersion: readerVersion, minWriterVersion: writerVersion,
                  readerFeatures: try r.stringArray("readerFeatures")?.map(TableFeature.init(rawValue:)),
                  writerFeatures: try r.stringArray("writerFeatures")?.map(TableFeature.init(rawValue:)))
    }
}

extension Metadata {
    init(_ r: FieldReader) throws {
        let formatReader = try r.nested("format")
        let format = Format(provider: try formatReader?.optionalString("provider") ?? "parquet",
                            options: try formatReader?.stringMap("options") ?? [:])
        self.init(id: try r.string("id"), name: try r.optionalString("name"),
                  description: try r.optionalString("description"), format: format,
                  schemaString: try r.optionalString("schemaString") ?? "",
                  partitionColumns: try r.stringArray("partitionColumns") ?? [],
                  configuration: try r.stringMap("configuration") ?? [:],
                  createdTime: try r.optionalInt64("createdTime"))
    }
}

extension AddFile {
    init(_ r: FieldReader) throws {
        self.init(path: try r.string("path"),
                  partitionValues: try r.nullableStringMap("partitionValues") ?? [:],
                  size: try r.int64("size"),
                  modificationTime: try r.optionalInt64("modificationTime") ?? 0,
                  dataChange: try r.optionalBool("dataChange") ?? true,
                  stats: try r.optionalString("stats"),
                  tags: try r.stringMap("tags"),
                  deletionVector: try r.nested("deletionVector").map(DeletionVectorDescriptor.init),
                  baseRowID: try r.optionalInt64("baseRowId"),
                  defaultRowCommitVersion: try r.optionalInt64("defaultRowCommitVersion"),
                  clusteringProvider: try r.optionalString("clusteringProvider"))
    }
}

extension RemoveFile {
    init(_ r: FieldReader) throws {
        self.init(path: try r.string("path"),
                  deletionTimestamp: try r.optionalInt64("deletionTimestamp"),
                  dataChange: try r.optionalBool("dataChange") ?? true,
                  extendedFileMetadata: try r.optionalBool("extendedFileMetadata"),
                  partitionValues: try r.nullableStringMap("partitionValues"),
                  size: try r.optionalInt64("size"),
                  stats: try r.optionalString("stats"),
                  tags: try r.stringMap("tags"),
                  deletionVector: try r.nested("deletionVector").map(DeletionVectorDescriptor.init),
                  baseRowID: try r.optionalInt64("baseRowId"),
                  defaultRowCommitVersion: try r.optionalInt64("defaultRowCommitVersion"))
    }
}

extension AddCDCFile {
    init(_ r: FieldReader) throws {
        self.init(path: try r.string("path"),
                  partitionValues: try r.nullableStringMap("partitionValues") ?? [:],
                  size: try r.int64("size"),
                  dataChange: try r.optionalBool("dataChange") ?? false,
                  tags: try r.stringMap("tags"))
    }
}

extension SetTransaction {
    init(_ r: FieldReader) throws {
        self.init(appID: try r.string("appId"), version: try r.int64("version"),
                  lastUpdated: try r.optionalInt64("lastUpdated"))
    }
}

extension DomainMetadata {
    init(_ r: FieldReader) throws {
        self.init(domain: try r.string("domain"), configuration: try r.optionalString("configuration") ?? "",
                  removed: try r.optionalBool("removed") ?? false)
    }
}

extension CheckpointMetadata {
    init(_ r: FieldReader) throws {
        self.init(version: try r.int64("version"), tags: try r.stringMap("tags"))
    }
}

extension Sidecar {
    init(_ r: FieldReader) throws {
        self.init(path: try r.string("path"), sizeInBytes: try r.optionalInt64("sizeInBytes") ?? 0,
                  modificationTime: try r.optionalInt64("modificationTime") ?? 0, tags: try r.stringMap("tags"))
    }
}
