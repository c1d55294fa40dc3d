//! The output applied for real: for every environment of tfgen.hcl and both
//! formats, terraform init, validate and apply against moto's AWS emulator,
//! the created resources checked through the emulator's own API against the
//! model (every item of each type: buckets, roles, policies, attachments,
//! repositories, projects, log groups, pipelines, rules and targets, keys),
//! outputs checked, a second plan with no changes, and destroy
//! leaving nothing behind.
//!
//! The emulator is configured only through an `*_override.tf.json` file the
//! test writes next to the rendered files, which stay as a user gets them.

use std::path::Path;
use std::time::Instant;

use serde_json::{Value, json};
use tfgen::model::Expr;
use tfgen::render::{Format, jsonencode::jsonencode};
use tfgen::stack::resources::{
    BucketEncryption, BucketLifecycle, BucketPolicy, BuildspecSource, CodeBuildProject,
    CodeCommitRepository, CodePipeline, CodeStarConnection, EventRule, EventTarget,
    GroupMembership, GroupPolicyAttachment, IamGroup, IamPolicy, IamRole, IamUser, KmsAlias,
    KmsKey, LogGroup, Output, RolePolicyAttachment, S3Bucket, ServiceSpecificCredential, SnsTopic,
    SnsTopicPolicy, SnsTopicSubscription, UserGroupMembership,
};
use tfgen::stack::{PLACEHOLDER_ACCOUNT, Profile, Stack, StackItem};

use crate::support::emulator::{Emulator, moto_server_path, write_override};
use crate::support::terraform::{PlanOutcome, Terraform, TerraformError};
use crate::support::{
    project_config, render, render_stack, stack, terraform_available, tool_missing,
};

/// moto's fixed account; tfgen's placeholder has the same 12 digits, so the
/// model's resolved ARNs are exactly what the emulator reports.
const MOTO_ACCOUNT: &str = "123456789012";

#[test]
fn every_environment_applies_from_hcl() {
    apply_every_environment(Format::Hcl, Source::CodeCommit);
}

#[test]
fn every_environment_applies_from_json() {
    apply_every_environment(Format::Json, Source::CodeCommit);
}

#[test]
fn codeconnections_environments_apply_from_hcl() {
    apply_every_environment(Format::Hcl, Source::Connection);
}

#[test]
fn codeconnections_environments_apply_from_json() {
    apply_every_environment(Format::Json, Source::Connection);
}

/// Which environments a test applies: those whose pipeline reads the
/// CodeCommit repositories (or has none), or those reading a connection.
#[derive(Clone, Copy, PartialEq)]
enum Source {
    CodeCommit,
    Connection,
}

