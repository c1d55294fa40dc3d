#!/usr/bin/env bash
# Installs the Python tools the integration tests drive, each in its own venv
# under $TFGEN_TOOLS_DIR (default: <repo>/.tools), pinned to an exact version.
#
# Idempotent: a venv whose pinned packages already match is left alone, so this
# is cheap to call before every test run. Adding a tool is one more
# `ensure_venv NAME 'pkg==version'` line at the bottom.
#
# Environment: TFGEN_TOOLS_DIR (default <repo>/.tools); TFGEN_PYTHON, the
# interpreter the venvs are made from (default python3).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools_dir="${TFGEN_TOOLS_DIR:-$repo_root/.tools}"
python="${TFGEN_PYTHON:-python3}"

# ensure_venv NAME SPEC...
#   Makes sure $tools_dir/NAME is a venv in which every SPEC ('pkg==version' or
#   'pkg[extra]==version') is installed at exactly that version.
ensure_venv() {
    local name="$1"
    shift
    local venv="$tools_dir/$name"
    local stamp="$venv/.tfgen-installed"
    local wanted
    wanted="$(printf '%s\n' "$@")"

    if [[ -x "$venv/bin/python" && -f "$stamp" && "$(cat "$stamp")" == "$wanted" ]] \
        && "$venv/bin/python" -m pip check >/dev/null 2>&1; then
        echo "==> $name: already installed ($*)"
        return 0
    fi

    echo "==> $name: creating venv at $venv"
    rm -rf "$venv"
    mkdir -p "$tools_dir"
    "$python" -m venv "$venv"
    echo "==> $name: installing $*"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$@"
    printf '%s\n' "$wanted" >"$stamp"
    echo "==> $name: done"
}

ensure_venv moto 'moto[server]==5.2.5'
ensure_venv checkov 'checkov==3.3.30'
ensure_venv parliament 'parliament==1.6.4'
