#!/usr/bin/env python3
"""Parquet interop fixtures for Floe, written (three by arrow-rs through delta-rs) and read by pyarrow.

Usage:
    make_parquet_fixtures.py OUTDIR [--only NAME ...]   write NAME.parquet + NAME.json for each fixture,
                                                       and OUTDIR/manifest.json listing them
    make_parquet_fixtures.py generate OUTDIR [...]      the same
    make_parquet_fixtures.py dump FILE [-o OUT.json]   print (or write) FILE's contents as pyarrow reads
                                                       them, in the same JSON format
    make_parquet_fixtures.py dump-many OUTDIR [FILE ...] [--files-from LIST] [--check]
                                                       dump many files in one process: OUTDIR/<i>.json per
                                                       file and OUTDIR/dumps.json listing them (or the
                                                       error); --check adds "checks" (warnings, statistics)
    make_parquet_fixtures.py list                      print the fixture names and descriptions

Run it with the test virtualenv's python (Tools/setup-python.sh; Tools/test.sh exports FLOE_PYTHON).

JSON document (the full contract, with examples, is in Tests/Interop/README.md):
    {"schema":  [{"name", "type", "nullable", ["field_id"], ["children": [...]]}, ...],
     "parquet": {"num_rows", "num_row_groups", "row_group_rows", "created_by", "columns": [...]},
     "writer":  {pyarrow write_table options}            (generated fixtures only)
     "rows":    [{column: value, ...}, ...]}
Value encoding (exact, independent of the physical storage):
    null                     -> null
    bool                     -> true / false
    integers (all widths)    -> JSON numbers; a string of decimal digits when |v| > 2**53
    float16/32/64            -> JSON numbers (shortest repr of the value widened to float64; parse as
                                Double, then narrow); NaN, +inf, -inf -> "NaN", "Infinity", "-Infinity"
    decimal(p, s)            -> string with exactly s fraction digits: "12.30", "-0.05", "7" (s = 0)
    string / large_string    -> string
    binary / large_binary / fixed_size_binary -> base64 (standard alphabet, padded)
    date32 / date64          -> "YYYY-MM-DD" (proleptic Gregorian)
    timestamp (any unit)     -> "YYYY-MM-DDTHH:MM:SS.fffffffff", ALWAYS 9 fraction digits whatever the
                                unit (so s/ms/us/ns and INT96 storage compare alike), suffixed "Z" when
                                the type has a time zone (the value is then the UTC instant)
    time32 / time64          -> "HH:MM:SS.fffffffff" (9 fraction digits)
    Years outside 0000...9999 are written ISO-8601-expanded: sign and 6 digits ("+010000", "-000001").
    struct                   -> object {field: value} in field order
    list / large_list / fixed_size_list -> array
    map                      -> array of [key, value] pairs, in stored order
    dictionary               -> the decoded value
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import decimal
import json
import math
import os
import random
import sys
import tempfile
import traceback
import warnings
from typing import Any, Callable, Iterator

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

MAX_EXACT_INT = 2**53

# --------------------------------------------------------------------------------------------
# Value encoding
# --------------------------------------------------------------------------------------------

_UNIT_NANOS = {"s": 10**9, "ms": 10**6, "us": 10**3, "ns": 1}
_NANOS_PER_DAY = 86_400 * 10**9


def _int(v: int) -> Any:
    return v if -MAX_EXACT_INT <= v <= MAX_EXACT_INT else str(v)


def _float(v: float) -> Any:
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return v


def _decimal(v: decimal.Decimal, scale: int) -> str:
    if scale <= 0:
        return format(v.to_integral_value(), "f")
    quantum = decimal.Decimal(1).scaleb(-scale)
    with decimal.localcontext() as ctx:
        ctx.prec = 100
        return format(v.quantize(quantum), "f")


def _civil_from_days(days: int) -> tuple[int, int, int]:
    """(year, month, day) of the proleptic Gregorian date `days` after 1970-01-01."""
    z = days + 719_468
    era = z // 146_097
    doe = z - era * 146_097
    yoe = (doe - doe // 1460 + doe // 36_524 - doe // 146_096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = mp + 3 if mp < 10 else mp - 9
    year = yoe + era * 400 + (1 if month <= 2 else 0)
    return year, month, day


def _date(days: int) -> str:
    year, month, day = _civil_from_days(days)
    year_text = f"{year:04d}" if 0 <= year <= 9999 else f"{'+' if year > 0 else '-'}{abs(year):06d}"
    return f"{year_text}-{month:02d}-{day:02d}"


def _time_of_day(nanos: int) -> str:
    seconds, fraction = divmod(nanos, 10**9)
    minutes, second = divmod(seconds, 60)
    hour, minute = divmod(minutes, 60)
    return f"{hour:02d}:{minute:02d}:{second:02d}.{fraction:09d}"


def _timestamp(ticks: int, unit: str, has_tz: bool) -> str:
    days, nanos = divmod(ticks * _UNIT_NANOS[unit], _NANOS_PER_DAY)
    return f"{_date(days)}T{_time_of_day(nanos)}" + ("Z" if has_tz else "")


def encode_array(arr: pa.Array) -> list:
    """The JSON values of every slot of `arr` (one Python value per slot)."""
    t = arr.type
    if isinstance(arr, pa.ExtensionArray):
        return encode_array(arr.storage)
    if pa.types.is_dictionary(t):
        return encode_array(arr.dictionary_decode())
    valid = arr.is_valid().to_pylist() if arr.null_count else [True] * len(arr)

    def masked(values: list) -> list:
        return [v if ok else None for v, ok in zip(values, valid)]

    if pa.types.is_null(t):
        return [None] * len(arr)
    if pa.types.is_boolean(t):
        return arr.to_pylist()
    if pa.types.is_integer(t):
        return [None if v is None else _int(v) for v in arr.to_pylist()]
    if pa.types.is_floating(t):
        return [None if v is None else _float(float(v)) for v in arr.to_pylist()]
    if pa.types.is_decimal(t):
        return [None if v is None else _decimal(v, t.scale) for v in arr.to_pylist()]
    if pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t):
        return arr.to_pylist()
    if (pa.types.is_binary(t) or pa.types.is_large_binary(t) or pa.types.is_fixed_size_binary(t)
            or pa.types.is_binary_view(t)):
        return [None if v is None else base64.b64encode(v).decode("ascii") for v in arr.to_pylist()]
    if pa.types.is_date32(t):
        return [None if v is None else _date(v) for v in arr.cast(pa.int32()).to_pylist()]
    if pa.types.is_date64(t):
        return [None if v is None else _date(v // 86_400_000) for v in arr.cast(pa.int64()).to_pylist()]
    if pa.types.is_timestamp(t):
        has_tz = t.tz is not None
        return [None if v is None else _timestamp(v, t.unit, has_tz) for v in arr.cast(pa.int64()).to_pylist()]
    if pa.types.is_time32(t) or pa.types.is_time64(t):
        storage = pa.int32() if pa.types.is_time32(t) else pa.int64()
        return [None if v is None else _time_of_day(v * _UNIT_NANOS[t.unit]) for v in arr.cast(storage).to_pylist()]
    if pa.types.is_struct(t):
        # flatten() applies the array's offset (and the struct's nulls) to the children.
        children = [encode_array(child) for child in arr.flatten()]
        names = [t.field(i).name for i in range(t.num_fields)]
        return masked([dict(zip(names, values)) for values in zip(*children)] if children
                      else [{} for _ in range(len(arr))])
    if pa.types.is_map(t):
        offsets = arr.offsets.to_pylist()
        entries = arr.values  # unsliced struct<key, value>; offsets index into it
        keys = encode_array(entries.field(0))
        items = encode_array(entries.field(1))
        return masked([[[keys[j], items[j]] for j in range(offsets[i], offsets[i + 1])]
                       for i in range(len(arr))])
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        offsets = arr.offsets.to_pylist()
        values = encode_array(arr.values)  # unsliced; offsets index into it
        return masked([values[offsets[i]:offsets[i + 1]] for i in range(len(arr))])
    if pa.types.is_fixed_size_list(t):
        size = t.list_size
        values = encode_array(arr.values)
        base = arr.offset * size
        return masked([values[base + i * size: base + (i + 1) * size] for i in range(len(arr))])
    raise TypeError(f"no JSON encoding for arrow type {t}")


def encode_column(column: pa.ChunkedArray) -> list:
    out: list = []
    for chunk in column.chunks:
        out.extend(encode_array(chunk))
    return out


def encode_field(field: pa.Field) -> dict:
    entry: dict[str, Any] = {"name": field.name, "type": str(field.type), "nullable": field.nullable}
    if field.metadata and b"PARQUET:field_id" in field.metadata:
        entry["field_id"] = int(field.metadata[b"PARQUET:field_id"])
    t = field.type
    children: list[pa.Field] = []
    if pa.types.is_struct(t):
        children = [t.field(i) for i in range(t.num_fields)]
    elif pa.types.is_map(t):
        children = [t.key_field, t.item_field]
    elif pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_fixed_size_list(t):
        children = [t.value_field]
    if children:
        entry["children"] = [encode_field(child) for child in children]
    return entry


def encode_rows(table: pa.Table) -> list[dict]:
    names = table.column_names
    columns = [encode_column(table.column(i)) for i in range(table.num_columns)]
    return [dict(zip(names, values)) for values in zip(*columns)] if columns else []


def describe_parquet(path: str) -> dict:
    """Facts from the Parquet footer, so tests can check that a fixture exercises what it claims."""
    metadata = pq.ParquetFile(path).metadata
    schema = metadata.schema
    columns = []
    for i in range(metadata.num_columns):
        leaf = schema.column(i)
        encodings: set[str] = set()
        compressions: set[str] = set()
        for g in range(metadata.num_row_groups):
            chunk = metadata.row_group(g).column(i)
            encodings.update(chunk.encodings)
            compressions.add(chunk.compression)
        columns.append({
            "path": leaf.path,
            "physical_type": leaf.physical_type,
            "logical_type": str(leaf.logical_type),
            "converted_type": str(leaf.converted_type),
            "max_definition_level": leaf.max_definition_level,
            "max_repetition_level": leaf.max_repetition_level,
            "compression": sorted(compressions),
            "encodings": sorted(encodings),
        })
    return {
        "num_rows": metadata.num_rows,
        "num_row_groups": metadata.num_row_groups,
        "row_group_rows": [metadata.row_group(g).num_rows for g in range(metadata.num_row_groups)],
        "created_by": metadata.created_by,
        "columns": columns,
    }


def document(path: str, writer: dict | None = None) -> tuple[dict, pa.Table]:
    """The JSON document for the Parquet file at `path`, and the table pyarrow read."""
    table = pq.read_table(path)
    doc: dict[str, Any] = {"schema": [encode_field(f) for f in table.schema], "parquet": describe_parquet(path)}
    if writer is not None:
        doc["writer"] = writer
    doc["rows"] = encode_rows(table)
    return doc, table


def write_json(doc: dict, out) -> None:
    """Writes `doc` with one row per line (readable diffs, no NaN literals)."""
    head = {k: v for k, v in doc.items() if k != "rows"}
    text = json.dumps(head, ensure_ascii=False, allow_nan=False)
    out.write(text[:-1] + (', "rows": [' if head else '{"rows": ['))
    rows = doc.get("rows", [])
    for i, row in enumerate(rows):
        out.write("\n " + json.dumps(row, ensure_ascii=False, allow_nan=False) + ("," if i + 1 < len(rows) else ""))
    out.write("\n]}\n")


# --------------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------------

def with_nulls(rng: random.Random, values: list, rate: float = 0.1, keep: int = 0) -> list:
    """`values` with about `rate` of them replaced by None; the first `keep` stay; slot `keep` is
    always None (every column has a null) when there is one."""
    out = [v if i < keep or rng.random() >= rate else None for i, v in enumerate(values)]
    if len(out) > keep:
        out[keep] = None
    return out


def fill(rng: random.Random, n: int, specials: list, make: Callable[[], Any]) -> list:
    values = list(specials[:n])
    values.extend(make() for _ in range(n - len(values)))
    return values


def int_column(rng: random.Random, n: int, bits: int, signed: bool) -> list:
    lo, hi = (-(2 ** (bits - 1)), 2 ** (bits - 1) - 1) if signed else (0, 2**bits - 1)
    specials = [lo, hi, 0, 1, hi - 1] + ([-1, lo + 1] if signed else [])
    small = min(hi, 1000)
    return fill(rng, n, specials, lambda: rng.randint(lo, hi) if rng.random() < 0.5 else rng.randint(max(lo, -small), small))


FLOAT_SPECIALS = [float("nan"), float("inf"), float("-inf"), -0.0, 0.0, 1.0, -1.5]


def float_column(rng: random.Random, n: int, kind: str) -> list:
    extra = {"f16": [65504.0, 6.103515625e-05, 5.960464477539063e-08],
             "f32": [3.4028234663852886e38, 1.1754943508222875e-38, 1.401298464324817e-45, 0.1],
             "f64": [1.7976931348623157e308, 2.2250738585072014e-308, 5e-324, 0.1]}[kind]
    if kind == "f16":
        make = lambda: float(rng.randint(-2048, 2048)) / 8  # exactly representable in float16
    elif kind == "f32":
        make = lambda: float(pa.scalar(rng.uniform(-1e6, 1e6), pa.float32()).as_py())
    else:
        make = lambda: rng.uniform(-1e12, 1e12)
    return fill(rng, n, FLOAT_SPECIALS + extra, make)


def decimal_column(rng: random.Random, n: int, precision: int, scale: int) -> list:
    top = 10**precision - 1
    specials = [top, -top, 0, 1, -1]
    small = min(top, 999)
    values = fill(rng, n, specials, lambda: rng.randint(-top, top) if rng.random() < 0.5 else rng.randint(-small, small))
    context = decimal.Context(prec=100)
    return [decimal.Decimal(v).scaleb(-scale, context) for v in values]


DAY_MIN, DAY_MAX = -719_162, 2_932_896  # 0001-01-01, 9999-12-31


def date_column(rng: random.Random, n: int) -> list:
    return fill(rng, n, [0, -1, DAY_MIN, DAY_MAX, 19_000, 11_016], lambda: rng.randint(DAY_MIN, DAY_MAX))


def timestamp_ticks(rng: random.Random, n: int, unit: str) -> list:
    per_second = 10**9 // _UNIT_NANOS[unit]
    if unit == "ns":  # int64 nanoseconds span 1677...2262
        lo, hi = -(2**63) + 1, 2**63 - 1
        specials = [0, -1, 1, lo, hi, 1_700_000_000_123_456_789]
    else:
        lo, hi = -62_135_596_800 * per_second, (253_402_300_800 * per_second) - 1  # years 1...9999
        specials = [0, -1, 1, lo, hi, 1_700_000_000 * per_second + per_second // 3]
    return fill(rng, n, specials, lambda: rng.randint(lo, hi) if rng.random() < 0.3
                else rng.randint(0, 2_000_000_000) * per_second + rng.randint(0, per_second - 1))


def int96_ticks(rng: random.Random, n: int, unit: str) -> list:
    """Ticks whose nanosecond value fits int64 (INT96 timestamps are read back as nanoseconds)."""
    per_second = 10**9 // _UNIT_NANOS[unit]
    lo, hi = -9_223_372_036 * per_second, 9_223_372_035 * per_second
    return fill(rng, n, [0, -1, 1, lo, hi], lambda: rng.randint(lo, hi))


WORDS = ["alpha", "beta", "gamma", "delta", "lake", "floe", "parquet", "ice", "", "ünïcödé", "日本語", "🧊🐻‍❄️"]
UNICODE_SPECIALS = ["", "a", "héllo wörld", "日本語テキスト", "emoji 🧊🐻‍❄️👩‍👩‍👧", "nul\x00inside", "e\u0301 combining",
                    "\uffff\U0010ffff", "tab\tnew\nline", "quote\" backslash\\"]


def string_column(rng: random.Random, n: int, specials: list | None = None) -> list:
    return fill(rng, n, UNICODE_SPECIALS if specials is None else specials,
                lambda: " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 6))))


def binary_column(rng: random.Random, n: int) -> list:
    return fill(rng, n, [b"", bytes(range(256)), b"\x00", b"\xff" * 3],
                lambda: bytes(rng.randint(0, 255) for _ in range(rng.randint(0, 20))))


def fixed_binary_column(rng: random.Random, n: int, width: int) -> list:
    return fill(rng, n, [b"\x00" * width, b"\xff" * width], lambda: bytes(rng.randint(0, 255) for _ in range(width)))


def supports_float16_parquet() -> bool:
    try:
        import io
        sink = io.BytesIO()
        pq.write_table(pa.table({"h": pa.array([1.0], pa.float16())}), sink)
        sink.seek(0)
        return pa.types.is_float16(pq.read_table(sink).schema.field("h").type)
    except (pa.ArrowException, NotImplementedError, TypeError, ValueError):
        return False


FLOAT16 = supports_float16_parquet()


def primitive_table(rng: random.Random, n: int, null_rate: float = 0.1) -> pa.Table:
    """Every primitive type Floe maps, with specials in the first rows and nulls in every column."""
    cols: dict[str, pa.Array] = {}

    def add(name: str, values: list, type_: pa.DataType, keep: int = 8) -> None:
        cols[name] = pa.array(with_nulls(rng, values, null_rate, keep=min(keep, n - 1) if n else 0), type_)

    add("bool", fill(rng, n, [True, False], lambda: rng.random() < 0.5), pa.bool_(), keep=2)
    for bits in (8, 16, 32, 64):
        add(f"int{bits}", int_column(rng, n, bits, True), getattr(pa, f"int{bits}")())
        add(f"uint{bits}", int_column(rng, n, bits, False), getattr(pa, f"uint{bits}")())
    if FLOAT16:
        import numpy as np
        add("float16", [np.float16(v) for v in float_column(rng, n, "f16")], pa.float16(), keep=10)
    add("float32", float_column(rng, n, "f32"), pa.float32(), keep=11)
    add("float64", float_column(rng, n, "f64"), pa.float64(), keep=11)
    add("decimal_5_2", decimal_column(rng, n, 5, 2), pa.decimal128(5, 2))
    add("decimal_12_3", decimal_column(rng, n, 12, 3), pa.decimal128(12, 3))
    add("decimal_30_10", decimal_column(rng, n, 30, 10), pa.decimal128(30, 10))
    add("date32", date_column(rng, n), pa.int32())
    cols["date32"] = cols["date32"].cast(pa.date32())
    add("timestamp_ms_utc", timestamp_ticks(rng, n, "ms"), pa.int64())
    cols["timestamp_ms_utc"] = cols["timestamp_ms_utc"].cast(pa.timestamp("ms", tz="UTC"))
    add("timestamp_us", timestamp_ticks(rng, n, "us"), pa.int64())
    cols["timestamp_us"] = cols["timestamp_us"].cast(pa.timestamp("us"))
    add("string", string_column(rng, n), pa.string(), keep=10)
    add("large_string", string_column(rng, n), pa.large_string(), keep=10)
    add("binary", binary_column(rng, n), pa.binary(), keep=4)
    add("fixed_binary_4", fixed_binary_column(rng, n, 4), pa.binary(4), keep=2)
    return pa.table(cols)


def temporal_table(rng: random.Random, n: int) -> pa.Table:
    cols: dict[str, pa.Array] = {}
    cols["date32"] = pa.array(with_nulls(rng, date_column(rng, n), keep=6), pa.int32()).cast(pa.date32())
    for unit in ("s", "ms", "us", "ns"):
        for tz in (None, "UTC", "America/New_York"):
            name = f"timestamp_{unit}" + ("" if tz is None else "_" + tz.split("/")[-1].lower())
            ticks = pa.array(with_nulls(rng, timestamp_ticks(rng, n, unit), keep=6), pa.int64())
            cols[name] = ticks.cast(pa.timestamp(unit, tz=tz))
    cols["time32_ms"] = pa.array(with_nulls(rng, fill(rng, n, [0, 86_399_999], lambda: rng.randint(0, 86_399_999)), keep=2),
                                 pa.int32()).cast(pa.time32("ms"))
    cols["time64_us"] = pa.array(with_nulls(rng, fill(rng, n, [0, 86_399_999_999], lambda: rng.randint(0, 86_399_999_999)), keep=2),
                                 pa.int64()).cast(pa.time64("us"))
    cols["time64_ns"] = pa.array(with_nulls(rng, fill(rng, n, [0, 86_399_999_999_999], lambda: rng.randint(0, 86_399_999_999_999)), keep=2),
                                 pa.int64()).cast(pa.time64("ns"))
    return pa.table(cols)


def int96_table(rng: random.Random, n: int) -> pa.Table:
    # INT96 has no time zone: pyarrow reads every INT96 column back as naive timestamp[ns], so
    # the source columns are naive too (a zone would only change the stored Arrow schema).
    cols = {}
    for unit in ("ms", "us", "ns"):
        ticks = pa.array(with_nulls(rng, int96_ticks(rng, n, unit), keep=5), pa.int64())
        cols[f"int96_from_{unit}"] = ticks.cast(pa.timestamp(unit))
    return pa.table(cols)


def decimal_table(rng: random.Random, n: int, wide: bool) -> pa.Table:
    cols = {}
    specs = [(1, 0), (5, 2), (9, 9), (10, 0), (12, 3), (18, 6), (19, 2), (30, 10), (38, 38), (38, 0)]
    for precision, scale in specs:
        cols[f"decimal_{precision}_{scale}"] = pa.array(
            with_nulls(rng, decimal_column(rng, n, precision, scale), keep=5), pa.decimal128(precision, scale))
    if wide:
        for precision, scale in [(40, 10), (76, 20)]:
            cols[f"decimal256_{precision}_{scale}"] = pa.array(
                with_nulls(rng, decimal_column(rng, n, precision, scale), keep=5), pa.decimal256(precision, scale))
    return pa.table(cols)


def string_table(rng: random.Random, n: int, big: bool = False) -> pa.Table:
    """String and binary columns; with `big`, row 11 of "string" is a 1 MiB string."""
    strings = with_nulls(rng, string_column(rng, n), keep=10)
    if big:
        strings[11] = "".join(rng.choice("abcdefghij é日") for _ in range(1 << 20))
    return pa.table({
        "string": pa.array(strings, pa.string()),
        "large_string": pa.array(with_nulls(rng, string_column(rng, n), keep=10), pa.large_string()),
        "binary": pa.array(with_nulls(rng, binary_column(rng, n), keep=4), pa.binary()),
        "large_binary": pa.array(with_nulls(rng, binary_column(rng, n), keep=4), pa.large_binary()),
        "fixed_binary_1": pa.array(with_nulls(rng, fixed_binary_column(rng, n, 1), keep=2), pa.binary(1)),
        "fixed_binary_16": pa.array(with_nulls(rng, fixed_binary_column(rng, n, 16), keep=2), pa.binary(16)),
        "prefixes": pa.array(with_nulls(rng, fill(rng, n, [], lambda: "shared/prefix/" + "/".join(
            rng.choice(WORDS) for _ in range(rng.randint(0, 4))))), pa.string()),
    })


def maybe(rng: random.Random, rate: float, make: Callable[[], Any]) -> Any:
    return None if rng.random() < rate else make()


def nested_table(rng: random.Random, n: int) -> pa.Table:
    """Nested types with nulls (and empties) at every level; rows 0..k hold the edge cases."""
    def small_list(make: Callable[[], Any], most: int = 4) -> list:
        return [make() for _ in range(rng.randint(0, most))]

    def s() -> Any:
        return maybe(rng, 0.2, lambda: rng.choice(WORDS))

    def i32() -> Any:
        return maybe(rng, 0.2, lambda: rng.randint(-1000, 1000))

    struct_t = pa.struct([("a", pa.int32()), ("b", pa.string())])
    point_t = pa.struct([("x", pa.int64()), ("y", pa.string())])
    map_t = pa.map_(pa.string(), pa.int32())
    struct_lm_t = pa.struct([("l", pa.list_(pa.int32())), ("m", map_t), ("n", pa.int32())])
    deep_list_t = pa.list_(pa.list_(pa.list_(pa.list_(pa.int32()))))
    deep_struct_t = pa.struct([("s1", pa.struct([("s2", pa.struct([("v", pa.int32()), ("w", pa.string())]))]))])
    map_nested_t = pa.map_(pa.string(), pa.list_(pa.struct([("k", pa.int32()), ("v", pa.list_(pa.string()))])))

    def keys() -> list:
        return rng.sample(WORDS[:8], rng.randint(0, 4))

    columns: dict[str, tuple[list, Callable[[], Any], pa.DataType]] = {
        "struct": ([None, {"a": None, "b": None}, {"a": 1, "b": "x"}],
                   lambda: maybe(rng, 0.2, lambda: {"a": i32(), "b": s()}), struct_t),
        "list_int": ([None, [], [None], [1, 2, 3], [None, None]],
                     lambda: maybe(rng, 0.2, lambda: small_list(i32)), pa.list_(pa.int32())),
        "list_struct": ([None, [], [None], [{"x": None, "y": None}], [{"x": 1, "y": "a"}, None]],
                        lambda: maybe(rng, 0.2, lambda: small_list(lambda: maybe(rng, 0.2, lambda: {
                            "x": maybe(rng, 0.2, lambda: rng.randint(-2**63, 2**63 - 1)), "y": s()}))),
                        pa.list_(point_t)),
        "list_list_string": ([None, [], [None], [[]], [["a", None], None, []], [[None]]],
                             lambda: maybe(rng, 0.2, lambda: small_list(lambda: maybe(rng, 0.2, lambda: small_list(s)))),
                             pa.list_(pa.list_(pa.string()))),
        "map": ([None, [], [("a", None)], [("a", 1), ("b", 2)]],
                lambda: maybe(rng, 0.2, lambda: [(k, i32()) for k in keys()]), map_t),
        "struct_list_map": ([None, {"l": None, "m": None, "n": None}, {"l": [], "m": [], "n": 0},
                             {"l": [None, 1], "m": [("k", None)], "n": None}],
                            lambda: maybe(rng, 0.2, lambda: {
                                "l": maybe(rng, 0.2, lambda: small_list(i32)),
                                "m": maybe(rng, 0.2, lambda: [(k, i32()) for k in keys()]),
                                "n": i32()}), struct_lm_t),
        "deep_list": ([None, [], [None], [[None]], [[[None]]], [[[[None]]]], [[[[]]]], [[[[1, 2], []], None]]],
                      lambda: maybe(rng, 0.1, lambda: small_list(lambda: maybe(rng, 0.1, lambda: small_list(
                          lambda: maybe(rng, 0.1, lambda: small_list(lambda: maybe(rng, 0.1, lambda: small_list(i32, 3)), 3)), 3)), 3)),
                      deep_list_t),
        "deep_struct": ([None, {"s1": None}, {"s1": {"s2": None}}, {"s1": {"s2": {"v": None, "w": None}}},
                         {"s1": {"s2": {"v": 7, "w": "seven"}}}],
                        lambda: maybe(rng, 0.1, lambda: {"s1": maybe(rng, 0.1, lambda: {
                            "s2": maybe(rng, 0.1, lambda: {"v": i32(), "w": s()})})}), deep_struct_t),
        "map_nested": ([None, [], [("a", None)], [("a", [])], [("a", [None])], [("a", [{"k": None, "v": None}])],
                        [("a", [{"k": 1, "v": []}]), ("b", [{"k": 2, "v": [None, "z"]}])]],
                       lambda: maybe(rng, 0.2, lambda: [(k, maybe(rng, 0.2, lambda: small_list(lambda: maybe(rng, 0.2, lambda: {
                           "k": i32(), "v": maybe(rng, 0.2, lambda: small_list(s))})))) for k in keys()]), map_nested_t),
        "large_list": ([None, [], [None], [2**62, -2**62]],
                       lambda: maybe(rng, 0.2, lambda: small_list(lambda: maybe(rng, 0.2, lambda: rng.randint(-2**63, 2**63 - 1)))),
                       pa.large_list(pa.int64())),
        "fixed_size_list": ([None, [None, None, None], [1, 2, 3]],
                            lambda: maybe(rng, 0.2, lambda: [i32() for _ in range(3)]), pa.list_(pa.int32(), 3)),
    }
    arrays = {}
    for name, (edges, make, type_) in columns.items():
        arrays[name] = pa.array(fill(rng, n, edges, make), type_)
    return pa.table(arrays)


def nested_required_table(rng: random.Random, n: int) -> pa.Table:
    """Nested columns with REQUIRED levels: non-nullable structs, lists, list elements, map values
    and struct fields, mixed with nullable ones (definition levels that skip required nodes)."""
    i32 = pa.int32()

    def req(name: str, type_: pa.DataType) -> pa.Field:
        return pa.field(name, type_, nullable=False)

    def opt(name: str, type_: pa.DataType) -> pa.Field:
        return pa.field(name, type_)

    point_t = pa.struct([req("x", i32), opt("y", pa.list_(req("element", pa.string())))])
    columns: dict[str, tuple[list, Callable[[], Any], pa.Field]] = {
        "struct": ([{"a": 0, "b": None}, {"a": -1, "b": "x"}],
                   lambda: {"a": rng.randint(-9, 9), "b": maybe(rng, 0.3, lambda: rng.choice(WORDS))},
                   req("struct", pa.struct([req("a", i32), opt("b", pa.string())]))),
        "list_required": ([[], [1], [1, 2, 3]], lambda: [rng.randint(0, 9) for _ in range(rng.randint(0, 3))],
                          req("list_required", pa.list_(req("element", i32)))),
        "list_of_required": ([None, [], [7]], lambda: maybe(rng, 0.2, lambda: [rng.randint(0, 9) for _ in range(rng.randint(0, 3))]),
                             opt("list_of_required", pa.list_(req("element", i32)))),
        "required_list_of_optional": ([[], [None], [None, 1]],
                                      lambda: [maybe(rng, 0.3, lambda: rng.randint(0, 9)) for _ in range(rng.randint(0, 3))],
                                      req("required_list_of_optional", pa.list_(opt("element", i32)))),
        "map_required_values": ([None, [], [("a", 1)], [("a", 1), ("b", 2)]],
                                lambda: maybe(rng, 0.2, lambda: [(k, rng.randint(0, 9)) for k in rng.sample(WORDS[:6], rng.randint(0, 3))]),
                                opt("map_required_values", pa.map_(req("key", pa.string()), req("value", i32)))),
        "list_struct": ([None, [], [{"x": 1, "y": None}], [{"x": 2, "y": []}], [{"x": 3, "y": ["a", ""]}]],
                        lambda: maybe(rng, 0.2, lambda: [{"x": rng.randint(0, 9), "y": maybe(rng, 0.3, lambda: [
                            rng.choice(WORDS) for _ in range(rng.randint(0, 2))])} for _ in range(rng.randint(0, 3))]),
                        opt("list_struct", pa.list_(req("element", point_t)))),
        "struct_struct": ([None, {"inner": {"v": 1}}],
                          lambda: maybe(rng, 0.3, lambda: {"inner": {"v": rng.randint(0, 9)}}),
                          opt("struct_struct", pa.struct([req("inner", pa.struct([req("v", i32)]))]))),
    }
    fields, arrays = [], []
    for name, (edges, make, field) in columns.items():
        fields.append(field)
        arrays.append(pa.array(fill(rng, n, edges, make), field.type))
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


def arrow_rs_table(rng: random.Random, n: int) -> pa.Table:
    """Primitive, temporal and string columns of types a Delta table can hold (no unsigned, float16,
    time, fixed-size binary, nanoseconds or non-UTC zones)."""
    table = primitive_table(rng, n)
    columns = {c: table.column(c) for c in table.column_names
               if c in ("bool", "int8", "int16", "int32", "int64", "float32", "float64", "decimal_5_2", "decimal_12_3",
                        "decimal_30_10", "date32", "timestamp_ms_utc", "timestamp_us", "string", "binary")}
    temporal = temporal_table(rng, n)
    for c in ("timestamp_s", "timestamp_s_utc", "timestamp_ms", "timestamp_us_utc"):
        columns["t_" + c] = temporal.column(c)
    columns["prefixes"] = string_table(rng, n).column("prefixes")
    return pa.table(columns)


def arrow_rs_nested_table(rng: random.Random, n: int) -> pa.Table:
    table = nested_table(rng, n)
    return table.drop_columns(["large_list", "fixed_size_list"])


def dictionary_arrow_table(rng: random.Random, n: int) -> pa.Table:
    """Arrow dictionary-typed columns (pyarrow stores the Arrow schema and reads them back as
    dictionaries; Floe reads the plain value type)."""
    return pa.table({
        "dict_string": pa.array(with_nulls(rng, [rng.choice(WORDS) for _ in range(n)]), pa.string()).dictionary_encode(),
        "dict_int64": pa.array(with_nulls(rng, [rng.randint(-3, 3) for _ in range(n)]), pa.int64()).dictionary_encode(),
        "plain": pa.array(range(n), pa.int32()),
    })


def field_id_table(rng: random.Random, n: int) -> pa.Table:
    def fid(i: int) -> dict:
        return {"PARQUET:field_id": str(i)}
    schema = pa.schema([
        pa.field("id", pa.int64(), nullable=False, metadata=fid(1)),
        pa.field("name", pa.string(), metadata=fid(2)),
        pa.field("point", pa.struct([pa.field("x", pa.float64(), metadata=fid(4)),
                                     pa.field("y", pa.float64(), metadata=fid(5))]), metadata=fid(3)),
        pa.field("tags", pa.list_(pa.field("element", pa.string(), metadata=fid(7))), metadata=fid(6)),
        pa.field("attributes", pa.map_(pa.field("key", pa.string(), nullable=False, metadata=fid(9)),
                                       pa.field("value", pa.int32(), metadata=fid(10))), metadata=fid(8)),
        pa.field("no_id", pa.int32()),
    ])
    data = {
        "id": list(range(n)),
        "name": with_nulls(rng, string_column(rng, n), keep=3),
        "point": [maybe(rng, 0.2, lambda: {"x": rng.uniform(-1, 1), "y": maybe(rng, 0.2, lambda: rng.uniform(-1, 1))})
                  for _ in range(n)],
        "tags": [maybe(rng, 0.2, lambda: [maybe(rng, 0.2, lambda: rng.choice(WORDS)) for _ in range(rng.randint(0, 3))])
                 for _ in range(n)],
        "attributes": [maybe(rng, 0.2, lambda: [(k, rng.randint(0, 9)) for k in rng.sample(WORDS[:6], rng.randint(0, 3))])
                       for _ in range(n)],
        "no_id": with_nulls(rng, [rng.randint(0, 100) for _ in range(n)]),
    }
    return pa.table(data, schema=schema)


def codec_table(rng: random.Random, n: int) -> pa.Table:
    return pa.table({
        "id": pa.array(range(n), pa.int64()),
        "value": pa.array(with_nulls(rng, [rng.gauss(0, 1e3) for _ in range(n)]), pa.float64()),
        "word": pa.array(with_nulls(rng, [rng.choice(WORDS) for _ in range(n)]), pa.string()),
        "text": pa.array(with_nulls(rng, string_column(rng, n)), pa.string()),
        "small": pa.array(with_nulls(rng, [rng.randint(0, 10) for _ in range(n)]), pa.int32()),
    })


def all_types_table(rng: random.Random, n: int) -> pa.Table:
    """Primitive, temporal and nested columns together (for all-null and empty fixtures)."""
    columns = {}
    for table in (primitive_table(rng, max(n, 12)), temporal_table(rng, max(n, 8)), nested_table(rng, max(n, 8)),
                  int96_table(rng, max(n, 6))):
        for name in table.column_names:
            if name not in columns:
                columns[name] = table.column(name).slice(0, n)
    return pa.table(columns)


def all_null(table: pa.Table) -> pa.Table:
    return pa.table({name: pa.nulls(table.num_rows, table.column(name).type) for name in table.column_names})


# --------------------------------------------------------------------------------------------
# Fixtures
# --------------------------------------------------------------------------------------------

# Defaults that give every fixture several data pages per column chunk and several row groups.
SMALL_PAGES = {"data_page_size": 1024, "write_batch_size": 64, "max_rows_per_page": 100}


class Fixture:
    """`options` go to pyarrow's write_table, or with `engine="deltalake"` to delta-rs's
    WriterProperties (the file is then written by arrow-rs, the Rust Parquet writer)."""

    def __init__(self, name: str, description: str, make: Callable[[random.Random], pa.Table], engine: str = "pyarrow",
                 **options: Any):
        self.name, self.description, self.make, self.engine, self.options = name, description, make, engine, options


def write_with_deltalake(table: pa.Table, path: str, options: dict) -> None:
    """Writes `table` as a one-file Delta table with delta-rs (arrow-rs) and moves its data file to `path`."""
    import glob
    import shutil
    from deltalake import ColumnProperties, WriterProperties, write_deltalake
    options = dict(options)
    column = options.pop("default_column_properties", None)
    properties = WriterProperties(**options, default_column_properties=ColumnProperties(**column) if column else None)
    with tempfile.TemporaryDirectory() as tmp:
        write_deltalake(tmp, table, writer_properties=properties)
        parts = [f for f in glob.glob(os.path.join(tmp, "**", "*.parquet"), recursive=True) if "_delta_log" not in f]
        if len(parts) != 1:
            raise AssertionError(f"delta-rs wrote {len(parts)} data files, expected 1")
        shutil.move(parts[0], path)


def fixtures() -> list[Fixture]:
    out: list[Fixture] = []

    def add(name: str, description: str, make: Callable[[random.Random], pa.Table], **options: Any) -> None:
        merged = dict(SMALL_PAGES)
        merged.update(options)
        out.append(Fixture(name, description, make, **merged))

    for codec in ("none", "snappy", "gzip", "zstd", "lz4", "brotli"):
        label = {"lz4": "LZ4_RAW (pyarrow's 'lz4')", "brotli": "BROTLI (Floe: expect an unsupported-codec error)"}.get(
            codec, codec.upper())
        add(f"codec_{codec}", f"int64/double/string/int32 columns compressed with {label}",
            lambda rng: codec_table(rng, 3000), compression=codec, row_group_size=1000)
    add("codec_zstd_level9_v2", "ZSTD level 9 with data page v2",
        lambda rng: codec_table(rng, 3000), compression="zstd", compression_level=9, data_page_version="2.0",
        row_group_size=1000)

    add("primitives_v1", "every primitive type, nulls, NaN/inf, extremes; data page v1, dictionary on",
        lambda rng: primitive_table(rng, 700), data_page_version="1.0", row_group_size=300)
    add("primitives_v2", "every primitive type; data page v2, dictionary on",
        lambda rng: primitive_table(rng, 700), data_page_version="2.0", row_group_size=300)
    add("primitives_plain_v1", "every primitive type; PLAIN (no dictionary), uncompressed, data page v1",
        lambda rng: primitive_table(rng, 700), use_dictionary=False, compression="none", row_group_size=300)
    add("primitives_plain_v2", "every primitive type; PLAIN (no dictionary), data page v2",
        lambda rng: primitive_table(rng, 700), use_dictionary=False, data_page_version="2.0", row_group_size=300)
    add("primitives_required", "primitive columns declared non-nullable (REQUIRED, no definition levels)",
        lambda rng: required(primitive_table(rng, 500, null_rate=0.0)), row_group_size=200)

    add("dictionary_on", "low-cardinality columns, dictionary encoded (RLE_DICTIONARY)",
        lambda rng: codec_table(rng, 2000), use_dictionary=True, row_group_size=800)
    add("dictionary_off", "the same data, PLAIN", lambda rng: codec_table(rng, 2000), use_dictionary=False,
        row_group_size=800)
    add("dictionary_fallback", "high-cardinality strings overflowing a 2 KiB dictionary page: dictionary pages "
        "then PLAIN pages in one column chunk", lambda rng: string_table(rng, 1500).drop_columns(["string"]),
        use_dictionary=True, dictionary_pagesize_limit=2048, row_group_size=1500)

    for version in ("1.0", "2.0"):
        suffix = "v1" if version == "1.0" else "v2"
        add(f"encoding_delta_binary_packed_{suffix}", "DELTA_BINARY_PACKED int32/int64 (random, extremes, sorted, constant)",
            lambda rng: delta_int_table(rng, 1500), use_dictionary=False, data_page_version=version,
            column_encoding={c: "DELTA_BINARY_PACKED" for c in ("int32", "int64", "sorted", "constant", "uint32", "uint64")},
            row_group_size=600)
        add(f"encoding_delta_length_byte_array_{suffix}", "DELTA_LENGTH_BYTE_ARRAY strings and binary",
            lambda rng: string_table(rng, 600).select(["string", "binary", "prefixes"]), use_dictionary=False,
            data_page_version=version, column_encoding={c: "DELTA_LENGTH_BYTE_ARRAY" for c in ("string", "binary", "prefixes")},
            row_group_size=250)
        add(f"encoding_delta_byte_array_{suffix}", "DELTA_BYTE_ARRAY strings with shared prefixes, binary, fixed-size binary",
            lambda rng: string_table(rng, 600).select(["prefixes", "string", "binary", "fixed_binary_16"]),
            use_dictionary=False, data_page_version=version,
            column_encoding={c: "DELTA_BYTE_ARRAY" for c in ("prefixes", "string", "binary", "fixed_binary_16")},
            row_group_size=250)
        add(f"encoding_byte_stream_split_{suffix}", "BYTE_STREAM_SPLIT float32/float64/int32/int64/fixed-size binary",
            lambda rng: bss_table(rng, 800), use_dictionary=False, data_page_version=version,
            column_encoding={c: "BYTE_STREAM_SPLIT" for c in bss_table(random.Random(0), 1).column_names},
            row_group_size=300)
    add("encoding_byte_stream_split_flag", "use_byte_stream_split for the float columns only",
        lambda rng: bss_table(rng, 800), use_dictionary=False, use_byte_stream_split=["float32", "float64"],
        row_group_size=300)
    add("encoding_rle_boolean_v2", "booleans RLE-encoded, data page v2",
        lambda rng: pa.table({"bool": pa.array(with_nulls(rng, [rng.random() < 0.3 for _ in range(2000)]), pa.bool_()),
                              "runs": pa.array([i // 100 % 2 == 0 for i in range(2000)], pa.bool_())}),
        use_dictionary=False, data_page_version="2.0", column_encoding={"bool": "RLE", "runs": "RLE"}, row_group_size=900)

    add("decimals_int", "decimal128 with store_decimal_as_integer: precision <= 9 as INT32, <= 18 as INT64, else FLBA",
        lambda rng: decimal_table(rng, 400, wide=False), store_decimal_as_integer=True, row_group_size=150)
    add("decimals_flba", "decimal128/256 as FIXED_LEN_BYTE_ARRAY (pyarrow's default)",
        lambda rng: decimal_table(rng, 400, wide=True), row_group_size=150)

    add("decimals_flba_every_width", "decimal128 of every precision 1..38 as FIXED_LEN_BYTE_ARRAY (pyarrow's default): "
        "every byte width 1..16, including FLBA(4) for precision 7..9",
        lambda rng: pa.table({f"decimal_{p}_{p // 3}": pa.array(with_nulls(rng, decimal_column(rng, 300, p, p // 3), keep=5),
                                                                  pa.decimal128(p, p // 3)) for p in range(1, 39)}),
        row_group_size=120)

    add("temporal", "date32; timestamps s/ms/us/ns naive, UTC and America/New_York; time32[ms], time64[us/ns]",
        lambda rng: temporal_table(rng, 500), row_group_size=200)
    add("timestamps_int96", "timestamps stored as deprecated INT96 (read back as nanoseconds)",
        lambda rng: int96_table(rng, 500), use_deprecated_int96_timestamps=True, row_group_size=200)

    add("strings", "unicode, NUL inside, empty strings, a 1 MiB string, binary, large types, fixed-size binary",
        lambda rng: string_table(rng, 300, big=True), row_group_size=120)

    add("nested_v1", "struct, list<int>, list<struct>, list<list<string>>, map, struct<list, map>, deep nesting, "
        "nulls and empties at every level; data page v1", lambda rng: nested_table(rng, 600), row_group_size=250)
    add("nested_v2", "the nested columns with data page v2", lambda rng: nested_table(rng, 600),
        data_page_version="2.0", row_group_size=250)
    add("nested_plain_v2", "the nested columns, PLAIN, zstd, data page v2", lambda rng: nested_table(rng, 600),
        data_page_version="2.0", use_dictionary=False, compression="zstd", row_group_size=250)
    add("nested_legacy_lists", "nested columns written with use_compliant_nested_type=False (list child named 'item')",
        lambda rng: nested_table(rng, 300), use_compliant_nested_type=False, row_group_size=120)

    add("field_ids", "PARQUET:field_id on top-level and nested fields (one field without)",
        lambda rng: field_id_table(rng, 200), row_group_size=80)
    add("all_null", "every type, every value null", lambda rng: all_null(all_types_table(rng, 150)), row_group_size=60)
    add("empty", "every type, zero rows", lambda rng: all_types_table(rng, 0))
    add("many_row_groups", "10 000 rows in row groups of 500", lambda rng: codec_table(rng, 10_000), row_group_size=500)
    add("nested_required", "non-nullable structs, lists, list elements, map values and struct fields mixed with "
        "nullable ones", lambda rng: nested_required_table(rng, 600), row_group_size=250)
    add("nested_required_v2", "the non-nullable nested columns, data page v2, PLAIN",
        lambda rng: nested_required_table(rng, 600), data_page_version="2.0", use_dictionary=False, row_group_size=250)
    add("dictionary_arrow", "Arrow dictionary-typed columns (read back by pyarrow as dictionaries)",
        lambda rng: dictionary_arrow_table(rng, 1500), row_group_size=600)
    add("format_1_0_no_arrow_schema", "primitive and temporal types written as Parquet format version 1.0 "
        "(uint32 as INT64, no nanoseconds) without the stored Arrow schema (types only from the Parquet schema)",
        lambda rng: pa.table({**{c: primitive_table(rng, 400).column(c) for c in primitive_table(random.Random(0), 1).column_names
                                  if c != "float16"},
                              **{"t_" + c: temporal_table(rng, 400).column(c) for c in temporal_table(random.Random(0), 1).column_names
                                 if "_ns" not in c}}),
        version="1.0", store_schema=False, row_group_size=150)
    add("page_index_checksums", "page index (column and offset indexes), page CRC checksums, statistics off for one "
        "column, sorting columns", lambda rng: codec_table(rng, 3000).sort_by("small"),
        write_page_index=True, write_page_checksum=True, write_statistics=["id", "value", "word", "small"],
        sorting_columns=[pq.SortingColumn(4)], row_group_size=1000)
    # Written by arrow-rs (through delta-rs), the other big Parquet implementation: Delta types only.
    rs_small_pages = {"data_page_size_limit": 1024, "data_page_row_count_limit": 100, "write_batch_size": 64}
    out.append(Fixture(
        "arrow_rs_types", "arrow-rs (delta-rs) writer: primitive, decimal, date, timestamp (UTC and naive, s/ms/us) "
        "and string/binary columns; ZSTD, small pages, string statistics truncated to 16 bytes (inexact bounds)",
        lambda rng: arrow_rs_table(rng, 700), engine="deltalake", compression="ZSTD", max_row_group_size=300,
        statistics_truncate_length=16, **rs_small_pages))
    out.append(Fixture(
        "arrow_rs_nested", "arrow-rs (delta-rs) writer: the nested columns (no large or fixed-size lists), no dictionary, "
        "page statistics, SNAPPY, small pages", lambda rng: arrow_rs_nested_table(rng, 600), engine="deltalake",
        compression="SNAPPY", max_row_group_size=250, default_column_properties={"dictionary_enabled": False,
                                                                                 "statistics_enabled": "PAGE"},
        **rs_small_pages))
    out.append(Fixture(
        "arrow_rs_lz4_hadoop", "arrow-rs (delta-rs) writer with its 'LZ4' codec: the deprecated Hadoop-framed LZ4 (codec 5)",
        lambda rng: codec_table(rng, 3000), engine="deltalake", compression="LZ4", max_row_group_size=1000, **rs_small_pages))
    add("content_defined_chunking", "pages cut by content-defined chunking (nested and flat columns)",
        lambda rng: nested_table(rng, 800).append_column("text", pa.array(string_column(rng, 800))),
        use_content_defined_chunking=True, row_group_size=400)
    return out


def required(table: pa.Table) -> pa.Table:
    """`table` with every column non-nullable, nulls replaced by the column's first non-null value."""
    fields = [pa.field(f.name, f.type, nullable=False) for f in table.schema]
    arrays = []
    for f in fields:
        column = table.column(f.name).combine_chunks()
        arrays.append(column.fill_null(column.drop_null()[0]) if column.null_count else column)
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


