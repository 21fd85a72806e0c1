#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension LocalStorage {
    /// Says what is at the root instead of a table: nothing, a file, a table's `_delta_log`
    /// folder itself (naming the table directory to give instead), a directory without
    /// `_delta_log`, or an empty log.
    public func absentTableReason() -> String {
        var info = stat()
        guard stat(givenRoot, &info) == 0 else {
            return errno == ENOENT || errno == ENOTDIR ? "there is no such directory" : "it cannot be read (errno \(errno))"
        }
        guard (info.st_mode & S_IFMT) == S_IFDIR else { return "it is a file, not a table directory" }
        let name = Self.lastComponent(root)
        if name == "_delta_log" {
            return "this is a table's log folder; give the table directory, \(Self.parent(of: root))"
        }
        var log = stat()
        guard stat(root + "/_delta_log", &log) == 0, (log.st_mode & S_IFMT) == S_IFDIR else {
            return "the directory has no _delta_log folder"
        }
        return "_delta_log has no commits or checkpoints"
    }
}
