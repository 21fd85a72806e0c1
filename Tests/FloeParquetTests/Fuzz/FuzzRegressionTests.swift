import Foundation
import Testing
import FloeParquet

/// Replays every input that fuzzing ever found to crash, hang or over-allocate (the files in
/// `Tests/FloeParquetTests/FuzzRegressions/`) through the fuzzing entry points.
///
/// A file's name starts with the target it was found by (`file-`, `footer-`, `page-`, `codec-`);
/// its bytes are exactly what libFuzzer fed to that target. The input must be decoded or rejected
/// with a `ParquetError` (not an internal error); it is also fed to every other target, which must
/// cope likewise. See `Tools/fuzz.sh` for how to fuzz and add a file here.
@Suite struct FuzzRegressionTests {
    /// The folder of regression inputs, found from this source file (not a bundle resource).
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("FuzzRegressions")

    /// The names of the regression inputs, sorted.
    static func inputs() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { !$0.hasPrefix(".") && !$0.hasSuffix(".md") }.sorted()
    }

    /// The target named by the prefix of `name` (up to the first `-`).
    static func target(of name: String) -> ParquetFuzzing.Target? {
        name.split(separator: "-", maxSplits: 1).first.flatMap { ParquetFuzzing.Target(rawValue: String($0)) }
    }

    @Test func folderHoldsNamedInputs() {
        let names = Self.inputs()
        #expect(!names.isEmpty, "no regression inputs in \(Self.folder.path)")
        for name in names {
            #expect(Self.target(of: name) != nil, "'\(name)' does not start with a fuzz target name and '-'")
        }
    }

    @Test(arguments: inputs())
    func replays(_ name: String) throws {
        let bytes = try Data(contentsOf: Self.folder.appendingPathComponent(name))
        let own = try #require(Self.target(of: name))
        for target in [own] + ParquetFuzzing.Target.allCases.filter({ $0 != own }) {
            let problem = bytes.withUnsafeBytes { ParquetFuzzing.check(target, $0) }
            #expect(problem == nil, "\(name) through \(target): \(problem ?? "")")
        }
    }
}
