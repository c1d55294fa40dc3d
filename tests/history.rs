//! The addresses a team's state may hold, kept across tfgen's versions and
//! profiles (`src/stack/history.rs` says which move):
//! - every address tfgen has ever rendered for a profile
//!   (`tests/golden/addresses.txt`, which only grows) is still rendered, or
//!   renamed by a `moved` block, forgotten by a `removed` block, or dropped
//!   on purpose; a new address must be blessed into the file;
//! - switching a stack from `seed` to `hardened` loses no address of a
//!   resource that keeps data: each is in `hardened` under its own or a
//!   renamed address, or forgotten;
//! - the blocks are written where they apply, and only there.
//!
//! Re-bless the address list with
//! `TFGEN_BLESS=1 cargo test --test integration history::`.

use std::collections::{BTreeMap, BTreeSet};

use tfgen::config::{Config, Environment};
use tfgen::stack::history::{DROPPED, FORGETS, RENAMES};
use tfgen::stack::resources::{Tier, keeps};
use tfgen::stack::{Profile, Stack};

use crate::support::project_root;

const GOLDEN: &str = "tests/golden/addresses.txt";

/// The combinations an environment can have, by the golden's names.
fn combinations() -> Vec<(&'static str, Profile, bool)> {
    vec![
        ("seed", Profile::Seed, false),
        ("seed pipeline", Profile::Seed, true),
        ("hardened", Profile::Hardened, false),
        ("hardened pipeline", Profile::Hardened, true),
    ]
}

fn stack_of(profile: Profile, pipeline: bool) -> Stack {
    let mut environment: Environment = Config::built_in().environment("prod").unwrap().clone();
    environment.profile = profile;
    environment.pipeline = pipeline;
    Stack::build(&environment)
}

/// The resource addresses of a stack, and its `moved` and `removed` blocks
/// (from → to, and what is forgotten).
fn addresses(stack: &Stack) -> (BTreeSet<String>, BTreeMap<String, String>, BTreeSet<String>) {
    let document = stack.document();
    let resources = document
        .blocks
        .iter()
        .filter(|block| block.kind == "resource")
        .map(|block| block.address())
        .collect();
    let reference = |block: &tfgen::model::Block, name: &str| match block.body.attribute(name) {
        Some(tfgen::model::Expr::Reference(path)) => path.join("."),
        other => panic!("{} of a {} block is {other:?}", name, block.kind),
    };
    let moved = document
        .blocks
        .iter()
        .filter(|block| block.kind == "moved")
        .map(|block| (reference(block, "from"), reference(block, "to")))
        .collect();
    let removed = document
        .blocks
        .iter()
        .filter(|block| block.kind == "removed")
        .map(|block| reference(block, "from"))
        .collect();
    (resources, moved, removed)
}

fn read_golden() -> BTreeMap<String, BTreeSet<String>> {
    let text = std::fs::read_to_string(project_root().join(GOLDEN)).unwrap();
    let mut sections: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut current = None;
    for line in text.lines() {
        if let Some(name) = line
            .strip_prefix('[')
            .and_then(|rest| rest.strip_suffix(']'))
        {
            current = Some(name.to_string());
            sections.entry(name.to_string()).or_default();
        } else if !line.is_empty() && !line.starts_with('#') {
            let section = current.as_ref().expect("addresses follow a [section]");
            sections.get_mut(section).unwrap().insert(line.to_string());
        }
    }
    sections
}

fn write_golden(sections: &BTreeMap<String, BTreeSet<String>>) {
    let text = std::fs::read_to_string(project_root().join(GOLDEN)).unwrap();
    let mut out: String = text
        .lines()
        .take_while(|line| line.starts_with('#'))
        .map(|line| format!("{line}\n"))
        .collect();
    for (name, _, _) in combinations() {
        out.push_str(&format!("\n[{name}]\n"));
        for address in &sections[name] {
            out.push_str(address);
            out.push('\n');
        }
    }
    std::fs::write(project_root().join(GOLDEN), out).unwrap();
}

