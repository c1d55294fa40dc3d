//! One test per rule: a single violating value and the exact error text.

use std::path::Path;

use super::*;
use crate::config::{Config, Setting};
use crate::error::Origin;
use crate::model::Expr;
use crate::policy::{Statement, one};
use crate::stack::resources::{IamPolicy, IamRole};

fn environment(settings: &[(&str, &str)]) -> Environment {
    let mut environment = Config::built_in().environment("dev").unwrap().clone();
    environment.settings = settings
        .iter()
        .map(|(name, value)| Setting {
            name: name.to_string(),
            value: value.to_string(),
            origin: Origin::File {
                path: "tfgen.hcl".into(),
                line: 3,
                column: 7,
            },
        })
        .collect();
    environment
}

fn stack(settings: &[(&str, &str)]) -> Stack {
    Stack::build(&environment(settings))
}

fn role(stack: &mut Stack) -> &mut IamRole {
    stack.item_mut("aws_iam_role.tf_mlops_role").unwrap()
}

fn policy(stack: &mut Stack) -> &mut IamPolicy {
    stack.item_mut("aws_iam_policy.tf_mlops_policy").unwrap()
}

fn messages(stack: &Stack) -> Vec<String> {
    validate(stack).iter().map(ToString::to_string).collect()
}

fn bucket(name: &str) -> Vec<String> {
    messages(&stack(&[("artifacts_bucket_name", name)]))
}

const BUCKET: &str =
    "error[{rule}]: tfgen.hcl:3:7: environment \"dev\": aws_s3_bucket.artifacts_bucket.bucket: ";

fn bucket_error(rule: &str, message: &str, help: &str) -> String {
    format!(
        "{}{message}\n  help: {help}",
        BUCKET.replace("{rule}", rule)
    )
}

#[test]
fn the_built_in_environments_are_valid() {
    let config = Config::built_in();
    assert!(build_valid(&config, config.environments.iter().collect()).is_ok());
}

#[test]
fn bucket_name_length() {
    assert_eq!(
        bucket("ab"),
        [bucket_error(
            "s3-bucket-name-length",
            "bucket name \"ab\" is 2 characters long; S3 allows 3 to 63",
            "choose a name of 3 to 63 characters"
        )]
    );
    assert_eq!(bucket(&"a".repeat(64)).len(), 1);
    assert!(bucket(&"a".repeat(63)).is_empty());
}

#[test]
fn bucket_name_charset() {
    assert_eq!(
        bucket("my_bucket"),
        [bucket_error(
            "s3-bucket-name-charset",
            "bucket name \"my_bucket\" contains '_'; only lowercase letters, digits, '.' and '-' are allowed",
            "use lowercase letters, digits, '.' and '-' only"
        )]
    );
}

#[test]
fn bucket_name_edges() {
    assert_eq!(
        bucket("bucket-"),
        [bucket_error(
            "s3-bucket-name-edges",
            "bucket name \"bucket-\" must begin and end with a lowercase letter or a digit",
            "remove the leading or trailing '.' or '-'"
        )]
    );
}

#[test]
fn bucket_name_dots() {
    assert_eq!(
        bucket("my..bucket"),
        [bucket_error(
            "s3-bucket-name-dots",
            "bucket name \"my..bucket\" contains two adjacent periods",
            "remove one of the periods"
        )]
    );
}

#[test]
fn bucket_name_ip() {
    assert_eq!(
        bucket("192.168.5.4"),
        [bucket_error(
            "s3-bucket-name-ip",
            "bucket name \"192.168.5.4\" is formatted like an IP address",
            "add letters to the name"
        )]
    );
}

#[test]
fn bucket_name_prefix() {
    for prefix in ["xn--", "sthree-", "amzn-s3-demo-"] {
        let name = format!("{prefix}bucket");
        assert_eq!(
            bucket(&name),
            [bucket_error(
                "s3-bucket-name-prefix",
                &format!("bucket name \"{name}\" starts with the reserved prefix \"{prefix}\""),
                "names may not start with xn--, sthree- or amzn-s3-demo-"
            )]
        );
    }
}

#[test]
fn bucket_name_suffix() {
    for suffix in ["-s3alias", "--ol-s3", ".mrap", "--x-s3"] {
        let name = format!("bucket{suffix}");
        assert_eq!(
            bucket(&name),
            [bucket_error(
                "s3-bucket-name-suffix",
                &format!("bucket name \"{name}\" ends with the reserved suffix \"{suffix}\""),
                "names may not end with -s3alias, --ol-s3, .mrap or --x-s3"
            )]
        );
    }
}

