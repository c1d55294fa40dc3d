//! Every address tfgen once rendered under another name, and every one it
//! stops managing without destroying what it holds: the one place that
//! says which addresses move, so that no `terraform plan` after an upgrade
//! of tfgen, or a switch of profile, destroys and re-creates a resource
//! because its address changed.
//!
//! A stack gets a `moved` block for each [`RENAMES`] entry whose new
//! address it has (and whose old one it has not), and a `removed` block
//! with `destroy = false` for each [`FORGETS`] entry whose replacement it
//! has; Terraform ignores both when the state holds no such object, so an
//! environment applied by the latest tfgen is not affected.
//! `tests/golden.rs` holds the table to `tests/golden/addresses.txt`, the
//! addresses every profile has ever rendered: an address that disappears
//! from a profile without an entry here fails it.

/// An address tfgen renamed: a `moved { from, to }` block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rename {
    pub from: &'static str,
    pub to: &'static str,
    /// Why, written above the block.
    pub why: &'static str,
}

/// An address a stack stops managing while what it manages stays:
/// `removed { from; lifecycle { destroy = false } }`, written when the
/// stack has one of `replaced_by` (and not `address`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Forget {
    pub address: &'static str,
    pub replaced_by: &'static [&'static str],
    pub why: &'static str,
}

impl Forget {
    /// Whether a stack with these addresses forgets this one.
    pub fn applies(&self, has: impl Fn(&str) -> bool) -> bool {
        self.replaced_by.iter().any(|address| has(address)) && !has(self.address)
    }
}

/// tfgen 0.1's pipeline named the repositories and the model-approval rule
/// itself; the team's repository (upstream) named them first, and its
/// state has upstream's addresses.
const UPSTREAM_NAMES: &str =
    "Upstream's address, which the team's state has; tfgen's first pipeline named it otherwise.";

pub const RENAMES: [Rename; 4] = [
    Rename {
        from: "aws_codecommit_repository.build_repository",
        to: "aws_codecommit_repository.build",
        why: UPSTREAM_NAMES,
    },
    Rename {
        from: "aws_codecommit_repository.deploy_repository",
        to: "aws_codecommit_repository.deploy",
        why: UPSTREAM_NAMES,
    },
    Rename {
        from: "aws_cloudwatch_event_rule.model_approval",
        to: "aws_cloudwatch_event_rule.sm_model_registry_rule",
        why: UPSTREAM_NAMES,
    },
    Rename {
        from: "aws_cloudwatch_event_target.model_approval",
        to: "aws_cloudwatch_event_target.sm_model_registry",
        why: UPSTREAM_NAMES,
    },
];

/// A stack whose source is a CodeConnections connection (created, or an
/// existing one looked up) has no CodeCommit repositories: a team moving
/// from CodeCommit keeps them, with their code, outside Terraform.
const CONNECTION: &[&str] = &[
    "aws_codestarconnections_connection.source",
    "data.aws_codestarconnections_connection.source",
];

const REPOSITORY_KEPT: &str = "The source is a CodeConnections connection now: the CodeCommit repository, which holds the team's code and history, leaves Terraform's state and stays in AWS (delete it in CodeCommit once nothing needs it).";

pub const FORGETS: [Forget; 5] = [
    Forget {
        address: "aws_iam_group_membership.user_membership",
        replaced_by: &["aws_iam_user_group_membership.user_membership"],
        why: "hardened puts the git mirror user in its group with aws_iam_user_group_membership; destroying upstream's exclusive membership would take the user out of the group.",
    },
    Forget {
        address: "aws_codecommit_repository.build",
        replaced_by: CONNECTION,
        why: REPOSITORY_KEPT,
    },
    Forget {
        address: "aws_codecommit_repository.deploy",
        replaced_by: CONNECTION,
        why: REPOSITORY_KEPT,
    },
    Forget {
        address: "aws_codecommit_repository.build_repository",
        replaced_by: CONNECTION,
        why: REPOSITORY_KEPT,
    },
    Forget {
        address: "aws_codecommit_repository.deploy_repository",
        replaced_by: CONNECTION,
        why: REPOSITORY_KEPT,
    },
];

/// An address tfgen stopped rendering on purpose, whose object holds
/// nothing a team would miss: Terraform destroys it at the next apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dropped {
    pub address: &'static str,
    pub why: &'static str,
}

/// None yet: every address tfgen has rendered is still rendered, renamed
/// or forgotten.
pub const DROPPED: [Dropped; 0] = [];
