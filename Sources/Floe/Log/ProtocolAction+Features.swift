extension ProtocolAction {
    /// Reader-writer features: they must appear in both `readerFeatures` and `writerFeatures`.
    public static let readerWriterFeatures: Set<TableFeature> = [
        .columnMapping, .deletionVectors, .timestampNtz, .v2Checkpoint, .catalogManaged, .vacuumProtocolCheck,
        .typeWidening, .typeWideningPreview, .variantType, .variantTypePreview, .variantShreddingPreview, .variantShredding,
    ]

    /// The writer features a legacy writer version (1–6) implies.
    public static func impliedWriterFeatures(writerVersion: Int) -> [TableFeature] {
        var features: [TableFeature] = []
        if writerVersion >= 2 { features += [.appendOnly, .invariants] }
        if writerVersion >= 3 { features += [.checkConstraints] }
        if writerVersion >= 4 { features += [.changeDataFeed, .generatedColumns] }
        if writerVersion >= 5 { features += [.columnMapping] }
        if writerVersion >= 6 { features += [.identityColumns] }
        return features
    }

    /// The writer features in effect: the listed ones on writer version 7, the implied ones on
    /// legacy versions.
    public var effectiveWriterFeatures: [TableFeature] {
        minWriterVersion >= 7 ? (writerFeatures ?? []) : Self.impliedWriterFeatures(writerVersion: minWriterVersion)
    }

    /// Whether the protocol supports `feature` for writers (listed, or implied by a legacy
    /// version).
    public func supportsWriterFeature(_ feature: TableFeature) -> Bool {
        effectiveWriterFeatures.contains(feature)
    }

    /// This protocol upgraded so that it supports `features`, or `self` when it already does.
    ///
    /// Legacy writer versions move to writer version 7 listing the features they implied plus the
    /// new ones; reader-writer features also move the reader to version 3, listing them (and
    /// `columnMapping` when the reader version was 2). Nothing is ever removed.
    public func supporting(_ features: [TableFeature]) -> ProtocolAction {
        let missing = features.filter { !supportsWriterFeature($0) }
        guard !missing.isEmpty else { return self }
        var result = self
        if result.minWriterVersion < 7 {
            result.writerFeatures = Self.impliedWriterFeatures(writerVersion: result.minWriterVersion)
            result.minWriterVersion = 7
        }
        var writer = result.writerFeatures ?? []
        for feature in missing where !writer.contains(feature) { writer.append(feature) }
        result.writerFeatures = writer
        let readerNeeded = missing.filter { Self.readerWriterFeatures.contains($0) }
        if !readerNeeded.isEmpty {
            if result.minReaderVersion < 3 {
                result.readerFeatures = result.minReaderVersion == 2 ? [.columnMapping] : []
                result.minReaderVersion = 3
            }
            var reader = result.readerFeatures ?? []
            for feature in readerNeeded where !reader.contains(feature) { reader.append(feature) }
            result.readerFeatures = reader
        }
        return result
    }

    /// The features a table with `metadata` and `schema` needs its protocol to support, derived
    /// from table properties and column metadata/types.
    public static func requiredFeatures(metadata: Metadata, schema: StructType) -> [TableFeature] {
        func enabled(_ key: String) -> Bool { metadata.configuration[key]?.lowercased() == "true" }
        var features: [TableFeature] = []
        if enabled("delta.enableInCommitTimestamps") { features.append(.inCommitTimestamp) }
        if enabled("delta.appendOnly") { features.append(.appendOnly) }
        if schema.anyField(where: { $0.metadata["delta.invariants"] != nil }) { features.append(.invariants) }
        if metadata.configuration.keys.contains(where: { $0.hasPrefix("delta.constraints.") }) { features.append(.checkConstraints) }
        if enabled("delta.enableChangeDataFeed") { features.append(.changeDataFeed) }
        if schema.anyField(where: { $0.metadata["delta.generationExpression"] != nil }) { features.append(.generatedColumns) }
        if enabled("delta.enableDeletionVectors") { features.append(.deletionVectors) }
        if enabled("delta.enableTypeWidening") { features.append(.typeWidening) }
        if let mode = metadata.configuration["delta.columnMapping.mode"]?.lowercased(), mode == "name" || mode == "id" {
            features.append(.columnMapping)
        }
        if schema.fields.contains(where: { $0.type.contains(.timestampNtz) }) { features.append(.timestampNtz) }
        if schema.fields.contains(where: { $0.type.contains(.variant) }) { features.append(.variantType) }
        return features
    }
}
