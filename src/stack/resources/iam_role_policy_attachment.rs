//! `aws_iam_role_policy_attachment`: a managed policy attached to a role.

use crate::model::{Block, Expr};
use crate::stack::{Address, Import, Stack, StackFile, StackItem};

const KIND: &str = "aws_iam_role_policy_attachment";

#[derive(Debug, Clone, PartialEq)]
pub struct RolePolicyAttachment {
    pub label: String,
    /// The role's `name`.
    pub role: Expr,
    /// The policy's `arn`.
    pub policy_arn: Expr,
}

impl RolePolicyAttachment {
    /// `<policy label>_attachment`, attaching `aws_iam_policy.<policy label>`
    /// to `role`.
    pub fn of(policy_label: &str, role: Expr) -> Self {
        RolePolicyAttachment {
            label: format!("{policy_label}_attachment"),
            role,
            policy_arn: Expr::reference(&format!("aws_iam_policy.{policy_label}.arn")),
        }
    }
}

impl StackItem for RolePolicyAttachment {
    /// An attachment is imported as `<role name>/<policy ARN>`.
    fn import(&self, _stack: &Stack) -> Option<Import> {
        Some(Import::id(Import::joined(&[
            &self.role,
            &Expr::from("/"),
            &self.policy_arn,
        ])))
    }

    fn address(&self) -> Address<'_> {
        Address::resource(KIND, &self.label)
    }

    fn file(&self) -> StackFile {
        StackFile::IAM_ROLES
    }

    fn blocks(&self) -> Vec<Block> {
        vec![
            Block::new("resource", &[KIND, &self.label])
                .attr("role", self.role.clone())
                .attr("policy_arn", self.policy_arn.clone()),
        ]
    }
}
