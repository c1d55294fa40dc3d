//! The linter's unit tests: each rule on small statements, then seed and
//! hardened whole.

use super::actions::{glob_matches, globs_intersect, granted};
use super::catalogue::AccessLevel;
use super::*;
use crate::config::Config;
use crate::policy::{PolicyDocument, Statement, Values, many, one};

const FIELD: &str = "aws_iam_policy.test.policy";

fn literal(expr: &Expr) -> Option<String> {
    expr.as_literal().map(str::to_string)
}

fn lint_documents(documents: &[(PolicyKind, PolicyDocument)]) -> Vec<Finding> {
    let policies: Vec<PolicyRef<'_>> = documents
        .iter()
        .map(|(kind, document)| PolicyRef {
            field: match kind {
                PolicyKind::Trust => "aws_iam_role.test.assume_role_policy".to_string(),
                _ => FIELD.to_string(),
            },
            kind: *kind,
            document,
            limit: crate::stack::SizeLimit::of_kind(*kind),
            star_is_this_resource: false,
        })
        .collect();
    lint_policies(&policies, &literal)
}

/// The findings of one identity-policy statement.
fn lint_statement(statement: Statement) -> Vec<Finding> {
    lint_documents(&[(PolicyKind::Identity, PolicyDocument::new(vec![statement]))])
}

fn expected(rule: &Rule, severity: Severity, message: &str, fix: &str) -> Finding {
    Finding {
        rule: rule.id,
        severity,
        field: FIELD.to_string(),
        statement: 1,
        sid: None,
        message: message.to_string(),
        fix: fix.to_string(),
    }
}

const SCOPED_FIX: &str = "list in Resource the ARNs these actions need; keep \"*\" only \
                          for actions AWS does not scope by resource, in a statement of \
                          their own";

#[test]
fn passrole_on_any_resource_is_an_error() {
    let findings = lint_statement(
        Statement::allow()
            .sid("Pass")
            .action(many(["iam:PassRole"]))
            .resource(one("*")),
    );
    assert_eq!(
        findings,
        vec![Finding {
            sid: Some("Pass".into()),
            ..expected(
                &PASSROLE_ANY_RESOURCE,
                Severity::Error,
                "iam:PassRole on Resource \"*\" lets the role pass any role to any service",
                "list in Resource only the roles it must pass (e.g. \
                 \"${aws_iam_role.tf_mlops_role.arn}\") and name their services in an \
                 iam:PassedToService condition",
            )
        }]
    );
    assert_eq!(findings[0].statement_label(), "statement 1 (Sid Pass)");
}

#[test]
fn passrole_names_the_passed_to_services_and_wildcards_that_include_it() {
    let findings = lint_statement(
        Statement::allow()
            .action(one("iam:Pass*"))
            .not_resource(one("arn:aws:iam::*:role/admin"))
            .condition(
                "StringEquals",
                "iam:PassedToService",
                one("sagemaker.amazonaws.com"),
            ),
    );
    assert_eq!(findings[0].rule, PASSROLE_ANY_RESOURCE.id);
    assert_eq!(
        findings[0].message,
        "iam:Pass* (which includes iam:PassRole) with NotResource lets the role pass any \
         role except the 1 listed to sagemaker.amazonaws.com"
    );
}

#[test]
fn passrole_on_named_roles_is_fine() {
    let findings = lint_statement(
        Statement::allow()
            .action(one("iam:PassRole"))
            .resource(one("arn:aws:iam::*:role/tf-mlops-role")),
    );
    assert_eq!(findings, vec![]);
}

#[test]
fn service_wildcard_on_a_service_wide_arn_is_an_error() {
    let findings = lint_statement(
        Statement::allow()
            .action(many(["s3:*"]))
            .resource(one("arn:aws:s3:::*")),
    );
    assert_eq!(
        findings,
        vec![expected(
            &SERVICE_WILDCARD_ALL_RESOURCES,
            Severity::Error,
            "s3:* on Resource \"arn:aws:s3:::*\" grants every s3 action on every resource",
            "list the actions the pipeline calls, and in Resource the ARNs of the stack's \
             own resources",
        )]
    );
}

#[test]
fn star_on_star_grants_everything_including_passrole() {
    let rules: Vec<&str> = lint_statement(Statement::allow().action(one("*")).resource(one("*")))
        .iter()
        .map(|finding| finding.rule)
        .collect();
    assert_eq!(
        rules,
        [PASSROLE_ANY_RESOURCE.id, SERVICE_WILDCARD_ALL_RESOURCES.id]
    );
}

