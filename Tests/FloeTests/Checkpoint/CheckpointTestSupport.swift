import Foundation
import Testing
@testable import Floe
import FloeTestSupport

/// Runs Python scripts with the test virtualenv (`$FLOE_PYTHON`, else `<package>/.venv-test`), for
/// facts computed independently of Floe by pyarrow and delta-rs (`deltalake`).
enum TestPython {
    static var executable: String? { TestEnvironment.python }

    /// Runs `script` with `arguments`; returns stdout (or `nil` when the interpreter is missing or
    /// the script fails) and stderr.
    static func run(_ script: String, _ arguments: [String] = []) -> (output: String?, error: String) {
        guard let executable else { return (nil, "no Python interpreter") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        // Exit without interpreter teardown: deltalake's runtime threads occasionally abort there
        // ("terminate called without an active exception") after the script has succeeded.
        let exiting = script + "\nimport os as _os, sys as _sys\n_sys.stdout.flush()\n_os._exit(0)\n"
        process.arguments = ["-c", exiting] + arguments
        // stderr goes to a file so that a chatty script cannot block on a full pipe.
        let errorPath = NSTemporaryDirectory() + "floe-python-\(UUID().uuidString).err"
        guard FileManager.default.createFile(atPath: errorPath, contents: nil),
              let errorHandle = FileHandle(forWritingAtPath: errorPath) else { return (nil, "cannot create \(errorPath)") }
        defer { try? FileManager.default.removeItem(atPath: errorPath) }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = errorHandle
        do { try process.run() } catch { return (nil, "\(error)") }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try? errorHandle.close()
        let errorText = String(decoding: FileManager.default.contents(atPath: errorPath) ?? Data(), as: UTF8.self)
        guard process.terminationStatus == 0 else { return (nil, errorText) }
        return (String(decoding: data, as: UTF8.self), errorText)
    }

    /// Runs `script` and parses its stdout as one JSON value.
    static func json(_ script: String, _ arguments: [String] = []) throws -> JSONValue {
        let (output, error) = run(script, arguments)
        guard let output else { throw DeltaError(.internalError, "python failed: \(error)") }
        return try JSONValue.parse(Array(output.utf8))
    }

    /// Whether tests needing pyarrow run: it is installed, or FLOE_REQUIRE_PEERS makes them run
    /// (and fail) without it.
    static var hasPyarrow: Bool { TestEnvironment.gate(TestEnvironment.hasPyarrow) }
    /// Whether tests needing deltalake run (likewise).
    static var hasDeltalake: Bool { TestEnvironment.gate(TestEnvironment.hasDeltalake) }
    /// Whether tests needing DuckDB's delta extension run (likewise).
    static var hasDuckDB: Bool { TestEnvironment.gate(TestEnvironment.hasDuckDB) }
}

/// The golden tables that hold Parquet checkpoints or sidecars.
enum GoldenCheckpoints {
    static var names: [String] {
        guard let root = Fixtures.goldenRoot,
              let entries = try? FileManager.default.contentsOfDirectory(atPath: root) else { return [] }
        return entries.sorted().filter { name in
            let log = root + "/" + name + "/_delta_log"
            let files = (try? FileManager.default.contentsOfDirectory(atPath: log)) ?? []
            return files.contains { $0.contains(".checkpoint") && $0.hasSuffix(".parquet") } || files.contains("_sidecars")
        }
    }
}

/// An independent replay of tables' logs in Python with pyarrow: the newest complete checkpoint
/// (classic, complete multi-part set, or UUID-named V2 with its sidecars) at or below the version,
/// then the JSON commits after it. Arguments are pairs of table root and version (empty for the
/// latest); prints a JSON object mapping each root to its reconciled active files and other state.
let pythonReplayScript = #"""
import sys, os, re, json, glob
import pyarrow.parquet as pq


def replay(root, target):
    log = os.path.join(root, "_delta_log")
    names = os.listdir(log)
    commits = {int(n[:20]): n for n in names if re.fullmatch(r"\d{20}\.json", n)}
    cps = {}
    for n in names:
        m = re.fullmatch(r"(\d{20})\.checkpoint(\.(\d{10})\.(\d{10}))?(\.([0-9a-f-]{36}))?\.(parquet|json)", n)
        if m:
            cps.setdefault(int(m.group(1)), []).append((n, m))
    latest = max(list(commits) + list(cps))
    if target is None:
        target = latest

