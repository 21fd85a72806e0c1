extension Transaction {
    /// Checks the actions of a concurrently committed `version` against this transaction.
    ///
    /// - Throws: ``DeltaError/Code/conflict`` naming the conflict and `version`.
    func checkConflicts(with winner: [Action], version: Int64) throws {
        func conflict(_ what: String) -> DeltaError {
            DeltaError(.conflict, "transaction conflicts with version \(version) committed concurrently to \(table.root): \(what)")
        }
        var winnerIsBlindAppend = false
        for case .commitInfo(let info) in winner {
            winnerIsBlindAppend = info.isBlindAppend ?? false
            break
        }
        let changesTableSetup = newMetadata != nil || newProtocol != nil
        let removedPaths = Set(removedFiles.map(\.path))
        for action in winner {
            switch action {
            case .protocol:
                throw conflict("the table protocol was changed")
            case .metadata:
                throw conflict("the table metadata (schema, partitioning or properties) was changed")
            case .remove(let r):
                if removedPaths.contains(r.path) {
                    throw conflict("file \(r.path) removed by this transaction was also removed (concurrent delete)")
                }
                if readFilePaths.contains(r.path) {
                    throw conflict("file \(r.path) read by this transaction was removed")
                }
                if r.dataChange, let readPredicate {
                    // Without partition values the removed file may be in a read partition.
                    if r.partitionValues.map({ readPredicate.matches($0) }) ?? true {
                        throw conflict("file \(r.path) in a partition this transaction read was removed")
                    }
                }
                if changesTableSetup && r.dataChange {
                    throw conflict("data changed (file \(r.path) removed) while this transaction changes the table metadata or protocol")
                }
            case .add(let a):
                if changesTableSetup && a.dataChange {
                    throw conflict("data changed (file \(a.path) added) while this transaction changes the table metadata or protocol")
                }
                if a.dataChange, !winnerIsBlindAppend, let readPredicate, readPredicate.matches(a.partitionValues) {
                    throw conflict("file \(a.path) was added to a partition this transaction read")
                }
            case .txn(let t):
                if setTransactions[t.appID] != nil {
                    throw conflict("application '\(t.appID)' committed transaction version \(t.version) concurrently")
                }
            case .domainMetadata(let d):
                if domainMetadataChanges[d.domain] != nil {
                    throw conflict("metadata domain '\(d.domain)' was changed concurrently")
                }
            case .cdc, .commitInfo, .checkpointMetadata, .sidecar:
                continue
            }
        }
    }
}
