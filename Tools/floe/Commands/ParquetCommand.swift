import ArgumentParser
import Foundation
import FloeColumnar
import FloeParquet

/// `floe parquet schema|meta|cat FILE`: inspect one Parquet file.
struct ParquetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parquet",
        abstract: "Inspect a single Parquet file.",
        subcommands: [Schema.self, Meta.self, Cat.self])

    struct Schema: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a Parquet file's schema: the Parquet tree and the Arrow types Floe reads.",
            discussion: "Example:\n  floe parquet schema part-00000.snappy.parquet")

        @Argument(help: "The Parquet file.") var file: String
        @Option(help: "Output format: text or json.") var format: OutputFormat = .text

        func run() throws {
            let reader = try ParquetFileReader(path: file)
            switch format {
            case .text:
                var lines: [String] = []
                func walk(_ node: SchemaNode, depth: Int) {
                    let indent = String(repeating: "  ", count: depth)
                    var parts = [node.repetition == .required ? "required" : node.repetition == .optional ? "optional" : "repeated"]
                    if let t = node.physicalType {
                        parts.append(physicalName(t) + (t == .fixedLenByteArray ? "(\(node.typeLength))" : ""))
                    } else {
                        parts.append("group")
                    }
                    parts.append(node.name)
                    if let a = node.annotation { parts.append("(\(a))") }
                    if let id = node.fieldID { parts.append("= \(id)") }
                    lines.append(indent + parts.joined(separator: " "))
                    for c in node.children { walk(c, depth: depth + 1) }
                }
                lines.append("message \(reader.schema.root.name) {")
                for c in reader.schema.root.children { walk(c, depth: 1) }
                lines.append("}")
                lines.append("")
                lines.append("Arrow schema:")
                for f in reader.arrowSchema.fields {
                    lines.append("  \(f.name): \(f.dataType)\(f.isNullable ? "" : " not null")")
                }
                try StandardOutput.shared.line(lines.joined(separator: "\n"))
            case .json:
                let fields = reader.arrowSchema.fields.map { f -> String in
                    var s = "{"
                    ValueEncoding.appendString("name", to: &s); s += ":"; ValueEncoding.appendString(f.name, to: &s)
                    s += ","; ValueEncoding.appendString("type", to: &s); s += ":"; ValueEncoding.appendString("\(f.dataType)", to: &s)
                    s += ",\"nullable\":\(f.isNullable)"
                    if let id = f.fieldID { s += ",\"fieldId\":\(id)" }
                    return s + "}"
                }
                try StandardOutput.shared.line("{\"fields\":[" + fields.joined(separator: ",") + "]}")
            }
        }
    }

    struct Meta: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a Parquet file's footer: row groups, column chunks, codecs, encodings, statistics.",
            discussion: "Example:\n  floe parquet meta --format json data.parquet")

        @Argument(help: "The Parquet file.") var file: String
        @Option(help: "Output format: text or json.") var format: OutputFormat = .text

        func run() throws {
            let reader = try ParquetFileReader(path: file)
            let m = reader.metadata
            let types = Dictionary(reader.schema.columns.map { ($0.dottedPath, (try? $0.arrowType()) ?? .null) }, uniquingKeysWith: { a, _ in a })
            func stat(_ v: Scalar?, _ path: [String]) -> String {
                guard let v else { return "null" }
                return ValueEncoding.json(v, types[path.joined(separator: ".")] ?? .null)
            }
            switch format {
            case .text:
                try StandardOutput.shared.line("file: \(file)")
                try StandardOutput.shared.line("size: \(reader.source.size) bytes")
                try StandardOutput.shared.line("created by: \(m.createdBy ?? "unknown")")
                try StandardOutput.shared.line("format version: \(m.version)")
                try StandardOutput.shared.line("rows: \(m.numRows)")
                try StandardOutput.shared.line("row groups: \(m.rowGroups.count)")
                for (i, rg) in m.rowGroups.enumerated() {
                    try StandardOutput.shared.line("row group \(i): \(rg.numRows) rows, \(rg.totalByteSize) bytes uncompressed")
                    for c in rg.columns {
                        var line = "  \(c.path.joined(separator: ".")): \(c.physicalType.map(physicalName) ?? "?") \(c.codec) [\(c.encodings.joined(separator: ","))] \(c.numValues) values, \(c.compressedSize) bytes"
                        if let s = c.statistics {
                            line += ", nulls \(s.nullCount.map(String.init) ?? "?"), min \(stat(s.min, c.path)), max \(stat(s.max, c.path))"
                        }
                        try StandardOutput.shared.line(line)
                    }
                }
                if !m.keyValueMetadata.isEmpty {
                    try StandardOutput.shared.line("key/value metadata: \(m.keyValueMetadata.keys.sorted().joined(separator: ", "))")
                }
            case .json:
                var s = "{\"numRows\":\(m.numRows),\"version\":\(m.version),\"sizeInBytes\":\(reader.source.size),\"createdBy\":"
                if let c = m.createdBy { ValueEncoding.appendString(c, to: &s) } else { s += "null" }
                s += ",\"rowGroups\":["
                s += m.rowGroups.map { rg in
                    "{\"numRows\":\(rg.numRows),\"totalByteSize\":\(rg.totalByteSize),\"columns\":[" + rg.columns.map { c in
                        var o = "{\"path\":"
                        ValueEncoding.appendString(c.path.joined(separator: "."), to: &o)
                        o += ",\"physicalType\":\"\(c.physicalType.map(physicalName) ?? "UNKNOWN")\",\"codec\":\"\(c.codec)\""
                        o += ",\"encodings\":[" + c.encodings.map { "\"\($0)\"" }.joined(separator: ",") + "]"
                        o += ",\"numValues\":\(c.numValues),\"compressedSize\":\(c.compressedSize),\"uncompressedSize\":\(c.uncompressedSize)"
                        if let st = c.statistics {
                            o += ",\"statistics\":{\"nullCount\":\(st.nullCount.map(String.init) ?? "null"),\"min\":\(stat(st.min, c.path)),\"max\":\(stat(st.max, c.path))}"
                        }
                        return o + "}"
                    }.joined(separator: ",") + "]}"
                }.joined(separator: ",")
                s += "]}"
                try StandardOutput.shared.line(s)
            }
        }
    }

    struct Cat: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a Parquet file's rows.",
            discussion: """
            Examples:
              floe parquet cat data.parquet
              floe parquet cat --format ndjson --columns id,name --limit 10 data.parquet
            """)

        @Argument(help: "The Parquet file.") var file: String
        @Option(help: "Output format: table, ndjson or csv.") var format: RowFormatOption = .table
        @Option(help: "Comma-separated columns to print (dotted paths reach into structs).") var columns: String?
        @Option(help: "Print at most this many rows.") var limit: Int?

        func validate() throws {
            if let limit, limit < 0 { throw ValidationError("--limit must not be negative") }
        }

        func run() throws {
            let reader = try ParquetFileReader(path: file)
            let names = columns.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
            let printer = RowPrinter(format: format.value)
            var it = try reader.batches(columns: names)
            var printed = 0
            printer.setSchema(try reader.projectedSchema(columns: names))
            while let batch = try it.next() {
                var b = batch
                if let limit, printed + b.count > limit { b = b.slice(0, limit - printed) }
                try printer.write(b)
                printed += b.count
                if let limit, printed >= limit { break }
            }
            try printer.finish(rowCount: printed)
        }
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

struct RowFormatOption: ExpressibleByArgument {
    let value: RowFormat
    init(value: RowFormat) { self.value = value }
    init?(argument: String) {
        guard let v = RowFormat(rawValue: argument) else { return nil }
        value = v
    }
    static let table = RowFormatOption(value: .table)
    static var allValueStrings: [String] { RowFormat.allCases.map(\.rawValue) }
    var defaultValueDescription: String { value.rawValue }
}

func physicalName(_ t: PhysicalType) -> String {
    switch t {
    case .boolean: "BOOLEAN"
    case .int32: "INT32"
    case .int64: "INT64"
    case .int96: "INT96"
    case .float: "FLOAT"
    case .double: "DOUBLE"
    case .byteArray: "BYTE_ARRAY"
    case .fixedLenByteArray: "FIXED_LEN_BYTE_ARRAY"
    }
}