#[test]
fn bucket_name_unique_across_environments() {
    let dev = environment(&[]);
    let mut qa = environment(&[]);
    qa.name = "qa".into();
    let shared = [
        SharedNames::of(&dev, &Stack::build(&dev)),
        SharedNames::of(&qa, &Stack::build(&qa)),
    ];
    let found: Vec<String> = validate_across(&shared)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        found,
        [
            "error[s3-bucket-name-unique]: built-in default (reference default of variable artifacts_bucket_name): environment \"qa\": aws_s3_bucket.artifacts_bucket.bucket: bucket name \"sagemaker-artifacts-pipeline-18345\" is also used by environment \"dev\"\n  help: S3 bucket names are global: give each environment its own artifacts_bucket_name"
        ]
    );
}

#[test]
fn role_name_length_uses_the_concrete_name() {
    let env = "e".repeat(50);
    assert_eq!(
        messages(&stack(&[("env", &env)])),
        [format!(
            "error[iam-role-name-length]: tfgen.hcl:3:7: environment \"dev\": aws_iam_role.tf_mlops_role.name: name \"tf-mlops-role-{env}-1007\" is 69 characters long; IAM allows 1 to 64\n  help: shorten the environment name or the variables the name is built from"
        )]
    );
}

#[test]
fn policy_name_length() {
    let mut stack = stack(&[]);
    policy(&mut stack).name = Expr::from("p".repeat(129));
    assert_eq!(
        messages(&stack),
        [format!(
            "error[iam-policy-name-length]: built-in default (profile seed): environment \"dev\": aws_iam_policy.tf_mlops_policy.name: name \"{}\" is 129 characters long; IAM allows 1 to 128\n  help: shorten the environment name or the variables the name is built from",
            "p".repeat(129)
        )]
    );
}

#[test]
fn iam_name_charset() {
    let found = messages(&stack(&[("env", "dev/1")]));
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(
        found[0],
        "error[iam-name-charset]: tfgen.hcl:3:7: environment \"dev\": aws_iam_role.tf_mlops_role.name: name \"tf-mlops-role-dev/1-1007\" contains '/'; IAM names allow only A-Z a-z 0-9 and + = , . @ _ -\n  help: remove the character from the values the name is built from"
    );
    assert!(
        found[1]
            .contains("aws_iam_policy.tf_mlops_policy.name: name \"tf-mlops-policy-dev/1-1007\"")
    );
}

#[test]
fn iam_path() {
    let mut stack = stack(&[]);
    role(&mut stack).path = "service-role/".into();
    assert_eq!(
        messages(&stack),
        [
            "error[iam-path]: built-in default (profile seed): environment \"dev\": aws_iam_role.tf_mlops_role.path: path \"service-role/\" must be 1 to 512 printable ASCII characters that begin and end with '/'\n  help: use \"/\" or a path such as \"/service-role/\""
        ]
    );
    role(&mut stack).path = format!("/{}/", "a".repeat(511));
    assert_eq!(messages(&stack).len(), 1);
}

#[test]
fn max_session_duration() {
    let mut stack = stack(&[]);
    role(&mut stack).max_session_duration = 43201;
    assert_eq!(
        messages(&stack),
        [
            "error[iam-max-session-duration]: built-in default (profile seed): environment \"dev\": aws_iam_role.tf_mlops_role.max_session_duration: max_session_duration 43201 is outside 3600 to 43200 seconds\n  help: use a duration from 1 hour (3600) to 12 hours (43200)"
        ]
    );
    role(&mut stack).max_session_duration = 3599;
    assert_eq!(messages(&stack).len(), 1);
}

#[test]
fn policy_description_length() {
    let mut stack = stack(&[]);
    policy(&mut stack).description = Expr::from("d".repeat(1001));
    assert_eq!(
        messages(&stack),
        [
            "error[iam-policy-description-length]: built-in default (profile seed): environment \"dev\": aws_iam_policy.tf_mlops_policy.description: the description is 1001 characters long; the limit is 1000\n  help: shorten the description"
        ]
    );
}

#[test]
fn managed_policy_size_counts_without_whitespace() {
    let mut stack = stack(&[]);
    // The reference policy is 4,362 characters; 2,000 more resource
    // characters take it over 6,144.
    let long = format!("arn:aws:s3:::{}", "b".repeat(2000));
    policy(&mut stack).document.statements.push(
        Statement::allow()
            .action(one("s3:GetObject"))
            .resource(one(&long)),
    );
    let found = messages(&stack);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("error[iam-policy-size]: built-in default (profile seed): environment \"dev\": aws_iam_policy.tf_mlops_policy.policy: the document is 6432 characters (whitespace not counted); a managed policy allows 6144"),
        "{}",
        found[0]
    );
    // Spaces inside values do not count.
    policy(&mut stack).document.statements.pop();
    let spaced = format!("arn:aws:s3:::{}", " ".repeat(2000));
    policy(&mut stack).document.statements.push(
        Statement::allow()
            .action(one("s3:GetObject"))
            .resource(one(&spaced)),
    );
    assert!(messages(&stack).is_empty());
}

