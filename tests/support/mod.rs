//! Helpers shared by the integration tests: the runners for the external
//! programs (terraform, moto, checkov) and a way to render with the real
//! binary.

pub mod emulator;
pub mod terraform;

use std::path::{Path, PathBuf};
use std::process::Command;

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

/// False, after a loud SKIPPED line, when terraform is not installed.
pub fn terraform_available() -> bool {
    if terraform::Terraform::available() {
        return true;
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
