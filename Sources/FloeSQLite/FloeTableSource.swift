import Floe
import FloeColumnar

/// One snapshot of a Floe table exposed to SQL as a virtual table; made by
/// ``Database/attach(_:snapshot:as:)``.
///
/// Column types in SQL: integers → INTEGER; float and double → REAL; decimal → REAL (numeric
/// comparison and aggregation; values with more than ~15 significant digits are rounded); string
/// → TEXT; binary → BLOB; boolean → INTEGER 0/1; date → TEXT `YYYY-MM-DD`; timestamp → TEXT
/// `YYYY-MM-DDTHH:MM:SS.ffffffZ` (no `Z` for timestamp_ntz), so text order is time order for years
/// 0000–9999; struct, array and map → TEXT holding JSON in the CLI's ndjson encoding.
///
/// Invariants: ``snapshot`` never changes (the SQL table is that version, however often it is
/// scanned); ``fields`` are the snapshot's logical columns in table order, and column `i` of the
/// virtual table is `fields[i]`.
public final class FloeTableSource {
    /// The virtual table's name in SQL.
    public let name: String
    /// The table read.
    public let table: Table
    /// The version read.
    public let snapshot: Snapshot
    /// The table's logical columns as Arrow fields, in table order.
    public let fields: [Field]
    /// Counters of the scans SQLite ran over this table.
    public let statistics = ScanStatistics()
    /// Rows in the snapshot according to file statistics (an estimate for the query planner).
    let estimatedRowCount: Int64

    init(name: String, table: Table, snapshot: Snapshot) throws {
        self.name = name
        self.table = table
        self.snapshot = snapshot
        fields = try snapshot.arrowSchema().fields
        // SQLite reads the declaration as a C string: a NUL would cut it (and the column list).
        if let bad = fields.first(where: { $0.name.contains("\0") }) {
            throw SQLiteError(.error, "table \(name): column '\(bad.name.replacingOccurrences(of: "\0", with: "\\x00"))' has a NUL character in its name, which SQLite cannot declare")
        }
        var rows: Int64 = 0
        for file in snapshot.activeFiles {
            // Saturating: another writer's statistics may claim any count.
            let (sum, overflow) = rows.addingReportingOverflow(file.stats.flatMap(Self.numRecords) ?? 10_000)
            rows = overflow ? .max : sum
        }
        estimatedRowCount = max(1, rows)
    }

    /// The SQL type a column of `type` is declared with (and whose storage class its values have).
    public static func sqlType(of type: DataType) -> String {
        switch type {
        case .boolean, .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64: "INTEGER"
        case .float16, .float32, .float64, .decimal: "REAL"
        case .binary, .fixedSizeBinary: "BLOB"
        default: "TEXT"
        }
    }

    /// The `CREATE TABLE` declaration of the virtual table.
    var declaration: String {
        "CREATE TABLE x(" + fields.map { $0.name.quotedIdentifier + " " + Self.sqlType(of: $0.dataType) }.joined(separator: ", ") + ")"
    }

    /// `numRecords` of an `add` action's stats JSON, found without parsing the whole object.
    static func numRecords(_ stats: String) -> Int64? {
        guard let range = stats.range(of: "\"numRecords\":") else { return nil }
        var digits = ""
        for c in stats[range.upperBound...] {
            if c == " " && digits.isEmpty { continue }
            guard c.isASCII, c.isNumber else { break }
            digits.append(c)
        }
        return Int64(digits)
    }
}

/// What the scans of one ``FloeTableSource`` did: a hook for seeing that filters were pushed
/// down (partition pruning and statistics skipping leave files unread).
public final class ScanStatistics {
    /// Scans started (SQLite's `xFilter` calls; a join may rescan a table once per outer row).
    public internal(set) var scans = 0
    /// Data files read, summed over scans.
    public internal(set) var filesRead = 0
    /// Active files of the snapshot that scans did not read, summed over scans.
    public internal(set) var filesSkipped = 0
    /// Rows handed to SQLite, summed over scans.
    public internal(set) var rowsReturned = 0
    /// The Floe condition of the latest scan, nil when nothing was pushed down.
    public internal(set) var lastCondition: Condition?
    /// The columns the latest scan read.
    public internal(set) var lastColumns: [String] = []

    init() {}
}

/// The Floe tables attached to one connection, by lower-cased name (SQL names are
/// case-insensitive).
final class FloeCatalog {
    var sources: [String: FloeTableSource] = [:]

    static let moduleName = "floe"
}

extension Database {
    /// Exposes `snapshot` of `table` (by default its latest snapshot) as the read-only virtual
    /// table `name` in the `temp` schema, so SQL can query it: several tables, or several versions
    /// of one table under different names, can be attached at once.
    ///
    /// Scans stream the snapshot one batch (row group) at a time and receive the query's column
    /// projection and its simple constraints (`=`, `<`, `<=`, `>`, `>=`, `IN`, `IS NULL`, `IS NOT
    /// NULL` between a column and a constant), which Floe uses for partition pruning, statistics
    /// skipping and row filtering. SQLite still checks every constraint, so pushdown only ever
    /// saves work. See ``FloeTableSource`` for the column types.
    ///
    /// - Returns: The source, whose ``FloeTableSource/statistics`` count what the scans read.
    /// - Throws: `DeltaError` when the snapshot cannot be loaded; ``SQLiteError`` when `name` is
    ///   taken.
    @discardableResult
    public func attach(_ table: Table, snapshot: Snapshot? = nil, as name: String) throws -> FloeTableSource {
        let snapshot = try snapshot ?? table.snapshot()
        try snapshot.loadFiles() // the planner and cursors read `activeFiles`: surface a damaged log here
        let source = try FloeTableSource(name: name, table: table, snapshot: snapshot)
        let catalog: FloeCatalog
        if let existing = floeCatalog {
            catalog = existing
        } else {
            catalog = FloeCatalog()
            try createModule(named: FloeCatalog.moduleName) { [weak catalog] arguments in
                guard let source = catalog?.sources[arguments.tableName.lowercased()] else {
                    throw SQLiteError(.error, "no Floe table is attached as \(arguments.tableName); use Database.attach")
                }
                return FloeVirtualTable(source: source)
            }
            floeCatalog = catalog
        }
        let key = name.lowercased()
        guard catalog.sources[key] == nil else {
            throw SQLiteError(.error, "a table named \(name) is already attached")
        }
        catalog.sources[key] = source
        do {
            try execute("CREATE VIRTUAL TABLE temp.\(name.quotedIdentifier) USING \(FloeCatalog.moduleName)")
        } catch {
            catalog.sources[key] = nil
            throw error
        }
        return source
    }
}
