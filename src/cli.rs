//! Command-line arguments, parsed with clap's derive API. Parsing only:
//! checks that need the configuration happen in [`crate::commands`].

use std::path::PathBuf;

use clap::builder::PossibleValue;
use clap::{Args, Parser, Subcommand};

use crate::graph::GraphFormat;
use crate::render::Format;
use crate::stack::Profile;

const ABOUT: &str = "Generate, check and review the Terraform of the SageMaker MLOps foundation.";

const EXIT_CODES: &str = "\
Exit codes:
  0  success: rendered, no drift, no finding at the --deny level, no difference
  1  `check` found drift, `diff` found a difference, `lint` found a finding at the --deny level,
     or `plan-summary` failed its gate (a destroy of what keeps data) or, with --drift, found drift
  2  error: bad arguments, bad tfgen.hcl, a value AWS would reject, or an I/O failure;
     nothing is written (every write is all or nothing); with --format json, check, validate
     and diff write the error as their JSON verdict on stdout too
check, lint, diff and validate exit with their verdict even when stdout is closed early
(`tfgen check | head -1`); render, envs and graph end quietly with 0 on a closed pipe.";

#[derive(Debug, Parser)]
#[command(name = "tfgen", version, about = ABOUT, after_help = EXIT_CODES)]
pub struct Cli {
    /// The environments file [default: ./tfgen.hcl if it exists (it must be readable), else built-in dev and prod]
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
    /// Semantic diff of two rendered stacks: resources and IAM permissions
    Diff(DiffArgs),
    /// Check every name, limit and policy against AWS's rules, without rendering
    Validate(ValidateArgs),
    /// Write import blocks that take an environment's existing resources into Terraform's state
    Adopt(AdoptArgs),
    /// Summarize what applying plans does, and gate destroys of what keeps data
    PlanSummary(PlanSummaryArgs),
    /// Find risky or broken statements in the IAM policies
    Lint(LintArgs),
    /// List the environments with their profile, account, region, state and output directories
    Envs(EnvsArgs),
    /// Draw an environment's resources and the references between them
    Graph(GraphArgs),
    /// Print shell completions for bash, zsh or fish
    Completions(CompletionsArgs),
    /// Print the man page (roff)
    Man,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in
    #[arg(value_enum)]
    pub shell: CompletionShell,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CompletionShell {
    Bash,
    Zsh,
    Fish,
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

    /// Write the stack split into files, one per part (versions, provider, variables, then one
    /// per group of resources: s3, iam_roles, ..., and outputs) into DIR instead of one document
    /// to stdout; with --all, the root of the tree [default: out]
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The directory of committed output to compare with
    #[arg(long, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,

    #[arg(long, value_enum, default_value = "text", help = VERDICT_FORMAT_HELP)]
    pub format: VerdictFormat,
}

/// The `--format` of `check` and `validate` (and of `diff`, with markdown).
const VERDICT_FORMAT_HELP: &str = "Report format: text for people, or json for a bot: one object `{\"version\": 1, \"command\", \"outcome\": \"success\"|\"failure\"|\"error\", \"exit_code\", \"diagnostics\": [{severity, rule, message, help, environment, field, origin, file, line, column}], ...}` (the README's \"Machine-readable verdicts\" has each command's keys); an error (exit 2) is that object too, on stdout, with its message on stderr";

/// `text` or `json`: the report of `check` and `validate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum VerdictFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The old side: a directory of rendered output (.tf or .tf.json)
    #[arg(value_name = "OLD", required_unless_present = "base")]
    pub old: Option<PathBuf>,

    /// The new side: a directory of rendered output (.tf or .tf.json)
    #[arg(value_name = "NEW", required_unless_present = "base")]
    pub new: Option<PathBuf>,

    /// Compare out/ at this git revision with what the model renders now
    #[arg(long, value_name = "GITREV", conflicts_with_all = ["old", "new"])]
    pub base: Option<String>,

    /// The directory of committed output, for --base
    #[arg(long, value_name = "DIR", default_value = "out", requires = "base")]
    pub out: PathBuf,

    /// Report format: text for a terminal, markdown for a pull-request comment, json for a bot
    /// (`{"version": 1, "command": "diff", "outcome", "exit_code", "diagnostics": [the risks
    /// to data], "comparisons": [{environment, old, new, summary, changes}]}`; an error, exit
    /// 2, is that object with its diagnostics)
    #[arg(long, value_enum, default_value = "text")]
    pub format: ReportFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Text,
    Markdown,
    Json,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// The environment to check [default: every environment]
    #[arg(long, value_name = "ENV", conflicts_with = "all")]
    pub env: Option<String>,

    /// Check every environment (the default)
    #[arg(long)]
    pub all: bool,

    #[arg(long, value_enum, default_value = "text", help = VERDICT_FORMAT_HELP)]
    pub format: VerdictFormat,
}

#[derive(Debug, Args)]
pub struct AdoptArgs {
    /// The environment whose resources exist but whose state is lost (or never was Terraform's)
    #[arg(long, value_name = "ENV")]
    pub env: String,

    /// Only this format's directory [default: both out/ENV/hcl and out/ENV/json]
    #[arg(long, value_enum)]
    pub format: Option<Format>,

