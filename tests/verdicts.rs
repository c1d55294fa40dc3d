//! `--format json` of `check`, `validate` and `diff`: one envelope
//! (`version`, `command`, `outcome`, `exit_code`, `diagnostics`, then the
//! command's own keys), read here with serde_json for what it says: the
//! drifted file, the bad name, the changed statement. Exit codes are those
//! of the text reports; an error (exit 2) is the envelope too.
//!
//! `diff --format json` of the built-in `dev` against `prod` is a golden,
//! `tests/golden/diff.json` (re-bless with `TFGEN_BLESS=1`).

use std::path::Path;

use serde_json::{Value, json};

use crate::support::{Output, assert_golden, tfgen};

fn run(directory: &Path, args: &[&str]) -> Output {
    tfgen(args).in_dir(directory).run()
}

/// The envelope of a run's stdout, checked against its exit code.
fn envelope(output: &Output, command: &str) -> Value {
    let value: Value = serde_json::from_str(&output.stdout)
        .unwrap_or_else(|error| panic!("{error}: not JSON:\n{}", output.stdout));
    assert_eq!(value["version"], 1);
    assert_eq!(value["command"], command);
    assert_eq!(value["exit_code"], output.code);
    let outcome = ["success", "failure", "error"][output.code as usize];
    assert_eq!(value["outcome"], outcome);
    assert!(value["diagnostics"].is_array());
    value
}

/// A scratch directory with the built-in environments rendered into out/.
fn rendered() -> tempfile::TempDir {
    let project = tempfile::tempdir().unwrap();
    run(project.path(), &["render", "--all"]).expect(0);
    project
}

