//! `--format json` of the commands whose exit code is a verdict on what
//! tfgen writes (`check`, `validate`, `diff`): one envelope for all three,
//! so a CI system or a bot reads the outcome and the problems the same way
//! whichever command it ran, and never parses text.
//!
//! ```json
//! {"version": 1, "command": "check", "outcome": "failure", "exit_code": 1,
//!  "diagnostics": [{"severity": "error", "rule": "check-differs", ...}], ...}
//! ```
//!
//! `outcome` is `success`, `failure` or `error`, as the exit code is 0, 1
//! or 2. `diagnostics` holds every problem and piece of advice in one shape
//! (that of [`Diagnostic`], tfgen's errors: severity, rule, message, help,
//! the environment and field, and the place). After them comes what the
//! command found, its own keys. An error that stops the command (a bad
//! `tfgen.hcl`, a value AWS would reject, an unreadable file: exit 2) is the
//! envelope alone with the error's diagnostics, on stdout as well, and the
//! usual message on stderr. Arguments clap rejects are reported before any
//! format is known: text on stderr, exit 2.

use serde::Serialize;
use serde_json::{Map, Value};

use super::{Outcome, Report};
use crate::error::{Diagnostic, Error, Origin, Result};

/// The version of the envelope; a key removed or changed in meaning raises
/// it, a key added does not.
pub const VERSION: u32 = 1;

/// One diagnostic as JSON: an error of tfgen's, a warning or note of its
/// advice, or a finding of the command (a drifted file, a risk to data).
#[derive(Debug, Serialize)]
pub struct JsonDiagnostic {
    pub severity: &'static str,
    pub rule: &'static str,
    pub message: String,
    pub help: String,
    pub environment: Option<String>,
    pub field: Option<String>,
    /// Where: `tfgen.hcl:3:5`, `out/dev/hcl/s3.tf`, `built-in default (...)`.
    pub origin: Option<String>,
    /// The file of the origin, `/`-separated, and its line and column when
    /// the problem is at one place in it.
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// `check`: the unified diff of a file that differs, as the text
    /// report shows it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff: Option<String>,
}

impl JsonDiagnostic {
    /// A finding of the command's at a file, no line in it.
    pub fn at_file(
        severity: &'static str,
        rule: &'static str,
        file: &std::path::Path,
        message: String,
        help: String,
    ) -> JsonDiagnostic {
        let file = crate::git::git_path(file);
        JsonDiagnostic {
            severity,
            rule,
            message,
            help,
            environment: None,
            field: None,
            origin: Some(file.clone()),
            file: Some(file),
            line: None,
            column: None,
            diff: None,
        }
    }

    /// A finding of the command's that belongs to an environment, not to
    /// a file.
    pub fn in_environment(
        rule: &'static str,
        environment: Option<&str>,
        field: &str,
        message: &str,
    ) -> JsonDiagnostic {
        JsonDiagnostic {
            severity: "error",
            rule,
            message: message.to_string(),
            help: String::new(),
            environment: environment.map(str::to_string),
            field: Some(field.to_string()),
            origin: None,
            file: None,
            line: None,
            column: None,
            diff: None,
        }
    }
}

impl From<&Diagnostic> for JsonDiagnostic {
    fn from(diagnostic: &Diagnostic) -> JsonDiagnostic {
        let (file, line, column) = match &diagnostic.origin {
            Origin::File { path, line, column } => {
                (Some(crate::git::git_path(path)), Some(*line), Some(*column))
            }
            Origin::BuiltIn(_) => (None, None, None),
        };
        JsonDiagnostic {
            severity: diagnostic.severity.name(),
            rule: diagnostic.rule,
            message: diagnostic.message.clone(),
            help: diagnostic.help.clone(),
            environment: diagnostic.environment.clone(),
            field: diagnostic.field.clone(),
            origin: Some(diagnostic.origin.to_string()),
            file,
            line,
            column,
            diff: None,
        }
    }
}

/// The envelope with the command's own keys after the diagnostics.
pub fn envelope(
    command: &'static str,
    outcome: Outcome,
    diagnostics: &[JsonDiagnostic],
    found: Map<String, Value>,
) -> Result<String> {
    let mut value = Map::new();
    value.insert("version".into(), VERSION.into());
    value.insert("command".into(), command.into());
    let (name, code) = match outcome {
        Outcome::Success => ("success", 0),
        Outcome::Failure => ("failure", 1),
        Outcome::Error => ("error", 2),
    };
    value.insert("outcome".into(), name.into());
    value.insert("exit_code".into(), code.into());
    value.insert("diagnostics".into(), to_value(diagnostics)?);
    value.extend(found);
    let mut text = serde_json::to_string_pretty(&value)
        .map_err(|error| Error::Usage(format!("cannot encode the {command} report: {error}")))?;
    text.push('\n');
    Ok(text)
}

/// A part of a report as JSON.
pub fn to_value<T: Serialize + ?Sized>(part: &T) -> Result<Value> {
    serde_json::to_value(part)
        .map_err(|error| Error::Usage(format!("cannot encode the report as JSON: {error}")))
}

/// With `json`, an error that stopped `command` becomes its envelope on
/// stdout (exit 2), the message on stderr as without it; without, the
/// error goes on (`main` prints it).
pub fn or_error_envelope(
    json: bool,
    command: &'static str,
    result: Result<Report>,
) -> Result<Report> {
    match result {
        Err(error) if json && !error.is_broken_pipe() => Ok(Report {
            report: envelope(
                command,
                Outcome::Error,
                &error_diagnostics(&error),
                Map::new(),
            )?,
            // Escaped where stderr is written.
            notes: format!("tfgen: {error}\n"),
            outcome: Outcome::Error,
        }),
        other => other,
    }
}

/// An error as diagnostics: those of a bad input as they are, any other
/// error as one, its rule named after its kind and its help split off.
fn error_diagnostics(error: &Error) -> Vec<JsonDiagnostic> {
    let (rule, file, position) = match error {
        Error::Invalid(diagnostics) => return diagnostics.iter().map(Into::into).collect(),
        Error::AtRevision { source, .. } => return error_diagnostics(source),
        Error::Io { path, .. } => ("io", Some(path), None),
        Error::UnknownEnvironment { .. } => ("unknown-environment", None, None),
        Error::Usage(_) => ("usage", None, None),
        Error::Parse { path, position, .. } => ("rendered-syntax", Some(path), *position),
        Error::LintInput { path, position, .. } => ("lint-input", Some(path), *position),
        Error::Plan { path, position, .. } => ("plan-input", Some(path), *position),
        Error::Git { .. } => ("git", None, None),
    };
    let text = error.to_string();
    let (message, help) = text.split_once("\n  help: ").unwrap_or((&text, ""));
    let file = file.map(|path| crate::git::git_path(path));
    vec![JsonDiagnostic {
        severity: "error",
        rule,
        message: message.to_string(),
        help: help.to_string(),
        environment: None,
        field: None,
        origin: file.as_ref().map(|file| match position {
            Some((line, column)) => format!("{file}:{line}:{column}"),
            None => file.clone(),
        }),
        file,
        line: position.map(|(line, _)| line),
        column: position.map(|(_, column)| column),
        diff: None,
    }]
}
