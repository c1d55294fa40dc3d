//! A local AWS emulator (moto server) for applying generated Terraform for real.
//!
//! `terraform validate` only proves the configuration is well formed; the
//! provider's own checks (argument conflicts, API round trips, a perpetual diff
//! on the second plan) show up only when resources are actually created. moto
//! gives us those API round trips offline, in-memory and per process, so each
//! [`Emulator`] is an isolated, empty AWS account that disappears with it.
//!
//! moto is installed by `scripts/install-test-tools.sh` into `<repo>/.tools/moto`
//! (or point `TFGEN_MOTO_SERVER` at another `moto_server`). It is started by
//! `moto_launcher.py` with the python of that venv: moto's own server, after a
//! few documented patches for moto defects that stop the AWS provider on
//! CodeCommit, CodePipeline, CodeBuild and IAM (the rendered files are never bent
//! around the emulator). The inventory of
//! what exists is read by `inventory.py` with the boto3 that ships with moto,
//! so the Rust side needs no AWS SDK.

use std::fs::File;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// How long moto may take to answer HTTP after being spawned.
const START_TIMEOUT: Duration = Duration::from_secs(30);
/// How many free ports to try when another process grabs ours first.
const PORT_ATTEMPTS: usize = 5;

/// Name of the file [`write_override`] writes; Terraform merges any
/// `*_override.tf.json` into the blocks of the same name in the other files.
pub const OVERRIDE_FILE: &str = "emulator_override.tf.json";

/// A running moto server on a free loopback port, killed when dropped (also
/// when the test that owns it panics).
pub struct Emulator {
    child: Child,
    port: u16,
    moto_server: PathBuf,
    log: PathBuf,
    _log_dir: tempfile::TempDir,
}

impl Emulator {
    /// Spawns moto and waits until it answers HTTP.
    ///
    /// The port comes from the OS (bind port 0, then release it); if moto finds
    /// it taken by the time it binds, it exits and we retry with a new port.
    pub fn start() -> Result<Emulator, String> {
        let moto_server = moto_server_path();
        if !moto_server.is_file() {
            return Err(format!(
                "moto_server not found at {} (run scripts/install-test-tools.sh, \
                 or set TFGEN_MOTO_SERVER)",
                moto_server.display()
            ));
        }
        let mut last_error = String::new();
        for _ in 0..PORT_ATTEMPTS {
            let mut emulator = Emulator::spawn(&moto_server, free_port()?)?;
            match emulator.wait_until_ready() {
                Ok(()) => return Ok(emulator),
                // moto exits at once when the port was taken: try another.
                // Dropping `emulator` removes its log dir.
                Err(Startup::Exited(e)) => last_error = e,
                Err(Startup::TimedOut(e)) => return Err(e),
            }
        }
        Err(last_error)
    }

    /// Spawns moto on `port` with its output in a fresh temp dir; the returned
    /// value owns the process from here on, so nothing outlives it.
    fn spawn(moto_server: &Path, port: u16) -> Result<Emulator, String> {
        let log_dir = tempfile::Builder::new()
            .prefix("tfgen-moto-")
            .tempdir()
            .map_err(|e| format!("creating a temp dir for the moto log: {e}"))?;
        let log = log_dir.path().join("moto_server.log");
        let stdout = File::create(&log).map_err(|e| format!("creating {}: {e}", log.display()))?;
        let stderr = stdout
            .try_clone()
            .map_err(|e| format!("duplicating the moto log handle: {e}"))?;
        let child = Command::new(python_beside(moto_server))
            .arg(launcher_path())
            // AWS's managed policies (`data "aws_iam_policy"` of
            // AWSCodeCommitPowerUser in the seed pipeline) exist in every
            // account; moto loads them only when asked, as it is slow.
            .env("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(stdout)
            .stderr(stderr)
            .spawn()
            .map_err(|e| {
                format!(
                    "spawning {} with {}: {e}",
                    launcher_path().display(),
                    python_beside(moto_server).display()
                )
            })?;
        Ok(Emulator {
            child,
            port,
            moto_server: moto_server.to_path_buf(),
            log,
            _log_dir: log_dir,
        })
    }

    /// Base URL of the emulator, for every AWS service at once.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Everything moto's server has logged so far (requests, tracebacks):
    /// worth appending to a failure message.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_else(|e| format!("<no moto log: {e}>"))
    }