#[test]
fn check_json_names_the_drifted_file_with_its_diff() {
    let project = rendered();
    let root = project.path();
    let clean = run(root, &["check", "--format", "json"]).expect(0);
    let value = envelope(&clean, "check");
    assert_eq!(value["diagnostics"], json!([]));
    assert_eq!(value["summary"]["drifted"], 0);

    let file = root.join("out/dev/hcl/s3.tf");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replace("force_destroy = true", "force_destroy = false"),
    )
    .unwrap();
    std::fs::remove_file(root.join("out/prod/json/outputs.tf.json")).unwrap();
    let drifted = run(root, &["check", "--format", "json"]).expect(1);
    assert_eq!(drifted.stderr, "");
    let value = envelope(&drifted, "check");
    let diagnostics = value["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 2, "{value:#}");
    let differs = &diagnostics[0];
    assert_eq!(differs["severity"], "error");
    assert_eq!(differs["rule"], "check-differs");
    assert_eq!(differs["file"], "out/dev/hcl/s3.tf");
    assert_eq!(
        differs["help"],
        "run `tfgen render --all` and commit the result"
    );
    let diff = differs["diff"].as_str().unwrap();
    assert!(
        diff.contains("\n-  force_destroy = false\n+  force_destroy = true\n"),
        "{diff}"
    );
    assert_eq!(diagnostics[1]["rule"], "check-missing");
    assert_eq!(diagnostics[1]["file"], "out/prod/json/outputs.tf.json");
    assert_eq!(
        value["summary"],
        json!({"drifted": 2, "differs": 1, "missing": 1, "extra": 0, "foreign": 0})
    );
}

#[test]
fn validate_json_reports_a_bad_name_as_a_diagnostic_at_its_place() {
    let project = tempfile::tempdir().unwrap();
    let root = project.path();
    let config = root.join("tfgen.hcl");
    std::fs::write(
        &config,
        "environment \"dev\" {\n  variables = { artifacts_bucket_name = \"Bad_Bucket\" }\n}\n",
    )
    .unwrap();
    let output = run(root, &["validate", "--format", "json"]).expect(2);
    // The message for people is where it is without --format json.
    assert!(
        output
            .stderr
            .starts_with("tfgen: error[s3-bucket-name-charset]: tfgen.hcl:2:41: "),
        "{}",
        output.stderr
    );
    let value = envelope(&output, "validate");
    assert!(
        value.get("environments").is_none(),
        "an error is the envelope alone"
    );
    let bad = value["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|diagnostic| diagnostic["rule"] == "s3-bucket-name-charset")
        .unwrap_or_else(|| panic!("no s3-bucket-name-charset in {value:#}"));
    assert_eq!(bad["severity"], "error");
    assert_eq!(bad["environment"], "dev");
    assert_eq!(bad["field"], "aws_s3_bucket.artifacts_bucket.bucket");
    assert_eq!(bad["file"], "tfgen.hcl");
    assert_eq!(bad["line"], 2);
    assert_eq!(bad["column"], 41);
    assert_eq!(bad["origin"], "tfgen.hcl:2:41");
    assert!(
        bad["message"].as_str().unwrap().contains("\"Bad_Bucket\""),
        "{bad}"
    );
    assert!(!bad["help"].as_str().unwrap().is_empty(), "{bad}");

    // Valid: each environment with its policies' sizes.
    std::fs::write(&config, "environment \"dev\" {}\n").unwrap();
    let valid = run(root, &["validate", "--format", "json"]).expect(0);
    let value = envelope(&valid, "validate");
    let dev = &value["environments"][0];
    assert_eq!(dev["name"], "dev");
    assert_eq!(dev["profile"], "seed");
    assert_eq!(dev["defined_at"], "tfgen.hcl:1:1");
    let sizes = dev["policy_sizes"].as_array().unwrap();
    let policy = sizes
        .iter()
        .find(|size| size["field"] == "aws_iam_policy.tf_mlops_policy.policy")
        .unwrap_or_else(|| panic!("{sizes:?}"));
    assert_eq!(policy["limit"], 6144);
    assert!(policy["characters"].as_u64().unwrap() > 100, "{policy}");

    // A tfgen.hcl that does not parse is the envelope too, with its place.
    std::fs::write(&config, "environment \"dev\" {\n  profile = \n}\n").unwrap();
    for command in ["validate", "check", "diff"] {
        let args: &[&str] = match command {
            "diff" => &["diff", "--base", "HEAD", "--format", "json"],
            _ => &[command, "--format", "json"],
        };
        let output = run(root, args).expect(2);
        let value = envelope(&output, command);
        assert_eq!(
            value["diagnostics"][0]["rule"], "config-syntax",
            "{value:#}"
        );
        assert_eq!(value["diagnostics"][0]["line"], 2);
    }
}

#[test]
fn diff_json_shows_a_changed_policy_statement() {
    let project = rendered();
    let root = project.path();
    let edited = root.join("edited");
    std::fs::create_dir(&edited).unwrap();
    for entry in std::fs::read_dir(root.join("out/dev/hcl")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, edited.join(path.file_name().unwrap())).unwrap();
    }
    let file = edited.join("iam_roles.tf");
    let text = std::fs::read_to_string(&file).unwrap();
    let old_line =
        r#"Action   = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]"#;
    assert!(text.contains(old_line), "the seed policy's logs statement");
    std::fs::write(
        &file,
        text.replace(
            old_line,
            r#"Action   = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]"#,
        ),
    )
    .unwrap();
    let output = run(
        root,
        &["diff", "out/dev/json", "edited", "--format", "json"],
    )
    .expect(1);
    let value = envelope(&output, "diff");
    assert_eq!(value["diagnostics"], json!([]));
    let comparison = &value["comparisons"][0];
    assert_eq!(comparison["environment"], Value::Null);
    assert_eq!(comparison["old"], "out/dev/json");
    assert_eq!(comparison["new"], "edited");
    assert_eq!(
        comparison["summary"],
        "resources: 1 changed · IAM statements: 1 changed"
    );
    assert_eq!(
        comparison["changes"],
        json!([{
            "address": "aws_iam_policy.tf_mlops_policy",
            "category": "resource",
            "change": "changed",
            "attributes": [],
            "policies": [{
                "attribute": "policy",
                "document": [],
                "statements": [{
                    "label": "#4",
                    "change": "changed",
                    "lines": [{"sign": "+", "field": "Action", "value": "logs:DescribeLogStreams"}]
                }]
            }]
        }])
    );

    let same = run(
        root,
        &["diff", "out/dev/hcl", "out/dev/json", "--format", "json"],
    )
    .expect(0);
    let value = envelope(&same, "diff");
    assert_eq!(value["comparisons"][0]["changes"], json!([]));
    assert_eq!(value["comparisons"][0]["summary"], "no difference");
}

#[test]
fn diff_json_of_dev_against_prod_matches_the_golden() {
    let project = rendered();
    let output = run(
        project.path(),
        &["diff", "out/dev", "out/prod", "--format", "json"],
    )
    .expect(1);
    let value = envelope(&output, "diff");
    // prod's bucket is another: replacing dev's destroys what it keeps.
    assert!(
        value["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|diagnostic| diagnostic["rule"] == "data-replaced"
                && diagnostic["field"] == "aws_s3_bucket.artifacts_bucket"),
        "{:#}",
        value["diagnostics"]
    );
    assert_golden("tests/golden/diff.json", &output.stdout);
}

/// An error that is not about a value (an unknown environment) is one
/// diagnostic, its rule named after its kind, its help split off.
#[test]
fn an_error_of_another_kind_is_one_diagnostic_with_its_help() {
    let project = tempfile::tempdir().unwrap();
    let output = run(
        project.path(),
        &["validate", "--env", "qa", "--format", "json"],
    )
    .expect(2);
    let value = envelope(&output, "validate");
    assert_eq!(
        value["diagnostics"],
        json!([{
            "severity": "error",
            "rule": "unknown-environment",
            "message": "unknown environment \"qa\" (defined in built-in defaults: dev, prod)",
            "help": "pick one with --env, or add `environment \"qa\" { ... }` to tfgen.hcl",
            "environment": null,
            "field": null,
            "origin": null,
            "file": null,
            "line": null,
            "column": null,
        }])
    );
    assert_eq!(
        output.stderr,
        "tfgen: unknown environment \"qa\" (defined in built-in defaults: dev, prod)\n  help: pick one with --env, or add `environment \"qa\" { ... }` to tfgen.hcl\n"
    );
}
