//! `aws_iam_group_policy_attachment`: a managed policy attached to a group.

use crate::model::{Block, Expr};
use crate::stack::{Address, Import, Stack, StackFile, StackItem};

const KIND: &str = "aws_iam_group_policy_attachment";

#[derive(Debug, Clone, PartialEq)]
pub struct GroupPolicyAttachment {
    pub label: String,
    /// The group's `name`.
    pub group: Expr,
    /// The policy's `arn`.
    pub policy_arn: Expr,
}

impl StackItem for GroupPolicyAttachment {
    fn address(&self) -> Address<'_> {
        Address::resource(KIND, &self.label)
    }

    fn file(&self) -> StackFile {
        super::GIT_MIRROR
    }

    fn blocks(&self) -> Vec<Block> {
        vec![
            Block::new("resource", &[KIND, &self.label])
                .attr("group", self.group.clone())
                .attr("policy_arn", self.policy_arn.clone()),
        ]
    }

    /// `<group>/<policy ARN>`.
    fn import(&self, _stack: &Stack) -> Option<Import> {
        Some(Import::id(Import::joined(&[
            &self.group,
            &Expr::from("/"),
            &self.policy_arn,
        ])))
    }
}
