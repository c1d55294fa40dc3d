//! The MLOps pipeline around the foundation, switched on per environment with
//! `pipeline = true`: the source repositories, the three builds, the CI and
//! CD pipelines, the rules that start them, and the git mirror user that
//! copies the team's repositories into CodeCommit ([`super::git_mirror`]).
//! Both profiles build it from the same lists; they differ in who runs each
//! service ([`ServiceRoles`]), in their names, and in what `hardened` adds:
//! the artifacts key, the builds' log groups, source rules instead of
//! polling, supported build images, `prevent_destroy` on what holds data,
//! and the names defined once as locals. The hardened roles and their
//! policies are in [`super::pipeline_roles`].
//!
//! `seed` is upstream's `terraform/` folder (RicardoRibeiroRodrigues/
//! AWS-IaC-mlops-pipeline, `fixtures/upstream/`) transcribed: its names
//! (which two environments in one account would share: `validate` reports
//! it), tags, images, every setting it spells out, its buildspec files as
//! `templatefile` would make them, and its one EventBridge rule, so an
//! environment of the team plans to exactly what they applied. Stage names,
//! action names, run orders, artifacts, timeouts and environment variables
//! are the same in both profiles.

use super::git_mirror;
use super::pipeline_roles;
use super::resources::codepipeline::CONNECTION_PROVIDER;
use super::resources::{
    Action, BuildEnvironment, Buildspec, BuildspecSource, CodeBuildProject, CodeCommitRepository,
    CodePipeline, CodeStarConnection, CodeStarConnectionData, EventRule, EventTarget, KmsAlias,
    KmsKey, Locals, LogGroup, Output, Phase, SnsTopic, SnsTopicPolicy, SnsTopicSubscription,
    SpelledOut, Stage, Trigger,
};
use super::seed::boxed;
use super::source::{Approval, ConnectionSource, OutputFormat, PipelineSource};
use super::{Items, Profile, StackFile, StackItem};
use crate::model::Expr;
use crate::policy::{PolicyDocument, Statement, Values, many, one};

/// The CodeBuild projects' names; their log groups are named after them.
pub const MODELBUILD_PROJECT: &str = "tf-mlops-modelbuild-${var.env}";
pub const DEPLOYBUILD_PROJECT: &str = "tf-mlops-deploybuild-${var.env}";
pub const TESTBUILD_PROJECT: &str = "tf-mlops-testbuild-${var.env}";

/// The files the deploy build exports and the CloudFormation actions read.
const TEMPLATE_EXPORT: &str = "template-export.yml";
const STAGING_CONFIG_EXPORT: &str = "staging-config-export.json";
const PROD_CONFIG_EXPORT: &str = "prod-config-export.json";

/// checkov's pull-request approval rule check does not fit the repositories.
const REPOSITORY_CHECKOV_SKIPS: [(&str, &str); 1] = [(
    "CKV2_AWS_37",
    "nothing reaches production without the CD pipeline's ApproveDeployment action; pull-request approval rules are the team's review workflow, set in CodeCommit, not by this stack",
)];

/// Whose role each service of the pipeline acts as: the role's `arn`.
pub struct ServiceRoles {
    pub codebuild: Expr,
    pub codepipeline: Expr,
    pub cloudformation: Expr,
    pub events: Expr,
    /// The SageMaker execution role the builds hand on (SAGEMAKER_PIPELINE_ROLE_ARN,
    /// MODEL_EXECUTION_ROLE_ARN).
    pub sagemaker: Expr,
}

impl ServiceRoles {
    /// `seed`: every service as the reference role, as the write-up does it.
    pub fn all(role_arn: Expr) -> Self {
        ServiceRoles {
            codebuild: role_arn.clone(),
            codepipeline: role_arn.clone(),
            cloudformation: role_arn.clone(),
            events: role_arn.clone(),
            sagemaker: role_arn,
        }
    }
}

