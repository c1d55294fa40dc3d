//! The output applied for real: for every environment of tfgen.hcl and both
//! formats, terraform init, validate and apply against moto's AWS emulator,
//! the created resources checked through the emulator's own API against the
//! model, outputs checked, a second plan with no changes, and destroy
//! leaving nothing behind.
//!
//! The emulator is configured only through an `*_override.tf.json` file the
//! test writes next to the rendered files, which stay as a user gets them.

use std::path::Path;
use std::time::Instant;

use serde_json::{Value, json};
use tfgen::render::{Format, jsonencode::jsonencode};
use tfgen::stack::resources::{
    BucketEncryption, BucketLifecycle, BucketPolicy, IamPolicy, IamRole, Output, S3Bucket,
};
use tfgen::stack::{PLACEHOLDER_ACCOUNT, Stack};

use crate::support::emulator::{Emulator, moto_server_path, write_override};
use crate::support::terraform::{PlanOutcome, Terraform, TerraformError};
use crate::support::{project_config, render, stack, terraform_available, tool_missing};

/// moto's fixed account; tfgen's placeholder has the same 12 digits, so the
/// model's resolved ARNs are exactly what the emulator reports.
const MOTO_ACCOUNT: &str = "123456789012";

#[test]
fn every_environment_applies_from_hcl() {
    apply_every_environment(Format::Hcl);
}

#[test]
fn every_environment_applies_from_json() {
    apply_every_environment(Format::Json);
}

fn apply_every_environment(format: Format) {
    if !terraform_available() || (!moto_server_path().is_file() && tool_missing("moto_server")) {
        return;
    }
    assert_eq!(PLACEHOLDER_ACCOUNT, MOTO_ACCOUNT);
    let config = project_config();
    for environment in &config.environments {
        let started = Instant::now();
        let stack = stack(environment, None);
        let timings = apply_loop(&stack, format);
        eprintln!(
            "apply loop {} ({}, {format}): {} ({:.1}s wall)",
            stack.environment,
            stack.profile,
            timings,
            started.elapsed().as_secs_f64()
        );
    }
}

/// Which environment, format and step failed, with terraform's own output.
struct Context<'a> {
    stack: &'a Stack,
    format: Format,
    emulator: &'a Emulator,
}

impl Context<'_> {
    fn step<T>(&self, result: Result<T, TerraformError>) -> T {
        result.unwrap_or_else(|error| {
            panic!(
                "environment {} ({}), format {}: {error}\n--- moto log (tail) ---\n{}",
                self.stack.environment,
                self.stack.profile,
                self.format,
                tail(&self.emulator.log(), 40)
            )
        })
    }

    fn fail(&self, what: &str) -> ! {
        panic!(
            "environment {} ({}), format {}: {what}",
            self.stack.environment, self.stack.profile, self.format
        )
    }
}

fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

fn apply_loop(stack: &Stack, format: Format) -> String {
    let emulator = Emulator::start().unwrap_or_else(|error| panic!("moto did not start: {error}"));
    let workdir = tempfile::Builder::new()
        .prefix("tfgen-apply-")
        .tempdir()
        .unwrap();
    render(&stack.environment, format, None, workdir.path());
    let rendered = snapshot(workdir.path());
    write_override(workdir.path(), &emulator.endpoint()).unwrap();
    let context = Context {
        stack,
        format,
        emulator: &emulator,
    };

    let mut terraform = Terraform::new(workdir.path());
    context.step(terraform.init());
    context.step(terraform.validate());
    context.step(terraform.apply());

    let inventory = emulator.inventory();
    check_created(&context, &inventory);
    check_outputs(&context, &context.step(terraform.output_json()));

    match context.step(terraform.plan_detailed_exitcode()) {
        PlanOutcome::NoChanges => {}
        PlanOutcome::Changes(plan) => {
            context.fail(&format!("the second plan is not empty:\n{plan}"))
        }
    }

    context.step(terraform.destroy());
    check_destroyed(&context, &emulator.inventory());
    // The generated files are never touched by the emulator setup.
    let mut after = snapshot(workdir.path());
    after.retain(|(name, _)| rendered.iter().any(|(kept, _)| kept == name));
    assert_eq!(after, rendered, "the rendered files changed during the run");
    terraform.timing_summary()
}

/// The generated Terraform files of a directory, by name.
fn snapshot(directory: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(directory)
        .unwrap()
        .flatten()
        .filter(|entry| entry.path().is_file())
        .map(|entry| {
            (
                entry.file_name().to_string_lossy().into_owned(),
                std::fs::read(entry.path()).unwrap(),
            )
        })
        .filter(|(name, _)| name.ends_with(".tf") || name.ends_with(".tf.json"))
        .collect();
    files.sort();
    files
}

/// A policy document as AWS holds it: the model's, references resolved.
fn expected_document(stack: &Stack, document: &tfgen::policy::PolicyDocument) -> Value {
    let resolved = document.to_expr().substitute(&|path| stack.resolve(path));
    let text = jsonencode(&resolved).expect("every reference of the stack resolves");
    serde_json::from_str(&text).unwrap()
}

fn artifacts_bucket(stack: &Stack) -> &S3Bucket {
    stack.item("aws_s3_bucket.artifacts_bucket").unwrap()
}

fn service_role(stack: &Stack) -> &IamRole {
    stack.item("aws_iam_role.tf_mlops_role").unwrap()
}

