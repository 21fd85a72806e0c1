import Foundation
import Synchronization
import Testing
@testable import Floe

/// Storage that publishes the first commit it is given and then reports the name as taken, as
/// when the reply to an NFS `link` or an S3 conditional PUT is lost and the request is retried.
final class LosingAcknowledgementStorage: LogStorage, Sendable {
    let base: LocalStorage
    let lost = Mutex<Bool>(false)
    init(_ base: LocalStorage) { self.base = base }

    var rootDescription: String { base.rootDescription }
    func list(directory: String, prefix: String, startingAt: String?) throws -> [FileEntry] {
        try base.list(directory: directory, prefix: prefix, startingAt: startingAt)
    }
    func read(_ path: String) throws -> [UInt8] { try base.read(path) }
    func read(_ path: String, offset: Int64, length: Int) throws -> [UInt8] { try base.read(path, offset: offset, length: length) }
    func writeIfAbsent(_ path: String, contents: [UInt8]) throws -> PutOutcome {
        try writeIfAbsent(path, contents: contents, afterMakingDurable: [])
    }
    func writeIfAbsent(_ path: String, contents: [UInt8], afterMakingDurable prerequisites: [String]) throws -> PutOutcome {
        let outcome = try base.writeIfAbsent(path, contents: contents, afterMakingDurable: prerequisites)
        let loseThisOne = outcome == .written && path.hasSuffix(".json") && lost.withLock { was in
            defer { was = true }
            return !was
        }
        return loseThisOne ? .alreadyExists : outcome
    }
    func makeDurable(_ paths: [String]) throws { try base.makeDurable(paths) }
    func write(_ path: String, contents: [UInt8]) throws { try base.write(path, contents: contents) }
    func delete(_ path: String) throws { try base.delete(path) }
    func entry(at path: String) throws -> FileEntry? { try base.entry(at: path) }
}

@Suite("commits whose acknowledgement was lost")
struct LostAcknowledgementTests {
    @Test("a transaction recognises its own published commit and neither conflicts with it nor commits twice")
    func ownCommitIsTheWinner() throws {
        let root = try Fixtures.scratchDirectory("lost-ack")
        defer { Fixtures.remove(root) }
        let plain = Table(path: root)
        try plain.create(schema: testSchema, partitionColumns: ["p"])
        var add = try plain.transaction()
        add.add(makeFile("a.parquet", partition: "x"))
        try add.commit()

        let table = Table(storage: LosingAcknowledgementStorage(LocalStorage(root: root)))
        let snapshot = try table.snapshot()
        var delete = table.transaction(from: snapshot, operation: "DELETE")
        delete.remove(try #require(snapshot.activeFiles.first))
        // The commit lands as version 2, but storage says the name was taken. Read back as a
        // rival's, it would conflict (both remove a.parquet): it is this transaction's own.
        let result = try delete.commit()
        #expect(result.version == 2)
        #expect(try plain.latestVersion() == 2)
        #expect(try plain.snapshot().activeFiles.isEmpty)
    }
}
