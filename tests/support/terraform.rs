//! A small runner for the real `terraform` CLI, for tests.
//!
//! Every command runs non-interactively (`TF_IN_AUTOMATION=1`, `TF_INPUT=0`,
//! `-input=false` where the subcommand takes it) and without colour, so that
//! terraform's own messages can be quoted verbatim in a test failure: a failed
//! step becomes a [`TerraformError`] naming the step, the working directory,
//! the exit code and terraform's full stderr and stdout.
//!
//! The environment is made hermetic: the version check is disabled, every
//! `AWS_*` variable of the caller is removed (tests must never reach a real
//! AWS account, whatever profile the developer has exported), and a missing
//! `TF_CLI_CONFIG_FILE` is replaced by an empty one instead of a warning.
//!
//! `TFGEN_TERRAFORM` picks the binary (default: `terraform` on PATH);
//! `TF_PLUGIN_DIR` makes `init` install providers from that local mirror
//! (`-plugin-dir`), which is how the suite runs offline.
//!
//! Each step's wall time is recorded, so a suite can report where time goes.

use std::ffi::OsString;
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use serde_json::Value;

/// One terraform subcommand, as named in errors and timings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Init,
    Validate,
    Apply,
    Plan,
    Show,
    Output,
    Destroy,
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Step::Init => "init",
            Step::Validate => "validate",
            Step::Apply => "apply",
            Step::Plan => "plan",
            Step::Show => "show",
            Step::Output => "output",
            Step::Destroy => "destroy",
        })
    }
}

/// What `terraform plan -detailed-exitcode` found.
#[derive(Debug, PartialEq, Eq)]
pub enum PlanOutcome {
    /// Exit code 0: the infrastructure matches the configuration.
    NoChanges,
    /// Exit code 2, with terraform's human-readable plan (what would change).
    Changes(String),
}

/// A terraform command that could not be run or exited unsuccessfully.
#[derive(Debug)]
pub struct TerraformError {
    pub step: Step,
    pub workdir: PathBuf,
    /// The command line, for reproducing the failure by hand.
    pub command: String,
    /// `None` when terraform could not be started or was killed by a signal.
    pub exit_code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl fmt::Display for TerraformError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let code = self
            .exit_code
            .map_or_else(|| "no exit code".to_owned(), |c| format!("exit code {c}"));
        writeln!(
            f,
            "terraform {} failed ({code}) in {}",
            self.step,
            self.workdir.display()
        )?;
        writeln!(f, "command: {}", self.command)?;
        writeln!(f, "--- stderr ---\n{}", self.stderr.trim_end())?;
        write!(f, "--- stdout ---\n{}", self.stdout.trim_end())
    }
}

impl std::error::Error for TerraformError {}

/// Runs terraform in one working directory and records how long each step took.
pub struct Terraform {
    binary: OsString,
    workdir: PathBuf,
    timings: Vec<(Step, Duration)>,
}

impl Terraform {
    pub fn new(workdir: impl Into<PathBuf>) -> Terraform {
        Terraform {
            binary: terraform_binary(),
            workdir: workdir.into(),
            timings: Vec::new(),
        }
    }

    /// Whether the terraform binary can be run at all (tests skip without it).
    pub fn available() -> bool {
        Command::new(terraform_binary())
            .arg("version")
            .output()
            .is_ok_and(|output| output.status.success())
    }

    /// `terraform init`, from `TF_PLUGIN_DIR` when set.
    pub fn init(&mut self) -> Result<(), TerraformError> {
        let mut args = vec!["init".to_owned(), "-input=false".to_owned()];
        if let Some(dir) = std::env::var_os("TF_PLUGIN_DIR").filter(|d| !d.is_empty()) {
            args.push(format!("-plugin-dir={}", dir.to_string_lossy()));
        }
        self.run(Step::Init, &args).map(drop)
    }

    /// `terraform init -backend-config=FILE`: the test's own backend
    /// settings (endpoint, credentials) merged into the configuration's
    /// `backend` block, which stays as a user gets it.
    pub fn init_with_backend_config(&mut self, file: &Path) -> Result<(), TerraformError> {
        let mut args = vec![
            "init".to_owned(),
            "-input=false".to_owned(),
            format!("-backend-config={}", file.display()),
        ];
        if let Some(dir) = std::env::var_os("TF_PLUGIN_DIR").filter(|d| !d.is_empty()) {
            args.push(format!("-plugin-dir={}", dir.to_string_lossy()));
        }
        self.run(Step::Init, &args).map(drop)
    }

    pub fn validate(&mut self) -> Result<(), TerraformError> {
        self.run(Step::Validate, &["validate"]).map(drop)
    }

    pub fn apply(&mut self) -> Result<(), TerraformError> {
        self.run(Step::Apply, &["apply", "-auto-approve", "-input=false"])
            .map(drop)
    }

    /// `terraform plan -detailed-exitcode`: 0 is no changes, 2 is changes,
    /// anything else is an error.
    pub fn plan_detailed_exitcode(&mut self) -> Result<PlanOutcome, TerraformError> {
        let args = ["plan", "-detailed-exitcode", "-input=false"];
        match self.run_accepting(Step::Plan, &args, &[0, 2])? {
            output if output.status.code() == Some(2) => Ok(PlanOutcome::Changes(
                String::from_utf8_lossy(&output.stdout).into_owned(),
            )),
            _ => Ok(PlanOutcome::NoChanges),
        }
    }

