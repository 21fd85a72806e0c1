import Foundation
import FloeTestSupport
@testable import FloeParquet

/// The Parquet files of the shared golden corpus (`../shared/golden/delta-rs` beside the package
/// root), for tests that decode real footers. Tests using them are disabled, with a message, when
/// the folder is absent.
enum GoldenFiles {
    /// The corpus folder.
    static var root: URL {
        URL(fileURLWithPath: TestEnvironment.goldenRoot ?? TestEnvironment.packageRoot + "/../shared/golden/delta-rs")
            .standardizedFileURL
    }

    /// Whether tests of the corpus run: the folder exists, or FLOE_REQUIRE_PEERS makes them run
    /// (and fail) without it.
    static var available: Bool { TestEnvironment.gate(TestEnvironment.goldenRoot != nil) }

    /// Every `.parquet` file under the corpus, sorted by path.
    static var parquetFiles: [URL] {
        guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        var files: [URL] = []
        for case let url as URL in enumerator where url.pathExtension == "parquet" { files.append(url) }
        return files.sorted { $0.path < $1.path }
    }

    /// A file's whole contents.
    static func contents(of url: URL) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: url))
    }

    /// The footer metadata bytes of a file (without the 8-byte trailer).
    static func footerBytes(of file: [UInt8]) throws -> [UInt8] {
        let length = try file.withUnsafeBytes { try FileMetaData.footerLength(fileTail: $0) }
        return Array(file[(file.count - 8 - length) ..< (file.count - 8)])
    }
}
