//! What an environment needs to run from CI next to the others: an S3 backend
//! with Terraform's native lock file, a provider that refuses the wrong
//! account and tags every resource, and the root module that creates the
//! state bucket of an account before any environment uses it.
//!
//! These take their own plain inputs, not `config` types, so they plug into
//! the stack's own input when it has one; each returns model blocks.

use crate::model::{Block, Expr};
use crate::policy::{PolicyDocument, Statement, many, one};

use super::{AWS_PROVIDER_SOURCE, AWS_PROVIDER_VERSION, REQUIRED_TERRAFORM};

/// The tag every resource tfgen generates carries, so that a console user
/// knows not to edit it by hand.
pub const MANAGED_BY_TAG: (&str, &str) = ("ManagedBy", "tfgen");

/// The S3 object holding one environment's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Backend {
    pub bucket: String,
    pub key: String,
    pub region: String,
}

/// What an environment sets for running at scale: where its state lives,
/// which account it may touch, the role to assume, its own tags. The
/// default (nothing set) renders exactly as a stack without them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EnvironmentSettings {
    pub state: Option<S3Backend>,
    pub account_id: Option<String>,
    pub assume_role: Option<String>,
    /// `defaults.tags` merged with the environment's own, in order.
    pub tags: Vec<(String, String)>,
}

impl EnvironmentSettings {
    /// True when the environment opted into none of it.
    pub fn is_empty(&self) -> bool {
        self == &EnvironmentSettings::default()
    }
}

/// `terraform { backend "s3" { ... } }`, locked by Terraform's own lock
/// object next to the state (`use_lockfile`, Terraform ≥ 1.10) rather than
/// a DynamoDB table, which Terraform 1.11 deprecates; the state is encrypted
/// at rest since it holds every attribute of every resource.
pub fn backend_block(backend: &S3Backend) -> Block {
    Block::new("terraform", &[]).block(
        Block::new("backend", &["s3"])
            .attr("bucket", backend.bucket.as_str())
            .attr("key", backend.key.as_str())
            .attr("region", backend.region.as_str())
            .attr("encrypt", true)
            .attr("use_lockfile", true),
    )
}

/// How the environment's AWS provider is guarded and what it tags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderSettings {
    /// The only account the provider may act in (`allowed_account_ids`).
    pub account_id: Option<String>,
    /// The role Terraform assumes (`assume_role { role_arn }`).
    pub assume_role: Option<String>,
    /// Every resource's tags, from [`default_tags`].
    pub tags: Vec<(String, String)>,
}

/// The tags of an environment: `Environment`, `Project` and [`MANAGED_BY_TAG`],
/// with the user's own tags merged over them (a user `Project` tag wins).
pub fn default_tags(
    environment: &str,
    project: &str,
    user_tags: &[(String, String)],
) -> Vec<(String, String)> {
    let mut tags: Vec<(String, String)> = [
        ("Environment", environment),
        ("Project", project),
        MANAGED_BY_TAG,
    ]
    .iter()
    .map(|(key, value)| (key.to_string(), value.to_string()))
    .collect();
    for (key, value) in user_tags {
        match tags.iter_mut().find(|(existing, _)| existing == key) {
            Some(tag) => tag.1 = value.clone(),
            None => tags.push((key.clone(), value.clone())),
        }
    }
    tags
}

/// `provider "aws" { ... }` with `region`, the account guard, the role and
/// `default_tags`.
pub fn provider_block(region: Expr, settings: &ProviderSettings) -> Block {
    let mut provider = Block::new("provider", &["aws"]).attr("region", region);
    if let Some(account_id) = &settings.account_id {
        provider = provider.attr(
            "allowed_account_ids",
            Expr::list([Expr::from(account_id.as_str())]),
        );
    }
    if let Some(role_arn) = &settings.assume_role {
        provider =
            provider.block(Block::new("assume_role", &[]).attr("role_arn", role_arn.as_str()));
    }
    if !settings.tags.is_empty() {
        let tags = Expr::object(
            settings
                .tags
                .iter()
                .map(|(key, value)| (key.clone(), Expr::from(value.as_str()))),
        );
        provider = provider.block(Block::new("default_tags", &[]).attr("tags", tags));
    }
    provider
}

/// The directory, under the output root, of a state bucket's bootstrap
/// module: named by the bucket, which one module creates, since one bucket
/// may hold the state of environments in several accounts.
pub fn state_bucket_directory(bucket: &str) -> String {
    format!("_state/{bucket}")
}

/// The resource label of the state bucket in its bootstrap module.
const STATE_BUCKET: &str = "state";

