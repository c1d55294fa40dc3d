//! What a change does to resources that keep data (`stack::resources::
//! KEEPERS`: buckets, repositories, keys, log groups, and the history of
//! pipelines and projects), said at error level beside the diff so a
//! reviewer cannot miss it: a resource whose address disappears with no
//! `moved` block taking it elsewhere and no `removed` block keeping it
//! (Terraform destroys it), an argument that forces a replacement changed
//! (Terraform destroys it and creates another), and a `prevent_destroy`
//! that is dropped (nothing stops the next destroy).

use std::collections::BTreeMap;

use crate::model::{Block, Document, Expr};
use crate::stack::resources::keeps;

/// One risk to what a resource keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Risk {
    /// The rule: `data-destroyed`, `data-replaced` or `data-unprotected`.
    pub rule: &'static str,
    /// The resource's address on the old side.
    pub address: String,
    /// What happens, and what is lost with it.
    pub message: String,
}

/// The risks of going from `old` to `new` (both normalized or not).
pub fn risks(old: &Document, new: &Document) -> Vec<Risk> {
    let resources = |document: &Document| -> BTreeMap<String, Block> {
        document
            .blocks
            .iter()
            .filter(|block| block.kind == "resource")
            .map(|block| (block.address(), block.clone()))
            .collect()
    };
    let (before, after) = (resources(old), resources(new));
    let reference = |block: &Block, name: &str| match block.body.attribute(name) {
        Some(Expr::Reference(path)) => Some(path.join(".")),
        _ => None,
    };
    let moved: BTreeMap<String, String> = new
        .blocks
        .iter()
        .filter(|block| block.kind == "moved")
        .filter_map(|block| Some((reference(block, "from")?, reference(block, "to")?)))
        .collect();
    let kept_by_removed = |address: &str| {
        new.blocks.iter().any(|block| {
            block.kind == "removed"
                && reference(block, "from").as_deref() == Some(address)
                && block.body.blocks().any(|lifecycle| {
                    lifecycle.kind == "lifecycle"
                        && lifecycle.body.attribute("destroy") == Some(&Expr::Bool(false))
                })
        })
    };
    let old_variables = variables(old);
    let new_variables = variables(new);
    let mut found = Vec::new();
    for (address, block) in &before {
        let Some(kept) = block.labels.first().and_then(|kind| keeps(kind)) else {
            continue;
        };
        let successor = after
            .get(address)
            .map(|block| (address.clone(), block))
            .or_else(|| {
                let to = moved.get(address)?;
                after.get(to).map(|block| (to.clone(), block))
            });
        let Some((new_address, successor)) = successor else {
            if !kept_by_removed(address) {
                found.push(Risk {
                    rule: "data-destroyed",
                    address: address.clone(),
                    message: format!(
                        "{address} is gone, with no moved block to another address and no removed block that keeps it: terraform destroys it, and {}",
                        kept.what
                    ),
                });
            }
            continue;
        };
        for attribute in kept.replaced_when {
            let value = |block: &Block, variables: &BTreeMap<String, Expr>| {
                block
                    .body
                    .attribute(attribute)
                    .map(|value| resolved(value, variables))
            };
            let (was, is) = (
                value(block, &old_variables),
                value(successor, &new_variables),
            );
            if was != is {
                let show = |value: Option<Expr>| {
                    value.map_or_else(
                        || "(unset)".to_string(),
                        |value| super::display_value(&value),
                    )
                };
                found.push(Risk {
                    rule: "data-replaced",
                    address: address.clone(),
                    message: format!(
                        "{attribute} changes from {} to {}, which forces terraform to replace {new_address}: it destroys the old one, and {}",
                        show(was),
                        show(is),
                        kept.what
                    ),
                });
            }
        }
        if protected(block) && !protected(successor) {
            found.push(Risk {
                rule: "data-unprotected",
                address: address.clone(),
                message: format!(
                    "lifecycle.prevent_destroy is dropped from {new_address}: the next terraform destroy (or a replacement) goes ahead, and {}",
                    kept.what
                ),
            });
        }
    }
    found
}

fn protected(block: &Block) -> bool {
    block.body.blocks().any(|lifecycle| {
        lifecycle.kind == "lifecycle"
            && lifecycle.body.attribute("prevent_destroy") == Some(&Expr::Bool(true))
    })
}

/// Each variable's default: what `var.NAME` is on that side.
fn variables(document: &Document) -> BTreeMap<String, Expr> {
    document
        .blocks
        .iter()
        .filter(|block| block.kind == "variable")
        .filter_map(|block| {
            Some((
                block.labels.first()?.clone(),
                block.body.attribute("default")?.clone(),
            ))
        })
        .collect()
}

/// A value with the variables it names replaced by their defaults, so a
/// bucket renamed through its variable's default is seen renamed.
fn resolved(value: &Expr, variables: &BTreeMap<String, Expr>) -> Expr {
    value.substitute(&|path| match path {
        [root, name] if root == "var" => variables.get(name)?.as_literal().map(str::to_string),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bucket(label: &str, name: Expr, protect: bool) -> Block {
        let block = Block::new("resource", &["aws_s3_bucket", label]).attr("bucket", name);
        crate::stack::resources::lifecycle(block, protect)
    }

    fn variable(name: &str, default: &str) -> Block {
        Block::new("variable", &[name]).attr("default", default)
    }

    fn rules(old: Vec<Block>, new: Vec<Block>) -> Vec<(&'static str, String)> {
        risks(&Document::new(old), &Document::new(new))
            .into_iter()
            .map(|risk| (risk.rule, risk.address))
            .collect()
    }

    #[test]
    fn a_bucket_gone_renamed_through_its_variable_or_unprotected_is_a_risk() {
        let by_variable = || Expr::reference("var.name");
        let old = vec![variable("name", "a"), bucket("b", by_variable(), true)];
        // Gone, with nothing to carry it.
        assert_eq!(
            rules(old.clone(), vec![variable("name", "a")]),
            [("data-destroyed", "aws_s3_bucket.b".to_string())]
        );
        // Moved, or forgotten: kept.
        let moved = Block::new("moved", &[])
            .attr("from", Expr::reference("aws_s3_bucket.b"))
            .attr("to", Expr::reference("aws_s3_bucket.c"));
        assert!(
            rules(
                old.clone(),
                vec![
                    variable("name", "a"),
                    bucket("c", by_variable(), true),
                    moved
                ]
            )
            .is_empty()
        );
        let removed = Block::new("removed", &[])
            .attr("from", Expr::reference("aws_s3_bucket.b"))
            .block(Block::new("lifecycle", &[]).attr("destroy", false));
        assert!(rules(old.clone(), vec![removed]).is_empty());
        // The variable's default renames the bucket: a replacement.
        assert_eq!(
            rules(
                old.clone(),
                vec![variable("name", "z"), bucket("b", by_variable(), true)]
            ),
            [("data-replaced", "aws_s3_bucket.b".to_string())]
        );
        // Spelled otherwise, the same name: nothing.
        assert!(rules(old.clone(), vec![bucket("b", Expr::from("a"), true)]).is_empty());
        // The protection dropped.
        assert_eq!(
            rules(
                old,
                vec![variable("name", "a"), bucket("b", by_variable(), false)]
            ),
            [("data-unprotected", "aws_s3_bucket.b".to_string())]
        );
    }

    #[test]
    fn what_keeps_nothing_may_go() {
        let role = Block::new("resource", &["aws_iam_role", "r"]).attr("name", "r");
        assert!(rules(vec![role], Vec::new()).is_empty());
    }
}
