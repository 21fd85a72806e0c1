import CSQLite

/// A table whose rows come from Swift code: an SQLite virtual table.
///
/// Register a factory with ``Database/createModule(named:connect:)``; SQLite calls it for
/// `CREATE VIRTUAL TABLE … USING module(…)` and whenever it reconnects to such a table. The
/// object lives until SQLite disconnects the table (when it is dropped or the connection closes).
/// Virtual tables created this way are read-only.
public protocol VirtualTable: AnyObject {
    /// The `CREATE TABLE x(…)` statement declaring the table's columns and their types (the table
    /// name in it is ignored).
    var declaration: String { get }

    /// Chooses how to scan for one candidate query plan (SQLite's `xBestIndex`): which
    /// constraints to receive as filter arguments, and an estimated cost SQLite uses to compare
    /// plans. Called several times while SQLite plans a statement.
    func bestIndex(_ info: IndexInfo) throws -> IndexPlan

    /// Opens a cursor over the table (SQLite's `xOpen`); SQLite then calls
    /// ``VirtualTableCursor/filter(indexNumber:indexString:arguments:)`` to start a scan.
    func openCursor() throws -> any VirtualTableCursor
}

/// A position in a scan of a ``VirtualTable``.
///
/// SQLite drives it: `filter` starts (or restarts) a scan with the plan ``VirtualTable/bestIndex(_:)``
/// chose, then alternately reads ``isAtEnd``, ``column(_:into:)`` and ``rowID``, and calls
/// ``next()``.
public protocol VirtualTableCursor: AnyObject {
    /// Starts a scan with the plan numbered `indexNumber`/`indexString` by
    /// ``VirtualTable/bestIndex(_:)``; `arguments` are the values of the constraints the plan asked
    /// for, in argument order.
    func filter(indexNumber: Int32, indexString: String?, arguments: [FilterArgument]) throws
    /// Moves to the next row.
    func next() throws
    /// Whether the cursor is past the last row.
    var isAtEnd: Bool { get }
    /// Writes column `index` of the current row to `result`.
    func column(_ index: Int, into result: ColumnResult) throws
    /// A number identifying the current row (unique within the scan).
    var rowID: Int64 { get }
}

/// The arguments SQLite passes to a module's factory.
public struct VirtualTableArguments: Sendable, Hashable {
    /// The module name as used in `USING`.
    public var moduleName: String
    /// The schema the table is created in (`main`, `temp`, …).
    public var databaseName: String
    /// The virtual table's name.
    public var tableName: String
    /// The module arguments in `USING module(…)`, as written (quotes kept).
    public var arguments: [String]
}

/// A comparison SQLite can hand to a virtual table (SQLite's `SQLITE_INDEX_CONSTRAINT_*`).
public enum ConstraintOperator: Sendable, Hashable {
    case equal, greater, lessOrEqual, less, greaterOrEqual
    case notEqual, isNot, isNotNull, isNull, `is`
    case match, like, glob, regexp
    case limit, offset
    /// An operator of a newer SQLite, or an overloaded function (values ≥ 150).
    case other(Int32)

    init(code: Int32) {
        switch code {
        case SQLITE_INDEX_CONSTRAINT_EQ: self = .equal
        case SQLITE_INDEX_CONSTRAINT_GT: self = .greater
        case SQLITE_INDEX_CONSTRAINT_LE: self = .lessOrEqual
        case SQLITE_INDEX_CONSTRAINT_LT: self = .less
        case SQLITE_INDEX_CONSTRAINT_GE: self = .greaterOrEqual
        case SQLITE_INDEX_CONSTRAINT_NE: self = .notEqual
        case SQLITE_INDEX_CONSTRAINT_ISNOT: self = .isNot
        case SQLITE_INDEX_CONSTRAINT_ISNOTNULL: self = .isNotNull
        case SQLITE_INDEX_CONSTRAINT_ISNULL: self = .isNull
        case SQLITE_INDEX_CONSTRAINT_IS: self = .is
        case SQLITE_INDEX_CONSTRAINT_MATCH: self = .match
        case SQLITE_INDEX_CONSTRAINT_LIKE: self = .like
        case SQLITE_INDEX_CONSTRAINT_GLOB: self = .glob
        case SQLITE_INDEX_CONSTRAINT_REGEXP: self = .regexp
        case SQLITE_INDEX_CONSTRAINT_LIMIT: self = .limit
        case SQLITE_INDEX_CONSTRAINT_OFFSET: self = .offset
        default: self = .other(code)
        }
    }
}

/// One constraint of a candidate plan: `column op value`.
public struct IndexConstraint: Sendable, Hashable {
    /// The constrained column (its index in the declaration), or -1 for the rowid.
    public var column: Int
    /// The comparison.
    public var op: ConstraintOperator
    /// Whether the plan may use the constraint (its right-hand value is available to this plan).
    public var isUsable: Bool
    /// The right-hand value when it is a constant known while planning (`sqlite3_vtab_rhs_value`);
    /// nil when it comes from another table of a join, a parameter, or is absent.
    public var constantValue: SQLiteValue?
    /// The collating sequence of the comparison (`sqlite3_vtab_collation`), e.g. `BINARY`.
    public var collation: String?
    /// Whether the constraint is an `IN (…)` whose values the plan may receive all at once
    /// (``IndexPlan/ConstraintUsage/receivesAllValues``).
    public var isInList: Bool
}

