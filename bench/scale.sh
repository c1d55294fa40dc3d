#!/usr/bin/env bash
# Scale series (issue 13.6): a tfgen.hcl of 10, 100, 1,000 and 10,000
# environments; `render --all` into a fresh tree, `render --all` again over
# it (nothing changes) and `check`, each with wall time, time per
# environment and peak RSS (GNU time %M).
#
# Usage: bench/scale.sh [N ...]      (default: 10 100 1000 10000)
# Needs GNU time (Debian package `time`). Builds tfgen with `cargo dist` first.

set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10 100 1000 10000)
[ -x /usr/bin/time ] || { echo "bench/scale.sh: needs GNU time (/usr/bin/time)" >&2; exit 2; }

# tfgen as it ships (`cargo dist`, see .cargo/config.toml).
(cd "$repo" && cargo --quiet dist)
tfgen="${CARGO_TARGET_DIR:-$repo/target}/release/tfgen"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "| environments | command | wall | per environment | peak RSS |"
echo "| ---: | --- | ---: | ---: | ---: |"
for n in "${sizes[@]}"; do
    dir="$work/$n"
    mkdir -p "$dir"
    for i in $(seq 1 "$n"); do
        printf 'environment "e%d" {\n  variables = { artifacts_bucket_name = "bucket-name-%d" }\n}\n' "$i" "$i"
    done >"$dir/tfgen.hcl"
    for label in "render --all (fresh)" "render --all (unchanged)" "check"; do
        case $label in
            check) args=(check) ;;
            *) args=(render --all) ;;
        esac
        measured=$(cd "$dir" && /usr/bin/time -f "%e %M" "$tfgen" "${args[@]}" 2>&1 >/dev/null | tail -1)
        read -r seconds kib <<<"$measured"
        per=$(awk -v s="$seconds" -v n="$n" 'BEGIN { printf "%.3f ms", 1000 * s / n }')
        mib=$(awk -v k="$kib" 'BEGIN { printf "%.1f MiB", k / 1024 }')
        echo "| $n | \`tfgen $label\` | ${seconds} s | $per | $mib |"
    done
done
