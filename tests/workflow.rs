//! The CI workflow (`.github/workflows/tfgen.yml`) and the pre-commit hooks
//! (`.pre-commit-hooks.yaml`) only call tfgen in ways that work: every
//! `tfgen ...` command line in them is extracted and run against this
//! repository's tfgen.hcl, and must end as the workflow expects (never
//! exit 2, nothing on stderr).

use serde_json::Value;

use crate::support::git::committed_render_of;
use crate::support::{project_root, tfgen};

/// The tfgen command lines of a workflow or hooks file: a `run:` or
/// `entry:` value, a line of a `run: |` block, or a command substitution
/// `$(tfgen ...)`; from `tfgen` up to a shell redirection or operator, split
/// into arguments, with GitHub expressions replaced by what they stand for
/// in a local run and shell variables (`$allow`, the labels' flags) left
/// out.
fn tfgen_commands(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .filter_map(|line| {
            let line = line.trim_start();
            let value = line
                .strip_prefix("run:")
                .or_else(|| line.strip_prefix("entry:"))
                .unwrap_or(line)
                .trim();
            let command = match value.find("$(tfgen ") {
                Some(start) => {
                    let inner = &value[start + "$(tfgen ".len()..];
                    &inner[..inner.find(')')?]
                }
                None => value.strip_prefix("tfgen ")?,
            };
            let end = command.find(['>', '|', ';', '&']).unwrap_or(command.len());
            let command = command[..end]
                .replace("origin/${{ github.base_ref }}", "HEAD")
                .replace("${{ github.event.pull_request.base.sha }}", "HEAD");
            Some(
                command
                    .split_whitespace()
                    .map(|word| word.trim_matches('"').to_string())
                    .filter(|word| !word.starts_with('$'))
                    .collect(),
            )
        })
        .collect()
}

fn read(path: &str) -> String {
    std::fs::read_to_string(project_root().join(path)).unwrap()
}

