//! `aws_s3_bucket_ownership_controls`: the bucket owner owns every object,
//! and ACLs are off.

use crate::model::{Block, Expr};
use crate::stack::{Address, Import, Stack, StackFile, StackItem};

#[derive(Debug, Clone, PartialEq)]
pub struct BucketOwnershipControls {
    pub label: String,
    /// The bucket's `id`.
    pub bucket: Expr,
    /// `BucketOwnerEnforced`, `BucketOwnerPreferred` or `ObjectWriter`.
    pub object_ownership: &'static str,
}

impl StackItem for BucketOwnershipControls {
    /// Imported by its bucket's name.
    fn import(&self, _stack: &Stack) -> Option<Import> {
        Some(Import::id(self.bucket.clone()))
    }

    fn address(&self) -> Address<'_> {
        Address::resource("aws_s3_bucket_ownership_controls", &self.label)
    }

    fn file(&self) -> StackFile {
        StackFile::S3
    }

    fn blocks(&self) -> Vec<Block> {
        vec![
            Block::new(
                "resource",
                &["aws_s3_bucket_ownership_controls", &self.label],
            )
            .attr("bucket", self.bucket.clone())
            .block(Block::new("rule", &[]).attr("object_ownership", self.object_ownership)),
        ]
    }
}
