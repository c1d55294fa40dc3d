//! The catalogue's item types, one file each: everything about a type (its
//! address, its file, its blocks, the values others reference, its policies
//! and its AWS rules) is in its file. A profile lists instances of them.

pub mod aws_caller_identity;
pub mod aws_provider;
pub mod cloudwatch_event_rule;
pub mod cloudwatch_event_target;
pub mod cloudwatch_log_group;
pub mod codebuild_project;
pub mod codecommit_repository;
pub mod codepipeline;
pub mod iam_policy;
pub mod iam_role;
pub mod iam_role_policy_attachment;
pub mod kms_alias;
pub mod kms_key;
pub mod locals;
pub mod output;
pub mod s3_backend;
pub mod s3_bucket;
pub mod s3_bucket_lifecycle_configuration;
pub mod s3_bucket_ownership_controls;
pub mod s3_bucket_policy;
pub mod s3_bucket_public_access_block;
pub mod s3_bucket_server_side_encryption_configuration;
pub mod s3_bucket_versioning;
pub mod terraform_settings;
pub mod variable;

pub use aws_caller_identity::CallerIdentity;
pub use aws_provider::AwsProvider;
pub use cloudwatch_event_rule::EventRule;
pub use cloudwatch_event_target::EventTarget;
pub use cloudwatch_log_group::LogGroup;
pub use codebuild_project::{
    BuildEnvironment, Buildspec, BuildspecSource, CodeBuildProject, Phase,
};
pub use codecommit_repository::CodeCommitRepository;
pub use codepipeline::{Action, CodePipeline, Stage};
pub use iam_policy::IamPolicy;
pub use iam_role::IamRole;
pub use iam_role_policy_attachment::RolePolicyAttachment;
pub use kms_alias::KmsAlias;
pub use kms_key::KmsKey;
pub use locals::Locals;
pub use output::Output;
pub use s3_backend::RemoteStateBackend;
pub use s3_bucket::S3Bucket;
pub use s3_bucket_lifecycle_configuration::BucketLifecycle;
pub use s3_bucket_ownership_controls::BucketOwnershipControls;
pub use s3_bucket_policy::BucketPolicy;
pub use s3_bucket_public_access_block::BucketPublicAccessBlock;
pub use s3_bucket_server_side_encryption_configuration::BucketEncryption;
pub use s3_bucket_versioning::BucketVersioning;
pub use terraform_settings::TerraformSettings;
pub use variable::Variable;