/// The names the pipeline uses more than once, as template text: `seed`
/// spells them out as upstream does, `hardened` names them once as locals
/// that the policies reuse, and gives every name the environment's.
struct Names {
    /// `<project_name>-<project_id>`: the model package group, the SageMaker
    /// pipeline and its jobs' prefix.
    sagemaker_project: &'static str,
    staging_stack: &'static str,
    prod_stack: &'static str,
    /// The model build, model deploy and staging test projects.
    projects: [&'static str; 3],
    /// The CI and CD pipelines.
    pipelines: [&'static str; 2],
}

impl Names {
    fn of(profile: Profile) -> Names {
        match profile {
            Profile::Seed => Names {
                sagemaker_project: "${var.project_name}-${var.project_id}",
                staging_stack: "sagemaker-${var.project_name}-${var.project_id}-deploy-staging",
                prod_stack: "sagemaker-${var.project_name}-${var.project_id}-deploy-prod",
                projects: [
                    "tf-mlops-modelbuild",
                    "tf-mlops-deploybuild",
                    "tf-mlops-testbuild",
                ],
                pipelines: ["modelbuild-pipeline", "modeldeploy-pipeline"],
            },
            Profile::Hardened => Names {
                sagemaker_project: "${local.sagemaker_project}",
                staging_stack: "${local.staging_stack}",
                prod_stack: "${local.prod_stack}",
                projects: [MODELBUILD_PROJECT, DEPLOYBUILD_PROJECT, TESTBUILD_PROJECT],
                pipelines: [
                    "modelbuild-pipeline-${var.env}",
                    "modeldeploy-pipeline-${var.env}",
                ],
            },
        }
    }
}

/// What differs between the profiles beyond names: whether `hardened`'s
/// protections apply, and whether what holds data is kept from `terraform
/// destroy` (`deletion_protection` in tfgen.hcl, on unless switched off).
#[derive(Clone, Copy)]
struct Flavor {
    profile: Profile,
    hardened: bool,
    protect: bool,
}

/// The images the builds run on: upstream's (deprecated by CodeBuild since
/// 2022 and 2023; `validate` warns), and for `hardened` the current Amazon
/// Linux 2023 standard image, with the Python it ships.
const SEED_IMAGES: [&str; 3] = [
    "aws/codebuild/amazonlinux2-x86_64-standard:2.0",
    "aws/codebuild/amazonlinux2-x86_64-standard:3.0",
    "aws/codebuild/amazonlinux2-x86_64-standard:2.0",
];
pub const HARDENED_IMAGE: &str = super::resources::codebuild_project::CURRENT_IMAGE;
const HARDENED_PYTHON: &str = "3.12";

/// Upstream's buildspec files, which `seed` writes into its projects as
/// `templatefile` makes them; `tests/golden.rs` holds them to the fixture.
const MODELBUILD_BUILDSPEC: &str = include_str!("../../fixtures/upstream/modelbuild_buildspec.yml");
const MODELDEPLOY_BUILDSPEC: &str =
    include_str!("../../fixtures/upstream/modeldeploy_buildspec.yml");

/// The pipeline's items for a profile, in the order they are written, and
/// its outputs (the git mirror's URLs and password, or the connection's
/// ARN). `protect`: keep what holds data from `terraform destroy` (hardened
/// only; seed keeps upstream's values). `source` and `approval` are the
/// environment's `source { }` and `approval { }`.
pub fn items(
    profile: Profile,
    roles: &ServiceRoles,
    protect: bool,
    source: &PipelineSource,
    approval: Option<&Approval>,
) -> (Items, Items) {
    let names = Names::of(profile);
    let hardened = profile == Profile::Hardened;
    let flavor = Flavor {
        profile,
        hardened,
        protect: hardened && protect,
    };
    let code = match source {
        PipelineSource::CodeCommit => Code::repositories(flavor),
        PipelineSource::Connection(connection) => Code::connection(connection),
    };
    let key = hardened.then(|| artifacts_key(flavor.protect));
    let log_groups = hardened.then(|| build_log_groups(key.as_ref().expect("hardened has a key")));
    let key_arn = key.as_ref().map(|key| key.reference_to("arn"));
    let log_group = |index: usize| {
        log_groups
            .as_ref()
            .map(|groups: &Vec<LogGroup>| groups[index].reference_to("name"))
    };
    let projects = [
        model_build(flavor, roles, &names, key_arn.clone(), log_group(0)),
        deploy_build(flavor, roles, &names, key_arn.clone(), log_group(1)),
        test_build(flavor, roles, &names, key_arn.clone(), log_group(2)),
    ];
    let topic =
        approval.map(|approval| approval_topic(flavor, roles, &names, approval, key_arn.as_ref()));
    let [modelbuild, deploybuild, testbuild] = &projects;
    let ci = ci_pipeline(flavor, roles, &names, &code, modelbuild, key_arn.clone());
    let cd = cd_pipeline(
        flavor,
        roles,
        &names,
        &code,
        [deploybuild, testbuild],
        topic.as_ref().map(|(topic, _)| topic.reference_to("arn")),
        key_arn,
    );
    let mut rules = Vec::new();
    if let (true, Code::Repositories { build, deploy }) = (hardened, &code) {
        rules.push(source_rule("build", build, &ci, "model build", roles));
        rules.push(source_rule("deploy", deploy, &cd, "model deploy", roles));
    }
    rules.push(model_registry_rule(profile, &names, &cd, roles));
    let mut needs = pipeline_roles::Needs {
        connection_arn: None,
        builds_clone: false,
        approval_topic: topic.is_some(),
    };

    let mut items: Vec<Box<dyn StackItem>> = Vec::new();
    let mut outputs: Items = Vec::new();
    if hardened {
        items.push(boxed(pipeline_locals()));
    }
    let mut mirror: Items = Vec::new();
    match code {
        Code::Repositories { build, deploy } => {
            let (mirror_items, mirror_outputs) = git_mirror::items(profile, [&build, &deploy]);
            items.push(boxed(build));
            items.push(boxed(deploy));
            mirror = mirror_items;
            outputs = mirror_outputs;
        }
        Code::Connection {
            created,
            existing,
            connection_arn,
            output_format,
            ..
        } => {
            needs.connection_arn = Some(connection_arn);
            needs.builds_clone = output_format == OutputFormat::CodeBuildCloneRef;
            if let Some(created) = created {
                outputs.push(boxed(Output::of(
                    "source_connection_arn",
                    "ARN of the CodeConnections connection the pipelines read the code through (PENDING until approved in the console)",
                    &format!("{}.arn", created.address()),
                )));
                items.push(boxed(created));
            }
            items.extend(existing.map(boxed));
        }
    }
    if let (Some(key), Some(log_groups)) = (key, log_groups) {
        let alias = KmsAlias {
            label: key.label.clone(),
            name: Expr::interpolated("alias/${local.sagemaker_project}-artifacts-${var.env}"),
            target_key_id: key.reference_to("key_id"),
        };
        items.push(boxed(key));
        items.push(boxed(alias));
        items.extend(log_groups.into_iter().map(boxed));
    }
    items.extend(projects.into_iter().map(boxed));
    items.push(boxed(ci));
    items.push(boxed(cd));
    for (rule, target) in rules {
        items.push(boxed(rule));
        items.push(boxed(target));
    }
    if let Some((topic, rest)) = topic {
        items.push(boxed(topic));
        items.extend(rest);
    }
    match hardened {
        true => items.extend(pipeline_roles::items(&needs)),
        false => items.extend(pipeline_roles::seed_source_policy(&needs)),
    }
    items.extend(mirror);
    (items, outputs)
}

/// Where the pipelines read the code: the stack's CodeCommit repositories,
/// or a connection (created by the stack, or an existing one looked up).
enum Code {
    Repositories {
        build: CodeCommitRepository,
        deploy: CodeCommitRepository,
    },
    Connection {
        created: Option<CodeStarConnection>,
        existing: Option<CodeStarConnectionData>,
        /// The connection's ARN as the policies write it.
        connection_arn: String,
        repositories: [String; 2],
        file_paths: Vec<String>,
        output_format: OutputFormat,
    },
}

impl Code {
    fn repositories(flavor: Flavor) -> Code {
        let descriptions = match flavor.profile {
            Profile::Seed => [
                "Repository for model build pipeline",
                "Repository for model deploy pipeline",
            ],
            Profile::Hardened => [
                "Code of the SageMaker pipeline that builds the model",
                "CloudFormation templates and configuration that deploy the model",
            ],
        };
        let mut repositories = [
            CodeCommitRepository::named_by("build", "build_repository_name", descriptions[0]),
            CodeCommitRepository::named_by("deploy", "deploy_repository_name", descriptions[1]),
        ];
        if flavor.hardened {
            for repository in &mut repositories {
                repository.checkov_skips = REPOSITORY_CHECKOV_SKIPS.to_vec();
                repository.prevent_destroy = flavor.protect;
            }
        }
        let [build, deploy] = repositories;
        Code::Repositories { build, deploy }
    }

    fn connection(source: &ConnectionSource) -> Code {
        let (created, existing, connection_arn) = match &source.connection_arn {
            None => {
                let created = CodeStarConnection {
                    label: CONNECTION_LABEL.into(),
                    name: Expr::interpolated("tf-mlops-${var.env}"),
                    provider_type: source.provider,
                    origin: source.origin.clone(),
                };
                let arn = format!("${{{}.arn}}", created.address());
                (Some(created), None, arn)
            }
            Some(arn) => {
                let existing = CodeStarConnectionData {
                    label: CONNECTION_LABEL.into(),
                    arn: arn.clone(),
                };
                let reference = format!("${{{}.arn}}", existing.address());
                (None, Some(existing), reference)
            }
        };
        Code::Connection {
            created,
            existing,
            connection_arn,
            repositories: [
                source.build_repository.clone(),
                source.deploy_repository.clone(),
            ],
            file_paths: source.file_paths.clone(),
            output_format: source.output_format,
        }
    }

    /// The source stage of the CI (`0`) or CD (`1`) pipeline.
    fn source_stage(&self, flavor: Flavor, which: usize) -> Stage {
        match self {
            Code::Repositories { build, deploy } => source_stage(flavor, [build, deploy][which]),
            Code::Connection {
                connection_arn,
                repositories,
                output_format,
                ..
            } => Stage {
                name: "Source",
                actions: vec![Action {
                    name: "Source",
                    category: "Source",
                    provider: CONNECTION_PROVIDER,
                    input_artifacts: None,
                    output_artifacts: vec!["SourceArtifact"],
                    configuration: vec![
                        ("ConnectionArn", Expr::interpolated(connection_arn)),
                        ("FullRepositoryId", Expr::from(repositories[which].as_str())),
                        ("BranchName", Expr::reference("var.repository_branch")),
                        ("OutputArtifactFormat", Expr::from(output_format.name())),
                    ],
                    run_order: 1,
                }],
            },
        }
    }

    /// The V2 pipeline type and the git trigger of a connection source: a
    /// push to the branch (changing one of the build's file paths, for the
    /// CI pipeline, when the source names them) starts the pipeline.
    fn triggers(&self, which: usize) -> (Option<&'static str>, Vec<Trigger>) {
        let Code::Connection { file_paths, .. } = self else {
            return (None, Vec::new());
        };
        let trigger = Trigger {
            source_action: "Source",
            branches: vec![Expr::reference("var.repository_branch")],
            file_paths: match which {
                0 => file_paths.clone(),
                _ => Vec::new(),
            },
        };
        (Some("V2"), vec![trigger])
    }
}

/// The label of the connection, created or looked up.
const CONNECTION_LABEL: &str = "source";

/// The topic the manual approval notifies, its policy (only the
/// CodePipeline role publishes) and one email subscription per address.
/// `hardened` encrypts it with the artifacts key (the CodePipeline role's
/// `ArtifactsKey` grant covers publishing); `seed`, which has no key of its
/// own, with the AWS-managed `alias/aws/sns`, whose key policy lets any
/// principal of the account use it through SNS.
fn approval_topic(
    flavor: Flavor,
    roles: &ServiceRoles,
    names: &Names,
    approval: &Approval,
    key: Option<&Expr>,
) -> (SnsTopic, Items) {
    let topic = SnsTopic {
        label: "approval".into(),
        name: Expr::interpolated(&format!(
            "{}-approval-${{var.env}}",
            names.sagemaker_project
        )),
        kms_master_key_id: match key {
            Some(key) if flavor.hardened => key.clone(),
            _ => Expr::from("alias/aws/sns"),
        },
    };
    let topic_arn = topic.reference_to("arn");
    let publisher = Values::One(roles.codepipeline.clone());
    let policy = SnsTopicPolicy {
        label: "approval".into(),
        arn: topic_arn.clone(),
        document: PolicyDocument::new(vec![
            Statement::allow()
                .sid("CodePipelinePublishesApprovals")
                .principal("AWS", publisher.clone())
                .action(one("sns:Publish"))
                .resource(Values::One(topic_arn.clone())),
            Statement::deny()
                .comment("An IAM grant elsewhere in the account must not let anyone else publish.")
                .sid("OnlyCodePipelinePublishes")
                .any_principal()
                .action(one("sns:Publish"))
                .resource(Values::One(topic_arn.clone()))
                .condition("ArnNotEquals", "aws:PrincipalArn", publisher),
        ]),
    };
    let mut items: Items = vec![boxed(policy)];
    for (index, address) in approval.notify.iter().enumerate() {
        items.push(boxed(SnsTopicSubscription {
            label: format!("approver_{index}"),
            topic_arn: topic_arn.clone(),
            protocol: "email",
            endpoint: address.clone(),
        }));
    }
    (topic, items)
}

/// `hardened`'s names defined once: the SageMaker project, the two stacks
/// the CD pipeline deploys, and the builds' log groups (named here, not
/// referenced, because the key policy that encrypts them must name them
/// before they exist).
fn pipeline_locals() -> Locals {
    let log_group = |project: &str| Expr::interpolated(&format!("/aws/codebuild/{project}"));
    Locals {
        file: StackFile::PROVIDER,
        comments: vec![
            "Names the pipeline defines once and its policies reuse: the SageMaker",
            "project (model package group, SageMaker pipeline and job prefix), the",
            "CloudFormation stacks the CD pipeline deploys, and the builds' log groups",
            "(named here because the key policy that encrypts them must name them",
            "before they exist).",
        ],
        values: vec![
            (
                "sagemaker_project",
                Expr::interpolated("${var.project_name}-${var.project_id}"),
            ),
            (
                "staging_stack",
                Expr::interpolated(
                    "sagemaker-${var.project_name}-${var.project_id}-deploy-staging",
                ),
            ),
            (
                "prod_stack",
                Expr::interpolated("sagemaker-${var.project_name}-${var.project_id}-deploy-prod"),
            ),
            (
                "build_log_groups",
                Expr::object([
                    ("modelbuild", log_group(MODELBUILD_PROJECT)),
                    ("deploybuild", log_group(DEPLOYBUILD_PROJECT)),
                    ("testbuild", log_group(TESTBUILD_PROJECT)),
                ]),
            ),
        ],
    }
}

/// The labels of the builds' log groups, which are also the keys of
/// `local.build_log_groups`.
pub const BUILD_LOG_GROUPS: [&str; 3] = ["modelbuild", "deploybuild", "testbuild"];

/// The customer-managed key of the artifacts (CodePipeline's store, the
/// builds' output) and the build logs, which checkov asks for (CKV_AWS_147,
/// CKV_AWS_219, CKV_AWS_158).
fn artifacts_key(protect: bool) -> KmsKey {
    let log_group_arns = BUILD_LOG_GROUPS.map(|group| {
        format!(
            "arn:aws:logs:${{var.region}}:${{local.account_id}}:log-group:${{local.build_log_groups.{group}}}"
        )
    });
    KmsKey {
        label: "artifacts".into(),
        description: Expr::interpolated(
            "Pipeline artifacts and build logs of ${local.sagemaker_project} (${var.env})",
        ),
        deletion_window_in_days: 30,
        prevent_destroy: protect,
        policy: PolicyDocument::new(vec![
            Statement::allow()
                .comment(
                    "Without it no IAM policy could grant the key: the account administers it.",
                )
                .sid("AccountAdministersKey")
                .principal("AWS", one("arn:aws:iam::${local.account_id}:root"))
                .action(one("kms:*"))
                .resource(one("*")),
            Statement::allow()
                .comment("CloudWatch Logs encrypts the three build log groups, and no other.")
                .sid("CloudWatchLogsEncryptsBuildLogs")
                .principal("Service", one("logs.${var.region}.amazonaws.com"))
                .action(many([
                    "kms:Decrypt",
                    "kms:DescribeKey",
                    "kms:Encrypt",
                    "kms:GenerateDataKey*",
                    "kms:ReEncrypt*",
                ]))
                .resource(one("*"))
                .condition(
                    "ArnEquals",
                    "kms:EncryptionContext:aws:logs:arn",
                    many(log_group_arns.each_ref().map(String::as_str)),
                ),
        ]),
    }
}

fn build_log_groups(key: &KmsKey) -> Vec<LogGroup> {
    BUILD_LOG_GROUPS
        .iter()
        .map(|group| LogGroup {
            label: group.to_string(),
            name: Expr::reference(&format!("local.build_log_groups.{group}")),
            retention_in_days: 365,
            kms_key_id: Some(key.reference_to("arn")),
        })
        .collect()
}

fn environment(image: &'static str, variables: Vec<(&'static str, Expr)>) -> BuildEnvironment {
    BuildEnvironment {
        compute_type: "BUILD_GENERAL1_SMALL",
        image,
        variables,
    }
}

/// What every project of a profile shares: `seed` spells out upstream's
/// settings and tags each project with its environment; `hardened`
/// encrypts with the key and logs to the build's own group.
fn project(
    flavor: Flavor,
    Step {
        label,
        name,
        description,
    }: Step,
    service_role: &Expr,
    environment: BuildEnvironment,
    buildspec: BuildspecSource,
    [key, log_group]: [Option<Expr>; 2],
) -> CodeBuildProject {
    let seed = flavor.profile == Profile::Seed;
    CodeBuildProject {
        label: label.into(),
        name: Expr::interpolated(name),
        description: if seed {
            String::new()
        } else {
            description.into()
        },
        service_role: service_role.clone(),
        build_timeout: 60,
        environment,
        buildspec,
        encryption_key: key,
        log_group,
        tags: match seed {
            true => vec![("Environment", Expr::reference("var.env"))],
            false => Vec::new(),
        },
        spelled_out: seed.then(|| SpelledOut {
            queued_timeout: 480,
            // Upstream names a project's artifacts after it and the environment.
            artifacts_name: Expr::interpolated(&format!("{name}-${{var.env}}")),
        }),
    }
}

/// A build step's names: its label, its project's name, its description
/// (which `seed`, as upstream, does not write).
struct Step {
    label: &'static str,
    name: &'static str,
    description: &'static str,
}

/// The image of build `index` (model build, model deploy, staging test).
fn image(flavor: Flavor, index: usize) -> &'static str {
    match flavor.hardened {
        true => HARDENED_IMAGE,
        false => SEED_IMAGES[index],
    }
}

