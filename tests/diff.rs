//! `tfgen diff` end to end: the binary on trees it rendered itself.
//!
//! Each test works in a scratch directory (no `tfgen.hcl` there means the
//! built-in `dev`, profile seed, and `prod`, profile hardened), renders with
//! `tfgen render --all`, edits the output or the config, and checks the exit
//! code and the report.
//!
//! The markdown report of `dev` against `prod` is a golden file,
//! `tests/golden/diff.md`; a mismatch prints a unified diff. Re-bless it
//! after an intended change with:
//!
//! ```console
//! TFGEN_BLESS=1 cargo test --test integration diff::
//! ```

use std::collections::BTreeMap;
use std::path::Path;

use tfgen::config::Config;
use tfgen::model::Block;
use tfgen::read::normalize;
use tfgen::stack::Stack;

use crate::support::git::committed_render;
use crate::support::{self, Output, assert_golden};

/// Runs the binary in `directory`.
fn tfgen(directory: &Path, args: &[&str]) -> Output {
    support::tfgen(args).in_dir(directory).run()
}

/// A scratch directory with `out/` rendered by `tfgen render --all`, from
/// `config` as its `tfgen.hcl` (or the built-in environments).
fn rendered(config: Option<&str>) -> tempfile::TempDir {
    let directory = tempfile::tempdir().unwrap();
    if let Some(config) = config {
        std::fs::write(directory.path().join("tfgen.hcl"), config).unwrap();
    }
    tfgen(directory.path(), &["render", "--all"]).expect(0);
    directory
}

/// The lines of a text report that name a block (`+ aws_...`, `~ var.env`).
fn block_lines(report: &str) -> Vec<String> {
    report
        .lines()
        .filter(|line| line.starts_with(['+', '-', '~']))
        .map(str::to_string)
        .collect()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
}

/// The block lines `tfgen diff` must print for `dev` against `prod`, worked
/// out from the stacks themselves: an address only in prod is added, only
/// in dev removed, in both with different (normalized) blocks changed.
fn expected_block_lines() -> Vec<String> {
    let config = Config::built_in();
    let blocks = |name: &str| -> BTreeMap<String, Vec<Block>> {
        let stack = Stack::build(config.environment(name).unwrap());
        let mut blocks: BTreeMap<String, Vec<Block>> = BTreeMap::new();
        for block in normalize(&stack.document()).blocks {
            blocks.entry(block.address()).or_default().push(block);
        }
        blocks
    };
    let (dev, prod) = (blocks("dev"), blocks("prod"));
    let mut lines = Vec::new();
    for (address, block) in &prod {
        match dev.get(address) {
            None => lines.push(format!("+ {address}")),
            Some(old) if old != block => lines.push(format!("~ {address}")),
            Some(_) => {}
        }
    }
    for address in dev.keys().filter(|address| !prod.contains_key(*address)) {
        lines.push(format!("- {address}"));
    }
    lines.sort();
    lines
}

#[test]
fn dev_against_prod_reports_exactly_their_differences() {
    let project = rendered(None);
    let output = tfgen(project.path(), &["diff", "out/dev", "out/prod"]).expect(1);
    let lines: Vec<&str> = output.stdout.lines().collect();
    assert_eq!(lines[0], "tfgen diff: out/dev → out/prod");
    assert!(
        lines[1].contains("variables: 3 changed"),
        "summary: {}",
        lines[1]
    );
    let mut reported = block_lines(&output.stdout);
    reported.sort();
    assert_eq!(reported, expected_block_lines());
    for expected in [
        "~ var.repository_branch\n    ~ default: \"dev\" → \"main\"\n",
        "~ var.env\n    ~ default: \"dev\" → \"prod\"\n",
        "    + versioning_configuration.status = \"Enabled\"\n",
        "        + statement DenyInsecureTransport\n",
        "            + Effect       Deny\n",
        // The hardened trust policy no longer trusts the reference's
        // unrelated services.
        "            - Principal    Service: firehose.amazonaws.com\n",
    ] {
        assert!(
            output.stdout.contains(expected),
            "missing {expected:?} in\n{}",
            output.stdout
        );
    }

    // The syntax of each side does not matter.
    let mixed = tfgen(project.path(), &["diff", "out/dev/hcl", "out/prod/json"]).expect(1);
    let body = |report: &str| report.lines().skip(1).collect::<Vec<_>>().join("\n");
    assert_eq!(body(&mixed.stdout), body(&output.stdout));
}

#[test]
fn hcl_and_json_of_one_environment_mean_the_same() {
    let project = rendered(None);
    for environment in ["dev", "prod"] {
        let hcl = format!("out/{environment}/hcl");
        let json = format!("out/{environment}/json");
        let output = tfgen(project.path(), &["diff", &hcl, &json]).expect(0);
        assert_eq!(
            output.stdout,
            format!("No difference: {hcl} and {json} mean the same.\n")
        );
        assert_eq!(output.stderr, "");
        let markdown = tfgen(
            project.path(),
            &["diff", &json, &hcl, "--format", "markdown"],
        )
        .expect(0);
        assert_eq!(
            markdown.stdout,
            format!("## tfgen diff\n\nNo difference: {json} and {hcl} mean the same.\n")
        );
    }
}

