//! `aws_s3_bucket`: the bucket that holds every artifact of the pipeline.

use super::lifecycle;
use crate::model::{Block, Expr};
use crate::stack::rules::Namespace;
use crate::stack::{Address, Checks, Import, Stack, StackFile, StackItem, UniqueName};

const KIND: &str = "aws_s3_bucket";

/// The bucket's arguments that provider 5 keeps only as read-only copies of
/// its companion resources' settings (`aws_s3_bucket_versioning`, ...):
/// a change outside Terraform shows on the companion, and here only as an
/// echo, even after an apply puts it back.
pub const MIRRORED: [&str; 11] = [
    "acl",
    "cors_rule",
    "grant",
    "lifecycle_rule",
    "logging",
    "object_lock_configuration",
    "policy",
    "replication_configuration",
    "request_payer",
    "server_side_encryption_configuration",
    "versioning",
];

/// Every object in the bucket, every version of it.
pub const KEEPS: super::Keeps = super::Keeps {
    kind: KIND,
    what: "every object in the bucket (the pipeline's artifacts and models, or Terraform's state)",
    tier: super::Tier::Data,
    replaced_when: &["bucket", "bucket_prefix", "object_lock_enabled"],
};

#[derive(Debug, Clone, PartialEq)]
pub struct S3Bucket {
    pub label: String,
    pub bucket: Expr,
    /// `force_destroy`, when set: delete the objects with the bucket.
    pub force_destroy: Option<bool>,
    /// `lifecycle { prevent_destroy = true }`: Terraform refuses to destroy it.
    pub prevent_destroy: bool,
    /// checkov checks that do not apply, with the reason, emitted as
    /// `#checkov:skip=ID:reason` inside the resource.
    pub checkov_skips: Vec<(&'static str, &'static str)>,
}

impl S3Bucket {
    /// The reference's `aws_s3_bucket.artifacts_bucket`.
    pub fn reference() -> Self {
        S3Bucket {
            label: "artifacts_bucket".into(),
            bucket: Expr::reference("var.artifacts_bucket_name"),
            force_destroy: Some(true),
            prevent_destroy: false,
            checkov_skips: Vec::new(),
        }
    }
}

impl StackItem for S3Bucket {
    fn unique_names(&self) -> Vec<UniqueName> {
        vec![UniqueName::of(
            self,
            "bucket",
            &self.bucket,
            Namespace::S3_BUCKET,
        )]
    }

    fn address(&self) -> Address<'_> {
        Address::resource(KIND, &self.label)
    }

    fn file(&self) -> StackFile {
        StackFile::S3
    }

    fn checkov_skips(&self) -> &[(&'static str, &'static str)] {
        &self.checkov_skips
    }

    fn blocks(&self) -> Vec<Block> {
        let block = super::skipping(
            Block::new("resource", &[KIND, &self.label]),
            &self.checkov_skips,
        );
        let mut block = block.attr("bucket", self.bucket.clone());
        if let Some(force_destroy) = self.force_destroy {
            block = block.attr("force_destroy", force_destroy);
        }
        vec![lifecycle(block, self.prevent_destroy)]
    }

    fn value(&self, attribute: &[String], stack: &Stack) -> Option<String> {
        let name = || stack.evaluate(&self.bucket);
        match attribute {
            [name_or_id] if name_or_id == "bucket" || name_or_id == "id" => name(),
            [arn] if arn == "arn" => Some(format!("arn:aws:s3:::{}", name()?)),
            _ => None,
        }
    }

    /// A bucket is imported by its name.
    fn import(&self, _stack: &Stack) -> Option<Import> {
        Some(Import::id(self.bucket.clone()))
    }

    fn check(&self, checks: &mut Checks<'_>) {
        checks.bucket_name(&self.bucket, &format!("{}.bucket", self.address()));
    }
}
