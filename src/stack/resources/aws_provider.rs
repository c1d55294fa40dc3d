//! `provider "aws"`: the region every resource is created in.

use crate::model::{Block, Expr};
use crate::stack::{Address, StackFile, StackItem};

#[derive(Debug, Clone, PartialEq)]
pub struct AwsProvider {
    pub region: Expr,
}

impl AwsProvider {
    /// The region from `var.region`.
    pub fn reference() -> Self {
        AwsProvider {
            region: Expr::reference("var.region"),
        }
    }
}

impl StackItem for AwsProvider {
    fn address(&self) -> Address {
        Address::Unnamed("provider.aws")
    }

    fn file(&self) -> StackFile {
        StackFile::PROVIDER
    }

    fn blocks(&self) -> Vec<Block> {
        vec![Block::new("provider", &["aws"]).attr("region", self.region.clone())]
    }
}
