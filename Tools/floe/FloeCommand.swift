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
        Exit status: 0 success, 1 error (one line `error: ...` on stderr), 2 usage error.
        See Spec/CLI.md for the exact contract.
        """,
        subcommands: [ParquetCommand.self, SQLCommand.self, ChangesCommand.self, OptimizeCommand.self, VacuumCommand.self])

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
        case let e as ParquetError: text = e.message
        case let e as DeltaError: text = e.message
        case let e as ColumnarError: text = e.message
        default: text = "\(error)"
        }
        return text.replacingOccurrences(of: "\n", with: " ")
    }
}
