//! Unit tests of the semantic diff: what is a change and what is only
//! spelling, and how statements are matched.

use super::*;
use crate::model::Block;
use crate::policy::{PolicyDocument, Statement, many, one};

fn role(policy: &PolicyDocument) -> Document {
    Document::new(vec![
        Block::new("resource", &["aws_iam_role", "role"])
            .attr("name", "role")
            .attr("assume_role_policy", policy.to_jsonencode()),
    ])
}

fn lines(change: &StatementChange) -> Vec<String> {
    change
        .lines
        .iter()
        .map(|line| format!("{} {} {}", line.sign.mark(), line.field, line.value))
        .collect()
}

/// Each statement's kind of change and label, in report order.
fn summary(change: &PolicyChange) -> Vec<(Change, &str)> {
    change
        .statements
        .iter()
        .map(|statement| (statement.change, statement.label.as_str()))
        .collect()
}

fn policy_changes(old: &PolicyDocument, new: &PolicyDocument) -> Vec<PolicyChange> {
    let comparison = compare("old", &role(old), "new", &role(new));
    comparison
        .changes
        .into_iter()
        .flat_map(|change| {
            assert!(change.attributes.is_empty(), "{:?}", change.attributes);
            change.policies
        })
        .collect()
}

fn logs() -> Statement {
    Statement::allow()
        .action(many(["logs:CreateLogGroup", "logs:PutLogEvents"]))
        .resource(one("arn:aws:logs:*"))
}

fn pass_role() -> Statement {
    Statement::allow()
        .sid("PassRole")
        .action(one("iam:PassRole"))
        .resource(one("${aws_iam_role.role.arn}"))
        .condition(
            "StringEquals",
            "iam:PassedToService",
            one("sagemaker.amazonaws.com"),
        )
}

#[test]
fn one_action_added_is_exactly_that() {
    let old = PolicyDocument::new(vec![pass_role(), logs()]);
    let new = PolicyDocument::new(vec![
        pass_role(),
        Statement::allow()
            .action(many([
                "logs:CreateLogGroup",
                "logs:DescribeLogStreams",
                "logs:PutLogEvents",
            ]))
            .resource(one("arn:aws:logs:*")),
    ]);
    let changes = policy_changes(&old, &new);
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].attribute, "assume_role_policy");
    assert_eq!(changes[0].statements.len(), 1);
    let statement = &changes[0].statements[0];
    assert_eq!(
        (statement.change, statement.label.as_str()),
        (Change::Changed, "#2")
    );
    assert_eq!(lines(statement), ["+ Action logs:DescribeLogStreams"]);
}

#[test]
fn reordering_and_list_spelling_are_not_changes() {
    let old = PolicyDocument::new(vec![pass_role(), logs()]);
    let reordered = PolicyDocument::new(vec![
        Statement::allow()
            .action(many(["logs:PutLogEvents", "logs:CreateLogGroup"]))
            .resource(many(["arn:aws:logs:*", "arn:aws:logs:*"])),
        Statement::allow()
            .sid("PassRole")
            .action(many(["iam:PassRole"]))
            .resource(one("${aws_iam_role.role.arn}"))
            .condition(
                "StringEquals",
                "iam:PassedToService",
                many(["sagemaker.amazonaws.com"]),
            ),
    ]);
    assert!(policy_changes(&old, &reordered).is_empty());
}

#[test]
fn a_policy_as_json_text_equals_its_jsonencode() {
    let policy = PolicyDocument::new(vec![logs()]);
    let text = crate::render::jsonencode::jsonencode(&policy.to_expr()).unwrap();
    let as_text = Document::new(vec![
        Block::new("resource", &["aws_iam_role", "role"])
            .attr("assume_role_policy", text.as_str())
            .attr("name", "role"),
    ]);
    assert!(compare("a", &role(&policy), "b", &as_text).is_empty());
}

#[test]
fn statements_match_by_sid_first_and_never_across_two_sids() {
    let old = PolicyDocument::new(vec![
        Statement::allow()
            .sid("Logs")
            .action(one("logs:PutLogEvents"))
            .resource(one("*")),
        Statement::allow()
            .sid("Other")
            .action(one("logs:CreateLogGroup"))
            .resource(one("*")),
    ]);
    let new = PolicyDocument::new(vec![
        Statement::allow()
            .sid("Renamed")
            .action(one("logs:PutLogEvents"))
            .resource(one("arn:aws:logs:*")),
        Statement::allow()
            .sid("Other")
            .action(one("logs:CreateLogGroup"))
            .resource(one("arn:aws:logs:*")),
    ]);
    let changes = policy_changes(&old, &new);
    assert_eq!(
        summary(&changes[0]),
        [
            (Change::Changed, "Other"),
            (Change::Added, "Renamed"),
            (Change::Removed, "Logs"),
        ]
    );
    assert_eq!(
        lines(&changes[0].statements[0]),
        ["- Resource *", "+ Resource arn:aws:logs:*"]
    );
}

