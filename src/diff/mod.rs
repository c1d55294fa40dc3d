//! The semantic diff behind `tfgen diff`: what changed between two
//! Terraform documents, by address, not by line.
//!
//! Both sides are [`normalize`]d first, so spelling never shows: HCL and
//! JSON of the same stack, moved blocks, reordered attributes or object keys
//! and a folded `jsonencode` all compare equal. Blocks are matched by
//! address (`aws_iam_role.tf_mlops_role`, `var.env`); a nested block is a
//! path segment (`rule.apply_server_side_encryption_by_default.sse_algorithm`,
//! `rule[1].id` when it repeats). List order is kept for ordinary
//! attributes, where Terraform keeps it too.
//!
//! Any attribute whose value is an IAM policy document — a `jsonencode({...})`
//! or a JSON string of an object with a `Statement` — is compared as
//! permissions instead, statement by statement (see [`policy`]), so a
//! reordered statement or action list is not a change and a one-action
//! change reads as exactly that. [`report`] turns the result into text for a
//! terminal or markdown for a pull-request comment.

pub mod policy;
pub mod report;
pub mod risk;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{Block, Body, BodyItem, Document, Expr};
use crate::read::normalize;

pub use policy::{PermissionLine, PolicyChange, Sign, StatementChange};

/// The differences between two sides: the old and new rendering of one
/// stack, or of one environment.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// The environment compared, when the sides are environments of a tree
    /// (`--base`); `None` for two directories.
    pub environment: Option<String>,
    /// What the old side is, for people: `out/dev`, `out/ at HEAD`.
    pub old: String,
    /// What the new side is.
    pub new: String,
    /// Every block added, removed or changed, resources first.
    pub changes: Vec<BlockChange>,
    /// What the change does to resources that keep data: error-level
    /// findings, reported before the changes.
    pub risks: Vec<risk::Risk>,
}

impl Comparison {
    /// True when the two sides mean the same.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    Added,
    Removed,
    Changed,
}

impl Change {
    pub fn name(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Removed => "removed",
            Change::Changed => "changed",
        }
    }

    /// The one-character mark of the change: `+`, `-` or `~`.
    pub fn mark(self) -> char {
        match self {
            Change::Added => '+',
            Change::Removed => '-',
            Change::Changed => '~',
        }
    }
}

/// What kind of block an address names, in report order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    Resource,
    Data,
    Variable,
    Output,
    /// `terraform`, `provider`, `locals`, `module`.
    Other,
}

impl Category {
    pub const ALL: [Category; 5] = [
        Category::Resource,
        Category::Data,
        Category::Variable,
        Category::Output,
        Category::Other,
    ];

    fn of(kind: &str) -> Category {
        match kind {
            "resource" => Category::Resource,
            "data" => Category::Data,
            "variable" => Category::Variable,
            "output" => Category::Output,
            _ => Category::Other,
        }
    }

    /// `resource` / `resources`, for summaries.
    pub fn noun(self, count: usize) -> &'static str {
        match (self, count == 1) {
            (Category::Resource, true) => "resource",
            (Category::Resource, false) => "resources",
            (Category::Data, true) => "data source",
            (Category::Data, false) => "data sources",
            (Category::Variable, true) => "variable",
            (Category::Variable, false) => "variables",
            (Category::Output, true) => "output",
            (Category::Output, false) => "outputs",
            (Category::Other, true) => "other block",
            (Category::Other, false) => "other blocks",
        }
    }
}

/// One block added, removed or changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BlockChange {
    /// Terraform's address: `aws_s3_bucket.artifacts_bucket`, `var.env`.
    pub address: String,
    pub category: Category,
    pub change: Change,
    /// Ordinary attributes that differ (every one, for an added or removed
    /// block), by path inside the block.
    pub attributes: Vec<AttributeChange>,
    /// Attributes holding IAM policy documents that differ in meaning.
    pub policies: Vec<PolicyChange>,
}

