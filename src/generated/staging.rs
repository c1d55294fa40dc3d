//! One all-or-nothing change to files on disk, staged by one thread or by
//! several ([`Staging::fork`]).
//!
//! Nothing appears under its real name before the commit:
//! - a file whose directory exists already is written to a temporary file
//!   beside its target (`.<name>.tfgen-<pid>.tmp`) and renamed over it;
//! - a directory that does not exist yet is created under a hidden name
//!   (`.<name>.tfgen-<pid>-<part>.tmp`), what goes inside it is written
//!   under its own names, and the directory is renamed into place. A new
//!   environment, or a whole new tree, is one rename rather than one per
//!   file: on the machines this is measured on, renames were a fifth of the
//!   time a fresh 10,000-environment tree took (bench/RESULTS.md).
//!
//! So Terraform never loads a half-written root module, even from a process
//! killed with SIGKILL: what such a process leaves has hidden names, and a
//! hidden environment directory left under a tree holds tfgen's files, which
//! the next `render --all` removes as stale. An error, SIGINT or SIGTERM
//! while staging removes everything staged and every directory created.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use super::is_generated;
use crate::error::{Error, Result};

/// One all-or-nothing change to files on disk: files are staged, then
/// committed together (renamed into place, stale files removed). Dropped
/// without [`Staging::commit`], or on any error, it removes what it staged
/// and the directories it created, and the tree is as it was.
///
/// Every write path uses it.
pub struct Staging {
    /// Temporary file → its target, for targets in directories that exist.
    staged: Vec<(PathBuf, PathBuf)>,
    /// Files written under their own names inside a hidden directory.
    placed: Vec<PathBuf>,
    /// Targets staged, to tell a stale file from one being rewritten; kept
    /// only while there are stale files to tell apart.
    targets: HashSet<PathBuf>,
    /// Whether `targets` is kept.
    tracking: bool,
    /// Directories known to exist, so each is looked up once.
    existing: HashSet<PathBuf>,
    /// The directories this staging created, by the path they will have →
    /// where they are until the commit. Nothing is in them but what it
    /// stages, so a target there needs no inspection (a fresh tree of
    /// 10,000 environments is 120,000 targets). A fork starts with its
    /// parent's, and the directories a fork creates are its own.
    fresh: HashMap<PathBuf, PathBuf>,
    /// What this staging and its forks created, shared with them.
    shared: Arc<Mutex<Created>>,
    /// Part of every temporary name: the process and which fork this is
    /// (0 for the staging the others were forked from).
    process: u32,
    part: usize,
    /// Generated files to remove at commit, unless staged again.
    stale: Vec<PathBuf>,
    /// Directories that may become empty at commit, up to this root.
    root: PathBuf,
    _signals: interrupt::Guard,
}

/// The directories a staging and its forks created.
#[derive(Default)]
struct Created {
    /// Every one, where it is now: removed, deepest first, by whichever of
    /// them is dropped last without a commit.
    directories: Vec<PathBuf>,
    /// The hidden ones → the path each is renamed to at commit.
    hidden: Vec<(PathBuf, PathBuf)>,
    /// Forks made so far, to number the next one.
    forks: usize,
}

impl Staging {
    pub fn new(root: &Path) -> Result<Staging> {
        Ok(Staging {
            staged: Vec::new(),
            placed: Vec::new(),
            targets: HashSet::new(),
            tracking: false,
            existing: HashSet::new(),
            fresh: HashMap::new(),
            shared: Default::default(),
            process: std::process::id(),
            part: 0,
            stale: Vec::new(),
            root: root.to_path_buf(),
            _signals: interrupt::Guard::install(),
        })
    }

    /// A staging for another thread, under the same root (created now if it
    /// is missing, so the forks do not race to create it). What it stages is
    /// committed by [`Staging::absorb`]ing it into this one; dropped, it
    /// removes what it staged.
    pub fn fork(&mut self) -> Result<Staging> {
        let root = self.root.clone();
        self.create_directories(&root)?;
        // Numbered across every fork of the family, so no two hide a
        // directory under the same name.
        let part = {
            let mut shared = lock(&self.shared);
            shared.forks += 1;
            shared.forks
        };
        Ok(Staging {
            staged: Vec::new(),
            placed: Vec::new(),
            targets: HashSet::new(),
            tracking: self.tracking,
            existing: self.existing.clone(),
            fresh: self.fresh.clone(),
            shared: Arc::clone(&self.shared),
            process: self.process,
            part,
            stale: Vec::new(),
            root,
            _signals: interrupt::Guard::install(),
        })
    }