#[test]
fn service_wildcard_on_scoped_resources_is_info_on_what_cannot_apply() {
    let findings = lint_statement(
        Statement::allow()
            .action(one("sagemaker:*"))
            .resource(one("arn:aws:sagemaker:*:*:flow-definition/*")),
    );
    assert_eq!(
        summary(&findings),
        [(
            FIELD.to_string(),
            1,
            RESOURCE_TYPE_MISMATCH.id,
            Severity::Info
        )]
    );
    let message = &findings[0].message;
    let counts: Vec<usize> = message
        .split(' ')
        .filter_map(|word| word.parse().ok())
        .collect();
    let sagemaker = super::catalogue::Catalogue::get()
        .service("sagemaker")
        .unwrap();
    assert_eq!(counts[0], sagemaker.actions().len(), "{message}");
    assert!(counts[1] > 0 && counts[1] < counts[0], "{message}");
}

#[test]
fn permissions_management_on_any_resource_is_an_error() {
    let findings = lint_statement(
        Statement::allow()
            .action(many(["s3:PutBucketPolicy", "iam:CreateRole"]))
            .resource(one("*")),
    );
    assert_eq!(
        findings,
        vec![expected(
            &PERMISSIONS_ANY_RESOURCE,
            Severity::Error,
            "s3:PutBucketPolicy, iam:CreateRole on Resource \"*\" can manage \
             permissions on every resource",
            SCOPED_FIX,
        )]
    );
}

#[test]
fn a_condition_lowers_permissions_management_to_a_warning() {
    let findings = lint_statement(
        Statement::allow()
            .action(one("iam:CreateServiceLinkedRole"))
            .resource(one("*"))
            .condition(
                "StringEquals",
                "iam:AWSServiceName",
                one("robomaker.amazonaws.com"),
            ),
    );
    assert_eq!(
        findings,
        vec![expected(
            &PERMISSIONS_ANY_RESOURCE,
            Severity::Warning,
            "iam:CreateServiceLinkedRole on Resource \"*\" can manage permissions on \
             every resource; the statement's Condition may narrow this",
            SCOPED_FIX,
        )]
    );
}

#[test]
fn write_actions_on_any_resource_are_a_warning_and_scopable_reads_info() {
    let findings = lint_statement(
        Statement::allow()
            .action(many([
                "s3:CreateBucket",
                "s3:ListAllMyBuckets",
                "ecr:Describe*",
                "ecr:GetAuthorizationToken",
                "sagemaker:*App",
            ]))
            .resource(one("*")),
    );
    assert_eq!(
        findings,
        vec![
            expected(
                &WRITE_ANY_RESOURCE,
                Severity::Warning,
                "s3:CreateBucket, sagemaker:*App (11 actions, worst Write) on Resource \"*\" can \
                 change every resource, not only the stack's",
                SCOPED_FIX,
            ),
            expected(
                &READ_ANY_RESOURCE,
                Severity::Info,
                "ecr:Describe* (8 actions, worst Read) on Resource \"*\" can read every \
                 resource, though AWS lets these actions be scoped to resources",
                SCOPED_FIX,
            ),
        ]
    );
}

#[test]
fn write_actions_on_a_service_wide_arn_are_a_warning() {
    let findings = lint_statement(
        Statement::allow()
            .action(one("codepipeline:StartPipelineExecution"))
            .resource(one("arn:aws:codepipeline:*:*:*")),
    );
    assert_eq!(
        findings,
        vec![expected(
            &WRITE_ANY_RESOURCE,
            Severity::Warning,
            "codepipeline:StartPipelineExecution on Resource \"arn:aws:codepipeline:*:*:*\" \
             can change every resource, not only the stack's",
            SCOPED_FIX,
        )]
    );
}

#[test]
fn deny_statements_are_not_grants() {
    let findings = lint_statement(
        Statement::deny()
            .any_principal()
            .action(one("s3:*"))
            .not_resource(one("*")),
    );
    assert_eq!(findings, vec![]);
}

#[test]
fn allow_with_not_resource_is_a_warning() {
    let findings = lint_statement(
        Statement::allow()
            .action(one("sagemaker:DescribeDomain"))
            .not_resource(many(["arn:aws:sagemaker:*:*:domain/*"])),
    );
    assert_eq!(
        findings,
        vec![expected(
            &ALLOW_NOT_RESOURCE,
            Severity::Warning,
            "Allow with NotResource grants its actions on every resource except the 1 \
             listed, including resources created later",
            "list the resources in Resource instead; to carve out exceptions, add a Deny \
             statement",
        )]
    );
}

#[test]
fn allow_with_not_action_is_a_warning() {
    let findings = lint_statement(
        Statement::allow()
            .not_action(many(["iam:*", "organizations:*"]))
            .resource(one("arn:aws:s3:::bucket")),
    );
    assert_eq!(
        findings,
        vec![expected(
            &ALLOW_NOT_ACTION,
            Severity::Warning,
            "Allow with NotAction grants every action of every service except the 2 \
             listed, including actions AWS adds later",
            "list the actions in Action instead; to carve out exceptions, add a Deny \
             statement",
        )]
    );
}

