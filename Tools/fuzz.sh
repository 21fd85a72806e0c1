#!/usr/bin/env bash
# Fuzzes FloeParquet's decoders with libFuzzer: builds Tools/fuzz-parquet with -sanitize=fuzzer,address,
# writes a seed corpus (small files Floe writes, their footers, pages and compressed blocks; pyarrow
# files when FLOE_PYTHON is set; small golden files when FLOE_SHARED is set), then runs each target
# for FLOE_FUZZ_SECONDS and prints one line per target:
#     fuzz page: 1234567 execs in 30 s, cov 4567, 0 crashes
# A crash, hang (-timeout), over-allocation (-rss_limit_mb / -malloc_limit_mb) or contract violation
# (a non-ParquetError thrown) saves the input under fuzz-out/ (or FLOE_FUZZ_ARTIFACTS) and makes the
# script exit non-zero once every target has run.
#
# Usage: bash Tools/fuzz.sh [TARGET...]          targets: file footer page codec (default: all)
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
# (or through a plain build: `swift run fuzz-parquet replay -v --target page INPUT`). Once fixed, it
# goes in Tests/FloeParquetTests/FuzzRegressions/ named `<target>-<what was wrong>.bin`, where the
# normal test run replays it (FuzzRegressionTests).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
exec </dev/null

seconds="${FLOE_FUZZ_SECONDS:-30}"
config="${FLOE_FUZZ_CONFIG:-release}"
artifacts="${FLOE_FUZZ_ARTIFACTS:-$root/fuzz-out}"
targets=("$@")
[ "${#targets[@]}" -gt 0 ] || targets=(file footer page codec)

# The longest input libFuzzer makes per target: whole files need room for a few pages.
max_len() {
    case "$1" in
        file) echo 16384 ;;
        footer|page) echo 4096 ;;
        codec) echo 2048 ;;
        *) echo "fuzz.sh: unknown target '$1' (file, footer, page, codec)" >&2; return 1 ;;
    esac
}
for target in "${targets[@]}"; do max_len "$target" >/dev/null; done

work="$(mktemp -d "${TMPDIR:-/tmp}/floe-fuzz.XXXXXX")"
trap 'rm -rf "$work"' EXIT

echo "fuzz.sh: building fuzz-parquet ($config, -sanitize=fuzzer,address)"
swift build -c "$config" --product fuzz-parquet --scratch-path "$root/.build-fuzz" \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFLOE_FUZZING >"$work/build.log" 2>&1 || {
    tail -n 40 "$work/build.log" >&2
    echo "fuzz.sh: build failed" >&2
    exit 1
}
bin="$root/.build-fuzz/$config/fuzz-parquet"

# Swift's runtime keeps metadata caches alive to the end, which LeakSanitizer would report.
export ASAN_OPTIONS="detect_leaks=0:${ASAN_OPTIONS:-}"

extra=()
if [ -n "${FLOE_PYTHON:-}" ] && [ -x "$FLOE_PYTHON" ]; then
    if "$FLOE_PYTHON" Tools/fuzz-seeds.py "$work/pyarrow" >"$work/pyarrow.log" 2>&1; then
        extra+=("$work"/pyarrow/*.parquet)
    else
        echo "fuzz.sh: pyarrow seeds skipped:" >&2
        tail -n 5 "$work/pyarrow.log" >&2
    fi
fi
if [ -n "${FLOE_SHARED:-}" ] && [ -d "$FLOE_SHARED/golden" ]; then
    while IFS= read -r file; do extra+=("$file"); done < <(
        find "$FLOE_SHARED/golden" -name '*.parquet' -size -16k | LC_ALL=C sort | head -n 40)
fi
"$bin" write-seeds "$work/seeds" ${extra[@]+"${extra[@]}"} | sed 's/^/fuzz.sh: /'

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
    FLOE_FUZZ_TARGET="$target" timeout --kill-after=10 $((seconds + 120)) "$bin" \
        -max_total_time="$seconds" -max_len="$(max_len "$target")" -rss_limit_mb=2048 -timeout=10 \
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
