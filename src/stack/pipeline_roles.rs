//! `hardened`'s roles for the pipeline: one per service, each trusting that
//! service alone and only on behalf of this account (`aws:SourceAccount`),
//! with a managed policy derived from the resources it works on. Every ARN is
//! a reference to a resource of the stack or built from a name it defines
//! (`var.*`, `local.*`); where AWS names a resource (stack IDs, job names,
//! scalable targets) or owns it (SageMaker's framework images) the statement
//! says so in a comment, and actions AWS authorizes only on `*` stand in a
//! statement of their own with a comment saying why.
//!
//! The foundation's `aws_iam_role.tf_mlops_role` becomes the SageMaker
//! execution role the builds hand on ([`sagemaker_trust_policy`],
//! [`sagemaker_execution_policy`]); the four other services get the roles
//! of [`items`]. The reasoning per role is in docs/hardened.md.

use super::StackItem;
use super::pipeline::ServiceRoles;
use super::resources::{IamPolicy, IamRole, RolePolicyAttachment};
use super::seed::boxed;
use crate::model::Expr;
use crate::policy::{PolicyDocument, Statement, Values, many, one};

/// The foundation role, which runs SageMaker's jobs when the pipeline is on.
const SAGEMAKER_ROLE_ARN: &str = "${aws_iam_role.tf_mlops_role.arn}";
const ARTIFACTS_BUCKET_ARN: &str = "${aws_s3_bucket.artifacts_bucket.arn}";
const ARTIFACTS_OBJECTS_ARN: &str = "${aws_s3_bucket.artifacts_bucket.arn}/*";
const ARTIFACTS_KEY_ARN: &str = "${aws_kms_key.artifacts.arn}";

/// The roles each service acts as in `hardened`.
pub fn service_roles() -> ServiceRoles {
    let arn = |label: &str| Expr::reference(&format!("aws_iam_role.{label}.arn"));
    ServiceRoles {
        codebuild: arn("codebuild"),
        codepipeline: arn("codepipeline"),
        cloudformation: arn("cloudformation"),
        events: arn("events"),
        sagemaker: arn("tf_mlops_role"),
    }
}

/// A role trusting `service` on behalf of this account only.
fn trust(sid: &str, service: &str) -> PolicyDocument {
    PolicyDocument::new(vec![
        Statement::allow()
            .sid(sid)
            .principal("Service", one(service))
            .action(one("sts:AssumeRole"))
            .condition(
                "StringEquals",
                "aws:SourceAccount",
                one("${local.account_id}"),
            ),
    ])
}

/// The trust policy of the SageMaker execution role.
pub fn sagemaker_trust_policy() -> PolicyDocument {
    trust("TrustSageMaker", "sagemaker.amazonaws.com")
}

/// What the pipeline's source and approval ask of the roles.
#[derive(Debug, Clone, Default)]
pub struct Needs {
    /// The connection's ARN (`${aws_codestarconnections_connection.source.arn}`)
    /// when the source actions read one; `None` for CodeCommit.
    pub connection_arn: Option<String>,
    /// The builds clone through the connection (`CODEBUILD_CLONE_REF`).
    pub builds_clone: bool,
    /// The manual approval notifies `aws_sns_topic.approval`.
    pub approval_topic: bool,
}

/// The topic the manual approval publishes to.
const APPROVAL_TOPIC_ARN: &str = "${aws_sns_topic.approval.arn}";

/// Use the connection, on its ARN alone. IAM matches an action's prefix to
/// the ARN's: a connection the provider creates has a `codestar-connections`
/// ARN, one created in the console since July 2024 a `codeconnections` one,
/// so both actions are granted and the other grants nothing more.
fn use_connection(sid: &str, arn: &str) -> Statement {
    Statement::allow()
        .comment("The connection's ARN has the prefix AWS gave it at creation (codestar-connections or codeconnections); IAM matches the action's prefix to it, so both are granted on this ARN alone.")
        .sid(sid)
        .action(many([
            "codeconnections:UseConnection",
            "codestar-connections:UseConnection",
        ]))
        .resource(one(arn))
}

fn publish_approvals() -> Statement {
    Statement::allow()
        .sid("NotifyApprovers")
        .action(one("sns:Publish"))
        .resource(one(APPROVAL_TOPIC_ARN))
}

