import ArgumentParser
import Foundation
import Floe
import FloeColumnar
import FloeParquet
import FloeSQLite

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
          floe --version
        """,
        subcommands: [CreateCommand.self, AppendCommand.self, OverwriteCommand.self, ScanCommand.self,
                      DescribeCommand.self, HistoryCommand.self, FilesCommand.self, ChangesCommand.self, TailCommand.self,
                      SQLCommand.self, AlterCommand.self, OptimizeCommand.self, VacuumCommand.self, CheckpointCommand.self, ConstraintCommand.self,
                      DemoCommand.self, ParquetCommand.self])

    static func main() {
        do {
            let arguments = Array(CommandLine.arguments.dropFirst())
            // `floe --version` alone (subcommands' --version selects a table version, so the
            // parser's own version flag, which would take it over everywhere, is not used).
            if arguments == ["--version"] {
                try StandardOutput.shared.line("floe \(FloeVersion.current)")
                try StandardOutput.shared.flush()
                Foundation.exit(0)
            }
            try refuseUnknownSubcommand(arguments)
            var command = try parseAsRoot()
            try command.run()
            // Results are buffered: a failure to write them out is the command's failure.
            try StandardOutput.shared.flush()
            Foundation.exit(0)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                do {
                    try StandardOutput.shared.line(fullMessage(for: error))
                    try StandardOutput.shared.flush()
                    Foundation.exit(0)
                } catch {
                    fail(error)
                }
            }
            if code == .validationFailure || error is ValidationError {
                StandardError.write(ErrorText.escaping(fullMessage(for: error), keepingNewlines: true) + "\n")
                Foundation.exit(2)
            }
            // What was printed before the error still goes out (best effort: the error reported
            // is the first one).
            try? StandardOutput.shared.flush()
            if let exit = error as? ExitCode {
                Foundation.exit(exit.rawValue)
            }
            fail(error)
        }
    }

    /// Reports `error` as the one `error: ...` line and exits with status 1.
    static func fail(_ error: any Error) -> Never {
        StandardError.write("error: " + describe(error) + "\n")
        Foundation.exit(1)
    }

    /// A first argument that is not an option must name a subcommand; otherwise the parser would
    /// report it as "unexpected arguments". Says which subcommand was probably meant.
    static func refuseUnknownSubcommand(_ arguments: [String]) throws {
        guard let first = arguments.first, !first.hasPrefix("-") else { return }
        let names = configuration.subcommands.map { $0._commandName } + ["help"]
        guard !names.contains(first) else { return }
        let close = names.map { ($0, editDistance(first, $0)) }.filter { $0.1 <= max(1, min(2, first.count / 3)) }
            .min { $0.1 < $1.1 }?.0
        let hint = close.map { " Did you mean '\($0)'?" } ?? ""
        throw ValidationError("unknown subcommand '\(first)'.\(hint) (floe --help lists them)")
    }

    /// Levenshtein distance between two short strings, counting a swap of neighbours as one edit.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let x = Array(a), y = Array(b)
        if x.isEmpty || y.isEmpty { return max(x.count, y.count) }
        var d = [[Int]](repeating: [Int](repeating: 0, count: y.count + 1), count: x.count + 1)
        for i in 0...x.count { d[i][0] = i }
        for j in 0...y.count { d[0][j] = j }
        for i in 1...x.count {
            for j in 1...y.count {
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[x.count][y.count]
    }

    /// One line describing an error, without stack traces, its control characters escaped
    /// (`ErrorText.escaping`).
    static func describe(_ error: any Error) -> String {
        let text: String
        switch error {
        case let e as DeltaError: text = e.message
        case let e as ParquetError: text = e.message
        case let e as ColumnarError: text = e.message
        case let e as SQLiteError: text = e.message
        case let e as CLIError: text = e.description
        default: text = "\(error)"
        }
        return ErrorText.escaping(text)
    }
}

/// Error text made safe for one line on a terminal.
enum ErrorText {
    /// `text` with every character that could break the one-line `error:` contract or act on a
    /// terminal escaped: C0 controls and DEL as `\n`, `\r`, `\t` or `\xNN`, C1 controls as
    /// `\u{NN}`, bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069) and other
    /// line or paragraph separators as `\u{NNNN}`. Bytes that were not UTF-8 reach messages as
    /// U+FFFD, which is printed as it is. With `keepingNewlines`, `\n` stays a line break (usage
    /// messages span lines).
    static func escaping(_ text: String, keepingNewlines: Bool = false) -> String {
        var out = ""
        out.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            let v = scalar.value
            switch v {
            case 0x0A where keepingNewlines: out.unicodeScalars.append(scalar)
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0x00..<0x20, 0x7F: out += "\\x" + hex(v, width: 2)
            case 0x80..<0xA0, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C, 0xFEFF:
                out += "\\u{" + hex(v, width: 4) + "}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private static func hex(_ v: UInt32, width: Int) -> String {
        let digits = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
