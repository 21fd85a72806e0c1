import Foundation
import FloeColumnar

/// Output formats for rows.
enum RowFormat: String, CaseIterable {
    case table, ndjson, csv
}

/// Writes batches to standard output in one of the row formats. `table` buffers rows to align
/// columns (up to a limit, then prints in chunks); ndjson and csv stream.
final class RowPrinter {
    let format: RowFormat
    private var fields: [Field] = []
    private var tableRows: [[String]] = []
    private var wroteHeader = false
    private var widths: [Int] = []
    private let out = StandardOutput.shared

    init(format: RowFormat) { self.format = format }

    /// Prints a batch's rows (the table format buffers up to 10,000 rows first).
    ///
    /// - Throws: `CLIError` when standard output cannot be written.
    func write(_ batch: RecordBatch) throws {
        if fields.isEmpty { fields = batch.schema.fields }
        switch format {
        case .ndjson:
            for r in 0..<batch.count {
                var line = "{"
                for (k, f) in batch.schema.fields.enumerated() {
                    if k > 0 { line += "," }
                    ValueEncoding.appendString(f.name, to: &line)
                    line += ":"
                    ValueEncoding.appendJSON(batch.columns[k].scalar(at: r), f.dataType, to: &line)
                }
                line += "}\n"
                try out.write(line)
            }
        case .csv:
            if !wroteHeader {
                try out.write(batch.schema.fields.map { csvField($0.name) }.joined(separator: ",") + "\n")
                wroteHeader = true
            }
            for r in 0..<batch.count {
                let cells = batch.schema.fields.enumerated().map { k, f -> String in
                    let v = batch.columns[k].scalar(at: r)
                    if v.isNull { return "" }
                    let text = ValueEncoding.text(v, f.dataType)
                    return text.isEmpty ? "\"\"" : csvField(text)  // "" is the empty string, an empty cell null
                }
                try out.write(cells.joined(separator: ",") + "\n")
            }
        case .table:
            for r in 0..<batch.count {
                tableRows.append(batch.schema.fields.enumerated().map { k, f in
                    let v = batch.columns[k].scalar(at: r)
                    return v.isNull ? "NULL" : ValueEncoding.text(v, f.dataType)
                })
                if tableRows.count >= 10_000 { try flushTable() }
            }
        }
    }

    func setSchema(_ schema: Schema) { if fields.isEmpty { fields = schema.fields } }

    private func csvField(_ s: String) -> String {
        if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return s
    }

    /// Whether a column's values are numbers, right-aligned in the table format.
    private func isNumeric(_ type: DataType) -> Bool {
        switch type {
        case .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64, .float16, .float32, .float64, .decimal: true
        default: false
        }
    }

    private func flushTable() throws {
        let headers = fields.map(\.name)
        if !wroteHeader {
            // Column widths come from the header and the first chunk of rows.
            widths = headers.map { $0.count }
            for row in tableRows { for (i, c) in row.enumerated() { widths[i] = max(widths[i], min(c.count, 60)) } }
        }
        let numeric = fields.map { isNumeric($0.dataType) }
        func line(_ cells: [String], header: Bool) -> String {
            var out = ""
            for (i, c) in cells.enumerated() {
                let cell = c.count > 60 ? String(c.prefix(59)) + "…" : c
                let pad = String(repeating: " ", count: max(0, widths[i] - cell.count))
                if i > 0 { out += " │ " }
                if numeric[i] && !header { out += pad + cell }
                else if i == cells.count - 1 { out += cell }
                else { out += cell + pad }
            }
            return out
        }
        if !wroteHeader {
            try out.write(line(headers, header: true) + "\n")
            try out.write(widths.map { String(repeating: "─", count: $0) }.joined(separator: "─┼─") + "\n")
            wroteHeader = true
        }
        for row in tableRows { try out.write(line(row, header: false) + "\n") }
        tableRows.removeAll()
    }

    /// Writes out everything buffered so far (the table format prints its buffered rows, its
    /// column widths then fixed by them), for streams that print as they go.
    ///
    /// - Throws: `CLIError` when standard output cannot be written.
    func flush() throws {
        if format == .table && !tableRows.isEmpty { try flushTable() }
        try out.flush()
    }

    /// Prints what is buffered and the table format's row count, and flushes standard output.
    ///
    /// - Throws: `CLIError` when standard output cannot be written.
    func finish(rowCount: Int) throws {
        if format == .table {
            try flushTable()
            try out.write("(\(rowCount) row\(rowCount == 1 ? "" : "s"))\n")
        } else if format == .csv && !wroteHeader {
            try out.write(fields.map { csvField($0.name) }.joined(separator: ",") + "\n")
        }
        try out.flush()
    }
}