/// `seed`'s one role runs every service with upstream's policy, which has
/// no grant to use a connection or to publish: a policy of its own, attached
/// to the role, when the source or the approval needs one (none otherwise).
pub fn seed_source_policy(needs: &Needs) -> Vec<Box<dyn StackItem>> {
    let mut statements = Vec::new();
    if let Some(arn) = &needs.connection_arn {
        statements.push(use_connection("SourceConnection", arn));
    }
    if needs.approval_topic {
        statements.push(publish_approvals());
    }
    if statements.is_empty() {
        return Vec::new();
    }
    let policy = IamPolicy {
        label: "tf_mlops_pipeline_source_policy".into(),
        name: Expr::interpolated("tf-mlops-pipeline-source-policy-${var.env}"),
        path: "/".into(),
        description: Expr::interpolated(
            "What the pipelines' source connection and approval notification need (${var.env})",
        ),
        document: PolicyDocument::new(statements),
        file: super::StackFile::IAM_ROLES,
    };
    let attachment = RolePolicyAttachment::of(
        &policy.label,
        Expr::reference("aws_iam_role.tf_mlops_role.name"),
    );
    vec![boxed(policy), boxed(attachment)]
}

/// The roles of CodePipeline, CodeBuild, CloudFormation and EventBridge,
/// each with its policy and the attachment.
pub fn items(needs: &Needs) -> Vec<Box<dyn StackItem>> {
    let events = match needs.connection_arn {
        None => "What the source and model-approval rules start (${var.env})",
        Some(_) => "What the model-approval rule starts (${var.env})",
    };
    [
        (
            "codepipeline",
            "TrustCodePipeline",
            "codepipeline.amazonaws.com",
            "What the CI and CD pipelines do (${var.env})",
            codepipeline_policy(needs),
        ),
        (
            "codebuild",
            "TrustCodeBuild",
            "codebuild.amazonaws.com",
            "What the model build, model deploy and staging test builds do (${var.env})",
            codebuild_policy(needs),
        ),
        (
            "cloudformation",
            "TrustCloudFormation",
            "cloudformation.amazonaws.com",
            "What the staging and prod endpoint stacks create (${var.env})",
            cloudformation_policy(),
        ),
        (
            "events",
            "TrustEventBridge",
            "events.amazonaws.com",
            events,
            events_policy(needs),
        ),
    ]
    .into_iter()
    .flat_map(|(label, sid, service, description, document)| {
        let name = Expr::interpolated(&format!("tf-mlops-{label}-${{var.env}}"));
        let role = IamRole {
            label: label.into(),
            name: name.clone(),
            path: "/service-role/".into(),
            max_session_duration: 3600,
            force_detach_policies: false,
            trust_policy: trust(sid, service),
        };
        let policy = IamPolicy {
            label: label.into(),
            name,
            path: "/service-role/".into(),
            description: Expr::interpolated(description),
            document,
            file: super::StackFile::IAM_ROLES,
        };
        let attachment = RolePolicyAttachment::of(label, role.reference_to("name"));
        [boxed(role), boxed(policy), boxed(attachment)]
    })
    .collect()
}

/// Read and write the artifacts (objects and bucket) with the key.
fn artifacts(object_actions: &[&str], bucket_actions: &[&str]) -> [Statement; 3] {
    [
        Statement::allow()
            .sid("ArtifactsObjects")
            .action(strings(object_actions))
            .resource(one(ARTIFACTS_OBJECTS_ARN)),
        Statement::allow()
            .sid("ArtifactsBucket")
            .action(strings(bucket_actions))
            .resource(one(ARTIFACTS_BUCKET_ARN)),
        Statement::allow()
            .sid("ArtifactsKey")
            .action(many([
                "kms:Decrypt",
                "kms:DescribeKey",
                "kms:Encrypt",
                "kms:GenerateDataKey",
            ]))
            .resource(one(ARTIFACTS_KEY_ARN)),
    ]
}

fn strings(values: &[&str]) -> Values {
    Values::Many(
        values
            .iter()
            .map(|value| Expr::interpolated(value))
            .collect(),
    )
}

fn pass_role(sid: &str, role_arn: &str, services: &[&str]) -> Statement {
    let passed_to = match services {
        [service] => one(service),
        _ => strings(services),
    };
    Statement::allow()
        .sid(sid)
        .action(one("iam:PassRole"))
        .resource(one(role_arn))
        .condition("StringEquals", "iam:PassedToService", passed_to)
}