/// The Python of a hardened buildspec's install phase.
fn python(flavor: Flavor) -> &'static str {
    match flavor.hardened {
        true => HARDENED_PYTHON,
        false => "3.8",
    }
}

/// Upstream's buildspec file `text` as `templatefile` makes it: upstream
/// gives it `env` and the build's own environment variables, and `extra`.
fn buildspec_text(
    text: &str,
    variables: &[(&'static str, Expr)],
    extra: &[(&'static str, Expr)],
) -> BuildspecSource {
    let vars: Vec<(&str, Expr)> = std::iter::once(("env", Expr::reference("var.env")))
        .chain(
            variables
                .iter()
                .filter(|(name, _)| *name != "environment")
                .cloned(),
        )
        .chain(extra.iter().cloned())
        .collect();
    BuildspecSource::Text(
        Expr::templatefile(text, &vars).expect("upstream's buildspecs are plain substitutions"),
    )
}

/// The variables every build gets: the environment, the SageMaker project
/// and the region.
fn project_variables() -> [(&'static str, Expr); 3] {
    [
        ("environment", Expr::reference("var.env")),
        (
            "SAGEMAKER_PROJECT_NAME",
            Expr::reference("var.project_name"),
        ),
        ("SAGEMAKER_PROJECT_ID", Expr::reference("var.project_id")),
    ]
}

fn artifacts_bucket() -> Expr {
    Expr::reference("aws_s3_bucket.artifacts_bucket.bucket")
}

/// Model build: runs the SageMaker pipeline of the build repository.
/// `seed` first copies upstream's sample data set from AWS's public bucket
/// into the artifacts bucket. hardened does not: training data from a
/// bucket outside the account is a supply-chain risk, and the grant would
/// name a resource the stack does not own; the team uploads its data set to
/// the same key of the artifacts bucket instead.
fn model_build(
    flavor: Flavor,
    roles: &ServiceRoles,
    names: &Names,
    key: Option<Expr>,
    log_group: Option<Expr>,
) -> CodeBuildProject {
    let [environment_name, project_name, project_id] = project_variables();
    let variables = vec![
        environment_name,
        project_name,
        project_id,
        ("ARTIFACT_BUCKET", artifacts_bucket()),
        ("SAGEMAKER_PIPELINE_ROLE_ARN", roles.sagemaker.clone()),
        ("AWS_REGION", Expr::reference("var.region")),
    ];
    let buildspec = match flavor.profile {
        Profile::Seed => buildspec_text(
            MODELBUILD_BUILDSPEC,
            &variables,
            &[(
                "SAGEMAKER_PROJECT_NAME_ID",
                Expr::interpolated(names.sagemaker_project),
            )],
        ),
        Profile::Hardened => BuildspecSource::Inline(Buildspec {
            phases: vec![
                Phase {
                    name: "install",
                    runtime_versions: vec![("python", python(flavor))],
                    commands: vec!["pip install --upgrade --force-reinstall . awscli"],
                },
                Phase {
                    name: "build",
                    runtime_versions: vec![],
                    commands: vec![
                        "export PYTHONUNBUFFERED=TRUE",
                        r#"export SAGEMAKER_PROJECT_NAME_ID="${SAGEMAKER_PROJECT_NAME}-${SAGEMAKER_PROJECT_ID}""#,
                        r#"run-pipeline --module-name pipelines.customer_churn.pipeline --role-arn ${SAGEMAKER_PIPELINE_ROLE_ARN} --tags "[{\"Key\":\"sagemaker:project-name\", \"Value\":\"${SAGEMAKER_PROJECT_NAME}\"}, {\"Key\":\"sagemaker:project-id\", \"Value\":\"${SAGEMAKER_PROJECT_ID}\"}]" --kwargs "{\"region\":\"${AWS_REGION}\",\"role\":\"${SAGEMAKER_PIPELINE_ROLE_ARN}\",\"default_bucket\":\"${ARTIFACT_BUCKET}\",\"pipeline_name\":\"${SAGEMAKER_PROJECT_NAME_ID}\",\"model_package_group_name\":\"${SAGEMAKER_PROJECT_NAME_ID}\",\"base_job_prefix\":\"${SAGEMAKER_PROJECT_NAME_ID}\"}""#,
                        r#"echo "Create/Update of the SageMaker Pipeline and execution completed.""#,
                    ],
                },
            ],
            artifacts: vec![],
        }),
    };
    project(
        flavor,
        Step {
            label: "tf_mlops_modelbuild",
            name: names.projects[0],
            description: "Runs the SageMaker pipeline that builds and registers the model",
        },
        &roles.codebuild,
        environment(image(flavor, 0), variables),
        buildspec,
        [key, log_group],
    )
}

/// Model deploy: exports the endpoint's CloudFormation template and the
/// staging and prod configurations for the CD pipeline.
fn deploy_build(
    flavor: Flavor,
    roles: &ServiceRoles,
    names: &Names,
    key: Option<Expr>,
    log_group: Option<Expr>,
) -> CodeBuildProject {
    let [environment_name, project_name, project_id] = project_variables();
    let variables = vec![
        environment_name,
        project_name,
        project_id,
        ("ARTIFACT_BUCKET", artifacts_bucket()),
        ("MODEL_EXECUTION_ROLE_ARN", roles.sagemaker.clone()),
        (
            "SOURCE_MODEL_PACKAGE_GROUP_NAME",
            Expr::interpolated(names.sagemaker_project),
        ),
        ("AWS_REGION", Expr::reference("var.region")),
        ("EXPORT_TEMPLATE_NAME", Expr::from(TEMPLATE_EXPORT)),
        (
            "EXPORT_TEMPLATE_STAGING_CONFIG",
            Expr::from(STAGING_CONFIG_EXPORT),
        ),
        (
            "EXPORT_TEMPLATE_PROD_CONFIG",
            Expr::from(PROD_CONFIG_EXPORT),
        ),
    ];
    let buildspec = match flavor.profile {
        Profile::Seed => buildspec_text(MODELDEPLOY_BUILDSPEC, &variables, &[]),
        Profile::Hardened => BuildspecSource::Inline(Buildspec {
            phases: vec![
                Phase {
                    name: "install",
                    runtime_versions: vec![("python", python(flavor))],
                    commands: vec![
                        r#"pip install --upgrade --force-reinstall "botocore>1.21.30" "boto3>1.18.30" "awscli>1.20.30""#,
                    ],
                },
                Phase {
                    name: "build",
                    runtime_versions: vec![],
                    commands: vec![
                        r#"python build.py --model-execution-role "$MODEL_EXECUTION_ROLE_ARN" --model-package-group-name "$SOURCE_MODEL_PACKAGE_GROUP_NAME" --sagemaker-project-id "$SAGEMAKER_PROJECT_ID" --sagemaker-project-name "$SAGEMAKER_PROJECT_NAME" --s3-bucket "$ARTIFACT_BUCKET" --export-staging-config $EXPORT_TEMPLATE_STAGING_CONFIG --export-prod-config $EXPORT_TEMPLATE_PROD_CONFIG"#,
                        "aws cloudformation package --template endpoint-config-template.yml --s3-bucket $ARTIFACT_BUCKET --output-template $EXPORT_TEMPLATE_NAME",
                        "cat $EXPORT_TEMPLATE_STAGING_CONFIG",
                        "cat $EXPORT_TEMPLATE_PROD_CONFIG",
                    ],
                },
            ],
            artifacts: vec![
                "$EXPORT_TEMPLATE_NAME",
                "$EXPORT_TEMPLATE_STAGING_CONFIG",
                "$EXPORT_TEMPLATE_PROD_CONFIG",
            ],
        }),
    };
    project(
        flavor,
        Step {
            label: "tf_mlops_deploybuild",
            name: names.projects[1],
            description: "Exports the endpoint's CloudFormation template and its staging and prod configurations",
        },
        &roles.codebuild,
        environment(image(flavor, 1), variables),
        buildspec,
        [key, log_group],
    )
}

/// The staging test: its buildspec lives in the deploy repository, beside
/// its test code.
fn test_build(
    flavor: Flavor,
    roles: &ServiceRoles,
    names: &Names,
    key: Option<Expr>,
    log_group: Option<Expr>,
) -> CodeBuildProject {
    let [environment_name, project_name, project_id] = project_variables();
    let variables = vec![
        environment_name,
        project_name,
        project_id,
        ("AWS_REGION", Expr::reference("var.region")),
        ("BUILD_CONFIG", Expr::from(STAGING_CONFIG_EXPORT)),
        ("EXPORT_TEST_RESULTS", Expr::from("test-results.json")),
    ];
    project(
        flavor,
        Step {
            label: "tf_mlops_testbuild",
            name: names.projects[2],
            description: "Tests the staging endpoint before the manual approval",
        },
        &roles.codebuild,
        environment(image(flavor, 2), variables),
        BuildspecSource::File("test/test_buildspec.yml"),
        [key, log_group],
    )
}

/// A CodeCommit source action on `var.repository_branch`. `hardened` turns
/// polling off: a rule on the repository starts the pipeline. `seed` writes
/// upstream's empty list of input artifacts (the plan tells it from none).
fn source_stage(flavor: Flavor, repository: &CodeCommitRepository) -> Stage {
    let poll = if flavor.hardened { "false" } else { "true" };
    Stage {
        name: "Source",
        actions: vec![Action {
            name: "Source",
            category: "Source",
            provider: "CodeCommit",
            input_artifacts: (!flavor.hardened).then(Vec::new),
            output_artifacts: vec!["SourceArtifact"],
            configuration: vec![
                ("RepositoryName", repository.reference_to("repository_name")),
                ("BranchName", Expr::reference("var.repository_branch")),
                ("PollForSourceChanges", Expr::from(poll)),
            ],
            run_order: 1,
        }],
    }
}

fn build_stage(project: &CodeBuildProject) -> Stage {
    Stage {
        name: "Build",
        actions: vec![Action {
            name: "Build",
            category: "Build",
            provider: "CodeBuild",
            input_artifacts: Some(vec!["SourceArtifact"]),
            output_artifacts: vec!["BuildArtifact"],
            configuration: vec![("ProjectName", project.reference_to("name"))],
            run_order: 1,
        }],
    }
}

/// A pipeline of `stages` storing its artifacts in the bucket (with the
/// key, in `hardened`); `seed` tags it with its environment, as upstream.
fn pipeline(
    flavor: Flavor,
    label: &str,
    name: &str,
    roles: &ServiceRoles,
    key: Option<Expr>,
    stages: Vec<Stage>,
) -> CodePipeline {
    CodePipeline {
        label: label.into(),
        name: Expr::interpolated(name),
        role_arn: roles.codepipeline.clone(),
        artifact_bucket: artifacts_bucket(),
        artifact_key: key,
        stages,
        tags: match flavor.profile {
            Profile::Seed => vec![("Environment", Expr::reference("var.env"))],
            Profile::Hardened => Vec::new(),
        },
        pipeline_type: None,
        triggers: Vec::new(),
    }
}

/// CI: the build repository's branch, then the model build.
fn ci_pipeline(
    flavor: Flavor,
    roles: &ServiceRoles,
    names: &Names,
    code: &Code,
    modelbuild: &CodeBuildProject,
    key: Option<Expr>,
) -> CodePipeline {
    let (pipeline_type, triggers) = code.triggers(0);
    CodePipeline {
        pipeline_type,
        triggers,
        ..pipeline(
            flavor,
            "sm_ci_pipeline",
            names.pipelines[0],
            roles,
            key,
            vec![code.source_stage(flavor, 0), build_stage(modelbuild)],
        )
    }
}

/// A CloudFormation deploy of the exported template with a stage's config.
fn deploy_action(
    name: &'static str,
    mode: &'static str,
    stack: &str,
    config: &'static str,
    roles: &ServiceRoles,
) -> Action {
    Action {
        name,
        category: "Deploy",
        provider: "CloudFormation",
        input_artifacts: Some(vec!["BuildArtifact"]),
        output_artifacts: vec![],
        configuration: vec![
            ("ActionMode", Expr::from(mode)),
            ("Capabilities", Expr::from("CAPABILITY_NAMED_IAM")),
            ("RoleArn", roles.cloudformation.clone()),
            ("StackName", Expr::interpolated(stack)),
            (
                "TemplateConfiguration",
                Expr::from(format!("BuildArtifact::{config}").as_str()),
            ),
            (
                "TemplatePath",
                Expr::from(format!("BuildArtifact::{TEMPLATE_EXPORT}").as_str()),
            ),
        ],
        run_order: 1,
    }
}

/// CD: the deploy repository's branch, the deploy build, staging (deploy,
/// test, manual approval), then prod.
fn cd_pipeline(
    flavor: Flavor,
    roles: &ServiceRoles,
    names: &Names,
    code: &Code,
    [deploybuild, testbuild]: [&CodeBuildProject; 2],
    notification: Option<Expr>,
    key: Option<Expr>,
) -> CodePipeline {
    let mut approval_settings = vec![(
        "CustomData",
        Expr::from("Approve this model for Production"),
    )];
    approval_settings.extend(notification.map(|topic| ("NotificationArn", topic)));
    let staging = Stage {
        name: "DeployStaging",
        actions: vec![
            deploy_action(
                "DeployResourcesStaging",
                "REPLACE_ON_FAILURE",
                names.staging_stack,
                STAGING_CONFIG_EXPORT,
                roles,
            ),
            Action {
                name: "TestStaging",
                category: "Build",
                provider: "CodeBuild",
                input_artifacts: Some(vec!["SourceArtifact", "BuildArtifact"]),
                output_artifacts: vec!["TestArtifact"],
                configuration: vec![
                    ("ProjectName", testbuild.reference_to("name")),
                    ("PrimarySource", Expr::from("SourceArtifact")),
                ],
                run_order: 2,
            },
            Action {
                name: "ApproveDeployment",
                category: "Approval",
                provider: "Manual",
                input_artifacts: None,
                output_artifacts: vec![],
                configuration: approval_settings,
                run_order: 3,
            },
        ],
    };
    let prod = Stage {
        name: "DeployProd",
        actions: vec![deploy_action(
            "DeployResourcesProd",
            "CREATE_UPDATE",
            names.prod_stack,
            PROD_CONFIG_EXPORT,
            roles,
        )],
    };
    let (pipeline_type, triggers) = code.triggers(1);
    CodePipeline {
        pipeline_type,
        triggers,
        ..pipeline(
            flavor,
            "sm_cd_pipeline",
            names.pipelines[1],
            roles,
            key,
            vec![
                code.source_stage(flavor, 1),
                build_stage(deploybuild),
                staging,
                prod,
            ],
        )
    }
}

/// The target that starts `pipeline` when `rule` matches, as the events role.
fn start(
    label: &str,
    rule: &EventRule,
    pipeline: &CodePipeline,
    role_arn: &Expr,
    target_id: Expr,
) -> EventTarget {
    EventTarget {
        label: label.into(),
        rule: rule.reference_to("name"),
        target_id,
        arn: pipeline.reference_to("arn"),
        role_arn: role_arn.clone(),
    }
}

/// `hardened`: a change to the branch of a repository starts its pipeline,
/// as AWS recommends for CodeCommit sources instead of polling.
fn source_rule(
    which: &'static str,
    repository: &CodeCommitRepository,
    pipeline: &CodePipeline,
    what: &str,
    roles: &ServiceRoles,
) -> (EventRule, EventTarget) {
    let variable = format!("${{var.{which}_repository_name}}");
    let rule = EventRule {
        label: format!("{which}_repository_change"),
        name: Expr::interpolated(&format!(
            "${{local.sagemaker_project}}-{which}-source-${{var.env}}"
        )),
        description: Expr::interpolated(&format!(
            "Start the {what} pipeline on a change to ${{var.repository_branch}} of {variable}"
        )),
        event_pattern: Expr::object([
            ("source", Expr::list([Expr::from("aws.codecommit")])),
            (
                "detail-type",
                Expr::list([Expr::from("CodeCommit Repository State Change")]),
            ),
            ("resources", Expr::list([repository.reference_to("arn")])),
            (
                "detail",
                Expr::object([
                    (
                        "event",
                        Expr::list([
                            Expr::from("referenceCreated"),
                            Expr::from("referenceUpdated"),
                        ]),
                    ),
                    ("referenceType", Expr::list([Expr::from("branch")])),
                    (
                        "referenceName",
                        Expr::list([Expr::reference("var.repository_branch")]),
                    ),
                ]),
            ),
        ]),
    };
    let target_id = match which {
        "build" => "StartModelBuildPipeline",
        _ => "StartModelDeployPipeline",
    };
    let target = start(
        &rule.label,
        &rule,
        pipeline,
        &roles.events,
        Expr::from(target_id),
    );
    (rule, target)
}

/// A model package of the project changing status starts the CD pipeline.
/// `seed` is upstream's rule: any state change of a package of the group
/// (`sm_model_registry_rule`, fixed name, as the foundation role).
/// `hardened` fires on Approved only (a rejected or new package must not
/// start a deployment), names the rule after the project and environment,
/// and starts the pipeline as the EventBridge role.
fn model_registry_rule(
    profile: Profile,
    names: &Names,
    cd: &CodePipeline,
    roles: &ServiceRoles,
) -> (EventRule, EventTarget) {
    let project = names.sagemaker_project;
    let group = (
        "ModelPackageGroupName",
        Expr::list([Expr::interpolated(project)]),
    );
    let (name, description, detail, target_id) = match profile {
        Profile::Seed => (
            Expr::from("sm-model-registry-event-rule"),
            Expr::from("Capture new model registry"),
            Expr::object([group]),
            Expr::interpolated("sagemaker-${var.project_name}-registry-trigger"),
        ),
        Profile::Hardened => (
            Expr::interpolated(&format!("{project}-model-approval-${{var.env}}")),
            Expr::interpolated(&format!(
                "Start the model deploy pipeline when a model package of {project} is approved"
            )),
            Expr::object([
                group,
                ("ModelApprovalStatus", Expr::list([Expr::from("Approved")])),
            ]),
            Expr::from("StartModelDeployPipeline"),
        ),
    };
    let rule = EventRule {
        label: "sm_model_registry_rule".into(),
        name,
        description,
        event_pattern: Expr::object([
            ("source", Expr::list([Expr::from("aws.sagemaker")])),
            (
                "detail-type",
                Expr::list([Expr::from("SageMaker Model Package State Change")]),
            ),
            ("detail", detail),
        ]),
    };
    let target = start("sm_model_registry", &rule, cd, &roles.events, target_id);
    (rule, target)
}

#[cfg(test)]
mod tests {
    use crate::error::Origin;
    use crate::model::{Block, BodyItem};
    use crate::stack::{Profile, Stack, StackInput, VARIABLES};

    fn variables_used(block: &Block, found: &mut Vec<String>) {
        for item in &block.body.items {
            match item {
                BodyItem::Attribute(attribute) => {
                    for path in attribute.value.references() {
                        if let [scope, name] = path
                            && scope == "var"
                        {
                            found.push(name.clone());
                        }
                    }
                }
                BodyItem::Block(nested) => variables_used(nested, found),
                BodyItem::Comment(_) => {}
            }
        }
    }

    #[test]
    fn with_the_pipeline_every_variable_feeds_a_resource_in_both_profiles() {
        for profile in Profile::ALL {
            let stack = Stack::build(StackInput {
                environment: "prod".into(),
                profile,
                origin: Origin::BuiltIn("test".into()),
                settings: Vec::new(),
                pipeline: true,
                remote: Default::default(),
                deletion_protection: true,
                source: Default::default(),
                approval: None,
            });
            let mut found = Vec::new();
            for item in &stack.items {
                for block in item.blocks() {
                    if block.kind == "resource"
                        || block.kind == "locals"
                        || block.kind == "provider"
                    {
                        variables_used(&block, &mut found);
                    }
                }
            }
            for spec in VARIABLES.iter() {
                assert!(
                    found.iter().any(|name| name == spec.name),
                    "{profile}: var.{} feeds nothing",
                    spec.name
                );
            }
        }
    }

    fn connection_stack(
        profile: Profile,
        connection_arn: Option<&str>,
        output_format: crate::stack::source::OutputFormat,
    ) -> Stack {
        use crate::stack::source::{Approval, ConnectionSource, GitProvider, PipelineSource};
        Stack::build(StackInput {
            environment: "staging".into(),
            profile,
            origin: Origin::BuiltIn("test".into()),
            settings: Vec::new(),
            pipeline: true,
            remote: Default::default(),
            deletion_protection: true,
            source: PipelineSource::Connection(ConnectionSource {
                provider: GitProvider::GitHub,
                build_repository: "example-org/model-build".into(),
                deploy_repository: "example-org/model-deploy".into(),
                connection_arn: connection_arn.map(str::to_string),
                file_paths: vec!["pipelines/**".into()],
                output_format,
                origin: Origin::BuiltIn("test source".into()),
            }),
            approval: Some(Approval {
                notify: vec!["a@example.com".into(), "b@example.com".into()],
            }),
        })
    }

    fn addresses(stack: &Stack) -> Vec<String> {
        stack
            .document()
            .blocks
            .iter()
            .filter(|block| block.kind == "resource" || block.kind == "data")
            .map(|block| block.address())
            .collect()
    }

    fn statements(stack: &Stack, field: &str) -> Vec<(String, Vec<String>, Vec<String>)> {
        let policy = stack
            .policies()
            .into_iter()
            .find(|policy| policy.field == field)
            .unwrap_or_else(|| panic!("{field}"));
        policy
            .document
            .statements
            .iter()
            .map(|statement| {
                let strings = |values: Option<&crate::policy::Scoped<crate::policy::Values>>| {
                    values
                        .map(|scoped| {
                            scoped
                                .values
                                .items()
                                .iter()
                                .map(|item| stack.evaluate(item).unwrap_or_default())
                                .collect()
                        })
                        .unwrap_or_default()
                };
                (
                    statement.sid.clone().unwrap_or_default(),
                    strings(statement.action.as_ref()),
                    strings(statement.resource.as_ref()),
                )
            })
            .collect()
    }

    const CONNECTION_ARN: &str = "arn:aws:codestar-connections:us-east-1:123456789012:connection/00000000-0000-0000-0000-000000000000";

    #[test]
    fn a_connection_source_replaces_the_repositories_mirror_and_source_rules() {
        use crate::stack::resources::{CodePipeline, EventRule};
        use crate::stack::source::OutputFormat;
        for profile in Profile::ALL {
            let stack = connection_stack(profile, None, OutputFormat::CodeZip);
            let all = addresses(&stack);
            assert!(all.contains(&"aws_codestarconnections_connection.source".to_string()));
            for gone in ["aws_codecommit_repository", "aws_iam_user", "aws_iam_group"] {
                assert!(
                    !all.iter().any(|address| address.starts_with(gone)),
                    "{profile}: {gone} in {all:?}"
                );
            }
            let rules: Vec<&str> = stack
                .items_of::<EventRule>()
                .map(|rule| rule.label.as_str())
                .collect();
            assert_eq!(rules, ["sm_model_registry_rule"], "{profile}");
            let removed: Vec<String> = stack
                .document()
                .blocks
                .iter()
                .filter(|block| block.kind == "removed")
                .map(|block| format!("{:?}", block.body.attribute("from")))
                .collect();
            assert_eq!(removed.len(), 4, "{profile}: {removed:?}");
            for pipeline in stack.items_of::<CodePipeline>() {
                assert_eq!(pipeline.pipeline_type, Some("V2"));
                let [trigger] = pipeline.triggers.as_slice() else {
                    panic!("one trigger")
                };
                let source = pipeline.actions().next().unwrap();
                assert_eq!(source.provider, "CodeStarSourceConnection");
                assert_eq!(trigger.source_action, source.name);
                assert_eq!(
                    stack
                        .evaluate(source.setting("ConnectionArn").unwrap())
                        .as_deref(),
                    Some(CONNECTION_ARN)
                );
                let paths: &[&str] = match pipeline.label.as_str() {
                    "sm_ci_pipeline" => &["pipelines/**"],
                    _ => &[],
                };
                assert_eq!(trigger.file_paths, paths, "{}", pipeline.label);
            }
            let cd = stack
                .item::<CodePipeline>("aws_codepipeline.sm_cd_pipeline")
                .unwrap();
            let approve = cd
                .actions()
                .find(|action| action.category == "Approval")
                .unwrap();
            assert_eq!(
                stack.evaluate(approve.setting("NotificationArn").unwrap()),
                stack.resolve(&["aws_sns_topic".into(), "approval".into(), "arn".into()])
            );
            assert!(crate::validate::validate(&stack).is_empty(), "{profile}");
            let notes = crate::validate::advice(&stack);
            assert!(
                notes
                    .iter()
                    .any(|note| note.rule == "codeconnections-connection-pending"
                        && note.severity == crate::error::Severity::Note
                        && note.help.contains("Update pending connection")
                        && note.help.contains("aws codeconnections get-connection")),
                "{profile}: {notes:?}"
            );
        }
    }

    #[test]
    fn only_the_roles_that_use_the_connection_and_the_topic_are_granted_them() {
        use crate::stack::source::OutputFormat;
        let stack = connection_stack(Profile::Hardened, None, OutputFormat::CodeZip);
        let topic = stack
            .resolve(&["aws_sns_topic".into(), "approval".into(), "arn".into()])
            .unwrap();
        let use_connection = vec![
            "codeconnections:UseConnection".to_string(),
            "codestar-connections:UseConnection".to_string(),
        ];
        let pipeline = statements(&stack, "aws_iam_policy.codepipeline.policy");
        assert!(pipeline.contains(&(
            "SourceConnection".into(),
            use_connection.clone(),
            vec![CONNECTION_ARN.into()]
        )));
        assert!(pipeline.contains(&(
            "NotifyApprovers".into(),
            vec!["sns:Publish".into()],
            vec![topic.clone()]
        )));
        for policy in stack.policies() {
            let granted = statements(&stack, &policy.field);
            for (sid, actions, _) in &granted {
                assert!(
                    !actions
                        .iter()
                        .any(|action| action.starts_with("codecommit:")),
                    "{}: {sid}",
                    policy.field
                );
            }
            let grants_connection = granted.iter().any(|(_, actions, _)| {
                actions
                    .iter()
                    .any(|action| action.ends_with(":UseConnection"))
            });
            assert_eq!(
                grants_connection,
                policy.field == "aws_iam_policy.codepipeline.policy",
                "{}",
                policy.field
            );
        }
        assert_eq!(
            statements(&stack, "aws_iam_policy.events.policy")[0].2,
            [stack
                .resolve(&[
                    "aws_codepipeline".into(),
                    "sm_cd_pipeline".into(),
                    "arn".into()
                ])
                .unwrap()]
        );
        // Cloning through the connection: the CodeBuild role uses it too.
        let cloning = connection_stack(Profile::Hardened, None, OutputFormat::CodeBuildCloneRef);
        assert!(
            statements(&cloning, "aws_iam_policy.codebuild.policy").contains(&(
                "CloneThroughConnection".into(),
                use_connection.clone(),
                vec![CONNECTION_ARN.into()]
            ))
        );
        // seed's one role gets a policy of its own for both.
        let seed = connection_stack(Profile::Seed, None, OutputFormat::CodeZip);
        let own = statements(
            &seed,
            "aws_iam_policy.tf_mlops_pipeline_source_policy.policy",
        );
        assert_eq!(own.len(), 2, "{own:?}");
        assert!(
            addresses(&seed).contains(
                &"aws_iam_role_policy_attachment.tf_mlops_pipeline_source_policy_attachment"
                    .to_string()
            )
        );
    }

    #[test]
    fn an_existing_connection_is_looked_up_not_created() {
        use crate::stack::source::OutputFormat;
        let arn = "arn:aws:codeconnections:us-east-1:123456789012:connection/0a1b2c3d-4e5f-6789-abcd-ef0123456789";
        let stack = connection_stack(Profile::Hardened, Some(arn), OutputFormat::CodeZip);
        let all = addresses(&stack);
        assert!(all.contains(&"data.aws_codestarconnections_connection.source".to_string()));
        assert!(!all.contains(&"aws_codestarconnections_connection.source".to_string()));
        let pipeline = statements(&stack, "aws_iam_policy.codepipeline.policy");
        assert!(pipeline.iter().any(
            |(sid, _, resources)| sid == "SourceConnection" && resources == &[arn.to_string()]
        ));
        // Nothing is created PENDING, so there is nothing to approve.
        assert!(crate::validate::advice(&stack).is_empty());
        let removed = stack
            .document()
            .blocks
            .iter()
            .filter(|block| block.kind == "removed")
            .count();
        assert_eq!(removed, 4);
    }
}
