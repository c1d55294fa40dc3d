#!/usr/bin/env bash
# Whole-process timings of tfgen next to a Rust hello-world and /bin/true,
# in one hyperfine run, and a check of the performance targets.
#
# tfgen runs on every editor save, pre-commit hook and CI job, so what a user
# feels is the whole process: exec, dynamic linking, argument parsing,
# reading tfgen.hcl, building, validating and rendering. This script times
# exactly that, and compares it with the cheapest possible Rust process
# built on the same machine, so the ratios hold across machines.
#
# Usage: bench/cli.sh [--skip-criterion]
#
# Timed: tfgen as `cargo dist` builds it (how it ships, see
# .cargo/config.toml), and, for reference, two rows of the plain
# `cargo build --release` binary.
#
# Targets (exit 1 when one is missed, 2 on a setup error):
#   tfgen render --env prod   median <= 2 x the hello-world binary
#   tfgen check (whole out/)  median <= 3 x the hello-world binary
#   tfgen lint --env prod     median <= 3 x the hello-world binary (with the
#                             IAM catalogue loaded)
#   tfgen plan-summary of prod's first-apply plan (fixtures/plans/first-apply.json,
#                             46 resources to add)  median <= 3 x the hello-world binary
#   tfgen plan-summary of 1,000 environments' plans  median <= 1 s, for plans of one
#                             change each (policy-change.json) and for first applies
#   10,000 resources to HCL   <= 100 ms (criterion, scale_items/resources_hcl/10000)
#   peak RSS of render prod   <= 10 MiB
#
# Needs hyperfine, GNU time and jq (Debian packages `hyperfine`, `time`, `jq`):
#   apt-get update && apt-get install -y hyperfine time jq
# The script installs them itself when it runs as root with apt-get.
#
# Environment: RUNS (default 300), WARMUP (default 30).

set -euo pipefail

RUNS=${RUNS:-300}
WARMUP=${WARMUP:-30}
RENDER_RATIO_MAX=2
CHECK_RATIO_MAX=3
LINT_RATIO_MAX=3
PLAN_RATIO_MAX=3
PLANS_1000_MAX_S=1
HCL_10K_MAX_MS=100
RSS_MAX_KIB=$((10 * 1024))

skip_criterion=false
for arg in "$@"; do
    case $arg in
        --skip-criterion) skip_criterion=true ;;
        -h | --help)
            sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
            exit 0
            ;;
        *)
            echo "bench/cli.sh: unknown argument $arg (try --help)" >&2
            exit 2
            ;;
    esac
done

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

# --- tools -----------------------------------------------------------------
missing=()
command -v hyperfine >/dev/null || missing+=(hyperfine)
[ -x /usr/bin/time ] || missing+=(time)
command -v jq >/dev/null || missing+=(jq)
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "installing ${missing[*]} with apt-get" >&2
        apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        echo "bench/cli.sh: missing ${missing[*]}; install with:" >&2
        echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
        echo "  (the \`time\` package provides /usr/bin/time)" >&2
        exit 2
    fi
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# --- binaries ----------------------------------------------------------------
# Two builds of tfgen: `cargo build --release` (the C runtime linked
# dynamically), timed for reference only, and `cargo dist`, tfgen as it ships
# and as scripts/install.sh installs it (on Linux with glibc, the C runtime
# linked statically; see .cargo/config.toml), which the targets are about.
echo "building tfgen (cargo build --release, then cargo dist) and a hello-world with rustc -O" >&2
built="${CARGO_TARGET_DIR:-$repo/target}/release/tfgen"
if ! cargo build --release --quiet --bin tfgen; then
    echo "bench/cli.sh: cargo build --release failed" >&2
    exit 2
fi
cp "$built" "$work/tfgen-dynamic"
if ! cargo --quiet dist; then
    echo "bench/cli.sh: cargo dist failed" >&2
    exit 2
fi
tfgen="$built"
cat >"$work/hello.rs" <<'EOF'
fn main() {
    println!("Hello, world!");
}
EOF
rustc -O -o "$work/hello" "$work/hello.rs"

