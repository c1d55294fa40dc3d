//! `aws_cloudwatch_event_target`: what an EventBridge rule starts (here, a
//! pipeline), and the role EventBridge acts as to start it.

use crate::model::{Block, Expr};
use crate::stack::{Address, Import, RoleUse, Stack, StackFile, StackItem};

const KIND: &str = "aws_cloudwatch_event_target";

#[derive(Debug, Clone, PartialEq)]
pub struct EventTarget {
    pub label: String,
    /// The rule's `name`.
    pub rule: Expr,
    pub target_id: Expr,
    /// The target's `arn`.
    pub arn: Expr,
    /// The role's `arn` EventBridge assumes to call the target.
    pub role_arn: Expr,
}

impl StackItem for EventTarget {
    /// A target is imported as `<rule name>/<target ID>` (default bus).
    fn import(&self, _stack: &Stack) -> Option<Import> {
        Some(Import::id(Import::joined(&[
            &self.rule,
            &Expr::from("/"),
            &self.target_id,
        ])))
    }

    fn address(&self) -> Address<'_> {
        Address::resource(KIND, &self.label)
    }

    fn file(&self) -> StackFile {
        StackFile::new("events")
    }

    fn blocks(&self) -> Vec<Block> {
        vec![
            Block::new("resource", &[KIND, &self.label])
                .attr("rule", self.rule.clone())
                .attr("target_id", self.target_id.clone())
                .attr("arn", self.arn.clone())
                .attr("role_arn", self.role_arn.clone()),
        ]
    }

    fn role_uses(&self) -> Vec<RoleUse> {
        vec![RoleUse::assumed(
            &self.role_arn,
            "events.amazonaws.com",
            "role_arn",
        )]
    }
}
