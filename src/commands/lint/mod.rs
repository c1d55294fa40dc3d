//! `tfgen lint`: the findings of [`crate::lint`] on every selected
//! environment, or on the Terraform and policy files given as paths, as
//! text for people, JSON for tools or SARIF for code scanning, and the
//! `--deny` level that turns them into exit code 1.
//!
//! The stacks are validated first (`map_valid_with`), so a value AWS would
//! reject stays an error (exit 2) rather than a finding. Each finding is
//! placed at its statement: in an environment's rendered `.tf` files
//! (`out/ENV/hcl/`, the files code scanning annotates; rendered in memory,
//! as `check` does) or in the linted file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::{Outcome, Report, select};
use crate::cli::{LintArgs, LintFormat};
use crate::config::{Config, Environment};
use crate::error::{Error, Result};
use crate::generated::{Renders, Tree, tree_directory};
use crate::lint::locate::{PolicyPlace, locate_field};
use crate::lint::terraform::read_policies;
use crate::lint::{Finding, Severity, lint_policies, lint_stack};
use crate::render::Format;
use crate::stack::{PolicyRef, Stack};
use crate::validate::{map_valid_with, selection};

mod sarif;

/// The default `out` directory the rendered files are named under.
const OUT: &str = "out";

/// A finding with where it was found; the JSON form.
#[derive(Debug, Serialize)]
pub(crate) struct LocatedFinding {
    #[serde(skip_serializing_if = "Option::is_none")]
    environment: Option<String>,
    #[serde(flatten)]
    pub(crate) finding: Finding,
    /// The file the statement is written in, `/`-separated.
    pub(crate) file: Option<String>,
    pub(crate) line: Option<usize>,
    pub(crate) column: Option<usize>,
}

impl LocatedFinding {
    fn new(
        environment: Option<&str>,
        finding: Finding,
        place: Option<(&Path, &PolicyPlace)>,
    ) -> Self {
        let position = place.map(|(_, place)| place.statement(finding.statement - 1));
        LocatedFinding {
            environment: environment.map(str::to_string),
            file: place.map(|(file, _)| slashed(file)),
            line: position.map(|position| position.line),
            column: position.map(|position| position.column),
            finding,
        }
    }
}