    /// What exists in the emulator, as printed by `inventory.py`:
    ///
    /// ```json
    /// { "s3_buckets": { NAME: { "versioning", "encryption", "public_access_block",
    ///                           "ownership_controls", "policy", "lifecycle_rules",
    ///                           "tags", "region", "mfa_delete" } },
    ///   "iam_roles": { NAME: { "arn", "path", "description", "assume_role_policy",
    ///                          "max_session_duration", "tags", "inline_policies" } },
    ///   "iam_policies": { NAME: { "arn", "path", "description", "document", "tags" } },
    ///   "iam_role_policy_attachments": [ { "role", "policy_arn" } ],
    ///   "iam_users": { NAME: { "arn", "path", "groups", "attached_policies",
    ///                          "service_specific_credentials": [ { "service_name",
    ///                          "service_user_name", "status" } ] } },
    ///   "iam_groups": { NAME: { "arn", "path", "users", "attached_policies" } },
    ///   "codecommit_repositories": { NAME: { "arn", "description", "default_branch", "tags" } },
    ///   "codebuild_projects": { NAME: { "arn", "service_role", "encryption_key", "source",
    ///                                   "buildspec", "artifacts", "environment": { "type",
    ///                                   "image", "compute_type", "privileged_mode",
    ///                                   "variables": { NAME: { "value", "type" } } },
    ///                                   "timeout_in_minutes", "logs_config", "tags" } },
    ///   "codepipelines": { NAME: { "arn", "role_arn", "artifact_store", "pipeline_type", "triggers",
    ///                              "stages": [ { "name", "actions": [ { "name", "category",
    ///                              "owner", "provider", "version", "run_order", "role_arn",
    ///                              "configuration", "input_artifacts", "output_artifacts" } ] } ],
    ///                              "tags" } },
    ///   "event_rules": { NAME: { "arn", "description", "state", "event_pattern",
    ///                            "schedule_expression", "role_arn", "tags",
    ///                            "targets": [ { "id", "arn", "role_arn", "input" } ] } },
    ///   "kms_keys": { KEY_ID: { "arn", "state", "description", "aliases", "rotation", "policy" } },
    ///   "codestar_connections": { NAME: { "arn", "provider_type", "status", "tags" } },
    ///   "sns_topics": { NAME: { "arn", "kms_master_key_id", "policy",
    ///                           "subscriptions": [ { "protocol", "endpoint" } ] } } }
    /// ```
    ///
    /// Absent bucket configuration is `null`; policy documents and event
    /// patterns are parsed JSON. KMS keys are customer-managed ones only; after
    /// `destroy` they stay listed with state `PendingDeletion` (KMS never
    /// deletes a key at once), which a destroy check must accept.
    /// Panics with the script's output if it fails: in a test that is the
    /// failure to report.
    pub fn inventory(&self) -> Value {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/inventory.py");
        let python = self.python();
        let output = Command::new(&python)
            .arg(&script)
            .arg(self.endpoint())
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .output()
            .unwrap_or_else(|e| panic!("running {} {}: {e}", python.display(), script.display()));
        if !output.status.success() {
            panic!(
                "inventory.py failed ({}):\n{}\n--- moto log ---\n{}",
                output.status,
                String::from_utf8_lossy(&output.stderr),
                self.log()
            );
        }
        serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
            panic!(
                "inventory.py printed invalid JSON ({e}):\n{}",
                String::from_utf8_lossy(&output.stdout)
            )
        })
    }

    /// Runs `code` with the emulator's boto3, `ENDPOINT` and the
    /// arguments in `sys.argv[1:]`: what a team does to its account outside
    /// Terraform (an object uploaded, a policy edited in the console).
    /// Panics with the script's output if it fails; returns what it printed.
    pub fn boto3(&self, code: &str, args: &[&str]) -> String {
        let prelude = "import sys, boto3\n\
            def client(service):\n    \
                return boto3.client(service, endpoint_url=ENDPOINT, region_name='us-east-1', \
                aws_access_key_id='test', aws_secret_access_key='test')\n";
        let script = format!("ENDPOINT = {:?}\n{prelude}{code}", self.endpoint());
        let output = Command::new(self.python())
            .arg("-c")
            .arg(&script)
            .args(args)
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .output()
            .unwrap_or_else(|e| panic!("running python: {e}"));
        assert!(
            output.status.success(),
            "boto3 script failed ({}):\n{script}\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// Uploads an object to `bucket` (path-style, as the emulator needs).
    /// The emulator speaks plain HTTP, which a bucket policy denying
    /// insecure transport refuses: the policy is lifted for the upload and
    /// put back as it was, as a team's upload over TLS would pass it.
    pub fn put_object(&self, bucket: &str, key: &str) {
        self.boto3(
            "from botocore.config import Config\n\
             s3 = boto3.client('s3', endpoint_url=ENDPOINT, region_name='us-east-1', \
             aws_access_key_id='test', aws_secret_access_key='test', \
             config=Config(s3={'addressing_style': 'path'}))\n\
             bucket, key = sys.argv[1:]\n\
             try:\n    policy = s3.get_bucket_policy(Bucket=bucket)['Policy']\n\
             except s3.exceptions.ClientError:\n    policy = None\n\
             if policy:\n    s3.delete_bucket_policy(Bucket=bucket)\n\
             s3.put_object(Bucket=bucket, Key=key, Body=b'model')\n\
             if policy:\n    s3.put_bucket_policy(Bucket=bucket, Policy=policy)\n",
            &[bucket, key],
        );
    }

    fn python(&self) -> PathBuf {
        python_beside(&self.moto_server)
    }

    /// Waits until moto has bound its port and answers a plain HTTP GET;
    /// gives up when moto exits or [`START_TIMEOUT`] passes.
    ///
    /// An answer alone is not enough: if another process took the port after
    /// we released it, that process answers while our moto fails to bind and
    /// exits. moto (werkzeug) logs `Running on http://127.0.0.1:PORT` only
    /// once the port is its own, so that line is waited for first.
    fn wait_until_ready(&mut self) -> Result<(), Startup> {
        let deadline = Instant::now() + START_TIMEOUT;
        let bound_line = format!("http://127.0.0.1:{}", self.port);
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(Startup::Exited(format!(
                    "moto_server exited ({status}) before answering on port {}:\n{}",
                    self.port,
                    self.log()
                )));
            }
            if self.log().contains(&bound_line) && http_get_ok(self.port) {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(Startup::TimedOut(format!(
                    "moto_server did not answer on port {} within {START_TIMEOUT:?}:\n{}",
                    self.port,
                    self.log()
                )));
            }
            thread::sleep(Duration::from_millis(100));
        }
    }
}

