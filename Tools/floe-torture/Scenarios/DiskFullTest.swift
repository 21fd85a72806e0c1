#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Foundation
import Floe

/// `floe-torture disk-full`.
struct DiskFullScenario: ScenarioCommand {
    static let configuration = CommandConfiguration(
        commandName: "disk-full",
        abstract: "Appends to a full disk fail with an error and leave the table at its previous version.")
    @OptionGroup var common: TortureOptions
    @OptionGroup var sizes: SizeOptions
    func scenario() -> any Scenario { DiskFullTest() }
}

/// Appends on a full disk: a 2 MiB tmpfs (when mounting is permitted) filled by appends, then
/// topped up with 4 KiB filler files and given back a page or a few at a time so that failures
/// hit the data file and the commit; plus `ENOSPC` injected by fail points at the data file and
/// at the commit (always). Every failure must report the full disk and leave the table at its
/// previous version; once space is freed, appends commit again and `vacuum` removes the orphans.
struct DiskFullTest: Scenario {
    var name: String { "disk-full" }
    static let noSpace = "No space left on device"

    func run(_ run: TortureRun) throws {
        var figures: [String] = []
        var total = (tried: 0, failed: 0, dataFile: 0, commit: 0)
        func add(_ attempts: WriteAttempts) {
            total.tried += attempts.tried
            total.failed += attempts.tried - attempts.committed
            total.dataFile += attempts.failedAtDataFile
            total.commit += attempts.failedAtCommit
        }

        let mount = run.scratch + "/tmpfs"
        if let reason = Mounts.mountTmpfs(at: mount, size: "2m") {
            figures.append("tmpfs not used (mount failed: \(reason)), ENOSPC injected by fail points only")
        } else {
            defer { Mounts.unmount(mount) }
            let attempts = try fillTmpfs(run, table: mount + "/table", mount: mount)
            add(attempts)
            figures.append("tmpfs 2 MiB: \(attempts.tried) appends, \(attempts.committed) committed")
        }

        // Injected ENOSPC at the data file and at the commit.
        let table = run.scratch + "/table"
        try Workload.create(at: table)
        var attempts = WriteAttempts(run: run, table: table)
        try attempts.attempt(rows: 10, expectedError: nil, what: "a first append")
        let points = ["before-data-file", "before-commit-link"]
        for point in points {
            try attempts.attempt(rows: 10, failPoint: "\(point):1:enospc", expectedError: Self.noSpace, mustFail: true,
                                 what: "ENOSPC injected at \(point)")
        }
        try attempts.attempt(rows: 10, expectedError: nil, what: "an append after injected ENOSPC")
        add(attempts)
        let vacuumed = try removeOrphans(run, table: table)
        figures.append("fail points \(points.joined(separator: ", ")): \(attempts.tried) appends, \(vacuumed) orphans vacuumed")

        run.report(name, "\(total.tried) cases tried, \(total.failed) failed with ENOSPC (\(total.dataFile) at the data file, "
                   + "\(total.commit) at the commit), each left the table at its previous version; " + figures.joined(separator: "; "))
    }

    /// Fills the tmpfs with appends until one fails, tops it up with filler files, gives back one
    /// or a few pages before each small append, then frees the filler and appends again.
    func fillTmpfs(_ run: TortureRun, table: String, mount: String) throws -> WriteAttempts {
        try Workload.create(at: table)
        var attempts = WriteAttempts(run: run, table: table)
        var full = false
        for i in 0..<40 where !full {
            // About 0.3 MB of incompressible text per append.
            full = try attempts.attempt(rows: 300, pad: 1000, expectedError: Self.noSpace, what: "filling append \(i)") == .failed
        }
        run.check(full, "2 MiB tmpfs never filled up")
        // Top up with 4 KiB files (tmpfs pages) until the disk is completely full.
        var fillers: [String] = []
        let page = [UInt8](repeating: 0x2A, count: 4096)
        while fillers.count < 1024 {
            let path = mount + "/filler-\(fillers.count)"
            guard FileManager.default.createFile(atPath: path, contents: Data(page)),
                  (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) == 4096 else {
                try? FileManager.default.removeItem(atPath: path)
                break
            }
            fillers.append(path)
        }
        // Give back 1, 1, 2, 3, ... pages: small appends fail at the data file or at the commit.
        for pages in [0, 1, 1, 1, 2, 2, 3, 4, 6] {
            for _ in 0..<pages where !fillers.isEmpty { try? FileManager.default.removeItem(atPath: fillers.removeLast()) }
            try attempts.attempt(rows: 5, expectedError: Self.noSpace, what: "a small append with \(pages) pages freed")
        }
        for path in fillers { try? FileManager.default.removeItem(atPath: path) }
        _ = try removeOrphans(run, table: table)
        try attempts.attempt(rows: 5, expectedError: nil, what: "an append after freeing space")
        return attempts
    }

    /// Vacuums with retention 0 and checks the table still holds what it did.
    func removeOrphans(_ run: TortureRun, table path: String) throws -> Int {
        let table = Table(path: path)
        let before = try table.snapshot()
        let referenced = Set(before.activeFiles.map(\.path))
        let orphans = TableFiles.dataFiles(path).subtracting(referenced).count
        TableFiles.age(path)
        let result = try table.vacuum(retentionHours: 0, enforceRetentionDuration: false)
        run.check(result.files.count >= orphans, "vacuum removed \(result.files.count) files but \(orphans) were orphaned")
        run.check(TableFiles.dataFiles(path) == referenced, "after vacuum the data files are not the referenced ones")
        return result.files.count
    }
}