#[test]
fn trust_policy_size() {
    let mut stack = stack(&[]);
    let service = format!("{}.amazonaws.com", "s".repeat(2000));
    let trust = &mut role(&mut stack).trust_policy.statements[0];
    trust.principal = None;
    *trust = trust.clone().principal("Service", one(&service));
    let found = messages(&stack);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("aws_iam_role.tf_mlops_role.assume_role_policy: the document is"),
        "{}",
        found[0]
    );
    assert!(
        found[0].contains("a role trust policy allows 2048"),
        "{}",
        found[0]
    );
}

#[test]
fn policy_charset() {
    let mut stack = stack(&[]);
    policy(&mut stack).document.statements[1] = Statement::allow()
        .action(one("iam:PassRole"))
        .resource(one("arn:aws:iam::*:role/\u{2603}"));
    assert_eq!(
        messages(&stack),
        [
            "error[iam-policy-charset]: built-in default (profile seed): environment \"dev\": aws_iam_policy.tf_mlops_policy.policy: the document contains '☃' (U+2603); IAM accepts only tab, LF, CR and U+0020 to U+00FF\n  help: remove the character from the policy's values"
        ]
    );
}

#[test]
fn policy_version() {
    let mut stack = stack(&[]);
    policy(&mut stack).document.version = Some("2008-10-17".into());
    assert_eq!(
        messages(&stack),
        [
            "error[iam-policy-version]: built-in default (profile seed): environment \"dev\": aws_iam_policy.tf_mlops_policy.policy: the document has Version \"2008-10-17\"\n  help: set Version = \"2012-10-17\""
        ]
    );
}

#[test]
fn statement_effect() {
    let mut stack = stack(&[]);
    policy(&mut stack).document.statements[0].effect = None;
    assert_eq!(
        messages(&stack),
        [
            "error[iam-statement-effect]: built-in default (profile seed): environment \"dev\": aws_iam_policy.tf_mlops_policy.policy: statement 1 has no Effect\n  help: add Effect = \"Allow\" or \"Deny\""
        ]
    );
}

#[test]
fn statement_action() {
    let mut stack = stack(&[]);
    policy(&mut stack).document.statements[3].action = None;
    assert_eq!(
        messages(&stack),
        [
            "error[iam-statement-action]: built-in default (profile seed): environment \"dev\": aws_iam_policy.tf_mlops_policy.policy: statement 4 has neither Action nor NotAction\n  help: add exactly one of Action or NotAction"
        ]
    );
}

#[test]
fn statement_resource_in_identity_policies_only() {
    let mut stack = stack(&[]);
    policy(&mut stack).document.statements[0].sid = Some("Pull".into());
    policy(&mut stack).document.statements[0].resource = None;
    assert_eq!(
        messages(&stack),
        [
            "error[iam-statement-resource]: built-in default (profile seed): environment \"dev\": aws_iam_policy.tf_mlops_policy.policy: statement 1 (Sid Pull) has neither Resource nor NotResource\n  help: add exactly one of Resource or NotResource (identity policies need one)"
        ]
    );
    // A trust policy has no Resource, and that is right.
    assert!(
        role(&mut stack).trust_policy.statements[0]
            .resource
            .is_none()
    );
}

#[test]
fn every_problem_is_reported() {
    let found = messages(&stack(&[
        ("artifacts_bucket_name", "-Bad..Name-"),
        ("env", &"x".repeat(60)),
    ]));
    let rules: Vec<&str> = found
        .iter()
        .map(|line| line.split(']').next().unwrap())
        .collect();
    assert_eq!(
        rules,
        [
            "error[s3-bucket-name-charset",
            "error[s3-bucket-name-edges",
            "error[s3-bucket-name-dots",
            "error[iam-role-name-length"
        ]
    );
}

