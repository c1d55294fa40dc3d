//! `tfgen lint --format sarif`: the findings as a SARIF 2.1.0 log, the
//! format GitHub code scanning (`github/codeql-action/upload-sarif`) and
//! editors read, so findings show on the pull request's diff.
//!
//! Every rule of [`crate::lint::RULES`] is listed with its description as
//! help; each result points at its statement's line in the rendered `.tf`
//! file (or the linted file).

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

pub(super) fn log(findings: &[LocatedFinding]) -> Value {
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
    let results: Vec<Value> = findings
        .iter()
        .map(|item| {
            let finding = &item.finding;
            let rule_index = RULES.iter().position(|rule| rule.id == finding.rule);
            let mut result = json!({
                "ruleId": finding.rule,
                "level": level(finding.severity),
                "message": {
                    "text": format!(
                        "{} {}: {} Fix: {}",
                        finding.field,
                        finding.statement_label(),
                        finding.message,
                        finding.fix
                    )
                },
            });
            if let Some(index) = rule_index {
                result["ruleIndex"] = json!(index);
            }
            if let (Some(file), Some(line), Some(column)) = (&item.file, item.line, item.column) {
                result["locations"] = json!([{
                    "physicalLocation": {
                        "artifactLocation": { "uri": file },
                        "region": { "startLine": line, "startColumn": column },
                    }
                }]);
            }
            result
        })
        .collect();
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "tfgen",
                    "version": env!("CARGO_PKG_VERSION"),
                    "fullName": format!("tfgen lint (IAM catalogue: {})", Catalogue::get().source),
                    "rules": rules,
                }
            },
            "results": results,
        }]
    })
}
