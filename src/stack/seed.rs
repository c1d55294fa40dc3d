//! The `seed` profile's data: the user's reference stack, exactly.
//!
//! Everything here is transcribed from `fixtures/reference/iam_roles.tf`,
//! quirks included (the duplicated `arn:aws:s3:::*`, `arn:aws:logs:*`, the
//! lowercase `statemachine`): `seed` must plan to the same values as the
//! reference, and `lint` is what reports these defects. The golden tests
//! compare this data with the fixture statement by statement.

use super::pipeline::ServiceRoles;
use super::resources::{
    AwsProvider, IamPolicy, IamRole, Output, RemoteStateBackend, RolePolicyAttachment, S3Bucket,
    TerraformSettings, Variable,
};
use super::{Profile, StackInput, StackItem, pipeline};
use crate::policy::{PolicyDocument, Statement, many, one};

/// The reference stack: the terraform settings and provider tfgen adds, the
/// eight variables, the bucket, the role, its policy and the attachment.
pub fn items(input: &StackInput, variables: Vec<Variable>) -> Vec<Box<dyn StackItem>> {
    let role = IamRole::reference(trust_policy());
    let policy = IamPolicy::reference(service_policy());
    let attachment = RolePolicyAttachment::of(&policy.label, role.reference_to("name"));
    let outputs = foundation_outputs(&role, &[&policy]);
    let roles = ServiceRoles::all(role.reference_to("arn"));
    let mut items: Vec<Box<dyn StackItem>> = vec![
        Box::new(TerraformSettings),
        Box::new(AwsProvider::for_input(input, &variables)),
    ];
    items.extend(RemoteStateBackend::for_input(input).map(boxed));
    items.extend(variables.into_iter().map(boxed));
    items.extend([
        boxed(S3Bucket::reference()),
        boxed(role),
        boxed(policy),
        boxed(attachment),
    ]);
    // With the pipeline, the outputs are upstream's (the git mirror's), as
    // the team's repository has them; without it, tfgen's own. A pipeline
    // reading a connection has no mirror: tfgen's own, and the connection's.
    if input.pipeline {
        let (pipeline, pipeline_outputs) = pipeline::items(
            Profile::Seed,
            &roles,
            false,
            &input.source,
            input.approval.as_ref(),
        );
        items.extend(pipeline);
        if input.source.connection().is_some() {
            items.extend(outputs);
        }
        items.extend(pipeline_outputs);
    } else {
        items.extend(outputs);
    }
    items
}

/// An item as the catalogue holds it.
pub(super) fn boxed(item: impl StackItem + Clone + 'static) -> Box<dyn StackItem> {
    Box::new(item)
}

/// The outputs of the foundation: the bucket's name and ARN, the role's ARN
/// and each policy's ARN.
pub(super) fn foundation_outputs(
    role: &IamRole,
    policies: &[&IamPolicy],
) -> Vec<Box<dyn StackItem>> {
    let mut outputs: Vec<Box<dyn StackItem>> = vec![
        boxed(Output::of(
            "artifacts_bucket_name",
            "Name of the S3 bucket that stores the pipeline's artifacts",
            "aws_s3_bucket.artifacts_bucket.bucket",
        )),
        boxed(Output::of(
            "artifacts_bucket_arn",
            "ARN of the artifacts bucket",
            "aws_s3_bucket.artifacts_bucket.arn",
        )),
        boxed(Output::of(
            "role_arn",
            "ARN of the pipeline's service role",
            &format!("aws_iam_role.{}.arn", role.label),
        )),
    ];
    for policy in policies {
        let stem = policy.label.trim_start_matches("tf_mlops_");
        outputs.push(boxed(Output::of(
            &format!("{stem}_arn"),
            &format!(
                "ARN of the managed policy {} attached to the service role",
                policy.label
            ),
            &format!("{}.arn", policy.address()),
        )));
    }
    outputs
}

/// The service principals the reference role trusts, in its order.
pub const TRUSTED_SERVICES: [&str; 11] = [
    "firehose.amazonaws.com",
    "glue.amazonaws.com",
    "apigateway.amazonaws.com",
    "lambda.amazonaws.com",
    "events.amazonaws.com",
    "states.amazonaws.com",
    "sagemaker.amazonaws.com",
    "cloudformation.amazonaws.com",
    "codebuild.amazonaws.com",
    "codepipeline.amazonaws.com",
    "codecommit.amazonaws.com",
];

pub fn trust_policy() -> PolicyDocument {
    PolicyDocument::new(vec![
        Statement::allow()
            .action(one("sts:AssumeRole"))
            .principal("Service", many(TRUSTED_SERVICES)),
    ])
}

