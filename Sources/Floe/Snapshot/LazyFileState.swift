import Synchronization

/// The file-level state of a snapshot: what replaying `add`, `remove`, `txn` and `domainMetadata`
/// actions gives.
struct SnapshotFiles: Sendable {
    /// Active files in first-added order.
    var activeFiles: [AddFile]
    /// Tombstones sorted by path, then deletion vector unique id.
    var tombstones: [RemoveFile]
    /// The latest `txn` per application id.
    var setTransactions: [String: SetTransaction]
    /// Live (not removed) metadata domains.
    var domainMetadata: [String: DomainMetadata]
}

/// A ``SnapshotFiles`` computed at most once, on first use, and shared by every copy of a
/// ``Snapshot``.
///
/// Invariants: the computation runs under a lock, so concurrent first users wait for one run; a
/// successful result is kept and the computation (with everything it captured) released; a failed
/// run is not cached, so a later call retries (e.g. after a transient I/O error).
final class LazyFileState: Sendable {
    typealias Compute = @Sendable () throws -> SnapshotFiles

    private enum Phase: Sendable {
        case pending(Compute)
        case done(SnapshotFiles)
    }

    private let phase: Mutex<Phase>

    /// How many unresolved states this one's computation may have to resolve first, itself
    /// included (a state derived from an unresolved one by ``Table/update(_:)`` is one deeper);
    /// bounded so that resolving never recurses far and a chain never keeps many commits alive.
    let depth: Int

    /// A state computed by `compute` on first use, `depth` deep (see ``depth``).
    init(depth: Int = 1, _ compute: @escaping Compute) {
        self.depth = depth
        phase = Mutex(.pending(compute))
    }

    /// An already computed state.
    init(resolved: SnapshotFiles) {
        depth = 0
        phase = Mutex(.done(resolved))
    }

    /// Whether the state has been computed.
    var isResolved: Bool {
        phase.withLock { if case .done = $0 { return true } else { return false } }
    }

    /// The state, computing it if needed.
    ///
    /// - Throws: The computation's error (as a ``DeltaError``).
    func get() throws -> SnapshotFiles {
        try phase.withLock { (phase: inout Phase) throws -> SnapshotFiles in
            switch phase {
            case .done(let files):
                return files
            case .pending(let compute):
                let files: SnapshotFiles
                do {
                    files = try compute()
                } catch let error as DeltaError {
                    throw error
                } catch {
                    throw DeltaError(.internalError, "reconstructing the snapshot's files failed: \(error)", underlying: error)
                }
                phase = .done(files)
                return files
            }
        }
    }
}

extension LogReplay {
    /// The file-level state replayed so far.
    var snapshotFiles: SnapshotFiles {
        SnapshotFiles(activeFiles: activeFiles,
                      tombstones: tombstones.values.sorted {
                          ($0.path, $0.deletionVector?.uniqueID ?? "") < ($1.path, $1.deletionVector?.uniqueID ?? "")
                      },
                      setTransactions: transactions, domainMetadata: domains.filter { !$0.value.removed })
    }
}
