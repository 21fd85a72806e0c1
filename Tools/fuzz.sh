#!/usr/bin/env bash
# Fuzzes with libFuzzer FloeParquet's decoders (Tools/fuzz-parquet: targets file, footer, page, codec)
# and Floe's text parsers (Tools/fuzz-floe: targets log, condition, ddl, ndjson, csv). Builds the
# harnesses with -sanitize=fuzzer,address, writes seed corpora (small files Floe writes, their footers,
# pages and compressed blocks; pyarrow files when FLOE_PYTHON is set; small golden files when
# FLOE_SHARED is set; commit files, predicates, DDL and rows Floe generates plus the committed
# Tests/FloeTests/FuzzSeeds and FuzzRegressions), then runs each target for FLOE_FUZZ_SECONDS and
# prints one line per target:
#     fuzz page: 1234567 execs in 30 s, cov 4567, 0 crashes
# A crash, hang (-timeout), over-allocation (-rss_limit_mb / -malloc_limit_mb) or contract violation
# (a non-ParquetError / non-DeltaError thrown) saves the input under fuzz-out/ (or FLOE_FUZZ_ARTIFACTS)
# and makes the script exit non-zero once every target has run.
#
# Usage: bash Tools/fuzz.sh [TARGET...]
#        targets: file footer page codec log condition ddl ndjson csv (default: all)
#
# Environment:
#   FLOE_FUZZ_SECONDS    seconds per target (default 30)
#   FLOE_FUZZ_CONFIG     swift build configuration: release (default; ~3x the executions) or debug
#                        (builds faster, which suits short CI runs)
#   FLOE_FUZZ_CORPUS     a folder to keep the corpus in across runs (default: a temporary folder)
#   FLOE_FUZZ_ARTIFACTS  where crashing inputs are saved (default <repo>/fuzz-out)
#   FLOE_PYTHON          a python with pyarrow: its files (Tools/fuzz-seeds.py) join the seeds
#   FLOE_SHARED          <repo>/../shared: its small golden Parquet files join the seeds
#   FLOE_FUZZ_FLAGS      more libFuzzer flags, after (so overriding) the script's own, e.g.
#                        "-use_value_profile=1" or "-jobs=2 -workers=2"
#
# A found input is reproduced with `FLOE_FUZZ_TARGET=page .build-fuzz/<config>/fuzz-parquet INPUT`
# (or through a plain build: `swift run fuzz-parquet replay -v --target page INPUT`; likewise
# fuzz-floe for the text targets). Once fixed, it goes in Tests/FloeParquetTests/FuzzRegressions/
# named `<target>-<what was wrong>.bin` (Parquet targets) or Tests/FloeTests/FuzzRegressions/
# (text targets), where the normal test run replays it (FuzzRegressionTests, DeltaFuzzReplayTests).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
exec </dev/null

seconds="${FLOE_FUZZ_SECONDS:-30}"
config="${FLOE_FUZZ_CONFIG:-release}"
artifacts="${FLOE_FUZZ_ARTIFACTS:-$root/fuzz-out}"
targets=("$@")
[ "${#targets[@]}" -gt 0 ] || targets=(file footer page codec log condition ddl ndjson csv)

