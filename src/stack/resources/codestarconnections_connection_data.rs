//! `data "aws_codestarconnections_connection"`: a connection that exists
//! already (`source.connection_arn`), looked up by its ARN so the plan fails
//! when it does not exist and the policies name it as the stack's own.

use std::borrow::Cow;

use crate::model::Block;
use crate::stack::{Address, Stack, StackFile, StackItem};

const KIND: &str = "aws_codestarconnections_connection";

#[derive(Debug, Clone, PartialEq)]
pub struct CodeStarConnectionData {
    pub label: String,
    pub arn: String,
}

impl StackItem for CodeStarConnectionData {
    fn address(&self) -> Address<'_> {
        Address::Data {
            kind: KIND,
            name: Cow::Borrowed(&self.label),
        }
    }

    fn file(&self) -> StackFile {
        super::codestarconnections_connection::SOURCE
    }

    fn blocks(&self) -> Vec<Block> {
        vec![Block::new("data", &[KIND, &self.label]).attr("arn", self.arn.as_str())]
    }

    fn value(&self, attribute: &[String], _stack: &Stack) -> Option<String> {
        match attribute {
            [attribute] if attribute == "arn" || attribute == "id" => Some(self.arn.clone()),
            _ => None,
        }
    }
}