def delta_int_table(rng: random.Random, n: int) -> pa.Table:
    return pa.table({
        "int32": pa.array(with_nulls(rng, int_column(rng, n, 32, True), keep=7), pa.int32()),
        "int64": pa.array(with_nulls(rng, int_column(rng, n, 64, True), keep=7), pa.int64()),
        "uint32": pa.array(with_nulls(rng, int_column(rng, n, 32, False), keep=5), pa.uint32()),
        "uint64": pa.array(with_nulls(rng, int_column(rng, n, 64, False), keep=5), pa.uint64()),
        "sorted": pa.array(sorted(rng.randint(-10**12, 10**12) for _ in range(n)), pa.int64()),
        "constant": pa.array([42] * n, pa.int32()),
    })


def bss_table(rng: random.Random, n: int) -> pa.Table:
    return pa.table({
        "float32": pa.array(with_nulls(rng, float_column(rng, n, "f32"), keep=11), pa.float32()),
        "float64": pa.array(with_nulls(rng, float_column(rng, n, "f64"), keep=11), pa.float64()),
        "int32": pa.array(with_nulls(rng, int_column(rng, n, 32, True), keep=7), pa.int32()),
        "int64": pa.array(with_nulls(rng, int_column(rng, n, 64, True), keep=7), pa.int64()),
        "fixed_binary_3": pa.array(with_nulls(rng, fixed_binary_column(rng, n, 3), keep=2), pa.binary(3)),
    })


