#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Foundation
import Floe

/// `floe-torture read-only`.
struct ReadOnlyScenario: ScenarioCommand {
    static let configuration = CommandConfiguration(
        commandName: "read-only",
        abstract: "Appends to read-only directories fail with an error and leave the table at its previous version.")
    @OptionGroup var common: TortureOptions
    @OptionGroup var sizes: SizeOptions
    func scenario() -> any Scenario { ReadOnlyTest() }
}

/// Appends where the table cannot be written: a tmpfs remounted read-only (where mounting is
/// permitted), and a writer against a table it may not write at all, and one whose data
/// directory it may write but whose `_delta_log` it may not (the data file is written, the commit
/// fails) — as root, the writer runs as the unprivileged user `nobody` (root ignores permission
/// bits, so `chmod` alone cannot stop a root writer); otherwise the directories are made
/// read-only with `chmod`. Each failure must report
/// the cause and leave the table at its previous version; the table stays readable.
struct ReadOnlyTest: Scenario {
    var name: String { "read-only" }

    func run(_ run: TortureRun) throws {
        var figures: [String] = []
        var tried = 0, failed = 0

        // A read-only remount of a tmpfs.
        let mount = run.scratch + "/tmpfs"
        if let reason = Mounts.mountTmpfs(at: mount, size: "8m") {
            figures.append("read-only remount skipped (mount failed: \(reason))")
        } else {
            defer { Mounts.unmount(mount) }
            let table = mount + "/table"
            try Workload.create(at: table)
            var attempts = WriteAttempts(run: run, table: table)
            try attempts.attempt(rows: 10, expectedError: nil, what: "an append before the remount")
            if let reason = Mounts.remount(mount, readOnly: true) {
                figures.append("read-only remount skipped (remount failed: \(reason))")
            } else {
                try attempts.attempt(rows: 10, expectedError: "Read-only file system", mustFail: true,
                                     what: "an append on the read-only remount")
                try attempts.attempt(rows: 10, expectedError: "Read-only file system", mustFail: true,
                                     what: "a second append on the read-only remount")
                if let reason = Mounts.remount(mount, readOnly: false) {
                    run.violation("cannot remount read-write: \(reason)")
                } else {
                    try attempts.attempt(rows: 10, expectedError: nil, what: "an append after remounting read-write")
                }
                figures.append("read-only remount: \(attempts.tried - attempts.committed) appends refused")
            }
            tried += attempts.tried
            failed += attempts.tried - attempts.committed
        }

        // Permissions: as root, a writer running as nobody (root ignores permission bits); otherwise
        // the same user against directories made read-only with chmod.
        let asRoot = geteuid() == 0
        if asRoot, let reason = unprivilegedSkipReason(run) {
            figures.append("unprivileged writer skipped (\(reason))")
        } else {
            let prefix = asRoot ? unprivileged : []
            let who = asRoot ? "nobody" : "the owner"
            let table = run.scratch + "/table", log = table + "/_delta_log"
            try Workload.create(at: table)
            var attempts = WriteAttempts(run: run, table: table)
            try attempts.attempt(rows: 10, expectedError: nil, what: "a first append")
            // The whole table read-only (as root: root's, mode 0755).
            if !asRoot { chmod(table, 0o555); chmod(log, 0o555) }
            try attempts.attempt(rows: 10, expectedError: "Permission denied", mustFail: true, prefix: prefix,
                                 what: "an append by \(who) to a table it may not write")
            // The data directory writable, _delta_log not: the data file is written, the commit fails.
            chmod(table, asRoot ? 0o777 : 0o755)
            try attempts.attempt(rows: 10, expectedError: "Permission denied", mustFail: true, prefix: prefix,
                                 what: "an append by \(who) whose _delta_log is read-only")
            run.check(attempts.failedAtCommit >= 1, "the append with a read-only _delta_log did not fail at its commit")
            chmod(table, 0o755)
            chmod(log, 0o755)
            try attempts.attempt(rows: 10, expectedError: nil, what: "an append with write permission again")
            // A reader needs no write permission.
            let readerLog = run.scratch + "/nobody-reader.log"
            _ = FileManager.default.createFile(atPath: readerLog, contents: nil)
            chmod(readerLog, 0o666)
            let readerArguments = [run.executable, "worker-read", "--table", table, "--rows", "10", "--stop", run.scratch, "--out", readerLog]
            let reader = try ChildProcess((prefix + readerArguments)[0], Array((prefix + readerArguments).dropFirst()),
                                          logPrefix: run.scratch + "/nobody-reader")
            let termination = reader.wait()
            let report = ReaderReport(LineLog(path: readerLog))
            run.check(termination == .exited(0) && report.violations.isEmpty && report.scans == 1,
                      "nobody cannot read the table: \(report.violations.first ?? reader.errorTail)")
            tried += attempts.tried
            failed += attempts.tried - attempts.committed
            figures.append((asRoot ? "unprivileged writer (setpriv nobody)" : "read-only directories (chmod)")
                           + ": \(attempts.failedAtDataFile) refused at the data file, \(attempts.failedAtCommit) at the commit")
        }
        guard tried > 0 else {
            run.report(name, "skipped: " + figures.joined(separator: "; "))
            return
        }
        run.report(name, "\(tried) cases tried, \(failed) refused with an error, each left the table at its previous version; "
                   + figures.joined(separator: "; "))
    }

    var unprivileged: [String] {
        [Mounts.tool("setpriv") ?? "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    }

    /// Why a writer cannot run as `nobody` here (as root), or `nil` when it can.
    func unprivilegedSkipReason(_ run: TortureRun) -> String? {
        guard Mounts.tool("setpriv") != nil else { return "no setpriv" }
        chmod(run.scratch, 0o755)
        let probe = runCommand(unprivileged[0], Array(unprivileged.dropFirst()) + [run.executable, "--help"])
        guard probe.status == 0 else {
            return "nobody cannot run \(run.executable): \(probe.output.prefix(200))"
        }
        return nil
    }
}
