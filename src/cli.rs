//! Command-line arguments, parsed with clap's derive API. Parsing only:
//! checks that need the configuration happen in [`crate::commands`].

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::render::Format;
use crate::stack::Profile;

const ABOUT: &str = "Generate, check and review the Terraform of the SageMaker MLOps foundation.";

const EXIT_CODES: &str = "\
Exit codes:
  0  success: rendered, no drift, no finding at the --deny level, no difference
  1  `check` found drift, `diff` found a difference, or `lint` found a finding at the --deny level
  2  error: bad arguments, bad tfgen.hcl, a value AWS would reject, or an I/O failure";

#[derive(Debug, Parser)]
#[command(name = "tfgen", version, about = ABOUT, after_help = EXIT_CODES)]
pub struct Cli {
    /// The environments file [default: ./tfgen.hcl if present, else built-in dev and prod]
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Render an environment to stdout or a directory, or every environment into out/
    Render(RenderArgs),
    /// Compare out/ with what the model renders now; exit 1 on drift
    Check(CheckArgs),
    /// Check every name, limit and policy against AWS's rules, without rendering
    Validate(ValidateArgs),
    /// List the environments with their profile and where they are defined
    Envs,
}

#[derive(Debug, Args)]
pub struct RenderArgs {
    /// The environment to render
    #[arg(long, value_name = "ENV", conflicts_with = "all")]
    pub env: Option<String>,

    /// Render every environment in both formats into the out directory
    #[arg(long)]
    pub all: bool,

    /// Output syntax: Terraform JSON (.tf.json) or HCL (.tf)
    #[arg(long, value_enum, conflicts_with = "all")]
    pub format: Option<Format>,

    /// Use this profile instead of the environment's own
    #[arg(long, value_enum, value_name = "NAME", conflicts_with = "all")]
    pub profile: Option<Profile>,

    /// Write split files (versions, provider, variables, s3, iam_roles, outputs) into DIR
    /// instead of one document to stdout; with --all, the root of the tree [default: out]
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The directory of committed output to compare with
    #[arg(long, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// The environment to check [default: every environment]
    #[arg(long, value_name = "ENV", conflicts_with = "all")]
    pub env: Option<String>,

    /// Check every environment (the default)
    #[arg(long)]
    pub all: bool,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
