//! `data "aws_iam_policy"`: a policy that exists already, looked up by ARN
//! (the AWS-managed `AWSCodeCommitPowerUser` upstream's mirror group gets).

use std::borrow::Cow;

use crate::model::Block;
use crate::stack::{Address, Stack, StackFile, StackItem};

const KIND: &str = "aws_iam_policy";

#[derive(Debug, Clone, PartialEq)]
pub struct IamPolicyData {
    pub label: String,
    pub arn: String,
    pub file: StackFile,
}

impl StackItem for IamPolicyData {
    fn address(&self) -> Address<'_> {
        Address::Data {
            kind: KIND,
            name: Cow::Borrowed(&self.label),
        }
    }

    fn file(&self) -> StackFile {
        self.file
    }

    fn blocks(&self) -> Vec<Block> {
        vec![Block::new("data", &[KIND, &self.label]).attr("arn", self.arn.as_str())]
    }

    fn value(&self, attribute: &[String], _stack: &Stack) -> Option<String> {
        match attribute {
            [attribute] if attribute == "arn" || attribute == "id" => Some(self.arn.clone()),
            [attribute] if attribute == "name" => self.arn.rsplit('/').next().map(str::to_string),
            _ => None,
        }
    }
}
