import FloeColumnar

extension Table {
    /// The data files committed with `dataChange = true` in versions `after + 1 ... through`
    /// (the latest when nil), in commit order: what a consumer that has processed version `after`
    /// reads next to tail the table without rescanning it. Works on every table (no change data
    /// feed needed); files rewritten by `OPTIMIZE` (`dataChange = false`) are not repeated.
    ///
    /// - Throws: ``DeltaError/Code/versionNotFound`` when a commit in the range is not in the log
    ///   (cleaned up) or `through` is beyond the latest version.
    public func filesAdded(after version: Int64, through end: Int64? = nil) throws -> [AddFile] {
        let last = try end ?? latestVersion()
        guard version >= -1, last >= version else {
            throw DeltaError(.invalidArgument, "cannot read the files added after version \(version) through \(last)")
        }
        var files: [AddFile] = []
        var v = version + 1
        while v <= last {
            guard let entry = try storage.entry(at: LogFile.commitPath(v)), let file = LogFile(entry: entry) else {
                throw DeltaError(.versionNotFound, "the commit of version \(v) is not in the log of \(root)")
            }
            for case .add(let add) in try Snapshot.readCommit(file, storage: storage) where add.dataChange {
                files.append(add)
            }
            v += 1
        }
        return files
    }

    /// The rows appended in versions `after + 1 ... through` (see ``filesAdded(after:through:)``),
    /// read with the schema of version `through` (columns added later read as null in older
    /// files), optionally projected and filtered. Streams one row group at a time.
    public func rowsAdded(after version: Int64, through end: Int64? = nil, columns: [String]? = nil,
                          where condition: Condition? = nil) throws -> ScanBatches {
        let snapshot = try end.map { try self.snapshot(version: $0) } ?? self.snapshot()
        let adds = try filesAdded(after: version, through: snapshot.version)
        let scan = try Scan(snapshot: snapshot, storage: storage, columns: columns, predicate: condition)
        return ScanBatches(scan: scan, files: try scan.files(of: adds))
    }
}
