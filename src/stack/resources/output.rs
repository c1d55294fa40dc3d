//! An `output` block: what `terraform output` shows after apply.

use std::borrow::Cow;

use crate::model::{Block, Expr};
use crate::stack::{Address, StackFile, StackItem};

#[derive(Debug, Clone, PartialEq)]
pub struct Output {
    pub name: String,
    pub description: String,
    pub value: Expr,
}

impl Output {
    /// An output whose value is the reference `value` (`aws_iam_role.x.arn`).
    pub fn of(name: &str, description: &str, value: &str) -> Self {
        Output {
            name: name.to_string(),
            description: description.to_string(),
            value: Expr::reference(value),
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
        vec![
            Block::new("output", &[&self.name])
                .attr("description", self.description.as_str())
                .attr("value", self.value.clone()),
        ]
    }
}
