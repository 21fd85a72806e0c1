/// A text format of row input.
public enum RowInputFormat: String, Sendable, Hashable, CaseIterable {
    /// Newline-delimited JSON: one object per line.
    case ndjson
    /// RFC 4180 comma-separated values with a header row of column names.
    case csv
    /// An Apache Parquet file.
    case parquet

    /// The format a file name's extension implies (`.ndjson`, `.jsonl`, `.json`, `.csv`,
    /// `.parquet`, `.parq`), or nil.
    public init?(fileExtension path: String) {
        let lower = path.lowercased()
        if lower.hasSuffix(".ndjson") || lower.hasSuffix(".jsonl") || lower.hasSuffix(".json") { self = .ndjson }
        else if lower.hasSuffix(".csv") { self = .csv }
        else if lower.hasSuffix(".parquet") || lower.hasSuffix(".parq") { self = .parquet }
        else { return nil }
    }
}

/// One record of text input: an ndjson line or a CSV row, with the 1-based line number it starts on.
public struct InputRecord: Sendable {
    /// What the record holds.
    public enum Payload: Sendable {
        /// The bytes of one ndjson line (without the line break).
        case json([UInt8])
        /// The fields of one CSV row: nil for an empty unquoted field, "" for `""`.
        case csv([String?])
    }

    /// The 1-based line number where the record starts.
    public let line: Int
    /// The record's content.
    public let payload: Payload

    public init(line: Int, payload: Payload) {
        self.line = line
        self.payload = payload
    }
}

/// Splits a byte stream of ndjson or CSV into ``InputRecord``s, chunk by chunk (chunks may split
/// lines and quoted fields anywhere). Blank ndjson lines are skipped; a leading UTF-8 byte order
/// mark is ignored. For CSV the first row is the header (``csvHeader``), not a record.
///
/// Memory is bounded: a record (an ndjson line, or a CSV row with its quoted line breaks) longer
/// than ``maxRecordBytes`` is an error naming the line it starts on, so input without line breaks
/// (`/dev/zero`, a binary file) fails cleanly instead of being buffered until memory runs out.
public struct RecordSplitter: Sendable {
    /// The default ``maxRecordBytes``: 64 MiB.
    public static let defaultMaxRecordBytes = 64 << 20

    public let format: RowInputFormat
    /// The most bytes one record may hold (its line break excluded).
    public let maxRecordBytes: Int
    /// The CSV header row, once read.
    public private(set) var csvHeader: [String]?
    /// The line number the header row started on.
    public private(set) var csvHeaderLine = 1

    private var line = 1
    private var pending: [UInt8] = []
    private var pendingLine = 1
    private var atStart = true
    // CSV state.
    private var fields: [String?] = []
    private var field: [UInt8] = []
    private var fieldQuoted = false
    private var inQuotes = false
    private var afterQuote = false
    private var recordLine = 1
    private var recordStarted = false
    private var lastWasCR = false
    private var recordBytes = 0

    /// A splitter for `format` (`.ndjson` or `.csv`) whose records hold at most `maxRecordBytes`
    /// bytes (at least 1).
    public init(format: RowInputFormat, maxRecordBytes: Int = RecordSplitter.defaultMaxRecordBytes) {
        precondition(format != .parquet, "Parquet input is not split into records")
        self.format = format
        self.maxRecordBytes = max(1, maxRecordBytes)
    }

    /// The error for a record longer than ``maxRecordBytes`` starting on `line`.
    private func tooLong(line: Int) -> DeltaError {
        DeltaError(.invalidArgument, "line \(line): the record is longer than the record size limit of \(RecordSplitter.describe(bytes: maxRecordBytes)) (is the input missing line breaks, or not \(format.rawValue)?)")
    }

    /// `67108864 bytes (64 MiB)`.
    static func describe(bytes: Int) -> String {
        if bytes >= 1 << 20 && bytes % (1 << 20) == 0 { return "\(bytes) bytes (\(bytes >> 20) MiB)" }
        if bytes >= 1 << 10 && bytes % (1 << 10) == 0 { return "\(bytes) bytes (\(bytes >> 10) KiB)" }
        return "\(bytes) byte\(bytes == 1 ? "" : "s")"
    }

    /// The complete records in `bytes` (after what earlier chunks left pending).
    public mutating func feed(_ bytes: some Collection<UInt8>) throws -> [InputRecord] {
        var out: [InputRecord] = []
        var slice = Array(bytes)[...]
        if atStart {
            // Wait for 3 bytes to decide on a byte order mark.
            pending.append(contentsOf: slice)
            if pending.count < 3 { return [] }
            atStart = false
            slice = pending[...]
            pending = []
            if slice.starts(with: [0xEF, 0xBB, 0xBF]) { slice = slice.dropFirst(3) }
        }
        switch format {
        case .ndjson: try feedLines(slice, into: &out)
        case .csv: try feedCSV(slice, into: &out)
        case .parquet: break
        }
        return out
    }

