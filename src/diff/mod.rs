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

use std::collections::BTreeMap;

use crate::model::{Block, Body, BodyItem, Document, Expr, TemplatePart};
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
}

impl Comparison {
    /// True when the two sides mean the same.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
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
#[derive(Debug, Clone, PartialEq)]
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttributeChange {
    /// The path inside the block: `default`, `rule.filter`, `rule[1].id`.
    pub name: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// Compares two documents by meaning. `old` and `new` label the sides.
pub fn compare(old_label: &str, old: &Document, new_label: &str, new: &Document) -> Comparison {
    let old_blocks = by_address(&normalize(old));
    let new_blocks = by_address(&normalize(new));
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
        attributes.push(AttributeChange {
            name: name.clone(),
            old: old_leaf.map(display_leaf),
            new: new_leaf.map(display_leaf),
        });
    }
    (attributes, policies)
}

/// Values longer than this are cut, with `…`, in reports.
pub const MAX_VALUE_WIDTH: usize = 120;

fn display_leaf(leaf: &Leaf) -> String {
    match leaf {
        Leaf::Value(value) => display_value(value),
        Leaf::EmptyBlock => "{}".to_string(),
    }
}

/// A value on one line, as HCL writes it, cut at [`MAX_VALUE_WIDTH`].
pub fn display_value(value: &Expr) -> String {
    let text = hcl_text(value);
    if text.chars().count() <= MAX_VALUE_WIDTH {
        return text;
    }
    let mut cut: String = text.chars().take(MAX_VALUE_WIDTH - 1).collect();
    cut.push('…');
    cut
}

/// An expression on one line in HCL's native syntax.
pub fn hcl_text(value: &Expr) -> String {
    match value {
        Expr::Null => "null".into(),
        Expr::Bool(flag) => flag.to_string(),
        Expr::Number(number) => number.to_string(),
        Expr::String(text) => quoted(text),
        Expr::Template(_) => quoted(&template_text(value)),
        Expr::Reference(path) => path.join("."),
        Expr::Call(name, args) => format!(
            "{name}({})",
            args.iter().map(hcl_text).collect::<Vec<_>>().join(", ")
        ),
        Expr::List(items) => format!(
            "[{}]",
            items.iter().map(hcl_text).collect::<Vec<_>>().join(", ")
        ),
        Expr::Object(entries) if entries.is_empty() => "{}".into(),
        Expr::Object(entries) => format!(
            "{{ {} }}",
            entries
                .iter()
                .map(|(key, value)| format!("{} = {}", object_key(key), hcl_text(value)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// The text of a string-valued expression with its interpolations written
/// `${...}`, without quotes: `${aws_s3_bucket.artifacts_bucket.arn}/*`.
pub fn template_text(value: &Expr) -> String {
    match value {
        Expr::String(text) => text.clone(),
        Expr::Template(parts) => parts
            .iter()
            .map(|part| match part {
                TemplatePart::Literal(text) => text.clone(),
                TemplatePart::Interpolation(inner) => format!("${{{}}}", hcl_text(inner)),
            })
            .collect(),
        other => format!("${{{}}}", hcl_text(other)),
    }
}

fn quoted(text: &str) -> String {
    serde_json::Value::String(text.to_string()).to_string()
}

fn object_key(key: &str) -> String {
    let identifier = key
        .chars()
        .next()
        .is_some_and(|first| first.is_ascii_alphabetic() || first == '_')
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if identifier {
        key.to_string()
    } else {
        quoted(key)
    }
}

#[cfg(test)]
mod tests;
