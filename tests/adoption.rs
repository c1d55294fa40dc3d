//! Adopting tfgen loses nothing, tested against the emulator in both
//! formats (issue 20):
//! - the team's whole repository applied (`fixtures/upstream/`), then the
//!   same state pointed at tfgen's `seed` output: nothing to add, change or
//!   destroy; then at `hardened`'s: nothing that keeps data is destroyed or
//!   replaced (the `moved` and `removed` blocks carry it over), applied,
//!   and planned again empty;
//! - resources that exist with their state lost: `tfgen adopt` writes
//!   import blocks, the plan imports everything and adds nothing (but the
//!   one type the provider cannot import), the apply imports, and the next
//!   plan is empty.

use std::path::Path;

use serde_json::Value;
use tfgen::config::Environment;
use tfgen::render::Format;
use tfgen::stack::resources::{Tier, keeps};
use tfgen::stack::{Profile, Stack};

use crate::support::emulator::{Emulator, moto_server_path, write_override};
use crate::support::terraform::{PlanOutcome, Terraform};
use crate::support::{
    project_config, project_root, render_stack, terraform_available, tfgen, tool_missing,
};

fn ready() -> bool {
    terraform_available() && (moto_server_path().is_file() || !tool_missing("moto_server"))
}

/// The repository's environment `name` with the pipeline, under `profile`,
/// with none of tfgen's state, account or tag settings (upstream has none).
fn environment(name: &str, profile: Profile) -> Environment {
    let mut environment = project_config()
        .environments
        .into_iter()
        .find(|environment| environment.name == name)
        .unwrap();
    environment.profile = profile;
    environment.pipeline = true;
    environment.state = None;
    environment.account_id = None;
    environment.assume_role = None;
    environment.tags = Vec::new();
    environment
}

/// What a plan does, by action: `create`, `update`, `delete` (a
/// replacement counts as a delete and a create), `forget`, `import`; each
/// with the addresses.
#[derive(Debug, Default)]
struct Actions {
    create: Vec<String>,
    update: Vec<String>,
    delete: Vec<String>,
    forget: Vec<String>,
    import: Vec<String>,
}

impl Actions {
    fn of(plan: &Value) -> Actions {
        let mut actions = Actions::default();
        for change in plan["resource_changes"].as_array().into_iter().flatten() {
            if change["mode"] == "data" {
                continue;
            }
            let address = change["address"].as_str().unwrap().to_string();
            if !change["change"]["importing"].is_null() {
                actions.import.push(address.clone());
            }
            for action in change["change"]["actions"].as_array().unwrap() {
                match action.as_str().unwrap() {
                    "create" => actions.create.push(address.clone()),
                    "update" => actions.update.push(address.clone()),
                    "delete" => actions.delete.push(address.clone()),
                    "forget" => actions.forget.push(address.clone()),
                    _ => {}
                }
            }
        }
        actions
    }

    fn counts(&self) -> String {
        format!(
            "{} to import, {} to add, {} to change, {} to destroy, {} to forget",
            self.import.len(),
            self.create.len(),
            self.update.len(),
            self.delete.len(),
            self.forget.len()
        )
    }
}

fn copy_upstream(directory: &Path) {
    for entry in std::fs::read_dir(project_root().join("fixtures/upstream")).unwrap() {
        let path = entry.unwrap().path();
        if path
            .extension()
            .is_some_and(|ext| ext == "tf" || ext == "yml")
        {
            std::fs::copy(&path, directory.join(path.file_name().unwrap())).unwrap();
        }
    }
}

/// A working directory for one module against `emulator`.
fn module(emulator: &Emulator, fill: &dyn Fn(&Path)) -> (tempfile::TempDir, Terraform) {
    let directory = tempfile::Builder::new()
        .prefix("tfgen-adoption-")
        .tempdir()
        .unwrap();
    fill(directory.path());
    write_override(directory.path(), &emulator.endpoint()).unwrap();
    let mut terraform = Terraform::new(directory.path());
    terraform.init().unwrap_or_else(|error| panic!("{error}"));
    (directory, terraform)
}

fn move_state(from: &Path, to: &Path) {
    std::fs::rename(from.join("terraform.tfstate"), to.join("terraform.tfstate")).unwrap();
}