#[test]
fn environments_of_one_profile_differ_only_in_their_variables() {
    let config = r#"
environment "dev" {
  profile = "seed"
}

environment "qa" {
  profile = "seed"
  variables = {
    region                = "eu-west-1"
    project_id            = "20240101"
    artifacts_bucket_name = "sagemaker-artifacts-pipeline-18345-qa"
  }
}
"#;
    let project = rendered(Some(config));
    let output = tfgen(project.path(), &["diff", "out/dev", "out/qa"]).expect(1);
    assert_eq!(
        output.stdout,
        "tfgen diff: out/dev → out/qa
variables: 4 changed
error[data-replaced]: bucket changes from \"sagemaker-artifacts-pipeline-18345\" to \"sagemaker-artifacts-pipeline-18345-qa\", which forces terraform to replace aws_s3_bucket.artifacts_bucket: it destroys the old one, and every object in the bucket (the pipeline's artifacts and models, or Terraform's state)

~ var.artifacts_bucket_name
    ~ default: \"sagemaker-artifacts-pipeline-18345\" → \"sagemaker-artifacts-pipeline-18345-qa\"

~ var.env
    ~ default: \"dev\" → \"qa\"

~ var.project_id
    ~ default: \"10072022\" → \"20240101\"

~ var.region
    ~ default: \"us-east-1\" → \"eu-west-1\"
"
    );
}

#[test]
fn a_one_action_change_is_reported_as_exactly_that_action() {
    let project = rendered(None);
    let edited = project.path().join("edited");
    std::fs::create_dir(&edited).unwrap();
    let source = project.path().join("out/dev/hcl");
    for entry in std::fs::read_dir(&source).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, edited.join(path.file_name().unwrap())).unwrap();
    }
    let file = edited.join("iam_roles.tf");
    let text = read(&file);
    let old_line =
        r#"Action   = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]"#;
    assert!(text.contains(old_line), "the seed policy's logs statement");
    write(
        &file,
        &text.replace(
            old_line,
            r#"Action   = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]"#,
        ),
    );
    let output = tfgen(project.path(), &["diff", "out/dev/json", "edited"]).expect(1);
    assert_eq!(
        output.stdout,
        "tfgen diff: out/dev/json → edited
resources: 1 changed · IAM statements: 1 changed

~ aws_iam_policy.tf_mlops_policy
    ~ policy (IAM policy)
        ~ statement #4
            + Action       logs:DescribeLogStreams
"
    );
}

#[test]
fn a_reordered_statement_list_is_no_change() {
    let project = rendered(None);
    let file = project.path().join("out/dev/json/iam_roles.tf.json");
    let mut root: serde_json::Value = serde_json::from_str(&read(&file)).unwrap();
    let policy = &mut root["resource"]["aws_iam_policy"]["tf_mlops_policy"]["policy"];
    let mut document: serde_json::Value =
        serde_json::from_str(policy.as_str().expect("the seed policy is a JSON string")).unwrap();
    let statements = document["Statement"].as_array_mut().unwrap();
    statements.reverse();
    for statement in statements.iter_mut() {
        if let Some(actions) = statement["Action"].as_array_mut() {
            actions.reverse();
        }
    }
    *policy = serde_json::Value::String(document.to_string());
    let before = read(&file);
    write(&file, &serde_json::to_string_pretty(&root).unwrap());
    assert_ne!(read(&file), before, "the text did change");

    let output = tfgen(project.path(), &["diff", "out/dev/hcl", "out/dev/json"]).expect(0);
    assert_eq!(
        output.stdout,
        "No difference: out/dev/hcl and out/dev/json mean the same.\n"
    );
}

