//! `tfgen check`: render everything in memory and compare it with the
//! committed tree, as Terraform would load it. Differences are shown as
//! unified patience diffs (at most [`MAX_DIFF_LINES`] lines per file, with
//! the count of what is left out); missing, extra and foreign files are
//! listed. Exit 1 on any drift.
//!
//! Terraform loads every file of a root module directory: `*.tf`,
//! `*.tf.json`, `terraform.tfvars(.json)`, `*.auto.tfvars(.json)`, override
//! files, through symbolic links. So anything in a directory tfgen
//! generates that is not exactly tfgen's file is drift: a foreign file, a
//! symbolic link, a name that is not UTF-8. Left out: subdirectories (a
//! root module is one directory) and Terraform's own working data (the lock
//! file, local state).

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use similar::{Algorithm, TextDiff};

use super::verdict::{JsonDiagnostic, envelope};
use super::{Outcome, Report};
use crate::cli::{CheckArgs, VerdictFormat};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::generated::{
    ADOPTION_FILE, GeneratedFile, Renders, Tree, is_adoption, is_generated, managed_directories,
    owned_in_tree_except, regenerate_all_command,
};
use crate::terminal::{display_path, escape_controls};
use crate::validate::for_each_valid;

/// The most lines of unified diff shown for one file.
pub const MAX_DIFF_LINES: usize = 200;

/// What Terraform writes into a root module directory itself; not config.
const TERRAFORM_WORKING_DATA: [&str; 5] = [
    ".terraform",
    ".terraform.lock.hcl",
    ".terraform.tfstate.lock.info",
    "terraform.tfstate",
    "terraform.tfstate.backup",
];

pub fn run(config: &Config, args: &CheckArgs, colour: bool) -> Result<Report> {
    // One environment at a time on each thread: built, checked, rendered,
    // compared, dropped. Nothing is reported unless all of them are valid.
    let tree = Tree::new(config);
    let parts = for_each_valid(
        config,
        || Ok(Compared::default()),
        |part, index, environment, stack| {
            let expected = tree.environment(&mut part.renders, environment, &stack);
            part.drift.push((index, compare(&args.out, &expected)?));
            part.wanted
                .extend(expected.into_iter().map(|file| args.out.join(file.path)));
            Ok(())
        },
    )?;
    let mut drift: Vec<(usize, Vec<Drift>)> = Vec::new();
    // Looked up for every file on disk: hashed, as ordering paths compares
    // them component by component.
    let mut wanted = HashSet::new();
    for part in parts {
        drift.extend(part.drift);
        wanted.extend(part.wanted);
    }
    // In tfgen.hcl's order, whichever thread compared them.
    drift.sort_by_key(|(index, _)| *index);
    let mut drift: Vec<Drift> = drift.into_iter().flat_map(|(_, found)| found).collect();
    let reported: HashSet<&Path> = drift.iter().map(Drift::path).collect();
    let known = |path: &Path| wanted.contains(path) || reported.contains(path);
    let extra = owned_in_tree_except(&args.out, &known)?;
    drift.extend(extra.into_iter().map(Drift::Extra));
    let adoptions = adoptions_in_progress(&args.out)?;
    if args.format == VerdictFormat::Json {
        return json_report(config, args, &drift, &adoptions);
    }
    let notes: String = adoptions
        .iter()
        .map(|adoption| format!("tfgen: {}\n", adoption.note()))
        .collect();
    if drift.is_empty() {
        return Ok(Report {
            notes,
            ..Report::success(String::new())
        });
    }
    let mut report = String::new();
    let mut foreign = 0;
    for entry in &drift {
        match entry {
            Drift::Differs { diff, .. } => {
                report.push_str(&paint(&cap(&escape_controls(diff)), colour))
            }
            Drift::Missing(path) => report.push_str(&format!("missing: {}\n", display_path(path))),
            Drift::Extra(path) => report.push_str(&format!(
                "extra: {} (tfgen generated it, but no environment does now)\n",
                display_path(path)
            )),
            Drift::Foreign { path, why } => {
                foreign += 1;
                report.push_str(&format!(
                    "foreign: {} ({why}; Terraform loads what is in this directory, so it is not what the model renders)\n",
                    display_path(path)
                ));
            }
        }
    }
    report.push_str(&format!(
        "{} is out of date: {} file(s) drifted from the model; run `{}` and commit the result\n",
        display_path(&args.out),
        drift.len(),
        regenerate_all_command(config)
    ));
    if foreign > 0 {
        report.push_str(&format!(
            "  help: {foreign} foreign file(s) above are not tfgen's and render never deletes them: remove or move them out of the generated directories\n"
        ));
    }
    Ok(Report {
        report,
        notes,
        outcome: Outcome::Failure,
    })
}

/// An adoption in progress in the tree: `tfgen adopt`'s import blocks,
/// which are not the model's and not drift.
struct Adoption {
    path: PathBuf,
    environment: String,
}

const ADOPTION_RULE: &str = "adopt-in-progress";

