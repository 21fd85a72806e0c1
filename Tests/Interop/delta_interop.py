#!/usr/bin/env python3
"""delta-rs (`deltalake`) side of Floe's table interop tests (Tests/FloeTests/Interop/*).

Usage:
    delta_interop.py PLAN.json OUT.json

Runs the steps of PLAN in order, in this one process, against one table, and writes OUT.json:
    {"steps": [result, ...]}    one result per step, in order
(written to OUT.json.partial, then renamed). A step that raises records {"ok": false, "error"}
and the plan goes on, so a test sees every failure. The process exits 0 unless the plan itself is
malformed.

PLAN:
    {"table": "/abs/path", "timestampDigits": 9, "steps": [step, ...]}
timestampDigits: fraction digits of encoded timestamps: 9 (the encoding of make_parquet_fixtures.py,
which Floe's Swift tests use) or 6 (the ndjson encoding of `floe scan --format ndjson`).

Steps ({"op": ...}):
    write       {"schema": <Delta schema JSON object>, "rows": [{column: value}], "mode": "append" |
                 "overwrite" | "error", "partitionBy": [...], "schemaMode": "merge" | null,
                 "predicate": SQL | null, "configuration": {...} | null}
                rows use the ndjson encoding of Spec/CLI.md (decimals as strings, binary as base64,
                timestamps ISO-8601, maps as [[key, value], ...]) and are converted with the Arrow
                types of the Delta schema. Result: {"ok", "version"} (the table version after it).
    appends     {"schema", "batches": [[rows], ...], "ready": FILE, "go": FILE, "pauseMs": N}:
                concurrent-writer mode: writes FILE `ready`, waits (up to 60 s) for FILE `go`, then
                appends each batch with its own write_deltalake call, pausing up to N ms (random)
                between two. Result: {"ok", "acknowledged": [indexes],
                "failed": [{"index", "error"}]}.
    checkpoint  DeltaTable.create_checkpoint()
    compact     DeltaTable.optimize.compact(); result has the metrics
    vacuum      {"retentionHours": 0}: DeltaTable.vacuum(retention, dry_run=False,
                enforce_retention_duration=False); result {"ok", "deleted": [paths]}
    delete      {"predicate": SQL | null}: DeltaTable.delete(predicate)
    pyarrowRead the latest version's rows through DeltaTable.to_pyarrow_table() (not DataFusion):
                {"ok", "rows"}
    sleep       {"ms": N}
    touch       {"mtimes": {"<version>": millis}}: sets commit files' modification times
    dump        {"versions": [v, ...] | null (every version 0...latest), "timestamps": [millis, ...],
                 "history": true, "queries": [SQL condition, ...], "duckdb": false}; "versions": "latest" reads the
                latest only; "timestamps": "between" travels to 1 s before the first commit file's
                modification time, the midpoints between consecutive commits' times and 1 ms after
                the last; result
                {"ok", "latest", "history": [commitInfo dicts from DeltaTable.history(), newest
                 first], "versions": [reading], "timestamps": [{"timestamp", "version"} + reading
                 | {"timestamp", "error"}]}
                reading = {"version", "engine", "rows": [[value, ...] sorted], "columns": [names],
                           "schema": <Delta schema JSON>, "partitionColumns", "protocol":
                           {"minReaderVersion", "minWriterVersion", "readerFeatures",
                           "writerFeatures"}, "files": [{"path" (as in the log), "size",
                           "numRecords", "partitionValues", "nullCount", "minValues", "maxValues"
                           (typed, encoded as values)}] sorted by path, "fileURIs": [decoded paths
                           relative to the table], "queries": [{"where", "rows" | "error"}] (the
                           rows DataFusion returns for `select * from t where ...`), "duckdb":
                           {"columns", "rows"} | {"error"} (with "duckdb": true, DuckDB's delta
                           extension reading the same version)}
                or {"version", "error"}.
Rows are lists of values in column order, encoded as make_parquet_fixtures.py encodes them, sorted
by their JSON text.
"""

