//! `tfgen plan-summary` on real plans: what Terraform wrote against the
//! emulator for the repository's `prod`, kept in `fixtures/plans/`:
//!
//! | fixture | the plan of |
//! | --- | --- |
//! | `first-apply.json` | an empty state: everything to add, a sensitive output (the mirror's password) |
//! | `no-change.json` | the state just applied |
//! | `policy-change.json` | one action added to the CodeBuild role's policy |
//! | `bucket-replaced.json` | the artifacts bucket renamed, its protection lifted (`deletion_protection = false`) |
//! | `environment-removed.json` | `terraform plan -destroy` of the environment, unprotected |
//! | `drift.json` | `terraform plan -refresh-only` after a statement granting `s3:*` was added to the CodeBuild policy and the bucket's versioning suspended through the API |
//!
//! `TFGEN_BLESS=1 cargo test --test integration plan_summary::` makes them
//! again (and the goldens of `tests/golden/plan-summary/`); without it the
//! same plans are made again and must summarize as the fixtures do (the
//! same resources, actions and gate), and the fixtures' summaries must be
//! their goldens, in text, markdown and JSON.

use std::path::{Path, PathBuf};

use serde_json::Value;
use tfgen::config::Environment;
use tfgen::render::Format;
use tfgen::stack::Stack;
use tfgen::stack::resources::IamPolicy;

use crate::support::emulator::{Emulator, moto_server_path, write_override};
use crate::support::terraform::{PlanOutcome, Terraform};
use crate::support::{
    project_config, project_root, render_stack, terraform_available, tfgen, tool_missing,
};

const FIXTURES: [&str; 6] = [
    "first-apply",
    "no-change",
    "policy-change",
    "bucket-replaced",
    "environment-removed",
    "drift",
];

fn blessing() -> bool {
    std::env::var_os("TFGEN_BLESS").is_some_and(|value| value == "1")
}

/// A fixture, relative to the repository (where the binary runs), so its
/// path in the reports is the same on every machine.
fn fixture(name: &str) -> PathBuf {
    PathBuf::from(format!("fixtures/plans/{name}.json"))
}

fn golden(name: &str, extension: &str) -> PathBuf {
    project_root().join(format!("tests/golden/plan-summary/{name}.{extension}"))
}

/// `tfgen plan-summary` of a plan file, as the binary prints it.
fn summary(plan: &Path, format: &str, extra: &[&str]) -> crate::support::Output {
    let plan = plan.to_string_lossy().into_owned();
    let mut args = vec![
        "plan-summary",
        plan.as_str(),
        "--env",
        "prod",
        "--format",
        format,
    ];
    args.extend(extra);
    tfgen(&args).in_dir(&project_root()).run()
}

fn drift_args(name: &str) -> &'static [&'static str] {
    if name == "drift" { &["--drift"] } else { &[] }
}

#[test]
fn every_fixture_summarizes_as_its_goldens_in_text_markdown_and_json() {
    for name in FIXTURES {
        if !project_root().join(fixture(name)).is_file() {
            panic!("fixtures/plans/{name}.json is missing: make it with TFGEN_BLESS=1");
        }
        for (format, extension) in [("text", "txt"), ("markdown", "md"), ("json", "json")] {
            let output = summary(&fixture(name), format, drift_args(name));
            assert!(
                matches!(output.code, 0 | 1),
                "{name} {format}: {}",
                output.stderr
            );
            assert_eq!(output.stderr, "", "{name} {format}");
            let path = golden(name, extension);
            if blessing() {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, &output.stdout).unwrap();
                continue;
            }
            let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
                panic!("{} is missing: bless with TFGEN_BLESS=1", path.display())
            });
            if output.stdout != expected {
                let diff = similar::TextDiff::from_lines(&expected, &output.stdout)
                    .unified_diff()
                    .header("golden", "tfgen plan-summary")
                    .to_string();
                panic!(
                    "{name} {format} differs from its golden (re-bless with TFGEN_BLESS=1):\n{diff}"
                );
            }
        }
    }
}

