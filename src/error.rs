//! The library's one error type. Every variant carries the context a user
//! needs to fix the problem (file, line and column, environment, field, the
//! rule broken); the library never prints, `main` maps errors to exit code 2.

use std::fmt;
use std::path::PathBuf;

/// Where a value came from: a place in a file, or tfgen's built-in defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    File {
        path: PathBuf,
        line: usize,
        column: usize,
    },
    BuiltIn(String),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::File { path, line, column } => write!(f, "{}:{line}:{column}", path.display()),
            Origin::BuiltIn(what) => write!(f, "built-in default ({what})"),
        }
    }
}

/// How much a [`Diagnostic`] matters: an error stops the command (exit 2);
/// a warning or a note is told on standard error and the command goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Something to do by hand that no API does (approve a connection).
    Note,
    /// Works today, but is risky or on its way out (a deprecated image).
    Warning,
    Error,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One problem with the input: a bad `tfgen.hcl` or a value AWS would reject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable identifier of the rule, e.g. `s3-bucket-name-charset`.
    pub rule: &'static str,
    pub origin: Origin,
    /// The environment, when the problem belongs to one.
    pub environment: Option<String>,
    /// The field, e.g. `aws_iam_role.tf_mlops_role.name`.
    pub field: Option<String>,
    /// What is wrong, with the offending value.
    pub message: String,
    /// How to fix it.
    pub help: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}[{}]: {}",
            self.severity.name(),
            self.rule,
            self.origin
        )?;
        if let Some(environment) = &self.environment {
            write!(f, ": environment \"{environment}\"")?;
        }
        if let Some(field) = &self.field {
            write!(f, ": {field}")?;
        }
        write!(f, ": {}", self.message)?;
        if !self.help.is_empty() {
            write!(f, "\n  help: {}", self.help)?;
        }
        Ok(())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot {action} {}: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },

    /// One or more problems in the input, all reported together.
    #[error("{}", render_diagnostics(.0))]
    Invalid(Vec<Diagnostic>),

    #[error(
        "unknown environment \"{name}\" (defined in {source_name}: {known})\n  help: pick one with --env, or add `environment \"{name}\" {{ ... }}` to tfgen.hcl"
    )]
    UnknownEnvironment {
        name: String,
        known: String,
        source_name: String,
    },

    #[error("{0}")]
    Usage(String),

    #[error("{}: cannot read rendered Terraform: {message}", located(path, *position))]
    Parse {
        path: PathBuf,
        /// Line and column, when the problem is at one place in the file.
        position: Option<(usize, usize)>,
        message: String,
    },

    /// A file given to `tfgen lint PATH...` that is not Terraform or a
    /// policy document tfgen can read.
    #[error("{}: cannot lint: {message}", located(path, *position))]
    LintInput {
        path: PathBuf,
        position: Option<(usize, usize)>,
        message: String,
    },

    /// A file given to `tfgen plan-summary` that is not a JSON plan.
    #[error("{}: cannot read the plan: {message}\n  help: write it with `terraform show -json PLAN > FILE`", located(path, *position))]
    Plan {
        path: PathBuf,
        position: Option<(usize, usize)>,
        message: String,
    },

    #[error("git {args}: {message}")]
    Git { args: String, message: String },

    /// A file read from a git revision (`envs --changed --base REV`'s
    /// `tfgen.hcl`) that tfgen cannot read.
    #[error(
        "{} at {revision} cannot be read, so the environments of that revision are not known:\n{source}\n  help: the revision's file is history, not to fix: pass --base a revision whose {} parses (the pull request's base, or the merge base)",
        path.display(),
        path.display()
    )]
    AtRevision {
        path: PathBuf,
        revision: String,
        source: Box<Error>,
    },
}

/// `path:line:col`, or the path alone.
fn located(path: &std::path::Path, position: Option<(usize, usize)>) -> String {
    match position {
        Some((line, column)) => format!("{}:{line}:{column}", path.display()),
        None => path.display().to_string(),
    }
}

fn render_diagnostics(diagnostics: &[Diagnostic]) -> String {
    let mut text = String::new();
    for (index, diagnostic) in diagnostics.iter().enumerate() {
        if index > 0 {
            text.push('\n');
        }
        text.push_str(&diagnostic.to_string());
    }
    if diagnostics.len() > 1 {
        text.push_str(&format!("\n{} errors", diagnostics.len()));
    }
    text
}

impl Error {
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            action,
            path: path.into(),
            source,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