#[test]
fn switching_from_upstream_to_seed_then_hardened_loses_nothing() {
    if !ready() {
        return;
    }
    for format in Format::ALL {
        let emulator =
            Emulator::start().unwrap_or_else(|error| panic!("moto did not start: {error}"));
        let (upstream, mut terraform) = module(&emulator, &copy_upstream);
        terraform
            .apply()
            .unwrap_or_else(|error| panic!("upstream: {error}"));

        let seed = Stack::build(&environment("dev", Profile::Seed));
        let (seed_dir, mut terraform) = module(&emulator, &|directory| {
            render_stack(&seed, format, directory)
        });
        move_state(upstream.path(), seed_dir.path());
        let plan = terraform
            .plan_json(&[])
            .unwrap_or_else(|error| panic!("seed: {error}"));
        let actions = Actions::of(&plan);
        eprintln!("upstream → seed ({format}): {}", actions.counts());
        assert!(
            actions.create.is_empty() && actions.update.is_empty() && actions.delete.is_empty(),
            "{format}: upstream's state under tfgen's seed plans {}: {actions:?}",
            actions.counts()
        );
        assert_eq!(
            terraform.plan_detailed_exitcode().unwrap(),
            PlanOutcome::NoChanges,
            "{format}: upstream's state under seed"
        );

        let hardened = Stack::build(&environment("dev", Profile::Hardened));
        let (hardened_dir, mut terraform) = module(&emulator, &|directory| {
            render_stack(&hardened, format, directory)
        });
        move_state(seed_dir.path(), hardened_dir.path());
        let plan = terraform
            .plan_json(&[])
            .unwrap_or_else(|error| panic!("hardened: {error}"));
        let actions = Actions::of(&plan);
        eprintln!("seed → hardened ({format}): {}", actions.counts());
        for address in &actions.delete {
            let kind = address.split('.').next().unwrap();
            assert!(
                keeps(kind).is_none_or(|kept| kept.tier != Tier::Data),
                "{format}: switching to hardened destroys or replaces {address}, which keeps {}",
                keeps(kind).unwrap().what
            );
        }
        assert_eq!(
            actions.forget,
            ["aws_iam_group_membership.user_membership"],
            "{format}: hardened forgets upstream's membership instead of destroying it"
        );
        terraform
            .apply()
            .unwrap_or_else(|error| panic!("hardened: {error}"));
        let user = emulator.inventory()["iam_users"]
            .as_object()
            .unwrap()
            .values()
            .next()
            .cloned()
            .expect("the mirror user is still there");
        assert_eq!(
            user["groups"],
            serde_json::json!(["GitToCodeCommitSyncGroup-dev"]),
            "{format}: the mirror user is still in its group"
        );
        assert_eq!(
            terraform.plan_detailed_exitcode().unwrap(),
            PlanOutcome::NoChanges,
            "{format}: hardened after its apply"
        );
    }
}

/// Arguments AWS does not report, which an imported resource takes from
/// the configuration at the next apply without calling AWS.
const STATE_ONLY: [(&str, &str); 3] = [
    ("aws_s3_bucket", "force_destroy"),
    ("aws_kms_key", "deletion_window_in_days"),
    ("aws_kms_key", "bypass_policy_lockout_safety_check"),
];