fn evaluate(stack: &Stack, expr: &tfgen::model::Expr) -> String {
    stack.evaluate(expr).expect("the name resolves")
}

fn check_created(context: &Context, inventory: &Value) {
    let stack = context.stack;
    let bucket_name = evaluate(stack, &artifacts_bucket(stack).bucket);
    let bucket = &inventory["s3_buckets"][&bucket_name];
    if bucket.is_null() {
        context.fail(&format!(
            "bucket {bucket_name} was not created; buckets: {}",
            inventory["s3_buckets"]
        ));
    }

    let role_name = evaluate(stack, &service_role(stack).name);
    let role = &inventory["iam_roles"][&role_name];
    if role.is_null() {
        context.fail(&format!("role {role_name} was not created"));
    }
    assert_eq!(role["path"], json!(service_role(stack).path));
    assert_eq!(
        role["max_session_duration"],
        json!(service_role(stack).max_session_duration)
    );
    assert_eq!(
        role["assume_role_policy"],
        expected_document(stack, &service_role(stack).trust_policy),
        "trust policy of {role_name} ({} {})",
        stack.environment,
        context.format
    );

    let attachments = inventory["iam_role_policy_attachments"].as_array().unwrap();
    assert_eq!(
        attachments.len(),
        stack.items_of::<IamPolicy>().count(),
        "{attachments:?}"
    );
    for policy in stack.items_of::<IamPolicy>() {
        let name = evaluate(stack, &policy.name);
        let created = &inventory["iam_policies"][&name];
        if created.is_null() {
            context.fail(&format!("policy {name} was not created"));
        }
        assert_eq!(created["path"], json!(policy.path));
        assert_eq!(
            created["description"],
            json!(evaluate(stack, &policy.description))
        );
        assert_eq!(
            created["document"],
            expected_document(stack, &policy.document),
            "document of policy {name} ({} {})",
            stack.environment,
            context.format
        );
        let arn = format!("arn:aws:iam::{MOTO_ACCOUNT}:policy{}{name}", policy.path);
        assert_eq!(created["arn"], json!(arn));
        assert!(
            attachments.contains(&json!({"role": role_name, "policy_arn": arn})),
            "{name} is not attached to {role_name}: {attachments:?}"
        );
    }

    match stack.items_of::<BucketEncryption>().next() {
        None => {
            assert_eq!(bucket["versioning"], Value::Null);
            assert_eq!(bucket["public_access_block"], Value::Null);
        }
        Some(encryption) => {
            let bucket_policy = stack.items_of::<BucketPolicy>().next().unwrap();
            let lifecycle_configuration = stack.items_of::<BucketLifecycle>().next().unwrap();
            assert_eq!(bucket["versioning"], "Enabled");
            let rule = &bucket["encryption"]["Rules"][0];
            assert_eq!(
                rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"],
                json!(encryption.sse_algorithm)
            );
            assert_eq!(rule["BucketKeyEnabled"], true);
            assert_eq!(
                bucket["public_access_block"],
                json!({
                    "BlockPublicAcls": true,
                    "IgnorePublicAcls": true,
                    "BlockPublicPolicy": true,
                    "RestrictPublicBuckets": true
                })
            );
            assert_eq!(
                bucket["ownership_controls"]["Rules"][0]["ObjectOwnership"],
                "BucketOwnerEnforced"
            );
            assert_eq!(
                bucket["policy"],
                expected_document(stack, &bucket_policy.document)
            );
            let lifecycle = &bucket["lifecycle_rules"][0];
            assert_eq!(lifecycle["Status"], "Enabled");
            assert_eq!(
                lifecycle["NoncurrentVersionExpiration"]["NoncurrentDays"],
                json!(lifecycle_configuration.noncurrent_version_expiration_days)
            );
            assert_eq!(
                lifecycle["AbortIncompleteMultipartUpload"]["DaysAfterInitiation"],
                json!(lifecycle_configuration.abort_incomplete_multipart_days)
            );
        }
    }
}

fn check_outputs(context: &Context, outputs: &Value) {
    let stack = context.stack;
    let value = |name: &str| outputs[name]["value"].clone();
    let bucket = evaluate(stack, &artifacts_bucket(stack).bucket);
    assert_eq!(value("artifacts_bucket_name"), json!(bucket));
    assert_eq!(
        value("artifacts_bucket_arn"),
        json!(format!("arn:aws:s3:::{bucket}"))
    );
    assert_eq!(
        value("role_arn"),
        json!(format!(
            "arn:aws:iam::{MOTO_ACCOUNT}:role{}{}",
            service_role(stack).path,
            evaluate(stack, &service_role(stack).name)
        ))
    );
    for output in stack.items_of::<Output>() {
        let expected = stack.evaluate(&output.value);
        assert_eq!(
            value(&output.name),
            json!(expected),
            "output {}",
            output.name
        );
    }
}

fn check_destroyed(context: &Context, inventory: &Value) {
    let empty = |key: &str| {
        inventory[key]
            .as_object()
            .is_none_or(|entries| entries.is_empty())
    };
    if !empty("s3_buckets") || !empty("iam_roles") || !empty("iam_policies") {
        context.fail(&format!("destroy left resources behind: {inventory:#}"));
    }
    assert_eq!(inventory["iam_role_policy_attachments"], json!([]));
}