pub fn codepipeline_policy(needs: &Needs) -> PolicyDocument {
    let mut statements = artifacts(
        &["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"],
        &[
            "s3:GetBucketLocation",
            "s3:GetBucketVersioning",
            "s3:ListBucket",
        ],
    )
    .to_vec();
    statements.push(match &needs.connection_arn {
        None => Statement::allow()
            .sid("SourceRepositories")
            .action(many([
                "codecommit:CancelUploadArchive",
                "codecommit:GetBranch",
                "codecommit:GetCommit",
                "codecommit:GetRepository",
                "codecommit:GetUploadArchiveStatus",
                "codecommit:UploadArchive",
            ]))
            .resource(many([
                "${aws_codecommit_repository.build.arn}",
                "${aws_codecommit_repository.deploy.arn}",
            ])),
        Some(arn) => use_connection("SourceConnection", arn),
    });
    statements.extend([
        Statement::allow()
            .sid("RunBuilds")
            .action(many(["codebuild:BatchGetBuilds", "codebuild:StartBuild"]))
            .resource(many([
                "${aws_codebuild_project.tf_mlops_modelbuild.arn}",
                "${aws_codebuild_project.tf_mlops_deploybuild.arn}",
                "${aws_codebuild_project.tf_mlops_testbuild.arn}",
            ])),
        Statement::allow()
            .comment("A stack's ARN ends in an ID CloudFormation assigns: the name is ours.")
            .sid("DeployStacks")
            .action(many([
                "cloudformation:CreateChangeSet",
                "cloudformation:CreateStack",
                "cloudformation:DeleteChangeSet",
                "cloudformation:DeleteStack",
                "cloudformation:DescribeChangeSet",
                "cloudformation:DescribeStacks",
                "cloudformation:ExecuteChangeSet",
                "cloudformation:SetStackPolicy",
                "cloudformation:UpdateStack",
            ]))
            .resource(many([
                "arn:aws:cloudformation:${var.region}:${local.account_id}:stack/${local.staging_stack}/*",
                "arn:aws:cloudformation:${var.region}:${local.account_id}:stack/${local.prod_stack}/*",
            ])),
        pass_role(
            "PassDeployRoleToCloudFormation",
            "${aws_iam_role.cloudformation.arn}",
            &["cloudformation.amazonaws.com"],
        ),
        Statement::allow()
            .comment("AWS authorizes ValidateTemplate on \"*\" only: it reads a template, no stack.")
            .sid("ValidateTemplatesUnscopable")
            .action(one("cloudformation:ValidateTemplate"))
            .resource(one("*")),
    ]);
    if needs.approval_topic {
        statements.push(publish_approvals());
    }
    PolicyDocument::new(statements)
}

pub fn codebuild_policy(needs: &Needs) -> PolicyDocument {
    let mut statements = vec![
        Statement::allow()
            .sid("BuildLogs")
            .action(many(["logs:CreateLogStream", "logs:PutLogEvents"]))
            .resource(many([
                "${aws_cloudwatch_log_group.modelbuild.arn}:*",
                "${aws_cloudwatch_log_group.deploybuild.arn}:*",
                "${aws_cloudwatch_log_group.testbuild.arn}:*",
            ])),
    ];
    statements.extend(artifacts(
        &["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"],
        &["s3:GetBucketLocation", "s3:ListBucket"],
    ));
    statements.extend([
        Statement::allow()
            .sid("SageMakerPipelineOfTheProject")
            .action(many([
                "sagemaker:AddTags",
                "sagemaker:CreatePipeline",
                "sagemaker:DescribePipeline",
                "sagemaker:DescribePipelineExecution",
                "sagemaker:ListPipelineExecutionSteps",
                "sagemaker:ListTags",
                "sagemaker:StartPipelineExecution",
                "sagemaker:UpdatePipeline",
            ]))
            .resource(many([
                "arn:aws:sagemaker:${var.region}:${local.account_id}:pipeline/${local.sagemaker_project}",
                "arn:aws:sagemaker:${var.region}:${local.account_id}:pipeline/${local.sagemaker_project}/execution/*",
            ])),
        Statement::allow()
            .sid("ModelRegistryOfTheProject")
            .action(many([
                "sagemaker:DescribeModelPackage",
                "sagemaker:DescribeModelPackageGroup",
                "sagemaker:ListModelPackages",
            ]))
            .resource(many([
                "arn:aws:sagemaker:${var.region}:${local.account_id}:model-package-group/${local.sagemaker_project}",
                "arn:aws:sagemaker:${var.region}:${local.account_id}:model-package/${local.sagemaker_project}/*",
            ])),
        Statement::allow()
            .comment("The staging test calls the endpoint the staging stack creates, named \"<project_name>-<stage>\" by the deploy repository's template.")
            .sid("StagingEndpointTest")
            .action(many(["sagemaker:DescribeEndpoint", "sagemaker:InvokeEndpoint"]))
            .resource(one(
                "arn:aws:sagemaker:${var.region}:${local.account_id}:endpoint/${var.project_name}-*",
            )),
        pass_role(
            "PassExecutionRoleToSageMaker",
            SAGEMAKER_ROLE_ARN,
            &["sagemaker.amazonaws.com"],
        ),
    ]);
    if let (Some(arn), true) = (&needs.connection_arn, needs.builds_clone) {
        statements.push(use_connection("CloneThroughConnection", arn));
    }
    PolicyDocument::new(statements)
}