    /// The directory the staged files are under.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Takes over what a fork staged, to commit it with this staging's.
    pub fn absorb(&mut self, mut fork: Staging) {
        self.staged.append(&mut fork.staged);
        self.placed.append(&mut fork.placed);
        self.targets.extend(std::mem::take(&mut fork.targets));
        self.stale.append(&mut fork.stale);
    }

    /// Stages `contents` for `target`. A target that already holds exactly
    /// these bytes is left untouched (its modification time stays). A target
    /// that is a directory, a symbolic link or a file tfgen did not generate
    /// is an error naming it.
    pub fn stage(&mut self, target: &Path, contents: &str) -> Result<()> {
        interrupt::check()?;
        if self.tracking {
            self.targets.insert(target.to_path_buf());
        }
        let directory = target
            .parent()
            .filter(|parent| !parent.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = target.file_name().unwrap_or_default();
        // In a directory this staging created, nothing else is there: the
        // file is written under its own name, and its directory renamed.
        // Elsewhere the target is looked at first.
        let placed = match self.fresh.get(directory) {
            Some(hidden) => Some(hidden.join(name)),
            None if unchanged(target, contents)? => return Ok(()),
            None => self
                .create_directories(directory)?
                .map(|hidden| hidden.join(name)),
        };
        if let Some(placed) = placed {
            return self.place(placed, target, contents);
        }
        let temporary = directory.join(format!(
            ".{}.tfgen-{}.tmp",
            name.to_string_lossy(),
            self.process
        ));
        // Registered before writing, so a failed write is cleaned up too.
        self.staged.push((temporary.clone(), target.to_path_buf()));
        write_new(&temporary, contents).map_err(|source| Error::io("write", target, source))
    }

    /// Writes `target`'s contents under its own name inside a hidden
    /// directory, at `placed`.
    fn place(&mut self, placed: PathBuf, target: &Path, contents: &str) -> Result<()> {
        let written = write_new(&placed, contents);
        // Registered whatever happened, so a failed write is cleaned up too.
        self.placed.push(placed);
        written.map_err(|source| Error::io("write", target, source))
    }

    /// Schedules a file tfgen generated for removal at commit, unless it is
    /// also staged. Called before staging begins.
    pub fn remove_unless_written(&mut self, path: PathBuf) {
        self.tracking = true;
        self.stale.push(path);
    }

    /// Makes sure `directory` will exist: `None` when it does already, else
    /// where it is until the commit. The outermost missing directory is
    /// created under a hidden name beside where it belongs, and the rest
    /// inside it under their own.
    fn create_directories(&mut self, directory: &Path) -> Result<Option<PathBuf>> {
        if let Some(hidden) = self.fresh.get(directory) {
            return Ok(Some(hidden.clone()));
        }
        if self.existing.contains(directory) {
            return Ok(None);
        }
        let mut missing = Vec::new();
        let mut current = directory;
        // Where the first missing directory goes, and whether that is inside
        // a hidden directory already.
        let mut base: Option<PathBuf> = None;
        loop {
            if current.as_os_str().is_empty() || self.existing.contains(current) {
                break;
            }
            if let Some(hidden) = self.fresh.get(current) {
                base = Some(hidden.clone());
                break;
            }
            // Inside a directory of this staging's, a directory it did not
            // create is missing (or another fork's, which `create_dir`
            // tells): no need to look.
            let parent_is_fresh = current
                .parent()
                .is_some_and(|parent| self.fresh.contains_key(parent));
            if !parent_is_fresh && current.exists() {
                break;
            }
            missing.push(current);
            match current.parent() {
                Some(parent) => current = parent,
                None => break,
            }
        }
        if missing.is_empty() {
            self.existing.insert(directory.to_path_buf());
            return Ok(None);
        }
        // The lock is taken for each registration only, never across a
        // `mkdir`: another fork would wait on it, idle, while the kernel
        // allocates this directory's inode.
        let mut placed = base;
        for path in missing.into_iter().rev() {
            let name = path.file_name().unwrap_or_default();
            let here = match &placed {
                Some(parent) => parent.join(name),
                None => {
                    let hidden = format!(
                        ".{}.tfgen-{}-{}.tmp",
                        name.to_string_lossy(),
                        self.process,
                        self.part
                    );
                    path.with_file_name(hidden)
                }
            };
            match std::fs::create_dir(&here) {
                Ok(()) => lock(&self.shared).directories.push(here.clone()),
                // Another fork made it inside a hidden directory they share
                // (`_state/` of two environments' state buckets): only what
                // they stage is in there, and it is registered already.
                Err(error)
                    if error.kind() == std::io::ErrorKind::AlreadyExists
                        && placed.is_some()
                        && here.is_dir() => {}
                Err(source) => return Err(Error::io("create directory", path, source)),
            }
            if placed.is_none() {
                lock(&self.shared)
                    .hidden
                    .push((here.clone(), path.to_path_buf()));
            }
            self.fresh.insert(path.to_path_buf(), here.clone());
            placed = Some(here);
        }
        Ok(placed)
    }

    /// Renames every staged file and hidden directory into place and
    /// removes the stale files, then the managed directories that this left
    /// empty. Signals wait until it is done.
    pub fn commit(mut self) -> Result<()> {
        interrupt::check()?;
        let staged = std::mem::take(&mut self.staged);
        for (index, (temporary, target)) in staged.iter().enumerate() {
            if let Err(source) = std::fs::rename(temporary, target) {
                // Put back what is not committed yet, for Drop to clean.
                self.staged = staged[index..].to_vec();
                return Err(Error::io("replace", target, source));
            }
        }
        let hidden = std::mem::take(&mut lock(&self.shared).hidden);
        for (index, (directory, target)) in hidden.iter().enumerate() {
            if let Err(error) = move_directory(directory, target) {
                // What is renamed stays (Drop's removals of what was inside
                // it find nothing); the rest is Drop's to remove.
                lock(&self.shared).hidden = hidden[index..].to_vec();
                return Err(error);
            }
        }
        self.placed.clear();
        lock(&self.shared).directories.clear();
        let stale: Vec<PathBuf> = std::mem::take(&mut self.stale)
            .into_iter()
            .filter(|path| !self.targets.contains(path))
            .collect();
        for path in &stale {
            std::fs::remove_file(path)
                .map_err(|source| Error::io("remove stale file", path, source))?;
        }
        for path in &stale {
            self.remove_empty_parents(path);
        }
        Ok(())
    }

    /// Removes the directories emptied by stale-file removal, up to the
    /// environment directory and never the root.
    fn remove_empty_parents(&self, file: &Path) {
        let mut directory = file.parent();
        while let Some(current) = directory {
            if current == self.root
                || !current.starts_with(&self.root)
                || std::fs::remove_dir(current).is_err()
            {
                break;
            }
            directory = current.parent();
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        for (temporary, _) in &self.staged {
            let _ = std::fs::remove_file(temporary);
        }
        for placed in &self.placed {
            let _ = std::fs::remove_file(placed);
        }
        // The last of a staging and its forks removes the directories, once
        // every one of them has removed its files.
        let shared = std::mem::take(&mut self.shared);
        if let Some(shared) = Arc::into_inner(shared) {
            let mut directories = shared
                .into_inner()
                .unwrap_or_else(PoisonError::into_inner)
                .directories;
            directories.sort_by_key(|directory| std::cmp::Reverse(directory.components().count()));
            for directory in &directories {
                let _ = std::fs::remove_dir(directory);
            }
        }
    }
}

/// Whether `target` holds exactly `contents` already (it is then left
/// untouched, its modification time too). A target that is a directory, a
/// symbolic link or a file tfgen did not generate is an error naming it.
fn unchanged(target: &Path, contents: &str) -> Result<bool> {
    match std::fs::symlink_metadata(target) {
        Ok(metadata) if metadata.is_dir() => {
            return Err(Error::Usage(format!(
                "cannot write {}: it is a directory\n  help: move it away; tfgen writes a file there",
                target.display()
            )));
        }
        Ok(metadata) if metadata.file_type().is_symlink() => {
            return Err(Error::Usage(format!(
                "cannot write {}: it is a symbolic link, and tfgen replaces only files it generated\n  help: remove the link",
                target.display()
            )));
        }
        Ok(_) if std::fs::read(target).is_ok_and(|bytes| bytes == contents.as_bytes()) => {
            return Ok(true);
        }
        Ok(_) if !is_generated(target) => {
            return Err(Error::Usage(format!(
                "refusing to overwrite {}: tfgen did not generate it (it does not start with tfgen's header)\n  help: move it away or delete it, then run the command again",
                target.display()
            )));
        }
        Ok(_) => {}
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
        Err(source) => return Err(Error::io("inspect", target, source)),
    }
    Ok(false)
}

/// Creates `path`, which must not exist, with the default mode (the umask
/// applies, as for `touch`), holding `contents`.
fn write_new(path: &Path, contents: &str) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    std::io::Write::write_all(&mut file, contents.as_bytes())
}

/// Renames a hidden directory to `target`. When `target` appeared since it
/// was found missing (two forks each created `_state/` for their state
/// buckets, and the other's is in place already), what is inside moves into
/// it instead, entry by entry.
fn move_directory(directory: &Path, target: &Path) -> Result<()> {
    let error = match std::fs::rename(directory, target) {
        Ok(()) => return Ok(()),
        Err(error) => error,
    };
    if !target.is_dir() {
        return Err(Error::io("replace", target, error));
    }
    let entries = std::fs::read_dir(directory)
        .map_err(|source| Error::io("read directory", directory, source))?;
    for entry in entries {
        let entry = entry.map_err(|source| Error::io("read directory", directory, source))?;
        let destination = target.join(entry.file_name());
        if std::fs::symlink_metadata(&destination).is_ok() {
            if entry.file_type().is_ok_and(|kind| kind.is_dir()) && destination.is_dir() {
                move_directory(&entry.path(), &destination)?;
                continue;
            }
            return Err(Error::Usage(format!(
                "cannot write {}: it appeared while tfgen was writing\n  help: run the command again",
                destination.display()
            )));
        }
        std::fs::rename(entry.path(), &destination)
            .map_err(|source| Error::io("replace", &destination, source))?;
    }
    std::fs::remove_dir(directory).map_err(|source| Error::io("remove", directory, source))
}

/// The list behind a lock: a thread that panicked holding it left nothing
/// half-changed (a push or a clear), so its poisoning is ignored.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// SIGINT and SIGTERM while files are staged: the signal is noted instead of
/// killing the process, staging stops at the next file and cleans up, and a
/// commit under way completes. Outside a staging the default action is back.
mod interrupt {
    use std::sync::atomic::{AtomicI32, AtomicUsize, Ordering};

