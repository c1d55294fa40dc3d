//! Scratch git repositories with commits, for the commands that read a
//! revision (`diff --base`, `envs --changed`).

use std::path::Path;
use std::process::{Command, Stdio};

use super::{project_root, tfgen};

/// Runs git in `directory`, with an identity so commits work anywhere.
pub fn git(directory: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args([
            "-c",
            "user.name=tfgen tests",
            "-c",
            "user.email=tests@tfgen.invalid",
        ])
        .args(args)
        .current_dir(directory)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("the tests of git revisions need git on PATH");
    assert!(status.success(), "git {}", args.join(" "));
}

/// Commits everything in the repository at `root`.
pub fn commit_all(root: &Path, message: &str) {
    git(root, &["add", "--all"]);
    git(
        root,
        &["commit", "--quiet", "--allow-empty", "--message", message],
    );
}

/// A git repository in `root` with `config` as its tfgen.hcl and its
/// rendered `out/`, `before_commit` run on it, then everything committed.
pub fn committed_render_of(root: &Path, config: &str, before_commit: impl FnOnce(&Path)) {
    std::fs::write(root.join("tfgen.hcl"), config).unwrap();
    git(root, &["init", "--quiet"]);
    tfgen(&["render", "--all"]).in_dir(root).run().expect(0);
    before_commit(root);
    commit_all(root, "render");
}

/// [`committed_render_of`] the repository's own tfgen.hcl; returns its text.
pub fn committed_render(root: &Path, before_commit: impl FnOnce(&Path)) -> String {
    let config = std::fs::read_to_string(project_root().join("tfgen.hcl")).unwrap();
    committed_render_of(root, &config, before_commit);
    config
}
