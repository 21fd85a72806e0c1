import FloeColumnar

/// The decoded content of one leaf column over some rows: its levels and its non-null values.
///
/// Invariants: `definitionLevels` is empty when the leaf's max definition level is 0 (every
/// entry is then fully defined), else has `levelCount` entries; likewise `repetitionLevels` with
/// the max repetition level. `values` holds exactly one value per entry whose definition level
/// equals the maximum, in order, with no validity bitmap, already in the leaf's Arrow type.
struct LeafData: Sendable {
    var levelCount: Int
    var definitionLevels: [Int16]
    var repetitionLevels: [Int16]
    var values: Column
}
