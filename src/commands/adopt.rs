//! `tfgen adopt --env E`: writes `imports.tf` (and `imports.tf.json`) into
//! the environment's rendered directories, so that `terraform plan` shows
//! only imports and `terraform apply` takes the existing resources into the
//! state. `--done` removes them once applied. What the blocks are is
//! [`crate::adopt`]'s; here are the files: every write through one
//! [`Staging`], all or nothing, and only into directories tfgen rendered.

use std::path::{Path, PathBuf};

use super::{Report, build_valid};
use crate::adopt::imports;
use crate::cli::AdoptArgs;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::generated::{
    ADOPTION_FILE, ADOPTION_MARKER, Staging, config_argument, is_adoption, owned_in, tree_directory,
};
use crate::model::Document;
use crate::render::{Format, render};
use crate::terminal::display_path;

pub fn run(config: &Config, args: &AdoptArgs) -> Result<Report> {
    let environment = config.environment(&args.env)?;
    let targets: Vec<(PathBuf, Format)> = match (&args.out, args.format) {
        (Some(directory), Some(format)) => vec![(directory.clone(), format)],
        (None, Some(format)) => vec![(
            Path::new("out").join(tree_directory(&environment.name, format)),
            format,
        )],
        (None, None) => Format::ALL
            .iter()
            .map(|format| {
                (
                    Path::new("out").join(tree_directory(&environment.name, *format)),
                    *format,
                )
            })
            .collect(),
        (Some(_), None) => unreachable!("clap requires --format with --out"),
    };
    let file = |directory: &Path, format: Format| {
        directory.join(format!("{ADOPTION_FILE}{}", format.extension()))
    };
    if args.done {
        return done(
            targets
                .iter()
                .map(|(directory, format)| file(directory, *format))
                .collect(),
        );
    }
    let given = parse_ids(&args.ids)?;
    let stack = build_valid(config, vec![environment])?.remove(0).1;
    let account = environment
        .account_id
        .as_ref()
        .map(|account| account.id.as_str());
    let adoption = imports(&stack, account, &given)?;
    let mut document = Document::new(adoption.blocks);
    let mut command = format!("tfgen adopt --env {}", environment.name);
    command.push_str(&config_argument(config));
    document.header = vec![
        format!(
            "{ADOPTION_MARKER} for environment \"{}\": the existing resources, imported into Terraform's state by the next apply.",
            environment.name
        ),
        format!("Once applied, remove it: {command} --done"),
    ];
    let mut staging = Staging::new(Path::new("."))?;
    let mut report = String::new();
    for (directory, format) in &targets {
        // Into a module tfgen rendered only: an adoption is of its files.
        if owned_in(directory)?.is_empty() {
            return Err(Error::Usage(format!(
                "{}: no module tfgen rendered is there to adopt into\n  help: run `tfgen render --all` (or `tfgen render --env {} --format {format} --out {}`) first",
                display_path(directory),
                environment.name,
                display_path(directory)
            )));
        }
        let target = file(directory, *format);
        staging.stage(&target, &render(&document, *format))?;
        report.push_str(&format!(
            "{}: {} import block(s)\n",
            display_path(&target),
            adoption.imports
        ));
    }
    staging.commit()?;
    report.push_str(
        "next: terraform plan (only imports), terraform apply, then tfgen adopt --done\n",
    );
    Ok(Report::success(report).with_advice(&adoption.notes))
}

/// `--id ADDRESS=ID` pairs.
fn parse_ids(ids: &[String]) -> Result<Vec<(String, String)>> {
    ids.iter()
        .map(|pair| match pair.split_once('=') {
            Some((address, id)) if !address.is_empty() && !id.is_empty() => {
                Ok((address.to_string(), id.to_string()))
            }
            _ => Err(Error::Usage(format!(
                "--id {pair}: expected ADDRESS=ID, such as --id aws_iam_service_specific_credential.git_credentials=codecommit.amazonaws.com:GitToCodeCommitSyncUser:ACCA..."
            ))),
        })
        .collect()
}

/// Removes the adoption files among `files`; any other file there is left
/// alone (tfgen never deletes what it did not write).
fn done(files: Vec<PathBuf>) -> Result<Report> {
    let mut staging = Staging::new(Path::new("."))?;
    let mut report = String::new();
    for path in files {
        if is_adoption(&path) {
            staging.remove_unless_written(path.clone());
            report.push_str(&format!("removed: {}\n", display_path(&path)));
        } else if path.exists() {
            return Err(Error::Usage(format!(
                "{}: not a file tfgen adopt wrote; left as it is\n  help: remove it yourself if it is no longer wanted",
                display_path(&path)
            )));
        }
    }
    staging.commit()?;
    if report.is_empty() {
        report.push_str("no import blocks of tfgen adopt to remove\n");
    }
    Ok(Report::success(report))
}
