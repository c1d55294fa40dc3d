//! Environments at scale, for real against moto: the state bucket's
//! bootstrap module applies and passes checkov; dev and prod apply at the
//! same time, each to its own S3 state object with Terraform's lock file; a
//! held lock stops a second run and leaves the state as it was; and
//! `allowed_account_ids` refuses credentials of another account.
//!
//! The environments are rendered by the binary from a tfgen.hcl with
//! `defaults { state }`, `account_id` and `tags`, and applied as written. The
//! emulator is reached only through what this harness writes: the provider
//! override of `support::emulator` and a `-backend-config` file, never the
//! files a user gets.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use tfgen::config::rules::default_state_key;
use tfgen::model::{Block, Document};
use tfgen::render::{Format, render};
use tfgen::stack::remote_state::state_bucket_module;

use crate::checkov::{checkov_binary, ids, scan};
use crate::support::emulator::{
    Emulator, moto_server_path, python_beside, write_override, write_provider_override,
};
use crate::support::terraform::{PlanOutcome, Terraform, TerraformError};
use crate::support::{terraform_available, tfgen, tool_missing};

/// moto's default account: what its GetCallerIdentity answers.
const MOTO_ACCOUNT: &str = "123456789012";
const REGION: &str = "us-east-1";
const STATE_BUCKET: &str = "tfgen-test-tfstate";
/// The file the harness passes to `terraform init -backend-config`.
const BACKEND_CONFIG: &str = "emulator.s3.tfbackend";

fn tools_present() -> bool {
    terraform_available() && (moto_server_path().is_file() || !tool_missing("moto_server"))
}

fn write_blocks(path: &Path, blocks: Vec<Block>) {
    std::fs::write(path, render(&Document::new(blocks), Format::Hcl)).unwrap();
}

fn step<T>(what: &str, emulator: &Emulator, result: Result<T, TerraformError>) -> T {
    result.unwrap_or_else(|error| {
        let log = emulator.log();
        let tail: Vec<&str> = log.lines().rev().take(30).collect();
        panic!(
            "{what}: {error}\n--- moto log (tail, newest first) ---\n{}",
            tail.join("\n")
        )
    })
}

/// Creates the state bucket with its bootstrap module, applied once with
/// local state as a user would before the first environment.
fn bootstrap_state_bucket(emulator: &Emulator) {
    let directory = tempfile::Builder::new()
        .prefix("tfgen-state-")
        .tempdir()
        .unwrap();
    write_blocks(
        &directory.path().join("main.tf"),
        state_bucket_module(STATE_BUCKET, REGION, Some(MOTO_ACCOUNT), 90),
    );
    write_override(directory.path(), &emulator.endpoint()).unwrap();
    let mut terraform = Terraform::new(directory.path());
    step("bootstrap init", emulator, terraform.init());
    step("bootstrap apply", emulator, terraform.apply());
    // moto enforces bucket policies but serves plain HTTP only, so the
    // TLS-only policy (checked by checkov below, and applied just now) would
    // deny every backend call: the harness lifts it for the emulator.
    s3(emulator, "delete-policy", "", b"");
}

/// The emulator's side of the S3 backend: endpoint, static credentials and
/// path-style addressing, none of which a user's backend block carries.
fn write_backend_config(directory: &Path, endpoint: &str) -> std::path::PathBuf {
    let path = directory.join(BACKEND_CONFIG);
    let text = format!(
        "endpoints = {{\n  s3  = \"{endpoint}\"\n  sts = \"{endpoint}\"\n}}\n\
         access_key                  = \"test\"\n\
         secret_key                  = \"test\"\n\
         use_path_style              = true\n\
         skip_credentials_validation = true\n\
         skip_requesting_account_id  = true\n\
         skip_metadata_api_check     = true\n"
    );
    std::fs::write(&path, text).unwrap();
    path
}

