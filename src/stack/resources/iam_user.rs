//! `aws_iam_user`: a machine user. The stack has one, the git mirror's: an
//! HTTPS Git credential for CodeCommit exists only for an IAM user.

use crate::model::{Block, Expr};
use crate::stack::rules::{Namespace, ROLE_NAME_MAX};
use crate::stack::{Address, Checks, Import, Stack, StackFile, StackItem, UniqueName};

const KIND: &str = "aws_iam_user";

#[derive(Debug, Clone, PartialEq)]
pub struct IamUser {
    pub label: String,
    pub name: Expr,
    /// `None` leaves the provider's `/`, as upstream writes it.
    pub path: Option<String>,
    /// checkov checks that do not apply, with the reason.
    pub checkov_skips: Vec<(&'static str, &'static str)>,
}

impl StackItem for IamUser {
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

    fn checkov_skips(&self) -> &[(&'static str, &'static str)] {
        &self.checkov_skips
    }

    fn blocks(&self) -> Vec<Block> {
        let block = super::skipping(
            Block::new("resource", &[KIND, &self.label]),
            &self.checkov_skips,
        );
        let block = block.attr("name", self.name.clone());
        vec![match &self.path {
            Some(path) => block.attr("path", path.as_str()),
            None => block,
        }]
    }

    fn value(&self, attribute: &[String], stack: &Stack) -> Option<String> {
        let name = || stack.evaluate(&self.name);
        match attribute {
            [attribute] if attribute == "name" || attribute == "id" => name(),
            [attribute] if attribute == "arn" => Some(format!(
                "arn:aws:iam::{}:user{}{}",
                stack.account,
                self.path.as_deref().unwrap_or("/"),
                name()?
            )),
            _ => None,
        }
    }

    fn import(&self, _stack: &Stack) -> Option<Import> {
        Some(Import::id(self.name.clone()))
    }

    fn check(&self, checks: &mut Checks<'_>) {
        let field = |name: &str| format!("{}.{name}", self.address());
        checks.iam_name(
            &self.name,
            &field("name"),
            ROLE_NAME_MAX,
            "iam-user-name-length",
        );
        if let Some(path) = &self.path {
            checks.iam_path(path, &field("path"));
        }
    }
}