pub fn cloudformation_policy() -> PolicyDocument {
    PolicyDocument::new(vec![
        Statement::allow()
            .sid("PackagedTemplates")
            .action(one("s3:GetObject"))
            .resource(one(ARTIFACTS_OBJECTS_ARN)),
        Statement::allow()
            .sid("ArtifactsKey")
            .action(many(["kms:Decrypt", "kms:DescribeKey"]))
            .resource(one(ARTIFACTS_KEY_ARN)),
        Statement::allow()
            .comment("The template leaves the model and endpoint config unnamed, so CloudFormation names them: the account and region are ours.")
            .sid("ModelsAndEndpointConfigs")
            .action(many([
                "sagemaker:AddTags",
                "sagemaker:CreateEndpointConfig",
                "sagemaker:CreateModel",
                "sagemaker:DeleteEndpointConfig",
                "sagemaker:DeleteModel",
                "sagemaker:DescribeEndpointConfig",
                "sagemaker:DescribeModel",
            ]))
            .resource(many([
                "arn:aws:sagemaker:${var.region}:${local.account_id}:model/*",
                "arn:aws:sagemaker:${var.region}:${local.account_id}:endpoint-config/*",
            ])),
        Statement::allow()
            .sid("EndpointsOfTheProject")
            .action(many([
                "sagemaker:AddTags",
                "sagemaker:CreateEndpoint",
                "sagemaker:DeleteEndpoint",
                "sagemaker:DeleteTags",
                "sagemaker:DescribeEndpoint",
                "sagemaker:UpdateEndpoint",
            ]))
            .resource(one(
                "arn:aws:sagemaker:${var.region}:${local.account_id}:endpoint/${var.project_name}-*",
            )),
        Statement::allow()
            .sid("ApprovedModelPackages")
            .action(one("sagemaker:DescribeModelPackage"))
            .resource(one(
                "arn:aws:sagemaker:${var.region}:${local.account_id}:model-package/${local.sagemaker_project}/*",
            )),
        pass_role(
            "PassExecutionRoleToModelsAndScaling",
            SAGEMAKER_ROLE_ARN,
            &[
                "application-autoscaling.amazonaws.com",
                "sagemaker.amazonaws.com",
            ],
        ),
        Statement::allow()
            .comment("A scalable target's ARN ends in an ID Application Auto Scaling assigns.")
            .sid("EndpointAutoScaling")
            .action(many([
                "application-autoscaling:DeleteScalingPolicy",
                "application-autoscaling:DeregisterScalableTarget",
                "application-autoscaling:PutScalingPolicy",
                "application-autoscaling:RegisterScalableTarget",
            ]))
            .resource(one(
                "arn:aws:application-autoscaling:${var.region}:${local.account_id}:scalable-target/*",
            )),
        Statement::allow()
            .sid("EndpointAutoScalingServiceLinkedRole")
            .action(one("iam:CreateServiceLinkedRole"))
            .resource(one(
                "arn:aws:iam::${local.account_id}:role/aws-service-role/sagemaker.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint",
            ))
            .condition(
                "StringLike",
                "iam:AWSServiceName",
                one("sagemaker.application-autoscaling.amazonaws.com"),
            ),
        Statement::allow()
            .comment("AWS authorizes these Describe calls on \"*\" only.")
            .sid("AutoScalingDescribeUnscopable")
            .action(many([
                "application-autoscaling:DescribeScalableTargets",
                "application-autoscaling:DescribeScalingPolicies",
            ]))
            .resource(one("*")),
    ])
}