from __future__ import annotations

import base64
import datetime
import decimal
import json
import os
import random
import re
import sys
import time
import traceback

import pyarrow as pa

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_parquet_fixtures as mpf  # noqa: E402

from deltalake import DeltaTable, QueryBuilder, write_deltalake  # noqa: E402

# --------------------------------------------------------------------------------------------
# DuckDB (its delta extension is built on delta-kernel-rs: a second, independent Delta reader)
# --------------------------------------------------------------------------------------------

_duckdb = None


def duckdb_connection():
    """A DuckDB connection with the delta extension loaded from the duckdb-extension-delta
    package's `extensions/` folder (unsigned, so `allow_unsigned_extensions`)."""
    global _duckdb
    if _duckdb is None:
        import glob

        import duckdb
        import duckdb_extension_delta

        folder = os.path.join(os.path.dirname(duckdb_extension_delta.__file__), "extensions")
        found = sorted(glob.glob(os.path.join(folder, "*", "delta.duckdb_extension")))
        if not found:
            raise RuntimeError(f"no delta.duckdb_extension under {folder}")
        con = duckdb.connect(config={"allow_unsigned_extensions": "true"})
        con.execute("LOAD '" + found[-1].replace("'", "''") + "'")
        con.execute("SET TimeZone = 'UTC'")
        _duckdb = con
    return _duckdb


def duckdb_reading(root, version, digits):
    """DuckDB's rows of `root` at `version` (`delta_scan(path, version => v)`), encoded and sorted
    like read_rows: {"columns", "rows"} or {"error"}."""
    try:
        con = duckdb_connection()
        table = con.execute("select * from delta_scan(?, version = ?)", [root, version]).fetch_arrow_table()
    except Exception as e:  # noqa: BLE001 - recorded for the test to judge
        return {"error": error_text(e)}
    columns = [mpf.encode_column(table.column(i)) for i in range(table.num_columns)]
    if digits == 6:
        columns = [[shorten_timestamps(v, table.schema.field(i).type) for v in col] for i, col in enumerate(columns)]
    rows = [list(r) for r in zip(*columns)] if columns else []
    rows.sort(key=canon)
    return {"columns": table.column_names, "rows": rows}

# --------------------------------------------------------------------------------------------
# Delta types -> Arrow types, ndjson values -> Python values
# --------------------------------------------------------------------------------------------

_PRIMITIVES = {
    "long": pa.int64(), "integer": pa.int32(), "short": pa.int16(), "byte": pa.int8(),
    "float": pa.float32(), "double": pa.float64(), "string": pa.string(), "binary": pa.binary(),
    "boolean": pa.bool_(), "date": pa.date32(), "timestamp": pa.timestamp("us", tz="UTC"),
    "timestamp_ntz": pa.timestamp("us"),
}
_DECIMAL = re.compile(r"^decimal\((\d+),\s*(\d+)\)$")


def arrow_type(t):
    if isinstance(t, str):
        if t in _PRIMITIVES:
            return _PRIMITIVES[t]
        m = _DECIMAL.match(t)
        if m:
            return pa.decimal128(int(m.group(1)), int(m.group(2)))
        raise ValueError(f"unsupported Delta type {t!r}")
    kind = t["type"]
    if kind == "struct":
        return pa.struct([arrow_field(f) for f in t["fields"]])
    if kind == "array":
        return pa.list_(pa.field("element", arrow_type(t["elementType"]), t.get("containsNull", True)))
    if kind == "map":
        return pa.map_(pa.field("key", arrow_type(t["keyType"]), False),
                       pa.field("value", arrow_type(t["valueType"]), t.get("valueContainsNull", True)))
    raise ValueError(f"unsupported Delta type {t!r}")


def arrow_field(f):
    return pa.field(f["name"], arrow_type(f["type"]), f.get("nullable", True))