def write_fixture(fixture: Fixture, outdir: str) -> dict:
    rng = random.Random(fixture.name)
    table = fixture.make(rng)
    path = os.path.join(outdir, fixture.name + ".parquet")
    if fixture.engine == "deltalake":
        write_with_deltalake(table, path, fixture.options)
    else:
        pq.write_table(table, path, **fixture.options)
    writer = json.loads(json.dumps(fixture.options, default=repr))  # JSON-safe (e.g. SortingColumn)
    if fixture.engine != "pyarrow":
        writer["engine"] = fixture.engine
    doc, read_back = document(path, writer)
    # Self-check: pyarrow's reading of the file encodes exactly like the table written.
    expected = encode_rows(table)
    if expected != doc["rows"]:
        first = next(i for i, (a, b) in enumerate(zip(expected, doc["rows"])) if a != b) \
            if len(expected) == len(doc["rows"]) else "row count"
        raise AssertionError(f"{fixture.name}: pyarrow read back differs from what it wrote (first at {first})")
    with open(os.path.join(outdir, fixture.name + ".json"), "w", encoding="utf-8") as out:
        write_json(doc, out)
    return {"name": fixture.name, "description": fixture.description, "rows": read_back.num_rows,
            "row_groups": doc["parquet"]["num_row_groups"], "writer": writer}