#[test]
fn a_resource_listed_twice_is_a_warning() {
    let findings = lint_statement(
        Statement::allow()
            .action(one("s3:GetObject"))
            .resource(many(["arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/*"])),
    );
    assert_eq!(
        findings,
        vec![expected(
            &DUPLICATE_RESOURCE,
            Severity::Warning,
            "\"arn:aws:s3:::bucket/*\" is listed twice in Resource",
            "remove the repeated value, or replace it with the resource that was meant \
             (a bucket is arn:aws:s3:::NAME, its objects arn:aws:s3:::NAME/*)",
        )]
    );
}

#[test]
fn an_action_listed_twice_ignoring_case_is_a_warning() {
    let findings = lint_statement(
        Statement::allow()
            .action(many(["s3:GetObject", "s3:getobject", "s3:GETOBJECT"]))
            .resource(one("arn:aws:s3:::bucket/*")),
    );
    assert_eq!(
        findings,
        vec![expected(
            &DUPLICATE_ACTION,
            Severity::Warning,
            "\"s3:GetObject\" is listed 3 times in Action",
            "remove the repeated action",
        )]
    );
}

#[test]
fn an_arn_with_too_few_parts_is_malformed() {
    let findings = lint_statement(
        Statement::allow()
            .action(one("logs:PutLogEvents"))
            .resource(one("arn:aws:logs:*")),
    );
    assert_eq!(
        findings,
        vec![expected(
            &ARN_MALFORMED,
            Severity::Error,
            "\"arn:aws:logs:*\" has 4 colon-separated parts; an ARN has at least 6 \
             (arn:partition:service:region:account:resource)",
            "write all six parts, arn:partition:service:region:account:resource, with * \
             for any region or account (e.g. \"arn:aws:logs:*:*:*\"), then narrow the \
             resource part to the stack's own resources",
        )]
    );
}

#[test]
fn a_resource_that_is_not_an_arn_is_malformed_and_interpolations_are_skipped() {
    let findings = lint_statement(
        Statement::allow()
            .action(one("s3:GetObject"))
            .resource(many([
                "s3:::bucket",
                "${aws_s3_bucket.artifacts_bucket.arn}",
            ])),
    );
    assert_eq!(
        findings,
        vec![expected(
            &ARN_MALFORMED,
            Severity::Error,
            "\"s3:::bucket\" is neither \"*\" nor an ARN \
             (arn:partition:service:region:account:resource)",
            "write \"*\" or a full ARN, arn:partition:service:region:account:resource",
        )]
    );
    let empty_service = lint_statement(
        Statement::allow()
            .action(one("s3:GetObject"))
            .resource(one("arn:aws::::bucket")),
    );
    assert_eq!(
        empty_service[0].message,
        "\"arn:aws::::bucket\" has an empty service"
    );
}

#[test]
fn a_resource_type_in_the_wrong_case_is_an_error() {
    let findings = lint_statement(
        Statement::allow()
            .action(one("states:StartExecution"))
            .resource(one("arn:aws:states:*:*:statemachine:*sagemaker*")),
    );
    assert_eq!(
        findings,
        vec![expected(
            &ARN_RESOURCE_TYPE_CASE,
            Severity::Error,
            "\"arn:aws:states:*:*:statemachine:*sagemaker*\" has resource type \
             \"statemachine\", but states spells it \"stateMachine\" and ARNs match \
             case-sensitively, so this resource matches nothing",
            "did you mean stateMachine? write \
             \"arn:aws:states:*:*:stateMachine:*sagemaker*\"",
        )]
    );
}

#[test]
fn an_unknown_resource_type_is_a_warning() {
    let findings = lint_statement(
        Statement::allow()
            .action(one("ecr:PutImage"))
            .resource(one("arn:aws:ecr:*:*:repo/sagemaker-*")),
    );
    assert_eq!(
        findings,
        vec![expected(
            &ARN_RESOURCE_TYPE_UNKNOWN,
            Severity::Warning,
            "\"arn:aws:ecr:*:*:repo/sagemaker-*\" has resource type \"repo\", which is not \
             a ecr resource type in AWS's catalogue",
            "use one of: repository",
        )]
    );
}

#[test]
fn untyped_services_and_wildcard_types_are_not_judged() {
    let findings = lint_statement(
        Statement::allow()
            .action(many(["sns:Publish", "states:DescribeExecution"]))
            .resource(many([
                "arn:aws:sns:us-east-1:123456789012:topic:with:colons",
                "arn:aws:states:us-east-1:123456789012:*:name",
                "arn:aws:logs:us-east-1:*:log-group:/aws/x:log-stream:*",
            ])),
    );
    assert_eq!(findings, vec![]);
}

#[test]
fn interpolations_are_checked_once_resolved() {
    let document = PolicyDocument::new(vec![
        Statement::allow()
            .action(one("states:StartExecution"))
            .resource(many([
                "arn:aws:states:${var.region}:*:statemachine:x",
                "arn:aws:states:${var.unknown}:*:statemachine:y",
            ])),
    ]);
    let policies = [PolicyRef {
        field: FIELD.to_string(),
        kind: PolicyKind::Identity,
        document: &document,
        limit: crate::stack::SizeLimit::MANAGED_POLICY,
        star_is_this_resource: false,
    }];
    let region = |path: &[String]| (path == ["var", "region"]).then(|| "eu-west-1".to_string());
    let findings = lint_policies(&policies, &|expr| expr.evaluate_string(&region));
    assert_eq!(
        findings
            .iter()
            .map(|finding| finding.fix.as_str())
            .collect::<Vec<_>>(),
        ["did you mean stateMachine? write \"arn:aws:states:eu-west-1:*:stateMachine:x\""]
    );
}

