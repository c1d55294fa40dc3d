//! `aws_s3_bucket_server_side_encryption_configuration`: every object is
//! encrypted at rest by default.

use crate::model::{Block, Expr};
use crate::stack::{Address, Import, Stack, StackFile, StackItem};

const KIND: &str = "aws_s3_bucket_server_side_encryption_configuration";

#[derive(Debug, Clone, PartialEq)]
pub struct BucketEncryption {
    pub label: String,
    /// The bucket's `id`.
    pub bucket: Expr,
    /// `"aws:kms"` (the AWS-managed key unless a key is named) or `"AES256"`.
    pub sse_algorithm: String,
    /// S3 Bucket Keys: one KMS data key per bucket instead of per object.
    pub bucket_key_enabled: bool,
}

impl StackItem for BucketEncryption {
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
        vec![
            Block::new("resource", &[KIND, &self.label])
                .attr("bucket", self.bucket.clone())
                .block(
                    Block::new("rule", &[])
                        .attr("bucket_key_enabled", self.bucket_key_enabled)
                        .block(
                            Block::new("apply_server_side_encryption_by_default", &[])
                                .attr("sse_algorithm", self.sse_algorithm.as_str()),
                        ),
                ),
        ]
    }
}
