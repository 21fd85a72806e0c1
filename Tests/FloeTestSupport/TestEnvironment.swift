import Foundation

/// What the test suites may use from outside the package, located once for every test target:
/// the package root, the test virtualenv's Python, the shared golden corpus, and whether the run
/// requires every peer (so that a suite that would skip fails instead).
///
/// `Tools/test.sh` (the README's test command, and CI's) exports `FLOE_PYTHON`, `FLOE_SHARED`
/// (when `../shared` exists) and `FLOE_REQUIRE_PEERS=1`. A plain `swift test` on a developer's
/// machine sets none of them, and peer suites then skip with a message saying what they need.
public enum TestEnvironment {
    /// The package root (this file is `Tests/FloeTestSupport/TestEnvironment.swift`).
    public static let packageRoot: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// Whether `FLOE_REQUIRE_PEERS` is set to a non-empty value other than `0`: every peer
    /// (Python with pyarrow, deltalake and DuckDB; the golden corpus when `FLOE_SHARED` is set)
    /// must then be present, and a gate never skips.
    public static let requiresPeers: Bool = {
        guard let value = ProcessInfo.processInfo.environment["FLOE_REQUIRE_PEERS"] else { return false }
        return !value.isEmpty && value != "0"
    }()

    /// `FLOE_PYTHON` when it names an executable, else `<package>/.venv-test/bin/python` when that
    /// exists, else nil.
    public static let python: String? = {
        var candidates: [String] = []
        if let python = ProcessInfo.processInfo.environment["FLOE_PYTHON"], !python.isEmpty { candidates.append(python) }
        candidates.append(packageRoot + "/.venv-test/bin/python")
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// `FLOE_SHARED`, when set and non-empty.
    public static let shared: String? = ProcessInfo.processInfo.environment["FLOE_SHARED"].flatMap { $0.isEmpty ? nil : $0 }

    /// The golden Delta tables: `$FLOE_SHARED/golden/delta-rs`, else `../shared/golden/delta-rs`
    /// beside the package root, when the folder exists.
    public static let goldenRoot: String? = {
        var candidates: [String] = []
        if let shared { candidates.append(shared + "/golden/delta-rs") }
        candidates.append((packageRoot as NSString).deletingLastPathComponent + "/shared/golden/delta-rs")
        var isDirectory: ObjCBool = false
        return candidates.first { FileManager.default.fileExists(atPath: $0, isDirectory: &isDirectory) && isDirectory.boolValue }
    }()

    /// The condition of a peer-gated test or suite: `available`, or `true` whatever `available`
    /// is when ``requiresPeers`` is set, so that the test runs and fails rather than skipping.
    public static func gate(_ available: Bool) -> Bool { available || requiresPeers }

    /// Whether ``python`` can import every module of `modules` (e.g. `["deltalake", "pyarrow"]`).
    /// Answers are cached per set of modules; no Python answers false.
    public static func pythonImports(_ modules: [String]) -> Bool {
        let key = modules.sorted().joined(separator: ",")
        if let known = importCache.value(for: key) { return known }
        let answer: Bool = {
            guard let python else { return false }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: python)
            // os._exit skips interpreter teardown, where deltalake's runtime may abort.
            process.arguments = ["-c", "import os, " + modules.joined(separator: ", ") + "; os._exit(0)"]
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            guard (try? process.run()) != nil else { return false }
            process.waitUntilExit()
            return process.terminationStatus == 0
        }()
        importCache.set(answer, for: key)
        return answer
    }

    /// Whether the test Python has pyarrow.
    public static var hasPyarrow: Bool { pythonImports(["pyarrow", "pyarrow.parquet"]) }
    /// Whether the test Python has deltalake (delta-rs) and pyarrow.
    public static var hasDeltalake: Bool { pythonImports(["deltalake", "pyarrow"]) }
    /// Whether the test Python has DuckDB with the delta extension package.
    public static var hasDuckDB: Bool { pythonImports(["duckdb", "duckdb_extension_delta"]) }

    private static let importCache = LockedCache()
}

/// A small thread-safe dictionary for ``TestEnvironment/pythonImports(_:)``.
private final class LockedCache: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String: Bool] = [:]

    func value(for key: String) -> Bool? { lock.withLock { values[key] } }
    func set(_ value: Bool, for key: String) { lock.withLock { values[key] = value } }
}