def generate(outdir: str, only: list[str] | None) -> int:
    os.makedirs(outdir, exist_ok=True)
    chosen = [f for f in fixtures() if not only or f.name in only]
    unknown = set(only or []) - {f.name for f in fixtures()}
    if unknown:
        print(f"unknown fixture(s): {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    entries = [write_fixture(fixture, outdir) for fixture in chosen]
    manifest = {"generator": "Tests/Interop/make_parquet_fixtures.py", "pyarrow": pa.__version__,
                "float16": FLOAT16, "fixtures": entries}
    with open(os.path.join(outdir, "manifest.json"), "w", encoding="utf-8") as out:
        json.dump(manifest, out, indent=1, ensure_ascii=False)
        out.write("\n")
    print(f"wrote {len(entries)} fixtures to {outdir}")
    return 0


def dump(path: str, output: str | None) -> int:
    doc, _ = document(path)
    if output:
        with open(output, "w", encoding="utf-8") as out:
            write_json(doc, out)
    else:
        write_json(doc, sys.stdout)
    return 0


# --------------------------------------------------------------------------------------------
# Many files at once, with checks (for files other writers produced, e.g. Floe)
# --------------------------------------------------------------------------------------------

@contextlib.contextmanager
def captured_stderr() -> Iterator[list]:
    """Captures what is written to file descriptor 2 (C++ warnings as well as Python's) into the
    yielded list's single string, once the block ends."""
    out: list = []
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile(mode="w+b") as tmp:
        os.dup2(tmp.fileno(), 2)
        try:
            yield out
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            tmp.seek(0)
            out.append(tmp.read().decode("utf-8", "replace"))


def _leaf_values(arr: pa.Array, parts: list[str]) -> tuple[pa.Array, int]:
    """The values of the Parquet leaf at `parts` (the path below `arr`'s column) with nulls where
    the leaf or an ancestor struct is null, and the number of level entries of that leaf (one per
    value slot, plus one per null or empty list/map above it)."""
    t = arr.type
    if isinstance(arr, pa.ExtensionArray):
        return _leaf_values(arr.storage, parts)
    if pa.types.is_dictionary(t):
        return _leaf_values(arr.dictionary_decode(), parts)
    if pa.types.is_struct(t):
        index = t.get_field_index(parts[0])
        return _leaf_values(arr.flatten()[index], parts[1:])  # flatten() applies the struct's nulls
    if pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_map(t) or pa.types.is_fixed_size_list(t):
        if pa.types.is_fixed_size_list(t):
            offsets = [(arr.offset + i) * t.list_size for i in range(len(arr) + 1)]
        else:
            offsets = arr.offsets.to_pylist()
        valid = arr.is_valid().to_pylist()
        empties, take = 0, []
        for i in range(len(arr)):
            if not valid[i] or offsets[i] == offsets[i + 1]:
                empties += 1
            else:
                take.extend(range(offsets[i], offsets[i + 1]))
        child = arr.values.take(pa.array(take, pa.int64()))
        if pa.types.is_map(t):  # key_value.key / key_value.value
            values, entries = _leaf_values(child, parts[1:])
        elif len(parts) >= 2 and t.value_field.name == parts[1]:  # three-level list: list.element
            values, entries = _leaf_values(child, parts[2:])
        else:  # two-level list: the repeated node is the element
            values, entries = _leaf_values(child, parts[1:])
        return values, empties + entries
    return arr, len(arr)


def _statistic_value(value: Any, leaf_type: pa.DataType) -> Any:
    if pa.types.is_float16(leaf_type) and isinstance(value, bytes):
        import numpy as np
        return float(np.frombuffer(value, dtype="<f2")[0])
    return value


MAX_STATISTICS_SIZE = 4096


def _byte_length(value: str | bytes) -> int:
    return len(value.encode("utf-8")) if isinstance(value, str) else len(value)


def check_statistics(path: str) -> list[str]:
    """Compares every column chunk's statistics, as pyarrow reads them, with the chunk's data:
    null_count = level entries without a value; min/max present exactly when there is a non-null,
    non-NaN value (or absent when a string/binary bound is longer than 4096 bytes), and equal to the
    data's minimum and maximum. Returns one message per problem."""
    pf = pq.ParquetFile(path)
    md = pf.metadata
    problems: list[str] = []
    for g in range(md.num_row_groups):
        table = pf.read_row_group(g)
        rg = md.row_group(g)
        for j in range(md.num_columns):
            chunk = rg.column(j)
            where = f"row group {g} column {chunk.path_in_schema}"
            parts = chunk.path_in_schema.split(".")
            column = table.column(parts[0]).combine_chunks()
            values, entries = _leaf_values(column, parts[1:])
            nulls = entries - (len(values) - values.null_count)
            statistics = chunk.statistics
            if statistics is None:
                problems.append(f"{where}: no statistics")
                continue
            if not statistics.has_null_count:
                problems.append(f"{where}: no null_count")
            elif statistics.null_count != nulls:
                problems.append(f"{where}: null_count {statistics.null_count}, the data has {nulls}")
            if pa.types.is_null(values.type):
                if statistics.has_min_max:
                    problems.append(f"{where}: min/max on a column of the null type")
                continue
            # Temporal values compare as their stored integers (as_py() cannot represent every date).
            raw = pa.types.is_temporal(values.type)
            if raw:
                comparable = values.cast(pa.int32() if values.type.bit_width == 32 else pa.int64())
            elif pa.types.is_float16(values.type):
                comparable = values.cast(pa.float32())
            else:
                comparable = values
            bounds = pc.min_max(comparable)
            lo, hi = bounds["min"].as_py(), bounds["max"].as_py()
            expected = lo is not None and not (isinstance(lo, float) and math.isnan(lo))
            if expected and not statistics.has_min_max and isinstance(lo, (str, bytes)) \
                    and max(_byte_length(lo), _byte_length(hi)) > MAX_STATISTICS_SIZE:
                expected = False  # writers leave out bounds longer than their limit (pyarrow's and Floe's: 4096)
            if statistics.has_min_max != expected:
                problems.append(f"{where}: has_min_max is {statistics.has_min_max}, expected {expected} "
                                f"(data min {lo!r}, max {hi!r})")
            elif expected:
                smin = statistics.min_raw if raw else _statistic_value(statistics.min, values.type)
                smax = statistics.max_raw if raw else _statistic_value(statistics.max, values.type)
                if smin != lo or smax != hi:
                    problems.append(f"{where}: statistics min/max {smin!r}/{smax!r}, the data has {lo!r}/{hi!r}")
    return problems


def dump_many(outdir: str, files: list[str], check: bool) -> int:
    """Dumps each of `files` to OUTDIR/<i>.json (i = its position; or the error to OUTDIR/<i>.error),
    each complete when it appears (so a caller may read file i while later ones are dumped), and
    lists the results in OUTDIR/dumps.json: {"files": [{"file", "json"} or {"file", "error"}]}. With `check`, each
    document also gets "checks": {"warnings": [...], "statistics": [problems]} — warnings are what
    Python's warnings module or pyarrow's C++ code (on standard error) reported while reading."""
    os.makedirs(outdir, exist_ok=True)
    results = []
    for i, path in enumerate(files):
        entry: dict[str, Any] = {"file": path}
        try:
            with warnings.catch_warnings(record=True) as caught, captured_stderr() as stderr:
                warnings.simplefilter("always")
                doc, _ = document(path)
                problems = check_statistics(path) if check else []
            if check:
                reported = [f"{w.category.__name__}: {w.message}" for w in caught]
                if stderr and stderr[0].strip():
                    reported.append(stderr[0].strip())
                doc = {"checks": {"warnings": reported, "statistics": problems}, **doc}
            name = f"{i}.json"
            with open(os.path.join(outdir, name + ".part"), "w", encoding="utf-8") as out:
                write_json(doc, out)
            os.replace(os.path.join(outdir, name + ".part"), os.path.join(outdir, name))
            entry["json"] = name
        except Exception as error:  # reported per file; the caller decides
            where = traceback.extract_tb(error.__traceback__)[-1]
            entry["error"] = f"{type(error).__name__}: {error} (at {os.path.basename(where.filename)}:{where.lineno})"
            with open(os.path.join(outdir, f"{i}.error"), "w", encoding="utf-8") as out:
                out.write(entry["error"])
        results.append(entry)
    with open(os.path.join(outdir, "dumps.json"), "w", encoding="utf-8") as out:
        json.dump({"files": results}, out, indent=1, ensure_ascii=False)
        out.write("\n")
    return 0


def main(argv: list[str]) -> int:
    if argv and argv[0] == "dump":
        parser = argparse.ArgumentParser(prog="make_parquet_fixtures.py dump")
        parser.add_argument("file")
        parser.add_argument("-o", "--output", help="write the JSON here instead of standard output")
        args = parser.parse_args(argv[1:])
        return dump(args.file, args.output)
    if argv and argv[0] == "dump-many":
        parser = argparse.ArgumentParser(prog="make_parquet_fixtures.py dump-many")
        parser.add_argument("outdir")
        parser.add_argument("files", nargs="*")
        parser.add_argument("--files-from", metavar="LIST", help="a file naming one Parquet file per line")
        parser.add_argument("--check", action="store_true",
                            help="also record warnings and check every column chunk's statistics against its data")
        args = parser.parse_intermixed_args(argv[1:])
        files = list(args.files)
        if args.files_from:
            with open(args.files_from, encoding="utf-8") as listing:
                files.extend(line.rstrip("\n") for line in listing if line.strip())
        return dump_many(args.outdir, files, args.check)
    if argv and argv[0] == "list":
        for fixture in fixtures():
            print(f"{fixture.name}: {fixture.description}")
        return 0
    if argv and argv[0] == "generate":
        argv = argv[1:]
    parser = argparse.ArgumentParser(prog="make_parquet_fixtures.py",
                                     description="Write Parquet fixtures and their expected JSON.")
    parser.add_argument("outdir")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="write only these fixtures")
    args = parser.parse_args(argv)
    return generate(args.outdir, args.only)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
