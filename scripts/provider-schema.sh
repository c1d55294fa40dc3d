#!/usr/bin/env bash
# Regenerates data/aws-provider-nested-blocks.txt: for every resource, data
# source and provider type of the pinned AWS provider, the names of its
# nested blocks, recursively. Reading Terraform JSON needs exactly this: in
# the JSON syntax only the schema tells a nested block (`rule { }`) from an
# object attribute (`tags = { }`). Terraform's own meta blocks (terraform,
# backend, lifecycle, provisioner, ...) are written from the language's
# definition below, since no provider schema holds them.
#
# Usage: scripts/provider-schema.sh   (needs terraform; uses TF_PLUGIN_DIR)
#
# Format, one line per type: `<kind> <type> <blocks>`, where <blocks> is a
# space-separated list of `name` or `name(<blocks>)`, and `name:N` takes N
# labels. Lines starting with `#` are comments.

set -euo pipefail
AWS_PROVIDER_VERSION=5.100.0
repo=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=provider-mirror.sh
source "$repo/scripts/provider-mirror.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat >"$work/main.tf" <<TF
terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "$AWS_PROVIDER_VERSION"
    }
  }
}
TF
init=(terraform -chdir="$work" init -backend=false -input=false)
[[ -n "${TF_PLUGIN_DIR:-}" ]] && init+=(-plugin-dir "$TF_PLUGIN_DIR")
"${init[@]}" >/dev/null
terraform -chdir="$work" providers schema -json >"$work/schema.json"

python3 - "$work/schema.json" "$AWS_PROVIDER_VERSION" "$(date -u +%Y-%m-%d)" \
    >"$repo/data/aws-provider-nested-blocks.txt" <<'PY'
import json, sys

schema_path, version, date = sys.argv[1:]
provider = json.load(open(schema_path))["provider_schemas"]["registry.terraform.io/hashicorp/aws"]

def blocks(block):
    items = []
    for name, nested in sorted(block.get("block_types", {}).items()):
        inner = blocks(nested["block"])
        items.append(f"{name}({inner})" if inner else name)
    return " ".join(items)

print(f"# AWS provider {version} (hashicorp/aws), nested block names by type.")
print(f"# Generated {date} by scripts/provider-schema.sh from `terraform providers schema -json`; do not edit.")
# Terraform's language: blocks no provider schema holds.
print("meta terraform required_providers backend:1 cloud(workspaces) provider_meta:1")
print("meta resource lifecycle(precondition postcondition) provisioner:1(connection) connection dynamic:1(content)")
print("meta data lifecycle(precondition postcondition)")
print("meta variable validation")
print("meta output precondition")
print("meta module")
print("meta locals")
print("meta provider")
print("meta moved")
print("meta removed lifecycle provisioner:1(connection) connection")
print("meta import")
print(f"provider aws {blocks(provider['provider']['block'])}".rstrip())
for kind, key in (("resource", "resource_schemas"), ("data", "data_source_schemas")):
    for name, entry in sorted(provider[key].items()):
        print(f"{kind} {name} {blocks(entry['block'])}".rstrip())
PY
wc -c "$repo/data/aws-provider-nested-blocks.txt" >&2
