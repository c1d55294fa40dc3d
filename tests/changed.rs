//! `tfgen envs --changed --base REV` on git repositories with commits: the
//! environments a change touches, and nothing else, in the text table and
//! the CI matrix; an environment removed since the revision is listed with
//! what was committed for it, to plan its destroy.

use std::path::Path;

use serde_json::Value;

use crate::support::git::{commit_all, committed_render_of};
use crate::support::{Output, tfgen};

/// Three environments: two of one profile, one with remote state (so a
/// `_state` module) and tags; `defaults` tags every one.
const CONFIG: &str = r#"defaults {
  tags = { Team = "ml" }
}

environment "dev" {
  profile = "seed"
}

environment "qa" {
  profile = "seed"
  variables = {
    artifacts_bucket_name = "sagemaker-artifacts-pipeline-18345-qa"
  }
}

environment "prod" {
  profile    = "hardened"
  account_id = "123456789012"
  state {
    bucket = "tfgen-changed-tests-tfstate"
    region = "us-east-1"
  }
  variables = {
    artifacts_bucket_name = "sagemaker-artifacts-pipeline-18345-prod"
  }
}
"#;

fn run(root: &Path, args: &[&str]) -> Output {
    tfgen(args).in_dir(root).run()
}

/// The matrix of `envs --changed --base HEAD --format json`.
fn matrix(root: &Path) -> Value {
    let output = run(
        root,
        &["envs", "--changed", "--base", "HEAD", "--format", "json"],
    )
    .expect(0);
    assert_eq!(output.stderr, "");
    assert_eq!(
        output.stdout.lines().count(),
        1,
        "one line: {}",
        output.stdout
    );
    serde_json::from_str(&output.stdout).unwrap()
}

