//! Reading a git revision without checking it out: the repository around the
//! current directory, the files of a tree at a revision (`git ls-tree`), and
//! their contents through one `git cat-file --batch`. `tfgen diff --base`
//! reads the committed `out/` this way, `tfgen envs --changed` that and the
//! `tfgen.hcl` of the revision.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};

use crate::error::{Error, Result};

/// The git of the repository around the current directory, run from its
/// top level so every path is relative to the repository's root.
pub struct Git {
    top_level: PathBuf,
}

impl Git {
    pub fn discover() -> Result<Git> {
        let top_level = run_git(None, &["rev-parse", "--show-toplevel"]).map_err(|error| match error {
            Error::Git { args, message } => Error::Git {
                args,
                message: format!(
                    "{message}\n  help: --base reads the history of the git repository that commits out/: run tfgen inside it"
                ),
            },
            other => other,
        })?;
        Ok(Git {
            top_level: PathBuf::from(top_level.trim_end_matches(['\n', '\r'])),
        })
    }

    pub fn verify_commit(&self, revision: &str) -> Result<()> {
        let spec = format!("{revision}^{{commit}}");
        run_git(
            Some(&self.top_level),
            &["rev-parse", "--verify", "--quiet", &spec],
        )
        .map(|_| ())
        .map_err(|_| Error::Git {
            args: format!("rev-parse --verify {spec}"),
            message: format!(
                "\"{revision}\" is not a commit in this repository\n  help: pass --base a commit, branch or tag this clone has (a shallow CI checkout needs `fetch-depth: 0`)"
            ),
        })
    }

    /// `path` (a file or directory, absolute or from the current directory)
    /// as a path from the repository's root; `what` names it in the error
    /// when it is outside the repository (`--out`).
    pub fn tree_path(&self, path: &Path, what: &str) -> Result<PathBuf> {
        let from_root = if path.is_absolute() {
            path.strip_prefix(&self.top_level)
                .map(Path::to_path_buf)
                .map_err(|_| {
                    Error::Usage(format!(
                        "{what} {} is outside the git repository at {}",
                        path.display(),
                        self.top_level.display()
                    ))
                })?
        } else {
            let prefix = run_git(None, &["rev-parse", "--show-prefix"])?;
            PathBuf::from(prefix.trim_end_matches(['\n', '\r'])).join(path)
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

    /// Every file under `tree` (from the repository's root) at `revision`,
    /// relative to `tree`, in git's order.
    pub fn files(&self, revision: &str, tree: &Path) -> Result<Vec<PathBuf>> {
        let tree_text = git_path(tree);
        let listing = run_git(
            Some(&self.top_level),
            &["ls-tree", "-r", "--name-only", revision, "--", &tree_text],
        )?;
        Ok(listing
            .lines()
            .filter_map(|line| Path::new(line).strip_prefix(tree).ok())
            .filter(|relative| !relative.as_os_str().is_empty())
            .map(Path::to_path_buf)
            .collect())
    }

    /// True when `path` (from the repository's root) is a file at `revision`.
    pub fn has_file(&self, revision: &str, path: &Path) -> Result<bool> {
        let path_text = git_path(path);
        let listing = run_git(
            Some(&self.top_level),
            &["ls-tree", "--name-only", revision, "--", &path_text],
        )?;
        Ok(listing.lines().any(|line| line == path_text))
    }

    /// One `git cat-file --batch` for every file a run reads: a process
    /// per file (`git show`) cost about 2 ms each, minutes for a tree of
    /// thousands of environments.
    pub fn blobs(&self) -> Result<Blobs> {
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
}

/// The name `git cat-file` reads a file of a revision by: `REVISION:PATH`.
pub fn object(revision: &str, path: &Path) -> String {
    format!("{revision}:{}", git_path(path))
}

/// A running `git cat-file --batch`: object names in, contents out.
pub struct Blobs {
    child: std::process::Child,
    /// Closed on drop.
    input: Option<std::process::ChildStdin>,
    output: BufReader<std::process::ChildStdout>,
}

fn cat_file_error(message: String) -> Error {
    Error::Git {
        args: "cat-file --batch".into(),
        message,
    }
}

impl Blobs {
    /// The text of each of `objects` (`REVISION:PATH`), in order; a file
    /// that is not UTF-8 is an error naming it.
    pub fn read(&mut self, objects: &[String]) -> Result<Vec<String>> {
        let contents = self.contents(objects)?;
        objects
            .iter()
            .zip(contents)
            .map(|(object, bytes)| {
                String::from_utf8(bytes)
                    .map_err(|_| cat_file_error(format!("{object}: the file is not UTF-8")))
            })
            .collect()
    }

    /// The bytes of each of `objects` (`REVISION:PATH`), in order. The
    /// requests of one call are written together (a few lines, within the
    /// pipe's buffer), then the answers read.
    pub fn contents(&mut self, objects: &[String]) -> Result<Vec<Vec<u8>>> {
        let mut requests = String::new();
        for object in objects {
            if object.contains('\n') {
                return Err(cat_file_error(format!(
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
            .map_err(|error| cat_file_error(format!("cannot write to git: {error}")))?;
        let mut contents = Vec::with_capacity(objects.len());
        for object in objects {
            // `<oid> blob <size>`, or `<object> missing`.
            let mut line = String::new();
            self.output
                .read_line(&mut line)
                .map_err(|error| cat_file_error(format!("cannot read from git: {error}")))?;
            let fields: Vec<&str> = line.trim_end().split(' ').collect();
            let size = match fields.as_slice() {
                [_, "blob", size] => size.parse::<usize>().ok(),
                _ => None,
            }
            .ok_or_else(|| cat_file_error(format!("{object}: {}", line.trim_end())))?;
            // The contents and a line feed.
            let mut bytes = vec![0; size + 1];
            self.output.read_exact(&mut bytes).map_err(|error| {
                cat_file_error(format!("cannot read {object} from git: {error}"))
            })?;
            bytes.pop();
            contents.push(bytes);
        }
        Ok(contents)
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

/// A path as git spells it: `/` between components on every platform.
pub fn git_path(path: &Path) -> String {
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
