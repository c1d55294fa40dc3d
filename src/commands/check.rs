//! `tfgen check`: render everything in memory and compare it with the
//! committed tree. Differences are shown as unified patience diffs; missing
//! and extra files are listed. Exit 1 on any drift.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use similar::{Algorithm, TextDiff};

use super::{Outcome, Report, build_valid, select};
use crate::cli::CheckArgs;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::generated::{GeneratedFile, owned_files, regenerate_all_command, tree};
use crate::render::Format;

pub fn run(config: &Config, args: &CheckArgs, colour: bool) -> Result<Report> {
    let stacks = build_valid(config, select(config, None)?)?;
    let expected = tree(config, &stacks);
    let drift = compare(&args.out, &expected)?;
    if drift.is_empty() {
        return Ok(Report::success(String::new()));
    }
    let mut report = String::new();
    for entry in &drift {
        match entry {
            Drift::Differs { diff, .. } => report.push_str(&paint(diff, colour)),
            Drift::Missing(path) => report.push_str(&format!("missing: {}\n", path.display())),
            Drift::Extra(path) => report.push_str(&format!(
                "extra: {} (no environment generates it)\n",
                path.display()
            )),
        }
    }
    report.push_str(&format!(
        "{} is out of date: {} file(s) drifted from the model; run `{}` and commit the result\n",
        args.out.display(),
        drift.len(),
        regenerate_all_command(config)
    ));
    Ok(Report {
        report,
        outcome: Outcome::Failure,
    })
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
    /// A Terraform file no environment generates: one tfgen wrote earlier,
    /// or any `.tf`/`.tf.json` inside a directory tfgen generates (it would
    /// change that root module).
    Extra(PathBuf),
}

/// Compares the files on disk under `root` with `expected`.
pub fn compare(root: &Path, expected: &[GeneratedFile]) -> Result<Vec<Drift>> {
    let mut drift = Vec::new();
    for file in expected {
        let path = root.join(&file.path);
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
                        &path.display().to_string(),
                        &format!("{} (model)", path.display()),
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
    let wanted: BTreeSet<&Path> = expected.iter().map(|file| file.path.as_path()).collect();
    let directories: BTreeSet<&Path> = expected
        .iter()
        .filter_map(|file| file.path.parent())
        .collect();
    let mut extra: BTreeSet<PathBuf> = owned_files(root)?.into_iter().collect();
    for directory in &directories {
        let full = root.join(directory);
        let Ok(entries) = std::fs::read_dir(&full) else {
            continue;
        };
        for entry in entries.flatten() {
            if Format::of_path(&entry.path()).is_some() && entry.path().is_file() {
                extra.insert(directory.join(entry.file_name()));
            }
        }
    }
    for path in extra {
        if !wanted.contains(path.as_path()) {
            drift.push(Drift::Extra(root.join(path)));
        }
    }
    Ok(drift)
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
    fn paint_colours_a_diff_for_a_terminal_only() {
        let diff = "--- a\n+++ b\n@@ -1 +1 @@\n-old\n+new\n same\n";
        assert_eq!(paint(diff, false), diff);
        assert_eq!(
            paint(diff, true),
            "\x1b[1m--- a\x1b[0m\n\x1b[1m+++ b\x1b[0m\n\x1b[36m@@ -1 +1 @@\x1b[0m\n\x1b[31m-old\x1b[0m\n\x1b[32m+new\x1b[0m\n same\n"
        );
    }
}
