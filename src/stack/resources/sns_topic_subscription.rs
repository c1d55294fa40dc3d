//! `aws_sns_topic_subscription`: one approver's email address on the
//! approval topic. SNS emails the address a confirmation link first; no
//! message reaches it until someone follows the link.

use crate::model::{Block, Expr};
use crate::stack::{Address, Import, Stack, StackFile, StackItem};

const KIND: &str = "aws_sns_topic_subscription";

#[derive(Debug, Clone, PartialEq)]
pub struct SnsTopicSubscription {
    pub label: String,
    /// The topic's `arn`.
    pub topic_arn: Expr,
    pub protocol: &'static str,
    pub endpoint: String,
}

impl StackItem for SnsTopicSubscription {
    fn address(&self) -> Address<'_> {
        Address::resource(KIND, &self.label)
    }

    fn file(&self) -> StackFile {
        super::sns_topic::NOTIFICATIONS
    }

    fn blocks(&self) -> Vec<Block> {
        vec![
            Block::new("resource", &[KIND, &self.label])
                .attr("topic_arn", self.topic_arn.clone())
                .attr("protocol", self.protocol)
                .attr("endpoint", self.endpoint.as_str()),
        ]
    }

    /// A subscription is imported by its ARN, which ends in an ID SNS chose.
    fn import(&self, _stack: &Stack) -> Option<Import> {
        Some(Import::ChosenByAws {
            format: "arn:aws:sns:REGION:ACCOUNT:TOPIC:ID".into(),
            listed_by: "aws sns list-subscriptions-by-topic --topic-arn TOPIC_ARN".into(),
        })
    }
}