fn trust_and_identity(trusted: Values, passed: Statement) -> Vec<Finding> {
    lint_documents(&[
        (
            PolicyKind::Trust,
            PolicyDocument::new(vec![
                Statement::allow()
                    .action(one("sts:AssumeRole"))
                    .principal("Service", trusted),
            ]),
        ),
        (PolicyKind::Identity, PolicyDocument::new(vec![passed])),
    ])
}

#[test]
fn a_trusted_service_no_passrole_names_is_a_warning() {
    let findings = trust_and_identity(
        many(["sagemaker.amazonaws.com", "lambda.amazonaws.com"]),
        Statement::allow()
            .action(one("iam:PassRole"))
            .resource(one("arn:aws:iam::*:role/tf-mlops-role"))
            .condition(
                "StringEquals",
                "iam:PassedToService",
                one("sagemaker.amazonaws.com"),
            ),
    );
    assert_eq!(
        findings,
        vec![Finding {
            field: "aws_iam_role.test.assume_role_policy".to_string(),
            ..expected(
                &TRUSTED_SERVICE_UNUSED,
                Severity::Warning,
                "the role trusts lambda.amazonaws.com, but no iam:PassRole statement of the \
                 stack names it in iam:PassedToService, so nothing hands the role to it",
                "remove \"lambda.amazonaws.com\" from Principal.Service, or add it to the \
                 iam:PassedToService condition of the PassRole statement if the stack runs \
                 something on it",
            )
        }]
    );
}

#[test]
fn passed_to_service_patterns_count_and_other_actions_do_not() {
    let like = trust_and_identity(
        one("codebuild.amazonaws.com"),
        Statement::allow()
            .action(one("iam:PassRole"))
            .resource(one("arn:aws:iam::*:role/x"))
            .condition(
                "StringLike",
                "iam:PassedToService",
                one("code*.amazonaws.com"),
            ),
    );
    assert_eq!(like, vec![]);
    let unrelated = trust_and_identity(
        one("codebuild.amazonaws.com"),
        Statement::allow()
            .action(one("codebuild:StartBuild"))
            .resource(one("arn:aws:codebuild:*:*:project/x"))
            .condition(
                "StringEquals",
                "iam:PassedToService",
                one("codebuild.amazonaws.com"),
            ),
    );
    assert_eq!(
        unrelated
            .iter()
            .map(|finding| finding.rule)
            .collect::<Vec<_>>(),
        [TRUSTED_SERVICE_UNUSED.id]
    );
}

#[test]
fn actions_take_their_access_level_from_the_catalogue() {
    let level = |action| granted(action).worst_level();
    assert_eq!(level("ecr:Describe*"), Some(AccessLevel::Read));
    assert_eq!(level("s3:getobject"), Some(AccessLevel::Read));
    assert_eq!(level("codebuild:BatchGetBuilds"), Some(AccessLevel::Read));
    assert_eq!(level("codecommit:GitPull"), Some(AccessLevel::Read));
    assert_eq!(level("codecommit:GitPush"), Some(AccessLevel::Write));
    assert_eq!(level("sagemaker:*App"), Some(AccessLevel::Write));
    assert_eq!(level("sns:Subscribe"), Some(AccessLevel::Write));
    assert_eq!(level("iam:TagRole"), Some(AccessLevel::Tagging));
    assert_eq!(
        level("s3:PutObjectAcl"),
        Some(AccessLevel::PermissionsManagement)
    );
    assert_eq!(level("*"), None);
    assert_eq!(level("sagemaker:*"), None);
    assert_eq!(level("nonsense"), None);
}

#[test]
fn an_unknown_action_is_an_error_with_the_closest_real_name() {
    let findings = lint_statement(
        Statement::allow()
            .action(many([
                "s3:GetObjet",
                "sagemakr:CreateModel",
                "sagemaker:Frob*",
            ]))
            .resource(one("arn:aws:s3:::bucket/*")),
    );
    let found: Vec<(&str, &str, &str)> = findings
        .iter()
        .map(|finding| (finding.rule, finding.message.as_str(), finding.fix.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (
                ACTION_UNKNOWN.id,
                "\"s3:GetObjet\" is not a s3 action",
                "did you mean s3:GetObject? write \"s3:GetObject\""
            ),
            (
                ACTION_UNKNOWN.id,
                "\"sagemakr:CreateModel\" names service \"sagemakr\", which AWS does not have",
                "did you mean sagemaker? write \"sagemaker:CreateModel\""
            ),
            (
                ACTION_UNKNOWN.id,
                "\"sagemaker:Frob*\" matches no sagemaker action",
                "correct the pattern; sagemaker actions are listed in the Service \
                 Authorization Reference"
            ),
        ]
    );
}

