#!/usr/bin/env bash
# Runs every test of tfgen, on a fresh machine too: installs the pinned test
# tools (moto's AWS emulator, checkov) into .tools/ first, then `cargo test`.
#
# Tests that need the terraform CLI print a loud `SKIPPED: terraform not
# found` line when it is absent; everything else still runs.
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

"$repo_root/scripts/install-test-tools.sh"

# shellcheck source=scripts/provider-mirror.sh
source "$repo_root/scripts/provider-mirror.sh"
if ! command -v terraform >/dev/null 2>&1; then
    echo "SKIPPED: terraform not found: the apply, plan-equivalence, fmt and checkov tests will be skipped"
fi

cargo test --locked "$@"
