/// Python scripts of ``GoldenTablesTests``, run with the test virtualenv (`$FLOE_PYTHON`).

/// Reads every (table, version) of a jobs file with delta-rs (`deltalake`) and writes one JSON line
/// each: `{"table", "version", "engine", "columns", "types", "count", "rows"}` or `{"table",
/// "version", "error"}`. Values use the encoding of `Tests/Interop/make_parquet_fixtures.py`
/// (imported from the folder given as the first argument). DataFusion (`QueryBuilder`) reads
/// deletion vectors; `to_pyarrow_table` is the fallback.
/// Arguments: interop folder, output file, jobs file (`[{"name", "root", "versions"}]`).
let goldenDeltaDumpScript = #"""
import sys, os, json
interop, out_path, jobs_path = sys.argv[1], sys.argv[2], sys.argv[3]
sys.path.insert(0, interop)
import make_parquet_fixtures as mpf
import pyarrow as pa
from deltalake import DeltaTable, QueryBuilder

jobs = json.load(open(jobs_path))
tmp = out_path + ".partial"
with open(tmp, "w") as out:
    for job in jobs:
        for v in job["versions"]:
            rec = {"table": job["name"], "version": v}
            try:
                dt = DeltaTable(job["root"], version=v)
                try:
                    t = pa.table(QueryBuilder().register("t", dt).execute("select * from t").read_all())
                    rec["engine"] = "datafusion"
                except Exception as e:
                    t = dt.to_pyarrow_table()
                    rec["engine"] = "pyarrow"
                    rec["datafusionError"] = f"{type(e).__name__}: {e}"
                rec["columns"] = t.column_names
                rec["types"] = [str(f.type) for f in t.schema]
                cols = [mpf.encode_column(t.column(i)) for i in range(t.num_columns)]
                rec["count"] = t.num_rows
                rec["rows"] = [list(r) for r in zip(*cols)]
            except Exception as e:
                rec["error"] = f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"
            out.write(json.dumps(rec) + "\n")
os.rename(tmp, out_path)
"""#

/// Compares Floe's readings (JSON lines written by the Swift test: `{"table", "version",
/// "columns", "rows", "files"}` or `{"table", "version", "code", "error", "files"}`) with the
/// delta-rs dump, order-insensitively (rows sorted by their canonical JSON text). Where delta-rs
/// cannot read a version but Floe can, the values are derived from the data files Floe's snapshot
/// lists: pyarrow reads each file, drops the rows its deletion vector deletes, and the row count
/// and every column stored under its logical name are compared as sorted multisets.
/// Arguments: interop folder, Floe file, delta-rs file (or "-"), report file. The report has one
/// line per (table, version): `{"table", "version", "status", "detail"}`.
let goldenCompareScript = #"""
import sys, json
interop, floe_path, delta_path, report_path = sys.argv[1:5]
sys.path.insert(0, interop)
import make_parquet_fixtures as mpf
import pyarrow.parquet as pq

def canon(v):
    return json.dumps(v, ensure_ascii=False, sort_keys=False)

def key(r):
    return (r["table"], r["version"])

delta = {}
if delta_path != "-":
    for line in open(delta_path):
        r = json.loads(line)
        delta[key(r)] = r

def compare_rows(f, d):
    fc, dc = f["columns"], d["columns"]
    if sorted(fc) != sorted(dc):
        return "mismatch", f"columns differ: Floe {fc}, delta-rs {dc}"
    order = [dc.index(n) for n in fc]
    a = sorted(canon(r) for r in f["rows"])
    b = sorted(canon([r[i] for i in order]) for r in d["rows"])
    if len(a) != len(b):
        return "mismatch", f"Floe read {len(a)} rows, delta-rs {len(b)}"
    if a != b:
        sa, sb = set(a), set(b)
        only_f = sorted(sa - sb)[:3]
        only_d = sorted(sb - sa)[:3]
        return "mismatch", f"rows differ; only Floe: {only_f}; only delta-rs: {only_d}"
    return "match", f"{len(a)} rows, {len(fc)} columns"

def fallback(f):
    count = 0
    values = {}
    for item in f.get("files", []):
        t = pq.read_table(item["path"])
        deleted = set(item.get("deleted", []))
        keep = [i for i in range(t.num_rows) if i not in deleted]
        t = t.take(keep)
        count += t.num_rows
        for name in f["columns"]:
            if name in t.column_names and name not in f.get("partitionColumns", []):
                values.setdefault(name, []).extend(canon(x) for x in mpf.encode_column(t.column(name)))
    if count != len(f["rows"]):
        return "fallback-mismatch", f"Floe read {len(f['rows'])} rows, the files hold {count} live rows"
    for i, name in enumerate(f["columns"]):
        if name in values:
            got = sorted(canon(r[i]) for r in f["rows"])
            if got != sorted(values[name]):
                return "fallback-mismatch", f"column {name} differs from the files' values"
    return "fallback-match", f"{count} rows; columns compared with the files: {sorted(values)}"

with open(report_path, "w") as out:
    for line in open(floe_path):
        f = json.loads(line)
        d = delta.get(key(f))
        rec = {"table": f["table"], "version": f["version"]}
        if d is None:
            if "error" in f:
                rec["status"], rec["detail"] = "floe-error", f["code"] + ": " + f["error"]
            else:
                rec["status"], rec["detail"] = fallback(f)
        elif "error" in f and "error" in d:
            missing = d["error"].startswith("FileNotFoundError")
            if f["code"] == "fileNotFound" and missing:
                rec["status"], rec["detail"] = "both-missing-file", f["error"]
            elif f["code"] == "unsupportedFeature":
                rec["status"], rec["detail"] = "refused", f["error"] + " | delta-rs: " + d["error"]
            else:
                rec["status"], rec["detail"] = "both-failed", f["error"] + " | delta-rs: " + d["error"]
        elif "error" in f:
            rec["status"], rec["detail"] = "floe-failed", f["code"] + ": " + f["error"]
        elif "error" in d:
            rec["status"], rec["detail"] = fallback(f)
            rec["detail"] += " (delta-rs: " + d["error"] + ")"
        else:
            rec["status"], rec["detail"] = compare_rows(f, d)
        out.write(json.dumps(rec) + "\n")
"""#
