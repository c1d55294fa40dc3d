//! The review gate's contract (issue 11), running the binary: tfgen never
//! deletes or overwrites what it does not own, writes all or nothing,
//! `check` and `diff` see what Terraform loads, verdicts survive a closed
//! stdout, and text from values cannot drive a terminal or a PR comment.
//! Ends with a seeded random test over trees of owned, foreign, nested,
//! symlinked, tfvars and override files.

use std::io::Read;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::support::{Output, tfgen};

/// A scratch project with the repository's tfgen.hcl, rendered into out/.
fn rendered_project() -> tempfile::TempDir {
    let directory = tempfile::tempdir().unwrap();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(root.join("tfgen.hcl"), directory.path().join("tfgen.hcl")).unwrap();
    run(directory.path(), &["render", "--all"]).expect(0);
    directory
}

fn run(directory: &Path, args: &[&str]) -> Output {
    tfgen(args).in_dir(directory).env("NO_COLOR", "1").run()
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Paths with the bytes of each file, `<dir>`, or a link's target.
type Snapshot = Vec<(PathBuf, Vec<u8>)>;

/// Every path under `root` (directories included, symlinks not followed)
/// with the bytes of each file or the target of each link.
fn snapshot(root: &Path) -> Snapshot {
    let mut entries = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(directory) = pending.pop() {
        for entry in std::fs::read_dir(&directory).unwrap().flatten() {
            let path = entry.path();
            let kind = entry.file_type().unwrap();
            if kind.is_symlink() {
                let target = std::fs::read_link(&path).unwrap();
                entries.push((path, target.as_os_str().as_encoded_bytes().to_vec()));
            } else if kind.is_dir() {
                entries.push((path.clone(), b"<dir>".to_vec()));
                pending.push(path);
            } else {
                entries.push((path.clone(), std::fs::read(&path).unwrap()));
            }
        }
    }
    entries.sort();
    entries
}

// --- 1. ownership ------------------------------------------------------------

#[test]
fn out_at_a_folder_that_is_not_tfgens_is_refused() {
    let project = rendered_project();
    write(&project.path().join("keep/a.tf"), "locals {}\n");
    let before = snapshot(project.path());
    run(project.path(), &["render", "--all", "--out", "."]).expect_error(
        "tfgen: refusing to write into .: it holds files but none that tfgen generated (no <env>/hcl/*.tf or <env>/json/*.tf.json with its header)\n  help: pass --out an empty or new directory, or the tree tfgen wrote before\n",
    );
    assert_eq!(snapshot(project.path()), before);
    // The same for one environment's --out.
    write(&project.path().join("mine/README.md"), "mine\n");
    run(project.path(), &["render", "--env", "dev", "--out", "mine"]).expect(2);
    // An empty or new folder is fine.
    std::fs::create_dir(project.path().join("empty")).unwrap();
    run(project.path(), &["render", "--all", "--out", "empty"]).expect(0);
    run(
        project.path(),
        &["render", "--env", "dev", "--out", "new/dev"],
    )
    .expect(0);
}

#[test]
fn only_generated_files_directly_in_environment_directories_are_removed() {
    let project = rendered_project();
    let out = project.path().join("out");
    let generated = std::fs::read_to_string(out.join("dev/hcl/s3.tf")).unwrap();
    // Copies of a generated file deeper than tfgen writes, or elsewhere.
    for deep in [
        "modules/m/s3.tf",
        "dev/hcl/sub/s3.tf",
        "dev/s3.tf",
        "dev/other/x.tf",
    ] {
        write(&out.join(deep), &generated);
    }
    // An environment no longer in tfgen.hcl: its generated files are stale.
    write(&out.join("gone/hcl/s3.tf"), &generated);
    run(project.path(), &["render", "--all"]).expect(0);
    for deep in [
        "modules/m/s3.tf",
        "dev/hcl/sub/s3.tf",
        "dev/s3.tf",
        "dev/other/x.tf",
    ] {
        assert!(out.join(deep).is_file(), "{deep} was deleted");
    }
    assert!(!out.join("gone").exists(), "stale environment left behind");
}

#[test]
fn overwriting_a_file_tfgen_did_not_generate_is_an_error() {
    let project = rendered_project();
    let target = project.path().join("out/dev/hcl/s3.tf");
    std::fs::write(&target, "# mine\n").unwrap();
    let before = snapshot(project.path());
    run(project.path(), &["render", "--all"]).expect_error(
        "tfgen: refusing to overwrite out/dev/hcl/s3.tf: tfgen did not generate it (it does not start with tfgen's header)\n  help: move it away or delete it, then run the command again\n",
    );
    assert_eq!(snapshot(project.path()), before);
}

// --- 2. the configuration file -------------------------------------------------

#[test]
fn a_tfgen_hcl_that_exists_but_cannot_be_read_is_an_error() {
    let project = tempfile::tempdir().unwrap();
    let config = project.path().join("tfgen.hcl");
    std::os::unix::fs::symlink("nowhere.hcl", &config).unwrap();
    let help = "\n  help: make it a readable file of environments, or remove it to use the built-in ones\n";
    run(project.path(), &["render", "--all"]).expect_error(&format!(
        "tfgen: cannot read tfgen.hcl: it is a symbolic link to a path that does not exist{help}"
    ));
    std::fs::remove_file(&config).unwrap();
    std::fs::create_dir(&config).unwrap();
    run(project.path(), &["envs"]).expect_error(&format!(
        "tfgen: cannot read tfgen.hcl: it is a directory{help}"
    ));
    std::fs::remove_dir(&config).unwrap();
    let status = Command::new("mkfifo").arg(&config).status().unwrap();
    assert!(status.success());
    run(project.path(), &["check"]).expect_error(&format!(
        "tfgen: cannot read tfgen.hcl: it is not a regular file (a FIFO, socket or device){help}"
    ));
    assert!(!project.path().join("out").exists());
}

#[test]
fn the_header_does_not_depend_on_how_the_config_path_is_typed() {
    let project = rendered_project();
    std::fs::create_dir(project.path().join("sub")).unwrap();
    let absolute = project.path().join("tfgen.hcl");
    let spellings: Vec<(PathBuf, String)> = vec![
        (project.path().to_path_buf(), "tfgen.hcl".into()),
        (project.path().to_path_buf(), "./tfgen.hcl".into()),
        (project.path().join("sub"), absolute.display().to_string()),
        (project.path().join("sub"), "../tfgen.hcl".into()),
    ];
    let outputs: Vec<String> = spellings
        .iter()
        .map(|(directory, config)| {
            let args = [
                "render", "--env", "prod", "--format", "hcl", "--config", config,
            ];
            run(directory, &args).expect(0).stdout
        })
        .collect();
    assert!(outputs.iter().all(|output| output == &outputs[0]));
    assert!(outputs[0].starts_with("# Generated by tfgen from tfgen.hcl: "));
    run(
        project.path(),
        &["render", "--all", "--config", "./tfgen.hcl"],
    )
    .expect(0);
    run(project.path(), &["check"]).expect(0);
}

// --- 3. what Terraform loads -----------------------------------------------------

#[test]
fn check_reports_every_file_terraform_would_load_that_is_not_tfgens() {
    use std::os::unix::ffi::OsStrExt;
    let cases: [(&str, &str); 5] = [
        (
            "out/prod/hcl/terraform.tfvars",
            "artifacts_bucket_name = \"evil\"\n",
        ),
        (
            "out/prod/json/x.auto.tfvars.json",
            "{\"artifacts_bucket_name\": \"evil\"}\n",
        ),
        (
            "out/prod/hcl/aaa_override.tf",
            "variable \"artifacts_bucket_name\" {\n  default = \"evil\"\n}\n",
        ),
        (
            "out/dev/hcl/notes.md",
            "not Terraform, but not tfgen's either\n",
        ),
        ("out/dev/json/extra.tf.json", "{}\n"),
    ];
    for (path, text) in cases {
        let project = rendered_project();
        write(&project.path().join(path), text);
        let output = run(project.path(), &["check"]).expect(1);
        assert!(
            output
                .stdout
                .contains(&format!("foreign: {path} (not generated by tfgen;")),
            "{}",
            output.stdout
        );
        assert!(
            output
                .stdout
                .contains("remove or move them out of the generated directories"),
            "{}",
            output.stdout
        );
        // The hint works: removing the file makes check pass.
        std::fs::remove_file(project.path().join(path)).unwrap();
        run(project.path(), &["check"]).expect(0);
    }
    let project = rendered_project();
    let hcl = project.path().join("out/prod/hcl");
    std::os::unix::fs::symlink("../../dev/hcl/s3.tf", hcl.join("link.tf")).unwrap();
    std::fs::write(
        hcl.join(std::ffi::OsStr::from_bytes(b"b\xff.tf")),
        "locals {}\n",
    )
    .unwrap();
    let output = run(project.path(), &["check"]).expect(1);
    assert!(
        output
            .stdout
            .contains("foreign: out/prod/hcl/link.tf (a symbolic link"),
        "{}",
        output.stdout
    );
    assert!(
        output
            .stdout
            .contains("foreign: out/prod/hcl/b\\xff.tf (a name that is not UTF-8"),
        "{}",
        output.stdout
    );
    // A generated file replaced by a link to identical bytes is still drift.
    std::fs::remove_file(hcl.join("link.tf")).unwrap();
    std::fs::remove_file(hcl.join(std::ffi::OsStr::from_bytes(b"b\xff.tf"))).unwrap();
    std::fs::rename(hcl.join("s3.tf"), project.path().join("s3.tf")).unwrap();
    std::os::unix::fs::symlink(project.path().join("s3.tf"), hcl.join("s3.tf")).unwrap();
    let output = run(project.path(), &["check"]).expect(1);
    assert!(
        output
            .stdout
            .contains("foreign: out/prod/hcl/s3.tf (a symbolic link where tfgen writes a file"),
        "{}",
        output.stdout
    );
    // Terraform's own working data is not drift.
    let project = rendered_project();
    write(
        &project.path().join("out/dev/hcl/.terraform/providers/x"),
        "x",
    );
    write(
        &project.path().join("out/dev/hcl/.terraform.lock.hcl"),
        "# lock\n",
    );
    write(
        &project.path().join("out/dev/hcl/terraform.tfstate"),
        "{}\n",
    );
    run(project.path(), &["check"]).expect(0);
}

#[test]
fn diff_sees_variable_files_overrides_and_duplicates_as_terraform_does() {
    let project = rendered_project();
    let dir = project.path();
    let copy = |to: &str| {
        std::fs::create_dir_all(dir.join(to)).unwrap();
        for entry in std::fs::read_dir(dir.join("out/prod/hcl"))
            .unwrap()
            .flatten()
        {
            std::fs::copy(entry.path(), dir.join(to).join(entry.file_name())).unwrap();
        }
    };
    copy("clean");
    copy("tfvars");
    write(
        &dir.join("tfvars/terraform.tfvars"),
        "artifacts_bucket_name = \"evil-bucket\"\n",
    );
    let output = run(dir, &["diff", "clean", "tfvars"]).expect(1);
    assert!(
        output.stdout.contains("\"evil-bucket\""),
        "{}",
        output.stdout
    );

    copy("override");
    write(
        &dir.join("override/aaa_override.tf"),
        "resource \"aws_s3_bucket\" \"artifacts_bucket\" {\n  bucket = \"evil-bucket\"\n}\n",
    );
    let output = run(dir, &["diff", "clean", "override"]).expect(1);
    assert!(
        output
            .stdout
            .contains("~ bucket: var.artifacts_bucket_name → \"evil-bucket\""),
        "{}",
        output.stdout
    );

    copy("duplicate");
    std::fs::copy(
        dir.join("duplicate/s3.tf"),
        dir.join("duplicate/s3_copy.tf"),
    )
    .unwrap();
    let output = run(dir, &["diff", "clean", "duplicate"]).expect(2);
    assert!(output.stderr.contains("duplicate resource \"aws_s3_bucket\" \"artifacts_bucket\": already defined in duplicate/s3.tf"), "{}", output.stderr);

    std::fs::write(dir.join("notes.txt"), "not terraform\n").unwrap();
    let output = run(dir, &["diff", "clean", "notes.txt"]).expect(2);
    assert!(
        output
            .stderr
            .contains("notes.txt: cannot read rendered Terraform: not a Terraform file"),
        "{}",
        output.stderr
    );
}

#[test]
fn an_environment_directory_is_compared_in_both_formats() {
    let project = rendered_project();
    let dir = project.path();
    let status = Command::new("cp")
        .args(["-r", "out/dev", "before"])
        .current_dir(dir)
        .status()
        .unwrap();
    assert!(status.success());
    let s3 = dir.join("out/dev/hcl/s3.tf");
    let text = std::fs::read_to_string(&s3).unwrap();
    std::fs::write(
        &s3,
        text.replace("force_destroy = true", "force_destroy = false"),
    )
    .unwrap();
    let output = run(dir, &["diff", "before", "out/dev"]).expect(2);
    assert!(
        output
            .stderr
            .starts_with("tfgen: out/dev/hcl and out/dev/json do not mean the same"),
        "{}",
        output.stderr
    );
    assert!(
        output.stderr.contains("~ force_destroy: false → true"),
        "{}",
        output.stderr
    );
}

// --- 4. all or nothing -------------------------------------------------------------

#[test]
fn a_failed_write_leaves_the_tree_as_it_was() {
    let project = rendered_project();
    let dir = project.path();
    // Another config name changes every header, so every file would change;
    // a new environment `aaa` would be created first.
    let config = std::fs::read_to_string(dir.join("tfgen.hcl")).unwrap();
    write(
        &dir.join("other.hcl"),
        &format!(
            "environment \"aaa\" {{\n  variables = {{ artifacts_bucket_name = \"aaa-bucket-name\" }}\n}}\n{config}"
        ),
    );
    std::fs::remove_file(dir.join("out/prod/hcl/s3.tf")).unwrap();
    std::fs::create_dir(dir.join("out/prod/hcl/s3.tf")).unwrap();
    let before = snapshot(dir);
    run(dir, &["render", "--all", "--config", "other.hcl"]).expect_error(
        "tfgen: cannot write out/prod/hcl/s3.tf: it is a directory\n  help: move it away; tfgen writes a file there\n",
    );
    assert_eq!(
        snapshot(dir),
        before,
        "no file changed, no temporary file, no out/aaa left"
    );
}

#[test]
fn written_files_honour_the_umask() {
    let project = rendered_project();
    let umask = Command::new("sh").args(["-c", "umask"]).output().unwrap();
    let umask = u32::from_str_radix(String::from_utf8_lossy(&umask.stdout).trim(), 8).unwrap();
    for file in ["out/dev/hcl/s3.tf", "out/prod/json/iam_roles.tf.json"] {
        let mode = std::fs::metadata(project.path().join(file))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o666 & !umask, "{file}");
    }
}

