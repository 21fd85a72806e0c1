import Foundation
import Testing
@testable import Floe

/// Replays the committed fuzzing seeds (`Tests/FloeTests/FuzzSeeds/`) and every input fuzzing
/// found to crash, hang or over-allocate (`Tests/FloeTests/FuzzRegressions/`) through the
/// `DeltaFuzzing` entry points, as `Tools/fuzz.sh` runs them.
///
/// A file's name starts with its target (`log-`, `condition-`, `ddl-`, `ndjson-`, `csv-`). Each input
/// must parse or be refused with a `DeltaError` that is not an internal error, through its own target
/// and through every other target too.
@Suite struct DeltaFuzzReplayTests {
    static let testsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    static let folders = ["FuzzSeeds", "FuzzRegressions"]

    /// `folder/name` for every input file of both folders, sorted.
    static func inputs() -> [String] {
        folders.flatMap { folder in
            let names = (try? FileManager.default.contentsOfDirectory(atPath: testsFolder.appendingPathComponent(folder).path)) ?? []
            return names.filter { !$0.hasPrefix(".") && !$0.hasSuffix(".md") }.sorted().map { folder + "/" + $0 }
        }
    }

    @Test func everyInputNamesItsTarget() {
        let inputs = Self.inputs()
        #expect(inputs.filter { $0.hasPrefix("FuzzSeeds/") }.count >= DeltaFuzzing.Target.allCases.count)
        for target in DeltaFuzzing.Target.allCases {
            #expect(inputs.contains { $0.hasPrefix("FuzzSeeds/\(target.rawValue)-") }, "no committed seed for \(target)")
        }
        for input in inputs {
            let name = String(input.split(separator: "/").last ?? "")
            #expect(DeltaFuzzing.target(ofFileNamed: name) != nil, "'\(input)' does not start with a target name and '-'")
        }
    }

    @Test(arguments: inputs())
    func replays(_ input: String) throws {
        let bytes = try Data(contentsOf: Self.testsFolder.appendingPathComponent(input))
        let own = try #require(DeltaFuzzing.target(ofFileNamed: String(input.split(separator: "/").last ?? "")))
        for target in [own] + DeltaFuzzing.Target.allCases.filter({ $0 != own }) {
            let problem = bytes.withUnsafeBytes { DeltaFuzzing.check(target, $0) }
            #expect(problem == nil, "\(input) through \(target): \(problem ?? "")")
        }
    }

    @Test("the committed seeds exercise the parsers, not just their error paths")
    func seedsParse() throws {
        // Every committed seed of these targets parses through its own target.
        for input in Self.inputs() where input.hasPrefix("FuzzSeeds/") && !input.contains("torn") && !input.contains("escaping") {
            let bytes = try Data(contentsOf: Self.testsFolder.appendingPathComponent(input))
            let target = try #require(DeltaFuzzing.target(ofFileNamed: String(input.split(separator: "/").last ?? "")))
            #expect(throws: Never.self, "\(input)") { try bytes.withUnsafeBytes { try DeltaFuzzing.run(target, $0) } }
        }
    }

    @Test("generated seeds pass their own target without errors")
    func generatedSeeds() throws {
        for (target, seeds) in DeltaFuzzing.generatedSeeds() {
            #expect(!seeds.isEmpty)
            for (i, seed) in seeds.enumerated() {
                #expect(throws: Never.self, "\(target) seed \(i)") { try seed.withUnsafeBytes { try DeltaFuzzing.run(target, $0) } }
            }
        }
    }

    @Test("seeds and dictionaries are written per target; dictionary entries escape what libFuzzer needs")
    func writesSeeds() throws {
        #expect(DeltaFuzzing.dictionaryEntry("a\"b\\c\n\u{e9}") == #""a\"b\\c\x0A\xC3\xA9""#)
        let directory = NSTemporaryDirectory() + "floe-fuzz-seeds-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let counts = try DeltaFuzzing.writeSeeds(to: directory, committedDirectories: [Self.testsFolder.appendingPathComponent("FuzzSeeds").path])
        for target in DeltaFuzzing.Target.allCases {
            let names = try FileManager.default.contentsOfDirectory(atPath: directory + "/" + target.rawValue)
            #expect(names.count == counts[target] && names.count >= 3, "\(target)")
            let dict = try String(contentsOfFile: directory + "/" + target.rawValue + ".dict", encoding: .utf8)
            #expect(dict.split(separator: "\n").allSatisfy { $0.hasPrefix("\"") && $0.hasSuffix("\"") }, "\(target)")
        }
    }

    @Test("log inputs split into commit files at each blank line pair")
    func logCommits() {
        #expect(DeltaFuzzing.commits(Array("a\n\n\nb\n\n\nc".utf8)).map { String(decoding: $0, as: UTF8.self) } == ["a\n", "b\n", "c"])
        #expect(DeltaFuzzing.commits([]).count == 1)
    }
}
