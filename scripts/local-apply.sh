#!/usr/bin/env bash
# Renders the stack for one environment, validates it (every policy's size
# against its limit) and applies it for real against a local AWS emulator
# (moto, started through tests/support/moto_launcher.py with the patches the
# pipeline's services need): init, apply, show outputs, check that a second
# plan is empty, destroy. Nothing reaches AWS; no account is needed.
#
# Usage: scripts/local-apply.sh ENV [--format hcl|json]
#
# Environment:
#   TF_PLUGIN_DIR             provider mirror for `terraform init -plugin-dir`
#                             (offline machines); unset: download as usual
#   TFGEN_TERRAFORM           terraform binary (default: terraform on PATH)
#   TFGEN_TOOLS_DIR           where scripts/install-test-tools.sh puts moto
#   TFGEN_LOCAL_APPLY_SOURCE  apply the .tf/.tf.json files of this directory
#                             instead of building and rendering (it must
#                             declare provider "aws" itself); for checking a
#                             hand-written stack, or this script, against moto
#
# Prints one `==> [N/10] step` line per step and its wall time; on failure,
# the failed step, terraform's own stderr, and exits non-zero.
set -euo pipefail

usage() {
    echo "usage: $0 ENV [--format hcl|json]" >&2
    exit 64
}

