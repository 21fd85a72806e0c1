import FloeColumnar

/// A rule every row of a table must satisfy, beyond its column types: a CHECK constraint (table
/// property `delta.constraints.<name>`) or a column invariant (`delta.invariants` column metadata,
/// `{"expression":{"expression":"<SQL>"}}`). NOT NULL is part of the schema and checked with it.
///
/// The expression is a SQL boolean expression in the grammar of ``Condition/init(sql:schema:)``.
/// Following the Delta protocol, a row satisfies the rule only when the expression is `true`: a row
/// where it is `false` **or NULL** violates it (write `x IS NULL OR x > 0` to allow nulls).
///
/// Invariant: ``key`` identifies the rule within a table (`delta.constraints.<name>` or
/// `delta.invariants:<column path>`).
public struct TableConstraint: Sendable, Hashable {
    /// Where a constraint comes from.
    public enum Kind: Sendable, Hashable {
        /// A CHECK constraint, stored as the table property `delta.constraints.<name>`.
        case check
        /// A column invariant, stored in the `delta.invariants` metadata of the column at this
        /// dotted path.
        case invariant(column: String)
    }

    /// The constraint's name: the CHECK constraint name as stored (lowercase when Floe or Spark
    /// added it), or the column path of an invariant.
    public let name: String
    /// The SQL boolean expression as stored.
    public let expression: String
    /// Whether this is a CHECK constraint or a column invariant.
    public let kind: Kind

    /// Creates a constraint.
    public init(name: String, expression: String, kind: Kind) {
        self.name = name
        self.expression = expression
        self.kind = kind
    }

    /// The table property prefix of CHECK constraints.
    public static let propertyPrefix = "delta.constraints."

    /// The table property holding the CHECK constraint `name` (lowercased, as Delta stores it).
    public static func propertyKey(_ name: String) -> String { propertyPrefix + name.lowercased() }

    /// Identifies the rule within its table.
    public var key: String {
        switch kind {
        case .check: Self.propertyPrefix + name
        case .invariant(let column): "delta.invariants:" + column
        }
    }

    /// How messages name the rule: `CHECK constraint positive (id > 0)` or
    /// `invariant on column x (x > 3)`.
    public var label: String {
        switch kind {
        case .check: "CHECK constraint \(name) (\(expression))"
        case .invariant(let column): "invariant on column \(column) (\(expression))"
        }
    }

    /// The CHECK constraints and column invariants of a table with `metadata`, CHECK constraints
    /// first, each group sorted by key.
    ///
    /// - Throws: ``DeltaError/Code/unsupportedFeature`` naming the column when a `delta.invariants`
    ///   value is not the documented JSON (Floe would otherwise have to skip it).
    public static func all(in metadata: Metadata, schema: StructType) throws -> [TableConstraint] {
        var out: [TableConstraint] = []
        for key in metadata.configuration.keys.sorted() where key.hasPrefix(propertyPrefix) {
            out.append(TableConstraint(name: String(key.dropFirst(propertyPrefix.count)),
                                       expression: metadata.configuration[key] ?? "", kind: .check))
        }
        func walk(_ fields: [StructField], prefix: String) throws {
            for field in fields {
                let path = prefix.isEmpty ? field.name : prefix + "." + field.name
                if let raw = field.metadata["delta.invariants"] {
                    out.append(TableConstraint(name: path, expression: try invariantExpression(raw, column: path),
                                               kind: .invariant(column: path)))
                }
                if case .struct(let s) = field.type { try walk(s.fields, prefix: path) }
            }
        }
        try walk(schema.fields, prefix: "")
        return out
    }

    /// The SQL of a `delta.invariants` value: a JSON string (or object) holding
    /// `{"expression":{"expression":"<SQL>"}}`.
    static func invariantExpression(_ value: JSONValue, column: String) throws -> String {
        var object: JSONValue? = value
        if case .string(let text) = value { object = try? JSONValue(parsing: text) }
        if case .object(let outer)? = object, case .object(let inner)? = outer["expression"],
           case .string(let sql)? = inner["expression"] {
            return sql
        }
        throw DeltaError(.unsupportedFeature, "column \(column) has a delta.invariants value Floe cannot read (expected {\"expression\":{\"expression\":\"<SQL>\"}}): \(value.jsonText)")
    }

    /// The expression parsed against the table's columns.
    ///
    /// - Throws: ``DeltaError/Code/unsupportedFeature`` naming the constraint when the expression
    ///   is outside the SQL Floe evaluates (see ``Condition/init(sql:schema:)``).
    public func condition(schema: Schema) throws -> Condition {
        do {
            return try Condition(sql: expression, schema: schema)
        } catch let error as DeltaError {
            throw DeltaError(.unsupportedFeature, "Floe cannot evaluate the \(label): \(error.message)", underlying: error)
        }
    }
}
