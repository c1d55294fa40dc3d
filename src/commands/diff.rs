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
//! pull request asks. The tree at the revision is read with `git ls-tree`
//! and `git show`, never checked out.
//!
//! Exit 0 when both sides mean the same (the report says so), 1 when they
//! differ (the report is the diff), 2 on an error.

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};

use super::{Outcome, Report, build_valid, select};
use crate::cli::{DiffArgs, ReportFormat};
use crate::config::Config;
use crate::diff::{Comparison, compare, report};
use crate::error::{Error, Result};
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
    let text = match args.format {
        ReportFormat::Text => report::render_text(&comparisons),
        ReportFormat::Markdown => report::render_markdown(&comparisons),
    };
    let outcome = if comparisons.iter().all(Comparison::is_empty) {
        Outcome::Success
    } else {
        Outcome::Failure
    };
    Ok(Report {
        report: text,
        notes: String::new(),
        outcome,
    })
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
    let tree = git.tree_path(out)?;
    let committed = git.environments(revision, &tree)?;

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
                git.read_files(&mut blobs, revision, &tree.join(&name), files)?,
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

/// The git of the repository around the current directory, run from its
/// top level so every path is relative to the repository's root.
struct Git {
    top_level: PathBuf,
}

impl Git {
    fn discover() -> Result<Git> {
        let top_level = run_git(None, &["rev-parse", "--show-toplevel"])?;
        Ok(Git {
            top_level: PathBuf::from(top_level.trim_end_matches(['\n', '\r'])),
        })
    }

    fn verify_commit(&self, revision: &str) -> Result<()> {
        let spec = format!("{revision}^{{commit}}");
        run_git(
            Some(&self.top_level),
            &["rev-parse", "--verify", "--quiet", &spec],
        )
        .map(|_| ())
        .map_err(|_| Error::Git {
            args: format!("rev-parse --verify {spec}"),
            message: format!("\"{revision}\" is not a commit in this repository"),
        })
    }

    /// `out` as a path from the repository's root.
    fn tree_path(&self, out: &Path) -> Result<PathBuf> {
        let from_root = if out.is_absolute() {
            out.strip_prefix(&self.top_level)
                .map(Path::to_path_buf)
                .map_err(|_| {
                    Error::Usage(format!(
                        "--out {} is outside the git repository at {}",
                        out.display(),
                        self.top_level.display()
                    ))
                })?
        } else {
            let prefix = run_git(None, &["rev-parse", "--show-prefix"])?;
            PathBuf::from(prefix.trim_end_matches(['\n', '\r'])).join(out)
        };
        let mut clean = PathBuf::new();
        for component in from_root.components() {
            match component {
                Component::ParentDir => {
                    clean.pop();
                }
                Component::Normal(part) => clean.push(part),
                Component::CurDir | Component::RootDir | Component::Prefix(_) => {}
            }
        }
        Ok(clean)
    }