# The longest input libFuzzer makes per target: whole files need room for a few pages, logs for a
# few commits.
max_len() {
    case "$1" in
        file|log) echo 16384 ;;
        footer|page|ndjson|csv) echo 4096 ;;
        codec) echo 2048 ;;
        condition|ddl) echo 1024 ;;
        *) echo "fuzz.sh: unknown target '$1' (file, footer, page, codec, log, condition, ddl, ndjson, csv)" >&2
           return 1 ;;
    esac
}
# The harness of a target.
harness() {
    case "$1" in
        file|footer|page|codec) echo fuzz-parquet ;;
        *) echo fuzz-floe ;;
    esac
}
for target in "${targets[@]}"; do max_len "$target" >/dev/null; done
needs() { for target in "${targets[@]}"; do [ "$(harness "$target")" = "$1" ] && return 0; done; return 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/floe-fuzz.XXXXXX")"
trap 'rm -rf "$work"' EXIT

build() {
    echo "fuzz.sh: building $1 ($config, -sanitize=fuzzer,address)"
    swift build -c "$config" --product "$1" --scratch-path "$root/.build-fuzz" \
        -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFLOE_FUZZING >"$work/build-$1.log" 2>&1 || {
        tail -n 40 "$work/build-$1.log" >&2
        echo "fuzz.sh: build of $1 failed" >&2
        exit 1
    }
}
bindir="$root/.build-fuzz/$config"
if needs fuzz-parquet; then build fuzz-parquet; fi
if needs fuzz-floe; then build fuzz-floe; fi

# Swift's runtime keeps metadata caches alive to the end, which LeakSanitizer would report.
export ASAN_OPTIONS="detect_leaks=0:${ASAN_OPTIONS:-}"

extra=()
if needs fuzz-parquet && [ -n "${FLOE_PYTHON:-}" ] && [ -x "$FLOE_PYTHON" ]; then
    if "$FLOE_PYTHON" Tools/fuzz-seeds.py "$work/pyarrow" >"$work/pyarrow.log" 2>&1; then
        extra+=("$work"/pyarrow/*.parquet)
    else
        echo "fuzz.sh: pyarrow seeds skipped:" >&2
        tail -n 5 "$work/pyarrow.log" >&2
    fi
fi
if needs fuzz-parquet && [ -n "${FLOE_SHARED:-}" ] && [ -d "$FLOE_SHARED/golden" ]; then
    while IFS= read -r file; do extra+=("$file"); done < <(
        find "$FLOE_SHARED/golden" -name '*.parquet' -size -16k | LC_ALL=C sort | head -n 40)
fi
if needs fuzz-parquet; then
    "$bindir/fuzz-parquet" write-seeds "$work/seeds" ${extra[@]+"${extra[@]}"} | sed 's/^/fuzz.sh: /'
fi
if needs fuzz-floe; then
    "$bindir/fuzz-floe" write-seeds "$work/seeds" Tests/FloeTests/FuzzSeeds Tests/FloeTests/FuzzRegressions |
        sed 's/^/fuzz.sh: /'
fi

corpus_root="${FLOE_FUZZ_CORPUS:-$work/corpus}"
mkdir -p "$artifacts"
failed=()
for target in "${targets[@]}"; do
    corpus="$corpus_root/$target"
    log="$work/$target.log"
    mkdir -p "$corpus"
    started=$SECONDS
    status=0
    # -timeout: one input running longer is a hang; -rss_limit_mb also caps single allocations
    # (-malloc_limit_mb defaults to it). `timeout` is a backstop should libFuzzer itself stall.
    dict=()
    [ -f "$work/seeds/$target.dict" ] && dict=(-dict="$work/seeds/$target.dict")
    FLOE_FUZZ_TARGET="$target" timeout --kill-after=10 $((seconds + 120)) "$bindir/$(harness "$target")" \
        -max_total_time="$seconds" -max_len="$(max_len "$target")" -rss_limit_mb=2048 -timeout=10 ${dict[@]+"${dict[@]}"} \
        -print_final_stats=1 -artifact_prefix="$artifacts/$target-" ${FLOE_FUZZ_FLAGS:-} \
        "$corpus" "$work/seeds/$target" >"$log" 2>&1 || status=$?
    elapsed=$((SECONDS - started))
    execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)"
    cov="$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)"
    crashes="$(grep -c 'Test unit written to' "$log" || true)"
    if [ "$status" -ne 0 ] && [ "$crashes" -eq 0 ]; then crashes=1; fi
    echo "fuzz $target: ${execs:-?} execs in $elapsed s, cov ${cov:-?}, $crashes crashes"
    if [ "$status" -ne 0 ]; then
        failed+=("$target")
        # The sanitizer's or libFuzzer's report, and where the input went.
        # (The progress lines libFuzzer's main thread may still print are left out.)
        grep -E -A 40 '^==[0-9]+== ?ERROR|CONTRACT VIOLATION|Fatal error|ERROR: libFuzzer' "$log" |
            grep -v -E '^#[0-9]+' | head -n 40 >&2 || true
        grep -E 'Test unit written to|Base64:' "$log" >&2 || tail -n 20 "$log" >&2
    fi
done

if [ "${#failed[@]}" -gt 0 ]; then
    echo "fuzz.sh: FAILED: ${failed[*]} (inputs in $artifacts)" >&2
    exit 1
fi
