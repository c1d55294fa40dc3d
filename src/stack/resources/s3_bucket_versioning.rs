//! `aws_s3_bucket_versioning`: an overwritten or deleted artifact can be
//! recovered.

use crate::model::{Block, Expr};
use crate::stack::{Address, Import, Stack, StackFile, StackItem};

#[derive(Debug, Clone, PartialEq)]
pub struct BucketVersioning {
    pub label: String,
    /// The bucket's `id`.
    pub bucket: Expr,
    /// `Enabled` or `Suspended`.
    pub status: &'static str,
}

impl StackItem for BucketVersioning {
    /// Imported by its bucket's name.
    fn import(&self, _stack: &Stack) -> Option<Import> {
        Some(Import::id(self.bucket.clone()))
    }

    fn address(&self) -> Address<'_> {
        Address::resource("aws_s3_bucket_versioning", &self.label)
    }

    fn file(&self) -> StackFile {
        StackFile::S3
    }

    fn blocks(&self) -> Vec<Block> {
        vec![
            Block::new("resource", &["aws_s3_bucket_versioning", &self.label])
                .attr("bucket", self.bucket.clone())
                .block(Block::new("versioning_configuration", &[]).attr("status", self.status)),
        ]
    }
}