/// Why [`Emulator::wait_until_ready`] gave up; each carries the message.
enum Startup {
    /// moto stopped, most likely because the port was taken meanwhile.
    Exited(String),
    /// moto runs but never answered: retrying would only wait again.
    TimedOut(String),
}

impl Drop for Emulator {
    fn drop(&mut self) {
        // An error means moto already exited; either way nothing is left running.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Writes [`OVERRIDE_FILE`] into `dir`, pointing provider "aws" at `endpoint`.
///
/// Terraform merges it argument by argument into the `provider "aws"` block the
/// configuration already has (e.g. `region = var.region`), so the generated
/// files are applied exactly as written. Only the services the stack calls are
/// redirected (S3, IAM, and STS for the provider's credential and account-id
/// lookups; CodeCommit, CodeBuild, CodePipeline, EventBridge, KMS and
/// CloudWatch Logs for the MLOps pipeline of issue 12); a call to any other
/// service would head for real AWS and fail, which is what we want to notice.
/// Beyond that:
/// - static `test` credentials, so no profile or environment is consulted;
/// - `s3_use_path_style`: `http://HOST:PORT/BUCKET`, since a bucket-name
///   subdomain of the emulator's host would not resolve;
/// - `skip_metadata_api_check`: never ask the EC2 metadata address;
/// - `max_retries = 2`: moto does not throttle, so retries only prolong the
///   failure when the emulator is gone (from ~30 s to ~10 s per command).
///
/// The state stays local (a `backend "local"` override replaces any backend
/// the output declares), so no test reaches a real state bucket; a test of
/// the S3 backend itself uses [`write_provider_override`].
pub fn write_override(dir: &Path, endpoint: &str) -> std::io::Result<()> {
    let mut override_json = provider_override(endpoint);
    override_json["terraform"] = json!({ "backend": { "local": {} } });
    write_json(dir, &override_json)
}

/// [`write_override`] without the local backend: the output's own backend
/// stays, for a test that points it at the emulator itself.
pub fn write_provider_override(dir: &Path, endpoint: &str) -> std::io::Result<()> {
    write_json(dir, &provider_override(endpoint))
}

fn write_json(dir: &Path, value: &Value) -> std::io::Result<()> {
    let mut text = serde_json::to_string_pretty(value)?;
    text.push('\n');
    std::fs::write(dir.join(OVERRIDE_FILE), text)
}

fn provider_override(endpoint: &str) -> Value {
    json!({
        "provider": {
            "aws": {
                "access_key": "test",
                "secret_key": "test",
                "s3_use_path_style": true,
                "skip_metadata_api_check": true,
                "max_retries": 2,
                "endpoints": {
                    "iam": endpoint,
                    "s3": endpoint,
                    "sts": endpoint,
                    "codecommit": endpoint,
                    "codebuild": endpoint,
                    "codepipeline": endpoint,
                    "codestarconnections": endpoint,
                    "events": endpoint,
                    "kms": endpoint,
                    "logs": endpoint,
                    "sns": endpoint,
                },
            }
        }
    })
}

/// The python that has moto and boto3: the one beside `moto_server` in its
/// venv, else whatever `python3` is on PATH.
pub fn python_beside(moto_server: &Path) -> PathBuf {
    let sibling = moto_server.with_file_name("python");
    if sibling.is_file() {
        sibling
    } else {
        PathBuf::from("python3")
    }
}

/// `moto_launcher.py`: moto's own server, started after the launcher's
/// patches for the moto defects that stop the AWS provider (each documented
/// there, each probed by `tests/emulator_patches.rs`).
pub fn launcher_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/moto_launcher.py")
}

/// `TFGEN_MOTO_SERVER`, else the venv made by `scripts/install-test-tools.sh`
/// under `TFGEN_TOOLS_DIR` (default `<repo>/.tools`), as the script puts it.
pub fn moto_server_path() -> PathBuf {
    std::env::var_os("TFGEN_MOTO_SERVER")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            std::env::var_os("TFGEN_TOOLS_DIR")
                .map_or_else(
                    || Path::new(env!("CARGO_MANIFEST_DIR")).join(".tools"),
                    PathBuf::from,
                )
                .join("moto/bin/moto_server")
        })
}

/// A port the OS considers free right now. Racy by nature: see [`Emulator::start`].
fn free_port() -> Result<u16, String> {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .map_err(|e| format!("asking the OS for a free port: {e}"))
}

/// True once something on `port` answers `GET /` with an HTTP status line.
fn http_get_ok(port: u16) -> bool {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let Ok(mut stream) = TcpStream::connect_timeout(&addr, Duration::from_secs(1)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let request = format!("GET / HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    let mut response = Vec::new();
    stream.write_all(request.as_bytes()).is_ok()
        && stream.read_to_end(&mut response).is_ok()
        && response.starts_with(b"HTTP/1.")
}