fn apply_every_environment(format: Format, source: Source) {
    if !terraform_available() || (!moto_server_path().is_file() && tool_missing("moto_server")) {
        return;
    }
    assert_eq!(PLACEHOLDER_ACCOUNT, MOTO_ACCOUNT);
    let config = project_config();
    let environments = config.environments.iter().filter(|environment| {
        let connection = environment.source.connection().is_some();
        connection == (source == Source::Connection)
    });
    let environments: Vec<_> = environments.collect();
    assert!(
        !environments.is_empty(),
        "tfgen.hcl has an environment of each source"
    );
    // Every environment as configured, and an environment with the pipeline
    // under the other profile too, so both profiles' pipelines are applied.
    let runs = environments.into_iter().flat_map(|environment| {
        let other = match environment.profile {
            Profile::Seed => Profile::Hardened,
            Profile::Hardened => Profile::Seed,
        };
        let mut profiles = vec![environment.profile];
        if environment.pipeline {
            profiles.push(other);
        }
        profiles
            .into_iter()
            .map(move |profile| (environment, profile))
    });
    for (environment, profile) in runs {
        let started = Instant::now();
        let stack = stack(environment, Some(profile));
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
    render(
        &stack.environment,
        format,
        Some(stack.profile),
        workdir.path(),
    );
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
    check_outputs(
        &context,
        &Applied {
            stack,
            inventory: &inventory,
        },
        &context.step(terraform.output_json()),
    );

    match context.step(terraform.plan_detailed_exitcode()) {
        PlanOutcome::NoChanges => {}
        PlanOutcome::Changes(plan) => {
            context.fail(&format!("the second plan is not empty:\n{plan}"))
        }
    }

    // The generated files are never touched by the emulator setup.
    let mut after = snapshot(workdir.path());
    after.retain(|(name, _)| rendered.iter().any(|(kept, _)| kept == name));
    assert_eq!(after, rendered, "the rendered files changed during the run");

    let protected = protected_addresses(stack);
    if !protected.is_empty() {
        destroy_on_purpose(&context, &mut terraform, workdir.path(), &protected);
    }
    context.step(terraform.destroy());
    check_destroyed(&context, &emulator.inventory());
    terraform.timing_summary()
}

/// The addresses whose `lifecycle` has `prevent_destroy = true`.
fn protected_addresses(stack: &Stack) -> Vec<String> {
    stack
        .document()
        .blocks
        .iter()
        .filter(|block| {
            block.body.blocks().any(|nested| {
                nested.kind == "lifecycle"
                    && nested.body.attribute("prevent_destroy") == Some(&Expr::Bool(true))
            })
        })
        .map(|block| block.address())
        .collect()
}

/// `terraform destroy` of a protected environment fails with Terraform's
/// own error, naming each protected resource, and destroys nothing. Then
/// the README's way to delete it on purpose: `deletion_protection = false`,
/// render, apply (in-place changes only: `force_destroy` on, the lifecycle
/// rule gone), so the destroy that follows empties the artifacts bucket,
/// every version of the object put in it included.
fn destroy_on_purpose(
    context: &Context,
    terraform: &mut Terraform,
    workdir: &Path,
    protected: &[String],
) {
    let before = context.emulator.inventory();
    let refused = match terraform.destroy() {
        Ok(()) => context.fail("terraform destroy of a protected environment succeeded"),
        Err(error) => error,
    };
    for address in protected {
        assert!(
            refused.stderr.contains("Instance cannot be destroyed")
                && refused.stderr.contains(&format!(
                    "Resource {address} has lifecycle.prevent_destroy set"
                )),
            "destroy's refusal names {address}:\n{}",
            refused.stderr
        );
    }
    assert_eq!(
        context.emulator.inventory(),
        before,
        "a refused destroy destroyed nothing"
    );

    let bucket = context
        .stack
        .items_of::<S3Bucket>()
        .next()
        .map(|bucket| context.stack.evaluate(&bucket.bucket).unwrap())
        .expect("a protected stack has its bucket");
    context.emulator.put_object(&bucket, "models/model.tar.gz");
    let mut unprotected_environment = project_config()
        .environments
        .into_iter()
        .find(|environment| environment.name == context.stack.environment)
        .expect("the environment is in tfgen.hcl");
    unprotected_environment.profile = context.stack.profile;
    unprotected_environment.deletion_protection = false;
    render_stack(
        &tfgen::stack::Stack::build(&unprotected_environment),
        context.format,
        workdir,
    );
    let plan = context.step(terraform.plan_json(&[]));
    for change in plan["resource_changes"].as_array().into_iter().flatten() {
        let actions = &change["change"]["actions"];
        assert!(
            actions == &json!(["no-op"]) || actions == &json!(["update"]),
            "lifting the protection only updates in place: {} {actions}",
            change["address"]
        );
    }
    context.step(terraform.apply());
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

/// What a reference of the stack is once applied: the model's value, except
/// for what AWS chooses at creation (a KMS key's ID and ARN, read from the
/// emulator by the key's alias; a connection's ARN, read by its name).
struct Applied<'a> {
    stack: &'a Stack,
    inventory: &'a Value,
}

impl Applied<'_> {
    fn resolve(&self, path: &[String]) -> Option<String> {
        if let [kind, label, attribute] = path
            && kind == "aws_kms_key"
        {
            let key = self.kms_key(label)?;
            return match attribute.as_str() {
                "arn" => key["arn"].as_str().map(str::to_string),
                "key_id" | "id" => key["arn"]
                    .as_str()
                    .and_then(|arn| arn.rsplit('/').next())
                    .map(str::to_string),
                _ => None,
            };
        }
        if let [kind, label, attribute] = path
            && kind == "aws_codestarconnections_connection"
            && (attribute == "arn" || attribute == "id")
        {
            let connection = self
                .stack
                .item::<CodeStarConnection>(&format!("{kind}.{label}"))?;
            let name = self.stack.evaluate(&connection.name)?;
            return self.inventory["codestar_connections"][&name]["arn"]
                .as_str()
                .map(str::to_string);
        }
        self.stack.resolve(path)
    }

    /// The emulator's record of `aws_kms_key.<label>`, found by its alias.
    fn kms_key(&self, label: &str) -> Option<&Value> {
        let target = format!("aws_kms_key.{label}.key_id");
        let alias = self
            .stack
            .items_of::<KmsAlias>()
            .find(|alias| alias.target_key_id == tfgen::model::Expr::reference(&target))?;
        let name = self.stack.evaluate(&alias.name)?;
        self.inventory["kms_keys"]
            .as_object()?
            .values()
            .find(|key| {
                key["aliases"]
                    .as_array()
                    .is_some_and(|a| a.contains(&json!(name)))
            })
    }

    fn evaluate(&self, expr: &tfgen::model::Expr) -> String {
        expr.evaluate_string(&|path| self.resolve(path))
            .unwrap_or_else(|| panic!("{expr:?} resolves"))
    }

    /// A value as AWS holds it: the model's expression, references resolved,
    /// encoded as `jsonencode` would and parsed back.
    fn json(&self, expr: &tfgen::model::Expr) -> Value {
        let resolved = expr.substitute(&|path| self.resolve(path));
        let text = jsonencode(&resolved).expect("every reference of the stack resolves");
        serde_json::from_str(&text).unwrap()
    }

    fn document(&self, document: &tfgen::policy::PolicyDocument) -> Value {
        self.json(&document.to_expr())
    }
}

