//! A `locals` block: named values the other items interpolate
//! (`local.account_id`).

use crate::model::{Block, Expr};
use crate::stack::{Address, Stack, StackFile, StackItem};

#[derive(Debug, Clone, PartialEq)]
pub struct Locals {
    pub file: StackFile,
    pub values: Vec<(&'static str, Expr)>,
}

impl StackItem for Locals {
    fn address(&self) -> Address {
        Address::Locals
    }

    fn file(&self) -> StackFile {
        self.file
    }

    fn blocks(&self) -> Vec<Block> {
        let block = self
            .values
            .iter()
            .fold(Block::new("locals", &[]), |block, (name, value)| {
                block.attr(name, value.clone())
            });
        vec![block]
    }

    fn value(&self, attribute: &[String], stack: &Stack) -> Option<String> {
        let [name] = attribute else { return None };
        let (_, value) = self.values.iter().find(|(local, _)| local == name)?;
        stack.evaluate(value)
    }
}