[[ $# -ge 1 ]] || usage
env_name="$1"
shift
format=json
while [[ $# -gt 0 ]]; do
    case "$1" in
    --format)
        [[ $# -ge 2 ]] || usage
        format="$2"
        shift 2
        ;;
    --format=*)
        format="${1#--format=}"
        shift
        ;;
    *) usage ;;
    esac
done
[[ "$format" == hcl || "$format" == json ]] || usage

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/provider-mirror.sh
source "$repo_root/scripts/provider-mirror.sh"
tools_dir="${TFGEN_TOOLS_DIR:-$repo_root/.tools}"
terraform="${TFGEN_TERRAFORM:-terraform}"
tfgen="${CARGO_TARGET_DIR:-$repo_root/target}/release/tfgen"
total_steps=10

work="$(mktemp -d "${TMPDIR:-/tmp}/tfgen-local-apply.XXXXXX")"
stack="$work/stack"
logs="$work/logs"
mkdir -p "$stack" "$logs"
moto_pid=""
failed=""

cleanup() {
    if [[ -n "$moto_pid" ]]; then
        kill "$moto_pid" 2>/dev/null || true
        wait "$moto_pid" 2>/dev/null || true
    fi
    if [[ -n "$failed" ]]; then
        echo "    logs and rendered files kept in $work" >&2
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT

# Tests and demos must never touch a real AWS account, whatever the caller
# has exported; nor should terraform phone home or prompt.
while IFS= read -r var; do unset "$var"; done < <(compgen -e | grep '^AWS_' || true)
export AWS_EC2_METADATA_DISABLED=true CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 TF_INPUT=0
if [[ -n "${TF_CLI_CONFIG_FILE:-}" && ! -e "$TF_CLI_CONFIG_FILE" ]]; then
    export TF_CLI_CONFIG_FILE=/dev/null
fi

step_number=0
step_started=0

# begin NAME: announce the next step.
begin() {
    step_number=$((step_number + 1))
    step_name="$1"
    echo "==> [$step_number/$total_steps] $step_name"
    step_started=$(date +%s%N)
}

# done_step [NOTE]: report the wall time of the current step.
done_step() {
    local ms=$((($(date +%s%N) - step_started) / 1000000))
    printf '    ok (%d.%01ds)%s\n' $((ms / 1000)) $((ms % 1000 / 100)) "${1:+ $1}"
}

# fail MESSAGE [LOG...]: name the failed step, show the logs, exit non-zero.
fail() {
    failed=1
    echo "FAILED at step $step_number/$total_steps ($step_name): $1" >&2
    shift
    for log in "$@"; do
        [[ -s "$log" ]] || continue
        echo "--- $(basename "$log") ---" >&2
        cat "$log" >&2
    done
    exit 1
}

# run LOGNAME COMMAND...: run quietly into $logs/LOGNAME.{out,err}; fail with
# both logs shown if the command fails.
run() {
    local name="$1"
    shift
    local status=0
    "$@" >"$logs/$name.out" 2>"$logs/$name.err" || status=$?
    if [[ $status -ne 0 ]]; then
        fail "\`$*\` exited with status $status" "$logs/$name.err" "$logs/$name.out"
    fi
}

# tf LOGNAME SUBCOMMAND ARGS...: terraform in the stack dir, without colour.
tf() {
    local name="$1" subcommand="$2"
    shift 2
    run "$name" "$terraform" -chdir="$stack" "$subcommand" -no-color "$@"
}

# stack_files DIR: the Terraform files directly in DIR, one per line.
stack_files() {
    find "$1" -maxdepth 1 -type f \( -name '*.tf' -o -name '*.tf.json' \) | sort
}

if [[ -n "${TFGEN_LOCAL_APPLY_SOURCE:-}" ]]; then
    begin "cargo build --release"
    echo "    skipped: TFGEN_LOCAL_APPLY_SOURCE is set"
    begin "copy stack from $TFGEN_LOCAL_APPLY_SOURCE"
    [[ -d "$TFGEN_LOCAL_APPLY_SOURCE" ]] || fail "not a directory: $TFGEN_LOCAL_APPLY_SOURCE"
    stack_files "$TFGEN_LOCAL_APPLY_SOURCE" | while IFS= read -r file; do cp "$file" "$stack/"; done
else
    begin "cargo build --release"
    run cargo-build cargo build --release --manifest-path "$repo_root/Cargo.toml"
    done_step
    begin "tfgen render --env $env_name --format $format"
    run render "$tfgen" render --env "$env_name" --format "$format" --out "$stack"
fi
file_count="$(stack_files "$stack" | wc -l)"
[[ "$file_count" -gt 0 ]] || fail "no .tf or .tf.json files to apply" "$logs/render.err" "$logs/render.out"
done_step "($file_count files in $stack)"

begin "tfgen validate --env $env_name (policy sizes)"
if [[ -n "${TFGEN_LOCAL_APPLY_SOURCE:-}" ]]; then
    echo "    skipped: TFGEN_LOCAL_APPLY_SOURCE is set"
else
    run validate "$tfgen" validate --env "$env_name"
    done_step
    sed 's/^/    /' "$logs/validate.out"
fi

begin "install test tools (moto)"
run install-tools "$repo_root/scripts/install-test-tools.sh"
done_step

begin "start moto server (tests/support/moto_launcher.py)"
python="$tools_dir/moto/bin/python"
launcher="$repo_root/tests/support/moto_launcher.py"
endpoint=""
# Ask the OS for a free port, then hand it to moto; if something else takes it
# meanwhile, moto exits and we try another. moto logs "Running on URL" only
# once the port is its own, so an answer from another server is not taken
# for moto's.
for _attempt in 1 2 3 4 5; do
    port="$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    : >"$logs/moto_server.log"
    "$python" "$launcher" -H 127.0.0.1 -p "$port" >"$logs/moto_server.log" 2>&1 &
    moto_pid=$!
    for _tick in $(seq 300); do
        kill -0 "$moto_pid" 2>/dev/null || break
        if grep -q "http://127.0.0.1:$port" "$logs/moto_server.log" &&
            "$python" -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=5)" \
                "http://127.0.0.1:$port/" 2>/dev/null; then
            endpoint="http://127.0.0.1:$port"
            break 2
        fi
        sleep 0.1
    done
    if kill -0 "$moto_pid" 2>/dev/null; then
        fail "moto_server did not answer on port $port within 30 s" "$logs/moto_server.log"
    fi
    wait "$moto_pid" 2>/dev/null || true
    moto_pid=""
done
[[ -n "$endpoint" ]] || fail "moto_server kept exiting at startup" "$logs/moto_server.log"

# Merged by terraform into the stack's own provider "aws" block; the same
# settings as write_override() in tests/support/emulator.rs, which explains
# each one. The state stays local: a `backend "local"` override replaces the
# S3 backend an environment with remote state declares.
cat >"$stack/emulator_override.tf.json" <<EOF
{
  "terraform": {
    "backend": {
      "local": {}
    }
  },
  "provider": {
    "aws": {
      "access_key": "test",
      "secret_key": "test",
      "s3_use_path_style": true,
      "skip_metadata_api_check": true,
      "max_retries": 2,
      "endpoints": {
        "iam": "$endpoint",
        "s3": "$endpoint",
        "sts": "$endpoint",
        "codecommit": "$endpoint",
        "codebuild": "$endpoint",
        "codepipeline": "$endpoint",
        "events": "$endpoint",
        "kms": "$endpoint",
        "logs": "$endpoint"
      }
    }
  }
}
EOF
done_step "at $endpoint (pid $moto_pid)"

begin "terraform init"
init_args=(-input=false)
[[ -n "${TF_PLUGIN_DIR:-}" ]] && init_args+=("-plugin-dir=$TF_PLUGIN_DIR")
tf init init "${init_args[@]}"
done_step

begin "terraform apply"
tf apply apply -input=false -auto-approve
done_step "$(grep -h '^Apply complete' "$logs/apply.out" || true)"

begin "terraform output"
tf output output
done_step
sed 's/^/    /' "$logs/output.out"

begin "terraform plan -detailed-exitcode (expect no changes)"
set +e
"$terraform" -chdir="$stack" plan -no-color -input=false -detailed-exitcode \
    >"$logs/plan.out" 2>"$logs/plan.err"
plan_status=$?
set -e
case "$plan_status" in
0) done_step "no changes" ;;
2) fail "the second plan wants changes: the stack does not converge" "$logs/plan.out" ;;
*) fail "terraform plan exited with status $plan_status" "$logs/plan.err" "$logs/plan.out" ;;
esac

begin "terraform destroy"
tf destroy destroy -input=false -auto-approve
done_step "$(grep -h '^Destroy complete' "$logs/destroy.out" || true)"

echo "==> all $total_steps steps passed for env '$env_name'; stopping the moto server"