#[test]
fn a_signal_during_render_all_leaves_the_tree_empty_or_complete() {
    let project = tempfile::tempdir().unwrap();
    let config: String = (0..3000)
        .map(|index| format!("environment \"e{index}\" {{\n  variables = {{ artifacts_bucket_name = \"bucket-name-{index}\" }}\n}}\n"))
        .collect();
    write(&project.path().join("tfgen.hcl"), &config);
    let mut child = Command::new(env!("CARGO_BIN_EXE_tfgen"))
        .args(["render", "--all"])
        .current_dir(project.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait until staging has begun (the first temporary file), then stop it.
    let out = project.path().join("out");
    let started = std::time::Instant::now();
    while !out.exists() && started.elapsed() < std::time::Duration::from_secs(60) {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    child.wait().unwrap();
    let files: Vec<PathBuf> = if out.exists() {
        snapshot(&out)
            .into_iter()
            .map(|(path, _)| path)
            .filter(|path| path.is_file())
            .collect()
    } else {
        Vec::new()
    };
    assert!(
        files
            .iter()
            .all(|path| !path.to_string_lossy().ends_with(".tmp")),
        "temporary files left"
    );
    assert!(
        files.is_empty() || files.len() == 3000 * 12,
        "{} files: neither nothing nor everything",
        files.len()
    );
}

// --- 5. verdicts do not depend on stdout ----------------------------------------

/// Runs tfgen with its stdout a pipe whose reader is already gone.
fn exit_with_closed_stdout(directory: &Path, args: &[&str]) -> i32 {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tfgen"))
        .args(args)
        .current_dir(directory)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert_eq!(stderr, "", "a closed stdout is not an error to report");
    child.wait().unwrap().code().expect("exits, not killed")
}

#[test]
fn verdict_commands_keep_their_exit_code_when_stdout_closes_early() {
    let project = rendered_project();
    let s3 = project.path().join("out/dev/hcl/s3.tf");
    let padding: String = (0..20_000)
        .map(|line| format!("# padding line {line}\n"))
        .collect();
    let text = std::fs::read_to_string(&s3).unwrap();
    std::fs::write(&s3, format!("{text}{padding}")).unwrap();
    assert_eq!(exit_with_closed_stdout(project.path(), &["check"]), 1);
    assert_eq!(
        exit_with_closed_stdout(project.path(), &["lint", "--all", "--deny", "warning"]),
        1
    );
    assert_eq!(
        exit_with_closed_stdout(project.path(), &["diff", "out/dev/json", "out/prod/json"]),
        1
    );
    assert_eq!(
        exit_with_closed_stdout(project.path(), &["validate", "--all"]),
        0
    );
    // Products end quietly with 0.
    assert_eq!(
        exit_with_closed_stdout(project.path(), &["render", "--env", "prod"]),
        0
    );
    assert_eq!(exit_with_closed_stdout(project.path(), &["envs"]), 0);
}

// --- 6. the whole tfgen.hcl, one format per --out --------------------------------

#[test]
fn rendering_one_environment_validates_them_all() {
    let project = tempfile::tempdir().unwrap();
    write(
        &project.path().join("tfgen.hcl"),
        "environment \"a\" {\n  variables = { artifacts_bucket_name = \"same-bucket-name-1\" }\n}\nenvironment \"b\" {\n  variables = { artifacts_bucket_name = \"same-bucket-name-1\" }\n}\n",
    );
    let output = run(project.path(), &["render", "--env", "a"]).expect(2);
    assert!(
        output.stderr.contains("error[s3-bucket-name-unique]"),
        "{}",
        output.stderr
    );
    assert_eq!(output.stdout, "");
}

#[test]
fn render_out_in_one_format_removes_the_other_formats_files() {
    let project = rendered_project();
    let dir = project.path();
    run(
        dir,
        &[
            "render", "--env", "dev", "--format", "hcl", "--out", "module",
        ],
    )
    .expect(0);
    write(&dir.join("module/README.md"), "mine\n");
    run(
        dir,
        &[
            "render", "--env", "dev", "--format", "json", "--out", "module",
        ],
    )
    .expect(0);
    let mut names: Vec<String> = std::fs::read_dir(dir.join("module"))
        .unwrap()
        .flatten()
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "README.md",
            "iam_roles.tf.json",
            "outputs.tf.json",
            "provider.tf.json",
            "s3.tf.json",
            "variables.tf.json",
            "versions.tf.json"
        ]
    );
}

