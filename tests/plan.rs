//! Terraform itself judges equivalence, for every environment of tfgen.hcl:
//! the plan of the HCL output equals the plan of the JSON output, value for
//! value, and the plan of the `seed` profile equals the plan of the user's
//! reference files (plus the same provider block) given the same variable
//! values, policies compared as parsed JSON. An environment with the pipeline
//! plans its foundation as the reference, and nothing else but the pipeline.

use std::path::Path;

use serde_json::{Map, Value};
use tfgen::config::Environment;
use tfgen::model::Document;
use tfgen::render::{Format, render_hcl};
use tfgen::stack::{Profile, StackFile};

use crate::support::emulator::{Emulator, moto_server_path, write_override};
use crate::support::terraform::Terraform;
use crate::support::{
    project_config, project_root, render, render_stack, stack, terraform_available, tool_missing,
};

#[test]
fn every_environment_plans_the_same_in_both_formats_and_seed_plans_as_the_reference() {
    if !terraform_available() || (!moto_server_path().is_file() && tool_missing("moto_server")) {
        return;
    }
    // The provider asks STS who it is while planning; the emulator answers.
    let emulator = Emulator::start().unwrap_or_else(|error| panic!("moto did not start: {error}"));
    for environment in &project_config().environments {
        let variables = variable_values(environment);
        let plan = |label: &str, fill: &dyn Fn(&Path)| -> Value {
            plan_json(&emulator, &variables, fill).unwrap_or_else(|error| {
                panic!("environment {}, {label}: {error}", environment.name)
            })["planned_values"]
                .clone()
        };

        let reference = plan("reference", &|directory| {
            copy_reference(directory, environment)
        });
        let seed_hcl = plan("seed HCL", &|directory| {
            render(
                &environment.name,
                Format::Hcl,
                Some(Profile::Seed),
                directory,
            )
        });
        let seed_json = plan("seed JSON", &|directory| {
            render(
                &environment.name,
                Format::Json,
                Some(Profile::Seed),
                directory,
            )
        });
        assert_eq!(
            seed_hcl, seed_json,
            "environment {}: seed plans differ between HCL and JSON",
            environment.name
        );
        // With the pipeline, the foundation still plans as the reference and
        // the rest is exactly the pipeline's resources of the seed stack.
        let mut seed_resources = resources(&seed_hcl);
        let reference_resources = resources(&reference);
        let pipeline: Vec<String> = seed_resources
            .keys()
            .filter(|address| !reference_resources.contains_key(*address))
            .cloned()
            .collect();
        let expected_pipeline: Vec<String> = match environment.pipeline {
            false => Vec::new(),
            true => {
                let mut addresses: Vec<String> = stack(environment, Some(Profile::Seed))
                    .document()
                    .blocks
                    .iter()
                    .filter(|block| block.kind == "resource")
                    .map(|block| block.address())
                    .filter(|address| !reference_resources.contains_key(address))
                    .collect();
                addresses.sort();
                addresses
            }
        };
        assert_eq!(
            pipeline, expected_pipeline,
            "environment {}: resources beyond the reference",
            environment.name
        );
        seed_resources.retain(|address, _| reference_resources.contains_key(address));
        assert_same_resources(&reference_resources, &seed_resources, &environment.name);

        if environment.profile != Profile::Seed {
            let own_hcl = plan("HCL", &|directory| {
                render(&environment.name, Format::Hcl, None, directory)
            });
            let own_json = plan("JSON", &|directory| {
                render(&environment.name, Format::Json, None, directory)
            });
            assert_eq!(
                own_hcl, own_json,
                "environment {} ({}): plans differ between HCL and JSON",
                environment.name, environment.profile
            );
            assert!(!resources(&own_hcl).is_empty());
        }
    }
}

/// `terraform show -json` of the plan of the module `fill` writes, against
/// the emulator, with `variables` given as `-var`.
fn plan_json(
    emulator: &Emulator,
    variables: &[(String, String)],
    fill: &dyn Fn(&Path),
) -> Result<Value, crate::support::terraform::TerraformError> {
    let directory = tempfile::Builder::new()
        .prefix("tfgen-plan-")
        .tempdir()
        .unwrap();
    fill(directory.path());
    write_override(directory.path(), &emulator.endpoint()).unwrap();
    let mut terraform = Terraform::new(directory.path());
    let vars: Vec<(&str, &str)> = variables
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect();
    terraform.init().and_then(|()| terraform.plan_json(&vars))
}

/// Every variable of the stack with the environment's value, passed to both
/// sides with `-var` so neither relies on its defaults.
fn variable_values(environment: &Environment) -> Vec<(String, String)> {
    stack(environment, None)
        .variables()
        .map(|variable| (variable.spec.name.to_string(), variable.value.clone()))
        .collect()
}

/// The reference files as the user has them, plus tfgen's own versions and
/// provider blocks (the reference declares neither).
fn copy_reference(directory: &Path, environment: &Environment) {
    for file in ["variables.tf", "s3.tf", "iam_roles.tf"] {
        std::fs::copy(
            project_root().join("fixtures/reference").join(file),
            directory.join(file),
        )
        .unwrap();
    }
    let seed = stack(environment, Some(Profile::Seed));
    let mut blocks = seed.blocks(StackFile::VERSIONS);
    blocks.extend(seed.blocks(StackFile::PROVIDER));
    std::fs::write(
        directory.join("provider.tf"),
        render_hcl(&Document::new(blocks)),
    )
    .unwrap();
}

