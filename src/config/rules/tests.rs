//! One test per rule: a value that breaks it, with the exact message, and a
//! value that passes.

use super::*;

fn message(problem: Option<Problem>) -> (&'static str, String) {
    let (rule, message, _) = problem.expect("the value breaks the rule");
    (rule, message)
}

fn origin(line: usize) -> Origin {
    Origin::File {
        path: "tfgen.hcl".into(),
        line,
        column: 3,
    }
}

#[test]
fn account_id_is_twelve_digits() {
    assert_eq!(account_id_problem("012345678901"), None);
    assert_eq!(
        message(account_id_problem("12345678901")),
        (
            "config-account-id",
            "account ID \"12345678901\" is not 12 digits".into()
        )
    );
    assert!(account_id_problem("12345678901a").is_some());
}

#[test]
fn region_is_a_known_region_name() {
    for region in [
        "us-east-1",
        "us-gov-west-1",
        "cn-northwest-1",
        "ap-southeast-7",
    ] {
        assert_eq!(region_problem(region), None, "{region}");
    }
    assert_eq!(
        message(region_problem("US EAST")),
        (
            "config-region",
            "\"US EAST\" is not an AWS region name".into()
        )
    );
    for wrong in ["*", "us-east-1:*:*", "us-east-9", "", "US-EAST-1"] {
        assert!(region_problem(wrong).is_some(), "{wrong}");
    }
}

#[test]
fn region_list_has_no_duplicates() {
    let mut sorted = AWS_REGIONS.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), AWS_REGIONS.len());
}

#[test]
fn assume_role_is_an_iam_role_arn() {
    assert_eq!(
        role_arn_account("arn:aws:iam::123456789012:role/terraform"),
        Ok("123456789012")
    );
    assert_eq!(
        role_arn_account("arn:aws-us-gov:iam::123456789012:role/ci/deployer"),
        Ok("123456789012")
    );
    let (rule, text, _) = role_arn_account("arn:aws:iam::123456789012:user/terraform").unwrap_err();
    assert_eq!(rule, "config-assume-role-arn");
    assert_eq!(
        text,
        "\"arn:aws:iam::123456789012:user/terraform\" is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)"
    );
    for wrong in [
        "terraform",
        "arn:aws:iam:us-east-1:123456789012:role/terraform",
        "arn:aws:iam::12345:role/terraform",
        "arn:aws:s3::123456789012:role/terraform",
    ] {
        assert!(role_arn_account(wrong).is_err(), "{wrong}");
    }
}

#[test]
fn assume_role_name_follows_iam_rules() {
    let (rule, text, _) =
        role_arn_account("arn:aws:iam::123456789012:role/terra form").unwrap_err();
    assert_eq!(rule, "config-assume-role-arn");
    assert_eq!(
        text,
        "role name \"terra form\" in \"arn:aws:iam::123456789012:role/terra form\" is not 1 to 64 of A-Z a-z 0-9 + = , . @ _ -"
    );
    let long = format!("arn:aws:iam::123456789012:role/{}", "r".repeat(65));
    assert!(role_arn_account(&long).is_err());
}

#[test]
fn assume_role_is_in_the_environments_account() {
    let arn = "arn:aws:iam::123456789012:role/terraform";
    assert_eq!(role_account_problem(arn, "123456789012"), None);
    assert_eq!(
        message(role_account_problem(arn, "210987654321")),
        (
            "config-assume-role-account",
            "assume_role \"arn:aws:iam::123456789012:role/terraform\" is in account 123456789012, but account_id is 210987654321".into()
        )
    );
}

#[test]
fn tag_key_length() {
    assert_eq!(tag_key_problem(&"k".repeat(128)), None);
    assert_eq!(
        message(tag_key_problem(&"k".repeat(129))),
        (
            "config-tag-key-length",
            format!(
                "tag key \"{}\" is 129 characters long; AWS allows 1 to 128",
                "k".repeat(129)
            )
        )
    );
    assert!(tag_key_problem("").is_some());
}