/// The `matrix.KEY`s a workflow reads.
fn matrix_keys(text: &str) -> Vec<String> {
    let mut keys: Vec<String> = text
        .split("matrix.")
        .skip(1)
        .map(|rest| {
            rest.chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect()
        })
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

#[test]
fn every_tfgen_command_of_the_workflow_and_the_hooks_runs() {
    let text = read(".github/workflows/tfgen.yml");
    // What a pull request's run has: the plans of the environments it
    // changes, here a committed one.
    assert!(text.contains("tfgen plan-summary plans/*.json --format markdown $allow"));
    let workflow =
        tfgen_commands(&text.replace("plans/*.json", "fixtures/plans/policy-change.json"));
    let hooks = tfgen_commands(&read(".pre-commit-hooks.yaml"));
    assert!(text.contains("github/codeql-action/upload-sarif"));
    let subcommands: Vec<&str> = workflow.iter().map(|args| args[0].as_str()).collect();
    assert_eq!(
        subcommands,
        ["check", "lint", "diff", "envs", "envs", "plan-summary"],
        "{workflow:?}"
    );
    let hook_subcommands: Vec<&str> = hooks.iter().map(|args| args[0].as_str()).collect();
    assert_eq!(hook_subcommands, ["check", "lint"], "{hooks:?}");

    for args in workflow.iter().chain(&hooks) {
        let words: Vec<&str> = args.iter().map(String::as_str).collect();
        let output = tfgen(&words).in_dir(&project_root()).run();
        assert_eq!(output.stderr, "", "tfgen {words:?}");
        let expected: &[i32] = match words[0] {
            "check" | "envs" => &[0],
            // The seed profile has error findings: the hook and the job fail.
            "lint" => &[1],
            // One action added to a policy: the gate passes.
            "plan-summary" => &[0],
            // 0 or 1: same as HEAD, or the working tree differs.
            _ => &[0, 1],
        };
        assert!(
            expected.contains(&output.code),
            "tfgen {words:?} exited {}:\n{}",
            output.code,
            output.stdout
        );
        if words.contains(&"sarif") {
            let log: Value = serde_json::from_str(&output.stdout).unwrap();
            assert_eq!(log["version"], "2.1.0");
        }
        // The comment steps find their comment by its heading.
        if words.contains(&"markdown") {
            let heading = format!("## tfgen {}", words[0]);
            assert!(
                text.contains(&format!("startswith(\"{heading}\")")),
                "{heading}"
            );
            assert!(output.stdout.starts_with(&heading), "{}", output.stdout);
        }
        if words[0] == "envs" && words.contains(&"json") {
            let matrix: Value = serde_json::from_str(&output.stdout).unwrap();
            assert!(matrix["include"].is_array(), "{matrix}");
        }
    }
    // The gate failing is the job failing: exit 1 of a replaced bucket.
    let gate = tfgen(&[
        "plan-summary",
        "fixtures/plans/bucket-replaced.json",
        "--format",
        "markdown",
    ])
    .in_dir(&project_root())
    .run();
    assert_eq!(gate.code, 1);
    assert!(text.contains("if: steps.summary.outputs.code == '1'\n        run: exit 1"));
}

/// The pull-request jobs' matrix, from the workflow's own `envs --changed`
/// on a repository whose pull request changes one environment and removes
/// another: every `matrix.KEY` the plan job reads is in each entry, and the
/// removed one plans a destroy from its directory at the base.
#[test]
fn the_plan_jobs_matrix_has_every_key_the_plan_job_reads() {
    let text = read(".github/workflows/tfgen.yml");
    let envs = tfgen_commands(&text)
        .into_iter()
        .find(|args| args[0] == "envs" && args.contains(&"json".to_string()))
        .expect("the changed job's envs --changed");
    assert_eq!(
        envs,
        ["envs", "--changed", "--base", "HEAD", "--format", "json"]
    );
    let project = tempfile::tempdir().unwrap();
    let root = project.path();
    let config = std::fs::read_to_string(project_root().join("tfgen.hcl")).unwrap();
    let with_qa = format!(
        "{config}\nenvironment \"qa\" {{\n  variables = {{\n    artifacts_bucket_name = \"sagemaker-artifacts-pipeline-18345-qa\"\n  }}\n}}\n"
    );
    committed_render_of(root, &with_qa, |_| {});
    std::fs::write(
        root.join("tfgen.hcl"),
        // prod's branch, the first environment that names one.
        config.replacen(
            "repository_branch     = \"main\"",
            "repository_branch     = \"release\"",
            1,
        ),
    )
    .unwrap();
    let words: Vec<&str> = envs.iter().map(String::as_str).collect();
    let output = tfgen(&words).in_dir(root).run().expect(0);
    let matrix: Value = serde_json::from_str(&output.stdout).unwrap();
    let entries = matrix["include"].as_array().unwrap();
    let changes: Vec<(&str, &str)> = entries
        .iter()
        .map(|entry| {
            (
                entry["environment"].as_str().unwrap(),
                entry["change"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(changes, [("prod", "changed"), ("qa", "removed")]);
    let keys = matrix_keys(&text);
    assert!(keys.contains(&"removed".to_string()), "{keys:?}");
    for entry in entries {
        for key in &keys {
            assert!(entry.get(key).is_some(), "matrix.{key} missing in {entry}");
        }
    }
    assert_eq!(entries[1]["removed"], true);
    assert_eq!(entries[1]["hcl_directory"], "out/qa/hcl");
    // What the removed environment's step extracts is there at the base.
    let listed = std::process::Command::new("git")
        .args(["ls-tree", "-r", "--name-only", "HEAD", "--", "out/qa/hcl"])
        .current_dir(root)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&listed.stdout).contains("out/qa/hcl/versions.tf"));
    assert!(text.contains("git archive \"${{ github.event.pull_request.base.sha }}\" -- \"${{ matrix.hcl_directory }}\""));
    assert!(text.contains("DESTROY: ${{ matrix.removed && '-destroy' || '' }}"));
    // An empty matrix is never handed to GitHub.
    assert!(text.contains("echo \"no environment changed\""));
    assert!(text.contains("if: needs.changed.outputs.any == 'true'"));
}

#[test]
fn command_lines_are_extracted_up_to_the_shell_operators() {
    let text = "      run: tfgen diff --base \"origin/${{ github.base_ref }}\" > d.md || true\n  \
                entry: tfgen check\n      run: cargo install --locked --path .\n";
    assert_eq!(
        tfgen_commands(text),
        [vec!["diff", "--base", "HEAD"], vec!["check"]]
    );
    let block = "        run: |\n          m=$(tfgen envs --changed --base ${{ github.event.pull_request.base.sha }} --format json)\n          tfgen plan-summary p.json $allow > s.md\n";
    assert_eq!(
        tfgen_commands(block),
        [
            vec!["envs", "--changed", "--base", "HEAD", "--format", "json"],
            vec!["plan-summary", "p.json"]
        ]
    );
}

#[test]
fn every_tfgen_command_of_the_drift_workflow_runs() {
    let text = read(".github/workflows/tfgen-drift.yml");
    // What a night's run has in the repository: the matrix's environment,
    // and its refresh-only plan (a committed one).
    let text = text
        .replace("${{ matrix.environment }}", "prod")
        .replace("drift.json", "fixtures/plans/drift.json");
    // The matrix comes from a command substitution.
    assert!(text.contains("echo \"matrix=$(tfgen envs --format json)\""));
    let commands = tfgen_commands(&text);
    let subcommands: Vec<&str> = commands.iter().map(|args| args[0].as_str()).collect();
    assert_eq!(subcommands, ["envs", "plan-summary"], "{commands:?}");
    for args in &commands {
        let words: Vec<&str> = args.iter().map(String::as_str).collect();
        let output = tfgen(&words).in_dir(&project_root()).run();
        assert_eq!(output.stderr, "", "tfgen {words:?}");
        let expected: &[i32] = match words[0] {
            "envs" => &[0],
            // The plan drifted: 1, and the markdown the issue gets.
            _ => &[1],
        };
        assert!(
            expected.contains(&output.code),
            "tfgen {words:?}: {}",
            output.code
        );
        if words[0] == "envs" {
            let matrix: Value = serde_json::from_str(&output.stdout).unwrap();
            assert!(matrix["include"].is_array());
        } else {
            assert!(output.stdout.starts_with("## tfgen plan-summary"));
            assert!(output.stdout.contains("s3:*"));
        }
    }
    assert!(read(".github/workflows/tfgen-drift.yml").contains("-refresh-only -detailed-exitcode"));
}
