//! Which environments a change touches, against a git revision: the
//! question a pull request's CI asks before it plans anything.
//!
//! An environment is changed when what tfgen renders for it now differs
//! from the committed `out/` at the revision, byte for byte, in any file it
//! owns there (both formats, and the `_state` module of a bucket it is the
//! first user of), a file tfgen rendered there is gone, or its entry in
//! `tfgen.hcl` means something else than at the revision (compared as
//! parsed, so a comment or a moved block is no change). A change to tfgen
//! itself or to `defaults` shows as exactly the environments whose render
//! or meaning it changes. An environment of the revision (its `tfgen.hcl`
//! or its `out/`) that is gone now is listed as removed, with what was
//! committed for it, so CI can plan its destroy from there.
//!
//! The revision is read with [`crate::git`], never checked out; the
//! current render is made in memory, as `check` makes it.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

use crate::config::{Config, DEFAULT_FILE, Environment, Source};
use crate::error::{Error, Result};
use crate::generated::{Renders, Tree, is_rendered_contents, tree_directory};
use crate::git::{Blobs, Git, object};
use crate::render::Format;
use crate::stack::remote_state::STATE_ROOT;
use crate::validate::for_each_valid;

/// How an environment changed since the revision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Not at the revision: neither in its `tfgen.hcl` nor in its `out/`.
    Added,
    Changed,
    /// At the revision, not in `tfgen.hcl` now: its resources are to be
    /// destroyed.
    Removed,
}

impl Change {
    pub fn name(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Changed => "changed",
            Change::Removed => "removed",
        }
    }
}

/// One environment the change touches.
#[derive(Debug, Clone)]
pub struct Changed {
    pub name: String,
    pub change: Change,
    /// The files whose render differs from the revision's, is new, or is
    /// gone, as paths under the `out` directory given (`out/dev/hcl/s3.tf`).
    pub files: Vec<PathBuf>,
    /// The entry in `tfgen.hcl` means something else than at the revision.
    pub entry_changed: bool,
    /// Its entry in `tfgen.hcl`; for a removed environment, the one in the
    /// revision's `tfgen.hcl`, when it had one there.
    pub entry: Option<Environment>,
    /// For a removed environment: which of its directories (`hcl`, `json`)
    /// the revision's `out/` holds.
    pub base_formats: Vec<Format>,
}

