import Foundation
import Floe

/// One-batch appends by a writer process that may fail (full disk, read-only directory), each
/// checked: a success commits exactly the next version with the whole batch; a failure exits
/// non-zero naming the cause, leaves the table at its previous version with its previous rows,
/// and the table still opens.
struct WriteAttempts {
    let run: TortureRun
    let table: String
    /// Rows of every batch committed so far.
    private(set) var expectedRows: [BatchKey: Int] = [:]
    private(set) var tried = 0
    private(set) var committed = 0
    /// Failures writing a data file, and after the data files were written (at the commit, whose
    /// error names `_delta_log`).
    private(set) var failedAtDataFile = 0
    private(set) var failedAtCommit = 0
    private var nextBatch = 0

    init(run: TortureRun, table: String) {
        self.run = run
        self.table = table
    }

    enum Outcome { case committed, failed }

    /// Appends one batch of `rows` rows.
    ///
    /// - Parameters:
    ///   - expectedError: Text the failure's message must contain (e.g. "No space left on device");
    ///     `nil` when the write must succeed.
    ///   - mustFail: A success is a violation (e.g. on a read-only mount).
    ///   - prefix: A command that runs the writer (e.g. `setpriv` to drop privileges).
    @discardableResult
    mutating func attempt(rows: Int, pad: Int = 0, failPoint: String? = nil, expectedError: String?, mustFail: Bool = false,
                          prefix: [String] = [], what: String) throws -> Outcome {
        let key = BatchKey(writer: 0, batch: nextBatch)
        nextBatch += 1
        tried += 1
        let before = try state()
        let filesBefore = TableFiles.dataFiles(table)
        var arguments = ["worker-write", "--table", table, "--writer", "0", "--first", String(key.batch), "--count", "1",
                         "--rows", String(rows), "--pad", String(pad)]
        var executable = run.executable
        if let first = prefix.first {
            arguments = Array(prefix.dropFirst()) + [run.executable] + arguments
            executable = first
        }
        let process = try ChildProcess(executable, arguments, environment: ["FLOE_FAILPOINT": failPoint],
                                       logPrefix: run.scratch + "/attempt-\(key.batch)")
        let termination = process.wait()
        expectedRows[key] = rows  // allowed (and then checked complete) while checking the outcome
        let after: (version: Int64, contents: TableContents)
        do { after = try state() } catch {
            run.violation("\(what): after the write the table does not open: \(error)")
            throw TortureFailure("the table no longer opens")
        }
        if termination == .exited(0) {
            committed += 1
            run.check(!mustFail, "\(what): the write succeeded but should have failed")
            run.check(after.version == before.version + 1, "\(what): committed, but the version went from \(before.version) to \(after.version)")
            run.check(after.contents.batches[key] == rows, "\(what): committed, but its batch has \(after.contents.batches[key] ?? 0) of \(rows) rows")
            return .committed
        }
        expectedRows[key] = nil
        if let expectedError {
            run.check(termination == .exited(1), "\(what): the writer ended with \(termination), not an error exit: \(process.errorTail)")
            run.check(process.standardError.contains(expectedError), "\(what): the error does not say '\(expectedError)': \(process.errorTail)")
        } else {
            run.violation("\(what): failed (\(termination)): \(process.errorTail)")
        }
        run.check(after.version == before.version, "\(what): the failed write moved the table from version \(before.version) to \(after.version)")
        run.check(after.contents.rows == before.contents.rows && after.contents.batches[key] == nil,
                  "\(what): the failed write changed the rows (\(before.contents.rows) → \(after.contents.rows))")
        // A write that fails with an error removes the data files it wrote (only a crash leaves them).
        let left = TableFiles.dataFiles(table).subtracting(filesBefore)
        if termination == .exited(1) {
            run.check(left.isEmpty, "\(what): the failed write left \(left.count) data files behind, e.g. \(left.first ?? "")")
        }
        // Where it failed: publishing the commit names _delta_log; a data file does not.
        if process.standardError.contains("_delta_log") { failedAtCommit += 1 } else { failedAtDataFile += 1 }
        return .failed
    }

    /// The latest version and contents, through a fresh `Table`; checks every batch is complete.
    func state() throws -> (version: Int64, contents: TableContents) {
        let table = Table(path: self.table)
        let contents = try TableContents(table: table, snapshot: try table.snapshot())
        let partial = contents.incompleteBatches { expectedRows[$0] ?? -1 }
        run.check(partial.isEmpty, "partial or unexpected batches visible: \(partial.prefix(3))")
        return (contents.version, contents)
    }
}

/// Mounting file systems for the scenarios (needs root, or CAP_SYS_ADMIN).
enum Mounts {
    /// Mounts a tmpfs of `size` (e.g. "2m") at `path`; the failure's output, or `nil` on success.
    static func mountTmpfs(at path: String, size: String) -> String? {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            return "\(error)"
        }
        guard let mount = tool("mount") else { return "no mount command" }
        let result = runCommand(mount, ["-t", "tmpfs", "-o", "size=\(size),mode=0755", "tmpfs", path])
        return result.status == 0 ? nil : firstLine(result.output)
    }

    /// Remounts `path` read-only or read-write; the failure's output, or `nil` on success.
    static func remount(_ path: String, readOnly: Bool) -> String? {
        guard let mount = tool("mount") else { return "no mount command" }
        let result = runCommand(mount, ["-o", readOnly ? "remount,ro" : "remount,rw", path])
        return result.status == 0 ? nil : firstLine(result.output)
    }

    static func firstLine(_ text: String) -> String {
        String(text.split(separator: "\n").first ?? "").trimmingCharacters(in: .whitespaces)
    }

    static func unmount(_ path: String) {
        if let umount = tool("umount") { runCommand(umount, [path]) }
    }

    /// The path of a system tool.
    static func tool(_ name: String) -> String? {
        ["/usr/bin/", "/bin/", "/usr/sbin/", "/sbin/"].map { $0 + name }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
