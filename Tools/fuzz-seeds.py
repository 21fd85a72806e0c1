#!/usr/bin/env python3
"""Small Parquet files written by pyarrow, as extra fuzzing seeds (Tools/fuzz.sh).

Usage: fuzz-seeds.py OUTDIR     writes OUTDIR/pyarrow-NAME.parquet, each a few KiB at most

They exercise what Floe's own writer does not produce: DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY,
DELTA_BYTE_ARRAY and BYTE_STREAM_SPLIT pages, INT96 timestamps, Hadoop-framed LZ4 pages, the page index
and other writers' statistics. Nothing here is committed: the script runs on every fuzz run.
"""

from __future__ import annotations

import datetime
import decimal
import os
import sys

import pyarrow as pa
import pyarrow.parquet as pq


def table(n: int = 30) -> pa.Table:
    return pa.table({
        "i32": pa.array([None if i % 7 == 3 else i * 37 - 500 for i in range(n)], pa.int32()),
        "i64": pa.array([i * 1_000_000_007 for i in range(n)], pa.int64()),
        "f32": pa.array([i / 8 for i in range(n)], pa.float32()),
        "f64": pa.array([None if i % 5 == 0 else i * -2.5e9 for i in range(n)], pa.float64()),
        "s": pa.array([None if i % 6 == 1 else f"val{i // 3}-{'x' * (i % 4)}" for i in range(n)], pa.string()),
        "fixed": pa.array([bytes([i % 256] * 4) for i in range(n)], pa.binary(4)),
        "b": pa.array([i % 3 == 0 for i in range(n)], pa.bool_()),
    })


def nested(n: int = 20) -> pa.Table:
    return pa.table({
        "l": pa.array([None if i % 5 == 0 else list(range(i % 4)) for i in range(n)], pa.list_(pa.int32())),
        "st": pa.array([None if i % 4 == 0 else {"a": f"s{i}", "b": i * 1.5} for i in range(n)],
                       pa.struct([("a", pa.string()), ("b", pa.float64())])),
        "m": pa.array([None if i % 3 == 0 else [(f"k{j}", j) for j in range(i % 3)] for i in range(n)],
                      pa.map_(pa.string(), pa.int64())),
        "d": pa.array([decimal.Decimal(i * 12345) / 100 for i in range(n)], pa.decimal128(9, 2)),
        "ts": pa.array([datetime.datetime(2024, 1, 1) + datetime.timedelta(hours=i) for i in range(n)],
                       pa.timestamp("us", tz="UTC")),
    })


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    small = {"data_page_size": 256, "write_batch_size": 16, "row_group_size": 20}
    t = table()
    delta = {"i32": "DELTA_BINARY_PACKED", "i64": "DELTA_BINARY_PACKED", "s": "DELTA_BYTE_ARRAY",
             "fixed": "DELTA_BYTE_ARRAY", "f32": "BYTE_STREAM_SPLIT", "f64": "BYTE_STREAM_SPLIT", "b": "RLE"}
    files = {
        "delta-v1": (t, dict(use_dictionary=False, column_encoding=delta, compression="NONE", **small)),
        "delta-v2-zstd": (t, dict(use_dictionary=False, column_encoding=delta, compression="ZSTD",
                                  data_page_version="2.0", **small)),
        "dlba": (t.select(["s"]), dict(use_dictionary=False, column_encoding={"s": "DELTA_LENGTH_BYTE_ARRAY"},
                                       compression="NONE", **small)),
        "bss-all": (t.select(["i32", "i64", "f32", "f64", "fixed"]),
                    dict(use_dictionary=False, use_byte_stream_split=True, compression="NONE", **small)),
        "dict-v2-snappy": (t, dict(compression="SNAPPY", data_page_version="2.0", **small)),
        "lz4": (t, dict(compression="LZ4", **small)),
        "gzip-pageindex": (t, dict(compression="GZIP", write_page_index=True, **small)),
        "int96": (t.select(["i32"]).append_column(
            "ts", pa.array([datetime.datetime(2000, 1, 1) + datetime.timedelta(days=i) for i in range(30)],
                           pa.timestamp("ns"))),
                  dict(use_deprecated_int96_timestamps=True, compression="NONE", **small)),
        "nested": (nested(), dict(compression="NONE", **small)),
        "nested-v2": (nested(), dict(compression="ZSTD", data_page_version="2.0", use_dictionary=False, **small)),
    }
    for name, (tbl, options) in files.items():
        pq.write_table(tbl, os.path.join(out, f"pyarrow-{name}.parquet"), **options)
    return 0


if __name__ == "__main__":
    sys.exit(main())