    /// The last records, at the end of input.
    public mutating func finish() throws -> [InputRecord] {
        var out: [InputRecord] = []
        if atStart {
            atStart = false
            var bytes = pending[...]
            pending = []
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
            switch format {
            case .ndjson: try feedLines(bytes, into: &out)
            case .csv: try feedCSV(bytes, into: &out)
            case .parquet: break
            }
        }
        switch format {
        case .ndjson:
            if !pending.isEmpty {
                try emitLine(pending[...], into: &out)
                pending = []
            }
        case .csv:
            if inQuotes {
                throw DeltaError(.invalidArgument, "line \(recordLine): unterminated quoted CSV field (a '\"' is never closed)")
            }
            if recordStarted || !field.isEmpty || fieldQuoted { try endRecord(into: &out) }
        case .parquet: break
        }
        return out
    }

    private mutating func emitLine(_ bytes: ArraySlice<UInt8>, into out: inout [InputRecord]) throws {
        var b = bytes
        if b.last == 0x0D { b = b.dropLast() }
        if b.count > maxRecordBytes { throw tooLong(line: pendingLine) }
        if b.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return }
        out.append(InputRecord(line: pendingLine, payload: .json(Array(b))))
    }

    private mutating func feedLines(_ bytes: ArraySlice<UInt8>, into out: inout [InputRecord]) throws {
        var start = bytes.startIndex
        var i = bytes.startIndex
        while i < bytes.endIndex {
            if bytes[i] == 0x0A {
                if pending.isEmpty {
                    try emitLine(bytes[start..<i], into: &out)
                } else {
                    guard pending.count + (i - start) <= maxRecordBytes + 1 else { throw tooLong(line: pendingLine) }
                    pending.append(contentsOf: bytes[start..<i])
                    try emitLine(pending[...], into: &out)
                    pending = []
                }
                line += 1
                pendingLine = line
                start = i + 1
            }
            i += 1
        }
        // The incomplete last line, kept for the next chunk: never more than the limit (+1 for a
        // CR that may precede the line feed).
        guard pending.count + (bytes.endIndex - start) <= maxRecordBytes + 1 else { throw tooLong(line: pendingLine) }
        pending.append(contentsOf: bytes[start..<bytes.endIndex])
    }

    /// Ends the current field; a field that is not valid UTF-8 is refused (as in ndjson), never
    /// replaced, naming its record's line and its position.
    private mutating func endField() throws {
        if !fieldQuoted && field.isEmpty {
            fields.append(nil)
        } else {
            guard let text = String(validating: field, as: UTF8.self) else {
                throw DeltaError(.invalidArgument, "line \(recordLine): CSV field \(fields.count + 1) is not valid UTF-8")
            }
            fields.append(text)
        }
        field.removeAll(keepingCapacity: true)
        fieldQuoted = false
        afterQuote = false
    }

    private mutating func endRecord(into out: inout [InputRecord]) throws {
        try endField()
        let record = fields
        fields.removeAll(keepingCapacity: true)
        recordStarted = false
        recordBytes = 0
        // A blank line (one empty field) is skipped.
        if record.count == 1 && record[0] == nil { return }
        if csvHeader == nil {
            var names: [String] = []
            for (i, name) in record.enumerated() {
                guard let name, !name.isEmpty else {
                    throw DeltaError(.invalidArgument, "line \(recordLine): CSV header field \(i + 1) is empty; the header row must name every column")
                }
                names.append(name)
            }
            csvHeader = names
            csvHeaderLine = recordLine
            return
        }
        out.append(InputRecord(line: recordLine, payload: .csv(record)))
    }

    private mutating func feedCSV(_ bytes: ArraySlice<UInt8>, into out: inout [InputRecord]) throws {
        for byte in bytes {
            if lastWasCR {
                lastWasCR = false
                if byte == 0x0A { continue }  // CRLF: the CR already ended the record
            }
            if !recordStarted {
                recordStarted = true
                recordLine = line
            }
            recordBytes += 1
            if recordBytes > maxRecordBytes && !(byte == 0x0A || byte == 0x0D) || recordBytes > maxRecordBytes + 1 {
                throw tooLong(line: recordLine)
            }
            if inQuotes {
                if byte == 0x22 {
                    inQuotes = false
                    afterQuote = true
                } else {
                    if byte == 0x0A { line += 1 }
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case 0x22:  // "
                if afterQuote {
                    // A doubled quote inside a quoted field.
                    field.append(0x22)
                    inQuotes = true
                    afterQuote = false
                } else if field.isEmpty && !fieldQuoted {
                    fieldQuoted = true
                    inQuotes = true
                } else {
                    field.append(byte)  // a stray quote inside an unquoted field is kept literally
                }
            case 0x2C:  // ,
                try endField()
            case 0x0A, 0x0D:
                line += 1
                lastWasCR = byte == 0x0D
                try endRecord(into: &out)
            default:
                if afterQuote {
                    throw DeltaError(.invalidArgument, "line \(line): unexpected character after a closing quote in a CSV field (quotes inside a quoted field are written \"\")")
                }
                field.append(byte)
            }
        }
    }
}
