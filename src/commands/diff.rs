//! `tfgen diff`: what a change to the stack means, for review.
//!
//! Two forms. `tfgen diff OLD NEW` reads two directories of rendered output
//! (either syntax, read as Terraform loads them, see [`crate::read::module`])
//! and compares them. An `out/<env>` directory holds both syntaxes: both are
//! read, and when they do not mean the same that is an error (exit 2), since
//! either could be the one applied.
//! `tfgen diff --base GITREV` compares the committed `out/` tree at a git
//! revision with what the model renders now, environment by environment
//! (every environment present on either side), which is the question a
//! pull request asks. The tree at the revision is read through
//! [`crate::git`] (`git ls-tree`, one `git cat-file --batch`), never
//! checked out.
//!
//! Exit 0 when both sides mean the same (the report says so), 1 when they
//! differ (the report is the diff), 2 on an error.

use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path, PathBuf};

use super::verdict::{JsonDiagnostic, envelope, to_value};
use super::{Outcome, Report, build_valid, select};
use crate::cli::{DiffArgs, ReportFormat};
use crate::config::Config;
use crate::diff::{Comparison, compare, report};
use crate::error::{Error, Result};
use crate::git::{Blobs, Git, object};
use crate::model::Document;
use crate::read::{SourceFile, files_in, module_directories, parse_files, read_dir, read_module};
use crate::stack::Stack;

pub fn run(config: Option<&Path>, args: &DiffArgs) -> Result<Report> {
    let comparisons = match (&args.base, &args.old, &args.new) {
        (Some(revision), _, _) => compare_with_revision(config, revision, &args.out)?,
        (None, Some(old), Some(new)) => {
            let old_document = read_side(old)?;
            let new_document = read_side(new)?;
            vec![compare(
                &old.display().to_string(),
                &old_document,
                &new.display().to_string(),
                &new_document,
            )]
        }
        _ => {
            return Err(Error::Usage(
                "diff needs two directories (OLD NEW) or --base GITREV".into(),
            ));
        }
    };
    let outcome = if comparisons.iter().all(Comparison::is_empty) {
        Outcome::Success
    } else {
        Outcome::Failure
    };
    let text = match args.format {
        ReportFormat::Text => report::render_text(&comparisons),
        ReportFormat::Markdown => report::render_markdown(&comparisons),
        ReportFormat::Json => json_report(&comparisons, outcome)?,
    };
    Ok(Report {
        report: text,
        notes: String::new(),
        outcome,
    })
}

/// `diff --format json`: each risk to data a diagnostic, each comparison
/// with its summary line and its changes.
fn json_report(comparisons: &[Comparison], outcome: Outcome) -> Result<String> {
    let diagnostics: Vec<JsonDiagnostic> = comparisons
        .iter()
        .flat_map(|comparison| {
            comparison.risks.iter().map(|risk| {
                JsonDiagnostic::in_environment(
                    risk.rule,
                    comparison.environment.as_deref(),
                    &risk.address,
                    &risk.message,
                )
            })
        })
        .collect();
    let found: Vec<serde_json::Value> = comparisons
        .iter()
        .map(|comparison| {
            Ok(serde_json::json!({
                "environment": comparison.environment,
                "old": comparison.old,
                "new": comparison.new,
                "summary": report::summary(comparison),
                "changes": to_value(&comparison.changes)?,
            }))
        })
        .collect::<Result<_>>()?;
    let mut keys = serde_json::Map::new();
    keys.insert("comparisons".into(), found.into());
    envelope("diff", outcome, &diagnostics, keys)
}

/// One side of `diff OLD NEW`: a file, a root module directory, or an
/// `out/<env>` directory whose `hcl/` and `json/` must mean the same.
fn read_side(path: &Path) -> Result<Document> {
    if path.is_file() {
        return read_dir(path);
    }
    let mut documents = Vec::new();
    for directory in module_directories(path)? {
        documents.push((directory.clone(), read_module(&directory)?));
    }
    agree(documents)
}

