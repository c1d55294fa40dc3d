//! The moto defects `tests/support/moto_launcher.py` corrects, each probed
//! both ways by `tests/support/moto_patch_probe.py`:
//! - `..._still_in_moto`: unpatched moto still has the defect. When a moto
//!   upgrade fixes it, this test fails: delete that patch (and its probe).
//! - `..._patched_as_aws`: with the patch, moto answers as the AWS API does.
//!
//! Each probe runs moto in-process (`mock_aws`), so no server is started.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::support::emulator::{moto_server_path, python_beside};
use crate::support::tool_missing;

/// What the probe printed, or `None` (after SKIPPED) when moto is not installed.
fn probe(patch: &str, mode: &str) -> Option<Value> {
    let moto_server = moto_server_path();
    if !moto_server.is_file() && tool_missing("moto_server") {
        return None;
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/moto_patch_probe.py");
    let python = python_beside(&moto_server);
    let output = Command::new(&python)
        .arg(&script)
        .args([patch, mode])
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .unwrap_or_else(|e| panic!("running {} {}: {e}", python.display(), script.display()));
    assert!(
        output.status.success(),
        "probe {patch} {mode} failed ({}):\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    Some(serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "probe {patch} {mode} printed invalid JSON ({e}):\n{}",
            String::from_utf8_lossy(&output.stdout)
        )
    }))
}

fn assert_defect_still_in_moto(patch: &str) {
    let Some(report) = probe(patch, "unpatched") else {
        return;
    };
    assert_eq!(
        report["holds"], true,
        "moto no longer has the defect `{patch}`: delete that patch from \
         tests/support/moto_launcher.py and its probe. Observed: {}",
        report["observed"]
    );
}

fn assert_patched_as_aws(patch: &str) {
    let Some(report) = probe(patch, "patched") else {
        return;
    };
    assert_eq!(
        report["holds"], true,
        "with the patch `{patch}`, moto does not answer as AWS does. Observed: {}",
        report["observed"]
    );
}

/// Two tests per patch, named after it.
macro_rules! patch_tests {
    ($($patch:ident),* $(,)?) => {
        mod still_in_moto {
            $(#[test] fn $patch() { super::assert_defect_still_in_moto(stringify!($patch)); })*
        }
        mod patched_as_aws {
            $(#[test] fn $patch() { super::assert_patched_as_aws(stringify!($patch)); })*
        }
        /// The names above, which must be exactly the launcher's patches.
        const PATCHES: &[&str] = &[$(stringify!($patch)),*];
    };
}

patch_tests!(
    codecommit_repository_dates_are_strings,
    codecommit_has_no_tagging,
    codecommit_has_no_list_repositories,
    codecommit_has_no_repository_updates,
    codepipeline_metadata_dates_are_strings,
    codepipeline_trust_reads_service_as_string,
    codebuild_requires_location_for_codepipeline,
    codebuild_delete_project_ignores_arn,
    codebuild_ignores_encryption_key,
    iam_has_no_service_specific_credentials,
    codestar_connections_not_implemented,
);

#[test]
fn every_launcher_patch_is_probed_here() {
    let moto_server = moto_server_path();
    if !moto_server.is_file() && tool_missing("moto_server") {
        return;
    }
    let support = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support");
    let output = Command::new(python_beside(&moto_server))
        .current_dir(&support)
        .args([
            "-c",
            "import json, moto_launcher; print(json.dumps(list(moto_launcher.PATCHES)))",
        ])
        .output()
        .expect("python runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut launcher: Vec<String> = serde_json::from_slice(&output.stdout).unwrap();
    let mut probed: Vec<String> = PATCHES.iter().map(|p| (*p).to_owned()).collect();
    launcher.sort();
    probed.sort();
    assert_eq!(launcher, probed, "launcher patches vs the tests here");
}
