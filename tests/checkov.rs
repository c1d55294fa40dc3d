//! checkov, the scanner Terraform users run, on the HCL output: the
//! `hardened` profile of every environment (with its pipeline, where it has
//! one) passes with no failed check, every skip an inline `#checkov:skip`
//! that tfgen emits on that resource with its reason, and the IAM checks
//! evaluated and passed on every managed policy; the reference still fails
//! as documented.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use tfgen::render::Format;
use tfgen::stack::Profile;

use crate::support::{project_config, project_root, render, stack, tool_missing};

pub(crate) fn checkov_binary() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("TFGEN_CHECKOV") {
        return Some(PathBuf::from(path));
    }
    let tools = std::env::var_os("TFGEN_TOOLS_DIR")
        .map_or_else(|| project_root().join(".tools"), PathBuf::from);
    let path = tools.join("checkov/bin/checkov");
    path.is_file().then_some(path)
}

/// checkov's JSON report for a directory of `.tf` files.
pub(crate) fn scan(checkov: &Path, directory: &Path) -> Value {
    let output = Command::new(checkov)
        .args([
            "--framework",
            "terraform",
            "-o",
            "json",
            "--skip-download",
            "-d",
        ])
        .arg(directory)
        .env("BC_SKIP_MAPPING", "TRUE")
        .output()
        .expect("checkov runs");
    // checkov exits 1 when a check fails; the report says which.
    serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
        panic!(
            "checkov printed no JSON report ({error}):\n{}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

pub(crate) fn ids(report: &Value, outcome: &str) -> Vec<(String, String)> {
    report["results"][outcome]
        .as_array()
        .into_iter()
        .flatten()
        .map(|check| {
            (
                check["check_id"].as_str().unwrap().to_string(),
                check["resource"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn hardened_output_passes_checkov_and_the_reference_does_not() {
    let Some(checkov) = checkov_binary() else {
        tool_missing("checkov");
        return;
    };

    let reference = scan(&checkov, &project_root().join("fixtures/reference"));
    assert_eq!(
        (
            reference["summary"]["passed"].as_u64(),
            reference["summary"]["failed"].as_u64()
        ),
        (Some(16), Some(10)),
        "checkov on the reference: {}",
        reference["summary"]
    );

    let config = project_config();
    let mut environments: Vec<_> = config
        .environments
        .iter()
        .filter(|e| e.profile == Profile::Hardened)
        .collect();
    // Every environment's hardened output must pass, whatever its profile.
    if environments.is_empty() {
        environments = config.environments.iter().collect();
    }
    for environment in environments {
        let directory = tempfile::Builder::new()
            .prefix("tfgen-checkov-")
            .tempdir()
            .unwrap();
        render(
            &environment.name,
            Format::Hcl,
            Some(Profile::Hardened),
            directory.path(),
        );
        let report = scan(&checkov, directory.path());
        let summary = &report["summary"];
        eprintln!("checkov on {} (hardened, HCL): {summary}", environment.name);
        assert_eq!(
            summary["failed"].as_u64(),
            Some(0),
            "environment {}: failed checks {:?}",
            environment.name,
            ids(&report, "failed_checks")
        );
        assert_eq!(summary["parsing_errors"].as_u64(), Some(0));

        // Each skip is one tfgen emitted inline on that resource, with a
        // reason, and every one it emitted is one checkov took.
        let stack = stack(environment, Some(Profile::Hardened));
        let emitted: Vec<(String, String, &str)> = stack
            .items
            .iter()
            .flat_map(|item| {
                let address = item.address().to_string();
                item.checkov_skips()
                    .iter()
                    .map(move |(id, reason)| (id.to_string(), address.clone(), *reason))
            })
            .collect();
        let skipped = ids(&report, "skipped_checks");
        eprintln!("checkov on {}: skipped {skipped:?}", environment.name);
        for (id, resource) in &skipped {
            assert!(
                emitted.iter().any(|(emitted_id, address, reason)| {
                    emitted_id == id && address == resource && !reason.is_empty()
                }),
                "environment {}: {id} skipped on {resource}, which tfgen did not emit",
                environment.name
            );
        }
        assert_eq!(skipped.len(), emitted.len(), "{emitted:?}");

        // checkov drops the IAM checks silently when it cannot evaluate a
        // jsonencode(); they must be there, and passed, for every policy.
        let passed = ids(&report, "passed_checks");
        for policy in stack.items_of::<tfgen::stack::resources::IamPolicy>() {
            for id in [
                "CKV_AWS_286",
                "CKV_AWS_287",
                "CKV_AWS_288",
                "CKV_AWS_289",
                "CKV_AWS_290",
                "CKV_AWS_355",
            ] {
                let resource = policy.address();
                assert!(
                    passed.contains(&(id.to_string(), resource.clone())),
                    "environment {}: {id} did not pass on {resource}",
                    environment.name
                );
            }
        }
        for id in ["CKV2_AWS_6", "CKV2_AWS_61", "CKV_AWS_145", "CKV_AWS_21"] {
            assert!(
                passed.contains(&(id.to_string(), "aws_s3_bucket.artifacts_bucket".to_string())),
                "{id}"
            );
        }
    }
}