fn names(matrix: &Value) -> Vec<(String, String)> {
    matrix["include"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| {
            (
                entry["environment"].as_str().unwrap().to_string(),
                entry["change"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn committed(config: &str) -> tempfile::TempDir {
    let project = tempfile::tempdir().unwrap();
    committed_render_of(project.path(), config, |_| {});
    project
}

fn set_config(root: &Path, config: &str) {
    std::fs::write(root.join("tfgen.hcl"), config).unwrap();
}

#[test]
fn nothing_changed_is_an_empty_list_and_exit_0() {
    let project = committed(CONFIG);
    let root = project.path();
    let text = run(root, &["envs", "--changed", "--base", "HEAD"]).expect(0);
    assert_eq!(text.stdout, "no environment changed since HEAD\n");
    assert_eq!(matrix(root), serde_json::json!({ "include": [] }));

    // Written otherwise, meaning the same: a comment, the blocks reordered.
    let prod = CONFIG.find("environment \"prod\"").unwrap();
    let dev = CONFIG.find("environment \"dev\"").unwrap();
    let reordered = format!(
        "# prod first now\n{}\n{}{}",
        &CONFIG[prod..],
        &CONFIG[..dev],
        &CONFIG[dev..prod]
    );
    set_config(root, &reordered);
    assert_eq!(names(&matrix(root)), Vec::<(String, String)>::new());
}

#[test]
fn a_change_to_one_environment_lists_it_alone() {
    let project = committed(CONFIG);
    let root = project.path();
    set_config(
        root,
        &CONFIG.replace(
            "artifacts_bucket_name = \"sagemaker-artifacts-pipeline-18345-qa\"",
            "artifacts_bucket_name = \"sagemaker-artifacts-pipeline-18345-qa2\"",
        ),
    );
    let matrix = matrix(root);
    assert_eq!(names(&matrix), [("qa".to_string(), "changed".to_string())]);
    let qa = &matrix["include"][0];
    // What `envs --format json` says of it, and what changed.
    assert_eq!(qa["profile"], "seed");
    assert_eq!(qa["hcl_directory"], "out/qa/hcl");
    assert_eq!(qa["json_directory"], "out/qa/json");
    assert_eq!(qa["removed"], false);
    assert_eq!(qa["entry_changed"], true);
    assert_eq!(
        qa["files"],
        serde_json::json!(["out/qa/hcl/variables.tf", "out/qa/json/variables.tf.json"])
    );
    let text = run(root, &["envs", "--changed", "--base", "HEAD"]).expect(0);
    assert_eq!(
        text.stdout,
        "ENV  CHANGE    WHY\n\
         qa   changed   its tfgen.hcl entry means something else; 2 rendered file(s) differ: out/qa/hcl/variables.tf, out/qa/json/variables.tf.json\n"
    );

    // A new environment is added; the others stay out.
    set_config(
        root,
        &format!(
            "{CONFIG}\nenvironment \"stage\" {{\n  profile = \"seed\"\n  variables = {{\n    artifacts_bucket_name = \"sagemaker-artifacts-pipeline-18345-stage\"\n  }}\n}}\n"
        ),
    );
    assert_eq!(
        names(&self::matrix(root)),
        [("stage".to_string(), "added".to_string())]
    );
}

/// What tfgen itself renders differently (here: the committed render is
/// not what this tfgen renders, as after an upgrade) lists exactly the
/// environments whose files differ, in any file it owns, the `_state`
/// module included.
#[test]
fn a_different_render_lists_the_environments_whose_files_differ() {
    let project = tempfile::tempdir().unwrap();
    let root = project.path();
    committed_render_of(root, CONFIG, |root| {
        let file = root.join("out/dev/json/s3.tf.json");
        let text = std::fs::read_to_string(&file).unwrap();
        std::fs::write(&file, text.replace("\"bucket\"", "\"bucket\" ")).unwrap();
        let state = root.join("out/_state/tfgen-changed-tests-tfstate/main.tf");
        assert!(state.is_file());
        let text = std::fs::read_to_string(&state).unwrap();
        std::fs::write(&state, format!("{text}\n")).unwrap();
    });
    let matrix = matrix(root);
    assert_eq!(
        names(&matrix),
        [
            ("dev".to_string(), "changed".to_string()),
            ("prod".to_string(), "changed".to_string())
        ]
    );
    assert_eq!(matrix["include"][0]["entry_changed"], false);
    assert_eq!(
        matrix["include"][0]["files"],
        serde_json::json!(["out/dev/json/s3.tf.json"])
    );
    assert_eq!(
        matrix["include"][1]["files"],
        serde_json::json!(["out/_state/tfgen-changed-tests-tfstate/main.tf"])
    );
}

#[test]
fn a_change_to_defaults_lists_every_environment() {
    let project = committed(CONFIG);
    let root = project.path();
    set_config(
        root,
        &CONFIG.replace("Team = \"ml\"", "Team = \"ml-platform\""),
    );
    let matrix = matrix(root);
    assert_eq!(
        names(&matrix),
        ["dev", "qa", "prod"].map(|name| (name.to_string(), "changed".to_string()))
    );
    for entry in matrix["include"].as_array().unwrap() {
        assert_eq!(entry["entry_changed"], true, "{entry}");
        let provider = format!(
            "out/{}/hcl/provider.tf",
            entry["environment"].as_str().unwrap()
        );
        assert!(
            entry["files"]
                .as_array()
                .unwrap()
                .contains(&Value::from(provider.clone())),
            "{provider} in {entry}"
        );
    }
}

#[test]
fn an_environment_removed_is_listed_with_its_directories_at_the_revision() {
    let project = committed(CONFIG);
    let root = project.path();
    let qa = CONFIG.find("environment \"qa\"").unwrap();
    let prod = CONFIG.find("environment \"prod\"").unwrap();
    let without_qa = format!("{}{}", &CONFIG[..qa], &CONFIG[prod..]);
    set_config(root, &without_qa);
    // Rendered or not, the revision's out/ is what was applied.
    run(root, &["render", "--all"]).expect(0);
    assert!(!root.join("out/qa").exists());
    let matrix = matrix(root);
    assert_eq!(names(&matrix), [("qa".to_string(), "removed".to_string())]);
    let entry = &matrix["include"][0];
    assert_eq!(entry["removed"], true);
    assert_eq!(entry["profile"], "seed");
    assert_eq!(entry["region"], "us-east-1");
    assert_eq!(entry["hcl_directory"], "out/qa/hcl");
    assert_eq!(entry["json_directory"], "out/qa/json");
    assert_eq!(entry["defined_at"], "HEAD:tfgen.hcl:9:1");
    assert!(
        entry["files"]
            .as_array()
            .unwrap()
            .contains(&Value::from("out/qa/hcl/s3.tf")),
        "{entry}"
    );
    let text = run(root, &["envs", "--changed", "--base", "HEAD"]).expect(0);
    assert_eq!(
        text.stdout,
        "ENV  CHANGE    WHY\nqa   removed   not in tfgen.hcl; plan its destroy from out/qa/hcl at HEAD\n"
    );

    // Committed, the removal is history: nothing changed since.
    commit_all(root, "qa removed");
    assert_eq!(names(&self::matrix(root)), Vec::<(String, String)>::new());
}

#[test]
fn a_base_that_cannot_be_read_is_an_error_with_its_fix() {
    let project = committed(CONFIG);
    let root = project.path();
    let error = run(root, &["envs", "--changed", "--base", "no-such-revision"]).expect(2);
    assert_eq!(error.stdout, "");
    assert_eq!(
        error.stderr,
        "tfgen: git rev-parse --verify no-such-revision^{commit}: \"no-such-revision\" is not a commit in this repository\n  \
         help: pass --base a commit, branch or tag this clone has (a shallow CI checkout needs `fetch-depth: 0`)\n"
    );

    // A tfgen.hcl committed broken.
    set_config(root, "environment \"dev\" {\n  profile = \n}\n");
    commit_all(root, "broken");
    set_config(root, CONFIG);
    let broken = run(root, &["envs", "--changed", "--base", "HEAD"]).expect(2);
    assert_eq!(broken.stdout, "");
    assert!(
        broken.stderr.starts_with(
            "tfgen: tfgen.hcl at HEAD cannot be read, so the environments of that revision are not known:\nerror[config-syntax]: HEAD:tfgen.hcl:2:"
        ),
        "{}",
        broken.stderr
    );
    assert!(
        broken
            .stderr
            .ends_with("help: the revision's file is history, not to fix: pass --base a revision whose tfgen.hcl parses (the pull request's base, or the merge base)\n"),
        "{}",
        broken.stderr
    );

    // --changed needs --base, and the other way round.
    let usage = run(root, &["envs", "--changed"]).expect(2);
    assert!(usage.stderr.contains("--base <GITREV>"), "{}", usage.stderr);
    run(root, &["envs", "--base", "HEAD"]).expect(2);

    let outside = tempfile::tempdir().unwrap();
    set_config(outside.path(), CONFIG);
    let error = run(outside.path(), &["envs", "--changed", "--base", "HEAD"]).expect(2);
    assert!(
        error.stderr.starts_with("tfgen: git rev-parse --show-toplevel: ")
            && error.stderr.ends_with(
                "help: --base reads the history of the git repository that commits out/: run tfgen inside it\n"
            ),
        "{}",
        error.stderr
    );
}
