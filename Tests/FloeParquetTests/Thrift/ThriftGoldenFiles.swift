import Foundation
@testable import FloeParquet

/// The Parquet files of the shared golden corpus (`../shared/golden/delta-rs` beside the package
/// root), for tests that decode real footers. Tests using them are disabled, with a message, when
/// the folder is absent.
enum GoldenFiles {
    /// The corpus folder.
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()   // Thrift
        .deletingLastPathComponent()   // FloeParquetTests
        .deletingLastPathComponent()   // Tests
        .deletingLastPathComponent()   // package root
        .appendingPathComponent("../shared/golden/delta-rs").standardizedFileURL

    /// Whether the corpus folder exists.
    static var available: Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

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
