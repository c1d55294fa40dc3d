//! The CI workflow (`.github/workflows/tfgen.yml`) and the pre-commit hooks
//! (`.pre-commit-hooks.yaml`) only call tfgen in ways that work: every
//! `tfgen ...` command line in them is extracted and run against this
//! repository's tfgen.hcl, and must end as the workflow expects (never
//! exit 2, nothing on stderr).

use serde_json::Value;

use crate::support::{project_root, tfgen};

/// The tfgen command lines of a `run:` or `entry:` value: from `tfgen` up
/// to a shell redirection or operator, split into arguments, with GitHub
/// expressions replaced by what they stand for in a local run.
fn tfgen_commands(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .filter_map(|line| {
            let line = line.trim_start();
            let value = line
                .strip_prefix("run:")
                .or_else(|| line.strip_prefix("entry:"))?
                .trim();
            let command = value.strip_prefix("tfgen ")?;
            let end = command.find(['>', '|', ';', '&']).unwrap_or(command.len());
            let command = command[..end].replace("origin/${{ github.base_ref }}", "HEAD");
            Some(
                command
                    .split_whitespace()
                    .map(|word| word.trim_matches('"').to_string())
                    .collect(),
            )
        })
        .collect()
}

fn read(path: &str) -> String {
    std::fs::read_to_string(project_root().join(path)).unwrap()
}

#[test]
fn every_tfgen_command_of_the_workflow_and_the_hooks_runs() {
    let workflow = tfgen_commands(&read(".github/workflows/tfgen.yml"));
    let hooks = tfgen_commands(&read(".pre-commit-hooks.yaml"));
    assert!(read(".github/workflows/tfgen.yml").contains("github/codeql-action/upload-sarif"));
    let subcommands: Vec<&str> = workflow.iter().map(|args| args[0].as_str()).collect();
    assert_eq!(subcommands, ["check", "lint", "diff"], "{workflow:?}");
    let hook_subcommands: Vec<&str> = hooks.iter().map(|args| args[0].as_str()).collect();
    assert_eq!(hook_subcommands, ["check", "lint"], "{hooks:?}");

    for args in workflow.iter().chain(&hooks) {
        let words: Vec<&str> = args.iter().map(String::as_str).collect();
        let output = tfgen(&words).in_dir(&project_root()).run();
        assert_eq!(output.stderr, "", "tfgen {words:?}");
        let expected: &[i32] = match words[0] {
            "check" => &[0],
            // The seed profile has error findings: the hook and the job fail.
            "lint" => &[1],
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
        if words.contains(&"markdown") {
            assert!(!output.stdout.is_empty());
        }
    }
}

#[test]
fn command_lines_are_extracted_up_to_the_shell_operators() {
    let text = "      run: tfgen diff --base \"origin/${{ github.base_ref }}\" > d.md || true\n  \
                entry: tfgen check\n      run: cargo install --locked --path .\n";
    assert_eq!(
        tfgen_commands(text),
        [vec!["diff", "--base", "HEAD"], vec!["check"]]
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
    let mut commands = tfgen_commands(&text);
    // The matrix comes from a command substitution.
    assert!(text.contains("echo \"matrix=$(tfgen envs --format json)\""));
    commands.insert(0, vec!["envs".into(), "--format".into(), "json".into()]);
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