# `check` on a drifted tree would time the diff, not the check.
if ! "$tfgen" check >/dev/null 2>&1; then
    echo "bench/cli.sh: \`tfgen check\` fails in $repo (out/ drifted or tfgen.hcl is invalid);" >&2
    echo "  run \`tfgen render --all\` or fix the config first" >&2
    exit 2
fi
# The first --all writes the tree; the timed runs find it up to date and
# only compare, which is the repeated (pre-commit) case.
"$tfgen" render --all --out "$work/tree"

# --- whole processes, one hyperfine run -------------------------------------
mkdir -p "$repo/target/bench"
json="$repo/target/bench/cli.json"
hyperfine -N --warmup "$WARMUP" --runs "$RUNS" --style basic \
    --export-json "$json" \
    -n "tfgen render --env prod" "$tfgen render --env prod" \
    -n "tfgen render --all --out TMPDIR" "$tfgen render --all --out $work/tree" \
    -n "tfgen check" "$tfgen check" \
    -n "tfgen lint --env prod" "$tfgen lint --env prod" \
    -n "tfgen plan-summary (prod, first apply)" "$tfgen plan-summary --env prod fixtures/plans/first-apply.json" \
    -n "tfgen render --env prod (cargo build --release)" "$work/tfgen-dynamic render --env prod" \
    -n "tfgen check (cargo build --release)" "$work/tfgen-dynamic check" \
    -n "hello-world (rustc -O)" "$work/hello" \
    -n "/bin/true" "/bin/true" >&2

median() {
    jq -r --arg name "$1" '.results[] | select(.command == $name) | .median' "$json"
}

# 1,000 environments' plans, each under out/<env>/hcl/ as the workflow
# keeps them: a plan of one change each, and a first apply each.
for kind in policy-change first-apply; do
    for index in $(seq 1 1000); do
        mkdir -p "$work/plans-$kind/out/env$index/hcl"
        cp "fixtures/plans/$kind.json" "$work/plans-$kind/out/env$index/hcl/plan.json"
    done
done
plans_json="$repo/target/bench/plans.json"
(
    cd "$work"
    hyperfine -N --warmup 1 --runs 10 --style basic --export-json "$plans_json" \
        -n "plan-summary of 1,000 plans of one change" "$tfgen plan-summary $(echo plans-policy-change/out/*/hcl/plan.json)" \
        -n "plan-summary of 1,000 first applies" "$tfgen plan-summary $(echo plans-first-apply/out/*/hcl/plan.json)" >&2
)
plans_median() {
    jq -r --arg name "$1" '.results[] | select(.command == $name) | .median' "$plans_json"
}
hello=$(median "hello-world (rustc -O)")

echo
echo "## Whole process (hyperfine -N, $RUNS runs, $WARMUP warm-up)"
echo
hello_min=$(jq -r '.results[] | select(.command == "hello-world (rustc -O)") | .min' "$json")
echo "| command | median | mean ± σ | min | median × hello | min × hello |"
echo "|---|---:|---:|---:|---:|---:|"
jq -r --argjson hello "$hello" --argjson hello_min "$hello_min" '.results[] |
    def ms: . * 1000 * 1000 | round / 1000;
    "| `\(.command)` | \(.median | ms) ms | \(.mean | ms) ± \(.stddev | ms) ms | \(.min | ms) ms | \(.median / $hello * 100 | round / 100) | \(.min / $hello_min * 100 | round / 100) |"' \
    "$json"
echo
echo "Targets use the medians. The minimum is the run least disturbed by other"
echo "processes: when the two ratios differ much, the machine was busy."

# --- peak memory --------------------------------------------------------------
peak_rss() {
    local peak=0 kib
    for _ in 1 2 3 4 5; do
        kib=$(/usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -n 1)
        [ "$kib" -gt "$peak" ] && peak=$kib
    done
    echo "$peak"
}
rss_render=$(peak_rss "$tfgen" render --env prod)
rss_render_hcl=$(peak_rss "$tfgen" render --env prod --format hcl)
rss_check=$(peak_rss "$tfgen" check)
rss_hello=$(peak_rss "$work/hello")
echo
echo "## Peak RSS (GNU time %M, max of 5 runs)"
echo
echo "| command | peak RSS |"
echo "|---|---:|"
echo "| \`tfgen render --env prod\` | $rss_render KiB |"
echo "| \`tfgen render --env prod --format hcl\` | $rss_render_hcl KiB |"
echo "| \`tfgen check\` | $rss_check KiB |"
echo "| hello-world (rustc -O) | $rss_hello KiB |"