/// The one meaning of a module written in both syntaxes: the first, once
/// every other is checked to mean the same.
fn agree(mut documents: Vec<(PathBuf, Document)>) -> Result<Document> {
    let (first_path, first) = documents.remove(0);
    for (path, document) in &documents {
        let comparison = compare(
            &first_path.display().to_string(),
            &first,
            &path.display().to_string(),
            document,
        );
        if !comparison.is_empty() {
            return Err(Error::Usage(format!(
                "{} and {} do not mean the same, so either could be what is applied:\n{}  help: compare them with `tfgen diff {} {}`, then run `tfgen render --all`",
                first_path.display(),
                path.display(),
                report::render_text(&[comparison]),
                first_path.display(),
                path.display()
            )));
        }
    }
    Ok(first)
}

/// Every environment of `out` at `revision` against the current render.
fn compare_with_revision(
    config: Option<&Path>,
    revision: &str,
    out: &Path,
) -> Result<Vec<Comparison>> {
    let config = Config::load(config)?;
    let stacks = build_valid(&config, select(&config, None)?)?;
    let git = Git::discover()?;
    git.verify_commit(revision)?;
    let tree = git.tree_path(out, "--out")?;
    let committed = environments(git.files(revision, &tree)?);

    // Looked up by name, not searched: a tfgen.hcl may hold thousands.
    let current: HashMap<&str, &Stack> = stacks
        .iter()
        .map(|(environment, stack)| (environment.name.as_str(), stack))
        .collect();
    let mut names: Vec<String> = config.names().iter().map(|name| name.to_string()).collect();
    names.extend(
        committed
            .keys()
            .filter(|name| !current.contains_key(name.as_str()))
            .cloned(),
    );
    let mut blobs = git.blobs()?;
    let mut comparisons = Vec::new();
    for name in names {
        let directory = out.join(&name);
        let (old_label, old) = match committed.get(&name) {
            Some(files) => (
                format!("{} at {revision}", directory.display()),
                read_files(&mut blobs, revision, &tree.join(&name), files)?,
            ),
            None => (
                format!("{} at {revision} (absent)", directory.display()),
                Document::default(),
            ),
        };
        let (new_label, new) = match current.get(name.as_str()) {
            Some(stack) => ("the current render".to_string(), stack.document()),
            None => (
                format!("the current render (no environment \"{name}\")"),
                Document::default(),
            ),
        };
        let mut comparison = compare(&old_label, &old, &new_label, &new);
        comparison.environment = Some(name);
        comparisons.push(comparison);
    }
    Ok(comparisons)
}

/// The files of each environment directory of a tree (paths relative to
/// its root) that holds a root module, relative to that directory: `dev` →
/// `json/s3.tf.json`, ...
fn environments(files: Vec<PathBuf>) -> BTreeMap<String, Vec<PathBuf>> {
    let mut environments: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    for file in files {
        let mut components = file.components();
        let (Some(Component::Normal(environment)), rest) =
            (components.next(), components.as_path())
        else {
            continue;
        };
        if rest.as_os_str().is_empty() {
            continue;
        }
        environments
            .entry(environment.to_string_lossy().into_owned())
            .or_default()
            .push(rest.to_path_buf());
    }
    environments.retain(|_, files| !module_files(files).is_empty());
    environments
}

/// The root module of `directory` (from the repository's root) at
/// `revision`, from the files listed in it.
fn read_files(
    blobs: &mut Blobs,
    revision: &str,
    directory: &Path,
    files: &[PathBuf],
) -> Result<Document> {
    let mut documents = Vec::new();
    for module in module_files(files) {
        let objects: Vec<String> = module
            .iter()
            .map(|file| object(revision, &directory.join(file)))
            .collect();
        let texts = blobs.read(&objects)?;
        let sources: Vec<SourceFile> = objects
            .into_iter()
            .zip(texts)
            .map(|(object, text)| SourceFile {
                path: PathBuf::from(object),
                text,
            })
            .collect();
        let label = module
            .first()
            .and_then(|file| file.parent())
            .map_or_else(|| directory.to_path_buf(), |parent| directory.join(parent));
        documents.push((label, parse_files(&sources)?));
    }
    agree(documents)
}

/// The root modules among an environment directory's files (relative
/// paths): the directory itself, else its `hcl/` and `json/`.
fn module_files(files: &[PathBuf]) -> Vec<Vec<PathBuf>> {
    let top = files_in(files, Path::new(""));
    if !top.is_empty() {
        return vec![top];
    }
    ["hcl", "json"]
        .iter()
        .map(|directory| files_in(files, Path::new(directory)))
        .filter(|found| !found.is_empty())
        .collect()
}