#[test]
fn base_compares_the_committed_tree_with_the_current_render() {
    let project = tempfile::tempdir().unwrap();
    let root = project.path();
    let repository_config = committed_render(root, |_| {});

    let unchanged = tfgen(root, &["diff", "--base", "HEAD"]).expect(0);
    assert_eq!(
        unchanged.stdout,
        "No difference: out/dev at HEAD and the current render mean the same.
No difference: out/prod at HEAD and the current render mean the same.
No difference: out/staging at HEAD and the current render mean the same.
"
    );

    let branch = r#"repository_branch     = "main""#;
    assert!(repository_config.contains(branch));
    write(
        &root.join("tfgen.hcl"),
        &repository_config.replace(branch, r#"repository_branch     = "release""#),
    );
    let changed = tfgen(root, &["diff", "--base", "HEAD"]).expect(1);
    assert_eq!(
        changed.stdout,
        "=== environment dev: out/dev at HEAD → the current render
no difference

=== environment prod: out/prod at HEAD → the current render
variables: 1 changed

~ var.repository_branch
    ~ default: \"main\" → \"release\"

=== environment staging: out/staging at HEAD → the current render
variables: 1 changed

~ var.repository_branch
    ~ default: \"main\" → \"release\"
"
    );

    // From a subdirectory, with the paths given relative to it.
    let subdirectory = root.join("docs");
    std::fs::create_dir(&subdirectory).unwrap();
    let nested = tfgen(
        &subdirectory,
        &[
            "diff",
            "--base",
            "HEAD",
            "--out",
            "../out",
            "--config",
            "../tfgen.hcl",
        ],
    )
    .expect(1);
    assert!(
        nested.stdout.contains("~ default: \"main\" → \"release\""),
        "{}",
        nested.stdout
    );

    let error = tfgen(root, &["diff", "--base", "no-such-revision"]).expect(2);
    assert_eq!(error.stdout, "");
    assert_eq!(
        error.stderr,
        "tfgen: git rev-parse --verify no-such-revision^{commit}: \"no-such-revision\" is not a commit in this repository\n  help: pass --base a commit, branch or tag this clone has (a shallow CI checkout needs `fetch-depth: 0`)\n"
    );
}

/// A committed file git hands over but tfgen cannot read ends the run with
/// an error naming it, with git still holding the module's other files.
#[test]
fn base_with_a_committed_file_that_is_not_utf8_is_an_error_naming_it() {
    let project = tempfile::tempdir().unwrap();
    let root = project.path();
    committed_render(root, |root| {
        // Sorted first among dev's HCL files, so the others are still to come.
        std::fs::write(root.join("out/dev/hcl/a.tf"), b"# \xff\n").unwrap();
    });
    let error = tfgen(root, &["diff", "--base", "HEAD"]).expect(2);
    assert_eq!(error.stdout, "");
    assert_eq!(
        error.stderr,
        "tfgen: git cat-file --batch: HEAD:out/dev/hcl/a.tf: the file is not UTF-8\n"
    );
}

#[test]
fn base_outside_a_git_repository_is_an_error() {
    let project = tempfile::tempdir().unwrap();
    let output = tfgen(project.path(), &["diff", "--base", "HEAD"]).expect(2);
    assert_eq!(output.stdout, "");
    assert!(
        output
            .stderr
            .starts_with("tfgen: git rev-parse --show-toplevel: "),
        "{}",
        output.stderr
    );
}

#[test]
fn unreadable_input_is_an_error_with_its_place() {
    let project = rendered(None);
    let missing = tfgen(project.path(), &["diff", "out/dev", "out/nowhere"]).expect(2);
    assert_eq!(missing.stdout, "");
    assert!(
        missing
            .stderr
            .starts_with("tfgen: cannot read directory out/nowhere: "),
        "{}",
        missing.stderr
    );

    std::fs::create_dir(project.path().join("empty")).unwrap();
    let empty = tfgen(project.path(), &["diff", "out/dev", "empty"]).expect(2);
    assert_eq!(
        empty.stderr,
        "tfgen: empty: cannot read rendered Terraform: no .tf or .tf.json files here, nor in a json/ or hcl/ subdirectory\n"
    );

    let file = project.path().join("out/prod/hcl/s3.tf");
    let text = read(&file);
    let line = 1 + text
        .lines()
        .position(|line| line == "  force_destroy = false")
        .expect("the bucket's force_destroy line");
    write(
        &file,
        &text.replace("  force_destroy = false", "  force_destroy = false true"),
    );
    let broken = tfgen(project.path(), &["diff", "out/dev/hcl", "out/prod/hcl"]).expect(2);
    assert_eq!(broken.stdout, "");
    assert_eq!(
        broken.stderr,
        format!(
            "tfgen: out/prod/hcl/s3.tf:{line}:25: cannot read rendered Terraform: syntax error: expected newline or eof\n"
        )
    );

    write(
        &project.path().join("out/dev/json/extra.tf.json"),
        r#"{"locals": {"choice": "${var.a ? 1 : 2}"}}"#,
    );
    let unsupported = tfgen(project.path(), &["diff", "out/dev/json", "out/prod/json"]).expect(2);
    assert_eq!(
        unsupported.stderr,
        "tfgen: out/dev/json/extra.tf.json:1:23: cannot read rendered Terraform: locals.choice: cannot read the string template: a conditional expression cannot be read into tfgen's model (tfgen never writes one)\n"
    );
}

#[test]
fn markdown_report_matches_the_golden() {
    let project = rendered(None);
    let output = tfgen(
        project.path(),
        &["diff", "out/dev", "out/prod", "--format", "markdown"],
    )
    .expect(1);
    assert_golden("tests/golden/diff.md", &output.stdout);
}
