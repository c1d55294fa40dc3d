//! `aws_iam_service_specific_credential`: the git mirror user's HTTPS Git
//! user name and password for CodeCommit. AWS shows the password once, at
//! creation: Terraform keeps it in the state (an output marked sensitive).

use crate::model::{Block, Expr};
use crate::stack::{Address, Import, Stack, StackFile, StackItem};

const KIND: &str = "aws_iam_service_specific_credential";

#[derive(Debug, Clone, PartialEq)]
pub struct ServiceSpecificCredential {
    pub label: String,
    /// `codecommit.amazonaws.com`.
    pub service_name: &'static str,
    /// The user's `name`.
    pub user_name: Expr,
}

impl StackItem for ServiceSpecificCredential {
    fn address(&self) -> Address<'_> {
        Address::resource(KIND, &self.label)
    }

    fn file(&self) -> StackFile {
        super::GIT_MIRROR
    }

    fn blocks(&self) -> Vec<Block> {
        vec![
            Block::new("resource", &[KIND, &self.label])
                .attr("service_name", self.service_name)
                .attr("user_name", self.user_name.clone()),
        ]
    }

    /// The Git user name is `<user>-at-<account>`; the password and the
    /// credential's ID are AWS's to choose.
    fn value(&self, attribute: &[String], stack: &Stack) -> Option<String> {
        match attribute {
            [attribute] if attribute == "service_user_name" => Some(format!(
                "{}-at-{}",
                stack.evaluate(&self.user_name)?,
                stack.account
            )),
            _ => None,
        }
    }

    fn import(&self, stack: &Stack) -> Option<Import> {
        let user = stack
            .evaluate(&self.user_name)
            .unwrap_or_else(|| "USER".into());
        Some(Import::ChosenByAws {
            format: format!("{}:{user}:CREDENTIAL_ID", self.service_name),
            listed_by: format!(
                "aws iam list-service-specific-credentials --user-name {user} --service-name {}",
                self.service_name
            ),
        })
    }
}
