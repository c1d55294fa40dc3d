//! `aws_s3_bucket_lifecycle_configuration`: old versions and abandoned
//! uploads do not pile up forever.

use crate::model::{Block, Expr};
use crate::stack::{Address, Import, Stack, StackFile, StackItem};

const KIND: &str = "aws_s3_bucket_lifecycle_configuration";

#[derive(Debug, Clone, PartialEq)]
pub struct BucketLifecycle {
    pub label: String,
    /// The bucket's `id`.
    pub bucket: Expr,
    pub rule_id: &'static str,
    pub noncurrent_version_expiration_days: i64,
    pub abort_incomplete_multipart_days: i64,
    pub depends_on: Vec<Expr>,
}

impl StackItem for BucketLifecycle {
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
        let rule = Block::new("rule", &[])
            .attr("id", self.rule_id)
            .attr("status", "Enabled")
            .block(Block::new("filter", &[]))
            .block(
                Block::new("noncurrent_version_expiration", &[])
                    .attr("noncurrent_days", self.noncurrent_version_expiration_days),
            )
            .block(Block::new("abort_incomplete_multipart_upload", &[]).attr(
                "days_after_initiation",
                self.abort_incomplete_multipart_days,
            ));
        let block = Block::new("resource", &[KIND, &self.label])
            .attr("bucket", self.bucket.clone())
            .block(rule);
        vec![block.depends_on(&self.depends_on)]
    }
}
