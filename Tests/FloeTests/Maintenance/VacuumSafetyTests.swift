#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Testing
import FloeColumnar
@testable import Floe

/// Vacuum, scans and writes against symbolic links, non-canonical path spellings, commits in
/// flight and hostile logs: nothing outside the table is read, written or deleted, and no file a
/// commit references is taken for unreferenced (issue 10, items 1-4, 12, 16, 18).
@Suite("Vacuum safety: symbolic links, path spellings, commits in flight")
struct VacuumSafetyTests {
    static let day: Int64 = 86_400_000

    /// A moment at which every file written so far is outside vacuum's in-flight protection.
    static var afterInFlightWindow: Int64 { Transaction.nowMillis() + Table.inFlightSlackMillis + 1000 }

    /// Sets a symbolic link's own modification time (not its target's).
    static func ageLink(_ path: String, to millis: Int64) {
        var times = [timespec(tv_sec: Int(millis / 1000), tv_nsec: 0), timespec(tv_sec: Int(millis / 1000), tv_nsec: 0)]
        _ = utimensat(AT_FDCWD, path, &times, AT_SYMLINK_NOFOLLOW)
    }

    /// Vacuum with retention 0, forced, as of just after the in-flight window.
    @discardableResult
    static func vacuumEverything(_ table: Table, dryRun: Bool = false) throws -> VacuumResult {
        try table.vacuum(retentionHours: 0, dryRun: dryRun, enforceRetentionDuration: false, recordsHistory: false,
                         now: afterInFlightWindow, progress: nil)
    }

    // MARK: - Item 1: symbolic links inside the table

