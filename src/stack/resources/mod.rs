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
pub mod codestarconnections_connection;
pub mod codestarconnections_connection_data;
pub mod iam_group;
pub mod iam_group_membership;
pub mod iam_group_policy_attachment;
pub mod iam_policy;
pub mod iam_policy_data;
pub mod iam_role;
pub mod iam_role_policy_attachment;
pub mod iam_service_specific_credential;
pub mod iam_user;
pub mod iam_user_group_membership;
pub mod kms_alias;
pub mod kms_key;
pub mod locals;
pub mod moved;
pub mod output;
pub mod s3_backend;
pub mod s3_bucket;
pub mod s3_bucket_lifecycle_configuration;
pub mod s3_bucket_ownership_controls;
pub mod s3_bucket_policy;
pub mod s3_bucket_public_access_block;
pub mod s3_bucket_server_side_encryption_configuration;
pub mod s3_bucket_versioning;
pub mod sns_topic;
pub mod sns_topic_policy;
pub mod sns_topic_subscription;
pub mod terraform_settings;
pub mod variable;

pub use aws_caller_identity::CallerIdentity;
pub use aws_provider::AwsProvider;
pub use cloudwatch_event_rule::EventRule;
pub use cloudwatch_event_target::EventTarget;
pub use cloudwatch_log_group::LogGroup;
pub use codebuild_project::{
    BuildEnvironment, Buildspec, BuildspecSource, CodeBuildProject, Phase, SpelledOut,
};
pub use codecommit_repository::CodeCommitRepository;
pub use codepipeline::{Action, CodePipeline, Stage, Trigger};
pub use codestarconnections_connection::CodeStarConnection;
pub use codestarconnections_connection_data::CodeStarConnectionData;
pub use iam_group::IamGroup;
pub use iam_group_membership::GroupMembership;
pub use iam_group_policy_attachment::GroupPolicyAttachment;
pub use iam_policy::IamPolicy;
pub use iam_policy_data::IamPolicyData;
pub use iam_role::IamRole;
pub use iam_role_policy_attachment::RolePolicyAttachment;
pub use iam_service_specific_credential::ServiceSpecificCredential;
pub use iam_user::IamUser;
pub use iam_user_group_membership::UserGroupMembership;
pub use kms_alias::KmsAlias;
pub use kms_key::KmsKey;
pub use locals::Locals;
pub use moved::Moves;
pub use output::Output;
pub use s3_backend::RemoteStateBackend;
pub use s3_bucket::S3Bucket;
pub use s3_bucket_lifecycle_configuration::BucketLifecycle;
pub use s3_bucket_ownership_controls::BucketOwnershipControls;
pub use s3_bucket_policy::BucketPolicy;
pub use s3_bucket_public_access_block::BucketPublicAccessBlock;
pub use s3_bucket_server_side_encryption_configuration::BucketEncryption;
pub use s3_bucket_versioning::BucketVersioning;
pub use sns_topic::SnsTopic;
pub use sns_topic_policy::SnsTopicPolicy;
pub use sns_topic_subscription::SnsTopicSubscription;
pub use terraform_settings::TerraformSettings;
pub use variable::Variable;

use super::StackFile;

/// What a resource type keeps that Terraform would lose by destroying it,
/// and which of its arguments, changed, make Terraform replace it (the
/// provider's `ForceNew`): `diff` reports either for review, and the
/// history of addresses ([`crate::stack::history`]) must carry these over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Keeps {
    pub kind: &'static str,
    /// What is lost with it, for messages: `every object in it`.
    pub what: &'static str,
    /// Data (objects, code, keys, logs), or only the record of what ran.
    pub tier: Tier,
    pub replaced_when: &'static [&'static str],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tier {
    /// What the team cannot recreate: objects, code, key material, logs.
    Data,
    /// The record of what ran (executions, builds): lost on replacement.
    History,
}

/// Every resource type that keeps something, one line each.
pub const KEEPERS: [&Keeps; 6] = [
    &s3_bucket::KEEPS,
    &codecommit_repository::KEEPS,
    &kms_key::KEEPS,
    &cloudwatch_log_group::KEEPS,
    &codepipeline::KEEPS,
    &codebuild_project::KEEPS,
];

/// The arguments of a resource type that only mirror another resource's
/// settings (an `aws_s3_bucket`'s `versioning`): drift there is reported
/// where it belongs.
pub fn mirrored(kind: &str) -> &'static [&'static str] {
    match kind {
        "aws_s3_bucket" => &s3_bucket::MIRRORED,
        "aws_iam_policy" => &iam_policy::MIRRORED,
        "aws_iam_role" => &iam_role::MIRRORED,
        _ => &[],
    }
}

/// What a resource type keeps, if anything.
pub fn keeps(kind: &str) -> Option<&'static Keeps> {
    KEEPERS.iter().copied().find(|keeps| keeps.kind == kind)
}

/// A resource block with a `#checkov:skip=ID:reason` line for each check
/// that does not apply, first in its body, where checkov reads them.
pub fn skipping(block: crate::model::Block, skips: &[(&str, &str)]) -> crate::model::Block {
    skips.iter().fold(block, |block, (id, reason)| {
        block.directive(&format!("checkov:skip={id}:{reason}"))
    })
}

/// `block` with `lifecycle { prevent_destroy = true }` when `prevent`:
/// Terraform then refuses any plan that destroys it, replacements included.
pub fn lifecycle(block: crate::model::Block, prevent: bool) -> crate::model::Block {
    match prevent {
        true => {
            block.block(crate::model::Block::new("lifecycle", &[]).attr("prevent_destroy", true))
        }
        false => block,
    }
}

/// The file of the git mirror: the IAM user that pushes a copy of the
/// team's repositories (GitHub, GitLab) into CodeCommit, its credential,
/// its group and the group's policy.
pub const GIT_MIRROR: StackFile = StackFile::new("git_mirror");