// --- 7. escaping and caps -------------------------------------------------------

#[test]
fn control_characters_never_reach_the_terminal() {
    let project = rendered_project();
    let s3 = project.path().join("out/dev/hcl/s3.tf");
    let text = std::fs::read_to_string(&s3).unwrap();
    std::fs::write(&s3, format!("{text}\x1b[2J\u{202e}evil\n")).unwrap();
    let output = run(project.path(), &["check"]).expect(1);
    assert!(
        !output.stdout.contains('\x1b') && !output.stdout.contains('\u{202e}'),
        "{}",
        output.stdout
    );
    assert!(
        output.stdout.contains("+\\u{1b}[2J\\u{202e}evil")
            || output.stdout.contains("-\\u{1b}[2J\\u{202e}evil"),
        "{}",
        output.stdout
    );

    write(
        &project.path().join("bad.hcl"),
        "environment \"dev\" {\n  variables = { project_name = \"a\\u001b[2Jb\" }\n}\n",
    );
    let output = run(project.path(), &["validate", "--config", "bad.hcl"]);
    assert!(
        !output.stdout.contains('\x1b') && !output.stderr.contains('\x1b'),
        "{}{}",
        output.stdout,
        output.stderr
    );
}

#[test]
fn a_markdown_report_cannot_be_ended_by_a_value() {
    let project = rendered_project();
    let dir = project.path();
    let status = Command::new("cp")
        .args(["-r", "out/prod/json", "changed"])
        .current_dir(dir)
        .status()
        .unwrap();
    assert!(status.success());
    let roles = dir.join("changed/iam_roles.tf.json");
    let text = std::fs::read_to_string(&roles).unwrap();
    let changed = text.replacen("s3:GetObject", "s3:Get```\\n## injected", 1);
    assert_ne!(changed, text, "the hardened policy grants s3:GetObject");
    std::fs::write(&roles, changed).unwrap();
    let output = run(
        dir,
        &["diff", "--format", "markdown", "out/prod/json", "changed"],
    )
    .expect(1);
    assert!(output.stdout.contains("````diff\n"), "{}", output.stdout);
    assert!(
        !output
            .stdout
            .lines()
            .any(|line| line.starts_with("## injected")),
        "{}",
        output.stdout
    );
}

