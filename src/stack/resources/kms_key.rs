//! `aws_kms_key`: a customer-managed key (the pipeline's artifacts), with
//! rotation on and a key policy of its own.

use crate::model::{Block, Expr};
use crate::policy::{PolicyDocument, PolicyKind};
use crate::stack::{Address, PolicyRef, Stack, StackFile, StackItem};

const KIND: &str = "aws_kms_key";
/// Key IDs are UUIDs; the placeholder has their length.
const PLACEHOLDER_KEY_ID: &str = "00000000-0000-0000-0000-000000000000";

#[derive(Debug, Clone, PartialEq)]
pub struct KmsKey {
    pub label: String,
    pub description: Expr,
    pub deletion_window_in_days: i64,
    pub policy: PolicyDocument,
}

impl StackItem for KmsKey {
    fn address(&self) -> Address<'_> {
        Address::resource(KIND, &self.label)
    }

    fn file(&self) -> StackFile {
        StackFile::new("kms")
    }

    fn blocks(&self) -> Vec<Block> {
        vec![
            Block::new("resource", &[KIND, &self.label])
                .attr("description", self.description.clone())
                .attr("enable_key_rotation", true)
                .attr("deletion_window_in_days", self.deletion_window_in_days)
                .attr("policy", self.policy.to_jsonencode()),
        ]
    }

    /// The key's ID is chosen by AWS at creation; the ARN is given its real
    /// length for the size limits.
    fn value(&self, attribute: &[String], stack: &Stack) -> Option<String> {
        match attribute {
            [attribute] if attribute == "arn" => {
                stack.arn("kms", &format!("key/{PLACEHOLDER_KEY_ID}"))
            }
            [attribute] if attribute == "key_id" || attribute == "id" => {
                Some(PLACEHOLDER_KEY_ID.to_string())
            }
            _ => None,
        }
    }

    fn policies(&self) -> Vec<PolicyRef<'_>> {
        vec![PolicyRef {
            field: format!("{}.policy", self.address()),
            kind: PolicyKind::Resource,
            document: &self.policy,
            limit: crate::stack::SizeLimit::KEY_POLICY,
            star_is_this_resource: true,
        }]
    }

    fn check(&self, checks: &mut crate::stack::Checks<'_>) {
        if !(7..=30).contains(&self.deletion_window_in_days) {
            checks.report(
                "kms-deletion-window",
                checks.profile_origin(),
                &format!("{}.deletion_window_in_days", self.address()),
                format!(
                    "deletion_window_in_days {} is outside 7 to 30",
                    self.deletion_window_in_days
                ),
                "use a window of 7 to 30 days",
            );
        }
    }
}
