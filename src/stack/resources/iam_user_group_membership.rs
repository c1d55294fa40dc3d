//! `aws_iam_user_group_membership`: the groups one user is in, without
//! touching the group's other members (hardened's git mirror user).

use crate::model::{Block, Expr};
use crate::stack::{Address, Import, Stack, StackFile, StackItem};

const KIND: &str = "aws_iam_user_group_membership";

#[derive(Debug, Clone, PartialEq)]
pub struct UserGroupMembership {
    pub label: String,
    /// The user's `name`.
    pub user: Expr,
    /// The groups' `name`s.
    pub groups: Vec<Expr>,
}

impl StackItem for UserGroupMembership {
    fn address(&self) -> Address<'_> {
        Address::resource(KIND, &self.label)
    }

    fn file(&self) -> StackFile {
        super::GIT_MIRROR
    }

    fn blocks(&self) -> Vec<Block> {
        vec![
            Block::new("resource", &[KIND, &self.label])
                .attr("user", self.user.clone())
                .attr("groups", Expr::list(self.groups.iter().cloned())),
        ]
    }

    /// `<user>/<group>[/<group>...]`.
    fn import(&self, _stack: &Stack) -> Option<Import> {
        let slash = Expr::from("/");
        let mut parts = vec![&self.user];
        for group in &self.groups {
            parts.push(&slash);
            parts.push(group);
        }
        Some(Import::id(Import::joined(&parts)))
    }
}
