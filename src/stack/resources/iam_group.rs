//! `aws_iam_group`: the group whose policies the git mirror user gets.

use crate::model::{Block, Expr};
use crate::stack::rules::{Namespace, POLICY_NAME_MAX};
use crate::stack::{Address, Checks, Import, Stack, StackFile, StackItem, UniqueName};

const KIND: &str = "aws_iam_group";

#[derive(Debug, Clone, PartialEq)]
pub struct IamGroup {
    pub label: String,
    pub name: Expr,
}

impl StackItem for IamGroup {
    fn unique_names(&self) -> Vec<UniqueName> {
        vec![UniqueName::of(
            self,
            "name",
            &self.name,
            Namespace::IAM_MIRROR,
        )]
    }

    fn address(&self) -> Address<'_> {
        Address::resource(KIND, &self.label)
    }

    fn file(&self) -> StackFile {
        super::GIT_MIRROR
    }

    fn blocks(&self) -> Vec<Block> {
        vec![Block::new("resource", &[KIND, &self.label]).attr("name", self.name.clone())]
    }

    fn value(&self, attribute: &[String], stack: &Stack) -> Option<String> {
        let name = || stack.evaluate(&self.name);
        match attribute {
            [attribute] if attribute == "name" || attribute == "id" => name(),
            [attribute] if attribute == "arn" => {
                Some(format!("arn:aws:iam::{}:group/{}", stack.account, name()?))
            }
            _ => None,
        }
    }

    fn import(&self, _stack: &Stack) -> Option<Import> {
        Some(Import::id(self.name.clone()))
    }

    /// Group names are IAM names of at most 128 characters.
    fn check(&self, checks: &mut Checks<'_>) {
        checks.iam_name(
            &self.name,
            &format!("{}.name", self.address()),
            POLICY_NAME_MAX,
            "iam-group-name-length",
        );
    }
}