def arrow_schema(delta_schema):
    return pa.schema([arrow_field(f) for f in delta_schema["fields"]])


def parse_timestamp(text, zoned):
    s = text.strip().replace(" ", "T")
    if s.endswith("Z"):
        s = s[:-1] + "+00:00"
    d = datetime.datetime.fromisoformat(s)
    if zoned:
        if d.tzinfo is None:
            d = d.replace(tzinfo=datetime.timezone.utc)
        return d.astimezone(datetime.timezone.utc)
    return d.replace(tzinfo=None)


def python_value(v, t):
    """The Python value pyarrow builds an array of type `t` from, for ndjson value `v`."""
    if v is None:
        return None
    if pa.types.is_integer(t):
        return int(v)
    if pa.types.is_floating(t):
        return float({"NaN": "nan", "Infinity": "inf", "-Infinity": "-inf"}.get(v, v)) if isinstance(v, str) else float(v)
    if pa.types.is_decimal(t):
        return decimal.Decimal(str(v))
    if pa.types.is_binary(t):
        return base64.b64decode(v)
    if pa.types.is_date32(t):
        return datetime.date.fromisoformat(v)
    if pa.types.is_timestamp(t):
        return parse_timestamp(v, t.tz is not None)
    if pa.types.is_struct(t):
        return {t.field(i).name: python_value(v.get(t.field(i).name), t.field(i).type) for i in range(t.num_fields)}
    if pa.types.is_map(t):
        pairs = v.items() if isinstance(v, dict) else v
        return [(python_value(k, t.key_type), python_value(x, t.item_type)) for k, x in pairs]
    if pa.types.is_list(t):
        return [python_value(x, t.value_type) for x in v]
    return v


def arrow_table(delta_schema, rows):
    schema = arrow_schema(delta_schema)
    columns = []
    for field in schema:
        columns.append(pa.array([python_value(r.get(field.name), field.type) for r in rows], type=field.type))
    return pa.Table.from_arrays(columns, schema=schema)


# --------------------------------------------------------------------------------------------
# Readings
# --------------------------------------------------------------------------------------------

_TS9 = re.compile(r"^(.*\.\d{6})000(Z?)$")


def shorten_timestamps(value, t):
    """Timestamps with 6 fraction digits (the `floe scan --format ndjson` encoding)."""
    if value is None:
        return None
    if pa.types.is_timestamp(t):
        m = _TS9.match(value)
        return m.group(1) + m.group(2) if m else value
    if pa.types.is_struct(t):
        return {t.field(i).name: shorten_timestamps(value.get(t.field(i).name), t.field(i).type) for i in range(t.num_fields)}
    if pa.types.is_map(t):
        return [[shorten_timestamps(k, t.key_type), shorten_timestamps(x, t.item_type)] for k, x in value]
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        return [shorten_timestamps(x, t.value_type) for x in value]
    return value


def canon(value):
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def read_rows(dt, digits, where=None):
    """The rows of `dt` (DataFusion; the pyarrow dataset reader when DataFusion fails), or with
    `where` those DataFusion returns for `select * from t where ...` (files skipped by statistics)."""
    sql = "select * from t" + (f" where {where}" if where else "")
    try:
        table = pa.table(QueryBuilder().register("t", dt).execute(sql).read_all())
        engine = "datafusion"
    except Exception:  # noqa: BLE001 - fall back to the pyarrow dataset reader
        if where:
            raise
        table = dt.to_pyarrow_table()
        engine = "pyarrow"
    columns = [mpf.encode_column(table.column(i)) for i in range(table.num_columns)]
    if digits == 6:
        columns = [[shorten_timestamps(v, table.schema.field(i).type) for v in col] for i, col in enumerate(columns)]
    rows = [list(r) for r in zip(*columns)] if columns else []
    rows.sort(key=canon)
    return engine, table.column_names, rows


