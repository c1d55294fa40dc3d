//! `aws_kms_key`: a customer-managed key (the pipeline's artifacts), with
//! rotation on and a key policy of its own.

use crate::model::{Block, Expr};
use crate::policy::{PolicyDocument, PolicyKind};
use crate::stack::{Address, Import, PolicyRef, Stack, StackFile, StackItem};

const KIND: &str = "aws_kms_key";

/// The key material: what it encrypted cannot be read without it.
pub const KEEPS: super::Keeps = super::Keeps {
    kind: KIND,
    what: "the key material: every artifact and log it encrypted becomes unreadable",
    tier: super::Tier::Data,
    replaced_when: &[
        "customer_master_key_spec",
        "key_usage",
        "multi_region",
        "custom_key_store_id",
        "xks_key_id",
    ],
};
/// Key IDs are UUIDs; the placeholder has their length.
const PLACEHOLDER_KEY_ID: &str = "00000000-0000-0000-0000-000000000000";

#[derive(Debug, Clone, PartialEq)]
pub struct KmsKey {
    pub label: String,
    pub description: Expr,
    pub deletion_window_in_days: i64,
    pub policy: PolicyDocument,
    /// `lifecycle { prevent_destroy = true }`: destroying the key makes
    /// everything it encrypted unreadable.
    pub prevent_destroy: bool,
}

impl StackItem for KmsKey {
    fn address(&self) -> Address<'_> {
        Address::resource(KIND, &self.label)
    }

    fn file(&self) -> StackFile {
        StackFile::new("kms")
    }

    fn blocks(&self) -> Vec<Block> {
        let block = Block::new("resource", &[KIND, &self.label])
            .attr("description", self.description.clone())
            .attr("enable_key_rotation", true)
            .attr("deletion_window_in_days", self.deletion_window_in_days)
            .attr("policy", self.policy.to_jsonencode());
        vec![super::lifecycle(block, self.prevent_destroy)]
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

    /// A key is imported by its ID, which AWS chose: `adopt` reads it
    /// from the key's alias (the stack's alias that targets it) at plan
    /// time, with a `data "aws_kms_alias"` of the same label.
    fn import(&self, stack: &Stack) -> Option<Import> {
        let own = self.reference_to("key_id");
        let alias = stack.items_of::<super::KmsAlias>().find(|alias| {
            alias.target_key_id == own || alias.target_key_id == self.reference_to("arn")
        });
        let Some(alias) = alias else {
            return Some(Import::ChosenByAws {
                format: "KEY_ID".into(),
                listed_by: "aws kms list-keys".into(),
            });
        };
        Some(Import::Id {
            id: Expr::reference(&format!(
                "data.aws_kms_alias.adopt_{}.target_key_id",
                self.label
            )),
            lookup: Some(
                Block::new("data", &["aws_kms_alias", &format!("adopt_{}", self.label)])
                    .attr("name", alias.name.clone()),
            ),
        })
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
