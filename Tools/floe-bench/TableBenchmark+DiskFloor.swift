#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

extension TableBenchmark {
    /// The disk's floor for durable commits: the bare publication protocol of one commit (a 1 KB
    /// temporary file written and `fsync`ed, `link`ed to its version name, the log directory
    /// `fsync`ed), with no data file, no JSON and no table logic, repeated `commits` times.
    /// Returns commits per second; no implementation of the protocol can beat it on this disk.
    static func diskFloor(directory: String, commits: Int) throws -> Double {
        let log = directory + "/_delta_log"
        try FileManager.default.createDirectory(atPath: log, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let logFD = open(log, O_RDONLY | O_DIRECTORY)
        guard logFD >= 0 else { throw BenchError("cannot open \(log)") }
        defer { close(logFD) }
        let contents = [UInt8](repeating: 0x63, count: 1024)
        let start = now()
        for version in 0..<commits {
            let temp = log + "/.\(version).tmp"
            let final = log + "/" + String(format: "%020d.json", version)
            let fd = open(temp, O_CREAT | O_WRONLY | O_EXCL, 0o644)
            guard fd >= 0 else { throw BenchError("cannot create \(temp)") }
            let written = contents.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            let synced = fsync(fd)
            close(fd)
            guard written == contents.count, synced == 0, link(temp, final) == 0 else { throw BenchError("writing \(final) failed") }
            unlink(temp)
            guard fsync(logFD) == 0 else { throw BenchError("fsync of \(log) failed") }
        }
        return Double(commits) / (now() - start)
    }
}
