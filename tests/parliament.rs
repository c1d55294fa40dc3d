//! parliament, the IAM linter security teams run, next to `tfgen lint` on
//! the seed policy: every statement parliament flags as RESOURCE_STAR,
//! RESOURCE_MISMATCH or INVALID_ARN gets a tfgen finding too, at some
//! severity. parliament comes from `scripts/install-test-tools.sh`.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

use crate::support::{project_root, tfgen, tool_missing};

/// The issues parliament raises that tfgen must also see.
const COMPARED: [&str; 3] = ["RESOURCE_STAR", "RESOURCE_MISMATCH", "INVALID_ARN"];

fn parliament_python() -> Option<PathBuf> {
    let tools = std::env::var_os("TFGEN_TOOLS_DIR")
        .map_or_else(|| project_root().join(".tools"), PathBuf::from);
    let path = tools.join("parliament/bin/python");
    path.is_file().then_some(path)
}

/// parliament's issues on each statement of a policy, analysed one
/// statement at a time so each issue belongs to exactly one statement.
fn parliament_issues(python: &PathBuf, policy: &Value) -> BTreeMap<usize, Vec<String>> {
    const SCRIPT: &str = "\
import json, sys
from parliament import analyze_policy_string
policy = json.loads(sys.argv[1])
for number, statement in enumerate(policy['Statement'], 1):
    single = {'Version': policy.get('Version', '2012-10-17'), 'Statement': [statement]}
    for finding in analyze_policy_string(json.dumps(single)).findings:
        print(number, finding.issue)
";
    let output = Command::new(python)
        .args(["-c", SCRIPT, &policy.to_string()])
        .output()
        .expect("parliament's python runs");
    assert!(
        output.status.success(),
        "parliament failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut issues: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for line in String::from_utf8(output.stdout).unwrap().lines() {
        let (number, issue) = line.split_once(' ').unwrap();
        issues
            .entry(number.parse().unwrap())
            .or_default()
            .push(issue.to_string());
    }
    issues
}

#[test]
fn every_statement_parliament_flags_on_seed_has_a_tfgen_finding() {
    let Some(python) = parliament_python() else {
        tool_missing("parliament");
        return;
    };
    let rendered: Value = serde_json::from_str(
        &std::fs::read_to_string(project_root().join("out/dev/json/iam_roles.tf.json")).unwrap(),
    )
    .unwrap();
    let field = "aws_iam_policy.tf_mlops_policy.policy";
    let policy: Value = serde_json::from_str(
        rendered["resource"]["aws_iam_policy"]["tf_mlops_policy"]["policy"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    let flagged: BTreeMap<usize, Vec<String>> = parliament_issues(&python, &policy)
        .into_iter()
        .map(|(statement, issues)| {
            let compared: Vec<String> = issues
                .into_iter()
                .filter(|issue| COMPARED.contains(&issue.as_str()))
                .collect();
            (statement, compared)
        })
        .filter(|(_, issues)| !issues.is_empty())
        .collect();
    assert!(
        flagged.len() >= 8,
        "parliament flags the seed policy's known defects: {flagged:?}"
    );

    let output = tfgen(&["lint", "--env", "dev", "--format", "json"])
        .in_dir(&project_root())
        .run()
        .expect(1);
    let report: Value = serde_json::from_str(&output.stdout).unwrap();
    let mut found: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for finding in report["findings"].as_array().unwrap() {
        if finding["field"] == field {
            found
                .entry(finding["statement"].as_u64().unwrap() as usize)
                .or_default()
                .push(format!("{}[{}]", finding["rule"], finding["severity"]));
        }
    }
    // The side-by-side table, for the record.
    for (statement, issues) in &flagged {
        eprintln!(
            "statement {statement}: parliament {issues:?} | tfgen {:?}",
            found.get(statement).cloned().unwrap_or_default()
        );
    }
    let missed: Vec<(&usize, &Vec<String>)> = flagged
        .iter()
        .filter(|(statement, _)| !found.contains_key(statement))
        .collect();
    assert!(missed.is_empty(), "tfgen has no finding on {missed:?}");
}
