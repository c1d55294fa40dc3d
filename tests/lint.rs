//! `tfgen lint` as a user runs it: the binary's exit codes (0 clean, 1 a
//! finding at the --deny level, 2 unreadable input), stdout and stderr; the
//! reference files linted as plain Terraform; and the SARIF log checked
//! against the vendored SARIF 2.1.0 schema with every location on its
//! statement's line.

use std::path::Path;

use serde_json::Value;

use crate::support::{project_root, tfgen};

/// `(field, statement, rule, severity, message)` of each finding of a JSON
/// report: what must agree between the seed profile and the reference.
fn findings(report: &str) -> Vec<(String, u64, String, String, String)> {
    let report: Value = serde_json::from_str(report).unwrap();
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|finding| {
            (
                finding["field"].as_str().unwrap().to_string(),
                finding["statement"].as_u64().unwrap(),
                finding["rule"].as_str().unwrap().to_string(),
                finding["severity"].as_str().unwrap().to_string(),
                finding["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn hardened_exits_0_at_every_level_and_seed_exits_1() {
    // The repository's prod (hardened, with the pipeline), and the hardened
    // foundation alone.
    let foundation = tempfile::tempdir().unwrap();
    let config = foundation.path().join("tfgen.hcl");
    std::fs::write(
        &config,
        "environment \"prod\" {\n  profile = \"hardened\"\n}\n",
    )
    .unwrap();
    let config = config.to_str().unwrap();
    for level in ["error", "warning", "info"] {
        for extra in [&[][..], &["--config", config][..]] {
            let mut args = vec!["lint", "--env", "prod", "--deny", level];
            args.extend_from_slice(extra);
            let output = tfgen(&args).in_dir(&project_root()).run().expect(0);
            assert_eq!(
                output.stdout, "0 findings (0 errors, 0 warnings, 0 info) in 1 environment\n",
                "{args:?}"
            );
            assert_eq!(output.stderr, "");
        }
    }
    // The repository's staging: a CodeConnections source and the approval
    // topic. Its grants on the connection and the topic are its own.
    for level in ["error", "warning", "info"] {
        let output = tfgen(&["lint", "--env", "staging", "--deny", level])
            .in_dir(&project_root())
            .run()
            .expect(0);
        assert_eq!(
            output.stdout,
            "0 findings (0 errors, 0 warnings, 0 info) in 1 environment\n"
        );
    }
    let seed = tfgen(&["lint", "--env", "dev"])
        .in_dir(&project_root())
        .run()
        .expect(1);
    assert_eq!(seed.stderr, "");
    assert!(seed.stdout.contains(
        "out/dev/hcl/iam_roles.tf:55:7: dev: aws_iam_policy.tf_mlops_policy.policy statement 2: \
         error[iam-passrole-any-resource]"
    ));
    assert!(
        seed.stdout
            .ends_with("25 findings (5 errors, 15 warnings, 5 info) in 1 environment\n"),
        "{}",
        seed.stdout
    );
}

#[test]
fn the_reference_files_have_the_seed_profiles_findings() {
    let seed = tfgen(&["lint", "--env", "dev", "--format", "json"])
        .in_dir(&project_root())
        .run()
        .expect(1);
    let reference = tfgen(&["lint", "fixtures/reference", "--format", "json"])
        .in_dir(&project_root())
        .run()
        .expect(1);
    assert_eq!(findings(&reference.stdout), findings(&seed.stdout));
    let report: Value = serde_json::from_str(&reference.stdout).unwrap();
    let first = &report["findings"][0];
    assert_eq!(first["file"], "fixtures/reference/iam_roles.tf");
    assert!(first.get("environment").is_none());
    assert_eq!(report["summary"]["files"], 1);
}

#[test]
fn unreadable_input_is_exit_2_with_the_file_and_position() {
    let directory = tempfile::tempdir().unwrap();
    let broken = directory.path().join("policy.json");
    std::fs::write(
        &broken,
        "{\n  \"Statement\": [\n    {\"Effect\": }\n  ]\n}\n",
    )
    .unwrap();
    let path = broken.to_str().unwrap();
    tfgen(&["lint", path]).run().expect_error(&format!(
        "tfgen: {path}:3:16: cannot lint: not a JSON policy document: expected value at line 3 \
         column 16\n"
    ));
    let missing = directory.path().join("missing.tf");
    let output = tfgen(&["lint", missing.to_str().unwrap()]).run().expect(2);
    assert!(output.stderr.contains("missing.tf"), "{}", output.stderr);
    assert_eq!(output.stdout, "");
    let output = tfgen(&["lint", "--env", "dev", "fixtures/reference"])
        .in_dir(&project_root())
        .run()
        .expect(2);
    assert!(
        output.stderr.contains("cannot be used with"),
        "{}",
        output.stderr
    );
}

#[test]
fn a_typo_in_an_action_is_an_error_with_the_real_name() {
    let directory = tempfile::tempdir().unwrap();
    let policy = directory.path().join("policy.json");
    std::fs::write(
        &policy,
        "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObjet\", \
         \"Resource\": \"arn:aws:s3:::bucket/*\"}]}",
    )
    .unwrap();
    let output = tfgen(&["lint", policy.to_str().unwrap()]).run().expect(1);
    assert!(
        output.stdout.contains(
            ":1:16: policy.json statement 1: error[iam-action-unknown]: \"s3:GetObjet\" is not \
             a s3 action\n  fix: did you mean s3:GetObject? write \"s3:GetObject\"\n"
        ),
        "{}",
        output.stdout
    );
}

/// The line `line` (1-based) of a file under the project root.
fn line_of(file: &str, line: u64) -> String {
    let text = std::fs::read_to_string(project_root().join(file)).unwrap();
    text.lines().nth(line as usize - 1).unwrap().to_string()
}

fn validate_sarif(log: &Value) {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(project_root().join("tests/sarif/sarif-schema-2.1.0.json"))
            .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the vendored schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(log)
        .map(|error| format!("{} at {}", error, error.instance_path()))
        .collect();
    assert!(errors.is_empty(), "SARIF schema errors: {errors:#?}");
}

#[test]
fn sarif_is_valid_and_every_location_is_its_statements_line() {
    for args in [
        &["lint", "--env", "dev", "--format", "sarif"][..],
        &["lint", "fixtures/reference", "--format", "sarif"][..],
    ] {
        let output = tfgen(args).in_dir(&project_root()).run().expect(1);
        let log: Value = serde_json::from_str(&output.stdout).unwrap();
        validate_sarif(&log);
        let run = &log["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        assert!(
            rules
                .iter()
                .all(|rule| rule["help"]["text"].as_str().is_some())
        );
        let results = run["results"].as_array().unwrap();
        assert_eq!(results.len(), 25, "{args:?}");
        // Per policy, statement N's line is the N-th statement opening.
        let json_args: Vec<&str> = args
            .iter()
            .map(|arg| if *arg == "sarif" { "json" } else { arg })
            .collect();
        let json = tfgen(&json_args).in_dir(&project_root()).run().expect(1);
        let report: Value = serde_json::from_str(&json.stdout).unwrap();
        for (result, finding) in results.iter().zip(report["findings"].as_array().unwrap()) {
            assert_eq!(result["ruleId"], finding["rule"]);
            let location = &result["locations"][0]["physicalLocation"];
            let file = location["artifactLocation"]["uri"].as_str().unwrap();
            let line = location["region"]["startLine"].as_u64().unwrap();
            assert!(Path::new(&project_root().join(file)).is_file(), "{file}");
            assert_eq!(line, finding["line"].as_u64().unwrap());
            assert_eq!(
                line_of(file, line).trim(),
                "{",
                "{file}:{line} for {finding}"
            );
        }
    }
}

#[test]
fn statement_lines_follow_the_statement_order() {
    let output = tfgen(&["lint", "--env", "dev", "--format", "json"])
        .in_dir(&project_root())
        .run()
        .expect(1);
    let report: Value = serde_json::from_str(&output.stdout).unwrap();
    let mut policy: Vec<(u64, u64)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|finding| finding["field"] == "aws_iam_policy.tf_mlops_policy.policy")
        .map(|finding| {
            (
                finding["statement"].as_u64().unwrap(),
                finding["line"].as_u64().unwrap(),
            )
        })
        .collect();
    policy.dedup();
    assert!(policy.len() > 8);
    assert!(
        policy
            .windows(2)
            .all(|pair| (pair[0].0 < pair[1].0) == (pair[0].1 < pair[1].1)),
        "{policy:?}"
    );
}

#[test]
fn completions_and_the_man_page_come_from_the_cli_definition() {
    for (shell, marker) in [
        ("bash", "_tfgen()"),
        ("zsh", "#compdef tfgen"),
        ("fish", "complete -c tfgen"),
    ] {
        let output = tfgen(&["completions", shell]).run().expect(0);
        assert!(output.stdout.contains(marker), "{shell}: {}", output.stdout);
        assert!(output.stdout.contains("lint"), "{shell}");
        assert!(output.stdout.contains("deny"), "{shell}");
    }
    let man = tfgen(&["man"]).run().expect(0);
    assert!(man.stdout.starts_with(".ie"), "{}", &man.stdout[..40]);
    assert!(man.stdout.contains(".TH tfgen 1"));
    for command in ["render", "check", "lint", "completions"] {
        assert!(man.stdout.contains(command), "{command}");
    }
    tfgen(&["completions", "powershell"]).run().expect(2);
}

#[test]
fn hardened_output_linted_as_plain_terraform_skips_interpolations() {
    // out/prod/hcl written by tfgen: `${aws_s3_bucket.artifacts_bucket.arn}`
    // cannot be resolved outside the stack, so it is no malformed ARN.
    let output = tfgen(&["lint", "out/prod/hcl", "--format", "json"])
        .in_dir(&project_root())
        .run()
        .expect(0);
    let report: Value = serde_json::from_str(&output.stdout).unwrap();
    let rules: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|finding| finding["rule"].as_str().unwrap())
        .collect();
    assert!(!rules.contains(&"iam-arn-malformed"), "{rules:?}");
    assert_eq!(report["summary"]["errors"], 0, "{}", output.stdout);
}