    @Test("vacuum neither follows nor deletes symbolic links to directories or files outside the table")
    func symbolicLinksAreNotFollowed() throws {
        let dir = try Fixtures.scratchDirectory("vacuum-links")
        let outside = try Fixtures.scratchDirectory("vacuum-links-outside")
        defer { Fixtures.remove(dir); Fixtures.remove(outside) }
        let table = try MaintenanceFixtures.table(in: dir, appends: 1)
        let old = Transaction.nowMillis() - 30 * Self.day
        try Fixtures.write("precious", to: outside + "/old.parquet")
        try Fixtures.setModificationTime(outside + "/old.parquet", millis: old)
        try Fixtures.setModificationTime(outside, millis: old)
        try FileManager.default.createSymbolicLink(atPath: dir + "/linked", withDestinationPath: outside)
        try FileManager.default.createSymbolicLink(atPath: dir + "/part=a/linked.parquet", withDestinationPath: outside + "/old.parquet")
        Self.ageLink(dir + "/linked", to: old)
        Self.ageLink(dir + "/part=a/linked.parquet", to: old)

        let result = try table.vacuum(retentionHours: nil, dryRun: false, enforceRetentionDuration: true, recordsHistory: false,
                                      now: Transaction.nowMillis() + 30 * Self.day, progress: nil)
        #expect(!result.files.contains { $0.path.contains("linked") }, "\(result.files)")
        #expect(FileManager.default.fileExists(atPath: outside + "/old.parquet"))
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: dir + "/linked")) == outside)
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: dir + "/part=a/linked.parquet")) != nil)
        #expect(try MaintenanceFixtures.rows(table).count == 20)
    }

    @Test("LocalStorage lists links as links and refuses to read, write or delete through them")
    func storageRefusesLinks() throws {
        let dir = try Fixtures.scratchDirectory("storage-links")
        let outside = try Fixtures.scratchDirectory("storage-links-outside")
        defer { Fixtures.remove(dir); Fixtures.remove(outside) }
        try Fixtures.write("secret", to: outside + "/f.bin")
        try FileManager.default.createSymbolicLink(atPath: dir + "/d", withDestinationPath: outside)
        try FileManager.default.createSymbolicLink(atPath: dir + "/f.bin", withDestinationPath: outside + "/f.bin")
        try FileManager.default.createDirectory(atPath: dir + "/inside", withIntermediateDirectories: true)
        try Fixtures.write("mine", to: dir + "/inside/g.bin")
        try FileManager.default.createSymbolicLink(atPath: dir + "/g.bin", withDestinationPath: dir + "/inside/g.bin")
        let storage = LocalStorage(root: dir)

        let listed = try storage.list(directory: "")
        #expect(listed.filter(\.isSymbolicLink).map(\.name) == ["d", "f.bin", "g.bin"])
        #expect(!listed.contains { $0.name == "d" && $0.isDirectory })
        for path in ["d/f.bin", "f.bin", "g.bin"] {
            let error = try #require(throws: DeltaError.self, "\(path)") { try storage.read(path) }
            #expect(error.code == .pathEscapesTable, "\(path): \(error)")
        }
        #expect(throws: DeltaError.self) { try storage.list(directory: "d") }
        let write = try #require(throws: DeltaError.self) { try storage.write("d/new.bin", contents: [1]) }
        #expect(write.code == .pathEscapesTable)
        #expect(throws: DeltaError.self) { try storage.writeIfAbsent("d/new.json", contents: [1]) }
        #expect(throws: DeltaError.self) { try storage.delete("d/f.bin") }
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside) == ["f.bin"])
        #expect(try storage.entry(at: "f.bin")?.isSymbolicLink == true)
        // Deleting a link removes the link, never its target.
        try storage.delete("f.bin")
        #expect(FileManager.default.fileExists(atPath: outside + "/f.bin"))
        // A FIFO is not opened for a blocking read.
        #expect(mkfifo(dir + "/fifo", 0o644) == 0)
        #expect(throws: DeltaError.self) { try storage.read("fifo") }
    }

    // MARK: - Item 2: non-canonical spellings of the same file

    /// Spellings of the table file `file` (relative) in a table at `root`.
    static func spellings(root: String, file: String) -> [String] {
        let partition = String(file.split(separator: "/").first ?? "")
        return [
            root.replacingOccurrences(of: "/", with: "//") + "/" + file,        // /abs//t/f
            "file://" + root + "//" + file,                                      // file:///abs/t//f
            root + "/part=zzz/../" + file,                                       // /abs/t/k=0/../k=1/f
            partition + "/../" + file,                                           // k=1/../k=1/f
            "./" + file,
        ]
    }

    @Test("a file the log names in a non-canonical spelling is read by scans and kept by vacuum", arguments: 0..<5)
    func nonCanonicalSpellings(_ index: Int) throws {
        let dir = try Fixtures.scratchDirectory("vacuum-spelling")
        defer { Fixtures.remove(dir) }
        let table = try MaintenanceFixtures.table(in: dir, parts: ["a"], appends: 1)
        let root = LocalStorage(root: dir).root
        let file = try #require(try table.snapshot().activeFiles.first)
        let spelled = Self.spellings(root: root, file: file.decodedPath)[index]
        var transaction = try table.transaction(operation: "RESPELL")
        transaction.remove(file)
        var respelled = file
        respelled.path = PathCoding.encodeURIPath(spelled)
        transaction.add(respelled)
        try transaction.commit()

        #expect(try MaintenanceFixtures.rows(table).count == 10, "\(spelled)")
        let result = try Self.vacuumEverything(table)
        #expect(result.files.isEmpty, "\(spelled): \(result.files)")
        #expect(FileManager.default.fileExists(atPath: dir + "/" + file.decodedPath))
        #expect(try MaintenanceFixtures.rows(table).count == 10)
    }

    @Test("TablePath maps every spelling of a file to one canonical path and refuses climbing out")
    func canonicalisation() throws {
        let dir = try Fixtures.scratchDirectory("tablepath")
        defer { Fixtures.remove(dir) }
        let storage = LocalStorage(root: dir)
        for spelled in Self.spellings(root: storage.root, file: "k=1/f.parquet") + ["k=1/f.parquet", "k=1//f.parquet", "k=1/./f.parquet"] {
            #expect(try TablePath.relative(spelled, in: storage, what: "data file") == "k=1/f.parquet", "\(spelled)")
        }
        for escaping in ["k=1/../../f", "/k=1/f", storage.root + "/../f", storage.root + "/k/../../t/f", ".", "k/..", "", "a\u{0}b"] {
            let error = try #require(throws: DeltaError.self, "\(escaping)") { try TablePath.relative(escaping, in: storage, what: "data file") }
            #expect(error.code == .pathEscapesTable, "\(escaping)")
        }
        #expect(TablePath.isCanonicalRelative("part=a/part-0.parquet"))
        for text in ["", "/a", "a//b", "./a", "a/.", "..", "a/../b", "a:b", "%2E%2E/x", "a/"] {
            #expect(!TablePath.isCanonicalRelative(text), "\(text)")
        }
        #expect(TablePath.isCanonicalRelative("...") && TablePath.isCanonicalRelative(".hidden/x"))
    }

    @Test("a log path vacuum cannot map to a table file stops vacuum; nothing is deleted")
    func unmappablePathStopsVacuum() throws {
        let dir = try Fixtures.scratchDirectory("vacuum-unmappable")
        defer { Fixtures.remove(dir) }
        let table = try MaintenanceFixtures.table(in: dir, parts: ["a"], appends: 1)
        try Fixtures.write("x", to: dir + "/orphan.parquet")
        try Fixtures.setModificationTime(dir + "/orphan.parquet", millis: Transaction.nowMillis() - 30 * Self.day)
        var transaction = try table.transaction(operation: "HOSTILE")
        transaction.add(AddFile(path: "s3://elsewhere/x.parquet", partitionValues: ["part": "a"], size: 1, modificationTime: 1, dataChange: true))
        try transaction.commit()
        let error = try #require(throws: DeltaError.self) { try Self.vacuumEverything(table) }
        #expect(error.code == .pathEscapesTable && error.message.contains("s3://elsewhere/x.parquet"), "\(error)")
        #expect(FileManager.default.fileExists(atPath: dir + "/orphan.parquet"))
    }

    // MARK: - Item 3: a table reached through a symbolic link

    @Test("through a symbolically linked root, absolute log paths under either spelling are table files")
    func symlinkedRoot() throws {
        let scratch = try Fixtures.scratchDirectory("vacuum-linked-root")
        defer { Fixtures.remove(scratch) }
        let real = scratch + "/real"
        let link = scratch + "/link"
        let table = try MaintenanceFixtures.table(in: real, parts: ["a", "b"], appends: 1)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: real)
        let files = try table.snapshot().activeFiles
        let resolved = LocalStorage(root: real).root
        #expect(LocalStorage(root: link).root == resolved)
        // One file named through the resolved root, one through the link's spelling.
        var transaction = try table.transaction(operation: "ABSOLUTE")
        for (file, base) in zip(files, [resolved, scratch + "/link"]) {
            transaction.remove(file)
            var absolute = file
            absolute.path = PathCoding.encodeURIPath(base + "/" + file.decodedPath)
            transaction.add(absolute)
        }
        try transaction.commit()
        let linked = Table(path: link)
        #expect(try MaintenanceFixtures.rows(linked).count == 20)
        #expect(try Self.vacuumEverything(linked).files.isEmpty)
        #expect(try MaintenanceFixtures.rows(table).count == 20)
    }

    // MARK: - Item 4: commits in flight

    @Test("files modified shortly before vacuum started are never deleted, whatever the retention")
    func recentFilesAreInFlight() throws {
        let dir = try Fixtures.scratchDirectory("vacuum-inflight")
        defer { Fixtures.remove(dir) }
        let table = try MaintenanceFixtures.table(in: dir, parts: ["a"], appends: 1)
        // A writer wrote this data file a few seconds ago and has not committed yet.
        try Fixtures.write("pending", to: dir + "/part=a/part-00000-pending-c000.zstd.parquet")
        try Fixtures.setModificationTime(dir + "/part=a/part-00000-pending-c000.zstd.parquet", millis: Transaction.nowMillis() - 5000)
        let result = try table.vacuum(retentionHours: 0, enforceRetentionDuration: false, recordsHistory: false)
        #expect(result.files.isEmpty, "\(result.files)")
        #expect(FileManager.default.fileExists(atPath: dir + "/part=a/part-00000-pending-c000.zstd.parquet"))
        // Once outside the window (and unreferenced) it goes.
        #expect(try Self.vacuumEverything(table).files.map(\.path) == ["part=a/part-00000-pending-c000.zstd.parquet"])
    }

    @Test("publishing a commit refreshes its data files' times, so a long-running commit looks in flight")
    func publicationRefreshesDataFiles() throws {
        let dir = try Fixtures.scratchDirectory("storage-touch")
        defer { Fixtures.remove(dir) }
        let storage = LocalStorage(root: dir)
        try storage.write("part=a/f.parquet", contents: [1])
        let old = Transaction.nowMillis() - 3 * Self.day
        try Fixtures.setModificationTime(dir + "/part=a/f.parquet", millis: old)
        #expect(try storage.writeIfAbsent("_delta_log/00000000000000000000.json", contents: Array("{}\n".utf8),
                                          afterMakingDurable: ["part=a/f.parquet"]) == .written)
        let refreshed = try #require(try storage.entry(at: "part=a/f.parquet")).modificationTime
        #expect(refreshed > Transaction.nowMillis() - 60_000)
    }

    @Test("files of commits published after vacuum read its snapshot are protected")
    func commitsAfterTheSnapshotAreProtected() throws {
        let dir = try Fixtures.scratchDirectory("vacuum-after-snapshot")
        defer { Fixtures.remove(dir) }
        let table = try MaintenanceFixtures.table(in: dir, parts: ["a"], appends: 1)
        let snapshot = try table.snapshot()
        try table.append([try MaintenanceFixtures.batch(100..<110, part: "b")])
        let added = try table.snapshot().activeFiles.map(\.decodedPath).filter { $0.hasPrefix("part=b/") }
        var protected: (paths: Set<String>, allDeletionVectors: Bool) = ([], false)
        try table.protectFilesOfCommits(after: snapshot.version, in: &protected)
        #expect(!added.isEmpty && protected.paths.isSuperset(of: added))
    }

    @Test("vacuum with retention 0 next to live appends never deletes an acknowledged append's file")
    func concurrentAppendsSurviveVacuum() throws {
        let dir = try Fixtures.scratchDirectory("vacuum-live")
        defer { Fixtures.remove(dir) }
        let table = try MaintenanceFixtures.table(in: dir, parts: ["a"], appends: 1)
        let appender = Table(path: dir)
        let done = DispatchSemaphore(value: 0)
        let failures = ErrorBox()
        Thread {
            for i in 0..<15 {
                do { try appender.append([try MaintenanceFixtures.batch((1000 + i * 10)..<(1010 + i * 10), part: "a")]) } catch { failures.set(error) }
            }
            done.signal()
        }.start()
        for _ in 0..<15 {
            _ = try table.vacuum(retentionHours: 0, enforceRetentionDuration: false, recordsHistory: false)
        }
        done.wait()
        #expect(failures.value == nil)
        #expect(try MaintenanceFixtures.rows(table).count == 10 + 150)
    }

    // MARK: - Item 12: scans and appends through links

    @Test("scan refuses a data file that is a symbolic link out of the table")
    func scanRefusesLinkedDataFile() throws {
        let dir = try Fixtures.scratchDirectory("scan-link")
        let outside = try Fixtures.scratchDirectory("scan-link-outside")
        defer { Fixtures.remove(dir); Fixtures.remove(outside) }
        let table = try MaintenanceFixtures.table(in: dir, parts: ["a"], appends: 1)
        let file = try #require(try table.snapshot().activeFiles.first).decodedPath
        try FileManager.default.moveItem(atPath: dir + "/" + file, toPath: outside + "/moved.parquet")
        try FileManager.default.createSymbolicLink(atPath: dir + "/" + file, withDestinationPath: outside + "/moved.parquet")
        let error = try #require(throws: DeltaError.self) { try MaintenanceFixtures.rows(table) }
        #expect(error.code == .pathEscapesTable && error.message.contains("symbolic link"), "\(error)")
        // A linked partition directory likewise.
        try FileManager.default.removeItem(atPath: dir + "/" + file)
        try FileManager.default.moveItem(atPath: outside + "/moved.parquet", toPath: dir + "/" + file)
        try FileManager.default.moveItem(atPath: dir + "/part=a", toPath: outside + "/part=a")
        try FileManager.default.createSymbolicLink(atPath: dir + "/part=a", withDestinationPath: outside + "/part=a")
        #expect { try MaintenanceFixtures.rows(table) } throws: { ($0 as? DeltaError)?.code == .pathEscapesTable }
    }

    @Test("append refuses to write into a partition directory that is a symbolic link out of the table")
    func appendRefusesLinkedPartition() throws {
        let dir = try Fixtures.scratchDirectory("append-link")
        let outside = try Fixtures.scratchDirectory("append-link-outside")
        defer { Fixtures.remove(dir); Fixtures.remove(outside) }
        let table = try MaintenanceFixtures.table(in: dir, parts: ["a"], appends: 0)
        try FileManager.default.createSymbolicLink(atPath: dir + "/part=b", withDestinationPath: outside)
        let error = try #require(throws: DeltaError.self) {
            try table.append([try MaintenanceFixtures.batch(0..<10, part: "a"), try MaintenanceFixtures.batch(10..<20, part: "b")])
        }
        #expect(error.code == .pathEscapesTable, "\(error)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside).isEmpty)
        // The failed append removed the file it had written for partition a.
        #expect(MaintenanceFixtures.parquetFiles(dir).isEmpty)
        #expect(try table.snapshot().version == 0)
    }

    // MARK: - Item 16: a hostile log fails every command

    @Test("an escaping path fails files, history, checkpoint and vacuum, not only scans")
    func escapingPathFailsEveryCommand() throws {
        let dir = try Fixtures.scratchDirectory("hostile-every")
        defer { Fixtures.remove(dir) }
        let table = try MaintenanceFixtures.table(in: dir, parts: ["a"], appends: 1)
        var transaction = try table.transaction(operation: "HOSTILE")
        transaction.add(AddFile(path: "../outside.parquet", partitionValues: ["part": "a"], size: 1, modificationTime: 1, dataChange: true))
        try transaction.commit()
        func escapes(_ body: () throws -> Void) -> Bool {
            do { try body(); return false } catch let e as DeltaError { return e.code == .pathEscapesTable && e.message.contains("../outside.parquet") } catch { return false }
        }
        #expect(escapes { try table.snapshot().loadFiles() })
        #expect(escapes { _ = try table.history() })
        #expect(escapes { _ = try table.checkpoint() })
        #expect(escapes { try Self.vacuumEverything(table, dryRun: true) })
        #expect(!FileManager.default.fileExists(atPath: dir + "/_delta_log/00000000000000000002.checkpoint.parquet"))
    }

    @Test("history fails on a missing commit instead of skipping it")
    func historyGap() throws {
        let dir = try Fixtures.scratchDirectory("history-gap")
        defer { Fixtures.remove(dir) }
        let table = try MaintenanceFixtures.table(in: dir, parts: ["a"], appends: 3)
        try FileManager.default.removeItem(atPath: dir + "/_delta_log/" + LogFile.commitName(2))
        let error = try #require(throws: DeltaError.self) { try table.history() }
        #expect(error.code == .corruptLog && error.message.contains("commit 2 is missing"), "\(error)")
    }

    // MARK: - Item 18: failed writes remove what they wrote

    @Test("an append failing on a later file (a name too long) leaves no data file behind")
    func failedAppendRemovesItsFiles() throws {
        let dir = try Fixtures.scratchDirectory("append-cleanup")
        defer { Fixtures.remove(dir) }
        let table = try MaintenanceFixtures.table(in: dir, parts: ["a"], appends: 0)
        var batches = try (0..<20).map { try MaintenanceFixtures.batch(($0 * 10)..<($0 * 10 + 10), part: "p\($0)") }
        batches.append(try MaintenanceFixtures.batch(500..<510, part: String(repeating: "x", count: 300)))
        #expect(throws: DeltaError.self) { try table.append(batches) }
        #expect(MaintenanceFixtures.parquetFiles(dir).isEmpty, "\(MaintenanceFixtures.parquetFiles(dir))")
        #expect(try table.snapshot().version == 0)
    }
}

/// The first error of a background thread.
final class ErrorBox: @unchecked Sendable {
    private let lock = NSLock()
    private var error: (any Error)?
    func set(_ error: any Error) { lock.lock(); if self.error == nil { self.error = error }; lock.unlock() }
    var value: (any Error)? { lock.lock(); defer { lock.unlock() }; return error }
}
