//! `aws_s3_bucket_public_access_block`: no ACL or policy can make the bucket
//! public.

use crate::model::{Block, Expr};
use crate::stack::{Address, Import, Stack, StackFile, StackItem};

#[derive(Debug, Clone, PartialEq)]
pub struct BucketPublicAccessBlock {
    pub label: String,
    /// The bucket's `id`.
    pub bucket: Expr,
}

impl StackItem for BucketPublicAccessBlock {
    /// Imported by its bucket's name.
    fn import(&self, _stack: &Stack) -> Option<Import> {
        Some(Import::id(self.bucket.clone()))
    }

    fn address(&self) -> Address<'_> {
        Address::resource("aws_s3_bucket_public_access_block", &self.label)
    }

    fn file(&self) -> StackFile {
        StackFile::S3
    }

    fn blocks(&self) -> Vec<Block> {
        vec![
            Block::new(
                "resource",
                &["aws_s3_bucket_public_access_block", &self.label],
            )
            .attr("bucket", self.bucket.clone())
            .attr("block_public_acls", true)
            .attr("block_public_policy", true)
            .attr("ignore_public_acls", true)
            .attr("restrict_public_buckets", true),
        ]
    }
}