#[test]
fn a_wildcard_is_expanded_to_count_what_it_grants() {
    let findings = lint_statement(
        Statement::allow()
            .action(one("sagemaker:*App"))
            .resource(one("*")),
    );
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].rule, WRITE_ANY_RESOURCE.id);
    assert!(
        findings[0]
            .message
            .starts_with("sagemaker:*App (11 actions, worst Write) on Resource \"*\""),
        "{}",
        findings[0].message
    );
}

#[test]
fn reads_on_every_resource_are_info_unless_the_action_accepts_only_star() {
    let findings = lint_statement(
        Statement::allow()
            .action(many(["s3:GetObject", "ecr:GetAuthorizationToken"]))
            .resource(one("*")),
    );
    assert_eq!(
        findings,
        vec![expected(
            &READ_ANY_RESOURCE,
            Severity::Info,
            "s3:GetObject on Resource \"*\" can read every resource, though AWS lets these \
             actions be scoped to resources",
            SCOPED_FIX,
        )]
    );
}

#[test]
fn an_action_granted_on_a_resource_type_it_does_not_take_is_a_warning() {
    let findings = lint_statement(
        Statement::allow()
            .action(many(["states:StartExecution", "states:DescribeExecution"]))
            .resource(one("arn:aws:states:*:*:execution:machine:*")),
    );
    assert_eq!(
        findings,
        vec![expected(
            &RESOURCE_TYPE_MISMATCH,
            Severity::Warning,
            "states:StartExecution takes statemachine resources, and no Resource of the \
             statement is one, so it is granted on nothing",
            "list in Resource an ARN of the form \
             arn:${Partition}:states:${Region}:${Account}:stateMachine:${StateMachineName}",
        )]
    );
    let star_only = lint_statement(
        Statement::allow()
            .action(one("ecr:GetAuthorizationToken"))
            .resource(one("arn:aws:ecr:*:*:repository/x")),
    );
    assert_eq!(
        star_only[0].message,
        "ecr:GetAuthorizationToken accepts only Resource \"*\", and no Resource of the \
         statement is one, so it is granted on nothing"
    );
}

#[test]
fn an_unknown_condition_key_of_a_service_is_a_warning() {
    let findings = lint_statement(
        Statement::allow()
            .action(one("iam:PassRole"))
            .resource(one("arn:aws:iam::*:role/x"))
            .condition(
                "StringEquals",
                "iam:PassedToServices",
                one("sagemaker.amazonaws.com"),
            )
            .condition("StringEquals", "aws:PrincipalTag/team", one("ml")),
    );
    assert_eq!(
        findings,
        vec![expected(
            &CONDITION_KEY_UNKNOWN,
            Severity::Warning,
            "condition key \"iam:PassedToServices\" is not one iam defines, so the condition \
             never matches (or, with IfExists, never applies)",
            "did you mean iam:PassedToService?",
        )]
    );
}

#[test]
fn wildcard_patterns_intersect_when_some_text_matches_both() {
    assert!(globs_intersect(
        "arn:*:states:*:*:stateMachine:*",
        "arn:aws:states:*:*:stateMachine:*x*"
    ));
    assert!(globs_intersect("a*", "*b"));
    assert!(!globs_intersect("arn:*:s3:::*", "arm:*"));
    assert!(!globs_intersect("abc", "abd"));
    assert!(globs_intersect("a?c", "abc"));
}

#[test]
fn glob_matching_follows_iam_wildcards() {
    assert!(glob_matches("iam:pass*", "iam:passrole"));
    assert!(glob_matches("*", "anything"));
    assert!(glob_matches("*.amazonaws.com", "glue.amazonaws.com"));
    assert!(glob_matches("a?c*d", "abcxxd"));
    assert!(!glob_matches("iam:get*", "iam:passrole"));
    assert!(!glob_matches("a*b", "aXbY"));
}

fn stack_of(name: &str) -> Stack {
    let config = Config::built_in();
    Stack::build(config.environment(name).unwrap())
}

/// `(field, statement, rule, severity)` of each finding.
fn summary(findings: &[Finding]) -> Vec<(String, usize, &'static str, Severity)> {
    findings
        .iter()
        .map(|finding| {
            (
                finding.field.clone(),
                finding.statement,
                finding.rule,
                finding.severity,
            )
        })
        .collect()
}

