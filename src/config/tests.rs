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
            "error[config-unknown-key]: tfgen.hcl:2:3: environment \"dev\": region: unknown key `region` in an environment\n  help: an environment takes `profile`, `pipeline`, `deletion_protection`, `account_id`, `assume_role`, `state { ... }`, `source { ... }`, `approval { ... }`, `tags = { ... }` and `variables = { ... }`"
        ]
    );
}

#[test]
fn unknown_top_level_block_is_an_error() {
    assert_eq!(
        problems("env \"dev\" {}\n"),
        [
            "error[config-unknown-block]: tfgen.hcl:1:1: unknown block `env`\n  help: tfgen.hcl holds an optional `defaults { ... }` block and `environment \"NAME\" { ... }` blocks"
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
fn deletion_protection_is_on_unless_switched_off_and_is_a_boolean() {
    let config =
        parse("environment \"qa\" {}\nenvironment \"prod\" {\n  deletion_protection = false\n}\n")
            .unwrap();
    assert!(
        config
            .environment("qa")
            .unwrap()
            .stack_input()
            .deletion_protection
    );
    assert!(
        !config
            .environment("prod")
            .unwrap()
            .stack_input()
            .deletion_protection
    );
    assert_eq!(
        problems("environment \"prod\" {\n  deletion_protection = 0\n}\n"),
        [
            "error[config-type]: tfgen.hcl:2:25: environment \"prod\": deletion_protection: deletion_protection must be a boolean, found a number\n  help: write deletion_protection = true or deletion_protection = false"
        ]
    );
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

const ENVIRONMENTS_AT_SCALE: &str = r#"defaults {
  state {
    bucket = "example-tfstate"
    region = "us-east-1"
  }
  tags = { Project = "sagemaker-mlops", Owner = "platform" }
}

environment "dev" {}

environment "prod" {
  profile     = "hardened"
  account_id  = "123456789012"
  assume_role = "arn:aws:iam::123456789012:role/terraform"
  state {
    key    = "live/prod.tfstate"
    region = "eu-west-1"
  }
  tags = { Owner = "ml-platform", CostCenter = "42" }
}
"#;

#[test]
fn reads_state_account_role_and_tags() {
    let config = parse(ENVIRONMENTS_AT_SCALE).unwrap();
    let prod = config.environment("prod").unwrap();
    let state = prod.state.as_ref().unwrap();
    assert_eq!(
        (
            state.bucket.as_str(),
            state.key.as_str(),
            state.region.as_str()
        ),
        ("example-tfstate", "live/prod.tfstate", "eu-west-1")
    );
    assert_eq!(state.origin.to_string(), "tfgen.hcl:16:14");
    let account = prod.account_id.as_ref().unwrap();
    assert_eq!(account.id, "123456789012");
    assert_eq!(account.origin.to_string(), "tfgen.hcl:13:17");
    assert_eq!(
        prod.assume_role.as_ref().unwrap().role_arn,
        "arn:aws:iam::123456789012:role/terraform"
    );
    let tags: Vec<(&str, &str, String)> = prod
        .tags
        .iter()
        .map(|tag| (tag.key.as_str(), tag.value.as_str(), tag.origin.to_string()))
        .collect();
    assert_eq!(
        tags,
        [
            ("Project", "sagemaker-mlops", "tfgen.hcl:6:22".to_string()),
            ("Owner", "ml-platform", "tfgen.hcl:19:20".to_string()),
            ("CostCenter", "42", "tfgen.hcl:19:48".to_string()),
        ]
    );
}

#[test]
fn state_key_defaults_to_the_environment_name_and_region_to_the_defaults() {
    let config = parse(ENVIRONMENTS_AT_SCALE).unwrap();
    let dev = config.environment("dev").unwrap();
    let state = dev.state.as_ref().unwrap();
    assert_eq!(state.key, "dev/terraform.tfstate");
    assert_eq!(state.region, "us-east-1");
    assert_eq!(state.origin, dev.origin);
    assert_eq!(dev.account_id, None);
    assert_eq!(dev.tags.len(), 2);
}

#[test]
fn without_a_bucket_the_state_stays_local() {
    let config = parse("environment \"dev\" {}\n").unwrap();
    assert_eq!(config.environments[0].state, None);
    assert!(config.environments[0].tags.is_empty());
}

#[test]
fn state_region_falls_back_to_the_stack_region() {
    let config = parse(
        "environment \"eu\" {\n  state {\n    bucket = \"example-tfstate\"\n  }\n  variables = { region = \"eu-central-1\" }\n}\n",
    )
    .unwrap();
    assert_eq!(
        config.environments[0].state.as_ref().unwrap().region,
        "eu-central-1"
    );
}

#[test]
fn a_state_block_without_any_bucket_is_an_error() {
    assert_eq!(
        problems("environment \"dev\" {\n  state {\n    key = \"dev.tfstate\"\n  }\n}\n"),
        [
            "error[config-state-bucket-missing]: tfgen.hcl:2:3: environment \"dev\": state.bucket: the state block sets no bucket, and defaults sets none\n  help: set `state { bucket = \"...\" }` in defaults (or in this environment)"
        ]
    );
}

#[test]
fn two_environments_sharing_a_state_key_are_an_error() {
    let found = problems(
        "defaults {\n  state {\n    bucket = \"example-tfstate\"\n  }\n}\nenvironment \"dev\" {}\nenvironment \"qa\" {\n  state {\n    key = \"dev/terraform.tfstate\"\n  }\n}\n",
    );
    assert_eq!(
        found,
        [
            "error[config-state-shared]: tfgen.hcl:9:11: environment \"qa\": state.key: state s3://example-tfstate/dev/terraform.tfstate is also environment \"dev\"'s (set at tfgen.hcl:6:1); two environments sharing state overwrite each other\n  help: give each environment its own state { key = \"...\" }, or leave key unset to derive it from the name"
        ]
    );
}

#[test]
fn defaults_takes_no_state_key() {
    assert_eq!(
        problems("defaults {\n  state {\n    key = \"x\"\n  }\n}\nenvironment \"dev\" {}\n"),
        [
            "error[config-unknown-key]: tfgen.hcl:3:5: state.key: unknown key `key` in `state`\n  help: `state` takes: bucket, region"
        ]
    );
}

#[test]
fn bad_values_are_reported_where_they_are() {
    let found = problems(
        r#"defaults {
  state {
    bucket = "Example_TFState"
    region = "US EAST"
  }
  tags = { "aws:owner" = "me" }
}
environment "prod" {
  account_id  = "1234"
  assume_role = "arn:aws:iam::123456789012:role/terraform"
  tags        = { Owner = 42 }
  variables   = { region = "us-east-1:*:*", project_name = "-x" }
}
"#,
    );
    assert_eq!(
        found,
        [
            "error[s3-bucket-name-charset]: tfgen.hcl:3:14: state.bucket: bucket name \"Example_TFState\" contains 'E'; only lowercase letters, digits, '.' and '-' are allowed\n  help: use lowercase letters, digits, '.' and '-' only",
            "error[config-region]: tfgen.hcl:4:14: state.region: \"US EAST\" is not an AWS region name\n  help: use a region code such as us-east-1, eu-west-1, us-gov-west-1 or cn-north-1",
            "error[config-tag-key-reserved]: tfgen.hcl:6:12: defaults.tags.aws:owner: tag key \"aws:owner\" starts with \"aws:\", which AWS reserves for its own tags\n  help: choose a key without the aws: prefix",
            "error[config-account-id]: tfgen.hcl:9:17: environment \"prod\": account_id: account ID \"1234\" is not 12 digits\n  help: write the 12-digit account number, quoted, e.g. account_id = \"123456789012\"",
            "error[config-type]: tfgen.hcl:11:27: environment \"prod\": tags.Owner: tags.Owner must be a string, found a number\n  help: quote the value: tags.Owner = \"...\"",
            "error[config-region]: tfgen.hcl:12:28: environment \"prod\": variables.region: \"us-east-1:*:*\" is not an AWS region name\n  help: use a region code such as us-east-1, eu-west-1, us-gov-west-1 or cn-north-1",
            "error[sagemaker-project-name]: tfgen.hcl:12:60: environment \"prod\": variables.project_name: project name \"-x\" must be 1 to 32 letters and digits, with '-' only between them\n  help: use letters, digits and inner hyphens only, e.g. mlops-pipeline",
        ]
    );
}

#[test]
fn assume_role_of_another_account_is_an_error() {
    assert_eq!(
        problems(
            "environment \"prod\" {\n  account_id = \"210987654321\"\n  assume_role = \"arn:aws:iam::123456789012:role/terraform\"\n}\n"
        ),
        [
            "error[config-assume-role-account]: tfgen.hcl:3:17: environment \"prod\": assume_role: assume_role \"arn:aws:iam::123456789012:role/terraform\" is in account 123456789012, but account_id is 210987654321\n  help: assume a role of the environment's own account, or fix account_id"
        ]
    );
}

#[test]
fn defaults_twice_is_an_error() {
    assert_eq!(
        problems("defaults {}\ndefaults {}\nenvironment \"dev\" {}\n"),
        [
            "error[config-duplicate-key]: tfgen.hcl:2:1: defaults: `defaults` is defined twice (first at tfgen.hcl:1:1)\n  help: merge the two blocks"
        ]
    );
}

/// `envs --changed` compares entries by meaning: where a block stands, a
/// comment or the order of variables is no change; a value is, and so is a
/// `defaults` value every environment inherits.
#[test]
fn meaning_ignores_where_and_how_an_entry_is_written() {
    let before = parse(
        "defaults {\n  tags = { Team = \"ml\" }\n}\nenvironment \"dev\" {}\nenvironment \"qa\" {\n  variables = {\n    region = \"eu-west-1\"\n    project_id = \"20240101\"\n  }\n}\n",
    )
    .unwrap();
    let moved = parse(
        "# qa first now\nenvironment \"qa\" {\n  variables = {\n    project_id = \"20240101\" # the same\n    region = \"eu-west-1\"\n  }\n}\n\ndefaults {\n  tags = { Team = \"ml\" }\n}\nenvironment \"dev\" {}\n",
    )
    .unwrap();
    let meaning = |config: &Config, name: &str| config.environment(name).unwrap().meaning();
    for name in ["dev", "qa"] {
        assert_ne!(
            before.environment(name).unwrap().origin,
            moved.environment(name).unwrap().origin
        );
        assert_eq!(meaning(&before, name), meaning(&moved, name), "{name}");
    }
    let value = parse(
        "defaults {\n  tags = { Team = \"ml\" }\n}\nenvironment \"dev\" {}\nenvironment \"qa\" {\n  variables = {\n    region = \"eu-west-2\"\n    project_id = \"20240101\"\n  }\n}\n",
    )
    .unwrap();
    assert_eq!(meaning(&before, "dev"), meaning(&value, "dev"));
    assert_ne!(meaning(&before, "qa"), meaning(&value, "qa"));
    let defaults = parse(
        "defaults {\n  tags = { Team = \"data\" }\n}\nenvironment \"dev\" {}\nenvironment \"qa\" {\n  variables = {\n    region = \"eu-west-1\"\n    project_id = \"20240101\"\n  }\n}\n",
    )
    .unwrap();
    for name in ["dev", "qa"] {
        assert_ne!(meaning(&before, name), meaning(&defaults, name), "{name}");
    }
    // A source block that only moves (a comment above it) means the same.
    let staging = parse(CONNECTION_ENVIRONMENT).unwrap();
    let commented = parse(&format!(
        "# staging builds from GitLab\n\n{CONNECTION_ENVIRONMENT}"
    ))
    .unwrap();
    assert_eq!(meaning(&staging, "staging"), meaning(&commented, "staging"));
}

const CONNECTION_ENVIRONMENT: &str = r#"environment "staging" {
  profile    = "hardened"
  pipeline   = true
  account_id = "123456789012"
  source {
    kind              = "codeconnections"
    provider          = "GitLab"
    build_repository  = "example-org/ml/model-build"
    deploy_repository = "example-org/ml/model-deploy"
    connection_arn    = "arn:aws:codeconnections:us-east-1:123456789012:connection/0a1b2c3d-4e5f-6789-abcd-ef0123456789"
    file_paths        = ["pipelines/**"]
    output_format     = "CODEBUILD_CLONE_REF"
  }
  approval {
    notify = ["ml-approvers@example.com", "lead@example.org"]
  }
}
"#;

#[test]
fn a_connection_source_and_an_approval_are_read_with_every_value() {
    use crate::stack::source::{GitProvider, OutputFormat, PipelineSource};
    let config = parse(CONNECTION_ENVIRONMENT).unwrap();
    let staging = config.environment("staging").unwrap();
    let PipelineSource::Connection(source) = &staging.source else {
        panic!("a connection source: {:?}", staging.source)
    };
    assert_eq!(source.provider, GitProvider::GitLab);
    assert_eq!(source.build_repository, "example-org/ml/model-build");
    assert_eq!(source.deploy_repository, "example-org/ml/model-deploy");
    assert_eq!(
        source.connection_arn.as_deref(),
        Some(
            "arn:aws:codeconnections:us-east-1:123456789012:connection/0a1b2c3d-4e5f-6789-abcd-ef0123456789"
        )
    );
    assert_eq!(source.file_paths, ["pipelines/**"]);
    assert_eq!(source.output_format, OutputFormat::CodeBuildCloneRef);
    assert_eq!(source.origin.to_string(), "tfgen.hcl:5:3");
    assert_eq!(
        staging.approval.as_ref().unwrap().notify,
        ["ml-approvers@example.com", "lead@example.org"]
    );
    assert_eq!(staging.stack_input().source, staging.source);
    // Without a source block, the CodeCommit repositories as always.
    let dev = parse("environment \"dev\" {\n  pipeline = true\n}\n").unwrap();
    assert_eq!(
        dev.environment("dev").unwrap().source,
        PipelineSource::CodeCommit
    );
    assert_eq!(dev.environment("dev").unwrap().approval, None);
}

#[test]
fn a_wrong_source_is_an_error_at_its_value_with_the_rule_and_a_fix() {
    let text = |body: &str| {
        format!(
            "environment \"prod\" {{\n  pipeline   = true\n  account_id = \"123456789012\"\n  source {{\n{body}  }}\n}}\n"
        )
    };
    let source = |provider: &str, build: &str, extra: &str| {
        text(&format!(
            "    kind = \"codeconnections\"\n    provider = \"{provider}\"\n    build_repository = \"{build}\"\n    deploy_repository = \"o/deploy\"\n{extra}"
        ))
    };
    let first = |text: String| problems(&text).remove(0);
    assert_eq!(
        first(source("Github", "o/build", "")),
        "error[config-source-provider]: tfgen.hcl:6:16: environment \"prod\": source.provider: \"Github\" is not a CodeConnections provider type (GitHub, GitHubEnterpriseServer, GitLab, Bitbucket)\n  help: write provider = \"GitHub\", \"GitHubEnterpriseServer\", \"GitLab\" or \"Bitbucket\", spelled as AWS spells it"
    );
    assert!(
        first(source("GitHub", "https://github.com/o/build", ""))
            .starts_with("error[config-source-repository]: tfgen.hcl:7:24: environment \"prod\": source.build_repository: \"https://github.com/o/build\" is not a GitHub repository ID"),
    );
    // GitLab takes subgroups, GitHub does not; Bitbucket is lowercase.
    assert!(first(source("GitHub", "o/sub/build", "")).contains("config-source-repository"));
    assert!(first(source("Bitbucket", "Org/build", "")).contains("config-source-repository"));
    assert!(parse(&source("GitLab", "o/sub/build", "")).is_ok());
    assert!(
        first(source(
            "GitHub",
            "o/build",
            "    connection_arn = \"arn:aws:codeconnections:us-east-1:999999999999:connection/0a1b2c3d-4e5f-6789-abcd-ef0123456789\"\n"
        ))
        .starts_with("error[config-source-connection-account]: tfgen.hcl:9:22: environment \"prod\": source.connection_arn: connection \"arn:aws:codeconnections:us-east-1:999999999999")
    );
    assert!(
        first(source(
            "GitHub",
            "o/build",
            "    connection_arn = \"arn:aws:codestar-connections:eu-west-1:123456789012:connection/0a1b2c3d-4e5f-6789-abcd-ef0123456789\"\n"
        ))
        .contains("config-source-connection-region")
    );
    assert!(
        first(source(
            "GitHub",
            "o/build",
            "    connection_arn = \"arn:aws:codeconnections:us-east-1:123456789012:host/x\"\n"
        ))
        .contains("config-source-connection-arn")
    );
    assert!(
        first(source("GitHub", "o/build", "    output_format = \"ZIP\"\n"))
            .contains("config-source-output-format")
    );
    assert!(
        first(source("GitHub", "o/build", "    file_paths = \"pipelines/**\"\n"))
            .starts_with("error[config-type]: tfgen.hcl:9:18: environment \"prod\": source.file_paths: source.file_paths must be a list of strings, found a string")
    );
    assert_eq!(
        first(text(
            "    kind = \"codeconnections\"\n    provider = \"GitHub\"\n"
        )),
        "error[config-source-missing]: tfgen.hcl:4:3: environment \"prod\": source.build_repository: a codeconnections source needs `build_repository`\n  help: add build_repository = \"example-org/model-build\""
    );
    assert!(first(text("    kind = \"github\"\n")).contains("config-source-kind"));
    assert!(
        first(text(
            "    kind = \"codecommit\"\n    provider = \"GitHub\"\n"
        ))
        .starts_with("error[config-source-codecommit]: tfgen.hcl:6:16")
    );
    assert!(
        first(text("    branch = \"main\"\n"))
            .starts_with("error[config-unknown-key]: tfgen.hcl:5:5")
    );
    assert!(
        first("environment \"dev\" {\n  source {\n    kind = \"codecommit\"\n  }\n}\n".into())
            .starts_with("error[config-pipeline-required]: tfgen.hcl:2:3: environment \"dev\": source: `source` configures the pipeline, and this environment has none")
    );
}

#[test]
fn approval_addresses_are_checked_each_at_its_place() {
    let approval = |body: &str| {
        problems(&format!(
            "environment \"prod\" {{\n  pipeline = true\n  approval {{\n{body}  }}\n}}\n"
        ))
    };
    assert_eq!(
        approval("    notify = [\"ok@example.com\", \"not an address\"]\n"),
        [
            "error[config-approval-email]: tfgen.hcl:4:33: environment \"prod\": approval.notify: \"not an address\" is not an email address SNS can subscribe\n  help: write an address such as ml-approvers@example.com"
        ]
    );
    assert!(approval("    notify = []\n")[0].contains("config-approval-empty"));
    assert!(approval("")[0].contains("config-approval-empty"));
    assert!(
        approval("    notify = [\"a@example.com\", \"A@example.com\"]\n")[0]
            .contains("config-duplicate-key")
    );
    assert!(approval("    topic = \"x\"\n")[0].contains("config-unknown-key"));
}
