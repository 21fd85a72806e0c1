#!/usr/bin/env bash
# Creates the test virtualenv at <repo>/.venv-test and installs Tools/requirements-test.txt.
#
# Idempotent and quick once done: a stamp file in the venv records the hash of the
# requirements it was built from, so nothing happens until that file changes.
# Usage: bash Tools/setup-python.sh
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv-test"
requirements="$root/Tools/requirements-test.txt"
stamp="$venv/.floe-requirements.sha256"
python="${PYTHON:-python3}"

want="$(sha256sum "$requirements" | cut -d' ' -f1)"
if [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    exit 0
fi

if [ ! -x "$venv/bin/python" ]; then
    echo "setup-python.sh: creating $venv"
    rm -rf "$venv"
    if ! "$python" -m venv "$venv" >/dev/null 2>&1; then
        # Debian's python3 ships venv/ensurepip separately.
        rm -rf "$venv"
        echo "setup-python.sh: python3 -m venv failed; installing python3-venv"
        if [ "$(id -u)" -eq 0 ]; then as_root=(); else as_root=(sudo -n); fi
        export DEBIAN_FRONTEND=noninteractive
        "${as_root[@]}" apt-get update -qq </dev/null
        "${as_root[@]}" apt-get install -y -qq --no-install-recommends python3-venv </dev/null
        "$python" -m venv "$venv"
    fi
fi

echo "setup-python.sh: installing $(grep -v '^#' "$requirements" | grep -v '^$' | tr '\n' ' ')"
rm -f "$stamp"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input -r "$requirements" </dev/null
echo "$want" > "$stamp"