#[test]
fn check_caps_each_files_diff_with_the_count_left_out() {
    let project = rendered_project();
    let s3 = project.path().join("out/dev/hcl/s3.tf");
    let text = std::fs::read_to_string(&s3).unwrap();
    let padding: String = (0..3000)
        .map(|line| format!("# padding line {line}\n"))
        .collect();
    std::fs::write(&s3, format!("{text}{padding}")).unwrap();
    let output = run(project.path(), &["check"]).expect(1);
    assert!(
        output.stdout.lines().count() < 250,
        "{} lines",
        output.stdout.lines().count()
    );
    assert!(
        output
            .stdout
            .contains(" more line(s) of this file's diff not shown\n"),
        "{}",
        output.stdout
    );
}

// --- 8. random trees ---------------------------------------------------------------

/// A small deterministic generator (xorshift), so a failing seed replays.
struct Random(u64);

impl Random {
    fn below(&mut self, bound: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % bound as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// Directories a foreign file may land in: the root, environment and module
/// directories (Terraform loads these), deeper ones and unknown environments.
const PLACES: [&str; 9] = [
    "out",
    "out/dev",
    "out/dev/hcl",
    "out/prod/json",
    "out/prod/hcl",
    "out/dev/hcl/sub",
    "out/modules/m",
    "out/old/hcl",
    "out/dev/json/nested/deeper",
];
const NAMES: [&str; 8] = [
    "README.md",
    "terraform.tfvars",
    "x.auto.tfvars.json",
    "aaa_override.tf",
    "extra.tf",
    "z.tf.json",
    "notes.txt",
    "s3.tf",
];

#[test]
fn random_trees_never_lose_a_foreign_file_and_check_passes_only_when_terraform_loads_the_model() {
    for seed in 1..=16u64 {
        let project = rendered_project();
        let dir = project.path();
        let generated = std::fs::read_to_string(dir.join("out/dev/hcl/s3.tf")).unwrap();
        let mut random = Random(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
        let mut foreign: Vec<PathBuf> = Vec::new();
        let mut loaded_foreign = false;
        for _ in 0..random.below(6) + 1 {
            let place = random.pick(&PLACES);
            let name = random.pick(&NAMES);
            let path = dir.join(place).join(name);
            let in_module = ["out/dev/hcl", "out/prod/json", "out/prod/hcl"].contains(&place);
            match random.below(4) {
                // A foreign file of text.
                0 | 1 => {
                    if path.exists() {
                        continue;
                    }
                    write(&path, &format!("# foreign {seed}\n"));
                }
                // A copy of a generated file: tfgen's only at the places it writes.
                2 => {
                    if path.exists() || in_module || place == "out/old/hcl" {
                        continue;
                    }
                    write(&path, &generated);
                }
                // A symbolic link to a generated file.
                _ => {
                    if path.exists() || path.symlink_metadata().is_ok() {
                        continue;
                    }
                    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                    std::os::unix::fs::symlink(dir.join("out/dev/hcl/s3.tf"), &path).unwrap();
                }
            }
            loaded_foreign |= in_module;
            foreign.push(path);
        }
        let before: Vec<(PathBuf, Vec<u8>)> = foreign
            .iter()
            .map(|path| {
                let bytes = match std::fs::read_link(path) {
                    Ok(target) => target.as_os_str().as_encoded_bytes().to_vec(),
                    Err(_) => std::fs::read(path).unwrap(),
                };
                (path.clone(), bytes)
            })
            .collect();
        let render = run(dir, &["render", "--all"]);
        assert!(
            render.code == 0 || render.code == 2,
            "seed {seed}: {}",
            render.stderr
        );
        for (path, bytes) in &before {
            let now = match std::fs::read_link(path) {
                Ok(target) => target.as_os_str().as_encoded_bytes().to_vec(),
                Err(_) => std::fs::read(path)
                    .unwrap_or_else(|_| panic!("seed {seed}: {} deleted", path.display())),
            };
            assert_eq!(&now, bytes, "seed {seed}: {} changed", path.display());
        }
        let check = run(dir, &["check"]);
        let expected = if loaded_foreign || render.code != 0 {
            1
        } else {
            0
        };
        assert_eq!(
            check.code, expected,
            "seed {seed}, foreign {foreign:?}:\n{}{}",
            check.stdout, check.stderr
        );
    }
}

/// A 1 MiB tmpfs to fill, mounted on a new directory; `None`, having said
/// SKIPPED, where it cannot be mounted (it needs root).
fn small_disk() -> Option<tempfile::TempDir> {
    let mount_point = tempfile::tempdir().unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=1m", "tmpfs"])
        .arg(mount_point.path())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if !mounted {
        eprintln!("SKIPPED: cannot mount a small tmpfs (needs root) to fill a disk");
        return None;
    }
    Some(mount_point)
}

/// A tfgen.hcl of `count` environments, enough for several threads.
fn many_environments(count: usize) -> String {
    (0..count)
        .map(|index| {
            format!(
                "environment \"e{index}\" {{\n  variables = {{ artifacts_bucket_name = \"bucket-name-{index}\" }}\n}}\n"
            )
        })
        .collect()
}

/// Every name under `root` that is one of tfgen's temporary names.
fn temporary_names(root: &Path) -> Vec<PathBuf> {
    snapshot(root)
        .into_iter()
        .map(|(path, _)| path)
        .filter(|path| path.to_string_lossy().contains(".tfgen-"))
        .collect()
}

/// A new tree written on several threads: every file in place, no hidden
/// name left; and a hidden environment directory that a killed run left
/// inside the tree is removed by the next run as stale.
#[test]
fn a_new_tree_on_many_threads_is_complete_and_a_killed_runs_leftovers_go() {
    let project = tempfile::tempdir().unwrap();
    write(&project.path().join("tfgen.hcl"), &many_environments(300));
    run(project.path(), &["render", "--all"]).expect(0);
    let out = project.path().join("out");
    assert_eq!(temporary_names(project.path()), Vec::<PathBuf>::new());
    let files = snapshot(&out)
        .iter()
        .filter(|(path, _)| out.join(path).is_file())
        .count();
    assert_eq!(files, 300 * 12);
    run(project.path(), &["check"]).expect(0);
    // What `kill -9` during staging leaves: an environment under its
    // hidden name, tfgen's files inside.
    let leftover = out.join(".e7.tfgen-999-1.tmp");
    for format in ["hcl", "json"] {
        std::fs::create_dir_all(leftover.join(format)).unwrap();
        for entry in std::fs::read_dir(out.join("e7").join(format)).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), leftover.join(format).join(entry.file_name())).unwrap();
        }
    }
    run(project.path(), &["check"]).expect(1);
    run(project.path(), &["render", "--all"]).expect(0);
    assert!(
        !leftover.exists(),
        "the killed run's directory is still there"
    );
    run(project.path(), &["check"]).expect(0);
}