def read_rows_pyarrow(dt, digits):
    """The rows through delta-rs's pyarrow dataset path (`to_pyarrow_table`), sorted."""
    table = dt.to_pyarrow_table()
    rows = [list(r) for r in zip(*[mpf.encode_column(table.column(i)) for i in range(table.num_columns)])]
    rows.sort(key=canon)
    return "pyarrow", table.column_names, rows


def reading(root, dt, digits, queries=()):
    rec = {"version": dt.version()}
    engine, names, rows = read_rows(dt, digits)
    rec["engine"] = engine
    rec["columns"] = names
    rec["rows"] = rows
    rec["schema"] = json.loads(dt.schema().to_json())
    rec["partitionColumns"] = list(dt.metadata().partition_columns)
    p = dt.protocol()
    rec["protocol"] = {"minReaderVersion": p.min_reader_version, "minWriterVersion": p.min_writer_version,
                       "readerFeatures": p.reader_features, "writerFeatures": p.writer_features}
    actions = pa.table(dt.get_add_actions(flatten=False))
    n = actions.num_rows

    def column(name):
        return mpf.encode_column(actions.column(name)) if name in actions.column_names else [None] * n

    files = []
    for path, size, records, part, nulls, lo, hi in zip(column("path"), column("size_bytes"), column("num_records"),
                                                       column("partition"), column("null_count"), column("min"),
                                                       column("max")):
        files.append({"path": path, "size": size, "numRecords": records, "partitionValues": part or {},
                      "nullCount": nulls, "minValues": lo, "maxValues": hi})
    files.sort(key=lambda f: f["path"])
    rec["files"] = files
    rec["fileURIs"] = sorted(os.path.relpath(u, root) for u in dt.file_uris())
    for q in queries:
        try:
            engine, names, rows = read_rows(dt, digits, q)
            rec.setdefault("queries", []).append({"where": q, "rows": rows})
        except Exception as e:  # noqa: BLE001 - recorded for the test to judge
            rec.setdefault("queries", []).append({"where": q, "error": error_text(e)})
    return rec


def error_text(e):
    text = str(e).splitlines()[0] if str(e) else ""
    return f"{type(e).__name__}: {text}"


