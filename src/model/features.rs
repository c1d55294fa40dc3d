//! The Terraform version a document needs: each language feature tfgen's
//! output may use, with the release that introduced it, in one table
//! ([`FEATURES`]). A module's `required_version` is the newest release any
//! of its blocks needs ([`required_version`]), so what tfgen writes runs on
//! the Terraform it says it needs, and no older one is turned away for a
//! feature the module does not use.
//!
//! The releases are those of Terraform's changelog and the language
//! documentation's notes ("available in Terraform v1.7.0 and later").

use super::{Block, BodyItem, Expr};

/// A Terraform release, `major.minor.patch`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Release(pub u16, pub u16, pub u16);

impl std::fmt::Display for Release {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.0, self.1, self.2)
    }
}

/// One language feature: what it is, the release that introduced it, and
/// how to tell a block uses it.
pub struct Feature {
    pub name: &'static str,
    pub since: Release,
    pub used_by: fn(&Block) -> bool,
}

/// What every module tfgen writes needs: provider requirements with a
/// `source` and the 1.x language (`jsonencode`, `yamlencode`, templates,
/// `lifecycle`, sensitive outputs), as the 1.0 compatibility promises keep
/// it.
pub const BASELINE: Release = Release(1, 0, 0);

pub const FEATURES: [Feature; 8] = [
    Feature {
        name: "`moved` blocks",
        since: Release(1, 1, 0),
        used_by: |block| block.kind == "moved",
    },
    Feature {
        name: "`terraform_data` resources",
        since: Release(1, 4, 0),
        used_by: |block| {
            block.kind == "resource"
                && block
                    .labels
                    .first()
                    .is_some_and(|kind| kind == "terraform_data")
        },
    },
    Feature {
        name: "`import` blocks",
        since: Release(1, 5, 0),
        used_by: |block| block.kind == "import",
    },
    Feature {
        name: "`check` blocks",
        since: Release(1, 5, 0),
        used_by: |block| block.kind == "check",
    },
    Feature {
        name: "an `import` block whose `id` is an expression, not a literal string",
        since: Release(1, 6, 0),
        used_by: |block| {
            block.kind == "import"
                && block
                    .body
                    .attribute("id")
                    .is_some_and(|id| !matches!(id.uncommented(), Expr::String(_)))
        },
    },
    Feature {
        name: "`removed` blocks",
        since: Release(1, 7, 0),
        used_by: |block| block.kind == "removed",
    },
    Feature {
        name: "`import` blocks with `for_each`",
        since: Release(1, 7, 0),
        used_by: |block| block.kind == "import" && block.body.attribute("for_each").is_some(),
    },
    Feature {
        name: "the S3 backend's own state lock (`use_lockfile`), generally available",
        since: Release(1, 11, 0),
        used_by: |block| {
            block.kind == "terraform"
                && block.body.blocks().any(|backend| {
                    backend.kind == "backend"
                        && backend.labels.first().is_some_and(|kind| kind == "s3")
                        && backend.body.attribute("use_lockfile") == Some(&Expr::Bool(true))
                })
        },
    },
];

/// The features `blocks` use, each once, in the table's order.
pub fn used<'a>(blocks: impl IntoIterator<Item = &'a Block> + Clone) -> Vec<&'static Feature> {
    FEATURES
        .iter()
        .filter(|feature| {
            blocks
                .clone()
                .into_iter()
                .any(|block| (feature.used_by)(block))
        })
        .collect()
}

/// The oldest release that runs every one of `blocks`: [`BASELINE`], or
/// the newest feature's.
pub fn required_release<'a>(blocks: impl IntoIterator<Item = &'a Block> + Clone) -> Release {
    used(blocks)
        .into_iter()
        .map(|feature| feature.since)
        .fold(BASELINE, Release::max)
}

/// `>= X.Y.Z` for [`required_release`].
pub fn required_version<'a>(blocks: impl IntoIterator<Item = &'a Block> + Clone) -> String {
    format!(">= {}", required_release(blocks))
}

/// Sets every `terraform { required_version = ... }` among `blocks` to
/// what `blocks` need: the module's settings block is written before the
/// rest of the module is known.
pub fn settle_required_version(blocks: &mut [Block]) {
    let version = required_version(blocks.iter());
    set_required_version(blocks, &version);
}

/// Sets every `terraform { required_version = ... }` among `blocks` to
/// `version` (a module in several files: the version all of them need).
pub fn set_required_version(blocks: &mut [Block], version: &str) {
    for block in blocks.iter_mut().filter(|block| block.kind == "terraform") {
        for item in &mut block.body.items {
            if let BodyItem::Attribute(attribute) = item
                && attribute.name == "required_version"
            {
                attribute.value = Expr::from(version);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(blocks: &[Block]) -> String {
        required_version(blocks.iter())
    }

    #[test]
    fn the_newest_feature_used_sets_the_version() {
        let settings = Block::new("terraform", &[]).attr("required_version", "?");
        let lock = Block::new("terraform", &[]).block(
            Block::new("backend", &["s3"])
                .attr("bucket", "b")
                .attr("use_lockfile", true),
        );
        let moved = Block::new("moved", &[])
            .attr("from", Expr::reference("a.b"))
            .attr("to", Expr::reference("a.c"));
        let removed = Block::new("removed", &[]).attr("from", Expr::reference("a.d"));
        let import = |id: Expr| {
            Block::new("import", &[])
                .attr("to", Expr::reference("a.b"))
                .attr("id", id)
        };
        assert_eq!(version(std::slice::from_ref(&settings)), ">= 1.0.0");
        assert_eq!(version(&[settings.clone(), moved.clone()]), ">= 1.1.0");
        assert_eq!(
            version(&[moved.clone(), import(Expr::from("x"))]),
            ">= 1.5.0"
        );
        assert_eq!(
            version(&[import(Expr::reference("data.x.y.id"))]),
            ">= 1.6.0"
        );
        assert_eq!(version(&[moved, removed.clone()]), ">= 1.7.0");
        assert_eq!(version(&[removed, lock.clone()]), ">= 1.11.0");
        let without_lock = Block::new("terraform", &[])
            .block(Block::new("backend", &["s3"]).attr("use_lockfile", false));
        assert_eq!(version(&[without_lock]), ">= 1.0.0");

        let mut module = vec![settings, lock];
        settle_required_version(&mut module);
        assert_eq!(
            module[0].body.attribute("required_version"),
            Some(&Expr::from(">= 1.11.0"))
        );
    }
}