/// The environments changed since `revision`: those of `config` in its
/// order, then the removed ones by name.
pub fn changed_since(config: &Config, revision: &str, out: &Path) -> Result<Vec<Changed>> {
    let git = Git::discover()?;
    git.verify_commit(revision)?;
    let tree = git.tree_path(out, "--out")?;
    let committed = Committed::new(git.files(revision, &tree)?);
    let mut blobs = git.blobs()?;
    let base = base_config(&git, &mut blobs, config, revision)?;
    let base_entries: HashMap<&str, &Environment> = base
        .environments
        .iter()
        .map(|environment| (environment.name.as_str(), environment))
        .collect();

    let renders = Tree::new(config);
    let parts = for_each_valid(
        config,
        || Ok((git.blobs()?, Renders::default(), Vec::new())),
        |(blobs, printed, found), index, environment, stack| {
            let rendered = renders.environment(printed, environment, &stack);
            let wanted: Vec<(PathBuf, Vec<u8>)> = rendered
                .into_iter()
                .map(|file| (file.path, file.contents.into_bytes()))
                .collect();
            let mut files = committed.differing(blobs, revision, &tree, &wanted)?;
            let owned = committed.environment_files(&environment.name);
            files.extend(committed.gone(blobs, revision, &tree, owned, &wanted)?);
            found.push((index, files, wanted_state(&wanted)));
            Ok(())
        },
    )?;
    let mut rendered: Vec<(usize, Vec<PathBuf>, Vec<PathBuf>)> =
        parts.into_iter().flat_map(|(_, _, found)| found).collect();
    rendered.sort_by_key(|(index, _, _)| *index);

    // A state module of the revision that no environment renders now is a
    // file gone from the tree of its first user then.
    let state_now: HashSet<&PathBuf> = rendered.iter().flat_map(|(_, _, state)| state).collect();
    let mut state_gone: HashMap<&str, Vec<PathBuf>> = HashMap::new();
    for file in committed.state_files() {
        if state_now.contains(file) {
            continue;
        }
        let bucket = file
            .components()
            .nth(1)
            .map(|part| part.as_os_str().to_string_lossy().into_owned());
        let owner = base.environments.iter().find(|environment| {
            environment.state.as_ref().map(|state| &state.bucket) == bucket.as_ref()
        });
        if let Some(owner) = owner
            && committed.is_rendered(&mut blobs, revision, &tree, file)?
        {
            state_gone
                .entry(owner.name.as_str())
                .or_default()
                .push(file.clone());
        }
    }

    let mut changes = Vec::new();
    for ((_, mut files, _), environment) in rendered.into_iter().zip(&config.environments) {
        files.extend(
            state_gone
                .remove(environment.name.as_str())
                .unwrap_or_default(),
        );
        files.sort();
        let base_entry = base_entries.get(environment.name.as_str());
        let entry_changed = base_entry.is_some_and(|base| base.meaning() != environment.meaning());
        let at_revision = base_entry.is_some() || committed.has_environment(&environment.name);
        let change = if !at_revision {
            Change::Added
        } else if entry_changed || !files.is_empty() {
            Change::Changed
        } else {
            continue;
        };
        changes.push(Changed {
            name: environment.name.clone(),
            change,
            files: files.iter().map(|file| out.join(file)).collect(),
            entry_changed,
            entry: Some(environment.clone()),
            base_formats: Vec::new(),
        });
    }

    let current: HashSet<&str> = config.names().into_iter().collect();
    let removed: BTreeSet<&str> = base_entries
        .keys()
        .copied()
        .chain(committed.environments())
        .filter(|name| !current.contains(name))
        .collect();
    for name in removed {
        let base_formats: Vec<Format> = Format::ALL
            .into_iter()
            .filter(|format| {
                committed
                    .environment_files(name)
                    .iter()
                    .any(|file| file.starts_with(tree_directory(name, *format)))
            })
            .collect();
        changes.push(Changed {
            name: name.to_string(),
            change: Change::Removed,
            files: committed
                .environment_files(name)
                .iter()
                .map(|file| out.join(file))
                .collect(),
            entry_changed: base_entries.contains_key(name),
            entry: base_entries.get(name).map(|entry| (*entry).clone()),
            base_formats,
        });
    }
    Ok(changes)
}

/// The `_state` module files among an environment's rendered files.
fn wanted_state(wanted: &[(PathBuf, Vec<u8>)]) -> Vec<PathBuf> {
    wanted
        .iter()
        .filter(|(path, _)| path.starts_with(STATE_ROOT))
        .map(|(path, _)| path.clone())
        .collect()
}

/// The environments of the revision: its `tfgen.hcl` (the file the current
/// configuration is read from, at the same place in the repository), or
/// tfgen's built-in ones when no `tfgen.hcl` was there, as `Config::load`
/// would have found; no environment at all when a file of another name was
/// not there yet.
fn base_config(git: &Git, blobs: &mut Blobs, config: &Config, revision: &str) -> Result<Config> {
    let path = match &config.source {
        Source::File(path) => path.clone(),
        Source::BuiltIn => PathBuf::from(DEFAULT_FILE),
    };
    let in_tree = git.tree_path(&path, "--config")?;
    if !git.has_file(revision, &in_tree)? {
        let default = path.file_name().is_some_and(|name| name == DEFAULT_FILE);
        return Ok(match default {
            true => Config::built_in(),
            false => Config {
                source: Source::BuiltIn,
                environments: Vec::new(),
            },
        });
    }
    let name = object(revision, &in_tree);
    let bytes = blobs.contents(std::slice::from_ref(&name))?.remove(0);
    Config::parse(Path::new(&name), &bytes).map_err(|source| Error::AtRevision {
        path: in_tree,
        revision: revision.to_string(),
        source: Box::new(source),
    })
}