# --- 10,000 resources to HCL (criterion) ------------------------------------
hcl_10k_ms=""
if ! $skip_criterion; then
    echo "running criterion: scale_items/resources_hcl/10000" >&2
    cargo bench --quiet --bench render -- --warm-up-time 1 --measurement-time 3 \
        '^scale_items/resources_hcl/10000$' >&2
    estimates="${CARGO_TARGET_DIR:-$repo/target}/criterion/scale_items/resources_hcl/10000/new/estimates.json"
    hcl_10k_ms=$(jq -r '.median.point_estimate / 1000000 * 1000 | round / 1000' "$estimates")
fi

# --- targets ------------------------------------------------------------------
failed=0
verdict() { # name, measured, limit, ok?
    if [ "$4" = 1 ]; then
        echo "| $1 | $2 | $3 | ok |"
    else
        echo "| $1 | $2 | $3 | MISSED |"
        failed=1
    fi
}
le() { jq -n --argjson a "$1" --argjson b "$2" 'if $a <= $b then 1 else 0 end'; }
ratio() { jq -n --argjson a "$1" --argjson b "$2" '$a / $b * 100 | round / 100'; }

render_ratio=$(ratio "$(median "tfgen render --env prod")" "$hello")
check_ratio=$(ratio "$(median "tfgen check")" "$hello")
lint_ratio=$(ratio "$(median "tfgen lint --env prod")" "$hello")
plan_ratio=$(ratio "$(median "tfgen plan-summary (prod, first apply)")" "$hello")
plans_one=$(plans_median "plan-summary of 1,000 plans of one change" | jq -r '. * 1000 | round / 1000')
plans_first=$(plans_median "plan-summary of 1,000 first applies" | jq -r '. * 1000 | round / 1000')
echo
echo "## Targets"
echo
echo "| target | measured | limit | |"
echo "|---|---:|---:|---|"
verdict "render --env prod vs hello-world" "${render_ratio}×" "${RENDER_RATIO_MAX}×" \
    "$(le "$render_ratio" "$RENDER_RATIO_MAX")"
verdict "check vs hello-world" "${check_ratio}×" "${CHECK_RATIO_MAX}×" \
    "$(le "$check_ratio" "$CHECK_RATIO_MAX")"
verdict "lint --env prod vs hello-world" "${lint_ratio}×" "${LINT_RATIO_MAX}×" \
    "$(le "$lint_ratio" "$LINT_RATIO_MAX")"
verdict "plan-summary of prod's plan vs hello-world" "${plan_ratio}×" "${PLAN_RATIO_MAX}×" \
    "$(le "$plan_ratio" "$PLAN_RATIO_MAX")"
verdict "plan-summary, 1,000 plans of one change" "$plans_one s" "$PLANS_1000_MAX_S s" \
    "$(le "$plans_one" "$PLANS_1000_MAX_S")"
verdict "plan-summary, 1,000 first applies" "$plans_first s" "$PLANS_1000_MAX_S s" \
    "$(le "$plans_first" "$PLANS_1000_MAX_S")"
if [ -n "$hcl_10k_ms" ]; then
    verdict "10,000 resources to HCL" "$hcl_10k_ms ms" "$HCL_10K_MAX_MS ms" \
        "$(le "$hcl_10k_ms" "$HCL_10K_MAX_MS")"
else
    echo "| 10,000 resources to HCL | skipped (--skip-criterion) | $HCL_10K_MAX_MS ms | |"
fi
verdict "peak RSS, render --env prod" "$rss_render KiB" "$RSS_MAX_KIB KiB" \
    "$(le "$rss_render" "$RSS_MAX_KIB")"
echo
echo "hyperfine JSON: $json" >&2
exit $failed
