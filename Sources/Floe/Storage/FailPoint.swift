#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// Test-only fault injection at named moments of a write, driven by the `FLOE_FAILPOINT`
/// environment variable (see Spec/FORMAT.md, "Fail points"; used by `floe-torture` and the crash
/// tests).
///
/// `FLOE_FAILPOINT` holds comma-separated rules `NAME[:N[:ACTION]]`: the N-th time (default 1,
/// counted per process) the process reaches point NAME it performs ACTION — `kill` (default: the
/// process sends itself `SIGKILL`, like a crash at that moment) or `enospc` (the write fails with
/// ``DeltaError/Code/io`` for `ENOSPC`, like a full disk). The variable is read once, on the first
/// point reached; without it every point costs one load and a branch.
enum FailPoint: String, CaseIterable, Sendable {
    /// Before a data file of a write is created.
    case beforeDataFile = "before-data-file"
    /// After a write's data files are written (their syncs come with the commit), before its commit is attempted.
    case afterDataFile = "after-data-file"
    /// After a commit's temporary file and its data files are synced, before it is linked to its version.
    case beforeCommitLink = "before-commit-link"
    /// After a commit is linked to its version (published), before the writer learns of it.
    case afterCommitLink = "after-commit-link"
    /// After a checkpoint file is written, before `_last_checkpoint` points at it.
    case duringCheckpoint = "during-checkpoint"

    /// What a triggered rule does.
    enum Action: String, Sendable {
        case kill
        case enospc
    }

    struct Rule: Sendable {
        var point: FailPoint
        var hit: Int
        var action: Action
    }

    /// The parsed rules; `nil` when `FLOE_FAILPOINT` is unset or empty.
    static let rules: [Rule]? = {
        guard let text = ProcessInfo.processInfo.environment["FLOE_FAILPOINT"], !text.isEmpty else { return nil }
        return parse(text)
    }()

    /// How often each point was reached in this process.
    static let hits = Mutex<[FailPoint: Int]>([:])

    /// Parses `NAME[:N[:ACTION]]` rules; unknown names or malformed rules are reported on standard
    /// error and ignored (this is a test hook: a typo must be visible, not fatal).
    static func parse(_ text: String) -> [Rule] {
        var rules: [Rule] = []
        for item in text.split(separator: ",") {
            let parts = item.split(separator: ":", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard let point = FailPoint(rawValue: parts[0]),
                  let hit = parts.count > 1 ? Int(parts[1]) : 1, hit >= 1,
                  let action = parts.count > 2 ? Action(rawValue: parts[2]) : .kill, parts.count <= 3 else {
                FileHandle.standardError.write(Data("floe: ignoring malformed FLOE_FAILPOINT rule '\(item)' (NAME[:N[:kill|enospc]], NAME one of \(allCases.map(\.rawValue).joined(separator: ", ")))\n".utf8))
                continue
            }
            rules.append(Rule(point: point, hit: hit, action: action))
        }
        return rules
    }

    /// Marks that the process reached `point`; kills the process or throws when a rule says so.
    ///
    /// - Parameter path: The file being written, for the injected error's message.
    /// - Throws: ``DeltaError/Code/io`` (`ENOSPC`) for a triggered `enospc` rule.
    static func reach(_ point: FailPoint, path: @autoclosure () -> String) throws {
        guard let rules = rules else { return }
        let count = hits.withLock { counts -> Int in
            counts[point, default: 0] += 1
            return counts[point, default: 0]
        }
        for rule in rules where rule.point == point && rule.hit == count {
            switch rule.action {
            case .kill:
                kill(getpid(), SIGKILL)
                // SIGKILL cannot be caught; wait for it to be delivered.
                while true { pause() }
            case .enospc:
                throw LocalStorage.posixError(ENOSPC, "cannot write \(path()) (fail point \(point.rawValue))")
            }
        }
    }
}