#[test]
fn the_gate_and_the_exit_codes_follow_the_plans() {
    let code = |name: &str, extra: &[&str]| summary(&fixture(name), "text", extra).code;
    assert_eq!(code("first-apply", &[]), 0);
    assert_eq!(code("no-change", &[]), 0);
    assert_eq!(code("policy-change", &[]), 0);
    // Replacing or destroying the bucket fails the gate, unless allowed.
    assert_eq!(code("bucket-replaced", &[]), 1);
    assert_eq!(
        code(
            "bucket-replaced",
            &["--allow-destroy", "prod:aws_s3_bucket.artifacts_bucket"]
        ),
        0
    );
    assert_eq!(
        code(
            "bucket-replaced",
            &["--allow-destroy", "aws_s3_bucket.artifacts_bucket"]
        ),
        0
    );
    assert_eq!(
        code(
            "bucket-replaced",
            &["--allow-destroy", "dev:aws_s3_bucket.artifacts_bucket"]
        ),
        1
    );
    assert_eq!(code("environment-removed", &[]), 1);
    // Drift: exit 1 when something changed outside Terraform.
    assert_eq!(code("drift", &["--drift"]), 1);
    assert_eq!(code("no-change", &["--drift"]), 0);

    let json: Value =
        serde_json::from_str(&summary(&fixture("bucket-replaced"), "json", &[]).stdout).unwrap();
    assert_eq!(json["gate"]["passed"], false);
    assert_eq!(
        json["gate"]["errors"][0]["address"],
        "aws_s3_bucket.artifacts_bucket"
    );
    let bucket = json["environments"][0]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|resource| resource["address"] == "aws_s3_bucket.artifacts_bucket")
        .unwrap();
    assert_eq!(bucket["action"], "replace");
    assert!(
        bucket["attributes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|attribute| attribute["path"] == "bucket"
                && attribute["forces_replacement"] == true),
        "{bucket}"
    );

    // The policy change is one action, statement by statement.
    let text = summary(&fixture("policy-change"), "text", &[]).stdout;
    assert!(text.contains("1 to change"), "{text}");
    assert!(
        text.contains("+ Action       logs:DeleteLogGroup"),
        "{text}"
    );

    // Sensitive values are masked, unknown ones said.
    let text = summary(&fixture("first-apply"), "text", &[]).stdout;
    assert!(
        text.contains("+ output mirror_git_password: — → (sensitive value)"),
        "{text}"
    );
    assert!(text.contains("(known after apply)"));
    let raw = std::fs::read_to_string(project_root().join(fixture("first-apply"))).unwrap();
    assert!(!text.contains("ACCA") || !raw.contains("service_password"));

    // The drift names both changes.
    let drift = summary(&fixture("drift"), "text", &["--drift"]).stdout;
    assert!(
        drift.contains("a statement granting `s3:*` on `*` was added to tf-mlops-codebuild-prod's (aws_iam_policy.codebuild) policy"),
        "{drift}"
    );
    assert!(
        drift.contains("versioning_configuration[0].status changed from \"Enabled\" to \"Suspended\" outside Terraform"),
        "{drift}"
    );
}

#[test]
fn a_comment_stays_within_githubs_limit_and_counts_what_it_leaves_out() {
    // Many environments' first applies: far more than a comment holds.
    let directory = tempfile::tempdir().unwrap();
    let mut args = vec![
        "plan-summary".to_string(),
        "--format".into(),
        "markdown".into(),
    ];
    for index in 0..12 {
        let path = directory
            .path()
            .join(format!("out/env{index}/hcl/plan.json"));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::copy(project_root().join(fixture("first-apply")), &path).unwrap();
        args.push(path.to_string_lossy().into_owned());
    }
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    let output = tfgen(&words).in_dir(&project_root()).run().expect(0);
    assert!(
        output.stdout.chars().count() <= 65_536,
        "{}",
        output.stdout.len()
    );
    assert!(
        output.stdout.contains("| `env11` | 46 |"),
        "every environment is in the table"
    );
    let note = output.stdout.lines().last().unwrap();
    assert!(
        note.starts_with('_') && note.contains(" entries do not fit in a comment"),
        "{note}"
    );
    // Every section that is opened is closed.
    assert_eq!(
        output.stdout.matches("<details>").count(),
        output.stdout.matches("</details>").count()
    );
}

#[test]
fn plans_that_are_not_plans_are_errors_naming_the_file() {
    let directory = tempfile::tempdir().unwrap();
    let bad = directory.path().join("prod.json");
    std::fs::write(&bad, "{\n  \"format_version\": 1\n}\n").unwrap();
    let output = tfgen(&["plan-summary", bad.to_str().unwrap()])
        .run()
        .expect(2);
    assert_eq!(output.stdout, "");
    assert!(
        output.stderr.starts_with(&format!(
            "tfgen: {}:2:21: cannot read the plan: not a plan",
            bad.display()
        )),
        "{}",
        output.stderr
    );
    assert!(
        output
            .stderr
            .ends_with("help: write it with `terraform show -json PLAN > FILE`\n")
    );
    let first = fixture("no-change").to_string_lossy().into_owned();
    tfgen(&["plan-summary", &first, &first, "--env", "prod"])
        .in_dir(&project_root())
        .run()
        .expect_error("tfgen: --env names the environment of one plan; with several, each plan's environment is the directory after out/ in its path (out/prod/hcl/plan.json)\n  help: give one plan with --env, or plans under out/<env>/\n");
}

