//! `aws_s3_bucket_policy`: the bucket's resource policy.

use crate::model::{Block, Expr};
use crate::policy::{PolicyDocument, PolicyKind};
use crate::stack::{Address, Import, PolicyRef, Stack, StackFile, StackItem};

const KIND: &str = "aws_s3_bucket_policy";

#[derive(Debug, Clone, PartialEq)]
pub struct BucketPolicy {
    pub label: String,
    /// The bucket's `id`.
    pub bucket: Expr,
    pub document: PolicyDocument,
    pub depends_on: Vec<Expr>,
}

impl StackItem for BucketPolicy {
    /// Imported by its bucket's name.
    fn import(&self, _stack: &Stack) -> Option<Import> {
        Some(Import::id(self.bucket.clone()))
    }

    fn address(&self) -> Address<'_> {
        Address::resource(KIND, &self.label)
    }

    fn file(&self) -> StackFile {
        StackFile::S3
    }

    fn blocks(&self) -> Vec<Block> {
        let block = Block::new("resource", &[KIND, &self.label])
            .attr("bucket", self.bucket.clone())
            .attr("policy", self.document.to_jsonencode());
        vec![block.depends_on(&self.depends_on)]
    }

    fn policies(&self) -> Vec<PolicyRef<'_>> {
        vec![PolicyRef {
            field: format!("{}.policy", self.address()),
            kind: PolicyKind::Resource,
            document: &self.document,
            limit: crate::stack::SizeLimit::BUCKET_POLICY,
            star_is_this_resource: false,
        }]
    }
}