/// What SQLite tells ``VirtualTable/bestIndex(_:)`` about a candidate plan.
public struct IndexInfo: Sendable, Hashable {
    /// One term of the requested order.
    public struct OrderTerm: Sendable, Hashable {
        /// The column index.
        public var column: Int
        /// Whether the order is descending.
        public var isDescending: Bool
    }

    /// The constraints SQLite could hand over, in SQLite's order.
    public var constraints: [IndexConstraint]
    /// The requested order.
    public var orderBy: [OrderTerm]
    /// Bit `i` set when column `i` may be read (bit 63: column 63 or any later one).
    public var columnsUsed: UInt64

    /// Whether column `index` may be read by the statement.
    public func usesColumn(_ index: Int) -> Bool {
        index >= 63 ? columnsUsed & (1 << 63) != 0 : columnsUsed & (1 << UInt64(index)) != 0
    }
}

/// A virtual table's answer to ``VirtualTable/bestIndex(_:)``.
public struct IndexPlan: Sendable, Hashable {
    /// How the plan uses one constraint.
    public struct ConstraintUsage: Sendable, Hashable {
        /// The 1-based position of the constraint's value among the filter arguments.
        public var argumentIndex: Int
        /// Whether SQLite may skip re-checking the constraint (only when the table guarantees it).
        public var omitsCheck: Bool
        /// For an `IN (…)` constraint (``IndexConstraint/isInList``): receive every value at once as
        /// one ``FilterArgument/list(_:)`` instead of one scan per value.
        public var receivesAllValues: Bool

        /// Creates a usage.
        public init(argumentIndex: Int, omitsCheck: Bool = false, receivesAllValues: Bool = false) {
            self.argumentIndex = argumentIndex
            self.omitsCheck = omitsCheck
            self.receivesAllValues = receivesAllValues
        }
    }

    /// Usage by constraint position in ``IndexInfo/constraints``; constraints not listed are not
    /// passed to the cursor (SQLite checks them).
    public var usages: [Int: ConstraintUsage] = [:]
    /// A number identifying the plan, passed to the cursor's filter.
    public var indexNumber: Int32 = 0
    /// A string describing the plan, passed to the cursor's filter.
    public var indexString: String?
    /// The estimated cost of the scan (SQLite prefers the cheapest plan).
    public var estimatedCost: Double = 1_000_000
    /// The estimated number of rows the scan returns.
    public var estimatedRows: Int64 = 1_000_000
    /// Whether the cursor returns rows in the requested ``IndexInfo/orderBy`` order.
    public var consumesOrderBy = false

    /// A plan that reads everything.
    public init() {}
}

/// One filter argument: a constraint's value, or all values of an `IN (…)` list.
public enum FilterArgument: Sendable, Hashable {
    case value(SQLiteValue)
    case list([SQLiteValue])
}

/// Where a cursor writes one column value (an `sqlite3_context*` during `xColumn`).
///
/// Valid only during the ``VirtualTableCursor/column(_:into:)`` call it is passed to.
public struct ColumnResult {
    let context: OpaquePointer

    /// Sets NULL.
    public func setNull() { sqlite3_result_null(context) }
    /// Sets an INTEGER.
    public func setInteger(_ value: Int64) { sqlite3_result_int64(context, value) }
    /// Sets a REAL (NaN becomes NULL, as everywhere in SQLite).
    public func setReal(_ value: Double) { sqlite3_result_double(context, value) }
    /// Sets TEXT.
    public func setText(_ value: String) {
        var copy = value
        copy.withUTF8 { setText(utf8: UnsafeRawBufferPointer($0)) }
    }
    /// Sets TEXT from UTF-8 bytes (copied).
    public func setText(utf8 bytes: UnsafeRawBufferPointer) {
        if let base = bytes.baseAddress, !bytes.isEmpty {
            sqlite3_result_text64(context, base.assumingMemoryBound(to: CChar.self), sqlite3_uint64(bytes.count),
                                  transientDestructor, UInt8(SQLITE_UTF8))
        } else {
            sqlite3_result_text(context, "", 0, transientDestructor)
        }
    }
    /// Sets a BLOB (copied).
    public func setBlob(_ bytes: UnsafeRawBufferPointer) {
        if let base = bytes.baseAddress, !bytes.isEmpty {
            sqlite3_result_blob64(context, base, sqlite3_uint64(bytes.count), transientDestructor)
        } else {
            sqlite3_result_zeroblob(context, 0)
        }
    }
    /// Sets a BLOB (copied).
    public func setBlob(_ bytes: [UInt8]) { bytes.withUnsafeBytes { setBlob($0) } }
}