/// The tfgen.hcl of the tests: both environments keep their state in the
/// bucket the bootstrap creates, each under the key derived from its name;
/// prod is guarded to moto's account and tagged.
fn test_config(prod_account: &str) -> String {
    format!(
        r#"defaults {{
  state {{
    bucket = "{STATE_BUCKET}"
    region = "{REGION}"
  }}
  tags = {{ Project = "sagemaker-mlops" }}
}}

environment "dev" {{}}

environment "prod" {{
  profile    = "hardened"
  account_id = "{prod_account}"
  tags       = {{ Owner = "ml-platform" }}
  variables = {{
    repository_branch     = "main"
    artifacts_bucket_name = "sagemaker-artifacts-pipeline-18345-prod"
  }}
}}
"#
    )
}

/// Renders one environment of `config` with the binary into `directory`:
/// the files exactly as a user gets them, the emulator nowhere in them.
fn render_environment(config: &Path, environment: &str, directory: &Path, emulator: &Emulator) {
    tfgen(&[
        "--config",
        config.to_str().unwrap(),
        "render",
        "--env",
        environment,
        "--format",
        "hcl",
        "--out",
        directory.to_str().unwrap(),
    ])
    .run()
    .expect(0);
    let versions = std::fs::read_to_string(directory.join("versions.tf")).unwrap();
    assert!(versions.contains("backend \"s3\""), "{versions}");
    assert!(versions.contains("use_lockfile = true"), "{versions}");
    for entry in std::fs::read_dir(directory).unwrap().flatten() {
        let text = std::fs::read_to_string(entry.path()).unwrap();
        assert!(
            !text.contains(&emulator.endpoint()) && !text.contains("127.0.0.1"),
            "{} points at the emulator",
            entry.path().display()
        );
    }
}

/// One environment rendered by tfgen with its S3 backend, initialised
/// against the emulator through the harness's files only.
fn prepare(config: &Path, environment: &str, directory: &Path, emulator: &Emulator) -> Terraform {
    render_environment(config, environment, directory, emulator);
    write_provider_override(directory, &emulator.endpoint()).unwrap();
    let backend_config = write_backend_config(directory, &emulator.endpoint());
    let mut terraform = Terraform::new(directory);
    step(
        &format!("{environment}: init"),
        emulator,
        terraform.init_with_backend_config(&backend_config),
    );
    terraform
}

/// What [`s3`] runs with the boto3 beside moto: signed calls, since the
/// state bucket refuses anonymous ones. Exit 3 means no such object.
const S3_SCRIPT: &str = r#"
import sys, boto3
operation, endpoint, bucket, key = sys.argv[1:5]
s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                  aws_access_key_id="test", aws_secret_access_key="test")
if operation == "get":
    try:
        sys.stdout.buffer.write(s3.get_object(Bucket=bucket, Key=key)["Body"].read())
    except s3.exceptions.NoSuchKey:
        sys.exit(3)
elif operation == "put":
    s3.put_object(Bucket=bucket, Key=key, Body=sys.stdin.buffer.read())
elif operation == "delete-policy":
    s3.delete_bucket_policy(Bucket=bucket)
"#;

/// One S3 call on the state bucket: `Some(body)`, or `None` when the
/// object does not exist; panics on any other failure.
fn s3(emulator: &Emulator, operation: &str, key: &str, body: &[u8]) -> Option<Vec<u8>> {
    let python = python_beside(&moto_server_path());
    let mut child = Command::new(&python)
        .args([
            "-c",
            S3_SCRIPT,
            operation,
            &emulator.endpoint(),
            STATE_BUCKET,
            key,
        ])
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("running {}: {e}", python.display()));
    child.stdin.take().unwrap().write_all(body).unwrap();
    let output = child.wait_with_output().unwrap();
    match output.status.code() {
        Some(0) => Some(output.stdout),
        Some(3) => None,
        _ => panic!(
            "s3 {operation} {key} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ),
    }
}

