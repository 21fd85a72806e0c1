import Foundation
import Testing
@testable import Floe

/// Time travel by timestamp on In-Commit Timestamp tables without listing the log, checked
/// against the listing path.
@Suite("Time travel by probing")
struct TimeTravelProbeTests {
    /// The in-commit timestamp written for version `v` (gaps of 1000 ms leave room between commits).
    static func ict(_ v: Int64) -> Int64 { 1_000_000 + v * 1000 }

    /// A hand-made table of commits 0...`latest`: In-Commit Timestamps from version `enabledAt`
    /// on (enabled at creation when 0, else by a metadata change recording the enablement
    /// version and timestamp), classic checkpoints at `checkpoints`, and file modification times
    /// scrambled after the enablement (they must not matter there) but increasing before it.
    static func makeTable(latest: Int64, enabledAt: Int64 = 0, checkpoints: Set<Int64> = []) throws -> String {
        let root = try Fixtures.scratchDirectory("ttprobe")
        let ictProtocol = #"{"protocol":{"minReaderVersion":1,"minWriterVersion":7,"writerFeatures":["inCommitTimestamp"]}}"#
        func metadata(_ configuration: String) -> String {
            Fixtures.metadataLine().replacingOccurrences(of: #""configuration":{}"#, with: #""configuration":{"# + configuration + "}")
        }
        for v in Int64(0)...latest {
            var lines: [String] = []
            if v >= enabledAt {
                lines.append(#"{"commitInfo":{"inCommitTimestamp":"# + String(ict(v)) + #","timestamp":5,"operation":"WRITE"}}"#)
            } else {
                lines.append(#"{"commitInfo":{"timestamp":"# + String(ict(v)) + #","operation":"WRITE"}}"#)
            }
            if v == 0 {
                lines.append(enabledAt == 0 ? ictProtocol : Fixtures.protocolLine)
                lines.append(metadata(enabledAt == 0 ? #""delta.enableInCommitTimestamps":"true""# : ""))
            } else if v == enabledAt {
                lines.append(ictProtocol)
                lines.append(metadata(#""delta.enableInCommitTimestamps":"true","delta.inCommitTimestampEnablementVersion":""#
                                      + String(v) + #"","delta.inCommitTimestampEnablementTimestamp":""# + String(ict(v)) + #"""#))
            }
            lines.append(Fixtures.addLine("f\(v)"))
            try Fixtures.writeCommit(root, v, lines)
            // Before the enablement, file times are the commit times; after it, noise.
            try Fixtures.setModificationTime(root + "/_delta_log/" + LogFile.commitName(v),
                                             millis: v < enabledAt ? ict(v) : 9_000_000 - v * 7)
            if checkpoints.contains(v) { try Table(path: root).checkpoint() }
        }
        return root
    }

    /// Timestamps around every commit, before the first and after the last.
    static func probes(latest: Int64) -> [Int64] {
        var result: [Int64] = [Int64.min / 2, ict(0) - 1_000_000, ict(latest) + 1, ict(latest) + 1_000_000]
        for v in Int64(0)...latest { result += [ict(v) - 1, ict(v), ict(v) + 1, ict(v) + 500] }
        return result
    }

    /// The outcome of resolving `timestamp`: a version or an error code.
    enum Outcome: Equatable {
        case version(Int64)
        case error(DeltaError.Code)
    }

    static func outcome(_ body: () throws -> Int64) -> Outcome {
        do { return .version(try body()) } catch let error as DeltaError { return .error(error.code) } catch { return .error(.io) }
    }

    /// Expects `version(atOrBefore:)`, `snapshot(asOf:)` and the listing path to agree on every
    /// probe; returns how many probes the probing path answered itself.
    @discardableResult
    static func expectSameAsListing(_ root: String, latest: Int64) throws -> Int {
        let table = Table(path: root)
        let snapshot = try table.snapshot()
        var probed = 0
        for t in probes(latest: latest) {
            let listed = outcome { try table.listedVersion(atOrBefore: t, latest: snapshot).version }
            let fast = outcome { try table.version(atOrBeforeMillis: t) }
            #expect(fast == listed, "timestamp \(t)")
            switch outcome({ try table.probedVersion(atOrBefore: t, latest: snapshot) ?? -1 }) {
            case .version(let v) where v >= 0:
                probed += 1
                #expect(.version(v) == listed, "timestamp \(t)")
            case .error(let code):
                probed += 1
                #expect(.error(code) == listed, "timestamp \(t)")
            default: break
            }
            let date = Date(timeIntervalSince1970: Double(t) / 1000)
            if t > 0, case .version(let v) = listed {
                #expect(try table.snapshot(asOf: date).version == v, "timestamp \(t)")
            }
        }
        return probed
    }

    @Test("equals the listing path at, between, before and after commits")
    func equalsListing() throws {
        let root = try Self.makeTable(latest: 40, checkpoints: [10, 30])
        defer { Fixtures.remove(root) }
        let probed = try Self.expectSameAsListing(root, latest: 40)
        // Every probe is answered without a listing.
        #expect(probed == Self.probes(latest: 40).count)
        let table = Table(path: root)
        #expect(try table.version(atOrBeforeMillis: Self.ict(17) + 999) == 17)
        let before = try #require(throws: DeltaError.self) { try table.version(atOrBeforeMillis: Self.ict(0) - 1) }
        #expect(before.code == .timestampBeforeFirstCommit)
        #expect(before.message.contains("version 0"))
        // The snapshot found equals the one loaded by version.
        let snapshot = try table.snapshot(asOf: Date(timeIntervalSince1970: Double(Self.ict(25)) / 1000))
        #expect(snapshot.version == 25)
        #expect(snapshot.activeFiles.map(\.path).sorted() == (try table.snapshot(version: 25).activeFiles.map(\.path).sorted()))
        #expect(snapshot.activeFiles.count == 26)
    }

    @Test("early commits cleaned up: the earliest remaining commit is found by name")
    func cleanedUp() throws {
        let root = try Self.makeTable(latest: 40, checkpoints: [10, 25])
        defer { Fixtures.remove(root) }
        // What cleanup leaves: the retained checkpoint at 10, its commit and everything after.
        for v in Int64(0)..<10 { try FileManager.default.removeItem(atPath: root + "/_delta_log/" + LogFile.commitName(v)) }
        let probed = try Self.expectSameAsListing(root, latest: 40)
        #expect(probed == Self.probes(latest: 40).count)
        let table = Table(path: root)
        let before = try #require(throws: DeltaError.self) { try table.version(atOrBeforeMillis: Self.ict(9)) }
        #expect(before.code == .timestampBeforeFirstCommit)
        #expect(before.message.contains("version 10"))
        #expect(try table.version(atOrBeforeMillis: Self.ict(10)) == 10)

        // Commits gone up to a version without a checkpoint: versions 5...9 cannot be
        // reconstructed, which only a listing shows; the listing path answers.
        let root2 = try Self.makeTable(latest: 20, checkpoints: [10])
        defer { Fixtures.remove(root2) }
        for v in Int64(0)..<5 { try FileManager.default.removeItem(atPath: root2 + "/_delta_log/" + LogFile.commitName(v)) }
        let table2 = Table(path: root2)
        #expect(try table2.probedVersion(atOrBefore: Self.ict(7), latest: try table2.snapshot()) == nil)
        try Self.expectSameAsListing(root2, latest: 20)
        #expect(throws: DeltaError.self) { try table2.version(atOrBeforeMillis: Self.ict(7)) }
        #expect(try table2.version(atOrBeforeMillis: Self.ict(12)) == 12)
    }

    @Test("In-Commit Timestamps enabled later: earlier timestamps use modification times")
    func enabledLater() throws {
        let root = try Self.makeTable(latest: 30, enabledAt: 12, checkpoints: [20])
        defer { Fixtures.remove(root) }
        let table = Table(path: root)
        let latest = try table.snapshot()
        #expect(latest.properties["delta.inCommitTimestampEnablementVersion"] == "12")
        try Self.expectSameAsListing(root, latest: 30)
        // Before the enablement the probing path declines; after it, it answers.
        #expect(try table.probedVersion(atOrBefore: Self.ict(5) + 10, latest: latest) == nil)
        #expect(try table.version(atOrBeforeMillis: Self.ict(5) + 10) == 5)
        #expect(try table.probedVersion(atOrBefore: Self.ict(12), latest: latest) == 12)
        #expect(try table.probedVersion(atOrBefore: Self.ict(22) + 1, latest: latest) == 22)
        #expect(try table.version(atOrBeforeMillis: Self.ict(11) + 999) == 11)
        let before = try #require(throws: DeltaError.self) { try table.version(atOrBeforeMillis: Self.ict(0) - 1) }
        #expect(before.code == .timestampBeforeFirstCommit)
    }

    @Test("no listing: the latest by probing, the version by reading O(log n) first lines")
    func noListing() throws {
        let root = try Self.makeTable(latest: 200, checkpoints: [100, 190])
        defer { Fixtures.remove(root) }
        let storage = CountingStorage(root: root)
        let table = Table(storage: storage)
        let snapshot = try table.snapshot(asOf: Date(timeIntervalSince1970: Double(Self.ict(150) + 10) / 1000))
        #expect(snapshot.version == 150)
        #expect(storage.lists == 0)
        FastOpenTests.expectSameState(snapshot, try FastOpenTests.eager(root, version: 150))
        // The search itself reads the first lines of about log2(201) commits, nothing whole.
        let latest = try table.snapshot()
        storage.reset()
        #expect(try table.probedVersion(atOrBefore: Self.ict(150) + 10, latest: latest) == 150)
        #expect(storage.lists == 0)
        #expect(storage.wholeReads.isEmpty)
        #expect((5...9).contains(storage.rangeReads.count))

        storage.reset()
        #expect(try table.version(atOrBeforeMillis: Self.ict(3)) == 3)
        #expect(try table.version(atOrBeforeMillis: Self.ict(200) + 5_000) == 200)
        #expect(throws: DeltaError.self) { try table.version(atOrBeforeMillis: 5) }
        #expect(try table.snapshot(asOf: Date(timeIntervalSince1970: Double(Self.ict(200)) / 1000)).version == 200)
        #expect(storage.lists == 0)

        // Without In-Commit Timestamps the listing path is used (once).
        let plain = try FastOpenTests.makeTable(commits: 30, checkpointAt: 20)
        defer { Fixtures.remove(plain) }
        let plainStorage = CountingStorage(root: plain)
        _ = try Table(storage: plainStorage).version(atOrBeforeMillis: Int64.max / 4)
        #expect(plainStorage.lists == 1)
    }
}
