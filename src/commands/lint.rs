//! `tfgen lint`: the findings of [`crate::lint`] on every selected
//! environment, as text for people or JSON for tools, and the `--deny`
//! level that turns them into exit code 1.
//!
//! The stacks are validated first (`build_valid`), so a value AWS would
//! reject stays an error (exit 2) rather than a finding.

use serde::Serialize;

use super::{Outcome, Report, build_valid, select};
use crate::cli::{LintArgs, LintFormat};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::lint::{Finding, Severity, lint_stack};

/// A finding with the environment it was found in; the JSON form.
#[derive(Debug, Serialize)]
struct EnvironmentFinding<'a> {
    environment: &'a str,
    #[serde(flatten)]
    finding: &'a Finding,
}

/// How many findings of each severity, over how many environments.
#[derive(Debug, Serialize)]
struct Summary {
    findings: usize,
    errors: usize,
    warnings: usize,
    info: usize,
    environments: usize,
}

#[derive(Debug, Serialize)]
struct JsonReport<'a> {
    findings: Vec<EnvironmentFinding<'a>>,
    summary: Summary,
}

pub fn run(config: &Config, args: &LintArgs) -> Result<Report> {
    let stacks = build_valid(config, select(config, args.env.as_deref())?)?;
    let linted: Vec<(&str, Vec<Finding>)> = stacks
        .iter()
        .map(|(environment, stack)| (environment.name.as_str(), lint_stack(stack)))
        .collect();
    let findings: Vec<EnvironmentFinding<'_>> = linted
        .iter()
        .flat_map(|(environment, findings)| {
            findings.iter().map(|finding| EnvironmentFinding {
                environment,
                finding,
            })
        })
        .collect();
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
        environments: linted.len(),
    };
    let outcome = outcome(
        findings.iter().map(|item| item.finding.severity),
        args.deny.into(),
    );
    let report = match args.format {
        LintFormat::Text => text_report(&findings, &summary),
        LintFormat::Json => json_report(JsonReport { findings, summary })?,
    };
    Ok(Report { report, outcome })
}

/// Failure when any finding is at or above the `--deny` level.
fn outcome(severities: impl IntoIterator<Item = Severity>, deny: Severity) -> Outcome {
    if severities.into_iter().any(|severity| severity >= deny) {
        Outcome::Failure
    } else {
        Outcome::Success
    }
}

/// One line per finding, its fix indented below, then the summary line.
fn text_report(findings: &[EnvironmentFinding<'_>], summary: &Summary) -> String {
    let mut report = String::new();
    for EnvironmentFinding {
        environment,
        finding,
    } in findings
    {
        report.push_str(&format!(
            "{environment}: {} {}: {}[{}]: {}\n  fix: {}\n",
            finding.field,
            finding.statement_label(),
            finding.severity,
            finding.rule,
            finding.message,
            finding.fix
        ));
    }
    report.push_str(&format!(
        "{} ({}, {}, {} info) in {}\n",
        counted(summary.findings, "finding", "findings"),
        counted(summary.errors, "error", "errors"),
        counted(summary.warnings, "warning", "warnings"),
        summary.info,
        counted(summary.environments, "environment", "environments"),
    ));
    report
}

fn json_report(report: JsonReport<'_>) -> Result<String> {
    let mut text = serde_json::to_string_pretty(&report)
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
        let outcome = crate::run_with(&cli, &mut out).unwrap();
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
                "fix"
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
        let error = crate::run_with(&cli, &mut Vec::new()).unwrap_err();
        assert!(matches!(error, crate::Error::UnknownEnvironment { .. }));
    }
}
