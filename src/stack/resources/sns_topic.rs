//! `aws_sns_topic`: the topic the CD pipeline's manual approval notifies,
//! so a model waiting for approval reaches the approvers' inboxes instead
//! of waiting until someone opens the console.

use crate::model::{Block, Expr};
use crate::stack::rules::{NameRule, Namespace};
use crate::stack::{Address, Checks, Import, Stack, StackFile, StackItem, UniqueName};

const KIND: &str = "aws_sns_topic";

/// The file of the approval's notification: the topic, its policy and the
/// subscriptions.
pub const NOTIFICATIONS: StackFile = StackFile::new("notifications");

const NAME_RULE: NameRule = NameRule {
    length_rule: "sns-topic-name-length",
    charset_rule: "sns-topic-name-charset",
    service: "SNS",
    what: "topic name",
    min: 1,
    max: 256,
    allowed: |c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'),
    allowed_text: "letters, digits, '_' and '-'",
};

#[derive(Debug, Clone, PartialEq)]
pub struct SnsTopic {
    pub label: String,
    pub name: Expr,
    /// The KMS key (ID, ARN or alias) SNS encrypts messages at rest with.
    pub kms_master_key_id: Expr,
}

impl StackItem for SnsTopic {
    fn unique_names(&self) -> Vec<UniqueName> {
        vec![UniqueName::of(
            self,
            "name",
            &self.name,
            Namespace::regional("sns-topic-name-unique", "SNS topic name"),
        )]
    }

    fn address(&self) -> Address<'_> {
        Address::resource(KIND, &self.label)
    }

    fn file(&self) -> StackFile {
        NOTIFICATIONS
    }

    fn blocks(&self) -> Vec<Block> {
        vec![
            Block::new("resource", &[KIND, &self.label])
                .attr("name", self.name.clone())
                .attr("kms_master_key_id", self.kms_master_key_id.clone()),
        ]
    }

    fn value(&self, attribute: &[String], stack: &Stack) -> Option<String> {
        match attribute {
            [attribute] if attribute == "arn" || attribute == "id" => {
                stack.arn("sns", &stack.evaluate(&self.name)?)
            }
            [attribute] if attribute == "name" => stack.evaluate(&self.name),
            _ => None,
        }
    }

    /// A topic is imported by its ARN, which its name gives.
    fn import(&self, _stack: &Stack) -> Option<Import> {
        Some(Import::id(self.reference_to("arn")))
    }

    fn check(&self, checks: &mut Checks<'_>) {
        let field = format!("{}.name", self.address());
        checks.resource_name(&self.name, &field, &NAME_RULE);
    }
}
