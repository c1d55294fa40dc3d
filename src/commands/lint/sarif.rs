//! `tfgen lint --format sarif`: the findings as a SARIF 2.1.0 log, the
//! format GitHub code scanning (`github/codeql-action/upload-sarif`) and
//! editors read, so findings show on the pull request's diff.
//!
//! Every rule of [`crate::lint::RULES`] is listed with its description as
//! help; each result points at its statement's line in the rendered `.tf`
//! file (or the linted file).

use serde::Serialize;
use serde_json::{Value, json};

use super::LocatedFinding;
use crate::lint::catalogue::Catalogue;
use crate::lint::{RULES, Severity};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// SARIF's name for a severity.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The first sentence of a description, for `shortDescription`.
fn first_sentence(text: &str) -> &str {
    text.find(". ").map_or(text, |end| &text[..=end])
}

/// The log: typed where it grows with the findings (a result per finding,
/// written straight to text), a `Value` for the tool's fixed part. Fields
/// are declared in the order they are written.
#[derive(Serialize)]
pub(super) struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
struct Run<'a> {
    tool: Value,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    level: &'static str,
    message: Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    locations: Option<[Location<'a>; 1]>,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    physical_location: PhysicalLocation<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation<'a> {
    artifact_location: ArtifactLocation<'a>,
    region: Region,
}

#[derive(Serialize)]
struct ArtifactLocation<'a> {
    uri: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
}

pub(super) fn log(findings: &[LocatedFinding]) -> Log<'_> {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|rule| {
            json!({
                "id": rule.id,
                "shortDescription": { "text": first_sentence(rule.description) },
                "fullDescription": { "text": rule.description },
                "help": {
                    "text": format!(
                        "{} Severity {} by default. See the README, \"tfgen lint\".",
                        rule.description, rule.severity
                    )
                },
                "defaultConfiguration": { "level": level(rule.severity) },
            })
        })
        .collect();
    let results = findings
        .iter()
        .map(|item| {
            let finding = &item.finding;
            let locations = match (&item.file, item.line, item.column) {
                (Some(file), Some(line), Some(column)) => Some([Location {
                    physical_location: PhysicalLocation {
                        artifact_location: ArtifactLocation { uri: file },
                        region: Region {
                            start_line: line,
                            start_column: column,
                        },
                    },
                }]),
                _ => None,
            };
            SarifResult {
                rule_id: finding.rule,
                level: level(finding.severity),
                message: Text {
                    text: format!(
                        "{} {}: {} Fix: {}",
                        finding.field,
                        finding.statement_label(),
                        finding.message,
                        finding.fix
                    ),
                },
                rule_index: RULES.iter().position(|rule| rule.id == finding.rule),
                locations,
            }
        })
        .collect();
    Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: json!({
                "driver": {
                    "name": "tfgen",
                    "version": env!("CARGO_PKG_VERSION"),
                    "fullName": format!("tfgen lint (IAM catalogue: {})", Catalogue::get().source),
                    "rules": rules,
                }
            }),
            results,
        }],
    }
}
