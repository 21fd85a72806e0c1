import ArgumentParser
import Foundation
import Floe

/// `floe vacuum TABLE [--retain-hours H] [--dry-run] [--force]`: delete files the table no longer
/// needs.
struct VacuumCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vacuum",
        abstract: "Delete data files the table no longer references and that are older than the retention period.",
        discussion: """
        Keeps every file of the current version, of removals newer than the retention period and of \
        commits within it, and every file younger than it; hidden files and directories (names \
        starting with _ or .) are left alone, except _change_data and temporary files of crashed \
        Floe writers. The default retention is the table's delta.deletedFileRetentionDuration (one \
        week when unset); a shorter one needs --force. Lists the files deleted (with --dry-run, \
        the files that would be), one per line, then a summary. A real run records VACUUM START \
        and VACUUM END versions.

        Examples:
          floe vacuum /data/events --dry-run
          floe vacuum /data/events --retain-hours 24 --force
        """)

    @Argument(help: "The table directory.")
    var table: String

    @Option(help: ArgumentHelp("Keep files needed by versions of the last H hours (default: the table's retention, 168 h unless set).", valueName: "H"))
    var retainHours: Double?

    @Flag(help: "Only list the files that would be deleted.")
    var dryRun = false

    @Flag(help: "Allow a retention shorter than the table's delta.deletedFileRetentionDuration.")
    var force = false

    func validate() throws {
        if let retainHours, !(retainHours.isFinite && retainHours >= 0) {
            throw ValidationError("--retain-hours must be a non-negative number of hours")
        }
    }

    func run() throws {
        let showsProgress = !dryRun && isatty(STDERR_FILENO) != 0
        let result = try Table(path: table).vacuum(retentionHours: retainHours, dryRun: dryRun, enforceRetentionDuration: !force) { progress in
            guard showsProgress else { return }
            let line = "\rdeleting \(progress.deleted)/\(progress.total)" + (progress.deleted == progress.total ? "\n" : "")
            StandardError.write(line)
        }
        var out = ""
        for file in result.files { out += file.path + "\n" }
        for directory in result.directories { out += directory + "/\n" }
        let count = "\(result.files.count) file\(result.files.count == 1 ? "" : "s") (\(result.bytes) bytes)"
        // Whole hours print without a fraction; very large ones (beyond Int64) as Double text.
        let hours = result.retentionHours == result.retentionHours.rounded() && abs(result.retentionHours) < 1e15
            ? String(Int64(result.retentionHours)) : String(result.retentionHours)
        if result.isDryRun {
            out += "dry run: would delete \(count), retention \(hours) hours\n"
        } else {
            out += "deleted \(count) and \(result.directories.count) empty director\(result.directories.count == 1 ? "y" : "ies"), retention \(hours) hours"
            if let start = result.startVersion, let end = result.endVersion { out += " (versions \(start) and \(end))" }
            out += "\n"
        }
        try StandardOutput.shared.write(out)
    }
}
