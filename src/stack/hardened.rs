//! The `hardened` profile's data: the reference stack made safe.
//!
//! Same resources and names as `seed`, plus the bucket protections checkov
//! expects, a trust policy limited to the services the pipeline runs, and a
//! least-privilege service policy: S3 only on the artifacts bucket,
//! `iam:PassRole` only on the role itself and only to the pipeline's
//! services, region-scoped well-formed ARNs, no `NotResource`, and `*` kept
//! only for the read and list actions that AWS does not scope by resource.

use super::resources::BucketHardening;
use crate::policy::{PolicyDocument, Statement, many, one};

/// The services that assume the role: the pipeline's own build, deploy and
/// orchestration services. The reference's firehose, glue, apigateway,
/// lambda and codecommit principals run nothing of this stack.
pub const TRUSTED_SERVICES: [&str; 6] = [
    "sagemaker.amazonaws.com",
    "codebuild.amazonaws.com",
    "codepipeline.amazonaws.com",
    "cloudformation.amazonaws.com",
    "events.amazonaws.com",
    "states.amazonaws.com",
];

pub fn trust_policy() -> PolicyDocument {
    PolicyDocument::new(vec![
        Statement::allow()
            .sid("PipelineServicesAssumeRole")
            .action(one("sts:AssumeRole"))
            .principal("Service", many(TRUSTED_SERVICES)),
    ])
}

pub fn bucket_hardening() -> BucketHardening {
    BucketHardening {
        sse_algorithm: "aws:kms".into(),
        bucket_policy: PolicyDocument::new(vec![
            Statement::deny()
                .sid("DenyInsecureTransport")
                .any_principal()
                .action(one("s3:*"))
                .resource(many([
                    "${aws_s3_bucket.artifacts_bucket.arn}",
                    "${aws_s3_bucket.artifacts_bucket.arn}/*",
                ]))
                .condition("Bool", "aws:SecureTransport", one("false")),
        ]),
        noncurrent_version_expiration_days: 90,
        abort_incomplete_multipart_days: 7,
        checkov_skips: vec![
            (
                "CKV_AWS_144",
                "pipeline artifacts are rebuilt from source; cross-region replication buys nothing",
            ),
            (
                "CKV_AWS_18",
                "access logging needs a second, log-only bucket that this foundation does not own",
            ),
            (
                "CKV2_AWS_62",
                "no consumer of bucket event notifications exists in this stack",
            ),
        ],
    }
}

