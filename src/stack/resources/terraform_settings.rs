//! The `terraform` block: the Terraform and provider versions the output is
//! written for.

use crate::model::{Block, Expr};
use crate::stack::{
    AWS_PROVIDER_SOURCE, AWS_PROVIDER_VERSION, Address, REQUIRED_TERRAFORM, StackFile, StackItem,
};

#[derive(Debug, Clone, PartialEq)]
pub struct TerraformSettings;

impl StackItem for TerraformSettings {
    fn address(&self) -> Address<'_> {
        Address::Unnamed("terraform")
    }

    fn file(&self) -> StackFile {
        StackFile::VERSIONS
    }

    fn blocks(&self) -> Vec<Block> {
        let aws = Expr::object([
            ("source", Expr::from(AWS_PROVIDER_SOURCE)),
            ("version", Expr::from(AWS_PROVIDER_VERSION)),
        ]);
        vec![
            Block::new("terraform", &[])
                .attr("required_version", REQUIRED_TERRAFORM)
                .block(Block::new("required_providers", &[]).attr("aws", aws)),
        ]
    }
}