    /// The files of each environment directory under `tree` at `revision`,
    /// relative to that directory: `dev` → `json/s3.tf.json`, ...
    fn environments(&self, revision: &str, tree: &Path) -> Result<BTreeMap<String, Vec<PathBuf>>> {
        let tree_text = git_path(tree);
        let listing = run_git(
            Some(&self.top_level),
            &["ls-tree", "-r", "--name-only", revision, "--", &tree_text],
        )?;
        let mut environments: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
        for line in listing.lines() {
            let Ok(relative) = Path::new(line).strip_prefix(tree) else {
                continue;
            };
            let mut components = relative.components();
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
        Ok(environments)
    }

    /// One `git cat-file --batch` for every file this run reads: a process
    /// per file (`git show`) cost about 2 ms each, minutes for a tree of
    /// thousands of environments.
    fn blobs(&self) -> Result<Blobs> {
        let args = "cat-file --batch";
        let mut child = Command::new("git")
            .arg("-C")
            .arg(&self.top_level)
            .args(["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|error| Error::Git {
                args: args.into(),
                message: format!("cannot run git: {error}"),
            })?;
        let input = child.stdin.take().expect("stdin is piped");
        let output = BufReader::new(child.stdout.take().expect("stdout is piped"));
        Ok(Blobs {
            child,
            input: Some(input),
            output,
        })
    }

    /// The root module of `directory` (from the repository's root) at
    /// `revision`, from the files listed in it.
    fn read_files(
        &self,
        blobs: &mut Blobs,
        revision: &str,
        directory: &Path,
        files: &[PathBuf],
    ) -> Result<Document> {
        let mut documents = Vec::new();
        for module in module_files(files) {
            let objects: Vec<String> = module
                .iter()
                .map(|file| format!("{revision}:{}", git_path(&directory.join(file))))
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
}

/// A running `git cat-file --batch`: object names in, contents out.
struct Blobs {
    child: std::process::Child,
    /// Closed on drop.
    input: Option<std::process::ChildStdin>,
    output: BufReader<std::process::ChildStdout>,
}

impl Blobs {
    /// The text of each of `objects` (`REVISION:PATH`), in order. The
    /// requests of one call are written together (a few lines, within the
    /// pipe's buffer), then the answers read.
    fn read(&mut self, objects: &[String]) -> Result<Vec<String>> {
        let failed = |message: String| Error::Git {
            args: "cat-file --batch".into(),
            message,
        };
        let mut requests = String::new();
        for object in objects {
            if object.contains('\n') {
                return Err(failed(format!(
                    "{object:?}: a path with a line break cannot be read"
                )));
            }
            requests.push_str(object);
            requests.push('\n');
        }
        let input = self.input.as_mut().expect("open until drop");
        input
            .write_all(requests.as_bytes())
            .and_then(|()| input.flush())
            .map_err(|error| failed(format!("cannot write to git: {error}")))?;
        let mut texts = Vec::with_capacity(objects.len());
        for object in objects {
            // `<oid> blob <size>`, or `<object> missing`.
            let mut line = String::new();
            self.output
                .read_line(&mut line)
                .map_err(|error| failed(format!("cannot read from git: {error}")))?;
            let fields: Vec<&str> = line.trim_end().split(' ').collect();
            let size = match fields.as_slice() {
                [_, "blob", size] => size.parse::<usize>().ok(),
                _ => None,
            }
            .ok_or_else(|| failed(format!("{object}: {}", line.trim_end())))?;
            // The contents and a line feed.
            let mut bytes = vec![0; size + 1];
            self.output
                .read_exact(&mut bytes)
                .map_err(|error| failed(format!("cannot read {object} from git: {error}")))?;
            bytes.pop();
            texts.push(
                String::from_utf8(bytes)
                    .map_err(|_| failed(format!("{object}: the file is not UTF-8")))?,
            );
        }
        Ok(texts)
    }
}

impl Drop for Blobs {
    /// Ends git: everything asked for was read, or an error stopped the
    /// reading, in which case git may be blocked writing answers nobody
    /// reads, so it is killed rather than only waited for.
    fn drop(&mut self) {
        drop(self.input.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
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

/// A path as git spells it: `/` between components on every platform.
fn git_path(path: &Path) -> String {
    path.components()
        .map(|component| component.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Runs git with `args` (in `directory`, or the current one) and returns its
/// standard output; a failure is [`Error::Git`] with git's own message.
fn run_git(directory: Option<&Path>, args: &[&str]) -> Result<String> {
    let mut command = Command::new("git");
    if let Some(directory) = directory {
        command.arg("-C").arg(directory);
    }
    let output = command.args(args).output().map_err(|error| Error::Git {
        args: args.join(" "),
        message: format!("cannot run git: {error}"),
    })?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(Error::Git {
            args: args.join(" "),
            message: stderr.trim().to_string(),
        });
    }
    String::from_utf8(output.stdout).map_err(|_| Error::Git {
        args: args.join(" "),
        message: "the output is not UTF-8".into(),
    })
}
