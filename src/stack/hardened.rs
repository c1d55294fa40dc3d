//! The `hardened` profile's data: the reference stack made safe.
//!
//! Same role, bucket and names as `seed`, plus the bucket protections checkov
//! expects and a least-privilege policy: S3 only on the artifacts bucket and
//! its objects, `iam:PassRole` only on the role itself and only to the
//! services that trust it, ARNs scoped to this account and region (with the
//! reference's malformed and mis-cased ones fixed), no `NotResource`, and `*`
//! kept only for the few read and list actions AWS does not scope by
//! resource. The permissions do not fit IAM's 6,144-character limit for one
//! managed policy, so SageMaker's get their own policy. The reasoning for
//! every statement is in `docs/hardened.md`.

use super::StackFile;
use super::resources::{
    AwsProvider, BucketEncryption, BucketLifecycle, BucketOwnershipControls, BucketPolicy,
    BucketPublicAccessBlock, BucketVersioning, CallerIdentity, IamPolicy, IamRole, Locals,
    RemoteStateBackend, RolePolicyAttachment, S3Bucket, TerraformSettings, Variable,
};
use super::seed::{boxed, foundation_outputs};
use super::{Profile, StackInput, StackItem, pipeline, pipeline_roles};
use crate::model::Expr;
use crate::policy::{PolicyDocument, Statement, many, one};

/// The seed stack's items made safe: the account looked up so ARNs can name
/// it, the bucket with its protections, the role with two least-privilege
/// policies.
pub fn items(input: &StackInput, variables: Vec<Variable>) -> Vec<Box<dyn StackItem>> {
    // What the bucket holds outlives a `terraform destroy` unless the
    // environment lifts its protection on purpose (README, "Deleting an
    // environment").
    let protect = input.deletion_protection;
    let bucket = S3Bucket {
        checkov_skips: CHECKOV_SKIPS.to_vec(),
        force_destroy: Some(!protect),
        prevent_destroy: protect,
        ..S3Bucket::reference()
    };
    // With the pipeline, each service gets a role of its own and the
    // foundation role becomes the SageMaker execution role the builds hand on.
    let (role, policies) = match input.pipeline {
        false => (IamRole::reference(trust_policy()), managed_policies()),
        true => (
            IamRole::reference(pipeline_roles::sagemaker_trust_policy()),
            vec![sagemaker_execution_policy()],
        ),
    };
    let attachments = policies
        .iter()
        .map(|policy| {
            boxed(RolePolicyAttachment::of(
                &policy.label,
                role.reference_to("name"),
            ))
        })
        .collect::<Vec<_>>();
    let outputs = foundation_outputs(&role, &policies.iter().collect::<Vec<_>>());
    let mut items: Vec<Box<dyn StackItem>> = vec![
        boxed(TerraformSettings),
        boxed(AwsProvider::for_input(input, &variables)),
        boxed(CallerIdentity { name: "current" }),
        boxed(Locals {
            file: StackFile::PROVIDER,
            comments: Vec::new(),
            values: vec![(
                "account_id",
                Expr::reference("data.aws_caller_identity.current.account_id"),
            )],
        }),
    ];
    items.extend(RemoteStateBackend::for_input(input).map(boxed));
    items.extend(variables.into_iter().map(boxed));
    let protections = bucket_protections(&bucket, "noncurrent-versions-and-incomplete-uploads", 90);
    items.push(boxed(bucket));
    items.extend(protections);
    items.push(boxed(role));
    items.extend(policies.into_iter().map(boxed));
    items.extend(attachments);
    let mut mirror_outputs = Vec::new();
    if input.pipeline {
        let (pipeline, outputs) = pipeline::items(
            Profile::Hardened,
            &pipeline_roles::service_roles(),
            input.deletion_protection,
            &input.source,
            input.approval.as_ref(),
        );
        items.extend(pipeline);
        mirror_outputs = outputs;
    }
    items.extend(outputs);
    items.extend(mirror_outputs);
    items
}

