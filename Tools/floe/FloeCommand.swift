import ArgumentParser
import Foundation
import Floe
import FloeColumnar
import FloeParquet

/// `floe`: inspect, query and append to Floe (Delta Lake) tables. See Spec/CLI.md.
@main
struct FloeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "floe",
        abstract: "Inspect, query and append to Floe (Delta Lake) tables.",
        discussion: """
        Tables are directories. Exit status: 0 success, 1 error (one line `error: ...` on stderr), \
        2 usage error. See Spec/CLI.md for the exact contract.

        Examples:
          floe demo
          floe create events --schema 'id long not null, kind string, ts timestamp'
          echo '{"id":1,"kind":"click","ts":"2026-11-24T10:00:00Z"}' \\
            | floe append events
          floe scan events --where "kind = 'click'" --format ndjson
          floe history events
        """,
        subcommands: [CreateCommand.self, AppendCommand.self, OverwriteCommand.self, ScanCommand.self,
                      DescribeCommand.self, HistoryCommand.self, FilesCommand.self, ChangesCommand.self, TailCommand.self,
                      SQLCommand.self, AlterCommand.self, OptimizeCommand.self, VacuumCommand.self, CheckpointCommand.self, ConstraintCommand.self,
                      DemoCommand.self, ParquetCommand.self])

    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            if code == .validationFailure || error is ValidationError {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            if let exit = error as? ExitCode {
                Foundation.exit(exit.rawValue)
            }
            FileHandle.standardError.write(Data(("error: " + describe(error) + "\n").utf8))
            Foundation.exit(1)
        }
    }

    /// One line describing an error, without stack traces.
    static func describe(_ error: any Error) -> String {
        let text: String
        switch error {
        case let e as DeltaError: text = e.message
        case let e as ParquetError: text = e.message
        case let e as ColumnarError: text = e.message
        case let e as CLIError: text = e.description
        default: text = "\(error)"
        }
        return text.replacingOccurrences(of: "\n", with: " ")
    }
}