/// The record of `name` in `inventory[kind]`, or a failure that lists what is there.
fn created<'a>(context: &Context, inventory: &'a Value, kind: &str, name: &str) -> &'a Value {
    let record = &inventory[kind][name];
    if record.is_null() {
        let present: Vec<&String> = inventory[kind]
            .as_object()
            .map(|entries| entries.keys().collect())
            .unwrap_or_default();
        context.fail(&format!(
            "{kind} {name} was not created; present: {present:?}"
        ));
    }
    record
}

fn check_created(context: &Context, inventory: &Value) {
    let stack = context.stack;
    let applied = Applied { stack, inventory };
    let here = format!(
        "({} {}, {})",
        stack.environment, stack.profile, context.format
    );

    for bucket in stack.items_of::<S3Bucket>() {
        let bucket_name = applied.evaluate(&bucket.bucket);
        let bucket = created(context, inventory, "s3_buckets", &bucket_name);
        check_bucket_protections(&applied, bucket);
    }

    for role in stack.items_of::<IamRole>() {
        let role_name = applied.evaluate(&role.name);
        let created_role = created(context, inventory, "iam_roles", &role_name);
        assert_eq!(created_role["path"], json!(role.path));
        assert_eq!(
            created_role["max_session_duration"],
            json!(role.max_session_duration)
        );
        assert_eq!(
            created_role["assume_role_policy"],
            applied.document(&role.trust_policy),
            "trust policy of {role_name} {here}"
        );
    }

    for policy in stack.items_of::<IamPolicy>() {
        let name = applied.evaluate(&policy.name);
        let created_policy = created(context, inventory, "iam_policies", &name);
        assert_eq!(created_policy["path"], json!(policy.path));
        assert_eq!(
            created_policy["description"],
            json!(applied.evaluate(&policy.description))
        );
        assert_eq!(
            created_policy["document"],
            applied.document(&policy.document),
            "document of policy {name} {here}"
        );
        let arn = format!("arn:aws:iam::{MOTO_ACCOUNT}:policy{}{name}", policy.path);
        assert_eq!(created_policy["arn"], json!(arn));
    }

    let mut attachments: Vec<Value> = stack
        .items_of::<RolePolicyAttachment>()
        .map(|attachment| {
            json!({
                "role": applied.evaluate(&attachment.role),
                "policy_arn": applied.evaluate(&attachment.policy_arn),
            })
        })
        .collect();
    let mut attached = inventory["iam_role_policy_attachments"]
        .as_array()
        .unwrap()
        .clone();
    let order = |value: &Value| value.to_string();
    attachments.sort_by_key(order);
    attached.sort_by_key(order);
    assert_eq!(attached, attachments, "role policy attachments {here}");

    check_git_mirror(context, &applied);
    check_pipeline(context, &applied);
}

