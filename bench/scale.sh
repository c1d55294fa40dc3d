#!/usr/bin/env bash
# Scale series (issue 13.6): a tfgen.hcl of 10, 100, 1,000 and 10,000
# environments; `render --all` into a fresh tree, `render --all` again over
# it (nothing changes), `check`, `validate` and `render --env` (which
# validate every environment and keep one stack), each with wall time, time
# per environment, user and system time and peak RSS (GNU time); then the
# same environments with a state bucket, an account and an owner tag each.
#
# Every timed command starts after `sync`: the kernel writing back the
# previous command's files would otherwise run on the same two cores. With a
# C compiler, each size also gets the kernel's part of a fresh tree, the
# same directories and files created by bench/fs-floor.c alone.
#
# Usage: bench/scale.sh [N ...]      (default: 10 100 1000 10000)
# Needs GNU time (Debian package `time`). Builds tfgen with `cargo dist` first.
# Measure on a quiet filesystem: ext4 without a journal skips inodes freed
# in the last minutes, one by one, when it allocates new ones, and a tree
# created right after a large one was deleted takes several times as long.

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

floor=""
if command -v cc >/dev/null 2>&1; then
    floor="$work/fs-floor"
    cc -O2 -pthread "$repo/bench/fs-floor.c" -o "$floor"
fi
threads=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)

timed() { # label n command...
    local label=$1 n=$2
    shift 2
    sync
    local measured seconds user system kib per mib
    measured=$(/usr/bin/time -f "%e %U %S %M" "$@" 2>&1 >/dev/null | tail -1)
    read -r seconds user system kib <<<"$measured"
    per=$(awk -v s="$seconds" -v n="$n" 'BEGIN { printf "%.3f ms", 1000 * s / n }')
    mib=$(awk -v k="$kib" 'BEGIN { printf "%.1f MiB", k / 1024 }')
    echo "| $n | $label | ${seconds} s | $per | ${user} s | ${system} s | $mib |"
}

echo "| environments | command | wall | per environment | user | system | peak RSS |"
echo "| ---: | --- | ---: | ---: | ---: | ---: | ---: |"
for n in "${sizes[@]}"; do
    dir="$work/$n"
    mkdir -p "$dir"
    for i in $(seq 1 "$n"); do
        printf 'environment "e%d" {\n  variables = { artifacts_bucket_name = "bucket-name-%d" }\n}\n' "$i" "$i"
    done >"$dir/tfgen.hcl"
    for label in "render --all (fresh)" "render --all (unchanged)" "check" "validate" "render --env e1"; do
        case $label in
            check) args=(check) ;;
            validate) args=(validate) ;;
            "render --env e1") args=(render --env e1) ;;
            *) args=(render --all) ;;
        esac
        (cd "$dir" && timed "\`tfgen $label\`" "$n" "$tfgen" "${args[@]}")
    done
    if [ -n "$floor" ]; then
        mkdir "$dir/floor"
        (cd "$dir/floor" && timed "fs-floor.c, $threads threads (the kernel's part)" "$n" "$floor" "$n" "$threads")
    fi
    # The same environments with issue 13's settings: state in one bucket
    # (defaults), an account each and an owner tag each, so every
    # environment's provider differs.
    settings="$work/$n-settings"
    mkdir -p "$settings"
    {
        printf 'defaults {\n  state {\n    bucket = "example-tfstate"\n    region = "us-east-1"\n  }\n  tags = { Project = "sagemaker-mlops" }\n}\n'
        for i in $(seq 1 "$n"); do
            printf 'environment "e%d" {\n  account_id = "%012d"\n  tags = { Owner = "team-%d" }\n  variables = { artifacts_bucket_name = "bucket-name-%d" }\n}\n' \
                "$i" $((100000000000 + i)) "$i" "$i"
        done
    } >"$settings/tfgen.hcl"
    for label in "render --all (fresh)" "check"; do
        case $label in
            check) args=(check) ;;
            *) args=(render --all) ;;
        esac
        (cd "$settings" && timed "\`tfgen $label\`, state, account and owner set" "$n" "$tfgen" "${args[@]}")
    done
done
