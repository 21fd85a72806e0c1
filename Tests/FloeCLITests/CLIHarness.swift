import Foundation
import Testing

/// Runs the built `floe` executable as a subprocess.
enum CLI {
    /// What one run produced.
    struct Result: CustomStringConvertible {
        var status: Int32
        var stdout: String
        var stderr: String

        var stdoutLines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty } }
        var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }
        var description: String { "status \(status)\nstdout: \(stdout)\nstderr: \(stderr)" }
    }

    /// The `floe` binary: `$FLOE_BINARY`, else next to the test bundle (SwiftPM puts every
    /// product of a build in one folder), else `.build/debug/floe` under the package root.
    static let binary: String = {
        var candidates: [String] = []
        if let explicit = ProcessInfo.processInfo.environment["FLOE_BINARY"] { candidates.append(explicit) }
        #if os(Linux)
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append((exe as NSString).deletingLastPathComponent + "/floe")
        }
        #endif
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            candidates.append((bundle.bundlePath as NSString).deletingLastPathComponent + "/floe")
        }
        candidates.append((CommandLine.arguments[0] as NSString).deletingLastPathComponent + "/floe")
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        candidates.append(root + "/.build/debug/floe")
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates.last ?? "floe"
    }()

    /// Runs `floe arguments...` with `stdin` as standard input (empty when nil) and waits at
    /// most `timeout` seconds. With `stdoutPath`, standard output goes to that file (e.g.
    /// `/dev/full`) and `Result.stdout` is empty.
    @discardableResult
    static func run(_ arguments: [String], stdin: String? = nil, stdoutPath: String? = nil, timeout: TimeInterval = 60) throws -> Result {
        let scratch = NSTemporaryDirectory() + "floe-cli-io-" + UUID().uuidString.lowercased()
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let inPath = scratch + "/stdin", outPath = scratch + "/stdout", errPath = scratch + "/stderr"
        _ = FileManager.default.createFile(atPath: inPath, contents: Data((stdin ?? "").utf8))
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        let input = try FileHandle(forReadingFrom: URL(fileURLWithPath: inPath))
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutPath ?? outPath))
        let errors = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        defer { try? input.close(); try? output.close(); try? errors.close() }
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.005) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            Issue.record("floe \(arguments.joined(separator: " ")) did not finish within \(timeout) s")
        }
        process.waitUntilExit()
        return Result(status: process.terminationStatus,
                      stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
                      stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
    }

    /// A fresh directory path (not created) for a table, removed by `cleanup`.
    static func scratch(_ label: String) -> String {
        NSTemporaryDirectory() + "floe-cli-\(label)-" + UUID().uuidString.lowercased()
    }

    static func cleanup(_ path: String) { try? FileManager.default.removeItem(atPath: path) }

    /// The `version` of `floe describe --format json`.
    static func version(of table: String) throws -> Int {
        let r = try run(["describe", table, "--format", "json"])
        guard r.status == 0, let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any],
              let v = object["version"] as? Int else {
            throw HarnessError("describe failed: \(r)")
        }
        return v
    }

    /// Parses one JSON document.
    static func json(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
    }
}

struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

/// Expects a failed run: exit status 1 and exactly one `error: ...` line on stderr containing
/// every fragment.
func expectError(_ r: CLI.Result, _ fragments: String..., sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(r.status == 1, "\(r)", sourceLocation: sourceLocation)
    #expect(r.stderrLines.count == 1, "stderr must be one line: \(r.stderr)", sourceLocation: sourceLocation)
    #expect(r.stderr.hasPrefix("error: "), "\(r.stderr)", sourceLocation: sourceLocation)
    for f in fragments {
        #expect(r.stderr.contains(f), "stderr lacks '\(f)': \(r.stderr)", sourceLocation: sourceLocation)
    }
}

/// Expects a usage error: exit status 2 and a message on stderr.
func expectUsageError(_ r: CLI.Result, _ fragment: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(r.status == 2, "\(r)", sourceLocation: sourceLocation)
    #expect(!r.stderr.isEmpty, sourceLocation: sourceLocation)
    if let fragment { #expect(r.stderr.contains(fragment), "stderr lacks '\(fragment)': \(r.stderr)", sourceLocation: sourceLocation) }
}

/// Expects success with no output on stderr.
func expectSuccess(_ r: CLI.Result, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(r.status == 0, "\(r)", sourceLocation: sourceLocation)
    #expect(r.stderr.isEmpty, "\(r.stderr)", sourceLocation: sourceLocation)
}