#[test]
fn tag_key_aws_prefix_is_reserved() {
    assert_eq!(
        message(tag_key_problem("AWS:owner")),
        (
            "config-tag-key-reserved",
            "tag key \"AWS:owner\" starts with \"aws:\", which AWS reserves for its own tags"
                .into()
        )
    );
    assert_eq!(tag_key_problem("awsome"), None);
}

#[test]
fn tag_characters() {
    assert_eq!(tag_key_problem("cost-center/team_1 @x:y=z+"), None);
    assert_eq!(
        message(tag_key_problem("owner!")),
        (
            "config-tag-charset",
            "tag key \"owner!\" contains '!'; AWS allows letters, digits, spaces and _ . : / = + - @"
                .into()
        )
    );
    assert!(tag_value_problem("Owner", "a,b").is_some());
}

#[test]
fn tag_value_length() {
    assert_eq!(tag_value_problem("Owner", ""), None);
    assert_eq!(tag_value_problem("Owner", &"v".repeat(256)), None);
    assert_eq!(
        message(tag_value_problem("Owner", &"v".repeat(257))),
        (
            "config-tag-value-length",
            "the value of tag \"Owner\" is 257 characters long; AWS allows at most 256".into()
        )
    );
}

#[test]
fn project_name_follows_sagemaker_rules() {
    assert_eq!(project_name_problem("aws-sagemaker-terraform-cicd"), None);
    assert_eq!(
        message(project_name_problem("-mlops")),
        (
            "sagemaker-project-name",
            "project name \"-mlops\" must be 1 to 32 letters and digits, with '-' only between them".into()
        )
    );
    for wrong in ["", "mlops-", "ml_ops", &"p".repeat(33)] {
        assert!(project_name_problem(wrong).is_some(), "{wrong}");
    }
}

#[test]
fn project_id_follows_sagemaker_rules() {
    assert_eq!(project_id_problem("10072022"), None);
    assert_eq!(
        message(project_id_problem(&"1".repeat(21))),
        (
            "sagemaker-project-id",
            format!(
                "project ID \"{}\" must be 1 to 20 letters and digits, with '-' only between them",
                "1".repeat(21)
            )
        )
    );
}

#[test]
fn variables_are_checked_by_what_they_name() {
    assert_eq!(variable_problem("region", "*").unwrap().0, "config-region");
    // Repository names are the CodeCommit repository's own rule
    // (stack::resources::codecommit_repository), checked where it exists.
    assert_eq!(variable_problem("deploy_repository_name", "x.git"), None);
    assert_eq!(
        variable_problem("project_id", "a_b").unwrap().0,
        "sagemaker-project-id"
    );
    assert_eq!(variable_problem("repository_branch", "any thing"), None);
}

fn state(key: &str, line: usize) -> StateLocation {
    StateLocation {
        bucket: "example-tfstate".into(),
        key: key.into(),
        region: "us-east-1".into(),
        origin: origin(line),
    }
}

#[test]
fn two_environments_never_share_a_state_object() {
    let dev = state("dev/terraform.tfstate", 4);
    let prod = state("prod/terraform.tfstate", 9);
    let copy = state("dev/terraform.tfstate", 14);
    assert!(shared_state_problems([("dev", &dev), ("prod", &prod)]).is_empty());
    let problems = shared_state_problems([("dev", &dev), ("prod", &prod), ("qa", &copy)]);
    let texts: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        texts,
        [
            "error[config-state-shared]: tfgen.hcl:14:3: environment \"qa\": state.key: state s3://example-tfstate/dev/terraform.tfstate is also environment \"dev\"'s (set at tfgen.hcl:4:3); two environments sharing state overwrite each other\n  help: give each environment its own state { key = \"...\" }, or leave key unset to derive it from the name"
        ]
    );
}