/// The services that assume the role: CodePipeline and CodeBuild run the
/// pipeline, CloudFormation deploys with it, SageMaker runs its jobs, and an
/// EventBridge rule that starts the pipeline needs it. The reference's
/// firehose, glue, apigateway, lambda, states and codecommit principals run
/// nothing of this stack.
pub const TRUSTED_SERVICES: [&str; 5] = [
    "cloudformation.amazonaws.com",
    "codebuild.amazonaws.com",
    "codepipeline.amazonaws.com",
    "events.amazonaws.com",
    "sagemaker.amazonaws.com",
];

pub fn trust_policy() -> PolicyDocument {
    PolicyDocument::new(vec![
        Statement::allow()
            .sid("TrustPipelineServices")
            .action(one("sts:AssumeRole"))
            .principal("Service", many(TRUSTED_SERVICES)),
    ])
}

/// checkov checks that do not apply to the artifacts bucket, with the reason.
const CHECKOV_SKIPS: [(&str, &str); 3] = [
    (
        "CKV_AWS_18",
        "access logs belong in a central, account-level log bucket outside this stack",
    ),
    (
        "CKV_AWS_144",
        "artifacts are rebuilt from the source repositories and kept by versioning; replication needs a second region",
    ),
    (
        "CKV2_AWS_62",
        "nothing in this stack consumes bucket events; the pipeline is started by its source, not by S3",
    ),
];

/// The resources that protect the artifacts bucket: public access blocked,
/// ACLs off, versioning, SSE-KMS, TLS only, and a lifecycle for old versions.
///
/// The lifecycle rule `rule_id` expires noncurrent versions after
/// `noncurrent_days` and aborts uploads left incomplete for 7 days.
pub fn bucket_protections(
    bucket: &S3Bucket,
    rule_id: &'static str,
    noncurrent_days: i64,
) -> Vec<Box<dyn StackItem>> {
    let label = || bucket.label.clone();
    let id = || bucket.reference_to("id");
    let public_access_block = BucketPublicAccessBlock {
        label: label(),
        bucket: id(),
    };
    let versioning = BucketVersioning {
        label: label(),
        bucket: id(),
        status: "Enabled",
    };
    let arn = format!("${{aws_s3_bucket.{}.arn}}", bucket.label);
    let policy = BucketPolicy {
        label: label(),
        bucket: id(),
        document: PolicyDocument::new(vec![
            Statement::deny()
                .sid("DenyInsecureTransport")
                .any_principal()
                .action(one("s3:*"))
                // checkov 3.3.30 evaluates the policy only when the
                // interpolated form comes before the bare reference.
                .resource(many([format!("{arn}/*").as_str(), arn.as_str()]))
                .condition("Bool", "aws:SecureTransport", one("false")),
        ]),
        depends_on: vec![Expr::reference(&format!(
            "aws_s3_bucket_public_access_block.{}",
            bucket.label
        ))],
    };
    let lifecycle = BucketLifecycle {
        label: label(),
        bucket: id(),
        rule_id,
        noncurrent_version_expiration_days: noncurrent_days,
        abort_incomplete_multipart_days: 7,
        depends_on: vec![Expr::reference(&format!(
            "aws_s3_bucket_versioning.{}",
            bucket.label
        ))],
    };
    vec![
        boxed(public_access_block),
        boxed(BucketOwnershipControls {
            label: label(),
            bucket: id(),
            object_ownership: "BucketOwnerEnforced",
        }),
        boxed(versioning),
        boxed(BucketEncryption {
            label: label(),
            bucket: id(),
            // The AWS-managed key (aws/s3): KMS encryption with no key policy to own.
            sse_algorithm: "aws:kms".into(),
            bucket_key_enabled: true,
        }),
        boxed(policy),
        boxed(lifecycle),
    ]
}

/// The service policy and the SageMaker policy, both attached to the role.
pub fn managed_policies() -> Vec<IamPolicy> {
    let service = IamPolicy::reference(service_policy());
    let sagemaker = IamPolicy {
        label: "tf_mlops_sagemaker_policy".into(),
        name: Expr::interpolated("tf-mlops-sagemaker-policy-${var.env}-1007"),
        description: Expr::interpolated(
            "SageMaker permissions of the MLOps pipeline role (${var.env})",
        ),
        document: sagemaker_policy(),
        ..IamPolicy::reference(PolicyDocument::new(Vec::new()))
    };
    vec![service, sagemaker]
}

