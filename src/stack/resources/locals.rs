//! A `locals` block: named values the other items interpolate
//! (`local.account_id`, or an entry of a map: `local.build_log_groups.modelbuild`).

use crate::model::{Block, Expr};
use crate::stack::{Address, Stack, StackFile, StackItem};

#[derive(Debug, Clone, PartialEq)]
pub struct Locals {
    pub file: StackFile,
    /// Comment lines above the block: why these names are defined once.
    pub comments: Vec<&'static str>,
    pub values: Vec<(&'static str, Expr)>,
}

impl StackItem for Locals {
    fn address(&self) -> Address<'_> {
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
        let block = self
            .comments
            .iter()
            .fold(block, |block, line| block.comment(line));
        vec![block]
    }

    fn value(&self, attribute: &[String], stack: &Stack) -> Option<String> {
        let (name, entry) = match attribute {
            [name] => (name, None),
            [name, entry] => (name, Some(entry)),
            _ => return None,
        };
        let (_, value) = self.values.iter().find(|(local, _)| local == name)?;
        match (entry, value) {
            (None, value) => stack.evaluate(value),
            (Some(entry), Expr::Object(entries)) => {
                let (_, value) = entries.iter().find(|(key, _)| key == entry)?;
                stack.evaluate(value)
            }
            (Some(_), _) => None,
        }
    }
}
