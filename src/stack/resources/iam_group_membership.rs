//! `aws_iam_group_membership`: the whole list of a group's users (upstream's
//! way of putting the git mirror user in its group). Exclusive: it removes
//! any other user from the group, and the provider cannot import it.

use crate::model::{Block, Expr};
use crate::stack::{Address, Import, Stack, StackFile, StackItem};

const KIND: &str = "aws_iam_group_membership";

#[derive(Debug, Clone, PartialEq)]
pub struct GroupMembership {
    pub label: String,
    /// A name for the membership itself, which AWS does not keep.
    pub name: String,
    /// The users' `name`s.
    pub users: Vec<Expr>,
    /// The group's `name`.
    pub group: Expr,
}

impl StackItem for GroupMembership {
    fn address(&self) -> Address<'_> {
        Address::resource(KIND, &self.label)
    }

    fn file(&self) -> StackFile {
        super::GIT_MIRROR
    }

    fn blocks(&self) -> Vec<Block> {
        vec![
            Block::new("resource", &[KIND, &self.label])
                .attr("name", self.name.as_str())
                .attr("users", Expr::list(self.users.iter().cloned()))
                .attr("group", self.group.clone()),
        ]
    }

    fn value(&self, attribute: &[String], stack: &Stack) -> Option<String> {
        match attribute {
            [attribute] if attribute == "id" || attribute == "name" => Some(self.name.clone()),
            [attribute] if attribute == "group" => stack.evaluate(&self.group),
            _ => None,
        }
    }

    fn import(&self, _stack: &Stack) -> Option<Import> {
        Some(Import::Unsupported {
            what_apply_does: "adds the users to the group again (AddUserToGroup of a member changes nothing)",
        })
    }
}