#[test]
fn seed_reports_every_defect_of_the_reference_at_its_statement() {
    let stack = stack_of("dev");
    let findings = lint_stack(&stack);
    let trust = "aws_iam_role.tf_mlops_role.assume_role_policy".to_string();
    let policy = "aws_iam_policy.tf_mlops_policy.policy".to_string();
    let unused_services = [
        "firehose.amazonaws.com",
        "apigateway.amazonaws.com",
        "lambda.amazonaws.com",
        "events.amazonaws.com",
        "cloudformation.amazonaws.com",
        "codebuild.amazonaws.com",
        "codepipeline.amazonaws.com",
        "codecommit.amazonaws.com",
    ];
    let mut want: Vec<(String, usize, &str, Severity)> = unused_services
        .iter()
        .map(|_| {
            (
                trust.clone(),
                1,
                TRUSTED_SERVICE_UNUSED.id,
                Severity::Warning,
            )
        })
        .collect();
    want.extend([
        (policy.clone(), 1, WRITE_ANY_RESOURCE.id, Severity::Warning),
        (policy.clone(), 2, PASSROLE_ANY_RESOURCE.id, Severity::Error),
        (
            policy.clone(),
            3,
            SERVICE_WILDCARD_ALL_RESOURCES.id,
            Severity::Error,
        ),
        (policy.clone(), 3, DUPLICATE_RESOURCE.id, Severity::Warning),
        (policy.clone(), 4, ARN_MALFORMED.id, Severity::Error),
        (policy.clone(), 5, WRITE_ANY_RESOURCE.id, Severity::Warning),
        (
            policy.clone(),
            7,
            SERVICE_WILDCARD_ALL_RESOURCES.id,
            Severity::Error,
        ),
        (policy.clone(), 7, ALLOW_NOT_RESOURCE.id, Severity::Warning),
        (policy.clone(), 8, WRITE_ANY_RESOURCE.id, Severity::Warning),
        (policy.clone(), 8, READ_ANY_RESOURCE.id, Severity::Info),
        (policy.clone(), 9, RESOURCE_TYPE_MISMATCH.id, Severity::Info),
        (
            policy.clone(),
            12,
            ARN_RESOURCE_TYPE_CASE.id,
            Severity::Error,
        ),
        (policy.clone(), 14, READ_ANY_RESOURCE.id, Severity::Info),
        (policy.clone(), 15, WRITE_ANY_RESOURCE.id, Severity::Warning),
        (policy.clone(), 15, READ_ANY_RESOURCE.id, Severity::Info),
        (policy.clone(), 17, READ_ANY_RESOURCE.id, Severity::Info),
        (
            policy.clone(),
            20,
            PERMISSIONS_ANY_RESOURCE.id,
            Severity::Warning,
        ),
    ]);
    assert_eq!(summary(&findings), want);

    let message = |statement: usize, rule: &Rule| -> &str {
        let finding = findings
            .iter()
            .find(|finding| finding.statement == statement && finding.rule == rule.id)
            .unwrap();
        &finding.message
    };
    assert_eq!(
        message(2, &PASSROLE_ANY_RESOURCE),
        "iam:PassRole on Resource \"*\" lets the role pass any role to any service"
    );
    assert_eq!(
        message(3, &SERVICE_WILDCARD_ALL_RESOURCES),
        "s3:* on Resource \"arn:aws:s3:::*\" grants every s3 action on every resource"
    );
    assert_eq!(
        message(3, &DUPLICATE_RESOURCE),
        "\"arn:aws:s3:::*\" is listed twice in Resource"
    );
    assert_eq!(
        message(4, &ARN_MALFORMED),
        "\"arn:aws:logs:*\" has 4 colon-separated parts; an ARN has at least 6 \
         (arn:partition:service:region:account:resource)"
    );
    assert_eq!(
        message(7, &SERVICE_WILDCARD_ALL_RESOURCES),
        "sagemaker:* with NotResource grants every sagemaker action on every resource \
         except the 4 listed"
    );
    assert!(message(12, &ARN_RESOURCE_TYPE_CASE).contains("\"stateMachine\""));
    let unused: Vec<&str> = findings
        .iter()
        .filter(|finding| finding.rule == TRUSTED_SERVICE_UNUSED.id)
        .map(|finding| finding.message.as_str())
        .collect();
    let want_unused: Vec<String> = unused_services
        .iter()
        .map(|service| {
            format!(
                "the role trusts {service}, but no iam:PassRole statement of the stack names \
                 it in iam:PassedToService, so nothing hands the role to it"
            )
        })
        .collect();
    assert_eq!(unused, want_unused);
}

#[test]
fn hardened_has_no_findings() {
    let stack = stack_of("prod");
    assert_eq!(stack.profile, crate::stack::Profile::Hardened);
    assert_eq!(lint_stack(&stack), vec![]);
}

#[test]
fn every_rule_has_a_unique_id() {
    let mut ids: Vec<&str> = RULES.iter().map(|rule| rule.id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), RULES.len());
}

/// Tests of what the stack says about its roles and resources: stacks
/// assembled from the resource types, on top of the seed and hardened
/// foundations.
mod stack_context {
    use super::*;
    use crate::stack::StackItem;
    use crate::stack::resources::{
        BuildEnvironment, BuildspecSource, CodeBuildProject, EventTarget, IamPolicy, IamRole,
    };

