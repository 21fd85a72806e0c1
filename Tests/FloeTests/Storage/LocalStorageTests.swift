import Foundation
import Testing
@testable import Floe

@Suite("LocalStorage")
struct LocalStorageTests {
    @Test("put-if-absent publishes once and never overwrites")
    func putIfAbsent() throws {
        let root = try Fixtures.scratchDirectory("storage")
        defer { Fixtures.remove(root) }
        let storage = LocalStorage(root: root)
        #expect(try storage.writeIfAbsent("_delta_log/00000000000000000000.json", contents: Array("first\n".utf8)) == .written)
        #expect(try storage.writeIfAbsent("_delta_log/00000000000000000000.json", contents: Array("second\n".utf8)) == .alreadyExists)
        #expect(try storage.read("_delta_log/00000000000000000000.json") == Array("first\n".utf8))
        // No temporary files are left behind.
        let names = try FileManager.default.contentsOfDirectory(atPath: root + "/_delta_log")
        #expect(names == ["00000000000000000000.json"])
    }

    @Test("concurrent put-if-absent has exactly one winner")
    func concurrentPut() throws {
        let root = try Fixtures.scratchDirectory("storage")
        defer { Fixtures.remove(root) }
        let storage = LocalStorage(root: root)
        let winners = Counter()
        DispatchQueue.concurrentPerform(iterations: 16) { i in
            if (try? storage.writeIfAbsent("_delta_log/x.json", contents: Array("writer \(i)".utf8))) == .written {
                winners.increment()
            }
        }
        #expect(winners.value == 1)
    }

    @Test("a commit makes its data files and every directory up to the root durable first")
    func durabilityTargets() throws {
        let root = try Fixtures.scratchDirectory("storage")
        defer { Fixtures.remove(root) }
        let storage = LocalStorage(root: root)
        try FileManager.default.createDirectory(atPath: root + "/a=1/b=2", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: root + "/a=1/b=2/f.parquet", contents: Data([1]))
        FileManager.default.createFile(atPath: root + "/g.parquet", contents: Data([2]))
        let targets = try storage.durabilityTargets(["a=1/b=2/f.parquet", "g.parquet"])
        #expect(targets.files == [storage.root + "/a=1/b=2/f.parquet", storage.root + "/g.parquet"])
        #expect(targets.directories == [storage.root + "/a=1/b=2", storage.root + "/a=1", storage.root])
        #expect(try storage.writeIfAbsent("_delta_log/00000000000000000000.json", contents: Array("x\n".utf8),
                                          afterMakingDurable: ["a=1/b=2/f.parquet", "g.parquet"]) == .written)
        // A missing or escaping prerequisite fails the publication: nothing is published.
        #expect(throws: DeltaError.self) {
            try storage.writeIfAbsent("_delta_log/00000000000000000001.json", contents: [], afterMakingDurable: ["missing.parquet"])
        }
        let escape = try #require(throws: DeltaError.self) {
            try storage.writeIfAbsent("_delta_log/00000000000000000001.json", contents: [], afterMakingDurable: ["../x.parquet"])
        }
        #expect(escape.code == .pathEscapesTable)
        #expect(try storage.entry(at: "_delta_log/00000000000000000001.json") == nil)
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/_delta_log") == ["00000000000000000000.json"])
    }

    @Test("paths may not escape the table root")
    func escapes() throws {
        let root = try Fixtures.scratchDirectory("storage")
        defer { Fixtures.remove(root) }
        let storage = LocalStorage(root: root)
        for path in ["../outside", "a/../../b", "/etc/passwd", "_delta_log/../../x"] {
            let error = try #require(throws: DeltaError.self, "\(path)") { try storage.read(path) }
            #expect(error.code == .pathEscapesTable, "\(path)")
            #expect(throws: DeltaError.self) { try storage.writeIfAbsent(path, contents: []) }
        }
        try storage.write("a/b.bin", contents: [1, 2, 3])
        #expect(try storage.read(root + "/a/b.bin") == [1, 2, 3])
        #expect(try storage.read("./a//b.bin") == [1, 2, 3])
    }

    @Test("listing, entries, replace and delete")
    func listing() throws {
        let root = try Fixtures.scratchDirectory("storage")
        defer { Fixtures.remove(root) }
        let storage = LocalStorage(root: root)
        #expect(try storage.list(directory: "_delta_log").isEmpty)
        for name in ["b.json", "a.json", "c.txt", "ab.json"] {
            try storage.write("_delta_log/" + name, contents: Array(name.utf8))
        }
        #expect(try storage.list(directory: "_delta_log").map(\.name) == ["a.json", "ab.json", "b.json", "c.txt"])
        #expect(try storage.list(directory: "_delta_log", prefix: "a", startingAt: nil).map(\.name) == ["a.json", "ab.json"])
        #expect(try storage.list(directory: "_delta_log", prefix: "", startingAt: "ab").map(\.path) == ["_delta_log/ab.json", "_delta_log/b.json", "_delta_log/c.txt"])
        #expect(try storage.read("_delta_log/ab.json", offset: 1, length: 3) == Array("b.j".utf8))
        #expect(try storage.read("_delta_log/ab.json", offset: 5, length: 100) == Array("on".utf8))
        #expect(try storage.read("_delta_log/ab.json", offset: 50, length: 2) == [])
        try storage.write("_delta_log/a.json", contents: [9])
        #expect(try storage.read("_delta_log/a.json") == [9])
        let entry = try #require(try storage.entry(at: "_delta_log/a.json"))
        #expect(entry.size == 1)
        #expect(abs(entry.modificationTime - Int64(Date().timeIntervalSince1970 * 1000)) < 60_000)
        try storage.delete("_delta_log/a.json")
        try storage.delete("_delta_log/a.json")
        #expect(try storage.entry(at: "_delta_log/a.json") == nil)
        let missing = try #require(throws: DeltaError.self) { try storage.read("_delta_log/a.json") }
        #expect(missing.code == .fileNotFound)
    }
}

/// A thread-safe counter for concurrency tests.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}

/// A thread-safe list for concurrency tests.
final class Collector<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [T] = []
    func append(_ item: T) { lock.lock(); items.append(item); lock.unlock() }
    var values: [T] { lock.lock(); defer { lock.unlock() }; return items }
}