/// The rules start both pipelines on a CodeCommit source; with a
/// connection the git triggers start them, and only the model-approval
/// rule (the CD pipeline) is left.
pub fn events_policy(needs: &Needs) -> PolicyDocument {
    let pipelines = match needs.connection_arn {
        None => many([
            "${aws_codepipeline.sm_ci_pipeline.arn}",
            "${aws_codepipeline.sm_cd_pipeline.arn}",
        ]),
        Some(_) => one("${aws_codepipeline.sm_cd_pipeline.arn}"),
    };
    PolicyDocument::new(vec![
        Statement::allow()
            .sid("StartPipelines")
            .action(one("codepipeline:StartPipelineExecution"))
            .resource(pipelines),
    ])
}

/// What the SageMaker pipeline, its jobs and the endpoints' models do, as
/// the foundation role: the design's execution policy, in place of the
/// foundation's broader `tf_mlops_sagemaker_policy` (which granted every
/// pipeline, job, endpoint and experiment of the account).
pub fn sagemaker_execution_policy() -> PolicyDocument {
    let mut statements = artifacts(
        &["s3:DeleteObject", "s3:GetObject", "s3:PutObject"],
        &["s3:GetBucketLocation", "s3:ListBucket"],
    )
    .to_vec();
    statements.extend([
        Statement::allow()
            .comment("SageMaker Pipelines names each step's job \"pipelines-<execution>-<step>\".")
            .sid("PipelineJobs")
            .action(many([
                "sagemaker:AddTags",
                "sagemaker:CreateProcessingJob",
                "sagemaker:CreateTrainingJob",
                "sagemaker:CreateTransformJob",
                "sagemaker:DescribeProcessingJob",
                "sagemaker:DescribeTrainingJob",
                "sagemaker:DescribeTransformJob",
                "sagemaker:StopProcessingJob",
                "sagemaker:StopTrainingJob",
                "sagemaker:StopTransformJob",
            ]))
            .resource(many([
                "arn:aws:sagemaker:${var.region}:${local.account_id}:processing-job/pipelines-*",
                "arn:aws:sagemaker:${var.region}:${local.account_id}:training-job/pipelines-*",
                "arn:aws:sagemaker:${var.region}:${local.account_id}:transform-job/pipelines-*",
            ])),
        Statement::allow()
            .sid("RegisterModelsOfTheProject")
            .action(many([
                "sagemaker:AddTags",
                "sagemaker:CreateModelPackage",
                "sagemaker:CreateModelPackageGroup",
                "sagemaker:DescribeModelPackage",
                "sagemaker:DescribeModelPackageGroup",
                "sagemaker:UpdateModelPackage",
            ]))
            .resource(many([
                "arn:aws:sagemaker:${var.region}:${local.account_id}:model-package-group/${local.sagemaker_project}",
                "arn:aws:sagemaker:${var.region}:${local.account_id}:model-package/${local.sagemaker_project}/*",
            ])),
        pass_role(
            "PassItselfToPipelineJobs",
            SAGEMAKER_ROLE_ARN,
            &["sagemaker.amazonaws.com"],
        ),
        Statement::allow()
            .sid("JobAndEndpointLogs")
            .action(many([
                "logs:CreateLogGroup",
                "logs:CreateLogStream",
                "logs:DescribeLogStreams",
                "logs:PutLogEvents",
            ]))
            .resource(many([
                "arn:aws:logs:${var.region}:${local.account_id}:log-group:/aws/sagemaker/ProcessingJobs:*",
                "arn:aws:logs:${var.region}:${local.account_id}:log-group:/aws/sagemaker/TrainingJobs:*",
                "arn:aws:logs:${var.region}:${local.account_id}:log-group:/aws/sagemaker/TransformJobs:*",
                "arn:aws:logs:${var.region}:${local.account_id}:log-group:/aws/sagemaker/Endpoints/${var.project_name}-*",
            ])),
        Statement::allow()
            .comment("SageMaker's framework images (XGBoost, scikit-learn) live in accounts AWS owns, one per region, which this stack cannot name: the account part is \"*\", the region and repository prefix are not.")
            .sid("PullSageMakerFrameworkImages")
            .action(many([
                "ecr:BatchCheckLayerAvailability",
                "ecr:BatchGetImage",
                "ecr:GetDownloadUrlForLayer",
            ]))
            .resource(one("arn:aws:ecr:${var.region}:*:repository/sagemaker-*")),
        Statement::allow()
            .comment("AWS authorizes GetAuthorizationToken (a registry login) on \"*\" only.")
            .sid("RegistryLoginUnscopable")
            .action(one("ecr:GetAuthorizationToken"))
            .resource(one("*")),
        Statement::allow()
            .comment("AWS authorizes PutMetricData on \"*\" only (metrics have no ARN); the metrics are held to SageMaker's namespaces.")
            .sid("JobMetricsUnscopable")
            .action(one("cloudwatch:PutMetricData"))
            .resource(one("*"))
            .condition("StringLike", "cloudwatch:namespace", one("/aws/sagemaker/*")),
    ]);
    PolicyDocument::new(statements)
}

