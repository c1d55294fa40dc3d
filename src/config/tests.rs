//! Unit tests of `tfgen.hcl` parsing: one per rule, with the exact text.

use std::path::Path;

use super::*;

fn parse(text: &str) -> Result<Config> {
    Config::parse(Path::new("tfgen.hcl"), text.as_bytes())
}

fn problems(text: &str) -> Vec<String> {
    match parse(text) {
        Ok(config) => panic!("expected errors, got {config:?}"),
        Err(Error::Invalid(diagnostics)) => diagnostics.iter().map(ToString::to_string).collect(),
        Err(other) => panic!("expected diagnostics, got {other}"),
    }
}

#[test]
fn reads_environments_profiles_and_variables_with_positions() {
    let config = parse(
        "environment \"prod\" {\n  profile = \"hardened\"\n  variables = {\n    repository_branch = \"main\"\n  }\n}\n",
    )
    .unwrap();
    assert_eq!(config.source, Source::File("tfgen.hcl".into()));
    let prod = config.environment("prod").unwrap();
    assert_eq!(prod.profile, Profile::Hardened);
    assert_eq!(prod.origin.to_string(), "tfgen.hcl:1:1");
    assert_eq!(prod.settings.len(), 1);
    assert_eq!(prod.settings[0].name, "repository_branch");
    assert_eq!(prod.settings[0].value, "main");
    assert_eq!(prod.settings[0].origin.to_string(), "tfgen.hcl:4:25");
}

#[test]
fn profile_defaults_to_seed() {
    let config = parse("environment \"qa\" {}\n").unwrap();
    assert_eq!(config.environments[0].profile, Profile::Seed);
}

#[test]
fn built_in_has_dev_with_reference_defaults_and_a_distinct_prod() {
    let config = Config::built_in();
    assert_eq!(config.names(), ["dev", "prod"]);
    assert!(config.environment("dev").unwrap().settings.is_empty());
    let prod = config.environment("prod").unwrap();
    let bucket = prod
        .settings
        .iter()
        .find(|s| s.name == "artifacts_bucket_name")
        .unwrap();
    assert_ne!(bucket.value, "sagemaker-artifacts-pipeline-18345");
}

#[test]
fn syntax_error_reports_file_line_and_column() {
    let found = problems("environment \"dev\" {\n  profile = \n}\n");
    assert_eq!(found.len(), 1);
    assert!(
        found[0].starts_with("error[config-syntax]: tfgen.hcl:2:"),
        "{}",
        found[0]
    );
}

#[test]
fn invalid_utf8_is_reported_with_its_position() {
    let error = Config::parse(Path::new("tfgen.hcl"), b"environment \"d\xffv\" {}").unwrap_err();
    assert_eq!(
        error.to_string(),
        "error[config-encoding]: tfgen.hcl:1:15: the file is not valid UTF-8\n  help: save tfgen.hcl as UTF-8"
    );
}

#[test]
fn unknown_variable_is_an_error() {
    assert_eq!(
        problems("environment \"dev\" {\n  variables = {\n    bucket = \"x\"\n  }\n}\n"),
        [
            "error[config-unknown-variable]: tfgen.hcl:3:5: environment \"dev\": variables.bucket: unknown variable `bucket`\n  help: the variables are: repository_branch, env, region, build_repository_name, deploy_repository_name, artifacts_bucket_name, project_name, project_id"
        ]
    );
}

#[test]
fn unknown_key_is_an_error() {
    assert_eq!(
        problems("environment \"dev\" {\n  region = \"eu-west-1\"\n}\n"),
        [
            "error[config-unknown-key]: tfgen.hcl:2:3: environment \"dev\": region: unknown key `region` in an environment\n  help: an environment takes `profile = \"...\"` and `variables = { ... }`"
        ]
    );
}

#[test]
fn unknown_top_level_block_is_an_error() {
    assert_eq!(
        problems("env \"dev\" {}\n"),
        [
            "error[config-unknown-block]: tfgen.hcl:1:1: unknown block `env`\n  help: tfgen.hcl holds only `environment \"NAME\" { ... }` blocks"
        ]
    );
}

