/// Python scripts of ``GoldenTablesTests``, run with the test virtualenv (`$FLOE_PYTHON`).

/// Reads every (table, version) of a jobs file with delta-rs (`deltalake`) and writes one JSON line
/// each: `{"table", "version", "engine", "columns", "types", "count", "rows"}` or `{"table",
/// "version", "error"}`. Values use the encoding of `Tests/Interop/make_parquet_fixtures.py`
/// (imported from the folder given as the first argument). DataFusion (`QueryBuilder`) reads
/// deletion vectors; `to_pyarrow_table` is the fallback.
/// Versions with more rows than the limit get `"summary"` (per column: nulls, integer sum, string
/// byte length) instead of `"rows"`.
/// Arguments: interop folder, output file, jobs file (`[{"name", "root", "versions"}]`), row limit.
let goldenDeltaDumpScript = #"""
import sys, os, json
interop, out_path, jobs_path = sys.argv[1], sys.argv[2], sys.argv[3]
sys.path.insert(0, interop)
import make_parquet_fixtures as mpf
import pyarrow as pa
from deltalake import DeltaTable, QueryBuilder

limit = int(sys.argv[4])
jobs = json.load(open(jobs_path))
tmp = out_path + ".partial"

def summary(col):
    import pyarrow.compute as pc
    t = col.type
    out = {"nulls": col.null_count}
    if pa.types.is_integer(t):
        s = pc.sum(col.cast(pa.int64())).as_py()
        out["sum"] = s or 0
    elif pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t) \
            or pa.types.is_binary(t) or pa.types.is_large_binary(t) or pa.types.is_binary_view(t):
        s = pc.sum(pc.binary_length(col.cast(pa.large_binary()))).as_py()
        out["bytes"] = s or 0
    return out
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
                rec["count"] = t.num_rows
                if t.num_rows > limit:
                    rec["summary"] = [summary(t.column(i)) for i in range(t.num_columns)]
                else:
                    cols = [mpf.encode_column(t.column(i)) for i in range(t.num_columns)]
                    rec["rows"] = [list(r) for r in zip(*cols)]
            except Exception as e:
                rec["error"] = f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"
            out.write(json.dumps(rec) + "\n")
os.rename(tmp, out_path)
sys.stdout.flush()
os._exit(0)  # skip interpreter teardown, where the Rust runtime may abort
"""#

/// Compares Floe's readings (JSON lines written by the Swift test: `{"table", "version",
/// "columns", "rows", "files"}` or `{"table", "version", "code", "error", "files"}`) with the
/// delta-rs dump, order-insensitively (rows sorted by their canonical JSON text). Where delta-rs
/// cannot read a version but Floe can, the values are derived from the data files Floe's snapshot
/// lists: pyarrow reads each file, drops the rows its deletion vector deletes, and the row count
/// and every column stored under its logical name are compared as sorted multisets (only the row
/// count when there is no delta-rs dump at all).
/// Arguments: interop folder, Floe file, delta-rs file (or "-"), report file. The report has one
/// line per (table, version): `{"table", "version", "status", "detail"}`.
let goldenCompareScript = #"""
import sys, json, re
from collections import Counter
interop, floe_path, delta_path, report_path = sys.argv[1:5]
sys.path.insert(0, interop)
import make_parquet_fixtures as mpf
import pyarrow as pa
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
    if "summary" in f or "summary" in d:
        if f.get("count") != d.get("count"):
            return "mismatch", f"Floe read {f.get('count')} rows, delta-rs {d.get('count')}"
        if "summary" not in f or "summary" not in d:
            return "mismatch", "only one side summarized"
        for i, name in enumerate(fc):
            if f["summary"][i] != d["summary"][order[i]]:
                return "mismatch", f"column {name}: Floe {f['summary'][i]}, delta-rs {d['summary'][order[i]]}"
        return "summary-match", f"{f['count']} rows summarized per column"
    fr, dr = f["rows"], d["rows"]
    if len(fr) != len(dr):
        return "mismatch", f"Floe read {len(fr)} rows, delta-rs {len(dr)}"
    # Multisets of rows: flat rows as tuples (fast), nested ones as canonical JSON text.
    def row_key(r):
        if all(not isinstance(x, (list, dict)) for x in r):
            return tuple(r)
        return canon(r)
    a = Counter(row_key(r) for r in fr)
    b = Counter(row_key([r[i] for i in order]) for r in dr)
    if a != b:
        only_f = [canon(list(k)) if isinstance(k, tuple) else k for k in (a - b)][:3]
        only_d = [canon(list(k)) if isinstance(k, tuple) else k for k in (b - a)][:3]
        return "mismatch", f"rows differ; only Floe: {only_f}; only delta-rs: {only_d}"
    return "match", f"{len(fr)} rows, {len(fc)} columns"

TIMESTAMP = re.compile(r"^[+-]?\d{4,6}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$")

def loose(v):
    """A file's raw value and the table's compare alike: zoned timestamps lose their Z (files hold
    UTC instants, zoned or not) and struct fields are sorted by name."""
    if isinstance(v, str) and TIMESTAMP.match(v):
        return v[:-1]
    if isinstance(v, list):
        return [loose(x) for x in v]
    if isinstance(v, dict):
        return {k: loose(x) for k, x in v.items()}
    return v

def loose_canon(v):
    return json.dumps(loose(v), ensure_ascii=False, sort_keys=True)

def fallback(f, compare_values=True):
    count = 0
    values = {}
    seen = set()
    for item in f.get("files", []):
        deleted = set(item.get("deleted", []))
        if not compare_values:
            count += pq.ParquetFile(item["path"]).metadata.num_rows - len(deleted)
            continue
        t = pq.read_table(item["path"])
        keep = [i for i in range(t.num_rows) if i not in deleted]
        t = t.take(pa.array(keep, type=pa.int64()))
        count += t.num_rows
        for name in f["columns"]:
            if name in f.get("partitionColumns", []):
                continue
            if name in t.column_names:
                seen.add(name)
                values.setdefault(name, []).extend(loose_canon(x) for x in mpf.encode_column(t.column(name)))
            else:  # a file written before the column existed reads it as nulls
                values.setdefault(name, []).extend([loose_canon(None)] * t.num_rows)
    floe_count = f.get("count", len(f.get("rows", [])))
    if count != floe_count:
        return "fallback-mismatch", f"Floe read {floe_count} rows, the files hold {count} live rows"
    if "rows" not in f or not compare_values:
        return "fallback-match", f"{count} rows (row count only)"
    for i, name in enumerate(f["columns"]):
        if name in seen:
            got = sorted(loose_canon(r[i]) for r in f["rows"])
            if got != sorted(values[name]):
                return "fallback-mismatch", f"column {name} differs from the files' values"
    return "fallback-match", f"{count} rows; columns compared with the files: {sorted(seen)}"

with open(report_path, "w") as out:
    for line in open(floe_path):
        f = json.loads(line)
        d = delta.get(key(f))
        rec = {"table": f["table"], "version": f["version"]}
        if d is None:
            if "error" in f:
                rec["status"], rec["detail"] = "floe-error", f["code"] + ": " + f["error"]
            else:
                # Without deltalake: the live row counts of the files (their raw values differ
                # from the table's where types are widened, zoned or mapped).
                rec["status"], rec["detail"] = fallback(f, compare_values=False)
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
