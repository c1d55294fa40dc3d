//! An `output` block: what `terraform output` shows after apply.

use std::borrow::Cow;

use crate::model::{Block, Expr};
use crate::stack::{Address, StackFile, StackItem};

#[derive(Debug, Clone, PartialEq)]
pub struct Output {
    pub name: String,
    /// Empty: none written (upstream's outputs have none).
    pub description: String,
    pub value: Expr,
    /// `sensitive = true`: Terraform shows `(sensitive value)` instead.
    pub sensitive: bool,
}

impl Output {
    /// An output whose value is the reference `value` (`aws_iam_role.x.arn`).
    pub fn of(name: &str, description: &str, value: &str) -> Self {
        Output {
            name: name.to_string(),
            description: description.to_string(),
            value: Expr::reference(value),
            sensitive: false,
        }
    }

    /// An output of any expression, without a description.
    pub fn new(name: &str, value: Expr) -> Self {
        Output {
            name: name.to_string(),
            description: String::new(),
            value,
            sensitive: false,
        }
    }

    /// The output, marked sensitive.
    pub fn sensitive(self) -> Self {
        Output {
            sensitive: true,
            ..self
        }
    }
}

impl StackItem for Output {
    fn address(&self) -> Address<'_> {
        Address::Output(Cow::Borrowed(&self.name))
    }

    fn file(&self) -> StackFile {
        StackFile::OUTPUTS
    }

    fn blocks(&self) -> Vec<Block> {
        let mut block = Block::new("output", &[&self.name]);
        if !self.description.is_empty() {
            block = block.attr("description", self.description.as_str());
        }
        block = block.attr("value", self.value.clone());
        if self.sensitive {
            block = block.attr("sensitive", true);
        }
        vec![block]
    }
}