/// Runs tfgen with `args` on the small disk mounted at `dir`, which it
/// fills, then unmounts it: `watched` before, tfgen's output, `watched`
/// after. The run must fail with exit 2 for lack of space.
fn fails_on_full_disk(dir: &Path, watched: &Path, args: &[&str]) -> (Snapshot, Output, Snapshot) {
    let before = snapshot(watched);
    let output = run(dir, args);
    let after = snapshot(watched);
    let unmounted = Command::new("umount").arg(dir).status();
    assert!(unmounted.is_ok_and(|status| status.success()), "umount");
    assert_eq!(output.code, 2, "{}", output.stderr);
    assert!(
        output.stderr.contains("No space left on device"),
        "{}",
        output.stderr
    );
    (before, output, after)
}

/// A full disk while a new tree is staged on several threads: exit 2, and
/// nothing at all is left, hidden or not.
#[test]
fn a_full_disk_while_a_new_tree_is_staged_on_many_threads_leaves_nothing() {
    let Some(mount_point) = small_disk() else {
        return;
    };
    let dir = mount_point.path();
    // 300 environments are 9 MiB of files: the disk fills part of the way.
    write(&dir.join("tfgen.hcl"), &many_environments(300));
    let (before, _, after) = fails_on_full_disk(dir, dir, &["render", "--all"]);
    assert_eq!(after, before, "nothing is left of the new tree");
}