#[test]
fn every_address_ever_rendered_is_kept_renamed_or_forgotten() {
    let mut golden = read_golden();
    let bless = std::env::var_os("TFGEN_BLESS").is_some_and(|value| value == "1");
    let mut problems = Vec::new();
    for (name, profile, pipeline) in combinations() {
        let (now, moved, removed) = addresses(&stack_of(profile, pipeline));
        let before = golden.entry(name.to_string()).or_default();
        for address in before.iter() {
            if now.contains(address) {
                continue;
            }
            let carried = moved.get(address).is_some_and(|to| now.contains(to))
                || removed.contains(address)
                || DROPPED.iter().any(|dropped| dropped.address == address);
            if !carried {
                problems.push(format!(
                    "{name}: {address} is no longer rendered, and no moved or removed block carries it over (add a Rename, Forget or Dropped to src/stack/history.rs)"
                ));
            }
        }
        let new: Vec<&String> = now.difference(before).collect();
        if !new.is_empty() && !bless {
            problems.push(format!(
                "{name}: new addresses {new:?}: re-bless {GOLDEN} with TFGEN_BLESS=1"
            ));
        }
        before.extend(now);
    }
    if bless {
        write_golden(&golden);
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn switching_from_seed_to_hardened_keeps_every_resource_that_keeps_data() {
    for pipeline in [false, true] {
        let (seed, _, _) = addresses(&stack_of(Profile::Seed, pipeline));
        let (hardened, moved, removed) = addresses(&stack_of(Profile::Hardened, pipeline));
        for address in &seed {
            let kind = address.split('.').next().unwrap();
            let Some(kept) = keeps(kind) else { continue };
            let carried = hardened.contains(address)
                || moved.get(address).is_some_and(|to| hardened.contains(to))
                || removed.contains(address);
            assert!(
                carried,
                "pipeline {pipeline}: seed's {address} ({}) is not in hardened, nor moved or forgotten",
                kept.what
            );
        }
        // What keeps data is protected from `terraform destroy` in hardened.
        let document = stack_of(Profile::Hardened, pipeline).document();
        for block in document
            .blocks
            .iter()
            .filter(|block| block.kind == "resource")
        {
            let Some(kept) = keeps(&block.labels[0]) else {
                continue;
            };
            if kept.tier != Tier::Data || block.labels[0] == "aws_cloudwatch_log_group" {
                continue;
            }
            let protected = block.body.blocks().any(|nested| {
                nested.kind == "lifecycle"
                    && nested.body.attribute("prevent_destroy")
                        == Some(&tfgen::model::Expr::Bool(true))
            });
            assert!(
                protected,
                "hardened's {} has no prevent_destroy",
                block.address()
            );
        }
    }
}

#[test]
fn moved_and_removed_blocks_are_written_where_they_apply_only() {
    for (name, profile, pipeline) in combinations() {
        let (now, moved, removed) = addresses(&stack_of(profile, pipeline));
        for rename in RENAMES {
            let applies = now.contains(rename.to) && !now.contains(rename.from);
            assert_eq!(
                moved.get(rename.from).map(String::as_str) == Some(rename.to),
                applies,
                "{name}: moved {} → {}",
                rename.from,
                rename.to
            );
        }
        for forget in FORGETS {
            assert_eq!(
                removed.contains(forget.address),
                forget.applies(|address| now.contains(address)),
                "{name}: removed {}",
                forget.address
            );
        }
        // No moved block points at an address that is not rendered.
        for to in moved.values() {
            assert!(
                now.contains(to),
                "{name}: moved to {to}, which is not rendered"
            );
        }
    }
}

/// A team moving an environment from CodeCommit to a CodeConnections
/// source (tfgen.hcl's `source { kind = "codeconnections" }`) loses nothing
/// that keeps data: the repositories, which hold its code, are forgotten by
/// `removed` blocks (never destroyed), and everything else that keeps data
/// is still rendered.
#[test]
fn switching_the_source_to_codeconnections_forgets_the_repositories_without_destroying_them() {
    let config = crate::support::project_config();
    let staging = config
        .environments
        .iter()
        .find(|environment| environment.source.connection().is_some())
        .expect("tfgen.hcl has an environment with a codeconnections source");
    for profile in Profile::ALL {
        let mut codecommit = staging.clone();
        codecommit.profile = profile;
        codecommit.source = Default::default();
        let mut connection = codecommit.clone();
        connection.source = staging.source.clone();
        let (before, _, _) = addresses(&Stack::build(&codecommit));
        let (after, moved, removed) = addresses(&Stack::build(&connection));
        let mut forgotten = Vec::new();
        for address in &before {
            let kind = address.split('.').next().unwrap();
            let Some(kept) = keeps(kind) else { continue };
            if kept.tier != Tier::Data {
                continue;
            }
            let carried = after.contains(address)
                || moved.get(address).is_some_and(|to| after.contains(to))
                || removed.contains(address);
            assert!(
                carried,
                "{profile}: {address} ({}) would be destroyed by the switch",
                kept.what
            );
            if removed.contains(address) {
                forgotten.push(address.as_str());
            }
        }
        assert_eq!(
            forgotten,
            [
                "aws_codecommit_repository.build",
                "aws_codecommit_repository.deploy"
            ],
            "{profile}"
        );
    }
}