/// One attribute's old and new value, written compactly (`None`: absent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttributeChange {
    /// The path inside the block: `default`, `rule.filter`, `rule[1].id`.
    pub name: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// Compares two documents by meaning. `old` and `new` label the sides.
pub fn compare(old_label: &str, old: &Document, new_label: &str, new: &Document) -> Comparison {
    let (old, new) = (normalize(old), normalize(new));
    let risks = risk::risks(&old, &new);
    let old_blocks = by_address(&old);
    let new_blocks = by_address(&new);
    let mut keys: Vec<&(Category, String)> = old_blocks.keys().chain(new_blocks.keys()).collect();
    keys.sort();
    keys.dedup();
    let mut changes = Vec::new();
    for key in keys {
        let (category, address) = key;
        let old_leaves = old_blocks.get(key).map(leaves);
        let new_leaves = new_blocks.get(key).map(leaves);
        let change = match (&old_leaves, &new_leaves) {
            (Some(_), Some(_)) => Change::Changed,
            (None, _) => Change::Added,
            (_, None) => Change::Removed,
        };
        let (attributes, policies) = compare_leaves(
            &old_leaves.unwrap_or_default(),
            &new_leaves.unwrap_or_default(),
        );
        if change == Change::Changed && attributes.is_empty() && policies.is_empty() {
            continue;
        }
        changes.push(BlockChange {
            address: address.clone(),
            category: *category,
            change,
            attributes,
            policies,
        });
    }
    Comparison {
        environment: None,
        old: old_label.to_string(),
        new: new_label.to_string(),
        changes,
        risks,
    }
}

/// The blocks of a normalized document by category and address; blocks that
/// share an address (two `locals` blocks) are one body.
fn by_address(document: &Document) -> BTreeMap<(Category, String), Body> {
    let mut blocks: BTreeMap<(Category, String), Body> = BTreeMap::new();
    for block in &document.blocks {
        blocks
            .entry((Category::of(&block.kind), block.address()))
            .or_default()
            .items
            .extend(block.body.items.iter().cloned());
    }
    blocks
}

/// A value at a path inside a block.
#[derive(Debug, Clone, PartialEq)]
enum Leaf {
    Value(Expr),
    /// A nested block with nothing inside, such as `filter {}`.
    EmptyBlock,
}

/// Every value of a body by path; nested blocks become path segments, with
/// an index when a block type repeats.
fn leaves(body: &Body) -> BTreeMap<String, Leaf> {
    let mut found = BTreeMap::new();
    collect_leaves(body, "", &mut found);
    found
}

fn collect_leaves(body: &Body, prefix: &str, found: &mut BTreeMap<String, Leaf>) {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for item in &body.items {
        match item {
            BodyItem::Attribute(attribute) => {
                found.insert(
                    format!("{prefix}{}", attribute.name),
                    Leaf::Value(attribute.value.clone()),
                );
            }
            BodyItem::Block(block) => {
                let name = block_segment(block);
                let repeats = body
                    .blocks()
                    .filter(|other| block_segment(other) == name)
                    .count()
                    > 1;
                let index = seen.entry(name.clone()).or_insert(0);
                let path = if repeats {
                    format!("{prefix}{name}[{index}]")
                } else {
                    format!("{prefix}{name}")
                };
                *index += 1;
                if block.body.items.is_empty() {
                    found.insert(path, Leaf::EmptyBlock);
                } else {
                    collect_leaves(&block.body, &format!("{path}."), found);
                }
            }
            BodyItem::Comment(_) => {}
        }
    }
}

/// A nested block's path segment: its type, then its labels.
fn block_segment(block: &Block) -> String {
    let mut segment = block.kind.clone();
    for label in &block.labels {
        segment.push('.');
        segment.push_str(label);
    }
    segment
}

