//! `aws_cloudwatch_log_group`: where a build writes its logs, kept for a
//! set time and encrypted.

use crate::model::{Block, Expr};
use crate::stack::rules::Namespace;
use crate::stack::{Address, Import, Stack, StackFile, StackItem, UniqueName};

const KIND: &str = "aws_cloudwatch_log_group";

/// The builds' logs.
pub const KEEPS: super::Keeps = super::Keeps {
    kind: KIND,
    what: "every log event in the group",
    tier: super::Tier::Data,
    replaced_when: &["name", "name_prefix", "log_group_class"],
};

#[derive(Debug, Clone, PartialEq)]
pub struct LogGroup {
    pub label: String,
    pub name: Expr,
    pub retention_in_days: i64,
    /// The KMS key's `arn`.
    pub kms_key_id: Option<Expr>,
}

impl StackItem for LogGroup {
    fn unique_names(&self) -> Vec<UniqueName> {
        vec![UniqueName::of(
            self,
            "name",
            &self.name,
            Namespace::regional("logs-group-name-unique", "CloudWatch Logs group name"),
        )]
    }

    /// A log group is imported by its name.
    fn import(&self, _stack: &Stack) -> Option<Import> {
        Some(Import::id(self.name.clone()))
    }

    fn address(&self) -> Address<'_> {
        Address::resource(KIND, &self.label)
    }

    fn file(&self) -> StackFile {
        StackFile::new("logs")
    }

    fn blocks(&self) -> Vec<Block> {
        let block = Block::new("resource", &[KIND, &self.label])
            .attr("name", self.name.clone())
            .attr("retention_in_days", self.retention_in_days);
        vec![match &self.kms_key_id {
            Some(key) => block.attr("kms_key_id", key.clone()),
            None => block,
        }]
    }

    fn value(&self, attribute: &[String], stack: &Stack) -> Option<String> {
        let name = || stack.evaluate(&self.name);
        match attribute {
            [attribute] if attribute == "name" || attribute == "id" => name(),
            [attribute] if attribute == "arn" => {
                stack.arn("logs", &format!("log-group:{}", name()?))
            }
            _ => None,
        }
    }
}