impl Adoption {
    fn message(&self) -> &'static str {
        "import blocks of tfgen adopt, not part of the model"
    }

    fn help(&self) -> String {
        format!(
            "once terraform apply has imported them, run `tfgen adopt --env {} --done`",
            self.environment
        )
    }

    /// The note for stderr, saying how to end it.
    fn note(&self) -> String {
        format!(
            "note[{ADOPTION_RULE}]: {}: {}; {}",
            display_path(&self.path),
            self.message(),
            self.help()
        )
    }
}

/// Each adoption in progress in the tree.
fn adoptions_in_progress(root: &Path) -> Result<Vec<Adoption>> {
    let mut adoptions = Vec::new();
    for directory in managed_directories(root)? {
        for format in crate::render::Format::ALL {
            let path = directory.join(format!("{ADOPTION_FILE}{}", format.extension()));
            if !is_adoption(&path) {
                continue;
            }
            let environment = directory
                .parent()
                .and_then(|parent| parent.file_name())
                .map(|name| name.to_string_lossy().into_owned())
                .unwrap_or_default();
            adoptions.push(Adoption { path, environment });
        }
    }
    Ok(adoptions)
}

/// `check --format json`: a diagnostic per drifted file (rule
/// `check-differs` with its diff, `check-missing`, `check-extra`,
/// `check-foreign`), a note per adoption in progress, and the counts.
fn json_report(
    config: &Config,
    args: &CheckArgs,
    drift: &[Drift],
    adoptions: &[Adoption],
) -> Result<Report> {
    let fix = format!(
        "run `{}` and commit the result",
        regenerate_all_command(config)
    );
    let mut diagnostics: Vec<JsonDiagnostic> = drift
        .iter()
        .map(|entry| {
            let (rule, message, help) = match entry {
                Drift::Differs { .. } => (
                    "check-differs",
                    "the file differs from what the model renders".to_string(),
                    fix.clone(),
                ),
                Drift::Missing(_) => (
                    "check-missing",
                    "the model renders this file, and it is not there".to_string(),
                    fix.clone(),
                ),
                Drift::Extra(_) => (
                    "check-extra",
                    "tfgen generated it, but no environment does now".to_string(),
                    fix.clone(),
                ),
                Drift::Foreign { why, .. } => (
                    "check-foreign",
                    format!("{why}; Terraform loads what is in this directory, so it is not what the model renders"),
                    "render never deletes it: remove it or move it out of the generated directories".to_string(),
                ),
            };
            let mut diagnostic =
                JsonDiagnostic::at_file("error", rule, entry.path(), message, help);
            if let Drift::Differs { diff, .. } = entry {
                diagnostic.diff = Some(cap(diff));
            }
            diagnostic
        })
        .collect();
    diagnostics.extend(adoptions.iter().map(|adoption| {
        JsonDiagnostic::at_file(
            "note",
            ADOPTION_RULE,
            &adoption.path,
            adoption.message().to_string(),
            adoption.help(),
        )
    }));
    let count = |kind: fn(&Drift) -> bool| drift.iter().filter(|entry| kind(entry)).count();
    let summary = serde_json::json!({
        "drifted": drift.len(),
        "differs": count(|entry| matches!(entry, Drift::Differs { .. })),
        "missing": count(|entry| matches!(entry, Drift::Missing(_))),
        "extra": count(|entry| matches!(entry, Drift::Extra(_))),
        "foreign": count(|entry| matches!(entry, Drift::Foreign { .. })),
    });
    let outcome = match drift.is_empty() {
        true => Outcome::Success,
        false => Outcome::Failure,
    };
    let mut found = serde_json::Map::new();
    found.insert("out".into(), crate::git::git_path(&args.out).into());
    found.insert("summary".into(), summary);
    Ok(Report {
        report: envelope("check", outcome, &diagnostics, found)?,
        notes: String::new(),
        outcome,
    })
}

/// What one thread compared: each environment's drift with its index in
/// tfgen.hcl, and the paths the environments it rendered want; and the
/// files it printed, for the next environments' alike files.
#[derive(Default)]
struct Compared {
    drift: Vec<(usize, Vec<Drift>)>,
    wanted: Vec<PathBuf>,
    renders: Renders,
}

/// One way the tree on disk differs from the model.
#[derive(Debug, PartialEq, Eq)]
pub enum Drift {
    /// The file exists with other contents; `diff` is a unified diff.
    Differs {
        path: PathBuf,
        diff: String,
    },
    Missing(PathBuf),
    /// A file tfgen generated that no environment generates now.
    Extra(PathBuf),
    /// Something in a generated directory that is not tfgen's file: a
    /// foreign file, a symbolic link, a directory, a name not UTF-8.
    Foreign {
        path: PathBuf,
        why: &'static str,
    },
}

impl Drift {
    fn path(&self) -> &Path {
        match self {
            Drift::Differs { path, .. } | Drift::Missing(path) | Drift::Extra(path) => path,
            Drift::Foreign { path, .. } => path,
        }
    }
}

