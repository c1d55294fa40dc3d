//! Helpers shared by the integration tests: a builder for runs of the
//! tfgen binary, the runners for the external programs (terraform, moto)
//! and a way to render with the real binary.

pub mod emulator;
pub mod terraform;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use tfgen::config::{Config, Environment};
use tfgen::render::Format;
use tfgen::stack::{Profile, Stack};

pub fn project_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Whether a tool the suite installs itself (moto, checkov) may be missing:
/// on a developer's machine the test says SKIPPED; in CI (`CI` set) a missing
/// tool is a broken install step and fails the test.
pub fn tool_missing(what: &str) -> bool {
    if std::env::var_os("CI").is_some() {
        panic!("{what} is missing in CI: scripts/install-test-tools.sh should have installed it");
    }
    eprintln!(
        "SKIPPED: {what} not found; run scripts/install-test-tools.sh (scripts/test.sh does)"
    );
    true
}

/// False, after a loud SKIPPED line, when terraform is not installed; in CI
/// (`CI` set) a missing terraform is a broken runner and fails the test, so a
/// suite that applied nothing can never pass there.
pub fn terraform_available() -> bool {
    if terraform::Terraform::available() {
        return true;
    }
    if std::env::var_os("CI").is_some() {
        panic!("terraform is missing in CI: the workflow must install it (or set TFGEN_TERRAFORM)");
    }
    eprintln!("SKIPPED: terraform not found");
    false
}

/// The repository's tfgen.hcl, as the binary reads it from the root.
pub fn project_config() -> Config {
    let bytes = std::fs::read(project_root().join("tfgen.hcl")).expect("tfgen.hcl is readable");
    Config::parse(Path::new("tfgen.hcl"), &bytes).expect("tfgen.hcl is valid")
}

/// The stack of an environment, optionally under another profile.
pub fn stack(environment: &Environment, profile: Option<Profile>) -> Stack {
    let mut environment = environment.clone();
    if let Some(profile) = profile {
        environment.profile = profile;
    }
    Stack::build(&environment)
}

/// Renders an environment's split files into `directory` with the binary.
pub fn render(environment: &str, format: Format, profile: Option<Profile>, directory: &Path) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tfgen"));
    command
        .current_dir(project_root())
        .args([
            "render",
            "--env",
            environment,
            "--format",
            format.name(),
            "--out",
        ])
        .arg(directory);
    if let Some(profile) = profile {
        command.args(["--profile", profile.name()]);
    }
    let output = command.output().expect("tfgen runs");
    assert!(
        output.status.success(),
        "tfgen render --env {environment} --format {format} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// One run of the binary, built up like a test case.
pub struct Run {
    command: Command,
}

pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn tfgen(args: &[&str]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tfgen"));
    command
        .args(args)
        .env_remove("NO_COLOR")
        .env("RUST_BACKTRACE", "1");
    Run { command }
}

impl Run {
    pub fn in_dir(mut self, directory: &Path) -> Run {
        self.command.current_dir(directory);
        self
    }

    pub fn env(mut self, name: &str, value: &str) -> Run {
        self.command.env(name, value);
        self
    }

    pub fn run(mut self) -> Output {
        let output = self
            .command
            .stdin(Stdio::null())
            .output()
            .expect("tfgen runs");
        Output {
            code: output.status.code().expect("tfgen exits, not killed"),
            stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
        }
    }
}

impl Output {
    pub fn expect(self, code: i32) -> Output {
        assert_eq!(
            self.code, code,
            "exit code\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        assert!(!self.stderr.contains("panicked"), "{}", self.stderr);
        assert!(!self.stderr.contains("backtrace"), "{}", self.stderr);
        self
    }

    /// Exit 2, nothing on stdout, and exactly this on stderr.
    pub fn expect_error(self, stderr: &str) {
        let output = self.expect(2);
        assert_eq!(output.stdout, "", "stdout must stay empty on error");
        assert_eq!(output.stderr, stderr);
    }
}
