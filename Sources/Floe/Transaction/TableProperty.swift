import Foundation

/// The table properties (`delta.*`) whose values Floe checks when they are set, by
/// ``Transaction/setProperties(_:)`` and when a table is created: one table of known keys and
/// the kind of value each takes. A value that does not fit is refused with
/// ``DeltaError/Code/invalidArgument`` naming the key, the value and what is expected, so a
/// mistake fails when it is made instead of making later commands (vacuum, checkpoints) fail.
///
/// `delta.columnMapping.mode` is checked by ``ColumnMappingMode``. Unknown keys (and properties
/// of other writers read from a log) are not checked here; readers stay tolerant of what other
/// writers set.
enum TableProperty {
    /// What a property's value must be.
    enum Kind: Sendable {
        /// `true` or `false`, ignoring case.
        case boolean
        /// A decimal integer at least `minimum`.
        case integer(minimum: Int64)
        /// An interval of fixed-length units (``RetentionDuration/milliseconds(_:)``).
        case interval
        /// One of the values, ignoring case.
        case oneOf([String])
    }

    /// The known properties.
    static let kinds: [String: Kind] = [
        "delta.appendOnly": .boolean,
        "delta.enableChangeDataFeed": .boolean,
        "delta.enableDeletionVectors": .boolean,
        "delta.enableInCommitTimestamps": .boolean,
        "delta.enableTypeWidening": .boolean,
        "delta.enableRowTracking": .boolean,
        "delta.enableExpiredLogCleanup": .boolean,
        "delta.checkpoint.writeStatsAsJson": .boolean,
        "delta.checkpoint.writeStatsAsStruct": .boolean,
        "delta.randomizeFilePrefixes": .boolean,
        "delta.checkpointInterval": .integer(minimum: 1),
        "delta.randomPrefixLength": .integer(minimum: 1),
        "delta.targetFileSize": .integer(minimum: 1),
        "delta.dataSkippingNumIndexedCols": .integer(minimum: -1),
        "delta.deletedFileRetentionDuration": .interval,
        "delta.logRetentionDuration": .interval,
        "delta.checkpointRetentionDuration": .interval,
        "delta.setTransactionRetentionDuration": .interval,
        "delta.isolationLevel": .oneOf(["Serializable", "WriteSerializable"]),
        "delta.checkpointPolicy": .oneOf(["classic", "v2"]),
    ]

    /// Checks `value` for the property `key` (nothing for unknown keys).
    ///
    /// - Throws: ``DeltaError/Code/invalidArgument`` naming the key, the value and what it takes.
    static func validate(_ key: String, _ value: String) throws {
        guard let kind = kinds[key] else { return }
        let text = value.trimmingCharacters(in: .whitespaces)
        let valid: Bool
        let expected: String
        switch kind {
        case .boolean:
            valid = ["true", "false"].contains(text.lowercased())
            expected = "true or false"
        case .integer(let minimum):
            valid = Int64(text).map { $0 >= minimum } ?? false
            expected = minimum == 1 ? "a positive integer" : "an integer of at least \(minimum)"
        case .interval:
            valid = RetentionDuration.milliseconds(text) != nil
            expected = "an interval such as 'interval 7 days' (weeks, days, hours, minutes, seconds; no months or years)"
        case .oneOf(let values):
            valid = values.contains { $0.lowercased() == text.lowercased() }
            expected = "one of " + values.joined(separator: ", ")
        }
        guard valid else {
            throw DeltaError(.invalidArgument, "table property \(key) must be \(expected), got '\(value)'")
        }
    }
}