/// Planned resources by address, policy strings parsed as JSON.
fn resources(planned: &Value) -> Map<String, Value> {
    let mut found = Map::new();
    for resource in planned["root_module"]["resources"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let mut values = resource["values"].as_object().cloned().unwrap_or_default();
        for key in ["policy", "assume_role_policy"] {
            if let Some(Value::String(text)) = values.get(key) {
                let parsed: Value = serde_json::from_str(text).expect("planned policy is JSON");
                values.insert(key.to_string(), parsed);
            }
        }
        found.insert(
            resource["address"].as_str().unwrap().to_string(),
            Value::Object(values),
        );
    }
    found
}

fn assert_same_resources(
    reference: &Map<String, Value>,
    seed: &Map<String, Value>,
    environment: &str,
) {
    let names = |map: &Map<String, Value>| map.keys().cloned().collect::<Vec<_>>();
    assert_eq!(
        names(reference),
        names(seed),
        "environment {environment}: different resources"
    );
    for (address, expected) in reference {
        assert_eq!(
            &seed[address], expected,
            "environment {environment}: {address} plans differently from the reference"
        );
    }
    assert_eq!(
        reference.len(),
        4,
        "the reference has a bucket, a role, a policy and an attachment"
    );
}

/// The team's whole repository (`fixtures/upstream/`, modernised only as
/// Terraform asks) and the `seed` profile with the pipeline plan alike, in
/// both formats: the same resource addresses, the same planned values
/// (known and unknown), the same outputs and sensitivity. Planned for the
/// repository's environments as `seed` with the pipeline, each variable
/// given to both sides with `-var`.
#[test]
fn seed_with_the_pipeline_plans_as_the_teams_whole_repository() {
    if !terraform_available() || (!moto_server_path().is_file() && tool_missing("moto_server")) {
        return;
    }
    let emulator = Emulator::start().unwrap_or_else(|error| panic!("moto did not start: {error}"));
    for environment in &project_config().environments {
        // Upstream knows no state bucket, account guard or default tags,
        // and builds from its CodeCommit repositories with no approval
        // topic: the environment's variables only.
        let mut environment = environment.clone();
        environment.source = Default::default();
        environment.approval = None;
        environment.profile = Profile::Seed;
        environment.pipeline = true;
        environment.state = None;
        environment.account_id = None;
        environment.assume_role = None;
        environment.tags = Vec::new();
        let variables = variable_values(&environment);
        let plan = |label: &str, fill: &dyn Fn(&Path)| -> Value {
            plan_json(&emulator, &variables, fill).unwrap_or_else(|error| {
                panic!("environment {}, {label}: {error}", environment.name)
            })
        };
        let upstream = plan("upstream", &|directory| copy_upstream(directory));
        let name = environment.name.clone();
        let seed_stack = stack(&environment, None);
        for format in Format::ALL {
            let seed = plan(&format!("seed {format}"), &|directory| {
                render_stack(&seed_stack, format, directory);
            });
            assert_plans_alike(&upstream, &seed, &format!("environment {name}, {format}"));
        }
    }
}

/// `fixtures/upstream/` as the team has it (modernised), every file.
fn copy_upstream(directory: &Path) {
    let fixture = project_root().join("fixtures/upstream");
    for entry in std::fs::read_dir(&fixture).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap();
        if path
            .extension()
            .is_some_and(|ext| ext == "tf" || ext == "yml")
        {
            std::fs::copy(&path, directory.join(name)).unwrap();
        }
    }
}

/// Resources by address with their planned values and what is unknown
/// until apply; outputs with their values and sensitivity.
fn assert_plans_alike(expected: &Value, actual: &Value, context: &str) {
    let resources = |plan: &Value| -> Map<String, Value> {
        plan["resource_changes"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|change| {
                (
                    change["address"].as_str().unwrap().to_string(),
                    serde_json::json!({
                        "actions": change["change"]["actions"],
                        "after": change["change"]["after"],
                        "after_unknown": change["change"]["after_unknown"],
                        "after_sensitive": change["change"]["after_sensitive"],
                    }),
                )
            })
            .collect()
    };
    let (want, have) = (resources(expected), resources(actual));
    assert_eq!(
        want.keys().collect::<Vec<_>>(),
        have.keys().collect::<Vec<_>>(),
        "{context}: the resource addresses differ"
    );
    for (address, change) in &want {
        assert_eq!(
            &have[address], change,
            "{context}: {address} plans differently from upstream's"
        );
    }
    assert!(
        want.len() >= 17,
        "{context}: upstream plans its 17 resources and a data source"
    );
    assert_eq!(
        actual["planned_values"]["outputs"], expected["planned_values"]["outputs"],
        "{context}: outputs"
    );
    assert_eq!(
        actual["output_changes"], expected["output_changes"],
        "{context}: output changes"
    );
    assert_eq!(
        expected["planned_values"]["outputs"]["mirror_git_password"]["sensitive"], true,
        "{context}: the mirror's password is sensitive"
    );
}
