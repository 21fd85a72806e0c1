#!/usr/bin/env bash
# Installs the Debian packages that building Floe needs, if any is missing.
#
# Idempotent and silent on a machine that already has them all (it only asks `dpkg -s`).
# Runs `apt-get update` at most once, and uses sudo only when not root.
# Usage: bash Tools/setup.sh
set -euo pipefail

packages=(libzstd-dev libsnappy-dev liblz4-dev libsqlite3-dev zlib1g-dev pkg-config)

missing=()
for package in "${packages[@]}"; do
    if ! dpkg -s "$package" >/dev/null 2>&1; then
        missing+=("$package")
    fi
done

if [ "${#missing[@]}" -eq 0 ]; then
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    as_root=()
elif command -v sudo >/dev/null 2>&1; then
    as_root=(sudo -n)
else
    echo "setup.sh: missing packages (${missing[*]}) and neither root nor sudo available" >&2
    exit 1
fi

echo "setup.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq </dev/null
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
