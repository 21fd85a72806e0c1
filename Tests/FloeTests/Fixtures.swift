import Foundation
import Testing
@testable import Floe
import FloeTestSupport

/// Locates shared fixtures and makes scratch directories for tests.
enum Fixtures {
    /// `$FLOE_SHARED/golden/delta-rs`, or `../shared/golden/delta-rs` next to the package root.
    static var goldenRoot: String? { TestEnvironment.goldenRoot }

    /// Whether golden-table tests run: the corpus is there, or FLOE_REQUIRE_PEERS makes them run
    /// (and fail) without it.
    static var goldenAvailable: Bool { TestEnvironment.gate(goldenRoot != nil) }

    /// The path of golden table `name`.
    static func golden(_ name: String) -> String { (goldenRoot ?? "/nonexistent") + "/" + name }

    /// A fresh empty directory, removed by the returned cleanup closure's owner at exit.
    static func scratchDirectory(_ label: String = "table") throws -> String {
        let path = NSTemporaryDirectory() + "floe-tests-\(label)-\(UUID().uuidString.lowercased())"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Writes `text` to `path` (creating parent directories).
    static func write(_ text: String, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    /// Sets a file's modification time (milliseconds since the epoch).
    static func setModificationTime(_ path: String, millis: Int64) throws {
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: Double(millis) / 1000)],
                                              ofItemAtPath: path)
    }

    static let protocolLine = #"{"protocol":{"minReaderVersion":1,"minWriterVersion":2}}"#
    static func metadataLine(partitionColumns: [String] = []) -> String {
        let cols = partitionColumns.map { "\"\($0)\"" }.joined(separator: ",")
        return #"{"metaData":{"id":"5fba94ed-9794-4965-ba6e-6ee3c0d22af9","format":{"provider":"parquet","options":{}},"schemaString":"{\"type\":\"struct\",\"fields\":[{\"name\":\"id\",\"type\":\"long\",\"nullable\":true,\"metadata\":{}},{\"name\":\"p\",\"type\":\"string\",\"nullable\":true,\"metadata\":{}}]}","partitionColumns":["#
            + cols + #"],"configuration":{},"createdTime":1587968585495}}"#
    }
    static func addLine(_ path: String, size: Int = 100) -> String {
        #"{"add":{"path":""# + path + #"","partitionValues":{},"size":"# + String(size) + #","modificationTime":1587968586000,"dataChange":true}}"#
    }
    static func removeLine(_ path: String) -> String {
        #"{"remove":{"path":""# + path + #"","deletionTimestamp":1587968596250,"dataChange":true}}"#
    }

    /// Writes commit `version` of a hand-made table.
    static func writeCommit(_ root: String, _ version: Int64, _ lines: [String]) throws {
        try write(lines.joined(separator: "\n") + "\n", to: root + "/_delta_log/" + LogFile.commitName(version))
    }
}
