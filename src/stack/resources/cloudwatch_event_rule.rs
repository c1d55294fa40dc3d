//! `aws_cloudwatch_event_rule`: an EventBridge rule. Its event pattern is a
//! typed object lowered to `jsonencode({...})`, read line by line in review.

use crate::model::{Block, Expr};
use crate::stack::rules::NameRule;
use crate::stack::rules::Namespace;
use crate::stack::{Address, Checks, Import, Stack, StackFile, StackItem, UniqueName};

const KIND: &str = "aws_cloudwatch_event_rule";

const NAME_RULE: NameRule = NameRule {
    length_rule: "events-rule-name-length",
    charset_rule: "events-rule-name-charset",
    service: "EventBridge",
    what: "rule name",
    min: 1,
    max: 64,
    allowed: |c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'),
    allowed_text: "letters, digits, '.', '-' and '_'",
};

#[derive(Debug, Clone, PartialEq)]
pub struct EventRule {
    pub label: String,
    pub name: Expr,
    pub description: Expr,
    /// The event pattern, an object expression (`source`, `detail-type`,
    /// `detail`, ...).
    pub event_pattern: Expr,
}

impl StackItem for EventRule {
    fn unique_names(&self) -> Vec<UniqueName> {
        vec![UniqueName::of(
            self,
            "name",
            &self.name,
            Namespace::regional("events-rule-name-unique", "EventBridge rule name"),
        )]
    }

    /// A rule on the default event bus is imported by its name.
    fn import(&self, _stack: &Stack) -> Option<Import> {
        Some(Import::id(self.name.clone()))
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
                .attr("name", self.name.clone())
                .attr("description", self.description.clone())
                .attr(
                    "event_pattern",
                    Expr::jsonencode(self.event_pattern.clone()),
                ),
        ]
    }

    fn value(&self, attribute: &[String], stack: &Stack) -> Option<String> {
        let name = || stack.evaluate(&self.name);
        match attribute {
            [attribute] if attribute == "name" || attribute == "id" => name(),
            [attribute] if attribute == "arn" => stack.arn("events", &format!("rule/{}", name()?)),
            _ => None,
        }
    }

    fn check(&self, checks: &mut Checks<'_>) {
        checks.resource_name(&self.name, &format!("{}.name", self.address()), &NAME_RULE);
    }
}