pub fn service_policy() -> PolicyDocument {
    PolicyDocument::new(vec![
        Statement::allow()
            .sid("CodeCommitPullSources")
            .action(many([
                "codecommit:GitPull",
                "codecommit:UploadArchive",
                "codecommit:GetBranch",
                "codecommit:GetCommit",
                "codecommit:GetUploadArchiveStatus",
                "codecommit:CancelUploadArchive",
            ]))
            .resource(many([
                "arn:aws:codecommit:${var.region}:*:${var.build_repository_name}",
                "arn:aws:codecommit:${var.region}:*:${var.deploy_repository_name}",
            ])),
        Statement::allow()
            .sid("PassOwnRoleToPipelineServices")
            .action(one("iam:PassRole"))
            .resource(one("${aws_iam_role.tf_mlops_role.arn}"))
            .condition(
                "StringEquals",
                "iam:PassedToService",
                many([
                    "sagemaker.amazonaws.com",
                    "codebuild.amazonaws.com",
                    "codepipeline.amazonaws.com",
                    "cloudformation.amazonaws.com",
                    "events.amazonaws.com",
                    "states.amazonaws.com",
                ]),
            ),
        Statement::allow()
            .sid("ArtifactsBucket")
            .action(many([
                "s3:GetBucketLocation",
                "s3:GetBucketVersioning",
                "s3:ListBucket",
                "s3:ListBucketVersions",
            ]))
            .resource(one("${aws_s3_bucket.artifacts_bucket.arn}")),
        Statement::allow()
            .sid("ArtifactsObjects")
            .action(many([
                "s3:AbortMultipartUpload",
                "s3:DeleteObject",
                "s3:GetObject",
                "s3:GetObjectVersion",
                "s3:ListMultipartUploadParts",
                "s3:PutObject",
            ]))
            .resource(one("${aws_s3_bucket.artifacts_bucket.arn}/*")),
        Statement::allow()
            .sid("WriteOwnLogs")
            .action(many([
                "logs:CreateLogGroup",
                "logs:CreateLogStream",
                "logs:PutLogEvents",
            ]))
            .resource(many([
                "arn:aws:logs:${var.region}:*:log-group:/aws/codebuild/*",
                "arn:aws:logs:${var.region}:*:log-group:/aws/codebuild/*:log-stream:*",
                "arn:aws:logs:${var.region}:*:log-group:/aws/sagemaker/*",
                "arn:aws:logs:${var.region}:*:log-group:/aws/sagemaker/*:log-stream:*",
            ])),
        Statement::allow()
            .sid("StartProjectPipelines")
            .action(one("codepipeline:StartPipelineExecution"))
            .resource(one("arn:aws:codepipeline:${var.region}:*:${var.project_name}-*")),
        Statement::allow()
            .sid("ManageProjectEventRules")
            .action(many([
                "events:DeleteRule",
                "events:DescribeRule",
                "events:PutRule",
                "events:PutTargets",
                "events:RemoveTargets",
            ]))
            .resource(one("arn:aws:events:${var.region}:*:rule/${var.project_name}-*")),
        Statement::allow()
            .sid("SageMakerProjectResources")
            .action(many([
                "sagemaker:AddTags",
                "sagemaker:CreateEndpoint",
                "sagemaker:CreateEndpointConfig",
                "sagemaker:CreateModel",
                "sagemaker:CreateModelPackage",
                "sagemaker:CreateModelPackageGroup",
                "sagemaker:CreatePipeline",
                "sagemaker:CreateProcessingJob",
                "sagemaker:CreateTrainingJob",
                "sagemaker:DeleteEndpoint",
                "sagemaker:DeleteEndpointConfig",
                "sagemaker:DeleteModel",
                "sagemaker:DeletePipeline",
                "sagemaker:DescribeEndpoint",
                "sagemaker:DescribeEndpointConfig",
                "sagemaker:DescribeModel",
                "sagemaker:DescribeModelPackage",
                "sagemaker:DescribeModelPackageGroup",
                "sagemaker:DescribePipeline",
                "sagemaker:DescribePipelineExecution",
                "sagemaker:DescribeProcessingJob",
                "sagemaker:DescribeTrainingJob",
                "sagemaker:ListPipelineExecutionSteps",
                "sagemaker:StartPipelineExecution",
                "sagemaker:StopPipelineExecution",
                "sagemaker:UpdateEndpoint",
                "sagemaker:UpdateModelPackage",
                "sagemaker:UpdatePipeline",
            ]))
            .resource(many([
                "arn:aws:sagemaker:${var.region}:*:endpoint/${var.project_name}-*",
                "arn:aws:sagemaker:${var.region}:*:endpoint-config/${var.project_name}-*",
                "arn:aws:sagemaker:${var.region}:*:model/${var.project_name}-*",
                "arn:aws:sagemaker:${var.region}:*:model-package/${var.project_name}-*",
                "arn:aws:sagemaker:${var.region}:*:model-package-group/${var.project_name}-*",
                "arn:aws:sagemaker:${var.region}:*:pipeline/${var.project_name}-*",
                "arn:aws:sagemaker:${var.region}:*:pipeline/${var.project_name}-*/execution/*",
                "arn:aws:sagemaker:${var.region}:*:processing-job/${var.project_name}-*",
                "arn:aws:sagemaker:${var.region}:*:training-job/${var.project_name}-*",
            ])),
        Statement::allow()
            .sid("SageMakerReadOnlyListing")
            .action(many([
                "sagemaker:ListEndpoints",
                "sagemaker:ListModelPackageGroups",
                "sagemaker:ListModelPackages",
                "sagemaker:ListModels",
                "sagemaker:ListPipelines",
            ]))
            .resource(one("*")),
        Statement::allow()
            .sid("DeployProjectStacks")
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
            .resource(one("arn:aws:cloudformation:${var.region}:*:stack/${var.project_name}-*/*")),
        Statement::allow()
            .sid("RunProjectBuilds")
            .action(many(["codebuild:BatchGetBuilds", "codebuild:StartBuild"]))
            .resource(many([
                "arn:aws:codebuild:${var.region}:*:project/${var.project_name}-*",
                "arn:aws:codebuild:${var.region}:*:build/${var.project_name}-*",
            ])),
        Statement::allow()
            .sid("RunSageMakerStateMachines")
            .action(many([
                "states:DescribeExecution",
                "states:GetExecutionHistory",
                "states:StartExecution",
                "states:StopExecution",
                "states:UpdateStateMachine",
            ]))
            .resource(many([
                "arn:aws:states:${var.region}:*:stateMachine:*sagemaker*",
                "arn:aws:states:${var.region}:*:execution:*sagemaker*:*",
            ])),
        Statement::allow()
            .sid("ReadSageMakerSecrets")
            .action(many([
                "secretsmanager:DescribeSecret",
                "secretsmanager:GetSecretValue",
            ]))
            .resource(one("arn:aws:secretsmanager:${var.region}:*:secret:AmazonSageMaker-*")),
        Statement::allow()
            .sid("PullImages")
            .action(many([
                "ecr:BatchCheckLayerAvailability",
                "ecr:BatchGetImage",
                "ecr:DescribeImages",
                "ecr:GetDownloadUrlForLayer",
            ]))
            .resource(one("arn:aws:ecr:${var.region}:*:repository/sagemaker-*")),
        Statement::allow()
            .sid("EcrLogin")
            .action(one("ecr:GetAuthorizationToken"))
            .resource(one("*")),
        Statement::allow()
            .sid("PushProjectImages")
            .action(many([
                "ecr:CompleteLayerUpload",
                "ecr:InitiateLayerUpload",
                "ecr:PutImage",
                "ecr:UploadLayerPart",
            ]))
            .resource(one("arn:aws:ecr:${var.region}:*:repository/sagemaker-*")),
        Statement::allow()
            .sid("EndpointAutoScalingRole")
            .action(one("iam:CreateServiceLinkedRole"))
            .resource(one(
                "arn:aws:iam::*:role/aws-service-role/sagemaker.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint",
            ))
            .condition(
                "StringEquals",
                "iam:AWSServiceName",
                one("sagemaker.application-autoscaling.amazonaws.com"),
            ),
        Statement::allow()
            .sid("NotifySageMakerTopics")
            .action(many(["sns:CreateTopic", "sns:Subscribe"]))
            .resource(one("arn:aws:sns:${var.region}:*:*sagemaker*")),
    ])
}