def jsonable(v):
    if isinstance(v, dict):
        return {k: jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [jsonable(x) for x in v]
    if isinstance(v, (str, int, float, bool)) or v is None:
        return v
    return str(v)


EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def between_commits(root, latest):
    """Times to travel to: 1 s before the first commit file's modification time, the midpoint
    between each two consecutive commits' times, and 1 ms after the last (milliseconds; a later
    step of the plan may commit again)."""
    times = []
    for v in range(latest + 1):
        path = os.path.join(root, "_delta_log", "%020d.json" % v)
        if os.path.exists(path):
            times.append(os.stat(path).st_mtime_ns // 1_000_000)
    if not times:
        return []
    return [times[0] - 1000] + [(a + b) // 2 for a, b in zip(times, times[1:])] + [times[-1] + 1]


def dump(root, step, digits):
    latest = DeltaTable(root)
    out = {"ok": True, "latest": latest.version()}
    if step.get("history", True):
        out["history"] = jsonable(latest.history())
    versions = step.get("versions")
    if versions is None:
        versions = list(range(latest.version() + 1))
    elif versions == "latest":
        versions = [latest.version()]
    readings = []
    for v in versions:
        try:
            rec = reading(root, DeltaTable(root, version=v), digits, step.get("queries", []))
            if step.get("duckdb"):
                rec["duckdb"] = duckdb_reading(root, v, digits)
            readings.append(rec)
        except Exception as e:  # noqa: BLE001 - recorded for the test to judge
            readings.append({"version": v, "error": error_text(e)})
    out["versions"] = readings
    stamps = []
    timestamps = step.get("timestamps", [])
    if timestamps == "between":
        timestamps = between_commits(root, latest.version())
    for ms in timestamps:
        try:
            dt = DeltaTable(root)
            dt.load_as_version(EPOCH + datetime.timedelta(milliseconds=ms))
            rec = reading(root, dt, digits)
            rec["timestamp"] = ms
            stamps.append(rec)
        except Exception as e:  # noqa: BLE001
            stamps.append({"timestamp": ms, "error": error_text(e)})
    out["timestamps"] = stamps
    return out


# --------------------------------------------------------------------------------------------
# Steps
# --------------------------------------------------------------------------------------------

def run_step(root, step, digits):
    op = step["op"]
    if op == "write":
        data = arrow_table(step["schema"], step["rows"])
        write_deltalake(root, data, mode=step.get("mode", "append"), partition_by=step.get("partitionBy") or None,
                        schema_mode=step.get("schemaMode"), predicate=step.get("predicate"),
                        configuration=step.get("configuration"))
        return {"ok": True, "version": DeltaTable(root).version()}
    if op == "appends":
        tables = [arrow_table(step["schema"], rows) for rows in step["batches"]]
        open(step["ready"], "w").close()
        deadline = time.time() + 60
        while not os.path.exists(step["go"]):
            if time.time() > deadline:
                return {"ok": False, "error": "no go signal within 60 s"}
            time.sleep(0.002)
        acknowledged, failed = [], []
        rng = random.Random(7)
        for i, t in enumerate(tables):
            if i and step.get("pauseMs"):
                time.sleep(rng.uniform(0, step["pauseMs"]) / 1000)
            try:
                write_deltalake(root, t, mode="append")
                acknowledged.append(i)
            except Exception as e:  # noqa: BLE001 - a failed append is not acknowledged
                failed.append({"index": i, "error": error_text(e)})
        return {"ok": True, "acknowledged": acknowledged, "failed": failed}
    dt = DeltaTable(root)
    if op == "checkpoint":
        dt.create_checkpoint()
        return {"ok": True, "version": dt.version()}
    if op == "compact":
        metrics = dt.optimize.compact()
        return {"ok": True, "version": DeltaTable(root).version(), "metrics": jsonable(metrics)}
    if op == "vacuum":
        deleted = dt.vacuum(retention_hours=step.get("retentionHours", 0), dry_run=False,
                            enforce_retention_duration=False)
        return {"ok": True, "version": DeltaTable(root).version(), "deleted": sorted(deleted)}
    if op == "delete":
        metrics = dt.delete(step.get("predicate"))
        return {"ok": True, "version": DeltaTable(root).version(), "metrics": jsonable(metrics)}
    if op == "pyarrowRead":
        engine, names, rows = read_rows_pyarrow(dt, digits)
        return {"ok": True, "rows": rows}
    if op == "sleep":
        time.sleep(step["ms"] / 1000)
        return {"ok": True}
    if op == "touch":
        for v, ms in step["mtimes"].items():
            os.utime(os.path.join(root, "_delta_log", "%020d.json" % int(v)), ns=(ms * 1_000_000, ms * 1_000_000))
        return {"ok": True}
    if op == "dump":
        return dump(root, step, digits)
    raise ValueError(f"unknown step {op!r}")


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    plan = json.load(open(argv[1]))
    root = plan["table"]
    digits = plan.get("timestampDigits", 9)
    results = []
    for step in plan["steps"]:
        try:
            results.append(run_step(root, step, digits))
        except Exception as e:  # noqa: BLE001 - recorded for the test to judge
            results.append({"ok": False, "error": error_text(e), "trace": traceback.format_exc(limit=3)})
    tmp = argv[2] + ".partial"
    with open(tmp, "w") as f:
        json.dump({"steps": results}, f, ensure_ascii=False)
    os.rename(tmp, argv[2])
    return 0


if __name__ == "__main__":
    status = main(sys.argv)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)  # skip interpreter teardown, where the Rust runtime may abort
