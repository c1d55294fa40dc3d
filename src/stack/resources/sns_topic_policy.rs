//! `aws_sns_topic_policy`: who may publish to the approval topic (the
//! CodePipeline role alone) and subscribe to it (the account).

use crate::model::{Block, Expr};
use crate::policy::{PolicyDocument, PolicyKind};
use crate::stack::{Address, Import, PolicyRef, SizeLimit, Stack, StackFile, StackItem};

const KIND: &str = "aws_sns_topic_policy";

/// SNS's limit for a topic's access policy.
pub const TOPIC_POLICY: SizeLimit = SizeLimit {
    characters: 30720,
    what: "a topic policy",
};

#[derive(Debug, Clone, PartialEq)]
pub struct SnsTopicPolicy {
    pub label: String,
    /// The topic's `arn`.
    pub arn: Expr,
    pub document: PolicyDocument,
}

impl StackItem for SnsTopicPolicy {
    /// Imported by its topic's ARN.
    fn import(&self, _stack: &Stack) -> Option<Import> {
        Some(Import::id(self.arn.clone()))
    }

    fn address(&self) -> Address<'_> {
        Address::resource(KIND, &self.label)
    }

    fn file(&self) -> StackFile {
        super::sns_topic::NOTIFICATIONS
    }

    fn blocks(&self) -> Vec<Block> {
        vec![
            Block::new("resource", &[KIND, &self.label])
                .attr("arn", self.arn.clone())
                .attr("policy", self.document.to_jsonencode()),
        ]
    }

    fn policies(&self) -> Vec<PolicyRef<'_>> {
        vec![PolicyRef {
            field: format!("{}.policy", self.address()),
            kind: PolicyKind::Resource,
            document: &self.document,
            limit: TOPIC_POLICY,
            star_is_this_resource: false,
        }]
    }
}
