import Foundation
import Testing

/// `floe` against symbolic links, path spellings, commits in flight and hostile logs (issue 10):
/// nothing outside the table is deleted, read or written, and a hostile log fails every command.
@Suite("floe vacuum and friends: symbolic links, path spellings, commits in flight")
struct VacuumSafetyCLITests {
    static let day: TimeInterval = 86_400

    /// A table with one partition `k=1` holding one committed file; returns the root and that file.
    static func table(_ label: String) throws -> (String, String) {
        let root = CLI.scratch(label)
        expectSuccess(try CLI.run(["create", root, "--schema", "id long, k string", "--partition-by", "k"]))
        expectSuccess(try CLI.run(["append", root], stdin: "{\"id\":1,\"k\":\"1\"}\n{\"id\":2,\"k\":\"1\"}\n"))
        let files = try FileManager.default.contentsOfDirectory(atPath: root + "/k=1").filter { $0.hasSuffix(".parquet") }
        return (root, "k=1/" + (files.first ?? ""))
    }

    static func age(_ path: String, days: Double) throws {
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-days * day)], ofItemAtPath: path)
    }

    @Test("vacuum with the default retention leaves a symbolically linked directory's old files alone")
    func linkedDirectory() throws {
        let (root, _) = try Self.table("vac-link")
        let outside = CLI.scratch("vac-link-outside")
        defer { CLI.cleanup(root); CLI.cleanup(outside) }
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        try "precious".write(toFile: outside + "/old.parquet", atomically: false, encoding: .utf8)
        try Self.age(outside + "/old.parquet", days: 30)
        try Self.age(outside, days: 30)
        try FileManager.default.createSymbolicLink(atPath: root + "/k=2", withDestinationPath: outside)
        let r = try CLI.run(["vacuum", root])
        expectSuccess(r)
        #expect(!r.stdout.contains("old.parquet"), "\(r.stdout)")
        #expect(FileManager.default.fileExists(atPath: outside + "/old.parquet"))
    }

    @Test("a file named by absolute path in a non-canonical spelling survives vacuum --retain-hours 0 --force and scans")
    func spelledAbsolutePath() throws {
        let (root, file) = try Self.table("vac-spell")
        defer { CLI.cleanup(root) }
        let real = (root as NSString).resolvingSymlinksInPath
        let spelled = real.replacingOccurrences(of: "/", with: "//") + "/k=0/../" + file
        let size = try FileManager.default.attributesOfItem(atPath: root + "/" + file)[.size] as? Int ?? 0
        let commit = [
            #"{"commitInfo":{"timestamp":1,"operation":"RESPELL"}}"#,
            #"{"remove":{"path":"\#(file)","deletionTimestamp":1,"dataChange":true}}"#,
            #"{"add":{"path":"\#(spelled)","partitionValues":{"k":"1"},"size":\#(size),"modificationTime":1,"dataChange":true}}"#,
        ].joined(separator: "\n") + "\n"
        // Commit 2 without in-commit timestamps would be refused on an ICT table: disable them first.
        expectSuccess(try CLI.run(["alter", root, "set-property", "delta.enableInCommitTimestamps=false"]))
        try commit.write(toFile: root + "/_delta_log/00000000000000000003.json", atomically: false, encoding: .utf8)
        try Self.age(root + "/" + file, days: 2)
        let vacuum = try CLI.run(["vacuum", root, "--retain-hours", "0", "--force"])
        expectSuccess(vacuum)
        #expect(FileManager.default.fileExists(atPath: root + "/" + file), "\(vacuum.stdout)")
        let scan = try CLI.run(["scan", root, "--format", "ndjson"])
        expectSuccess(scan)
        #expect(scan.stdoutLines.count == 2, "\(scan)")
    }

    @Test("vacuum --retain-hours 0 --force keeps a data file written moments ago (a commit in flight)")
    func inFlight() throws {
        let (root, _) = try Self.table("vac-inflight")
        defer { CLI.cleanup(root) }
        try "pending".write(toFile: root + "/k=1/part-00000-pending-c000.zstd.parquet", atomically: false, encoding: .utf8)
        let r = try CLI.run(["vacuum", root, "--retain-hours", "0", "--force"])
        expectSuccess(r)
        #expect(FileManager.default.fileExists(atPath: root + "/k=1/part-00000-pending-c000.zstd.parquet"), "\(r.stdout)")
    }

    @Test("scan refuses a data file that is a symbolic link out of the table; append refuses a linked partition")
    func linkedDataFile() throws {
        let (root, file) = try Self.table("scan-link")
        let outside = CLI.scratch("scan-link-outside")
        defer { CLI.cleanup(root); CLI.cleanup(outside) }
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        try FileManager.default.moveItem(atPath: root + "/" + file, toPath: outside + "/f.parquet")
        try FileManager.default.createSymbolicLink(atPath: root + "/" + file, withDestinationPath: outside + "/f.parquet")
        expectError(try CLI.run(["scan", root]), "symbolic link")
        try FileManager.default.createSymbolicLink(atPath: root + "/k=9", withDestinationPath: outside)
        expectError(try CLI.run(["append", root], stdin: "{\"id\":3,\"k\":\"9\"}\n"), "symbolic link")
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside) == ["f.parquet"])
    }

    @Test("an escaping path fails files, describe, history, checkpoint and vacuum; history fails on a gap")
    func hostileLogFailsEveryCommand() throws {
        let (root, _) = try Self.table("hostile-every")
        defer { CLI.cleanup(root) }
        expectSuccess(try CLI.run(["alter", root, "set-property", "delta.enableInCommitTimestamps=false"]))
        let commit = #"{"commitInfo":{"timestamp":1}}"# + "\n" + #"{"add":{"path":"../outside.parquet","partitionValues":{"k":"1"},"size":1,"modificationTime":1,"dataChange":true}}"# + "\n"
        try commit.write(toFile: root + "/_delta_log/00000000000000000003.json", atomically: false, encoding: .utf8)
        for command in [["files", root], ["describe", root], ["history", root], ["checkpoint", root], ["vacuum", root, "--dry-run"]] {
            expectError(try CLI.run(command), "../outside.parquet")
        }
        try FileManager.default.removeItem(atPath: root + "/_delta_log/00000000000000000003.json")
        try FileManager.default.removeItem(atPath: root + "/_delta_log/00000000000000000001.json")
        expectError(try CLI.run(["history", root]), "commit 1 is missing")
    }
}