fn compare_leaves(
    old: &BTreeMap<String, Leaf>,
    new: &BTreeMap<String, Leaf>,
) -> (Vec<AttributeChange>, Vec<PolicyChange>) {
    let mut names: Vec<&String> = old.keys().chain(new.keys()).collect();
    names.sort();
    names.dedup();
    let mut attributes = Vec::new();
    let mut policies = Vec::new();
    for name in names {
        let (old_leaf, new_leaf) = (old.get(name), new.get(name));
        if old_leaf == new_leaf {
            continue;
        }
        // A policy on either side, and nothing but a policy or nothing at
        // all on the other, is compared as permissions.
        let as_policy = |leaf: Option<&Leaf>| match leaf {
            None => Some(None),
            Some(Leaf::Value(value)) => policy::document(value).map(Some),
            Some(Leaf::EmptyBlock) => None,
        };
        if let (Some(old_policy), Some(new_policy)) = (as_policy(old_leaf), as_policy(new_leaf))
            && (old_policy.is_some() || new_policy.is_some())
        {
            let change = policy::compare(name, old_policy.as_ref(), new_policy.as_ref());
            if !change.is_empty() {
                policies.push(change);
            }
            continue;
        }
        let (old, new) = display_pair(old_leaf.map(leaf_text), new_leaf.map(leaf_text));
        attributes.push(AttributeChange {
            name: name.clone(),
            old,
            new,
        });
    }
    (attributes, policies)
}

/// Values longer than this are cut, with `…`, in reports.
pub const MAX_VALUE_WIDTH: usize = 120;

fn leaf_text(leaf: &Leaf) -> String {
    match leaf {
        Leaf::Value(value) => hcl_text(value),
        Leaf::EmptyBlock => "{}".to_string(),
    }
}

/// A value on one line, as HCL writes it, cut at [`MAX_VALUE_WIDTH`].
pub fn display_value(value: &Expr) -> String {
    cut(&hcl_text(value), 0)
}

/// An expression on one line in HCL's native syntax, exactly as the HCL
/// printer writes it (its quoting, escaping and object keys).
pub fn hcl_text(value: &Expr) -> String {
    crate::render::hcl_one_line(value)
}

/// The text of a string-valued expression with its interpolations written
/// `${...}`, without quotes: `${aws_s3_bucket.artifacts_bucket.arn}/*`. The
/// printer's escaping applies, so a literal `${` shows as `$${` and cannot
/// be taken for an interpolation.
pub fn template_text(value: &Expr) -> String {
    match value {
        Expr::String(_) | Expr::Template(_) => {
            let quoted = hcl_text(value);
            quoted
                .strip_prefix('"')
                .and_then(|text| text.strip_suffix('"'))
                .map_or_else(|| quoted.clone(), str::to_string)
        }
        other => format!("${{{}}}", hcl_text(other)),
    }
}

/// Two versions of one value, each cut at [`MAX_VALUE_WIDTH`] around where
/// they first differ, so a long string changed near its end still shows
/// the change.
pub(crate) fn display_pair(
    old: Option<String>,
    new: Option<String>,
) -> (Option<String>, Option<String>) {
    let (Some(old), Some(new)) = (&old, &new) else {
        return (old.map(|text| cut(&text, 0)), new.map(|text| cut(&text, 0)));
    };
    let common = old
        .chars()
        .zip(new.chars())
        .take_while(|(a, b)| a == b)
        .count();
    // Keep some context before the first difference when it is far in.
    let start = if common + 8 > MAX_VALUE_WIDTH {
        common.saturating_sub(MAX_VALUE_WIDTH / 4)
    } else {
        0
    };
    (Some(cut(old, start)), Some(cut(new, start)))
}

/// At most [`MAX_VALUE_WIDTH`] characters of `text` from character
/// `start`, with `…` where something is left out.
fn cut(text: &str, start: usize) -> String {
    let total = text.chars().count();
    if total <= MAX_VALUE_WIDTH {
        return text.to_string();
    }
    let mut out = String::new();
    let mut room = MAX_VALUE_WIDTH;
    if start > 0 {
        out.push('…');
        room -= 1;
    }
    let rest = total - start;
    if rest > room {
        out.extend(text.chars().skip(start).take(room - 1));
        out.push('…');
    } else {
        out.extend(text.chars().skip(start));
    }
    out
}

#[cfg(test)]
mod tests;