/// A path as SARIF and editors want it: `/`-separated.
fn slashed(path: &Path) -> String {
    path.components()
        .map(|part| part.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// How many findings of each severity, over how many environments or files.
#[derive(Debug, Serialize)]
struct Summary {
    findings: usize,
    errors: usize,
    warnings: usize,
    info: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    environments: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    files: Option<usize>,
}

#[derive(Debug, Serialize)]
struct JsonReport<'a> {
    findings: &'a [LocatedFinding],
    summary: Summary,
}

/// `tfgen lint [--env ENV | --all]`: the stacks of the configuration, each
/// linted on the thread that built and checked it; only the findings are
/// kept.
pub fn run(config: &Config, args: &LintArgs) -> Result<Report> {
    let selected = select(config, args.env.as_deref())?;
    let tree = Tree::new(config);
    // Each thread keeps the files it printed to place findings: the
    // environments of one profile share most.
    let found = map_valid_with(
        config,
        &selection(config, &selected),
        Renders::default,
        |renders, environment, stack| Ok(lint_environment(&tree, renders, environment, &stack)),
    )?;
    let findings: Vec<LocatedFinding> = found.into_iter().flatten().collect();
    report(&findings, Scope::Environments(selected.len()), args)
}

/// One environment's findings, each placed at its statement in the
/// environment's rendered `.tf` files.
fn lint_environment(
    tree: &Tree,
    renders: &mut Renders,
    environment: &Environment,
    stack: &Stack,
) -> Vec<LocatedFinding> {
    let found = lint_stack(stack);
    if found.is_empty() {
        return Vec::new(); // nothing to place: no need to render
    }
    let rendered = tree.environment(renders, environment, stack);
    let hcl = tree_directory(&environment.name, Format::Hcl);
    let files: Vec<(PathBuf, &str)> = rendered
        .iter()
        .filter(|file| file.path.starts_with(&hcl))
        .map(|file| (Path::new(OUT).join(&file.path), file.contents.as_str()))
        .collect();
    // A policy has many findings: each is located once.
    let mut places: HashMap<String, Option<(&Path, PolicyPlace)>> = HashMap::new();
    found
        .into_iter()
        .map(|finding| {
            let place = places.entry(finding.field.clone()).or_insert_with(|| {
                locate_field(
                    files.iter().map(|(path, text)| (path.as_path(), *text)),
                    &finding.field,
                )
            });
            let place = place.as_ref().map(|(path, place)| (*path, place));
            LocatedFinding::new(Some(&environment.name), finding, place)
        })
        .collect()
}

/// `tfgen lint PATH...`: Terraform root modules, `.tf`/`.tf.json` files
/// and policy JSON files; no tfgen.hcl needed.
pub fn run_paths(args: &LintArgs) -> Result<Report> {
    let found = read_policies(&args.paths)?;
    let policies: Vec<PolicyRef<'_>> = found
        .iter()
        .map(|policy| PolicyRef {
            field: policy.field.clone(),
            kind: policy.kind,
            document: &policy.document,
            limit: crate::stack::SizeLimit::of_kind(policy.kind),
            star_is_this_resource: false,
        })
        .collect();
    // Outside a stack nothing resolves `${...}` (found policies keep it as
    // text): values holding one are skipped, not guessed at.
    let literal = |expr: &crate::model::Expr| {
        expr.as_literal()
            .filter(|text| !text.contains("${"))
            .map(str::to_string)
    };
    let findings: Vec<LocatedFinding> = lint_policies(&policies, &literal)
        .into_iter()
        .map(|finding| {
            let policy = found.iter().find(|policy| policy.field == finding.field);
            let place = policy.map(|policy| (policy.file.as_path(), &policy.place));
            LocatedFinding::new(None, finding, place)
        })
        .collect();
    let mut files: Vec<&Path> = found.iter().map(|policy| policy.file.as_path()).collect();
    files.sort();
    files.dedup();
    report(&findings, Scope::Files(files.len()), args)
}

/// What was linted, for the summary.
#[derive(Debug, Clone, Copy)]
enum Scope {
    Environments(usize),
    Files(usize),
}

fn report(findings: &[LocatedFinding], scope: Scope, args: &LintArgs) -> Result<Report> {
    let count = |severity: Severity| {
        findings
            .iter()
            .filter(|item| item.finding.severity == severity)
            .count()
    };
    let summary = Summary {
        findings: findings.len(),
        errors: count(Severity::Error),
        warnings: count(Severity::Warning),
        info: count(Severity::Info),
        environments: match scope {
            Scope::Environments(count) => Some(count),
            Scope::Files(_) => None,
        },
        files: match scope {
            Scope::Files(count) => Some(count),
            Scope::Environments(_) => None,
        },
    };
    let outcome = outcome(
        findings.iter().map(|item| item.finding.severity),
        args.deny.into(),
    );
    let report = match args.format {
        LintFormat::Text => text_report(findings, &summary),
        LintFormat::Json => json_text(&JsonReport { findings, summary })?,
        LintFormat::Sarif => json_text(&sarif::log(findings))?,
    };
    Ok(Report {
        report,
        notes: String::new(),
        outcome,
    })
}

/// Failure when any finding is at or above the `--deny` level.
fn outcome(severities: impl IntoIterator<Item = Severity>, deny: Severity) -> Outcome {
    if severities.into_iter().any(|severity| severity >= deny) {
        Outcome::Failure
    } else {
        Outcome::Success
    }
}

/// One line per finding (`file:line:column:` first when known, as
/// compilers print), its fix indented below, then the summary line.
fn text_report(findings: &[LocatedFinding], summary: &Summary) -> String {
    let mut report = String::new();
    for item in findings {
        let finding = &item.finding;
        if let (Some(file), Some(line), Some(column)) = (&item.file, item.line, item.column) {
            report.push_str(&format!("{file}:{line}:{column}: "));
        }
        if let Some(environment) = &item.environment {
            report.push_str(&format!("{environment}: "));
        }
        report.push_str(&format!(
            "{} {}: {}[{}]: {}\n  fix: {}\n",
            finding.field,
            finding.statement_label(),
            finding.severity,
            finding.rule,
            finding.message,
            finding.fix
        ));
    }
    let scope = match (summary.environments, summary.files) {
        (Some(count), _) => counted(count, "environment", "environments"),
        (None, Some(count)) => counted(count, "file", "files"),
        (None, None) => String::new(),
    };
    report.push_str(&format!(
        "{} ({}, {}, {} info) in {scope}\n",
        counted(summary.findings, "finding", "findings"),
        counted(summary.errors, "error", "errors"),
        counted(summary.warnings, "warning", "warnings"),
        summary.info,
    ));
    report
}

fn json_text(value: &impl Serialize) -> Result<String> {
    let mut text = serde_json::to_string_pretty(value)
        .map_err(|error| Error::Usage(format!("cannot encode the lint report: {error}")))?;
    text.push('\n');
    Ok(text)
}

fn counted(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use crate::Outcome;
    use crate::cli::Cli;

    /// A `tfgen.hcl` like the built-in environments, so the tests do not
    /// depend on the directory they run in.
    const CONFIG: &str = "\
environment \"dev\" {}

environment \"prod\" {
  profile = \"hardened\"
  variables = {
    artifacts_bucket_name = \"sagemaker-artifacts-pipeline-18345-prod\"
  }
}
";

    /// Runs `tfgen --config FILE lint ARGS...`, returning the outcome and stdout.
    fn lint(args: &[&str]) -> (Outcome, String) {
        let directory = tempfile::tempdir().unwrap();
        let config = directory.path().join("tfgen.hcl");
        std::fs::write(&config, CONFIG).unwrap();
        let mut argv = vec!["tfgen", "--config", config.to_str().unwrap(), "lint"];
        argv.extend(args);
        let cli = Cli::try_parse_from(argv).unwrap();
        let mut out = Vec::new();
        let outcome = crate::run_with(&cli, &mut out, &mut Vec::new()).unwrap();
        (outcome, String::from_utf8(out).unwrap())
    }

    #[test]
    fn seed_fails_at_the_default_deny_level_and_hardened_passes_every_level() {
        assert_eq!(lint(&["--env", "dev"]).0, Outcome::Failure);
        assert_eq!(lint(&[]).0, Outcome::Failure);
        for level in ["error", "warning", "info"] {
            let (outcome, report) = lint(&["--env", "prod", "--deny", level]);
            assert_eq!(outcome, Outcome::Success, "--deny {level}");
            assert_eq!(
                report,
                "0 findings (0 errors, 0 warnings, 0 info) in 1 environment\n"
            );
        }
    }

    #[test]
    fn text_report_gives_each_finding_its_place_and_fix_then_a_summary() {
        let (_, report) = lint(&["--env", "dev"]);
        assert!(report.contains(
            "dev: aws_iam_policy.tf_mlops_policy.policy statement 2: \
             error[iam-passrole-any-resource]: iam:PassRole on Resource \"*\" lets the role \
             pass any role to any service\n  fix: list in Resource only the roles"
        ));
        assert!(report.ends_with("25 findings (5 errors, 15 warnings, 5 info) in 1 environment\n"));
        let (_, all) = lint(&["--all"]);
        assert!(all.ends_with("25 findings (5 errors, 15 warnings, 5 info) in 2 environments\n"));
    }

    #[test]
    fn json_report_has_stable_keys_and_a_summary() {
        let (outcome, report) = lint(&["--env", "dev", "--format", "json"]);
        assert_eq!(outcome, Outcome::Failure);
        let value: serde_json::Value = serde_json::from_str(&report).unwrap();
        let first = &value["findings"][0];
        let keys: Vec<&str> = first
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "environment",
                "rule",
                "severity",
                "field",
                "statement",
                "sid",
                "message",
                "fix",
                "file",
                "line",
                "column"
            ]
        );
        let passrole = value["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|finding| finding["rule"] == "iam-passrole-any-resource")
            .unwrap();
        assert_eq!(
            passrole,
            &serde_json::json!({
                "environment": "dev",
                "rule": "iam-passrole-any-resource",
                "severity": "error",
                "field": "aws_iam_policy.tf_mlops_policy.policy",
                "statement": 2,
                "sid": null,
                "message": "iam:PassRole on Resource \"*\" lets the role pass any role to any service",
                "fix": "list in Resource only the roles it must pass (e.g. \"${aws_iam_role.tf_mlops_role.arn}\") and name their services in an iam:PassedToService condition",
                "file": "out/dev/hcl/iam_roles.tf",
                "line": 55,
                "column": 7,
            })
        );
        assert_eq!(
            value["summary"],
            serde_json::json!({
                "findings": 25, "errors": 5, "warnings": 15, "info": 5, "environments": 1
            })
        );
    }

    #[test]
    fn a_finding_fails_at_its_level_and_below_only() {
        use super::outcome;
        use crate::lint::Severity::{Error, Info, Warning};
        assert_eq!(outcome([Warning, Info], Error), Outcome::Success);
        assert_eq!(outcome([Warning, Info], Warning), Outcome::Failure);
        assert_eq!(outcome([Info], Warning), Outcome::Success);
        assert_eq!(outcome([Info], Info), Outcome::Failure);
        assert_eq!(outcome([], Info), Outcome::Success);
    }

    #[test]
    fn deny_levels_decide_the_outcome() {
        // Seed has errors and warnings but no info findings: every level fails.
        for level in ["error", "warning", "info"] {
            assert_eq!(
                lint(&["--env", "dev", "--deny", level]).0,
                Outcome::Failure,
                "--deny {level}"
            );
        }
    }

    #[test]
    fn an_unknown_environment_is_an_error() {
        let directory = tempfile::tempdir().unwrap();
        let config = directory.path().join("tfgen.hcl");
        std::fs::write(&config, CONFIG).unwrap();
        let cli = Cli::try_parse_from([
            "tfgen",
            "--config",
            config.to_str().unwrap(),
            "lint",
            "--env",
            "qa",
        ])
        .unwrap();
        let error = crate::run_with(&cli, &mut Vec::new(), &mut Vec::new()).unwrap_err();
        assert!(matches!(error, crate::Error::UnknownEnvironment { .. }));
    }
}