/// The files of `out/` at the revision, relative to `out/`.
struct Committed {
    files: HashSet<PathBuf>,
    /// Each environment directory's files (`dev` → `dev/hcl/s3.tf`, ...),
    /// only those directly in its `hcl/` or `json/`, where tfgen writes.
    by_environment: HashMap<String, Vec<PathBuf>>,
    /// `_state/<bucket>/main.tf`, ...
    state: Vec<PathBuf>,
}

impl Committed {
    fn new(listing: Vec<PathBuf>) -> Committed {
        let mut by_environment: HashMap<String, Vec<PathBuf>> = HashMap::new();
        let mut state = Vec::new();
        for file in &listing {
            let parts: Vec<Component> = file.components().collect();
            match parts.as_slice() {
                [
                    Component::Normal(root),
                    Component::Normal(_),
                    Component::Normal(_),
                ] if *root == STATE_ROOT => {
                    state.push(file.clone());
                }
                [
                    Component::Normal(environment),
                    Component::Normal(directory),
                    Component::Normal(_),
                ] if Format::ALL.iter().any(|format| *directory == format.name())
                    && Format::of_path(file).is_some() =>
                {
                    by_environment
                        .entry(environment.to_string_lossy().into_owned())
                        .or_default()
                        .push(file.clone());
                }
                _ => {}
            }
        }
        for files in by_environment.values_mut() {
            files.sort();
        }
        state.sort();
        Committed {
            files: listing.into_iter().collect(),
            by_environment,
            state,
        }
    }

    fn has_environment(&self, name: &str) -> bool {
        self.by_environment.contains_key(name)
    }

    fn environments(&self) -> impl Iterator<Item = &str> {
        self.by_environment.keys().map(String::as_str)
    }

    fn environment_files(&self, name: &str) -> &[PathBuf] {
        self.by_environment.get(name).map_or(&[], Vec::as_slice)
    }

    fn state_files(&self) -> &[PathBuf] {
        &self.state
    }

    /// The files of `wanted` that are new or whose committed bytes differ.
    fn differing(
        &self,
        blobs: &mut Blobs,
        revision: &str,
        tree: &Path,
        wanted: &[(PathBuf, Vec<u8>)],
    ) -> Result<Vec<PathBuf>> {
        let (present, new): (Vec<_>, Vec<_>) = wanted
            .iter()
            .partition(|(path, _)| self.files.contains(path));
        let objects: Vec<String> = present
            .iter()
            .map(|(path, _)| object(revision, &tree.join(path)))
            .collect();
        let committed = blobs.contents(&objects)?;
        let mut differing: Vec<PathBuf> = new.into_iter().map(|(path, _)| path.clone()).collect();
        differing.extend(
            present
                .into_iter()
                .zip(committed)
                .filter(|((_, contents), old)| contents != old)
                .map(|((path, _), _)| path.clone()),
        );
        Ok(differing)
    }

    /// The files among `owned` that tfgen rendered at the revision and does
    /// not render now: `render --all` removes them.
    fn gone(
        &self,
        blobs: &mut Blobs,
        revision: &str,
        tree: &Path,
        owned: &[PathBuf],
        wanted: &[(PathBuf, Vec<u8>)],
    ) -> Result<Vec<PathBuf>> {
        let wanted: HashSet<&PathBuf> = wanted.iter().map(|(path, _)| path).collect();
        let mut gone = Vec::new();
        for file in owned.iter().filter(|file| !wanted.contains(file)) {
            if self.is_rendered(blobs, revision, tree, file)? {
                gone.push(file.clone());
            }
        }
        Ok(gone)
    }

    /// True when the committed `file` is tfgen's rendered output.
    fn is_rendered(
        &self,
        blobs: &mut Blobs,
        revision: &str,
        tree: &Path,
        file: &Path,
    ) -> Result<bool> {
        let contents = blobs.contents(&[object(revision, &tree.join(file))])?;
        Ok(is_rendered_contents(&contents[0]))
    }
}
