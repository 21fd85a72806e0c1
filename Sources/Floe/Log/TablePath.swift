/// Maps the file paths of the log — `add`, `remove` and `cdc` paths and deletion vector files,
/// after percent-decoding — to the files of the table. This is the one canonicalisation every
/// reader of those paths uses (scans, change data, deletion vectors, vacuum, and the validation of
/// every file action read from a commit or checkpoint), so a path names the same file everywhere.
///
/// Canonical form: a table-relative path with empty and `.` components dropped and `..` applied
/// lexically (`k=1/../k=1/f` is `k=1/f`; nothing below the table is ever consulted, and since Floe
/// follows no symbolic link below the root, the lexical result is the file the path reaches).
/// Absolute paths (`/abs/path`, `file:/abs/path`, `file:///abs/path`) are normalized the same way
/// and must lie under the table root (as resolved by ``LocalStorage``, as the caller spelled it,
/// or through another symbolic link to it above the root); a URI with another scheme must start with the storage's root description.
enum TablePath {
    /// `path` (percent-decoded) as a canonical table-relative path — or, kept absolute and
    /// normalized, a path under one of ``LocalStorage/externalReadRoots`` (none by default).
    ///
    /// - Parameter what: What the path is for, in messages ("data file").
    /// - Throws: ``DeltaError/Code/pathEscapesTable`` naming the path when it lies outside the
    ///   table (climbs out with `..`, is absolute elsewhere, has another scheme, `file://host/…`),
    ///   names the table directory itself, or holds a NUL character.
    static func relative(_ path: String, in storage: any LogStorage, what: String) throws -> String {
        if isCanonicalRelative(path) { return path }
        func escape(_ reason: String) -> DeltaError {
            DeltaError(.pathEscapesTable, "\(what) '\(path)' \(reason); Floe reads only files inside the table \(storage.rootDescription)")
        }
        if path.utf8.contains(0) { throw escape("contains a NUL character") }
        var absolute: String?
        if path.hasPrefix("file://") {
            let rest = String(path.dropFirst("file://".count))
            guard rest.hasPrefix("/") else { throw escape("names another host") }  // file://host/... is not local
            absolute = rest
        } else if path.hasPrefix("file:/") {
            absolute = String(path.dropFirst("file:".count))
        } else if PathBytes.hasPrefix(path, "/") {
            absolute = path
        } else if path.contains("://") {
            let root = storage.rootDescription.hasSuffix("/") ? storage.rootDescription : storage.rootDescription + "/"
            guard let below = PathBytes.dropping(root, from: path) else { throw escape("is outside the table") }
            return try canonical(String(below), escape: escape)
        }
        guard let absolute else { return try canonical(path, escape: escape) }
        guard let local = storage as? LocalStorage else { throw escape("is an absolute path outside the table") }
        if let external = local.externalPath(absolute) {
            return external  // allowed by LocalStorage.externalReadRoots
        }
        // `..` applied lexically must not climb above `/`, nor may the result leave the root.
        var depth = 0
        for part in PathBytes.components(absolute) where !PathBytes.isCurrent(part) {
            depth += PathBytes.isParent(part) ? -1 : 1
            if depth < 0 { throw escape("climbs out with '..': it is outside the table") }
        }
        guard let below = local.tableRelativeResolvingAncestors(LocalStorage.normalize(absolute: absolute)) else {
            throw escape("is an absolute path outside the table")
        }
        return try canonical(String(below), escape: escape)
    }

    /// The canonical form of a relative path: empty and `.` components dropped, `..` applied.
    static func canonical(_ relative: String, escape: (String) -> DeltaError) throws -> String {
        var parts: [Substring] = []
        for part in PathBytes.components(relative) {
            if PathBytes.isCurrent(part) { continue }
            if PathBytes.isParent(part) {
                guard !parts.isEmpty else { throw escape("climbs out with '..': it is outside the table") }
                parts.removeLast()
                continue
            }
            parts.append(part)
        }
        guard !parts.isEmpty else { throw escape("names the table directory itself, not a file in it") }
        return parts.joined(separator: "/")
    }

    /// Whether `path` is already canonical and relative (the common case, checked in one pass):
    /// not empty, no leading `/`, no empty, `.` or `..` component, no `:` (so no scheme), no `%`
    /// (so the same answer before and after percent-decoding), no NUL.
    static func isCanonicalRelative(_ path: String) -> Bool {
        var componentLength = 0
        var dots = 0
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "/"):
                if componentLength == 0 || componentLength == dots && dots <= 2 { return false }
                componentLength = 0
                dots = 0
                continue
            case UInt8(ascii: ":"), UInt8(ascii: "%"), 0:
                return false
            case UInt8(ascii: "."):
                dots += 1
            default:
                break
            }
            componentLength += 1
        }
        return componentLength > 0 && !(componentLength == dots && dots <= 2)
    }

    /// Checks that the file paths of `actions` (`add`, `remove`, `cdc`, and deletion vector files)
    /// lie inside the table; called for every commit and checkpoint read, so a hostile path fails
    /// every command that reads the log.
    ///
    /// - Throws: ``DeltaError/Code/pathEscapesTable`` naming the path and `source`.
    static func validate(_ actions: [Action], in storage: any LogStorage, source: String) throws {
        func check(_ path: String, _ dv: DeletionVectorDescriptor?, _ what: String) throws {
            do {
                if !isCanonicalRelative(path) {
                    _ = try relative(PathCoding.decodeURIPath(path), in: storage, what: what)
                }
                if let dv, dv.storageType != "i" {
                    do { _ = try dv.relativePath(in: storage) } catch let e as DeltaError where e.code != .pathEscapesTable {
                        // A malformed descriptor is reported when the vector is read.
                    }
                }
            } catch let e as DeltaError {
                throw DeltaError(e.code, "\(source): \(e.message)", underlying: e.underlying)
            }
        }
        for action in actions {
            switch action {
            case .add(let add): try check(add.path, add.deletionVector, "data file")
            case .remove(let remove): try check(remove.path, remove.deletionVector, "removed file")
            case .cdc(let cdc): try check(cdc.path, nil, "change data file")
            default: continue
            }
        }
    }
}
