#!/usr/bin/env bash
# Summarises the criterion estimates that `cargo bench` saved under
# target/criterion as Markdown tables: the stack per environment, and the
# scale series with the time per item (must stay flat as N grows) and MB/s.
#
# Usage: cargo bench && bench/criterion-table.sh
# (CRITERION_DIR=DIR reads a saved copy of target/criterion instead.)
# Needs jq (Debian package `jq`).

set -euo pipefail

root=${CRITERION_DIR:-$(cd "$(dirname "$0")/.." && pwd)/target/criterion}
if [ ! -d "$root" ]; then
    echo "bench/criterion-table.sh: no $root; run \`cargo bench\` first" >&2
    exit 2
fi
command -v jq >/dev/null || {
    echo "bench/criterion-table.sh: needs jq (apt-get install -y jq)" >&2
    exit 2
}

# The median estimate in nanoseconds, and the throughput value, of one benchmark.
median_ns() { jq -r '.median.point_estimate' "$1/new/estimates.json"; }
throughput() { jq -r '.throughput // {} | to_entries[0].value // 0' "$1/new/benchmark.json"; }
# Human-readable time from nanoseconds.
pretty() {
    jq -rn --argjson ns "$1" '
        if $ns >= 1e6 then "\($ns / 1e6 * 100 | round / 100) ms"
        elif $ns >= 1e3 then "\($ns / 1e3 * 100 | round / 100) µs"
        else "\($ns * 10 | round / 10) ns" end'
}

echo "## Stack (criterion median)"
echo
echo "| benchmark | environment | time | output | MB/s |"
echo "|---|---|---:|---:|---:|"
for dir in "$root"/stack/*/*/; do
    dir=${dir%/}
    [ -f "$dir/new/estimates.json" ] || continue
    what=$(basename "$(dirname "$dir")")
    env=$(basename "$dir")
    ns=$(median_ns "$dir")
    kind=$(jq -r '.throughput // {} | keys[0] // ""' "$dir/new/benchmark.json")
    if [ "$kind" = Bytes ]; then
        bytes=$(throughput "$dir")
        mbs=$(jq -rn --argjson b "$bytes" --argjson ns "$ns" '$b / $ns * 1e3 | round')
        echo "| $what | $env | $(pretty "$ns") | $bytes B | $mbs |"
    else
        echo "| $what | $env | $(pretty "$ns") | | |"
    fi
done

echo
echo "## Scale series (criterion median; MB/s = 10^6 bytes of output per second)"
echo
echo "| series | N | time | per item | output | MB/s |"
echo "|---|---:|---:|---:|---:|---:|"
for series in "$root"/scale_items/*/; do
    name=$(basename "$series")
    for n in 10 100 1000 10000; do
        items="$root/scale_items/$name/$n"
        bytes="$root/scale_bytes/$name/$n"
        [ -f "$items/new/estimates.json" ] || continue
        ns=$(median_ns "$items")
        per_item=$(jq -rn --argjson ns "$ns" --argjson n "$n" '$ns / $n')
        if [ -f "$bytes/new/estimates.json" ]; then
            size=$(throughput "$bytes")
            mbs=$(jq -rn --argjson b "$size" --argjson ns "$(median_ns "$bytes")" '$b / $ns * 1e3 | round')
            output=$(jq -rn --argjson b "$size" '"\($b / 1e6 * 1000 | round / 1000) MB"')
        else
            mbs="" output=""
        fi
        echo "| $name | $n | $(pretty "$ns") | $(pretty "$per_item") | $output | $mbs |"
    done
done
