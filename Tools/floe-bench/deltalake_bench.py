"""deltalake side of `floe-bench table`.

commits PATH PROCESSES N -> N 100-row appends per process (write_deltalake mode=append), concurrently
open PATH VERSION EPOCH_S -> times DeltaTable(PATH), load_as_version(VERSION), load_as_version(datetime)
"""
import datetime
import multiprocessing
import sys
import time

import pyarrow as pa
from deltalake import DeltaTable, write_deltalake


def batch(writer, start):
    ids = list(range(start, start + 100))
    return pa.table({"id": pa.array(ids, pa.int64()), "writer": pa.array([writer] * 100, pa.int32()),
                     "value": pa.array([i * 0.5 for i in range(100)], pa.float64())})


def appender(args):
    path, writer, n = args
    failed = 0
    for c in range(n):
        try:
            write_deltalake(path, batch(writer, c * 100), mode="append")
        except Exception:
            failed += 1
    return failed


def main():
    mode = sys.argv[1]
    if mode == "commits":
        path, processes, n = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
        write_deltalake(path, batch(0, -100), mode="append")
        start = time.perf_counter()
        with multiprocessing.get_context("spawn").Pool(processes) as pool:
            failures = sum(pool.map(appender, [(path, w, n) for w in range(processes)]))
        seconds = time.perf_counter() - start
        total = processes * n
        print(f"{processes} process(es) x {n} commits: {(total - failures) / seconds:.0f} commits/s ({seconds:.2f} s), {failures} failed appends")
    elif mode == "open":
        path, version, epoch = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
        def best(f, k=3):
            b = 1e9
            for _ in range(k):
                s = time.perf_counter(); f(); b = min(b, time.perf_counter() - s)
            return b
        t_open = best(lambda: DeltaTable(path))
        def by_version():
            DeltaTable(path, version=version)
        t_version = best(by_version)
        when = datetime.datetime.fromtimestamp(epoch + 0.5, tz=datetime.timezone.utc)
        def by_time():
            t = DeltaTable(path)
            t.load_as_version(when)
        t_time = best(by_time)
        print(f"open latest {t_open * 1000:.1f} ms, version {version} {t_version * 1000:.1f} ms, timestamp {t_time * 1000:.1f} ms")


if __name__ == "__main__":
    main()