/// The environment's state object, parsed; panics when it is missing.
fn state_object(emulator: &Emulator, environment: &str) -> (Vec<u8>, Value) {
    let key = default_state_key(environment);
    let body = s3(emulator, "get", &key, b"")
        .unwrap_or_else(|| panic!("no state object s3://{STATE_BUCKET}/{key}"));
    let state: Value = serde_json::from_slice(&body).expect("state is JSON");
    (body, state)
}

fn serial_and_resources(state: &Value) -> (u64, usize) {
    (
        state["serial"].as_u64().expect("a serial"),
        state["resources"].as_array().map_or(0, Vec::len),
    )
}

#[test]
fn environments_apply_in_parallel_each_to_its_own_locked_state() {
    if !tools_present() {
        return;
    }
    let emulator = Emulator::start().expect("moto starts");
    let started = Instant::now();
    bootstrap_state_bucket(&emulator);
    let bootstrap = started.elapsed();

    let project = tempfile::tempdir().unwrap();
    let config = project.path().join("tfgen.hcl");
    std::fs::write(&config, test_config(MOTO_ACCOUNT)).unwrap();
    let names: Vec<String> = vec!["dev".into(), "prod".into()];
    let directories: Vec<tempfile::TempDir> = names
        .iter()
        .map(|name| {
            tempfile::Builder::new()
                .prefix(&format!("tfgen-{name}-"))
                .tempdir()
                .unwrap()
        })
        .collect();
    let mut runs: Vec<Terraform> = names
        .iter()
        .zip(&directories)
        .map(|(name, directory)| prepare(&config, name, directory.path(), &emulator))
        .collect();

    // Both applies at once: each takes its own lock, on its own key.
    let parallel = Instant::now();
    let applied: Vec<(String, Duration)> = std::thread::scope(|scope| {
        let handles: Vec<_> = runs
            .iter_mut()
            .zip(&names)
            .map(|(terraform, name)| {
                let emulator = &emulator;
                scope.spawn(move || {
                    let one = Instant::now();
                    step(&format!("{name}: apply"), emulator, terraform.apply());
                    (name.clone(), one.elapsed())
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().expect("apply thread"))
            .collect()
    });
    let wall = parallel.elapsed();
    let summed: Duration = applied.iter().map(|(_, time)| *time).sum();
    eprintln!(
        "bootstrap {:.1}s; parallel applies: {} ; wall {:.1}s (sum {:.1}s)",
        bootstrap.as_secs_f64(),
        applied
            .iter()
            .map(|(name, time)| format!("{name} {:.1}s", time.as_secs_f64()))
            .collect::<Vec<_>>()
            .join(", "),
        wall.as_secs_f64(),
        summed.as_secs_f64()
    );

    for (name, directory) in names.iter().zip(&directories) {
        let (_, state) = state_object(&emulator, name);
        let (_, resources) = serial_and_resources(&state);
        assert!(resources > 0, "{name}: the state holds no resources");
        let lock = format!("{}.tflock", default_state_key(name));
        assert_eq!(
            s3(&emulator, "get", &lock, b""),
            None,
            "{name}: lock left behind"
        );
        assert!(
            !directory.path().join("terraform.tfstate").exists(),
            "{name}: state written locally instead of to S3"
        );
    }
    for (terraform, name) in runs.iter_mut().zip(&names) {
        let outcome = step(
            &format!("{name}: re-plan"),
            &emulator,
            terraform.plan_detailed_exitcode(),
        );
        assert_eq!(outcome, PlanOutcome::NoChanges, "{name}: re-plan");
    }

    // Another run holds prod's lock: a second apply must stop at once with
    // Terraform's lock error and leave the state object as it was.
    let prod = names.iter().position(|name| name == "prod").unwrap();
    let (before, before_state) = state_object(&emulator, "prod");
    let lock_key = format!("{}.tflock", default_state_key("prod"));
    let lock_info = format!(
        r#"{{"ID":"00000000-0000-0000-0000-000000000001","Operation":"OperationTypeApply","Info":"","Who":"ci@other-runner","Version":"1.11.4","Created":"2026-01-01T00:00:00Z","Path":"{STATE_BUCKET}/{}"}}"#,
        default_state_key("prod")
    );
    s3(&emulator, "put", &lock_key, lock_info.as_bytes());
    let locked = Instant::now();
    let error = runs[prod]
        .apply()
        .expect_err("an apply while another run holds the lock must fail");
    eprintln!(
        "locked apply refused after {:.1}s",
        locked.elapsed().as_secs_f64()
    );
    assert!(
        error.stderr.contains("Error acquiring the state lock"),
        "not Terraform's lock error: {error}"
    );
    assert!(error.stderr.contains("ci@other-runner"), "{error}");
    let (after, after_state) = state_object(&emulator, "prod");
    assert_eq!(
        serial_and_resources(&after_state),
        serial_and_resources(&before_state)
    );
    assert_eq!(after, before, "the state object changed under a held lock");
}

#[test]
fn allowed_account_ids_refuses_credentials_of_another_account() {
    if !tools_present() {
        return;
    }
    let emulator = Emulator::start().expect("moto starts");
    let directory = tempfile::Builder::new()
        .prefix("tfgen-guard-")
        .tempdir()
        .unwrap();
    // moto's credentials belong to MOTO_ACCOUNT; prod allows only another
    // account, as prod's output applied with dev's credentials. The state
    // stays local here (write_override): the guard is what is tested.
    let project = tempfile::tempdir().unwrap();
    let config = project.path().join("tfgen.hcl");
    std::fs::write(&config, test_config("210987654321")).unwrap();
    render_environment(&config, "prod", directory.path(), &emulator);
    write_override(directory.path(), &emulator.endpoint()).unwrap();
    let mut terraform = Terraform::new(directory.path());
    step("guard: init", &emulator, terraform.init());
    let error = terraform
        .apply()
        .expect_err("an apply with another account's credentials must fail");
    assert!(
        error
            .stderr
            .contains(&format!("AWS account ID not allowed: {MOTO_ACCOUNT}")),
        "not the provider's account guard: {error}"
    );
    let buckets = &emulator.inventory()["s3_buckets"];
    assert_eq!(buckets, &serde_json::json!({}), "nothing may be created");
}

#[test]
fn state_bucket_bootstrap_validates_and_passes_checkov() {
    let directory = tempfile::Builder::new()
        .prefix("tfgen-state-")
        .tempdir()
        .unwrap();
    write_blocks(
        &directory.path().join("main.tf"),
        state_bucket_module(STATE_BUCKET, REGION, Some(MOTO_ACCOUNT), 90),
    );
    match checkov_binary() {
        Some(checkov) => {
            let report = scan(&checkov, directory.path());
            let summary = &report["summary"];
            eprintln!("checkov on the state bucket module: {summary}");
            assert_eq!(
                summary["failed"].as_u64(),
                Some(0),
                "{:?}",
                ids(&report, "failed_checks")
            );
            assert_eq!(summary["parsing_errors"].as_u64(), Some(0));
            let mut skipped: Vec<String> = ids(&report, "skipped_checks")
                .into_iter()
                .map(|(id, _)| id)
                .collect();
            skipped.sort();
            assert_eq!(skipped, ["CKV2_AWS_62", "CKV_AWS_144", "CKV_AWS_18"]);
            let passed = ids(&report, "passed_checks");
            for id in ["CKV2_AWS_6", "CKV2_AWS_61", "CKV_AWS_145", "CKV_AWS_21"] {
                assert!(
                    passed.contains(&(id.to_string(), "aws_s3_bucket.state".to_string())),
                    "{id} did not pass"
                );
            }
        }
        None => {
            tool_missing("checkov");
        }
    }
    if terraform_available() {
        let mut terraform = Terraform::new(directory.path());
        terraform.init().expect("init");
        terraform.validate().expect("validate");
    }
}
