import Foundation
import Testing
@testable import Floe

/// Paths are split and compared by bytes: a `/` followed by a combining mark is still a
/// separator, so `..` cannot hide in one grapheme cluster with it.
@Suite("path bytes")
struct PathBytesTests {
    @Test("a '..' joined to a combining mark by the next slash still climbs, and is refused")
    func combiningMarksDoNotHideParents() throws {
        let root = try Fixtures.scratchDirectory("path-bytes")
        defer { Fixtures.remove(root) }
        let storage = LocalStorage(root: root)
        for path in ["../\u{301}x", "a/../../\u{301}etc/passwd", "/\u{301}etc/passwd"] {
            // Swift's Characters would see "/\u{301}" as one non-separator character.
            #expect(throws: DeltaError.self, "\(path)") { _ = try TablePath.relative(path, in: storage, what: "file") }
            #expect(throws: DeltaError.self, "\(path)") { _ = try storage.read(path) }
        }
        // Inside the table, such a name is an ordinary component.
        #expect(try TablePath.relative("k=1/\u{301}f.parquet", in: storage, what: "file") == "k=1/\u{301}f.parquet")
        #expect(PathBytes.components("a/\u{301}b//c") == ["a", "\u{301}b", "c"])
        #expect(LocalStorage.parent(of: "/t/k=1/\u{301}f") == "/t/k=1")
        #expect(LocalStorage.lastComponent("/t/k=1/\u{301}f") == "\u{301}f")
        // Canonically equivalent spellings are different files: no prefix match across them.
        #expect(!PathBytes.hasPrefix("/data/caf\u{E9}/x", "/data/cafe\u{301}/"))
    }
}