/// The git mirror's user, its Git credential, its group with the user in
/// it and the group's policy (AWS's power user, or hardened's own), and
/// nothing more: no other user or group exists.
fn check_git_mirror(context: &Context, applied: &Applied) {
    let stack = context.stack;
    let inventory = applied.inventory;
    let here = format!(
        "({} {}, {})",
        stack.environment, stack.profile, context.format
    );
    let users: Vec<&IamUser> = stack.items_of::<IamUser>().collect();
    let groups: Vec<&IamGroup> = stack.items_of::<IamGroup>().collect();
    let count = |kind: &str| inventory[kind].as_object().map_or(0, |map| map.len());
    assert_eq!(count("iam_users"), users.len(), "IAM users {here}");
    assert_eq!(count("iam_groups"), groups.len(), "IAM groups {here}");
    for user in users {
        let name = applied.evaluate(&user.name);
        let created_user = created(context, inventory, "iam_users", &name);
        let credentials: Vec<Value> = stack
            .items_of::<ServiceSpecificCredential>()
            .filter(|credential| applied.evaluate(&credential.user_name) == name)
            .map(|credential| {
                json!({
                    "service_name": credential.service_name,
                    "service_user_name": format!("{name}-at-{MOTO_ACCOUNT}"),
                    "status": "Active",
                })
            })
            .collect();
        assert_eq!(
            created_user["service_specific_credentials"],
            json!(credentials),
            "Git credentials of {name} {here}"
        );
        let mut member_of: Vec<String> = stack
            .items_of::<GroupMembership>()
            .filter(|membership| {
                membership
                    .users
                    .iter()
                    .any(|user| applied.evaluate(user) == name)
            })
            .map(|membership| applied.evaluate(&membership.group))
            .chain(
                stack
                    .items_of::<UserGroupMembership>()
                    .filter(|membership| applied.evaluate(&membership.user) == name)
                    .flat_map(|membership| membership.groups.iter().map(|g| applied.evaluate(g))),
            )
            .collect();
        member_of.sort();
        assert_eq!(
            created_user["groups"],
            json!(member_of),
            "groups of {name} {here}"
        );
    }
    for group in groups {
        let name = applied.evaluate(&group.name);
        let created_group = created(context, inventory, "iam_groups", &name);
        let policies: Vec<String> = stack
            .items_of::<GroupPolicyAttachment>()
            .filter(|attachment| applied.evaluate(&attachment.group) == name)
            .map(|attachment| applied.evaluate(&attachment.policy_arn))
            .collect();
        assert_eq!(
            created_group["attached_policies"],
            json!(policies),
            "policies of group {name} {here}"
        );
    }
}

