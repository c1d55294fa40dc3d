//! `data "aws_caller_identity"`: the account Terraform runs in, so ARNs can
//! name it instead of `*`.

use std::borrow::Cow;

use crate::model::Block;
use crate::stack::{Address, Stack, StackFile, StackItem};

#[derive(Debug, Clone, PartialEq)]
pub struct CallerIdentity {
    pub name: &'static str,
}

impl StackItem for CallerIdentity {
    fn address(&self) -> Address<'_> {
        Address::Data {
            kind: "aws_caller_identity",
            name: Cow::Borrowed(self.name),
        }
    }

    fn file(&self) -> StackFile {
        StackFile::PROVIDER
    }

    fn blocks(&self) -> Vec<Block> {
        vec![Block::new("data", &["aws_caller_identity", self.name])]
    }

    /// Every account-scoped ARN uses it: drawing those edges hides the rest.
    fn in_graph(&self) -> bool {
        false
    }

    /// The account ID is known only at plan time; the placeholder has its
    /// real length, which is what the size limits need.
    fn value(&self, attribute: &[String], stack: &Stack) -> Option<String> {
        matches!(attribute, [name] if name == "account_id").then(|| stack.account.to_string())
    }
}