#[test]
fn same_key_in_different_buckets_is_fine() {
    let dev = state("terraform.tfstate", 4);
    let mut other = state("terraform.tfstate", 9);
    other.bucket = "other-tfstate".into();
    assert!(shared_state_problems([("dev", &dev), ("prod", &other)]).is_empty());
}

fn iam<'a>(environment: &'a str, account_id: Option<&'a str>, role: &str) -> AccountNames<'a> {
    AccountNames {
        environment,
        account_id,
        region: "us-east-1",
        names: vec![(
            "aws_iam_role.tf_mlops_role.name".into(),
            role.into(),
            origin(7),
            Namespace::IAM,
        )]
        .into(),
    }
}

#[test]
fn regional_names_collide_in_one_region_of_a_shared_account_only() {
    let pipeline = |environment, region| AccountNames {
        environment,
        account_id: Some("123456789012"),
        region,
        names: vec![(
            "aws_codepipeline.sm_ci_pipeline.name".into(),
            "modelbuild-pipeline".into(),
            origin(9),
            Namespace::regional("codepipeline-name-unique", "CodePipeline name"),
        )]
        .into(),
    };
    let texts: Vec<String> = name_collisions(&[
        pipeline("dev", "us-east-1"),
        pipeline("qa", "us-east-1"),
        pipeline("eu", "eu-west-1"),
    ])
    .iter()
    .map(ToString::to_string)
    .collect();
    assert_eq!(
        texts,
        [
            "error[codepipeline-name-unique]: tfgen.hcl:9:3: environment \"qa\": aws_codepipeline.sm_ci_pipeline.name: CodePipeline name \"modelbuild-pipeline\" is also created by environment \"dev\", and both may deploy into account 123456789012 in us-east-1; CodePipeline names are unique per account and region\n  help: give the environments distinct `env` values, account_id values or regions; seed's pipeline keeps upstream's fixed names, hardened names each after its environment"
        ]
    );
}

#[test]
fn iam_names_collide_in_a_shared_account() {
    let problems = name_collisions(&[
        iam("dev", Some("123456789012"), "tf-mlops-role-dev-1007"),
        iam("qa", Some("123456789012"), "tf-mlops-role-dev-1007"),
    ]);
    let texts: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        texts,
        [
            "error[iam-name-unique]: tfgen.hcl:7:3: environment \"qa\": aws_iam_role.tf_mlops_role.name: IAM name \"tf-mlops-role-dev-1007\" is also created by environment \"dev\", and both may deploy into account 123456789012; IAM names are unique per account\n  help: give the environments distinct `env` values, or distinct account_id values"
        ]
    );
}

#[test]
fn iam_names_may_collide_when_an_account_is_unknown() {
    let problems = name_collisions(&[
        iam("dev", None, "tf-mlops-role-dev-1007"),
        iam("qa", Some("123456789012"), "tf-mlops-role-dev-1007"),
    ]);
    assert_eq!(problems.len(), 1);
    assert!(
        problems[0]
            .message
            .contains("one of them sets no account_id")
    );
}

#[test]
fn iam_names_in_distinct_accounts_or_distinct_names_are_fine() {
    assert!(
        name_collisions(&[
            iam("dev", Some("123456789012"), "tf-mlops-role-dev-1007"),
            iam("qa", Some("210987654321"), "tf-mlops-role-dev-1007"),
        ])
        .is_empty()
    );
    assert!(
        name_collisions(&[
            iam("dev", None, "tf-mlops-role-dev-1007"),
            iam("qa", None, "tf-mlops-role-qa-1007"),
        ])
        .is_empty()
    );
}

#[test]
fn a_role_and_a_policy_of_the_same_name_do_not_collide() {
    let role = iam("dev", None, "tf-mlops-dev");
    let mut policy = iam("qa", None, "tf-mlops-dev");
    policy.names.to_mut()[0].0 = "aws_iam_policy.tf_mlops_policy.name".into();
    assert!(name_collisions(&[role, policy]).is_empty());
}