#[test]
fn policy_text_is_measured_as_aws_counts_it() {
    // The reference: characters that are not whitespace, and the first one
    // IAM refuses (it takes tab, LF, CR and U+0020 to U+00FF).
    let reference = |text: &str| {
        let size = text.chars().filter(|c| !c.is_whitespace()).count();
        let bad = text
            .chars()
            .find(|c| !matches!(*c, '\t' | '\n' | '\r' | '\u{20}'..='\u{ff}'));
        (size, bad)
    };
    let long = "{\"Statement\":[{\"Action\":\"s3:GetObject\"}]} ".repeat(40);
    for text in [
        "",
        "a b\tc\nd\re\u{b}f\u{c}g",
        "{\"Sid\":\"A\"}",
        "x\u{1}y\u{1f}",
        "caf\u{e9} \u{a0}\u{2003}x",
        "\u{100}",
        long.as_str(),
        &format!("{long}\u{7}"),
    ] {
        assert_eq!(super::measure(text), reference(text), "{text:?}");
    }
}

/// A tfgen.hcl of `count` environments, each with its own bucket unless
/// `bucket` names another for it.
fn many_environments(count: usize, bucket: &dyn Fn(usize) -> Option<String>) -> Config {
    let mut text = String::new();
    for index in 0..count {
        let name = bucket(index).unwrap_or_else(|| format!("bucket-name-{index}"));
        text.push_str(&format!(
            "environment \"e{index}\" {{\n  variables = {{ artifacts_bucket_name = \"{name}\" }}\n}}\n"
        ));
    }
    Config::parse(Path::new("tfgen.hcl"), text.as_bytes()).unwrap()
}

fn problems_on(config: &Config, workers: usize) -> Vec<String> {
    match for_each_valid_on(config, workers, || Ok(()), |_, _, _, _| Ok(())) {
        Err(Error::Invalid(problems)) => problems.iter().map(ToString::to_string).collect(),
        other => panic!("expected problems, got {:?}", other.map(|_| ())),
    }
}

#[test]
fn checking_on_many_threads_reports_what_checking_in_order_does() {
    // Invalid environments in different batches, and a bucket two share.
    let config = many_environments(300, &|index| match index {
        5 | 150 | 299 => Some("Bad_Bucket".into()),
        200 => Some("bucket-name-10".into()),
        _ => None,
    });
    let in_order = problems_on(&config, 1);
    // Three charset problems in order, then three names shared.
    assert_eq!(in_order.len(), 6, "{in_order:#?}");
    assert!(
        in_order[0].contains("environment \"e5\""),
        "{}",
        in_order[0]
    );
    assert!(in_order.last().unwrap().contains("s3-bucket-name-unique"));
    for workers in [2, 3, 8] {
        assert_eq!(problems_on(&config, workers), in_order, "{workers} threads");
    }
}

#[test]
fn every_valid_environment_is_visited_once_with_its_index() {
    let config = many_environments(300, &|_| None);
    let parts = for_each_valid_on(
        &config,
        4,
        || Ok(Vec::new()),
        |seen: &mut Vec<(usize, String)>, index, environment, stack| {
            assert_eq!(stack.environment, environment.name);
            seen.push((index, environment.name.clone()));
            Ok(())
        },
    )
    .unwrap();
    assert_eq!(parts.len(), 4);
    let mut seen: Vec<(usize, String)> = parts.into_iter().flatten().collect();
    seen.sort();
    let expected: Vec<(usize, String)> =
        (0..300).map(|index| (index, format!("e{index}"))).collect();
    assert_eq!(seen, expected);
}

#[test]
fn the_first_failure_in_order_wins_unless_an_earlier_environment_is_invalid() {
    let fail_at = |config: &Config, failing: &'static [usize]| {
        for_each_valid_on(
            config,
            4,
            || Ok(()),
            |_, index, _, _| {
                if failing.contains(&index) {
                    Err(Error::Usage(format!("cannot write e{index}")))
                } else {
                    Ok(())
                }
            },
        )
        .map(|_| ())
        .map_err(|error| error.to_string())
    };
    let valid = many_environments(300, &|_| None);
    assert_eq!(
        fail_at(&valid, &[250, 100, 180]),
        Err("cannot write e100".into())
    );
    // An environment after the failing one is invalid: in order, the run
    // ends at the failure before reaching it.
    let late = many_environments(300, &|index| (index == 270).then(|| "Bad_Bucket".into()));
    assert_eq!(fail_at(&late, &[100]), Err("cannot write e100".into()));
    // One before it is: in order, nothing is written and the problems are
    // what is reported.
    let early = many_environments(300, &|index| (index == 40).then(|| "Bad_Bucket".into()));
    let reported = fail_at(&early, &[100]).unwrap_err();
    assert!(reported.contains("environment \"e40\""), "{reported}");
    assert!(!reported.contains("cannot write"), "{reported}");
}