/// The bucket's companions as the model has them, or none of them.
fn check_bucket_protections(applied: &Applied, bucket: &Value) {
    let stack = applied.stack;
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
            assert_eq!(bucket["policy"], applied.document(&bucket_policy.document));
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

/// Every repository, project, pipeline, rule, target, key and log group of
/// the model exists with the model's values, and nothing else of those kinds.
fn check_pipeline(context: &Context, applied: &Applied) {
    let stack = context.stack;
    let inventory = applied.inventory;
    let count = |kind: &str| {
        inventory[kind]
            .as_object()
            .map_or(0, |entries| entries.len())
    };
    let here = format!(
        "({} {}, {})",
        stack.environment, stack.profile, context.format
    );

    for repository in stack.items_of::<CodeCommitRepository>() {
        let name = applied.evaluate(&repository.repository_name);
        let created = created(context, inventory, "codecommit_repositories", &name);
        assert_eq!(
            created["arn"],
            json!(applied.evaluate(&repository.reference_to("arn")))
        );
        assert_eq!(created["description"], json!(repository.description));
    }
    assert_eq!(
        count("codecommit_repositories"),
        stack.items_of::<CodeCommitRepository>().count()
    );

    for project in stack.items_of::<CodeBuildProject>() {
        let name = applied.evaluate(&project.name);
        let created = created(context, inventory, "codebuild_projects", &name);
        assert_eq!(
            created["arn"],
            json!(applied.evaluate(&project.reference_to("arn")))
        );
        // Upstream's projects have none: AWS holds no description then.
        let description = Some(&project.description).filter(|text| !text.is_empty());
        assert_eq!(created["description"], json!(description));
        assert_eq!(
            created["service_role"],
            json!(applied.evaluate(&project.service_role))
        );
        assert_eq!(created["timeout_in_minutes"], json!(project.build_timeout));
        // Without a key of its own, CodeBuild encrypts with the AWS-managed
        // key for S3, as AWS does.
        let key = match &project.encryption_key {
            Some(key) => applied.evaluate(key),
            None => stack.arn("kms", "alias/aws/s3").unwrap(),
        };
        assert_eq!(
            created["encryption_key"],
            json!(key),
            "encryption key of {name} {here}"
        );
        let environment = &created["environment"];
        assert_eq!(environment["image"], json!(project.environment.image));
        assert_eq!(
            environment["compute_type"],
            json!(project.environment.compute_type)
        );
        let variables: serde_json::Map<String, Value> = project
            .environment
            .variables
            .iter()
            .map(|(variable, value)| {
                let value = json!({"value": applied.evaluate(value), "type": "PLAINTEXT"});
                (variable.to_string(), value)
            })
            .collect();
        assert_eq!(
            environment["variables"],
            Value::Object(variables),
            "environment variables of {name} {here}"
        );
        match &project.buildspec {
            BuildspecSource::File(path) => assert_eq!(created["buildspec"], json!(path)),
            BuildspecSource::Inline(spec) => {
                let tfgen::model::Expr::Call(_, arguments) = spec.to_yamlencode() else {
                    unreachable!("a buildspec lowers to yamlencode(...)")
                };
                assert_eq!(
                    created["buildspec_parsed"],
                    applied.json(&arguments[0]),
                    "buildspec of {name} {here}"
                );
            }
            // Upstream's file after `templatefile`: the text, byte for byte.
            BuildspecSource::Text(text) => assert_eq!(
                created["buildspec"],
                json!(applied.evaluate(text)),
                "buildspec of {name} {here}"
            ),
        }
        if let Some(group) = &project.log_group {
            let logs = &created["logs_config"]["cloudWatchLogs"];
            assert_eq!(logs["status"], "ENABLED");
            assert_eq!(logs["groupName"], json!(applied.evaluate(group)), "{name}");
        }
    }
    assert_eq!(
        count("codebuild_projects"),
        stack.items_of::<CodeBuildProject>().count()
    );

    for group in stack.items_of::<LogGroup>() {
        let name = applied.evaluate(&group.name);
        let created = created(context, inventory, "log_groups", &name);
        assert_eq!(created["retention_in_days"], json!(group.retention_in_days));
        assert_eq!(
            created["kms_key_id"],
            json!(group.kms_key_id.as_ref().map(|key| applied.evaluate(key)))
        );
    }

    for pipeline in stack.items_of::<CodePipeline>() {
        let name = applied.evaluate(&pipeline.name);
        let created = created(context, inventory, "codepipelines", &name);
        assert_eq!(
            created["arn"],
            json!(applied.evaluate(&pipeline.reference_to("arn")))
        );
        assert_eq!(
            created["role_arn"],
            json!(applied.evaluate(&pipeline.role_arn))
        );
        let store = &created["artifact_store"];
        assert_eq!(
            store["location"],
            json!(applied.evaluate(&pipeline.artifact_bucket))
        );
        assert_eq!(store["type"], "S3");
        match &pipeline.artifact_key {
            Some(key) => {
                assert_eq!(store["encryptionKey"]["id"], json!(applied.evaluate(key)));
                assert_eq!(store["encryptionKey"]["type"], "KMS");
            }
            None => assert!(store.get("encryptionKey").is_none_or(Value::is_null)),
        }
        let stages: Vec<Value> = pipeline
            .stages
            .iter()
            .map(|stage| {
                let actions: Vec<Value> = stage
                    .actions
                    .iter()
                    .map(|action| {
                        let configuration: serde_json::Map<String, Value> = action
                            .configuration
                            .iter()
                            .map(|(key, value)| (key.to_string(), json!(applied.evaluate(value))))
                            .collect();
                        json!({
                            "name": action.name,
                            "category": action.category,
                            "owner": "AWS",
                            "provider": action.provider,
                            "version": "1",
                            "run_order": action.run_order,
                            "role_arn": null,
                            "configuration": configuration,
                            "input_artifacts": action.input_artifacts.clone().unwrap_or_default(),
                            "output_artifacts": action.output_artifacts,
                        })
                    })
                    .collect();
                json!({"name": stage.name, "actions": actions})
            })
            .collect();
        assert_eq!(created["stages"], json!(stages), "stages of {name} {here}");
        assert_eq!(
            created["pipeline_type"],
            json!(pipeline.pipeline_type.unwrap_or("V1")),
            "pipeline type of {name} {here}"
        );
        let triggers: Vec<Value> = pipeline
            .triggers
            .iter()
            .map(|trigger| {
                let branches: Vec<String> = trigger
                    .branches
                    .iter()
                    .map(|branch| applied.evaluate(branch))
                    .collect();
                let mut push = json!({"branches": {"includes": branches}});
                if !trigger.file_paths.is_empty() {
                    push["filePaths"] = json!({"includes": trigger.file_paths});
                }
                json!({
                    "providerType": "CodeStarSourceConnection",
                    "gitConfiguration": {
                        "sourceActionName": trigger.source_action,
                        "push": [push],
                    },
                })
            })
            .collect();
        assert_eq!(
            created["triggers"],
            json!(triggers),
            "triggers of {name} {here}"
        );
    }
    assert_eq!(
        count("codepipelines"),
        stack.items_of::<CodePipeline>().count()
    );

    for connection in stack.items_of::<CodeStarConnection>() {
        let name = applied.evaluate(&connection.name);
        let created = created(context, inventory, "codestar_connections", &name);
        assert_eq!(
            created["provider_type"],
            json!(connection.provider_type.name())
        );
        // Nothing but a person in the console makes a connection AVAILABLE.
        assert_eq!(created["status"], "PENDING", "connection {name} {here}");
    }
    assert_eq!(
        count("codestar_connections"),
        stack.items_of::<CodeStarConnection>().count()
    );

    for topic in stack.items_of::<SnsTopic>() {
        let name = applied.evaluate(&topic.name);
        let created = created(context, inventory, "sns_topics", &name);
        assert_eq!(
            created["arn"],
            json!(applied.evaluate(&topic.reference_to("arn")))
        );
        assert_eq!(
            created["kms_master_key_id"],
            json!(applied.evaluate(&topic.kms_master_key_id)),
            "key of topic {name} {here}"
        );
        let arn = applied.evaluate(&topic.reference_to("arn"));
        let policy = stack
            .items_of::<SnsTopicPolicy>()
            .find(|policy| applied.evaluate(&policy.arn) == arn)
            .unwrap_or_else(|| context.fail(&format!("topic {name} has no policy")));
        assert_eq!(
            created["policy"],
            applied.document(&policy.document),
            "policy of topic {name} {here}"
        );
        let mut subscriptions: Vec<Value> = stack
            .items_of::<SnsTopicSubscription>()
            .filter(|subscription| applied.evaluate(&subscription.topic_arn) == arn)
            .map(|subscription| {
                json!({"protocol": subscription.protocol, "endpoint": subscription.endpoint})
            })
            .collect();
        subscriptions.sort_by_key(|subscription| subscription.to_string());
        assert_eq!(
            created["subscriptions"],
            json!(subscriptions),
            "subscriptions of topic {name} {here}"
        );
    }
    assert_eq!(count("sns_topics"), stack.items_of::<SnsTopic>().count());

    for rule in stack.items_of::<EventRule>() {
        let name = applied.evaluate(&rule.name);
        let created = created(context, inventory, "event_rules", &name);
        assert_eq!(
            created["description"],
            json!(applied.evaluate(&rule.description))
        );
        assert_eq!(
            created["event_pattern"],
            applied.json(&rule.event_pattern),
            "pattern of rule {name} {here}"
        );
        let expected: Vec<Value> = stack
            .items_of::<EventTarget>()
            .filter(|target| applied.evaluate(&target.rule) == name)
            .map(|target| {
                json!({
                    "id": applied.evaluate(&target.target_id),
                    "arn": applied.evaluate(&target.arn),
                    "role_arn": applied.evaluate(&target.role_arn),
                    "input": null,
                })
            })
            .collect();
        assert_eq!(
            created["targets"],
            json!(expected),
            "targets of rule {name} {here}"
        );
    }
    assert_eq!(count("event_rules"), stack.items_of::<EventRule>().count());

    for key in stack.items_of::<KmsKey>() {
        let created = applied
            .kms_key(&key.label)
            .unwrap_or_else(|| context.fail(&format!("KMS key {} was not created", key.label)));
        assert_eq!(created["state"], "Enabled");
        assert_eq!(created["rotation"], true);
        assert_eq!(
            created["description"],
            json!(applied.evaluate(&key.description))
        );
        assert_eq!(
            created["policy"],
            applied.document(&key.policy),
            "key policy of {} {here}",
            key.label
        );
    }
    assert_eq!(count("kms_keys"), stack.items_of::<KmsKey>().count());
}

/// Every output has the model's value (what AWS chose, as it chose it).
fn check_outputs(context: &Context, applied: &Applied, outputs: &Value) {
    let stack = context.stack;
    for output in stack.items_of::<Output>() {
        if output.sensitive {
            // The mirror's password, which AWS chose: shown only as sensitive.
            assert_eq!(
                outputs[&output.name]["sensitive"], true,
                "output {}",
                output.name
            );
            assert!(
                outputs[&output.name]["value"]
                    .as_str()
                    .is_some_and(|value| !value.is_empty()),
                "output {} has a value",
                output.name
            );
            continue;
        }
        let expected = output.value.evaluate_string(&|path| applied.resolve(path));
        assert!(expected.is_some(), "output {} resolves", output.name);
        assert_eq!(
            outputs[&output.name]["value"],
            json!(expected),
            "output {}",
            output.name
        );
    }
    assert_eq!(
        outputs.as_object().map_or(0, |entries| entries.len()),
        stack.items_of::<Output>().count()
    );
}

fn check_destroyed(context: &Context, inventory: &Value) {
    let empty = |key: &str| {
        inventory[key]
            .as_object()
            .is_none_or(|entries| entries.is_empty())
    };
    let kinds = [
        "s3_buckets",
        "iam_roles",
        "iam_policies",
        "iam_users",
        "iam_groups",
        "codecommit_repositories",
        "codebuild_projects",
        "codepipelines",
        "event_rules",
        "log_groups",
        "codestar_connections",
        "sns_topics",
    ];
    if !kinds.iter().all(|kind| empty(kind)) {
        context.fail(&format!("destroy left resources behind: {inventory:#}"));
    }
    assert_eq!(inventory["iam_role_policy_attachments"], json!([]));
    // KMS never deletes a key at once: destroy schedules its deletion.
    for key in inventory["kms_keys"]
        .as_object()
        .into_iter()
        .flat_map(|keys| keys.values())
    {
        assert_eq!(key["state"], "PendingDeletion", "{key}");
    }
}
