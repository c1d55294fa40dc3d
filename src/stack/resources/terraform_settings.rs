//! The `terraform` block: the Terraform and provider versions the output is
//! written for. `required_version` is the module's: `Stack` settles it
//! once every item is lowered.

use crate::model::{Block, Expr, features};
use crate::stack::{AWS_PROVIDER_SOURCE, AWS_PROVIDER_VERSION, Address, StackFile, StackItem};

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
                // Settled when the whole module is lowered: the newest
                // language feature it uses (`model::features`).
                .attr("required_version", features::required_version([]))
                .block(Block::new("required_providers", &[]).attr("aws", aws)),
        ]
    }
}