/// The repository's prod, optionally changed.
fn prod() -> Environment {
    project_config()
        .environments
        .into_iter()
        .find(|environment| environment.name == "prod")
        .unwrap()
}

fn show(terraform: &mut Terraform, args: &[&str], directory: &Path) -> Value {
    let plan_file = directory.join("plan.tfplan");
    let plan_file_text = plan_file.to_string_lossy().into_owned();
    let mut plan_args = vec!["plan", "-input=false", "-lock=false"];
    let out = format!("-out={plan_file_text}");
    plan_args.push(&out);
    plan_args.extend(args);
    terraform
        .raw(&plan_args, &[0])
        .unwrap_or_else(|error| panic!("{error}"));
    let output = terraform
        .raw(&["show", "-json", &plan_file_text], &[0])
        .unwrap_or_else(|error| panic!("{error}"));
    serde_json::from_slice(&output).unwrap()
}

/// Resources, actions and the gate of a plan's summary: what must be the
/// same between the committed fixture and a plan made today (values such
/// as a key's ID are AWS's and differ).
fn shape(plan: &Path, drift: bool) -> Value {
    let extra: &[&str] = if drift { &["--drift"] } else { &[] };
    let json: Value = serde_json::from_str(&summary(plan, "json", extra).stdout).unwrap();
    let resources: Vec<Value> = json["environments"][0]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|resource| {
            let mut paths: Vec<String> = resource["attributes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|attribute| attribute["path"].as_str().unwrap().to_string())
                .collect();
            paths.sort();
            serde_json::json!([resource["address"], resource["action"], paths])
        })
        .collect();
    serde_json::json!({
        "totals": json["totals"],
        "gate": json["gate"]["errors"].as_array().unwrap().iter().map(|e| e["address"].clone()).collect::<Vec<_>>(),
        "resources": resources,
    })
}

