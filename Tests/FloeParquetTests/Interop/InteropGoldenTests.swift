import Foundation
import Testing
import FloeTestSupport
import FloeColumnar
@testable import FloeParquet

/// Floe reads every Parquet file of the shared golden corpus (`$FLOE_SHARED/golden/delta-rs`: data
/// files, change-data files and `_delta_log` checkpoints written by Spark, Databricks and delta-rs)
/// exactly as pyarrow reads it. One python process dumps the files while Swift compares them.
@Suite("Interop: golden delta-rs files read by Floe",
       .enabled(if: TestEnvironment.gate(InteropGoldenCorpus.root != nil), "FLOE_SHARED is unset or has no golden/delta-rs folder (Tools/test.sh exports FLOE_SHARED=../shared when it exists)"),
       .enabled(if: InteropPython.isConfigured, InteropPython.unsetMessage),
       .enabled(if: InteropPython.isAvailable, InteropPython.noPyarrowMessage))
struct InteropGoldenTests {
    @Test func everyGoldenFileReadsAsPyarrowReadsIt() throws {
        let root = try #require(InteropGoldenCorpus.root)
        let files = InteropGoldenCorpus.files()
        #expect(files.count >= 300, "found only \(files.count) golden Parquet files")
        var compared = 0, checkpoints = 0
        try InteropPython.dumpMany(files, check: false, scratch: "golden") { _, dump in
            let name = dump.file.hasPrefix(root.path + "/") ? String(dump.file.dropFirst(root.path.count + 1)) : dump.file
            let document: JSONValue
            switch dump.document {
            case .success(let d): document = d
            case .failure(let error):
                Issue.record("\(name): pyarrow cannot read it: \(error)")
                return
            }
            do {
                let problems = try InteropCheck.differences(file: dump.file, document: document)
                if !problems.isEmpty { Issue.record("\(name):\n\(problems.joined(separator: "\n"))") }
                compared += 1
                if name.contains("_delta_log/") { checkpoints += 1 }
            } catch {
                Issue.record("\(name): Floe cannot read it: \(error)")
            }
        }
        #expect(compared == files.count)
        #expect(checkpoints > 0, "no _delta_log checkpoint was compared")
    }
}

/// The shared golden corpus, located through `FLOE_SHARED`.
enum InteropGoldenCorpus {
    /// `$FLOE_SHARED/golden/delta-rs`, when present.
    static var root: URL? {
        guard TestEnvironment.shared != nil, let root = TestEnvironment.goldenRoot else { return nil }
        return URL(fileURLWithPath: root)
    }

    /// Every `.parquet` file under the corpus, sorted by path.
    static func files() -> [String] {
        guard let root, let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        var files: [String] = []
        for case let url as URL in enumerator where url.pathExtension == "parquet" { files.append(url.path) }
        return files.sorted()
    }
}
