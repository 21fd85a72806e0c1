"""pyarrow side of `floe-bench parquet`: the same data and settings as Floe's, one phase per process.

write FILE ROWS   -> generates the rows, times pq.write_table (zstd level 1), prints one JSON line
read FILE THREADS -> times pq.read_table (use_threads when THREADS > 1), prints one JSON line
"""
import json
import os
import resource
import sys
import time

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

MASK = (1 << 64) - 1


def make_table(rows):
    # SplitMix64 stream, identical to Floe's generator: three draws per row in order.
    i = np.arange(1, 3 * rows + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        z = np.uint64(0x5EED) + i * np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    users = (z[0::3] % np.uint64(100_000)).astype(np.int64)
    revenue = (z[1::3] % np.uint64(1_000_000)).astype(np.float64) / 100
    sessions = (np.uint64(100_000) + z[2::3] % np.uint64(900_000)).astype(np.int64)
    session = pc.binary_join_element_wise("s", pa.array(sessions).cast(pa.string()), "")
    base = 1_767_225_600_000_000
    ids = np.arange(rows, dtype=np.int64)
    schema = pa.schema([
        pa.field("id", pa.int64(), nullable=False),
        pa.field("user_id", pa.int64(), nullable=False),
        pa.field("revenue", pa.float64(), nullable=False),
        pa.field("session", pa.string(), nullable=False),
        pa.field("ts", pa.timestamp("us", tz="UTC"), nullable=False),
    ])
    return pa.table([ids, users, revenue, session, pa.array(base + ids * 1000, pa.timestamp("us", tz="UTC"))], schema=schema)


def peak():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def main():
    mode = sys.argv[1]
    if mode == "write":
        path, rows = sys.argv[2], int(sys.argv[3])
        table = make_table(rows)
        start = time.perf_counter()
        pq.write_table(table, path, compression="zstd", compression_level=1, row_group_size=1_048_576)
        seconds = time.perf_counter() - start
        print(json.dumps({"seconds": seconds, "bytes": os.path.getsize(path), "peakRSS": peak()}))
    elif mode == "read":
        path, threads = sys.argv[2], int(sys.argv[3])
        pa.set_cpu_count(max(1, threads))
        pa.set_io_thread_count(max(1, threads))
        start = time.perf_counter()
        table = pq.read_table(path, use_threads=threads > 1)
        seconds = time.perf_counter() - start
        assert table.num_rows > 0
        print(json.dumps({"seconds": seconds, "bytes": os.path.getsize(path), "peakRSS": peak()}))


if __name__ == "__main__":
    main()