    /// The module directory to write into (as `render --out DIR` wrote it) instead of out/ENV;
    /// needs --format
    #[arg(long, value_name = "DIR", requires = "format")]
    pub out: Option<PathBuf>,

    /// The import ID of a resource whose ID AWS chose, as ADDRESS=ID (repeatable); tfgen says
    /// which need one and the command that lists them
    #[arg(long = "id", value_name = "ADDRESS=ID")]
    pub ids: Vec<String>,

    /// Remove the import blocks tfgen adopt wrote, once `terraform apply` has imported them
    #[arg(long, conflicts_with = "ids")]
    pub done: bool,
}

#[derive(Debug, Args)]
pub struct PlanSummaryArgs {
    /// Plans as `terraform show -json PLAN` writes them; the environment of each is the
    /// directory after `out/` in its path (out/prod/hcl/plan.json), else its file name
    #[arg(value_name = "PLAN.json", required = true)]
    pub plans: Vec<PathBuf>,

    /// The environment of the one plan given
    #[arg(long, value_name = "ENV")]
    pub env: Option<String>,

    /// text for a terminal, markdown for a pull-request comment, json for a bot
    #[arg(long, value_enum, default_value = "text")]
    pub format: PlanFormat,

    /// A destroy or replacement the pull request means, as ENV:ADDRESS or ADDRESS (every
    /// environment); repeatable
    #[arg(long, value_name = "ADDRESS")]
    pub allow_destroy: Vec<String>,

    /// The plans are refresh-only (`terraform plan -refresh-only`): summarize what changed
    /// outside Terraform; exit 1 when anything did
    #[arg(long)]
    pub drift: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PlanFormat {
    Text,
    Markdown,
    Json,
}

#[derive(Debug, Args)]
pub struct EnvsArgs {
    /// text: a table for people; json: one line, `{"include": [...]}`, for a CI matrix
    #[arg(long, value_enum, default_value = "text")]
    pub format: EnvsFormat,

    /// Only the environments a change touches since --base: whose rendered files (either
    /// format, their `_state` module) differ from out/ at that revision, whose tfgen.hcl entry
    /// means something else, and those removed since (marked removed, with their directories
    /// at the revision, to plan their destroy)
    #[arg(long, requires = "base")]
    pub changed: bool,

    /// The git revision to compare with, for --changed (a pull request's base commit)
    #[arg(long, value_name = "GITREV", requires = "changed")]
    pub base: Option<String>,

    /// The directory `render --all` writes (and, with --changed, commits at --base)
    #[arg(long, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum EnvsFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct LintArgs {
    /// Terraform root module directories, .tf/.tf.json files or policy JSON
    /// files to lint instead of the environments (no tfgen.hcl needed)
    #[arg(value_name = "PATH", conflicts_with_all = ["env", "all"])]
    pub paths: Vec<PathBuf>,

    /// The environment to lint [default: every environment]
    #[arg(long, value_name = "ENV", conflicts_with = "all")]
    pub env: Option<String>,

    /// Lint every environment (the default)
    #[arg(long)]
    pub all: bool,

    /// Report format
    #[arg(long, value_enum, default_value = "text")]
    pub format: LintFormat,

    /// Exit 1 when a finding at or above this severity exists
    #[arg(long, value_enum, value_name = "LEVEL", default_value = "error")]
    pub deny: DenyLevel,
}

/// The `--deny` level: the CLI's name for [`crate::lint::Severity`], so
/// the library carries no clap derive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DenyLevel {
    Info,
    Warning,
    Error,
}

impl From<DenyLevel> for crate::lint::Severity {
    fn from(level: DenyLevel) -> Self {
        match level {
            DenyLevel::Info => crate::lint::Severity::Info,
            DenyLevel::Warning => crate::lint::Severity::Warning,
            DenyLevel::Error => crate::lint::Severity::Error,
        }
    }
}

#[derive(Debug, Args)]
pub struct GraphArgs {
    /// The environment to draw
    #[arg(long, value_name = "ENV", default_value = "dev")]
    pub env: String,

    /// Diagram syntax: Mermaid (Markdown, GitHub renders it) or Graphviz dot
    #[arg(long, value_enum, default_value = "mermaid")]
    pub format: GraphFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LintFormat {
    Text,
    Json,
    /// SARIF 2.1.0, for code scanning
    Sarif,
}

// The library's enums know nothing of clap; their command-line spelling is
// defined here, at the edge.

impl clap::ValueEnum for Format {
    fn value_variants<'a>() -> &'a [Self] {
        &Format::ALL
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        let help = match self {
            Format::Hcl => "Terraform's native syntax, `.tf`",
            Format::Json => "Terraform's JSON syntax, `.tf.json`",
        };
        Some(PossibleValue::new(self.name()).help(help))
    }
}

impl clap::ValueEnum for GraphFormat {
    fn value_variants<'a>() -> &'a [Self] {
        &GraphFormat::ALL
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.name()))
    }
}

impl clap::ValueEnum for Profile {
    fn value_variants<'a>() -> &'a [Self] {
        &Profile::ALL
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.name()))
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