#[test]
fn wrong_value_type_is_an_error() {
    assert_eq!(
        problems("environment \"dev\" {\n  variables = {\n    project_id = 10072022\n  }\n}\n"),
        [
            "error[config-type]: tfgen.hcl:3:18: environment \"dev\": variables.project_id: variable `project_id` must be a string, found a number\n  help: quote the value: every variable of the stack is a string"
        ]
    );
    assert_eq!(
        problems("environment \"dev\" {\n  profile = seed\n}\n"),
        [
            "error[config-type]: tfgen.hcl:2:13: environment \"dev\": profile: profile must be a string, found a reference\n  help: write one of: profile = \"seed\", \"hardened\""
        ]
    );
}

#[test]
fn unknown_profile_is_an_error() {
    assert_eq!(
        problems("environment \"dev\" {\n  profile = \"strict\"\n}\n"),
        [
            "error[config-unknown-profile]: tfgen.hcl:2:13: environment \"dev\": profile: unknown profile \"strict\"\n  help: the profiles are: seed, hardened"
        ]
    );
}

#[test]
fn duplicate_environment_is_an_error() {
    assert_eq!(
        problems("environment \"dev\" {}\nenvironment \"dev\" {}\n"),
        [
            "error[config-duplicate-environment]: tfgen.hcl:2:13: environment \"dev\": environment \"dev\" is defined twice (first at tfgen.hcl:1:1)\n  help: merge the two blocks or rename one"
        ]
    );
}

#[test]
fn duplicate_variable_is_an_error() {
    // hcl-edit refuses a repeated key itself; the spelling variant gets
    // tfgen's own rule.
    let found = problems(
        "environment \"dev\" {\n  variables = {\n    env = \"a\"\n    env = \"b\"\n  }\n}\n",
    );
    assert_eq!(
        found,
        [
            "error[config-syntax]: tfgen.hcl:4:5: syntax error: invalid object item; expected unique object key; found redefined object key\n  help: fix the HCL syntax at this position"
        ]
    );
    let found = problems(
        "environment \"dev\" {\n  variables = {\n    env = \"a\"\n    \"env\" = \"b\"\n  }\n}\n",
    );
    assert_eq!(
        found,
        [
            "error[config-duplicate-key]: tfgen.hcl:4:5: environment \"dev\": variables.env: variable `env` is set twice (first at tfgen.hcl:3:11)\n  help: keep one"
        ]
    );
}

#[test]
fn duplicate_key_is_an_error() {
    let found = problems("environment \"dev\" {\n  profile = \"seed\"\n  profile = \"seed\"\n}\n");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("tfgen.hcl:3:3"), "{}", found[0]);
}

#[test]
fn environment_name_must_match_the_pattern() {
    assert_eq!(
        problems("environment \"Prod_1\" {}\n"),
        [
            "error[config-environment-name]: tfgen.hcl:1:13: environment \"Prod_1\": environment name \"Prod_1\" does not match [a-z][a-z0-9-]* (lowercase letters, digits and '-', starting with a letter, not ending with '-')\n  help: rename the environment, e.g. `dev`, `staging`, `prod-eu`"
        ]
    );
    assert!(environment_name_problem(&"a".repeat(33)).is_some());
    assert!(environment_name_problem("prod-eu-1").is_none());
}

#[test]
fn every_problem_is_reported_at_once() {
    let found = problems(
        "environment \"dev\" {\n  profile = \"nope\"\n  colour = \"red\"\n  variables = { nope = \"x\" }\n}\n",
    );
    assert_eq!(found.len(), 3, "{found:?}");
}

#[test]
fn an_empty_file_is_an_error() {
    assert_eq!(
        problems("# nothing here\n"),
        [
            "error[config-no-environment]: tfgen.hcl:1:1: no environment is defined\n  help: add at least one `environment \"NAME\" { profile = \"seed\" }` block"
        ]
    );
}

#[test]
fn pipeline_is_off_unless_switched_on() {
    let config =
        parse("environment \"qa\" {}\nenvironment \"prod\" {\n  pipeline = true\n}\n").unwrap();
    assert!(!config.environment("qa").unwrap().pipeline);
    assert!(config.environment("prod").unwrap().pipeline);
    assert!(config.environment("prod").unwrap().stack_input().pipeline);
}

#[test]
fn pipeline_must_be_a_boolean() {
    assert_eq!(
        problems("environment \"prod\" {\n  pipeline = \"yes\"\n}\n"),
        [
            "error[config-type]: tfgen.hcl:2:14: environment \"prod\": pipeline: pipeline must be a boolean, found a string\n  help: write pipeline = true or pipeline = false"
        ]
    );
}
