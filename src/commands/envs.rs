//! `tfgen envs`: the environments, their profile, account, region, state and
//! output directories. The text table is for people; `--format json` is one
//! line of `{"include": [...]}` that a GitHub Actions `strategy.matrix` reads
//! with `fromJSON`, so CI runs one job per environment, all in parallel.
//! `--changed --base REV` lists only the environments a change touches
//! ([`crate::changed`]), in the same two forms, so a pull request plans
//! those alone.

use std::path::Path;

use serde_json::{Value, json};

use super::Report;
use crate::changed::{Change, Changed, changed_since};
use crate::cli::{EnvsArgs, EnvsFormat};
use crate::config::{Config, Environment};
use crate::error::Result;
use crate::generated::tree_directory;
use crate::render::Format;
use crate::terminal::display_path;

/// The most changed files a text line names before it counts the rest.
const FILES_NAMED: usize = 3;

pub fn run(config: &Config, args: &EnvsArgs) -> Result<Report> {
    let Some(revision) = args.base.as_deref().filter(|_| args.changed) else {
        return Ok(match args.format {
            EnvsFormat::Text => Report::success(table(config)),
            EnvsFormat::Json => Report::success(format!("{}\n", matrix(config, &args.out))),
        });
    };
    let changes = changed_since(config, revision, &args.out)?;
    Ok(Report::success(match args.format {
        EnvsFormat::Text => changed_table(&changes, revision, &args.out),
        EnvsFormat::Json => format!("{}\n", changed_matrix(&changes, &args.out)),
    }))
}

fn table(config: &Config) -> String {
    let rows: Vec<[String; 3]> = config
        .environments
        .iter()
        .map(|environment| {
            [
                environment.name.clone(),
                environment.profile.name().to_string(),
                environment.origin.to_string(),
            ]
        })
        .collect();
    columns(["ENV", "PROFILE", "DEFINED AT"], &rows)
}

/// A table whose first two columns are as wide as their widest cell (at
/// least 8 for the second).
fn columns(heading: [&str; 3], rows: &[[String; 3]]) -> String {
    let width = |column: usize, least: usize| {
        rows.iter()
            .map(|row| row[column].chars().count())
            .chain([heading[column].len(), least])
            .max()
            .unwrap_or(0)
    };
    let (first, second) = (width(0, 0), width(1, 8));
    let mut report = format!(
        "{:first$}  {:second$}  {}\n",
        heading[0], heading[1], heading[2]
    );
    for row in rows {
        report.push_str(&format!(
            "{:first$}  {:second$}  {}\n",
            row[0], row[1], row[2]
        ));
    }
    report
}

fn changed_table(changes: &[Changed], revision: &str, out: &Path) -> String {
    if changes.is_empty() {
        return format!("no environment changed since {revision}\n");
    }
    let rows: Vec<[String; 3]> = changes
        .iter()
        .map(|changed| {
            [
                changed.name.clone(),
                changed.change.name().to_string(),
                why(changed, revision, out),
            ]
        })
        .collect();
    columns(["ENV", "CHANGE", "WHY"], &rows)
}

/// What made an environment changed, in a line.
fn why(changed: &Changed, revision: &str, out: &Path) -> String {
    match changed.change {
        Change::Added => format!("not at {revision}"),
        Change::Removed => {
            let directories: Vec<String> = changed
                .base_formats
                .iter()
                .map(|format| directory(out, &changed.name, *format))
                .collect();
            match directories.first() {
                Some(hcl) => {
                    format!("not in tfgen.hcl; plan its destroy from {hcl} at {revision}")
                }
                None => format!("not in tfgen.hcl; nothing of it committed in out/ at {revision}"),
            }
        }
        Change::Changed => {
            let mut reasons = Vec::new();
            if changed.entry_changed {
                reasons.push("its tfgen.hcl entry means something else".to_string());
            }
            if !changed.files.is_empty() {
                let mut named: Vec<String> = changed
                    .files
                    .iter()
                    .take(FILES_NAMED)
                    .map(|file| display_path(file))
                    .collect();
                if changed.files.len() > FILES_NAMED {
                    named.push(format!("{} more", changed.files.len() - FILES_NAMED));
                }
                reasons.push(format!(
                    "{} rendered file(s) differ: {}",
                    changed.files.len(),
                    named.join(", ")
                ));
            }
            reasons.join("; ")
        }
    }
}

/// `{"include": [ENTRY, ...]}`: GitHub Actions expands `include` into one
/// job per entry, each key readable as `matrix.KEY`.
fn matrix(config: &Config, out: &Path) -> Value {
    let entries: Vec<Value> = config
        .environments
        .iter()
        .map(|environment| entry(environment, out))
        .collect();
    json!({ "include": entries })
}

/// The matrix of the changed environments: each entry as `envs --format
/// json` writes it, with what changed. A removed environment's entry is
/// the revision's (its account, region and state), its directories those
/// committed at the revision (`null` when nothing was), to plan its
/// destroy from.
fn changed_matrix(changes: &[Changed], out: &Path) -> Value {
    let entries: Vec<Value> = changes
        .iter()
        .map(|changed| {
            let mut value = match &changed.entry {
                Some(environment) => entry(environment, out),
                None => json!({
                    "environment": changed.name, "profile": null, "account_id": null,
                    "region": null, "state": null, "hcl_directory": null,
                    "json_directory": null, "defined_at": null,
                }),
            };
            if changed.change == Change::Removed {
                for format in Format::ALL {
                    value[format!("{}_directory", format.name())] =
                        match changed.base_formats.contains(&format) {
                            true => json!(directory(out, &changed.name, format)),
                            false => Value::Null,
                        };
                }
            }
            value["change"] = json!(changed.change.name());
            value["removed"] = json!(changed.change == Change::Removed);
            value["entry_changed"] = json!(changed.entry_changed);
            value["files"] = changed
                .files
                .iter()
                .map(|file| json!(crate::git::git_path(file)))
                .collect();
            value
        })
        .collect();
    json!({ "include": entries })
}

fn directory(out: &Path, environment: &str, format: Format) -> String {
    crate::git::git_path(&out.join(tree_directory(environment, format)))
}

fn entry(environment: &Environment, out: &Path) -> Value {
    let state = environment
        .state
        .as_ref()
        .map(|state| json!({ "bucket": state.bucket, "key": state.key, "region": state.region }));
    json!({
        "environment": environment.name,
        "profile": environment.profile.name(),
        "account_id": environment.account_id.as_ref().map(|account| account.id.as_str()),
        "region": environment.region(),
        "state": state,
        "hcl_directory": directory(out, &environment.name, Format::Hcl),
        "json_directory": directory(out, &environment.name, Format::Json),
        "defined_at": environment.origin.to_string(),
    })
}