#[test]
fn a_pure_sid_rename_is_one_changed_statement() {
    let old = PolicyDocument::new(vec![logs().sid("Old")]);
    let new = PolicyDocument::new(vec![logs().sid("New")]);
    let changes = policy_changes(&old, &new);
    let statement = &changes[0].statements[0];
    assert_eq!(statement.label, "Old → New");
    assert_eq!(lines(statement), ["- Sid Old", "+ Sid New"]);
}

#[test]
fn best_overlap_pairs_statements_of_the_same_service_only() {
    let old = PolicyDocument::new(vec![
        Statement::allow()
            .action(one("iam:PassRole"))
            .resource(one("*")),
        Statement::allow()
            .action(many(["s3:GetObject", "s3:PutObject"]))
            .resource(one("*")),
    ]);
    let new = PolicyDocument::new(vec![
        Statement::allow()
            .action(many(["s3:GetObject"]))
            .resource(one("arn:aws:s3:::bucket/*")),
        Statement::allow()
            .action(one("ecr:GetAuthorizationToken"))
            .resource(one("*")),
    ]);
    let changes = policy_changes(&old, &new);
    assert_eq!(
        summary(&changes[0]),
        [
            (Change::Changed, "#2 → #1"),
            (Change::Added, "#2"),
            (Change::Removed, "#1"),
        ]
    );
    assert_eq!(
        lines(&changes[0].statements[0]),
        [
            "- Action s3:PutObject",
            "- Resource *",
            "+ Resource arn:aws:s3:::bucket/*"
        ]
    );
}

#[test]
fn attributes_nested_blocks_and_whole_blocks() {
    let bucket = |algorithm: &str, days: i64| {
        Block::new(
            "resource",
            &["aws_s3_bucket_lifecycle_configuration", "bucket"],
        )
        .attr("bucket", Expr::reference("aws_s3_bucket.bucket.id"))
        .block(
            Block::new("rule", &[])
                .attr("id", "one")
                .attr("days", days)
                .block(Block::new("filter", &[])),
        )
        .block(Block::new("rule", &[]).attr("id", algorithm))
    };
    let old = Document::new(vec![
        bucket("a", 7),
        Block::new("variable", &["env"]).attr("default", "dev"),
    ]);
    let new = Document::new(vec![
        Block::new("output", &["name"]).attr("value", Expr::reference("var.env")),
        bucket("b", 7),
    ]);
    let comparison = compare("old", &old, "new", &new);
    let summary: Vec<(&str, Change)> = comparison
        .changes
        .iter()
        .map(|change| (change.address.as_str(), change.change))
        .collect();
    assert_eq!(
        summary,
        [
            (
                "aws_s3_bucket_lifecycle_configuration.bucket",
                Change::Changed
            ),
            ("var.env", Change::Removed),
            ("output.name", Change::Added),
        ]
    );
    assert_eq!(
        comparison.changes[0].attributes,
        [AttributeChange {
            name: "rule[1].id".into(),
            old: Some("\"a\"".into()),
            new: Some("\"b\"".into()),
        }]
    );
    assert_eq!(
        comparison.changes[2].attributes,
        [AttributeChange {
            name: "value".into(),
            old: None,
            new: Some("var.env".into()),
        }]
    );
    let unchanged = compare("old", &old, "new", &old);
    assert!(unchanged.is_empty());
}

#[test]
fn long_values_are_cut() {
    let long = Expr::from("x".repeat(300));
    let shown = display_value(&long);
    assert_eq!(shown.chars().count(), MAX_VALUE_WIDTH);
    assert!(shown.ends_with('…'));
    assert_eq!(
        hcl_text(&Expr::object([
            ("iam:PassedToService", Expr::from("a")),
            ("b", Expr::list([Expr::from(1), Expr::Null]))
        ])),
        r#"{ "iam:PassedToService" = "a", b = [1, null] }"#
    );
}

#[test]
fn values_are_spelled_by_the_hcl_printer() {
    // A literal `${` is not an interpolation; keywords as keys are quoted.
    assert_eq!(
        hcl_text(&Expr::from("${not.a.reference}")),
        r#""$${not.a.reference}""#
    );
    assert_eq!(template_text(&Expr::from("a${b")), "a$${b");
    assert_eq!(
        hcl_text(&Expr::object([
            ("true", Expr::from(1)),
            ("null", Expr::from(2)),
            ("for", Expr::from(3)),
        ])),
        r#"{ "true" = 1, "null" = 2, "for" = 3 }"#
    );
}

#[test]
fn a_long_string_changed_near_its_end_shows_the_change() {
    let block = |value: String| {
        Document::new(vec![
            Block::new("resource", &["aws_s3_bucket", "b"]).attr("bucket", value.as_str()),
        ])
    };
    let prefix = "x".repeat(300);
    let comparison = compare(
        "old",
        &block(format!("{prefix}OLD-END")),
        "new",
        &block(format!("{prefix}NEW-END")),
    );
    let attribute = &comparison.changes[0].attributes[0];
    let (old, new) = (
        attribute.old.clone().unwrap(),
        attribute.new.clone().unwrap(),
    );
    assert!(
        old.contains("OLD-END") && new.contains("NEW-END"),
        "{old} / {new}"
    );
    assert!(
        old.starts_with('…') && old.chars().count() <= MAX_VALUE_WIDTH,
        "{old}"
    );
}
