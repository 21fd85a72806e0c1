/// One action of the Delta transaction log.
///
/// A commit file holds one action per line; a checkpoint holds one per row. Actions Floe does not
/// know are skipped when parsing, as the protocol requires.
public enum Action: Sendable, Hashable {
    /// Changes the protocol versions or table features.
    case `protocol`(ProtocolAction)
    /// Changes the table metadata.
    case metadata(Metadata)
    /// Adds a logical file.
    case add(AddFile)
    /// Removes a logical file.
    case remove(RemoveFile)
    /// Adds a change data file.
    case cdc(AddCDCFile)
    /// Records commit provenance.
    case commitInfo(CommitInfo)
    /// Records an application transaction version.
    case txn(SetTransaction)
    /// Sets or removes a metadata domain.
    case domainMetadata(DomainMetadata)
    /// Describes a V2 checkpoint (checkpoints only).
    case checkpointMetadata(CheckpointMetadata)
    /// References a V2 checkpoint sidecar file (checkpoints only).
    case sidecar(Sidecar)

    /// The key of this action in the log, e.g. `"add"`, `"metaData"`.
    public var key: String {
        switch self {
        case .protocol: "protocol"
        case .metadata: "metaData"
        case .add: "add"
        case .remove: "remove"
        case .cdc: "cdc"
        case .commitInfo: "commitInfo"
        case .txn: "txn"
        case .domainMetadata: "domainMetadata"
        case .checkpointMetadata: "checkpointMetadata"
        case .sidecar: "sidecar"
        }
    }
}
