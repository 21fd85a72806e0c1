import ArgumentParser
import Foundation
import Floe

/// `floe checkpoint TABLE`: an explicit checkpoint of the latest version.
struct CheckpointCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint",
        abstract: "Write a checkpoint of the table's latest version.",
        discussion: """
        Writes a classic Parquet checkpoint (_delta_log/<version>.checkpoint.parquet) of the \
        latest version and points _delta_log/_last_checkpoint at it, so that readers start from \
        it instead of replaying every commit. Tombstones past delta.deletedFileRetentionDuration \
        are left out; no log files are deleted. Prints {"version":N}, the checkpointed version.

        Examples:
          floe checkpoint events
          floe checkpoint events && floe describe events
        """)

    @Argument(help: "The table directory.") var table: String

    func validate() throws {
        try validateTablePath(table)
    }

    func run() throws {
        let hint = try Table(path: table).checkpoint()
        try StandardOutput.shared.line("{\"version\":\(hint.version)}")
    }
}