#[cfg(test)]
mod tests {
    use crate::error::Origin;
    use crate::model::Expr;
    use crate::policy::Values;
    use crate::stack::{Profile, Stack, StackInput};

    /// The one statement whose ARN may hold `*` in its account part.
    const AWS_OWNED_IMAGES: &str = "PullSageMakerFrameworkImages";

    fn hardened_prod_with_pipeline() -> Stack {
        Stack::build(StackInput {
            environment: "prod".into(),
            profile: Profile::Hardened,
            origin: Origin::BuiltIn("test".into()),
            settings: Vec::new(),
            pipeline: true,
            remote: Default::default(),
            deletion_protection: true,
            source: Default::default(),
            approval: None,
        })
    }

    /// Every reference inside `expr` is a resource of the stack that
    /// resolves, or a variable or local the stack defines.
    fn references_resolve(stack: &Stack, expr: &Expr) -> bool {
        expr.references().iter().all(|path| {
            let named = matches!(path.first().map(String::as_str), Some("var" | "local"));
            stack.resolve(path).is_some() && (named || path.len() >= 3)
        })
    }

    #[test]
    fn pipeline_policies_name_the_stack_and_star_only_what_aws_owns_with_a_comment() {
        let stack = hardened_prod_with_pipeline();
        let policies = stack.policies();
        let fields: Vec<&str> = policies
            .iter()
            .map(|policy| policy.field.as_str())
            .collect();
        for expected in [
            "aws_iam_policy.codepipeline.policy",
            "aws_iam_policy.codebuild.policy",
            "aws_iam_policy.cloudformation.policy",
            "aws_iam_policy.events.policy",
            "aws_iam_policy.tf_mlops_sagemaker_policy.policy",
            "aws_kms_key.artifacts.policy",
        ] {
            assert!(fields.contains(&expected), "{expected} in {fields:?}");
        }
        let mut checked = 0;
        for policy in &policies {
            for statement in &policy.document.statements {
                let sid = statement.sid.as_deref().unwrap_or("?");
                let Some(resource) = &statement.resource else {
                    continue;
                };
                for value in resource.values.items() {
                    if value == &Expr::from("*") {
                        assert!(
                            statement.comment.is_some(),
                            "{}: {sid} grants \"*\" without saying why",
                            policy.field
                        );
                        continue;
                    }
                    assert!(
                        references_resolve(&stack, value),
                        "{}: {sid}: {value:?} names something the stack does not define",
                        policy.field
                    );
                    let arn = stack.evaluate(value).expect("the ARN resolves");
                    let parts: Vec<&str> = arn.splitn(6, ':').collect();
                    assert_eq!(parts[..2], ["arn", "aws"], "{arn}");
                    assert!(
                        !parts[3].contains('*'),
                        "{}: {sid}: region of {arn}",
                        policy.field
                    );
                    if parts[4].contains('*') {
                        assert_eq!(sid, AWS_OWNED_IMAGES, "{}: account of {arn}", policy.field);
                        assert!(statement.comment.is_some(), "{sid} says why");
                        assert_eq!(parts[4], "*", "{arn}");
                    }
                    checked += 1;
                }
            }
        }
        assert!(checked > 40, "{checked} ARNs checked");
    }

    #[test]
    fn every_role_trusts_one_service_for_this_account() {
        let stack = hardened_prod_with_pipeline();
        for role in stack.items_of::<crate::stack::resources::IamRole>() {
            let [statement] = role.trust_policy.statements.as_slice() else {
                panic!("{}: one trust statement", role.label)
            };
            let Some(crate::policy::Scoped {
                values: crate::policy::PrincipalValue::Typed(principals),
                ..
            }) = &statement.principal
            else {
                panic!("{}: a service principal", role.label)
            };
            assert!(
                matches!(principals.as_slice(), [(kind, Values::One(_))] if kind == "Service"),
                "{}: {principals:?}",
                role.label
            );
            assert_eq!(statement.condition[0].entries[0].0, "aws:SourceAccount");
        }
    }
}