    use crate::error::{Error, Result};

    /// The signal received while staging, 0 for none.
    static RECEIVED: AtomicI32 = AtomicI32::new(0);
    static ACTIVE: AtomicUsize = AtomicUsize::new(0);

    extern "C" fn note(signal: libc::c_int) {
        RECEIVED.store(signal, Ordering::SeqCst);
    }

    /// While alive, SIGINT and SIGTERM are noted, not fatal.
    pub struct Guard;

    impl Guard {
        pub fn install() -> Guard {
            if ACTIVE.fetch_add(1, Ordering::SeqCst) == 0 {
                set(note as extern "C" fn(libc::c_int) as libc::sighandler_t);
            }
            Guard
        }
    }

    impl Drop for Guard {
        fn drop(&mut self) {
            if ACTIVE.fetch_sub(1, Ordering::SeqCst) == 1 {
                set(libc::SIG_DFL);
                let signal = RECEIVED.load(Ordering::SeqCst);
                if signal != 0 {
                    // The work is rolled back or complete: now end as the
                    // signal's sender asked.
                    // SAFETY: raising a signal has no memory-safety conditions.
                    unsafe {
                        libc::raise(signal);
                    }
                }
            }
        }
    }

    fn set(handler: libc::sighandler_t) {
        for signal in [libc::SIGINT, libc::SIGTERM] {
            // SAFETY: the handler only stores to an atomic, which is
            // async-signal-safe; SIG_DFL restores the default.
            unsafe {
                libc::signal(signal, handler);
            }
        }
    }

    /// An error once a signal arrived, so staging stops and rolls back.
    pub fn check() -> Result<()> {
        if RECEIVED.load(Ordering::SeqCst) != 0 {
            return Err(Error::Usage(
                "interrupted by a signal: nothing was written".into(),
            ));
        }
        Ok(())
    }
}
