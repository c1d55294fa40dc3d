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

# An offline provider mirror, when this machine has one and none is set.
if [[ -z "${TF_PLUGIN_DIR:-}" && -d /opt/tf-plugins/registry.terraform.io ]]; then
    export TF_PLUGIN_DIR=/opt/tf-plugins
fi
if ! command -v terraform >/dev/null 2>&1; then
    echo "SKIPPED: terraform not found: the apply, plan-equivalence, fmt and checkov tests will be skipped"
fi

cargo test --locked "$@"