    fn build_running_as(label: &str, role: Expr, handed_on: Option<Expr>) -> CodeBuildProject {
        CodeBuildProject {
            label: label.into(),
            name: Expr::interpolated(&format!("sagemaker-${{var.project_name}}-{label}")),
            description: "test build".into(),
            service_role: role,
            build_timeout: 60,
            environment: BuildEnvironment {
                compute_type: "BUILD_GENERAL1_SMALL",
                image: "aws/codebuild/amazonlinux2-x86_64-standard:3.0",
                variables: handed_on
                    .map(|role| vec![("SAGEMAKER_PIPELINE_ROLE_ARN", role)])
                    .unwrap_or_default(),
            },
            buildspec: BuildspecSource::File("buildspec.yml"),
            encryption_key: None,
            log_group: None,
            tags: Vec::new(),
            spelled_out: None,
        }
    }

    fn role_trusting(label: &str, services: &[&str]) -> IamRole {
        let mut role = IamRole::reference(PolicyDocument::new(vec![
            Statement::allow().action(one("sts:AssumeRole")).principal(
                "Service",
                Values::Many(services.iter().map(|s| Expr::from(*s)).collect()),
            ),
        ]));
        role.label = label.into();
        role.name = Expr::interpolated(&format!("{label}-${{var.env}}"));
        role
    }

    fn rules_of<'a>(findings: &'a [Finding], rule: &Rule) -> Vec<&'a Finding> {
        findings.iter().filter(|f| f.rule == rule.id).collect()
    }

    #[test]
    fn a_build_running_as_the_seed_role_makes_codebuild_a_user_of_it() {
        let mut stack = stack_of("dev");
        let before = lint_stack(&stack);
        let role = stack
            .item::<IamRole>("aws_iam_role.tf_mlops_role")
            .unwrap()
            .reference_to("arn");
        stack
            .items
            .push(Box::new(build_running_as("build", role, None)));
        let after = lint_stack(&stack);
        let unused = |findings: &[Finding]| -> Vec<String> {
            rules_of(findings, &TRUSTED_SERVICE_UNUSED)
                .iter()
                .map(|f| f.message.clone())
                .collect()
        };
        let codebuild = |messages: &[String]| {
            messages
                .iter()
                .any(|m| m.contains("codebuild.amazonaws.com"))
        };
        assert!(codebuild(&unused(&before)));
        assert!(!codebuild(&unused(&after)));
        assert_eq!(unused(&after).len(), unused(&before).len() - 1);
    }

    #[test]
    fn a_service_the_role_does_not_trust_is_an_error_naming_the_argument() {
        let mut stack = stack_of("prod");
        let role = role_trusting("events_only", &["events.amazonaws.com"]);
        let arn = role.reference_to("arn");
        stack.items.push(Box::new(role));
        stack.items.push(Box::new(EventTarget {
            label: "start".into(),
            rule: Expr::from("rule"),
            target_id: "start".into(),
            arn: Expr::from("arn:aws:codepipeline:us-east-1:123456789012:p"),
            role_arn: arn.clone(),
        }));
        stack
            .items
            .push(Box::new(build_running_as("build", arn.clone(), Some(arn))));
        let findings = lint_stack(&stack);
        let untrusted: Vec<&str> = rules_of(&findings, &ROLE_USER_UNTRUSTED)
            .iter()
            .map(|f| f.message.as_str())
            .collect();
        assert_eq!(
            untrusted,
            [
                "aws_codebuild_project.build.service_role runs as the role in \
                 codebuild.amazonaws.com, which the trust policy does not let assume the role, \
                 so codebuild.amazonaws.com fails when it first uses it",
                "aws_codebuild_project.build.environment.environment_variable.\
                 SAGEMAKER_PIPELINE_ROLE_ARN hands the role on to sagemaker.amazonaws.com, which \
                 the trust policy does not let assume the role, so sagemaker.amazonaws.com fails \
                 when it first uses it",
            ]
        );
        assert!(findings.iter().all(
            |f| f.field.starts_with("aws_iam_role.") || f.field.starts_with("aws_iam_policy.")
        ));
        assert!(rules_of(&findings, &ROLE_UNUSED).is_empty());
        assert!(rules_of(&findings, &TRUSTED_SERVICE_UNUSED).is_empty());
    }

    #[test]
    fn a_role_nothing_uses_is_reported_once() {
        let mut stack = stack_of("prod");
        stack.items.push(Box::new(role_trusting(
            "idle",
            &["lambda.amazonaws.com", "firehose.amazonaws.com"],
        )));
        let findings = lint_stack(&stack);
        let unused = rules_of(&findings, &ROLE_UNUSED);
        assert_eq!(unused.len(), 1);
        assert_eq!(unused[0].field, "aws_iam_role.idle.assume_role_policy");
        assert_eq!(
            unused[0].message,
            "no resource of the stack runs as aws_iam_role.idle and no iam:PassRole statement \
             hands it to a service it trusts, so nothing uses the role"
        );
        assert!(rules_of(&findings, &TRUSTED_SERVICE_UNUSED).is_empty());
    }

    fn prod_with_grant(resources: Values) -> Vec<Finding> {
        let mut stack = stack_of("prod");
        let policy = stack
            .item_mut::<IamPolicy>("aws_iam_policy.tf_mlops_policy")
            .unwrap();
        policy.document.statements.push(
            Statement::allow()
                .sid("Extra")
                .action(one("s3:GetObject"))
                .resource(resources),
        );
        lint_stack(&stack)
            .into_iter()
            .filter(|f| f.rule == ARN_OUTSIDE_STACK.id)
            .collect()
    }

    #[test]
    fn a_grant_on_a_bucket_the_stack_does_not_create_is_a_warning() {
        let findings = prod_with_grant(many([
            "${aws_s3_bucket.artifacts_bucket.arn}/*",
            "arn:aws:s3:::someone-elses-bucket/data.csv",
            "arn:aws:s3:::*sagemaker*",
        ]));
        assert_eq!(findings.len(), 1, "{findings:#?}");
        assert_eq!(findings[0].severity, Severity::Warning);
        assert_eq!(
            findings[0].message,
            "\"arn:aws:s3:::someone-elses-bucket/data.csv\" names a s3 bucket the stack does not \
             create (the stack's: arn:aws:s3:::sagemaker-artifacts-pipeline-18345-prod)"
        );
        assert_eq!(
            findings[0].fix,
            "refer to the stack's s3 bucket (its .arn), or remove the grant"
        );
    }

    #[test]
    fn a_grant_in_another_account_is_a_warning_and_run_time_names_are_fine() {
        let findings = prod_with_grant(many([
            "arn:aws:s3:::sagemaker-artifacts-pipeline-18345-prod",
            "arn:aws:iam::999999999999:role/admin",
            "arn:aws:sagemaker:${var.region}:${data.aws_caller_identity.current.account_id}:pipeline/${var.project_name}",
        ]));
        let messages: Vec<&str> = findings.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "\"arn:aws:iam::999999999999:role/admin\" is in account 999999999999, not the \
              stack's, so it names no resource of the stack"
            ]
        );
    }

    #[test]
    fn terraform_read_from_files_has_no_stack_to_judge_arns_by() {
        let document = PolicyDocument::new(vec![
            Statement::allow()
                .action(one("s3:GetObject"))
                .resource(one("arn:aws:iam::999999999999:role/admin")),
        ]);
        let findings = lint_documents(&[(PolicyKind::Identity, document)]);
        assert!(findings.iter().all(|f| f.rule != ARN_OUTSIDE_STACK.id));
    }
}

