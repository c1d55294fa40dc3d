//! `aws_kms_alias`: a readable name for a key (`alias/...`).

use crate::model::{Block, Expr};
use crate::stack::rules::Namespace;
use crate::stack::{Address, Import, Stack, StackFile, StackItem, UniqueName};

#[derive(Debug, Clone, PartialEq)]
pub struct KmsAlias {
    pub label: String,
    /// `alias/<name>`.
    pub name: Expr,
    /// The key's `key_id`.
    pub target_key_id: Expr,
}

impl StackItem for KmsAlias {
    fn unique_names(&self) -> Vec<UniqueName> {
        vec![UniqueName::of(
            self,
            "name",
            &self.name,
            Namespace::regional("kms-alias-name-unique", "KMS alias name"),
        )]
    }

    /// An alias is imported by its name, `alias/...`.
    fn import(&self, _stack: &Stack) -> Option<Import> {
        Some(Import::id(self.name.clone()))
    }

    fn address(&self) -> Address<'_> {
        Address::resource("aws_kms_alias", &self.label)
    }

    fn file(&self) -> StackFile {
        StackFile::new("kms")
    }

    fn blocks(&self) -> Vec<Block> {
        vec![
            Block::new("resource", &["aws_kms_alias", &self.label])
                .attr("name", self.name.clone())
                .attr("target_key_id", self.target_key_id.clone()),
        ]
    }
}