    /// `terraform plan -out` with `-var NAME=VALUE` for each pair, then
    /// `terraform show -json` of that plan.
    pub fn plan_json(&mut self, vars: &[(&str, &str)]) -> Result<Value, TerraformError> {
        let plan_file = tempfile::Builder::new()
            .prefix("tfgen-")
            .suffix(".tfplan")
            .tempfile()
            .map_err(|e| self.io_error(Step::Plan, &["plan"], "creating a plan file", e))?;
        let plan_path = plan_file.path().to_string_lossy().into_owned();
        let mut args = vec![
            "plan".to_owned(),
            "-input=false".to_owned(),
            format!("-out={plan_path}"),
        ];
        for (name, value) in vars {
            args.push("-var".to_owned());
            args.push(format!("{name}={value}"));
        }
        self.run(Step::Plan, &args)?;
        self.run_json(Step::Show, &["show", "-json", &plan_path])
    }

    /// `terraform output -json`: `{NAME: {"value", "type", "sensitive"}}`.
    pub fn output_json(&mut self) -> Result<Value, TerraformError> {
        self.run_json(Step::Output, &["output", "-json"])
    }

    pub fn destroy(&mut self) -> Result<(), TerraformError> {
        self.run(Step::Destroy, &["destroy", "-auto-approve", "-input=false"])
            .map(drop)
    }

    /// Any terraform command (`plan -refresh-only ...`, `show -json FILE`),
    /// failing unless it exits with one of `ok`; its standard output.
    pub fn raw(&mut self, args: &[&str], ok: &[i32]) -> Result<Vec<u8>, TerraformError> {
        let step = match args.first().copied() {
            Some("show") => Step::Show,
            Some("apply") => Step::Apply,
            Some("destroy") => Step::Destroy,
            _ => Step::Plan,
        };
        self.run_accepting(step, args, ok)
            .map(|output| output.stdout)
    }

    /// Wall time of every step run so far, in order.
    pub fn timings(&self) -> &[(Step, Duration)] {
        &self.timings
    }

    /// One line such as `init 3.1s, apply 9.8s, total 12.9s`.
    pub fn timing_summary(&self) -> String {
        let total: Duration = self.timings().iter().map(|(_, d)| *d).sum();
        self.timings()
            .iter()
            .map(|(step, d)| format!("{step} {:.1}s", d.as_secs_f64()))
            .chain([format!("total {:.1}s", total.as_secs_f64())])
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn run_json(&mut self, step: Step, args: &[&str]) -> Result<Value, TerraformError> {
        let output = self.run(step, args)?;
        serde_json::from_slice(&output.stdout).map_err(|e| TerraformError {
            stderr: format!("terraform printed invalid JSON: {e}"),
            ..self.error(step, args, &output)
        })
    }

    fn run(&mut self, step: Step, args: &[impl AsRef<str>]) -> Result<Output, TerraformError> {
        self.run_accepting(step, args, &[0])
    }

    /// Runs one command, times it, and fails unless its exit code is one of `ok`.
    fn run_accepting(
        &mut self,
        step: Step,
        args: &[impl AsRef<str>],
        ok: &[i32],
    ) -> Result<Output, TerraformError> {
        let mut command = Command::new(&self.binary);
        command.current_dir(&self.workdir).args(with_no_color(args));
        for (name, _) in std::env::vars_os() {
            if name.to_string_lossy().starts_with("AWS_") {
                command.env_remove(name);
            }
        }
        command
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("TF_IN_AUTOMATION", "1")
            .env("TF_INPUT", "0")
            .env("CHECKPOINT_DISABLE", "1");
        if std::env::var_os("TF_CLI_CONFIG_FILE").is_some_and(|f| !Path::new(&f).exists()) {
            command.env("TF_CLI_CONFIG_FILE", "/dev/null");
        }

        let started = Instant::now();
        let result = command.output();
        self.timings.push((step, started.elapsed()));
        let output = result.map_err(|e| self.io_error(step, args, "running terraform", e))?;
        match output.status.code() {
            Some(code) if ok.contains(&code) => Ok(output),
            _ => Err(self.error(step, args, &output)),
        }
    }

    fn error(&self, step: Step, args: &[impl AsRef<str>], output: &Output) -> TerraformError {
        TerraformError {
            step,
            workdir: self.workdir.clone(),
            command: self.command_line(args),
            exit_code: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    fn io_error(
        &self,
        step: Step,
        args: &[impl AsRef<str>],
        doing: &str,
        e: std::io::Error,
    ) -> TerraformError {
        TerraformError {
            step,
            workdir: self.workdir.clone(),
            command: self.command_line(args),
            exit_code: None,
            stdout: String::new(),
            stderr: format!("{doing}: {e}"),
        }
    }

    fn command_line(&self, args: &[impl AsRef<str>]) -> String {
        let mut line = self.binary.to_string_lossy().into_owned();
        for arg in with_no_color(args) {
            line.push(' ');
            line.push_str(arg);
        }
        line
    }
}

/// `args` with `-no-color` right after the subcommand: terraform stops reading
/// flags at the first positional argument (e.g. the plan file of `show`).
fn with_no_color(args: &[impl AsRef<str>]) -> impl Iterator<Item = &str> {
    let (subcommand, rest) = args.split_first().expect("a terraform subcommand");
    [subcommand.as_ref(), "-no-color"]
        .into_iter()
        .chain(rest.iter().map(AsRef::as_ref))
}

/// `TFGEN_TERRAFORM`, else `terraform` looked up on PATH.
fn terraform_binary() -> OsString {
    std::env::var_os("TFGEN_TERRAFORM").unwrap_or_else(|| "terraform".into())
}