/// Compares the files on disk under `root` with `expected`, and reports
/// everything else in the directories `expected` lives in.
pub fn compare(root: &Path, expected: &[GeneratedFile]) -> Result<Vec<Drift>> {
    let mut drift = Vec::new();
    let mut wanted = HashSet::new();
    for file in expected {
        let path = root.join(&file.path);
        wanted.insert(path.clone());
        match std::fs::symlink_metadata(&path) {
            Ok(metadata) if metadata.file_type().is_symlink() => {
                drift.push(Drift::Foreign {
                    path,
                    why: "a symbolic link where tfgen writes a file",
                });
                continue;
            }
            Ok(metadata) if !metadata.is_file() => {
                drift.push(Drift::Foreign {
                    path,
                    why: "not a regular file",
                });
                continue;
            }
            _ => {}
        }
        match std::fs::read(&path) {
            Ok(bytes) if bytes == file.contents.as_bytes() => {}
            Ok(bytes) => {
                let actual = String::from_utf8_lossy(&bytes);
                let diff = TextDiff::configure()
                    .algorithm(Algorithm::Patience)
                    .diff_lines(actual.as_ref(), file.contents.as_str())
                    .unified_diff()
                    .context_radius(3)
                    .header(
                        &display_path(&path),
                        &format!("{} (model)", display_path(&path)),
                    )
                    .to_string();
                drift.push(Drift::Differs { path, diff });
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                drift.push(Drift::Missing(path))
            }
            Err(source) => return Err(Error::io("read", path, source)),
        }
    }
    let directories: BTreeSet<PathBuf> = wanted
        .iter()
        .filter_map(|path| path.parent().map(Path::to_path_buf))
        .collect();
    for directory in &directories {
        let entries = match std::fs::read_dir(directory) {
            Ok(entries) => entries,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => continue,
            Err(source) => return Err(Error::io("read directory", directory, source)),
        };
        for entry in entries {
            let entry = entry.map_err(|source| Error::io("read directory", directory, source))?;
            let path = entry.path();
            if wanted.contains(&path) {
                continue;
            }
            let name = entry.file_name();
            let Some(name) = name.to_str() else {
                drift.push(Drift::Foreign {
                    path,
                    why: "a name that is not UTF-8",
                });
                continue;
            };
            if TERRAFORM_WORKING_DATA.contains(&name) {
                continue;
            }
            if path.is_dir() {
                // Terraform does not read subdirectories of a root module.
                continue;
            }
            if is_generated(&path) {
                // Reported as extra by the caller, who knows every
                // environment's files.
                continue;
            }
            let why = match entry.file_type() {
                Ok(kind) if kind.is_symlink() => "a symbolic link, not generated by tfgen",
                _ => "not generated by tfgen",
            };
            drift.push(Drift::Foreign { path, why });
        }
    }
    Ok(drift)
}

/// At most [`MAX_DIFF_LINES`] lines of a diff, then how many are left out.
fn cap(diff: &str) -> String {
    let total = diff.lines().count();
    if total <= MAX_DIFF_LINES {
        return diff.to_string();
    }
    let mut out: String = diff.split_inclusive('\n').take(MAX_DIFF_LINES).collect();
    out.push_str(&format!(
        "... {} more line(s) of this file's diff not shown\n",
        total - MAX_DIFF_LINES
    ));
    out
}

/// Colours a unified diff for a terminal: removals red, additions green,
/// hunk headers cyan.
fn paint(diff: &str, colour: bool) -> String {
    if !colour {
        return diff.to_string();
    }
    let mut out = String::with_capacity(diff.len() + 256);
    for line in diff.split_inclusive('\n') {
        let code = if line.starts_with("+++") || line.starts_with("---") {
            "\x1b[1m"
        } else if line.starts_with('+') {
            "\x1b[32m"
        } else if line.starts_with('-') {
            "\x1b[31m"
        } else if line.starts_with("@@") {
            "\x1b[36m"
        } else {
            ""
        };
        if code.is_empty() {
            out.push_str(line);
        } else {
            let (text, newline) = line
                .strip_suffix('\n')
                .map_or((line, ""), |text| (text, "\n"));
            out.push_str(code);
            out.push_str(text);
            out.push_str("\x1b[0m");
            out.push_str(newline);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_diffs_are_capped_with_the_count_left_out() {
        let diff: String = (0..MAX_DIFF_LINES + 5)
            .map(|line| format!("+{line}\n"))
            .collect();
        let capped = cap(&diff);
        assert_eq!(capped.lines().count(), MAX_DIFF_LINES + 1);
        assert!(capped.ends_with("... 5 more line(s) of this file's diff not shown\n"));
        assert_eq!(cap("+a\n"), "+a\n");
    }

    #[test]
    fn paint_colours_a_diff_for_a_terminal_only() {
        let diff = "--- a\n+++ b\n@@ -1 +1 @@\n-old\n+new\n same\n";
        assert_eq!(paint(diff, false), diff);
        assert_eq!(
            paint(diff, true),
            "\x1b[1m--- a\x1b[0m\n\x1b[1m+++ b\x1b[0m\n\x1b[36m@@ -1 +1 @@\x1b[0m\n\x1b[31m-old\x1b[0m\n\x1b[32m+new\x1b[0m\n same\n"
        );
    }
}
