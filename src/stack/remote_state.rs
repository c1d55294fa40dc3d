//! What an environment needs to run from CI next to the others: an S3 backend
//! with Terraform's native lock file, a provider that refuses the wrong
//! account and tags every resource, and the root module that creates the
//! state bucket of an account before any environment uses it.
//!
//! These take their own plain inputs, not `config` types, so they plug into
//! the stack's own input when it has one; each returns model blocks.

use crate::model::{Block, Expr};

use super::StackItem;
use super::resources::{S3Bucket, TerraformSettings};

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

/// The directory of the `out/` tree that holds every state bucket's module.
pub const STATE_ROOT: &str = "_state";

/// The directory, under the output root, of a state bucket's bootstrap
/// module: named by the bucket, which one module creates, since one bucket
/// may hold the state of environments in several accounts.
pub fn state_bucket_directory(bucket: &str) -> String {
    format!("{STATE_ROOT}/{bucket}")
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
    // The same resource types, and the same protections, as hardened's
    // artifacts bucket; kept forever instead of emptied on destroy.
    let state_bucket = S3Bucket {
        label: STATE_BUCKET.into(),
        bucket: Expr::from(bucket),
        force_destroy: None,
        prevent_destroy: true,
        checkov_skips: vec![
            (
                "CKV_AWS_18",
                "the state bucket's own access logs would need a log bucket bootstrapped before it; CloudTrail data events cover state access",
            ),
            (
                "CKV_AWS_144",
                "state is versioned in place; a replica in a second region is an account-level decision outside tfgen",
            ),
            ("CKV2_AWS_62", "nothing consumes state bucket events"),
        ],
    };
    let protections = super::hardened::bucket_protections(
        &state_bucket,
        "expire-old-state-versions",
        noncurrent_days,
    );
    let mut blocks = TerraformSettings.blocks();
    blocks.push(provider);
    blocks.extend(state_bucket.blocks());
    blocks.extend(protections.iter().flat_map(|item| item.blocks()));
    crate::model::features::settle_required_version(&mut blocks);
    blocks
}

#[cfg(test)]
mod tests;