    def complete(v):
        files = cps[v]
        classic = [n for n, m in files if m.group(2) is None and m.group(5) is None and m.group(7) == "parquet"]
        uuids = [n for n, m in files if m.group(5) is not None]
        if uuids:
            return [sorted(uuids)[0]]
        if classic:
            return classic
        parts = {}
        for n, m in files:
            if m.group(2):
                parts.setdefault(int(m.group(4)), {})[int(m.group(3))] = n
        for total, got in sorted(parts.items()):
            if len(got) == total:
                return [got[i] for i in range(1, total + 1)]
        return None

    def rows_of_parquet(path):
        t = pq.read_table(path)
        return t.to_pylist()

    def clean(value):
        if isinstance(value, list) and all(isinstance(x, tuple) and len(x) == 2 for x in value):
            return {k: v for k, v in value}
        return value

    start, cp_files = -1, []
    for v in sorted((v for v in cps if v <= target), reverse=True):
        files = complete(v)
        if files:
            start, cp_files = v, files
            break

    actions = []
    for name in cp_files:
        path = os.path.join(log, name)
        if name.endswith(".json"):
            rows = [json.loads(l) for l in open(path) if l.strip()]
        else:
            rows = rows_of_parquet(path)
        for r in rows:
            for key in ("add", "remove", "metaData", "protocol", "txn", "domainMetadata", "sidecar"):
                a = r.get(key)
                if a is not None and (a.get("path") or a.get("id") or a.get("appId") or a.get("domain") or a.get("minReaderVersion") is not None):
                    actions.append((key, a))
    for key, a in list(actions):
        if key == "sidecar":
            for r in rows_of_parquet(os.path.join(log, "_sidecars", a["path"])):
                for k in ("add", "remove"):
                    if r.get(k) is not None and r[k].get("path"):
                        actions.append((k, r[k]))
    for v in range(start + 1, target + 1):
        for l in open(os.path.join(log, commits[v])):
            if l.strip():
                for key, a in json.loads(l).items():
                    actions.append((key, a))

    files, tombstones, txns, domains, proto, meta = {}, {}, {}, {}, None, None
    def dvid(a):
        dv = a.get("deletionVector")
        if not dv:
            return None
        s = dv["storageType"] + dv["pathOrInlineDv"]
        return s + "@" + str(dv["offset"]) if dv.get("offset") is not None else s
    for key, a in actions:
        if key == "add":
            k = (a["path"], dvid(a))
            tombstones.pop(k, None)
            files[k] = a
        elif key == "remove":
            k = (a["path"], dvid(a))
            files.pop(k, None)
            tombstones[k] = a
        elif key == "metaData":
            meta = a
        elif key == "protocol":
            proto = a
        elif key == "txn":
            txns[a["appId"]] = a["version"]
        elif key == "domainMetadata":
            domains[a["domain"]] = a

    out = []
    for (path, dv), a in files.items():
        sp = a.get("stats_parsed")
        out.append({"path": path, "dv": dv, "size": a["size"],
                    "partitionValues": clean(a.get("partitionValues")) or {},
                    "stats": a.get("stats"),
                    "statsParsedNumRecords": sp.get("numRecords") if sp else None,
                    "baseRowId": a.get("baseRowId"), "defaultRowCommitVersion": a.get("defaultRowCommitVersion"),
                    "tags": clean(a.get("tags"))})
    return ({"version": target, "checkpoint": start, "files": out, "tombstones": len(tombstones),
                      "txns": txns, "domains": sorted(d for d, a in domains.items() if not a.get("removed")),
                      "metadataId": meta["id"] if meta else None,
                      "protocol": [proto["minReaderVersion"], proto["minWriterVersion"]] if proto else None})

args = sys.argv[1:]
print(json.dumps({args[i]: replay(args[i], int(args[i + 1]) if args[i + 1] else None) for i in range(0, len(args), 2)}))
"""#

/// What delta-rs reports for each table given: version, file sizes, and the (URI-encoded, as in
/// the log) paths of its active files; or the error it raised.
let deltalakeFactsScript = #"""
import sys, json
from deltalake import DeltaTable
import pyarrow as pa
out = {}
for root in sys.argv[1:]:
    try:
        dt = DeltaTable(root)
        actions = pa.table(dt.get_add_actions(flatten=True))
        out[root] = {"version": dt.version(), "paths": sorted(actions.column("path").to_pylist()),
                     "sizes": sorted(actions.column("size_bytes").to_pylist())}
    except Exception as e:
        out[root] = {"error": str(e)}
print(json.dumps(out))
"""#