#[test]
fn write_actions_aws_does_not_scope_by_resource_are_not_an_over_grant_on_star() {
    // cloudwatch:PutMetricData has no resource type: "*" is the only way to grant it.
    let unscopable = lint_statement(
        Statement::allow()
            .action(one("cloudwatch:PutMetricData"))
            .resource(one("*")),
    );
    assert!(unscopable.is_empty(), "{unscopable:#?}");
    let scopable = lint_statement(
        Statement::allow()
            .action(one("codepipeline:StartPipelineExecution"))
            .resource(one("*")),
    );
    assert_eq!(scopable.len(), 1, "{scopable:#?}");
    assert_eq!(scopable[0].rule, "iam-write-any-resource");
}

#[test]
fn condition_keys_with_a_name_of_the_users_choosing_are_known() {
    let statement = |key: &str| {
        Statement::allow()
            .action(one("kms:Decrypt"))
            .resource(one("arn:aws:kms:us-east-1:123456789012:key/abc"))
            .condition(
                "ArnEquals",
                key,
                one("arn:aws:logs:us-east-1:123456789012:log-group:x"),
            )
    };
    let known = lint_statement(statement("kms:EncryptionContext:aws:logs:arn"));
    assert!(known.is_empty(), "{known:#?}");
    let typo = lint_statement(statement("kms:EncryptionContxt:aws:logs:arn"));
    assert_eq!(typo.len(), 1, "{typo:#?}");
    assert_eq!(typo[0].rule, "iam-condition-key-unknown");
}

#[test]
fn in_a_key_policy_star_is_the_key_itself() {
    let document = PolicyDocument::new(vec![
        Statement::allow()
            .principal("AWS", one("arn:aws:iam::123456789012:root"))
            .action(one("kms:*"))
            .resource(one("*")),
    ]);
    let lint = |star_is_this_resource: bool| {
        let policies = [PolicyRef {
            field: "aws_kms_key.k.policy".to_string(),
            kind: PolicyKind::Resource,
            document: &document,
            limit: crate::stack::SizeLimit::KEY_POLICY,
            star_is_this_resource,
        }];
        lint_policies(&policies, &literal)
    };
    assert!(lint(true).is_empty(), "{:#?}", lint(true));
    assert!(
        lint(false)
            .iter()
            .any(|finding| finding.rule == "iam-service-wildcard-all-resources")
    );
}
