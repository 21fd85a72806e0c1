#!/usr/bin/env bash
# Runs Floe's whole test suite: the README's test command, and what CI runs (.ci/run).
#
# Sets up the machine (Debian packages, the test virtualenv), exports the environment the tests
# read, builds, and runs every test. Exits non-zero on the first failing step and always ends
# with one summary line. Needs no standard input.
#
# Environment for the tests:
#   FLOE_PYTHON  the test virtualenv's python (pyarrow, deltalake, pandas; Tools/requirements-test.txt)
#   FLOE_SHARED  <repo>/../shared, only when that folder exists (golden tables; tests skip without it)
#
# Usage: bash Tools/test.sh
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
exec </dev/null

started=$SECONDS
step="start"
steps_done=()
scratch="$(mktemp -d "${TMPDIR:-/tmp}/floe-test.XXXXXX")"

finish() {
    local status=$?
    rm -rf "$scratch"
    local elapsed=$((SECONDS - started))
    if [ "$status" -eq 0 ]; then
        echo "test.sh: OK: ${steps_done[*]} (${elapsed}s)"
    else
        echo "test.sh: FAILED in step '$step' (exit $status) after: ${steps_done[*]:-nothing} (${elapsed}s)" >&2
    fi
}
trap finish EXIT

# Runs one named step; `set -e` stops the script at the first that fails.
run_step() {
    step="$1"
    shift
    echo "== test.sh: $step"
    "$@"
    steps_done+=("$step")
}

run_step setup bash Tools/setup.sh
run_step setup-python bash Tools/setup-python.sh

export FLOE_PYTHON="$root/.venv-test/bin/python"
if [ -d "$root/../shared" ]; then
    FLOE_SHARED="$(cd "$root/../shared" && pwd)"
    export FLOE_SHARED
fi

# The interop fixture generator must keep working with the pinned pyarrow (Swift tests call it too).
run_step interop-fixtures "$FLOE_PYTHON" Tests/Interop/make_parquet_fixtures.py "$scratch/fixtures"
run_step build swift build --build-tests
run_step swift-test swift test

# ---- Further steps go here (fuzz runs, benchmark smoke, ...), each as: run_step NAME command args
# ---- End of further steps.