/// The foundation's SageMaker policy when the pipeline is on: the role runs
/// SageMaker's jobs only, so the policy is the pipeline's execution policy.
fn sagemaker_execution_policy() -> IamPolicy {
    let [_, sagemaker] = managed_policies().try_into().expect("two managed policies");
    IamPolicy {
        description: Expr::interpolated(
            "What the SageMaker pipeline, its jobs and the endpoints' models do (${var.env})",
        ),
        document: pipeline_roles::sagemaker_execution_policy(),
        ..sagemaker
    }
}

pub fn service_policy() -> PolicyDocument {
    PolicyDocument::new(vec![
        Statement::allow()
            .sid("CodeCommitSourcePull")
            .action(many([
                "codecommit:CancelUploadArchive",
                "codecommit:GetBranch",
                "codecommit:GetCommit",
                "codecommit:GetRepository",
                "codecommit:GetUploadArchiveStatus",
                "codecommit:GitPull",
                "codecommit:UploadArchive",
            ]))
            .resource(many([
                "arn:aws:codecommit:${var.region}:${local.account_id}:${var.build_repository_name}",
                "arn:aws:codecommit:${var.region}:${local.account_id}:${var.deploy_repository_name}",
            ])),
        Statement::allow()
            .sid("PassOwnRoleToPipelineServices")
            .action(one("iam:PassRole"))
            .resource(one("${aws_iam_role.tf_mlops_role.arn}"))
            .condition("StringEquals", "iam:PassedToService", many(TRUSTED_SERVICES)),
        Statement::allow()
            .sid("ArtifactsObjectLevel")
            .action(many([
                "s3:AbortMultipartUpload",
                "s3:DeleteObject",
                "s3:GetObject",
                "s3:GetObjectVersion",
                "s3:ListMultipartUploadParts",
                "s3:PutObject",
                "s3:PutObjectAcl",
            ]))
            .resource(one("${aws_s3_bucket.artifacts_bucket.arn}/*")),
        Statement::allow()
            .sid("ArtifactsBucketLevel")
            .action(many([
                "s3:GetBucketAcl",
                "s3:GetBucketLocation",
                "s3:GetBucketVersioning",
                "s3:ListBucket",
                "s3:ListBucketMultipartUploads",
            ]))
            .resource(one("${aws_s3_bucket.artifacts_bucket.arn}")),
        Statement::allow()
            .sid("CloudWatchLogsForBuildsAndJobs")
            .action(many([
                "logs:CreateLogGroup",
                "logs:CreateLogStream",
                "logs:DescribeLogStreams",
                "logs:GetLogEvents",
                "logs:PutLogEvents",
            ]))
            .resource(many([
                "arn:aws:logs:${var.region}:${local.account_id}:log-group:/aws/codebuild/*",
                "arn:aws:logs:${var.region}:${local.account_id}:log-group:/aws/codebuild/*:*",
                "arn:aws:logs:${var.region}:${local.account_id}:log-group:/aws/sagemaker/*",
                "arn:aws:logs:${var.region}:${local.account_id}:log-group:/aws/sagemaker/*:*",
            ])),
        Statement::allow()
            .sid("CodePipelineStart")
            .action(one("codepipeline:StartPipelineExecution"))
            .resource(one("arn:aws:codepipeline:${var.region}:${local.account_id}:sagemaker-*")),
        Statement::allow()
            .sid("EventBridgeSageMakerRules")
            .action(many([
                "events:DeleteRule",
                "events:DescribeRule",
                "events:PutRule",
                "events:PutTargets",
                "events:RemoveTargets",
            ]))
            .resource(one("arn:aws:events:${var.region}:${local.account_id}:rule/sagemaker-*")),
        Statement::allow()
            .sid("CodeBuildRunProjects")
            .action(many(["codebuild:BatchGetBuilds", "codebuild:StartBuild"]))
            .resource(one("arn:aws:codebuild:${var.region}:${local.account_id}:project/sagemaker-*")),
        Statement::allow()
            .sid("CloudFormationDeployStacks")
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
            .resource(one("arn:aws:cloudformation:${var.region}:${local.account_id}:stack/sagemaker-*/*")),
        Statement::allow()
            .sid("StepFunctionsSageMakerWorkflows")
            .action(many([
                "states:DescribeExecution",
                "states:GetExecutionHistory",
                "states:StartExecution",
                "states:StopExecution",
                "states:UpdateStateMachine",
            ]))
            .resource(many([
                "arn:aws:states:${var.region}:${local.account_id}:stateMachine:*sagemaker*",
                "arn:aws:states:${var.region}:${local.account_id}:execution:*sagemaker*:*",
            ])),
        Statement::allow()
            .sid("SecretsManagerSageMakerPrefixed")
            .action(many([
                "secretsmanager:CreateSecret",
                "secretsmanager:DescribeSecret",
                "secretsmanager:GetSecretValue",
            ]))
            .resource(one("arn:aws:secretsmanager:${var.region}:${local.account_id}:secret:AmazonSageMaker-*")),
        Statement::allow()
            .sid("SecretsManagerSageMakerTagged")
            .action(many([
                "secretsmanager:DescribeSecret",
                "secretsmanager:GetSecretValue",
            ]))
            .resource(one("arn:aws:secretsmanager:${var.region}:${local.account_id}:secret:*"))
            .condition("StringEquals", "secretsmanager:ResourceTag/SageMaker", one("true")),
        Statement::allow()
            .sid("EcrPullImages")
            .action(many([
                "ecr:BatchCheckLayerAvailability",
                "ecr:BatchGetImage",
                "ecr:DescribeImages",
                "ecr:DescribeRepositories",
                "ecr:GetDownloadUrlForLayer",
            ]))
            .resource(one("arn:aws:ecr:${var.region}:*:repository/*")),
        Statement::allow()
            .sid("EcrPushSageMakerRepositories")
            .action(many([
                "ecr:BatchDeleteImage",
                "ecr:CompleteLayerUpload",
                "ecr:CreateRepository",
                "ecr:DeleteRepository",
                "ecr:InitiateLayerUpload",
                "ecr:PutImage",
                "ecr:UploadLayerPart",
            ]))
            .resource(one("arn:aws:ecr:${var.region}:${local.account_id}:repository/sagemaker-*")),
        Statement::allow()
            .sid("SageMakerEndpointAutoscalingServiceLinkedRole")
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
            .sid("SnsSageMakerTopics")
            .action(many(["sns:CreateTopic", "sns:Subscribe"]))
            .resource(many([
                "arn:aws:sns:${var.region}:${local.account_id}:*SageMaker*",
                "arn:aws:sns:${var.region}:${local.account_id}:*Sagemaker*",
                "arn:aws:sns:${var.region}:${local.account_id}:*sagemaker*",
            ])),
        Statement::allow()
            .sid("UnscopableReadAndList")
            .action(many([
                "cloudformation:ValidateTemplate",
                "ecr:GetAuthorizationToken",
                "s3:ListAllMyBuckets",
            ]))
            .resource(one("*")),
    ])
}