#[test]
fn the_fixtures_are_the_plans_terraform_writes_today() {
    if !terraform_available() || (!moto_server_path().is_file() && tool_missing("moto_server")) {
        return;
    }
    let emulator = Emulator::start().unwrap_or_else(|error| panic!("moto did not start: {error}"));
    let work = tempfile::Builder::new()
        .prefix("tfgen-plans-")
        .tempdir()
        .unwrap();
    let module = work.path().join("module");
    std::fs::create_dir(&module).unwrap();
    let render = |environment: &Environment| {
        for entry in std::fs::read_dir(&module).unwrap() {
            let path = entry.unwrap().path();
            if path.to_string_lossy().ends_with(".tf") {
                std::fs::remove_file(path).unwrap();
            }
        }
        render_stack(&Stack::build(environment), Format::Hcl, &module);
    };
    render(&prod());
    write_override(&module, &emulator.endpoint()).unwrap();
    let mut terraform = Terraform::new(&module);
    terraform.init().unwrap_or_else(|error| panic!("{error}"));
    let mut made: Vec<(&str, Value)> = Vec::new();

    made.push(("first-apply", show(&mut terraform, &[], work.path())));
    terraform.apply().unwrap_or_else(|error| panic!("{error}"));
    made.push(("no-change", show(&mut terraform, &[], work.path())));

    // Outside Terraform: a statement granting s3:* in the CodeBuild role's
    // policy, and the bucket's versioning suspended.
    emulator.boto3(
        "import json\n\
         iam = client('iam')\n\
         arn = [p['Arn'] for p in iam.list_policies(Scope='Local')['Policies'] if p['PolicyName'] == sys.argv[1]][0]\n\
         version = iam.get_policy(PolicyArn=arn)['Policy']['DefaultVersionId']\n\
         document = iam.get_policy_version(PolicyArn=arn, VersionId=version)['PolicyVersion']['Document']\n\
         document['Statement'].append({'Effect': 'Allow', 'Action': 's3:*', 'Resource': '*'})\n\
         iam.create_policy_version(PolicyArn=arn, PolicyDocument=json.dumps(document), SetAsDefault=True)\n\
         from botocore.config import Config\n\
         s3 = boto3.client('s3', endpoint_url=ENDPOINT, region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test', config=Config(s3={'addressing_style': 'path'}))\n\
         s3.put_bucket_versioning(Bucket=sys.argv[2], VersioningConfiguration={'Status': 'Suspended'})\n",
        &["tf-mlops-codebuild-prod", "sagemaker-artifacts-pipeline-18345-prod"],
    );
    let drift = show(&mut terraform, &["-refresh-only"], work.path());
    let drift_path = work.path().join("drift-today.json");
    std::fs::write(&drift_path, drift.to_string()).unwrap();
    let found = summary(&drift_path, "text", &["--drift"]);
    assert_eq!(found.code, 1, "drift is exit 1:\n{}", found.stdout);
    for said in [
        "a statement granting `s3:*` on `*` was added to tf-mlops-codebuild-prod's (aws_iam_policy.codebuild) policy",
        "aws_s3_bucket_versioning.artifacts_bucket: versioning_configuration[0].status changed from \"Enabled\" to \"Suspended\" outside Terraform",
    ] {
        assert!(
            found.stdout.contains(said),
            "{said}\nnot in:\n{}",
            found.stdout
        );
    }
    made.push(("drift", drift));
    // The nightly job's exit code: 2, changes outside Terraform.
    assert_eq!(
        terraform
            .raw(
                &[
                    "plan",
                    "-refresh-only",
                    "-detailed-exitcode",
                    "-input=false",
                    "-lock=false"
                ],
                &[2]
            )
            .map(drop)
            .map_err(|error| error.to_string()),
        Ok(())
    );
    // An apply puts back what the model says; the drift is gone.
    terraform.apply().unwrap_or_else(|error| panic!("{error}"));
    let again = show(&mut terraform, &["-refresh-only"], work.path());
    let again_path = work.path().join("again.json");
    std::fs::write(&again_path, again.to_string()).unwrap();
    let after = summary(&again_path, "text", &["--drift"]);
    assert_eq!(after.code, 0, "after the re-apply: {}", after.stdout);
    assert_eq!(
        terraform.plan_detailed_exitcode().unwrap(),
        PlanOutcome::NoChanges
    );

    // One action more in the CodeBuild role's policy.
    let mut stack = Stack::build(&prod());
    let policy = stack
        .item_mut::<IamPolicy>("aws_iam_policy.codebuild")
        .expect("hardened prod has the CodeBuild policy");
    let logs = policy
        .document
        .statements
        .iter_mut()
        .find(|statement| statement.sid.as_deref() == Some("BuildLogs"))
        .expect("the CodeBuild policy has its BuildLogs statement");
    if let Some(action) = &mut logs.action
        && let tfgen::policy::Values::Many(values) = &mut action.values
    {
        values.push(tfgen::model::Expr::from("logs:DeleteLogGroup"));
    }
    for entry in std::fs::read_dir(&module).unwrap() {
        let path = entry.unwrap().path();
        if path.to_string_lossy().ends_with(".tf") {
            std::fs::remove_file(path).unwrap();
        }
    }
    render_stack(&stack, Format::Hcl, &module);
    made.push(("policy-change", show(&mut terraform, &[], work.path())));

    // The bucket renamed, the protection lifted; and the environment gone.
    let mut unprotected = prod();
    unprotected.deletion_protection = false;
    render(&unprotected);
    made.push((
        "environment-removed",
        show(&mut terraform, &["-destroy"], work.path()),
    ));
    let mut renamed = unprotected.clone();
    for setting in &mut renamed.settings {
        if setting.name == "artifacts_bucket_name" {
            setting.value = "sagemaker-artifacts-pipeline-18345-prod-b".into();
        }
    }
    render(&renamed);
    made.push(("bucket-replaced", show(&mut terraform, &[], work.path())));

    for (name, plan) in &made {
        let today = work.path().join(format!("{name}.json"));
        std::fs::write(&today, serde_json::to_string(plan).unwrap()).unwrap();
        if blessing() {
            let path = project_root().join(fixture(name));
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            let mut text = serde_json::to_string(plan).unwrap();
            text.push('\n');
            std::fs::write(path, text).unwrap();
            continue;
        }
        let drift = *name == "drift";
        assert_eq!(
            shape(&today, drift),
            shape(&fixture(name), drift),
            "{name}: the plan Terraform writes today summarizes otherwise than fixtures/plans/{name}.json (re-bless with TFGEN_BLESS=1)"
        );
    }
}