/// The attributes each update of a plan changes, by address.
fn updated_attributes(plan: &Value) -> Vec<(String, Vec<String>)> {
    plan["resource_changes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|change| change["change"]["actions"] == serde_json::json!(["update"]))
        .map(|change| {
            let before = change["change"]["before"]
                .as_object()
                .cloned()
                .unwrap_or_default();
            let after = change["change"]["after"]
                .as_object()
                .cloned()
                .unwrap_or_default();
            let unknown = &change["change"]["after_unknown"];
            let mut changed: Vec<String> = after
                .iter()
                .filter(|(name, value)| {
                    before.get(*name) != Some(value) && unknown[name.as_str()] != true
                })
                .map(|(name, _)| name.clone())
                .collect();
            changed.sort();
            (change["address"].as_str().unwrap().to_string(), changed)
        })
        .collect()
}

/// The mirror's Git credential ID, which AWS chose: what a team finds with
/// `aws iam list-service-specific-credentials`.
fn credential_id(emulator: &Emulator, user: &str) -> String {
    emulator
        .boto3(
            "print(client('iam').list_service_specific_credentials(UserName=sys.argv[1])\
             ['ServiceSpecificCredentials'][0]['ServiceSpecificCredentialId'])",
            &[user],
        )
        .trim()
        .to_string()
}

#[test]
fn adopt_imports_every_resource_of_a_lost_state() {
    if !ready() {
        return;
    }
    // prod as configured (hardened) in JSON; prod under seed in HCL, where
    // upstream's exclusive group membership is the one thing not imported.
    for (profile, format) in [
        (Profile::Hardened, Format::Json),
        (Profile::Seed, Format::Hcl),
    ] {
        let emulator =
            Emulator::start().unwrap_or_else(|error| panic!("moto did not start: {error}"));
        let directory = tempfile::Builder::new()
            .prefix("tfgen-adopt-")
            .tempdir()
            .unwrap();
        let module = directory.path().join("module");
        // hardened: the repository's tfgen.hcl; seed: its prod as upstream
        // knows it, the variables only (upstream has no state bucket,
        // account guard or default tags).
        let config = directory.path().join("tfgen.hcl");
        let text = match profile {
            Profile::Hardened => std::fs::read_to_string(project_root().join("tfgen.hcl")).unwrap(),
            Profile::Seed => "environment \"prod\" {\n  profile  = \"seed\"\n  pipeline = true\n  variables = {\n    repository_branch     = \"main\"\n    artifacts_bucket_name = \"sagemaker-artifacts-pipeline-18345-prod\"\n  }\n}\n".to_string(),
        };
        std::fs::write(&config, text).unwrap();
        let config = config.to_string_lossy().into_owned();
        let out = module.to_string_lossy().into_owned();
        let render = [
            "render",
            "--env",
            "prod",
            "--format",
            format.name(),
            "--out",
            &out,
            "--config",
            &config,
        ];
        tfgen(&render).in_dir(&project_root()).run().expect(0);
        write_override(&module, &emulator.endpoint()).unwrap();
        let mut terraform = Terraform::new(&module);
        terraform.init().unwrap_or_else(|error| panic!("{error}"));
        terraform
            .apply()
            .unwrap_or_else(|error| panic!("{profile}: {error}"));
        std::fs::remove_file(module.join("terraform.tfstate")).unwrap();

        let user = match profile {
            Profile::Hardened => "GitToCodeCommitSyncUser-prod",
            Profile::Seed => "GitToCodeCommitSyncUser",
        };
        let id = format!(
            "aws_iam_service_specific_credential.git_credentials=codecommit.amazonaws.com:{user}:{}",
            credential_id(&emulator, user)
        );
        let adopt = [
            "adopt",
            "--env",
            "prod",
            "--format",
            format.name(),
            "--out",
            &out,
            "--id",
            &id,
            "--config",
            &config,
        ];
        let adopted = tfgen(&adopt).in_dir(&project_root()).run().expect(0);
        eprintln!("{}{}", adopted.stdout, adopted.stderr);

        let plan = terraform
            .plan_json(&[])
            .unwrap_or_else(|error| panic!("{profile}: {error}"));
        let actions = Actions::of(&plan);
        eprintln!("adopt prod ({profile}, {format}): {}", actions.counts());
        assert!(actions.delete.is_empty(), "{profile}: {actions:?}");
        // An import reads what AWS reports; what it does not report (a
        // key's deletion window) the apply writes into the state, an
        // update that calls no API.
        for (address, attributes) in updated_attributes(&plan) {
            let kind = address.split('.').next().unwrap();
            for attribute in &attributes {
                assert!(
                    STATE_ONLY.contains(&(kind, attribute.as_str())),
                    "{profile}: the import of {address} changes {attribute}: {attributes:?}"
                );
            }
        }
        let expected_creates: Vec<&str> = match profile {
            Profile::Hardened => vec![],
            Profile::Seed => vec!["aws_iam_group_membership.user_membership"],
        };
        assert_eq!(actions.create, expected_creates, "{profile}: {actions:?}");
        let resources = plan["planned_values"]["root_module"]["resources"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|resource| resource["mode"] == "managed")
            .count();
        assert_eq!(
            actions.import.len() + expected_creates.len(),
            resources,
            "{profile}: every resource is imported but what cannot be"
        );
        assert!(
            adopted.stderr.is_empty() == expected_creates.is_empty(),
            "{profile}: adopt says what it cannot import:\n{}",
            adopted.stderr
        );
        terraform
            .apply()
            .unwrap_or_else(|error| panic!("{profile}: {error}"));
        assert_eq!(
            terraform.plan_detailed_exitcode().unwrap(),
            PlanOutcome::NoChanges,
            "{profile}: the adopted state"
        );
        let done = [
            "adopt",
            "--env",
            "prod",
            "--format",
            format.name(),
            "--out",
            &out,
            "--done",
            "--config",
            &config,
        ];
        tfgen(&done).in_dir(&project_root()).run().expect(0);
        assert!(
            !module
                .join(format!("imports{}", format.extension()))
                .exists()
        );
        assert_eq!(
            terraform.plan_detailed_exitcode().unwrap(),
            PlanOutcome::NoChanges,
            "{profile}: without the import blocks"
        );
    }
}