/// The root module that creates a state bucket, applied once per account
/// with local state before any environment: versioned (a bad apply can be
/// rolled back to the previous state), encrypted with the AWS-managed key,
/// owner-enforced, closed to the public, reachable over TLS only, old
/// versions expired after `noncurrent_days`.
pub fn state_bucket_module(
    bucket: &str,
    region: &str,
    account_id: Option<&str>,
    noncurrent_days: i64,
) -> Vec<Block> {
    let aws = Expr::object([
        ("source", Expr::from(AWS_PROVIDER_SOURCE)),
        ("version", Expr::from(AWS_PROVIDER_VERSION)),
    ]);
    let versions = Block::new("terraform", &[])
        .attr("required_version", REQUIRED_TERRAFORM)
        .block(Block::new("required_providers", &[]).attr("aws", aws));
    let provider = provider_block(
        Expr::from(region),
        &ProviderSettings {
            account_id: account_id.map(str::to_string),
            assume_role: None,
            tags: vec![
                ("Purpose".into(), "terraform-state".into()),
                (MANAGED_BY_TAG.0.into(), MANAGED_BY_TAG.1.into()),
            ],
        },
    );
    let bucket_block = Block::new("resource", &["aws_s3_bucket", STATE_BUCKET])
        .directive("checkov:skip=CKV_AWS_18:the state bucket's own access logs would need a log bucket bootstrapped before it; CloudTrail data events cover state access")
        .directive("checkov:skip=CKV_AWS_144:state is versioned in place; a replica in a second region is an account-level decision outside tfgen")
        .directive("checkov:skip=CKV2_AWS_62:nothing consumes state bucket events")
        .attr("bucket", bucket)
        .block(Block::new("lifecycle", &[]).attr("prevent_destroy", true));
    let bucket_id = || Expr::reference(&format!("aws_s3_bucket.{STATE_BUCKET}.id"));
    let companion =
        |kind: &str| Block::new("resource", &[kind, STATE_BUCKET]).attr("bucket", bucket_id());
    let bucket_arn = format!("${{aws_s3_bucket.{STATE_BUCKET}.arn}}");
    let objects_arn = format!("{bucket_arn}/*");
    let tls_only = PolicyDocument::new(vec![
        Statement::deny()
            .sid("DenyInsecureTransport")
            .any_principal()
            .action(one("s3:*"))
            // The interpolated object ARN first: checkov evaluates the
            // policy only in this order (see hardened.rs).
            .resource(many([objects_arn.as_str(), bucket_arn.as_str()]))
            .condition("Bool", "aws:SecureTransport", one("false")),
    ]);
    vec![
        versions,
        provider,
        bucket_block,
        companion("aws_s3_bucket_public_access_block")
            .attr("block_public_acls", true)
            .attr("block_public_policy", true)
            .attr("ignore_public_acls", true)
            .attr("restrict_public_buckets", true),
        companion("aws_s3_bucket_ownership_controls")
            .block(Block::new("rule", &[]).attr("object_ownership", "BucketOwnerEnforced")),
        companion("aws_s3_bucket_versioning")
            .block(Block::new("versioning_configuration", &[]).attr("status", "Enabled")),
        companion("aws_s3_bucket_server_side_encryption_configuration").block(
            Block::new("rule", &[])
                .attr("bucket_key_enabled", true)
                .block(
                    Block::new("apply_server_side_encryption_by_default", &[])
                        .attr("sse_algorithm", "aws:kms"),
                ),
        ),
        companion("aws_s3_bucket_policy")
            .attr("policy", tls_only.to_jsonencode())
            .attr(
                "depends_on",
                Expr::list([Expr::reference(&format!(
                    "aws_s3_bucket_public_access_block.{STATE_BUCKET}"
                ))]),
            ),
        companion("aws_s3_bucket_lifecycle_configuration")
            .block(
                Block::new("rule", &[])
                    .attr("id", "expire-old-state-versions")
                    .attr("status", "Enabled")
                    .block(Block::new("filter", &[]))
                    .block(
                        Block::new("noncurrent_version_expiration", &[])
                            .attr("noncurrent_days", noncurrent_days),
                    )
                    .block(
                        Block::new("abort_incomplete_multipart_upload", &[])
                            .attr("days_after_initiation", 7),
                    ),
            )
            .attr(
                "depends_on",
                Expr::list([Expr::reference(&format!(
                    "aws_s3_bucket_versioning.{STATE_BUCKET}"
                ))]),
            ),
    ]
}

#[cfg(test)]
mod tests;
