#!/usr/bin/env bash
# Installs tfgen into ~/.cargo/bin (or cargo install's --root) as it ships:
# on Linux with glibc, with the C runtime linked statically, as `cargo dist`
# builds it (see .cargo/config.toml for why); elsewhere a plain
# `cargo install`. Extra arguments go to cargo install (e.g. --root DIR).
#
# Usage: scripts/install.sh [cargo install arguments]
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
host="$(rustc -vV | sed -n 's/^host: //p')"
case "$host" in
    *-linux-gnu)
        # An explicit --target keeps the flag off the build scripts and
        # proc macros, which cannot be linked statically.
        exec cargo install --locked --path "$repo" --target "$host" \
            --config "target.$host.rustflags=[\"-C\", \"target-feature=+crt-static\"]" "$@"
        ;;
    *)
        exec cargo install --locked --path "$repo" "$@"
        ;;
esac
