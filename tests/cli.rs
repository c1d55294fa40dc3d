//! CLI contract tests: arguments in; exit code, stdout and stderr out. Every
//! error path is here with its exact message and exit code 2, and the
//! `check` cases of the pull-request workflow.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::support::tfgen;

/// A scratch project: a temporary directory with the repository's tfgen.hcl.
fn project() -> tempfile::TempDir {
    let directory = tempfile::tempdir().unwrap();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(root.join("tfgen.hcl"), directory.path().join("tfgen.hcl")).unwrap();
    directory
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn tree(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(directory) = stack.pop() {
        for entry in std::fs::read_dir(&directory).unwrap().flatten() {
            if entry.path().is_dir() {
                stack.push(entry.path());
            } else {
                files.push((entry.path(), std::fs::read(entry.path()).unwrap()));
            }
        }
    }
    files.sort();
    files
}

/// Each subcommand with the first line of its own `--help`, which is its
/// doc comment in src/cli.rs: the words are the subcommand's, not the about
/// text's.
const SUBCOMMANDS: [(&str, &str); 8] = [
    (
        "render",
        "Render an environment to stdout or a directory, or every environment into out/",
    ),
    (
        "check",
        "Compare out/ with what the model renders now; exit 1 on drift",
    ),
    (
        "diff",
        "Semantic diff of two rendered stacks: resources and IAM permissions",
    ),
    (
        "validate",
        "Check every name, limit and policy against AWS's rules, without rendering",
    ),
    (
        "lint",
        "Find risky or broken statements in the IAM policies",
    ),
    (
        "adopt",
        "Write import blocks that take an environment's existing resources into Terraform's state",
    ),
    (
        "envs",
        "List the environments with their profile, account, region, state and output directories",
    ),
    (
        "graph",
        "Draw an environment's resources and the references between them",
    ),
];

#[test]
fn help_lists_every_command_with_its_summary_and_the_exit_codes() {
    let output = tfgen(&["--help"]).run().expect(0);
    for (command, summary) in SUBCOMMANDS {
        // clap pads the names to the longest one: compare the words only.
        let listed = output.stdout.lines().any(|line| {
            line.strip_prefix("  ")
                .and_then(|rest| rest.strip_prefix(command))
                .is_some_and(|rest| rest.starts_with(' ') && rest.trim_start() == summary)
        });
        assert!(listed, "no line for {command} in:\n{}", output.stdout);
    }
    assert!(output.stdout.contains("Exit codes:\n  0  success"));
}

#[test]
fn each_subcommand_has_its_own_help() {
    for (command, summary) in SUBCOMMANDS {
        let output = tfgen(&[command, "--help"]).run().expect(0);
        let usage = format!("\n\nUsage: tfgen {command} ");
        assert!(
            output.stdout.starts_with(&format!("{summary}{usage}")),
            "{command} --help:\n{}",
            output.stdout
        );
    }
    let flags: [(&str, &[&str]); 7] = [
        (
            "render",
            &[
                "--env",
                "--all",
                "--format",
                "--profile",
                "--config",
                "--out",
            ],
        ),
        ("validate", &["--env", "--all", "--format", "--config"]),
        ("check", &["--out", "--format", "--config"]),
        ("diff", &["--base", "--out", "--format", "--config"]),
        ("lint", &["--env", "--all", "--format", "--deny"]),
        (
            "envs",
            &["--format", "--changed", "--base", "--out", "--config"],
        ),
        ("adopt", &["--env", "--format", "--out", "--id", "--done"]),
    ];
    for (command, flags) in flags {
        let help = tfgen(&[command, "--help"]).run().expect(0);
        for flag in flags {
            let listed = help
                .stdout
                .lines()
                .any(|line| line.starts_with("  ") && line.trim_start().starts_with(flag));
            assert!(
                listed,
                "{command} --help lists no option {flag}:\n{}",
                help.stdout
            );
        }
    }
}

#[test]
fn version_prints_the_package_version() {
    let output = tfgen(&["--version"]).run().expect(0);
    assert_eq!(
        output.stdout,
        format!("tfgen {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn render_defaults_to_dev_as_terraform_json() {
    let empty = tempfile::tempdir().unwrap();
    let output = tfgen(&["render"]).in_dir(empty.path()).run().expect(0);
    let document: serde_json::Value =
        serde_json::from_str(&output.stdout).expect("stdout is one JSON document");
    assert_eq!(document["variable"]["env"]["default"], "dev");
    assert!(document["resource"]["aws_iam_policy"]["tf_mlops_policy"].is_object());
    assert_eq!(output.stderr, "");
}

#[test]
fn render_prod_is_a_complete_root_module() {
    let project = project();
    let output = tfgen(&["render", "--env", "prod"])
        .in_dir(project.path())
        .run()
        .expect(0);
    let document: serde_json::Value = serde_json::from_str(&output.stdout).unwrap();
    for key in ["terraform", "provider", "variable", "resource", "output"] {
        assert!(document.get(key).is_some(), "main.tf.json lacks {key}");
    }
    assert_eq!(document["variable"]["repository_branch"]["default"], "main");
}

#[test]
fn render_out_writes_the_split_files() {
    let project = project();
    tfgen(&[
        "render", "--env", "prod", "--format", "hcl", "--out", "module",
    ])
    .in_dir(project.path())
    .run()
    .expect(0);
    let names: Vec<String> = tree(&project.path().join("module"))
        .into_iter()
        .map(|(path, _)| path.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "codebuild.tf",
            "codecommit.tf",
            "codepipeline.tf",
            "events.tf",
            "git_mirror.tf",
            "iam_roles.tf",
            "kms.tf",
            "logs.tf",
            "moves.tf",
            "outputs.tf",
            "provider.tf",
            "s3.tf",
            "variables.tf",
            "versions.tf"
        ]
    );
}

#[test]
fn envs_lists_profiles_and_definitions() {
    let project = project();
    let output = tfgen(&["envs"]).in_dir(project.path()).run().expect(0);
    assert_eq!(
        output.stdout,
        "ENV      PROFILE   DEFINED AT\ndev      seed      tfgen.hcl:5:1\nprod     hardened  tfgen.hcl:9:1\nstaging  hardened  tfgen.hcl:29:1\n"
    );
    let empty = tempfile::tempdir().unwrap();
    let output = tfgen(&["envs"]).in_dir(empty.path()).run().expect(0);
    assert!(
        output
            .stdout
            .contains("dev   seed      built-in default (environment \"dev\")"),
        "{}",
        output.stdout
    );
}

#[test]
fn unknown_environment_is_an_error() {
    let project = project();
    tfgen(&["render", "--env", "qa"]).in_dir(project.path()).run().expect_error(
        "tfgen: unknown environment \"qa\" (defined in tfgen.hcl: dev, prod, staging)\n  help: pick one with --env, or add `environment \"qa\" { ... }` to tfgen.hcl\n",
    );
}

#[test]
fn unknown_format_is_a_usage_error() {
    let output = tfgen(&["render", "--format", "yaml"]).run().expect(2);
    assert!(
        output
            .stderr
            .contains("invalid value 'yaml' for '--format <FORMAT>'"),
        "{}",
        output.stderr
    );
    assert_eq!(output.stdout, "");
}

#[test]
fn missing_config_file_is_an_error() {
    let empty = tempfile::tempdir().unwrap();
    tfgen(&["render", "--config", "nope.hcl"])
        .in_dir(empty.path())
        .run()
        .expect_error("tfgen: cannot read nope.hcl: No such file or directory (os error 2)\n");
}

#[test]
fn syntax_error_in_config_points_at_line_and_column() {
    let project = project();
    write(
        &project.path().join("tfgen.hcl"),
        "environment \"dev\" {\n  profile = \"seed\"\n  variables = {\n",
    );
    let output = tfgen(&["render"]).in_dir(project.path()).run().expect(2);
    assert!(
        output
            .stderr
            .starts_with("tfgen: error[config-syntax]: tfgen.hcl:3:3: syntax error"),
        "{}",
        output.stderr
    );
}

#[test]
fn invalid_values_are_all_reported_and_nothing_is_written() {
    let project = project();
    write(
        &project.path().join("tfgen.hcl"),
        "environment \"dev\" {\n  variables = {\n    artifacts_bucket_name = \"Bad_Bucket\"\n  }\n}\n",
    );
    let output = tfgen(&["render", "--out", "module"])
        .in_dir(project.path())
        .run()
        .expect(2);
    assert_eq!(output.stdout, "");
    assert_eq!(
        output.stderr,
        "tfgen: error[s3-bucket-name-charset]: tfgen.hcl:3:29: environment \"dev\": aws_s3_bucket.artifacts_bucket.bucket: bucket name \"Bad_Bucket\" contains 'B'; only lowercase letters, digits, '.' and '-' are allowed\n  help: use lowercase letters, digits, '.' and '-' only\n"
    );
    assert!(
        !project.path().join("module").exists(),
        "nothing may be written on error"
    );
}

#[test]
fn an_error_leaves_existing_output_untouched() {
    let project = project();
    tfgen(&["render", "--all"])
        .in_dir(project.path())
        .run()
        .expect(0);
    let before = tree(&project.path().join("out"));
    write(
        &project.path().join("tfgen.hcl"),
        "environment \"dev\" {}\nenvironment \"prod\" {\n  variables = { env = \"x\", artifacts_bucket_name = \"sagemaker-artifacts-pipeline-18345\" }\n}\n",
    );
    let output = tfgen(&["render", "--all"])
        .in_dir(project.path())
        .run()
        .expect(2);
    assert!(
        output.stderr.contains("error[s3-bucket-name-unique]"),
        "{}",
        output.stderr
    );
    assert_eq!(tree(&project.path().join("out")), before);
}

#[test]
fn closed_stdout_ends_quietly() {
    let empty = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_tfgen"))
        .args(["render", "--format", "hcl"])
        .current_dir(empty.path())
        .env("RUST_BACKTRACE", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Close the reading end before tfgen writes: like `tfgen render | head -0`.
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn render_all_writes_every_environment_in_both_formats() {
    let project = project();
    tfgen(&["render", "--all"])
        .in_dir(project.path())
        .run()
        .expect(0);
    let files = tree(&project.path().join("out"));
    // Three environments in two formats: dev the foundation's 6 files, prod
    // those and the pipeline's 8 (with the git mirror and the moves), staging
    // the same 14 (the connection and the approval topic in place of the
    // repositories and the mirror); and the state bucket's bootstrap module.
    assert_eq!(files.len(), 2 * (6 + 14 + 14) + 1);
    assert!(
        files
            .iter()
            .any(|(path, _)| path
                .ends_with("out/_state/sagemaker-mlops-tfstate-123456789012/main.tf")),
        "no state bucket module"
    );
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        assert!(
            text.starts_with("# Generated by tfgen")
                || text.starts_with("{\n  \"//\": \"Generated by tfgen"),
            "{} lacks the header",
            path.display()
        );
        assert!(
            text.contains("tfgen render --all"),
            "{} does not say how to regenerate",
            path.display()
        );
    }
}

#[test]
fn render_all_removes_stale_generated_files_and_keeps_foreign_ones() {
    let project = project();
    let out = project.path().join("out");
    tfgen(&["render", "--all"])
        .in_dir(project.path())
        .run()
        .expect(0);
    write(&out.join("README.md"), "notes\n");
    write(&out.join("prod/hcl/backend.tf"), "terraform {}\n");
    // Drop prod: its generated files go, the foreign ones stay.
    write(
        &project.path().join("tfgen.hcl"),
        "environment \"dev\" {}\n",
    );
    tfgen(&["render", "--all"])
        .in_dir(project.path())
        .run()
        .expect(0);
    assert!(out.join("dev/hcl/s3.tf").is_file());
    assert!(!out.join("prod/json").exists());
    assert!(!out.join("prod/hcl/s3.tf").exists());
    assert!(out.join("prod/hcl/backend.tf").is_file());
    assert!(out.join("README.md").is_file());
}

#[test]
fn check_is_quiet_on_a_clean_tree() {
    let project = project();
    tfgen(&["render", "--all"])
        .in_dir(project.path())
        .run()
        .expect(0);
    let output = tfgen(&["check"]).in_dir(project.path()).run().expect(0);
    assert_eq!(output.stdout, "");
}

#[test]
fn check_shows_a_hand_edit_as_a_diff() {
    let project = project();
    tfgen(&["render", "--all"])
        .in_dir(project.path())
        .run()
        .expect(0);
    let path = project.path().join("out/dev/hcl/s3.tf");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("force_destroy = true", "force_destroy = false");
    write(&path, &text);
    let output = tfgen(&["check"])
        .in_dir(project.path())
        .env("NO_COLOR", "1")
        .run()
        .expect(1);
    assert!(
        output
            .stdout
            .contains("--- out/dev/hcl/s3.tf\n+++ out/dev/hcl/s3.tf (model)\n"),
        "{}",
        output.stdout
    );
    assert!(
        output
            .stdout
            .contains("\n-  force_destroy = false\n+  force_destroy = true\n"),
        "{}",
        output.stdout
    );
    assert!(output.stdout.ends_with(
        "out is out of date: 1 file(s) drifted from the model; run `tfgen render --all` and commit the result\n"
    ));
    assert!(!output.stdout.contains('\x1b'), "no colour when piped");
}

#[test]
fn check_reports_a_changed_config() {
    let project = project();
    tfgen(&["render", "--all"])
        .in_dir(project.path())
        .run()
        .expect(0);
    let config = std::fs::read_to_string(project.path().join("tfgen.hcl"))
        .unwrap()
        .replace("\"main\"", "\"release\"");
    write(&project.path().join("tfgen.hcl"), &config);
    let output = tfgen(&["check"]).in_dir(project.path()).run().expect(1);
    assert!(
        output.stdout.contains("+  default     = \"release\""),
        "{}",
        output.stdout
    );
    assert!(
        output.stdout.contains("4 file(s) drifted"),
        "{}",
        output.stdout
    );
}

#[test]
fn check_reports_missing_and_extra_files() {
    let project = project();
    tfgen(&["render", "--all"])
        .in_dir(project.path())
        .run()
        .expect(0);
    std::fs::remove_file(project.path().join("out/prod/json/s3.tf.json")).unwrap();
    write(&project.path().join("out/dev/hcl/extra.tf"), "locals {}\n");
    let output = tfgen(&["check"]).in_dir(project.path()).run().expect(1);
    assert!(
        output
            .stdout
            .contains("missing: out/prod/json/s3.tf.json\n"),
        "{}",
        output.stdout
    );
    assert!(
        output
            .stdout
            .contains("foreign: out/dev/hcl/extra.tf (not generated by tfgen;"),
        "{}",
        output.stdout
    );
}

#[test]
fn check_of_the_repository_is_clean() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let output = tfgen(&["check"]).in_dir(&root).run().expect(0);
    assert_eq!(output.stdout, "");
}

/// A project whose tfgen.hcl uses the settings of environments at scale.
const AT_SCALE: &str = r#"defaults {
  state {
    bucket = "example-tfstate"
    region = "us-east-1"
  }
  tags = { Project = "sagemaker-mlops" }
}

environment "dev" {}

environment "prod" {
  profile    = "hardened"
  account_id = "123456789012"
  state {
    key = "live/prod.tfstate"
  }
  variables = {
    region                = "eu-west-1"
    artifacts_bucket_name = "sagemaker-artifacts-pipeline-18345-prod"
  }
}
"#;

#[test]
fn envs_json_is_one_line_of_ci_matrix() {
    let project = tempfile::tempdir().unwrap();
    write(&project.path().join("tfgen.hcl"), AT_SCALE);
    let output = tfgen(&["envs", "--format", "json"])
        .in_dir(project.path())
        .run()
        .expect(0);
    assert_eq!(output.stderr, "");
    assert_eq!(
        output.stdout,
        concat!(
            r#"{"include":["#,
            r#"{"environment":"dev","profile":"seed","account_id":null,"region":"us-east-1","#,
            r#""state":{"bucket":"example-tfstate","key":"dev/terraform.tfstate","region":"us-east-1"},"#,
            r#""hcl_directory":"out/dev/hcl","json_directory":"out/dev/json","defined_at":"tfgen.hcl:9:1"},"#,
            r#"{"environment":"prod","profile":"hardened","account_id":"123456789012","region":"eu-west-1","#,
            r#""state":{"bucket":"example-tfstate","key":"live/prod.tfstate","region":"us-east-1"},"#,
            r#""hcl_directory":"out/prod/hcl","json_directory":"out/prod/json","defined_at":"tfgen.hcl:11:1"}"#,
            "]}\n"
        )
    );
}

#[test]
fn envs_json_of_the_repository_has_remote_state_where_it_is_set() {
    let project = project();
    let output = tfgen(&["envs", "--format", "json"])
        .in_dir(project.path())
        .run()
        .expect(0);
    let matrix: serde_json::Value = serde_json::from_str(&output.stdout).unwrap();
    let entries: Vec<(&str, &serde_json::Value, &serde_json::Value)> = matrix["include"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| {
            (
                entry["environment"].as_str().unwrap(),
                &entry["account_id"],
                &entry["state"]["key"],
            )
        })
        .collect();
    assert_eq!(
        entries,
        [
            ("dev", &serde_json::Value::Null, &serde_json::Value::Null),
            (
                "prod",
                &serde_json::json!("123456789012"),
                &serde_json::json!("prod/terraform.tfstate")
            ),
            (
                "staging",
                &serde_json::json!("123456789012"),
                &serde_json::json!("staging/terraform.tfstate")
            ),
        ]
    );
}

#[test]
fn envs_rejects_an_unknown_format() {
    let output = tfgen(&["envs", "--format", "yaml"]).run().expect(2);
    assert_eq!(output.stdout, "");
    assert!(
        output
            .stderr
            .starts_with("error: invalid value 'yaml' for '--format <FORMAT>'"),
        "{}",
        output.stderr
    );
}

#[test]
fn envs_reports_a_shared_state_key_with_exit_2() {
    let project = tempfile::tempdir().unwrap();
    write(
        &project.path().join("tfgen.hcl"),
        &AT_SCALE.replace("live/prod.tfstate", "dev/terraform.tfstate"),
    );
    tfgen(&["envs", "--format", "json"])
        .in_dir(project.path())
        .run()
        .expect_error("tfgen: error[config-state-shared]: tfgen.hcl:15:11: environment \"prod\": state.key: state s3://example-tfstate/dev/terraform.tfstate is also environment \"dev\"'s (set at tfgen.hcl:9:1); two environments sharing state overwrite each other\n  help: give each environment its own state { key = \"...\" }, or leave key unset to derive it from the name\n");
}

#[test]
fn validate_reports_every_environment_with_exit_0() {
    let project = project();
    let output = tfgen(&["validate"]).in_dir(project.path()).run().expect(0);
    assert_eq!(output.stderr, "");
    let lines: Vec<&str> = output.stdout.lines().collect();
    assert_eq!(lines[0], "dev: ok (profile seed, defined at tfgen.hcl:5:1)");
    assert!(
        lines.contains(&"prod: ok (profile hardened, defined at tfgen.hcl:9:1)"),
        "{}",
        output.stdout
    );
    assert!(
        lines
            .iter()
            .any(|line| line.starts_with("  ") && line.contains(" of 6144 characters (")),
        "{}",
        output.stdout
    );
}

#[test]
fn validate_of_one_environment_reports_only_it() {
    let project = project();
    let output = tfgen(&["validate", "--env", "prod"])
        .in_dir(project.path())
        .run()
        .expect(0);
    assert!(output.stdout.starts_with("prod: ok (profile hardened"));
    assert!(!output.stdout.contains("dev:"), "{}", output.stdout);
}

#[test]
fn validate_refuses_a_value_aws_would_reject_with_exit_2() {
    let project = tempfile::tempdir().unwrap();
    write(
        &project.path().join("tfgen.hcl"),
        "environment \"dev\" {\n  variables = { region = \"US EAST\" }\n}\n",
    );
    tfgen(&["validate"])
        .in_dir(project.path())
        .run()
        .expect_error("tfgen: error[config-region]: tfgen.hcl:2:26: environment \"dev\": variables.region: \"US EAST\" is not an AWS region name\n  help: use a region code such as us-east-1, eu-west-1, us-gov-west-1 or cn-north-1\n");
}

#[test]
fn validate_refuses_a_bucket_name_aws_would_reject_with_exit_2() {
    let project = tempfile::tempdir().unwrap();
    write(
        &project.path().join("tfgen.hcl"),
        "environment \"dev\" {\n  variables = { artifacts_bucket_name = \"Bad_Bucket\" }\n}\n",
    );
    let output = tfgen(&["validate"]).in_dir(project.path()).run().expect(2);
    assert_eq!(output.stdout, "");
    assert!(
        output
            .stderr
            .starts_with("tfgen: error[s3-bucket-name-charset]: tfgen.hcl:2:41: environment \"dev\": aws_s3_bucket.artifacts_bucket.bucket: bucket name \"Bad_Bucket\" contains 'B'"),
        "{}",
        output.stderr
    );
}

#[test]
fn validate_of_an_unknown_environment_is_an_error() {
    let project = project();
    let output = tfgen(&["validate", "--env", "qa"])
        .in_dir(project.path())
        .run()
        .expect(2);
    assert_eq!(output.stdout, "");
    assert!(
        output.stderr.starts_with(
            "tfgen: unknown environment \"qa\" (defined in tfgen.hcl: dev, prod, staging)"
        ),
        "{}",
        output.stderr
    );
}

/// Two separate processes, not two renders in one: a hash seed, a thread
/// count or an address that leaks into the output differs between runs.
#[test]
fn same_input_gives_the_same_bytes_in_two_processes() {
    let project = project();
    let first = project.path().join("first");
    let second = project.path().join("second");
    for directory in [&first, &second] {
        tfgen(&["render", "--all", "--out", directory.to_str().unwrap()])
            .in_dir(project.path())
            .run()
            .expect(0);
    }
    let strip = |root: &Path| -> Vec<(PathBuf, Vec<u8>)> {
        tree(root)
            .into_iter()
            .map(|(path, bytes)| (path.strip_prefix(root).unwrap().to_path_buf(), bytes))
            .collect()
    };
    let (first, second) = (strip(&first), strip(&second));
    assert!(first.len() > 10, "render --all wrote {} files", first.len());
    assert_eq!(first, second);
}

#[test]
fn validate_refuses_iam_names_two_environments_would_share_in_one_account() {
    let project = tempfile::tempdir().unwrap();
    write(
        &project.path().join("tfgen.hcl"),
        "environment \"qa\" {\n  variables = { env = \"shared\" }\n}\nenvironment \"uat\" {\n  account_id = \"123456789012\"\n  variables = { env = \"shared\", artifacts_bucket_name = \"sagemaker-artifacts-uat-18345\" }\n}\n",
    );
    tfgen(&["validate"])
        .in_dir(project.path())
        .run()
        .expect_error(concat!(
            "tfgen: error[iam-name-unique]: tfgen.hcl:6:23: environment \"uat\": aws_iam_role.tf_mlops_role.name: IAM name \"tf-mlops-role-shared-1007\" is also created by environment \"qa\", and both may deploy into an account (one of them sets no account_id); IAM names are unique per account\n",
            "  help: give the environments distinct `env` values, or distinct account_id values\n",
            "error[iam-name-unique]: tfgen.hcl:6:23: environment \"uat\": aws_iam_policy.tf_mlops_policy.name: IAM name \"tf-mlops-policy-shared-1007\" is also created by environment \"qa\", and both may deploy into an account (one of them sets no account_id); IAM names are unique per account\n",
            "  help: give the environments distinct `env` values, or distinct account_id values\n",
            "2 errors\n",
        ));
}

#[test]
fn environments_in_distinct_accounts_may_reuse_iam_names() {
    let project = tempfile::tempdir().unwrap();
    write(
        &project.path().join("tfgen.hcl"),
        "environment \"qa\" {\n  account_id = \"111111111111\"\n  variables = { env = \"shared\" }\n}\nenvironment \"uat\" {\n  account_id = \"222222222222\"\n  variables = { env = \"shared\", artifacts_bucket_name = \"sagemaker-artifacts-uat-18345\" }\n}\n",
    );
    tfgen(&["validate"]).in_dir(project.path()).run().expect(0);
}

#[test]
fn adopt_writes_import_blocks_beside_the_rendered_modules_and_done_removes_them() {
    let project = project();
    tfgen(&["render", "--all"])
        .in_dir(project.path())
        .run()
        .expect(0);
    let before = tree(&project.path().join("out"));
    let adopted = tfgen(&["adopt", "--env", "prod"])
        .in_dir(project.path())
        .run()
        .expect(0);
    assert_eq!(
        adopted.stdout,
        "out/prod/hcl/imports.tf: 45 import block(s)\nout/prod/json/imports.tf.json: 45 import block(s)\nnext: terraform plan (only imports), terraform apply, then tfgen adopt --done\n"
    );
    // The credential's ID is AWS's: said, with the command that finds it.
    assert!(
        adopted.stderr.starts_with("tfgen: note[adopt-not-imported]: ")
            && adopted.stderr.contains("aws iam list-service-specific-credentials --user-name GitToCodeCommitSyncUser-prod")
            && adopted.stderr.contains("--id aws_iam_service_specific_credential.git_credentials=codecommit.amazonaws.com:GitToCodeCommitSyncUser-prod:CREDENTIAL_ID"),
        "{}",
        adopted.stderr
    );
    let hcl = std::fs::read_to_string(project.path().join("out/prod/hcl/imports.tf")).unwrap();
    assert!(hcl.starts_with("# Generated by tfgen adopt for environment \"prod\""));
    assert!(hcl.contains("import {\n  to = aws_s3_bucket.artifacts_bucket\n  id = \"sagemaker-artifacts-pipeline-18345-prod\"\n}\n"));
    // prod names its account: the ARNs in the IDs are literal.
    assert!(hcl.contains("  id = \"tf-mlops-role-prod-1007/arn:aws:iam::123456789012:policy/service-role/tf-mlops-sagemaker-policy-prod-1007\"\n"));
    assert!(hcl.contains("  id = data.aws_kms_alias.adopt_artifacts.target_key_id\n"));
    // Adoption in progress: not drift, but said; render keeps it.
    let check = tfgen(&["check"]).in_dir(project.path()).run().expect(0);
    assert!(
        check
            .stderr
            .contains("note[adopt-in-progress]: out/prod/hcl/imports.tf"),
        "{}",
        check.stderr
    );
    tfgen(&["render", "--all"])
        .in_dir(project.path())
        .run()
        .expect(0);
    assert!(
        project
            .path()
            .join("out/prod/json/imports.tf.json")
            .is_file()
    );

    let id = "aws_iam_service_specific_credential.git_credentials=codecommit.amazonaws.com:GitToCodeCommitSyncUser-prod:ACCAEXAMPLE";
    let given = tfgen(&["adopt", "--env", "prod", "--format", "hcl", "--id", id])
        .in_dir(project.path())
        .run()
        .expect(0);
    assert_eq!(given.stderr, "");
    assert!(
        given
            .stdout
            .starts_with("out/prod/hcl/imports.tf: 46 import block(s)\n")
    );

    let done = tfgen(&["adopt", "--env", "prod", "--done"])
        .in_dir(project.path())
        .run()
        .expect(0);
    assert_eq!(
        done.stdout,
        "removed: out/prod/hcl/imports.tf\nremoved: out/prod/json/imports.tf.json\n"
    );
    assert_eq!(tree(&project.path().join("out")), before);
}

#[test]
fn adopt_refuses_what_it_cannot_do_with_exit_2_and_writes_nothing() {
    let project = project();
    tfgen(&["adopt", "--env", "prod"])
        .in_dir(project.path())
        .run()
        .expect_error("tfgen: out/prod/hcl: no module tfgen rendered is there to adopt into\n  help: run `tfgen render --all` (or `tfgen render --env prod --format hcl --out out/prod/hcl`) first\n");
    tfgen(&["render", "--all"])
        .in_dir(project.path())
        .run()
        .expect(0);
    let before = tree(&project.path().join("out"));
    tfgen(&["adopt", "--env", "prod", "--id", "nothing"])
        .in_dir(project.path())
        .run()
        .expect_error("tfgen: --id nothing: expected ADDRESS=ID, such as --id aws_iam_service_specific_credential.git_credentials=codecommit.amazonaws.com:GitToCodeCommitSyncUser:ACCA...\n");
    let unknown = tfgen(&["adopt", "--env", "prod", "--id", "aws_s3_bucket.other=x"])
        .in_dir(project.path())
        .run()
        .expect(2);
    assert!(
        unknown.stderr.starts_with("tfgen: --id aws_s3_bucket.other=...: environment \"prod\" has no resource aws_s3_bucket.other to import\n  help: the addresses are those of `terraform state list`: aws_s3_bucket.artifacts_bucket, "),
        "{}",
        unknown.stderr
    );
    // A file of the same name that tfgen adopt did not write is left alone.
    write(&project.path().join("out/dev/hcl/imports.tf"), "# mine\n");
    tfgen(&["adopt", "--env", "dev", "--done"])
        .in_dir(project.path())
        .run()
        .expect_error("tfgen: out/dev/hcl/imports.tf: not a file tfgen adopt wrote; left as it is\n  help: remove it yourself if it is no longer wanted\n");
    std::fs::remove_file(project.path().join("out/dev/hcl/imports.tf")).unwrap();
    assert_eq!(tree(&project.path().join("out")), before);
}