/// A full disk while staging: exit 2 naming the target, the tree as it was.
/// Needs a small tmpfs, so root; elsewhere it says SKIPPED.
#[test]
fn a_full_disk_leaves_the_tree_as_it_was() {
    let Some(mount_point) = small_disk() else {
        return;
    };
    let dir = mount_point.path();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(root.join("tfgen.hcl"), dir.join("tfgen.hcl")).unwrap();
    std::fs::copy(root.join("tfgen.hcl"), dir.join("other.hcl")).unwrap();
    run(dir, &["render", "--all"]).expect(0);
    // Fill the disk but for 40 KiB: less than the tree's new copy needs.
    let statistics = Command::new("df")
        .args(["-k", "--output=avail"])
        .arg(dir)
        .output()
        .unwrap();
    let available: u64 = String::from_utf8_lossy(&statistics.stdout)
        .lines()
        .last()
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let _ = std::fs::write(
        dir.join("filler"),
        vec![0u8; ((available.saturating_sub(40)) * 1024) as usize],
    );
    let (before, output, after) = fails_on_full_disk(
        dir,
        &dir.join("out"),
        &["render", "--all", "--config", "other.hcl"],
    );
    assert!(
        output.stderr.starts_with("tfgen: cannot write out/"),
        "{}",
        output.stderr
    );
    assert!(
        !output.stderr.contains(".tmp"),
        "the message names the target: {}",
        output.stderr
    );
    assert_eq!(after, before, "no file changed, no temporary file left");
}