pub fn sagemaker_policy() -> PolicyDocument {
    PolicyDocument::new(vec![
        Statement::allow()
            .sid("SageMakerPipelines")
            .action(many([
                "sagemaker:AddTags",
                "sagemaker:CreatePipeline",
                "sagemaker:DescribePipeline",
                "sagemaker:DescribePipelineDefinitionForExecution",
                "sagemaker:DescribePipelineExecution",
                "sagemaker:ListPipelineExecutionSteps",
                "sagemaker:ListPipelineExecutions",
                "sagemaker:ListPipelineParametersForExecution",
                "sagemaker:ListTags",
                "sagemaker:RetryPipelineExecution",
                "sagemaker:StartPipelineExecution",
                "sagemaker:StopPipelineExecution",
                "sagemaker:UpdatePipeline",
            ]))
            .resource(many([
                "arn:aws:sagemaker:${var.region}:${local.account_id}:pipeline/*",
            ])),
        Statement::allow()
            .sid("SageMakerJobs")
            .action(many([
                "sagemaker:AddTags",
                "sagemaker:CreateProcessingJob",
                "sagemaker:CreateTrainingJob",
                "sagemaker:CreateTransformJob",
                "sagemaker:DescribeProcessingJob",
                "sagemaker:DescribeTrainingJob",
                "sagemaker:DescribeTransformJob",
                "sagemaker:ListTags",
                "sagemaker:StopProcessingJob",
                "sagemaker:StopTrainingJob",
                "sagemaker:StopTransformJob",
            ]))
            .resource(many([
                "arn:aws:sagemaker:${var.region}:${local.account_id}:processing-job/*",
                "arn:aws:sagemaker:${var.region}:${local.account_id}:training-job/*",
                "arn:aws:sagemaker:${var.region}:${local.account_id}:transform-job/*",
            ])),
        Statement::allow()
            .sid("SageMakerModelRegistry")
            .action(many([
                "sagemaker:AddTags",
                "sagemaker:CreateModelPackage",
                "sagemaker:CreateModelPackageGroup",
                "sagemaker:DescribeModelPackage",
                "sagemaker:DescribeModelPackageGroup",
                "sagemaker:ListModelPackages",
                "sagemaker:ListTags",
                "sagemaker:UpdateModelPackage",
            ]))
            .resource(many([
                "arn:aws:sagemaker:${var.region}:${local.account_id}:model-package/*",
                "arn:aws:sagemaker:${var.region}:${local.account_id}:model-package-group/*",
            ])),
        Statement::allow()
            .sid("SageMakerHosting")
            .action(many([
                "sagemaker:AddTags",
                "sagemaker:CreateEndpoint",
                "sagemaker:CreateEndpointConfig",
                "sagemaker:CreateModel",
                "sagemaker:DeleteEndpoint",
                "sagemaker:DeleteEndpointConfig",
                "sagemaker:DeleteModel",
                "sagemaker:DeleteTags",
                "sagemaker:DescribeEndpoint",
                "sagemaker:DescribeEndpointConfig",
                "sagemaker:DescribeModel",
                "sagemaker:InvokeEndpoint",
                "sagemaker:ListTags",
                "sagemaker:UpdateEndpoint",
                "sagemaker:UpdateEndpointWeightsAndCapacities",
            ]))
            .resource(many([
                "arn:aws:sagemaker:${var.region}:${local.account_id}:endpoint/*",
                "arn:aws:sagemaker:${var.region}:${local.account_id}:endpoint-config/*",
                "arn:aws:sagemaker:${var.region}:${local.account_id}:model/*",
            ])),
        Statement::allow()
            .sid("SageMakerExperimentsAndLineage")
            .action(many([
                "sagemaker:AddAssociation",
                "sagemaker:AddTags",
                "sagemaker:AssociateTrialComponent",
                "sagemaker:CreateAction",
                "sagemaker:CreateArtifact",
                "sagemaker:CreateContext",
                "sagemaker:CreateExperiment",
                "sagemaker:CreateTrial",
                "sagemaker:CreateTrialComponent",
                "sagemaker:DescribeAction",
                "sagemaker:DescribeArtifact",
                "sagemaker:DescribeContext",
                "sagemaker:DescribeExperiment",
                "sagemaker:DescribeTrial",
                "sagemaker:DescribeTrialComponent",
                "sagemaker:UpdateTrialComponent",
            ]))
            .resource(many([
                "arn:aws:sagemaker:${var.region}:${local.account_id}:action/*",
                "arn:aws:sagemaker:${var.region}:${local.account_id}:artifact/*",
                "arn:aws:sagemaker:${var.region}:${local.account_id}:context/*",
                "arn:aws:sagemaker:${var.region}:${local.account_id}:experiment/*",
                "arn:aws:sagemaker:${var.region}:${local.account_id}:experiment-trial/*",
                "arn:aws:sagemaker:${var.region}:${local.account_id}:experiment-trial-component/*",
            ])),
        Statement::allow()
            .sid("SageMakerUnscopableList")
            .action(many([
                "sagemaker:ListEndpoints",
                "sagemaker:ListModelPackageGroups",
                "sagemaker:ListPipelines",
                "sagemaker:QueryLineage",
                "sagemaker:Search",
            ]))
            .resource(one("*")),
    ])
}