pub fn service_policy() -> PolicyDocument {
    PolicyDocument::new(vec![
        Statement::allow()
            .action(many([
                "codecommit:GitPull",
                "codecommit:UploadArchive",
                "codecommit:GetBranch",
                "codecommit:GetCommit",
                "codecommit:GetUploadArchiveStatus",
                "codecommit:CancelUploadArchive",
            ]))
            .resource(many(["arn:aws:codecommit:*:*:*"])),
        Statement::allow().action(many(["iam:PassRole"])).resource(one("*")),
        Statement::allow()
            .action(many(["s3:*"]))
            .resource(many(["arn:aws:s3:::*", "arn:aws:s3:::*"])),
        Statement::allow()
            .action(many([
                "logs:CreateLogGroup",
                "logs:CreateLogStream",
                "logs:PutLogEvents",
            ]))
            .resource(one("arn:aws:logs:*")),
        Statement::allow()
            .action(many(["codepipeline:StartPipelineExecution"]))
            .resource(one("arn:aws:codepipeline:*:*:*")),
        Statement::allow()
            .action(many([
                "events:DeleteRule",
                "events:DescribeRule",
                "events:PutRule",
                "events:PutTargets",
                "events:RemoveTargets",
            ]))
            .resource(many(["arn:aws:events:*:*:rule/*"])),
        Statement::allow().action(many(["sagemaker:*"])).not_resource(many([
            "arn:aws:sagemaker:*:*:domain/*",
            "arn:aws:sagemaker:*:*:user-profile/*",
            "arn:aws:sagemaker:*:*:app/*",
            "arn:aws:sagemaker:*:*:flow-definition/*",
        ])),
        Statement::allow()
            .action(many([
                "sagemaker:CreatePresignedDomainUrl",
                "sagemaker:DescribeDomain",
                "sagemaker:ListDomains",
                "sagemaker:DescribeUserProfile",
                "sagemaker:ListUserProfiles",
                "sagemaker:*App",
                "sagemaker:ListApps",
            ]))
            .resource(one("*")),
        Statement::allow()
            .action(one("sagemaker:*"))
            .resource(many(["arn:aws:sagemaker:*:*:flow-definition/*"]))
            .condition(
                "StringEqualsIfExists",
                "sagemaker:WorkteamType",
                many(["private-crowd", "vendor-crowd"]),
            ),
        Statement::allow()
            .action(many([
                "cloudformation:CreateChangeSet",
                "cloudformation:CreateStack",
                "cloudformation:DescribeChangeSet",
                "cloudformation:DeleteChangeSet",
                "cloudformation:DeleteStack",
                "cloudformation:DescribeStacks",
                "cloudformation:ExecuteChangeSet",
                "cloudformation:SetStackPolicy",
                "cloudformation:UpdateStack",
            ]))
            .resource(one("arn:aws:cloudformation:*:*:stack/*")),
        Statement::allow()
            .action(many(["codebuild:BatchGetBuilds", "codebuild:StartBuild"]))
            .resource(many([
                "arn:aws:codebuild:*:*:project/*",
                "arn:aws:codebuild:*:*:build/*",
            ])),
        Statement::allow()
            .action(many([
                "states:DescribeExecution",
                "states:GetExecutionHistory",
                "states:StartExecution",
                "states:StopExecution",
                "states:UpdateStateMachine",
            ]))
            .resource(many([
                "arn:aws:states:*:*:statemachine:*sagemaker*",
                "arn:aws:states:*:*:execution:*sagemaker*:*",
            ])),
        Statement::allow()
            .action(many([
                "secretsmanager:DescribeSecret",
                "secretsmanager:GetSecretValue",
                "secretsmanager:CreateSecret",
            ]))
            .resource(many(["arn:aws:secretsmanager:*:*:secret:AmazonSageMaker-*"])),
        Statement::allow()
            .action(many([
                "secretsmanager:DescribeSecret",
                "secretsmanager:GetSecretValue",
            ]))
            .resource(one("*"))
            .condition(
                "StringEquals",
                "secretsmanager:ResourceTag/SageMaker",
                one("true"),
            ),
        Statement::allow()
            .action(many([
                "s3:CreateBucket",
                "s3:GetBucketLocation",
                "s3:ListBucket",
                "s3:ListAllMyBuckets",
                "s3:GetBucketCors",
                "s3:PutBucketCors",
            ]))
            .resource(one("*")),
        Statement::allow()
            .action(many(["s3:GetBucketAcl", "s3:PutObjectAcl"]))
            .resource(many([
                "arn:aws:s3:::*SageMaker*",
                "arn:aws:s3:::*Sagemaker*",
                "arn:aws:s3:::*sagemaker*",
            ])),
        Statement::allow()
            .action(many([
                "ecr:BatchCheckLayerAvailability",
                "ecr:BatchGetImage",
                "ecr:Describe*",
                "ecr:GetAuthorizationToken",
                "ecr:GetDownloadUrlForLayer",
            ]))
            .resource(one("*")),
        Statement::allow()
            .action(many([
                "ecr:BatchDeleteImage",
                "ecr:CompleteLayerUpload",
                "ecr:CreateRepository",
                "ecr:DeleteRepository",
                "ecr:InitiateLayerUpload",
                "ecr:PutImage",
                "ecr:UploadLayerPart",
            ]))
            .resource(many(["arn:aws:ecr:*:*:repository/sagemaker-*"])),
        Statement::allow()
            .action(one("iam:CreateServiceLinkedRole"))
            .resource(one(
                "arn:aws:iam::*:role/aws-service-role/sagemaker.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint",
            ))
            .condition(
                "StringLike",
                "iam:AWSServiceName",
                one("sagemaker.application-autoscaling.amazonaws.com"),
            ),
        Statement::allow()
            .action(one("iam:CreateServiceLinkedRole"))
            .resource(one("*"))
            .condition("StringEquals", "iam:AWSServiceName", one("robomaker.amazonaws.com")),
        Statement::allow()
            .action(many(["sns:Subscribe", "sns:CreateTopic"]))
            .resource(many([
                "arn:aws:sns:*:*:*SageMaker*",
                "arn:aws:sns:*:*:*Sagemaker*",
                "arn:aws:sns:*:*:*sagemaker*",
            ])),
        Statement::allow()
            .action(many(["iam:PassRole"]))
            .resource(one("arn:aws:iam::*:role/*AmazonSageMaker*"))
            .condition(
                "StringEquals",
                "iam:PassedToService",
                many([
                    "glue.amazonaws.com",
                    "robomaker.amazonaws.com",
                    "states.amazonaws.com",
                ]),
            ),
        Statement::allow()
            .action(many(["iam:PassRole"]))
            .resource(one("arn:aws:iam::*:role/*"))
            .condition("StringEquals", "iam:PassedToService", one("sagemaker.amazonaws.com")),
    ])
}
