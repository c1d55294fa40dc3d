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
//! | `iam-allow-not-resource` | warning |
//! | `iam-allow-not-action` | warning |
//! | `iam-duplicate-resource` | warning |
//! | `iam-duplicate-action` | warning |
//! | `iam-arn-malformed` | error |
//! | `iam-arn-resource-type-case` | error |
//! | `iam-arn-resource-type-unknown` | warning |
//! | `iam-trusted-service-unused` | warning |
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
//! By the verb their name starts with, case-insensitively, because IAM has
//! no machine-readable access levels offline and a verb is easy to explain:
//!
//! * `*` and `service:*` are every action, reported only by
//!   `iam-service-wildcard-all-resources`;
//! * names starting with `Get`, `List`, `Describe`, `BatchGet`,
//!   `BatchCheck`, `Search` or `GitPull` are read;
//! * every other name is write (`Create`, `Put`, `Delete`, `Update`,
//!   `Attach`, `Pass`, `Tag`, `Upload`, `Start`, `Execute`, ... and any verb
//!   tfgen does not know: guessing "read" would hide real grants);
//! * a write is permissions management when its service is `iam`, or its
//!   name contains `Policy`, `Acl`, `Permission` or `Grant`.
//!
//! A wildcard name is classified by the text before its first `*` or `?`:
//! `ecr:Describe*` is read, `sagemaker:*App` (which matches `CreateApp` and
//! `DeleteApp`) is write. Some read actions accept only `"*"`
//! (`ecr:GetAuthorizationToken`, `s3:ListAllMyBuckets`), which is why read
//! actions on `"*"` are not reported. `iam:PassRole` has its own rule and is
//! not reported again as a write.

use std::fmt;

use serde::Serialize;

use crate::model::Expr;
use crate::policy::{Effect, PolicyKind, PrincipalValue, Scoped, Statement, Values};
use crate::stack::{PolicyRef, Stack};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum, serde::Serialize)]
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

/// A lint rule: its stable id, its severity and what it checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub id: &'static str,
    pub severity: Severity,
    pub description: &'static str,
}

pub const PASSROLE_ANY_RESOURCE: Rule = Rule {
    id: "iam-passrole-any-resource",
    severity: Severity::Error,
    description: "An Allow statement grants iam:PassRole (or a wildcard that includes it) on every \
                  resource: the role can hand any role, including more privileged ones, to a \
                  service. A Condition does not lower this: iam:PassedToService limits the \
                  services, not the roles.",
};

pub const SERVICE_WILDCARD_ALL_RESOURCES: Rule = Rule {
    id: "iam-service-wildcard-all-resources",
    severity: Severity::Error,
    description: "An Allow statement grants every action of a service (\"s3:*\", \"sagemaker:*\") \
                  or of every service (\"*\") on every resource.",
};

pub const PERMISSIONS_ANY_RESOURCE: Rule = Rule {
    id: "iam-permissions-any-resource",
    severity: Severity::Error,
    description: "An Allow statement grants permissions-management actions (any iam write, or a \
                  write whose name contains Policy, Acl, Permission or Grant) on every resource. \
                  Warning instead of error when the statement has a Condition, which may be what \
                  scopes it (iam:CreateServiceLinkedRole with iam:AWSServiceName).",
};

pub const WRITE_ANY_RESOURCE: Rule = Rule {
    id: "iam-write-any-resource",
    severity: Severity::Warning,
    description: "An Allow statement grants write actions (any action that is not read; see the \
                  classification) on every resource. Info instead of warning when the statement \
                  has a Condition.",
};

pub const ALLOW_NOT_RESOURCE: Rule = Rule {
    id: "iam-allow-not-resource",
    severity: Severity::Warning,
    description: "Allow with NotResource grants the actions on every resource except those \
                  listed, including resources and resource types created later.",
};

pub const ALLOW_NOT_ACTION: Rule = Rule {
    id: "iam-allow-not-action",
    severity: Severity::Warning,
    description: "Allow with NotAction grants every action of every service except those listed, \
                  including actions AWS adds later.",
};

pub const DUPLICATE_RESOURCE: Rule = Rule {
    id: "iam-duplicate-resource",
    severity: Severity::Warning,
    description: "The same resource is listed twice in one statement's Resource or NotResource: \
                  harmless to IAM, but usually a different resource was meant.",
};

pub const DUPLICATE_ACTION: Rule = Rule {
    id: "iam-duplicate-action",
    severity: Severity::Warning,
    description: "The same action (compared case-insensitively, as IAM does) is listed twice in \
                  one statement.",
};

pub const ARN_MALFORMED: Rule = Rule {
    id: "iam-arn-malformed",
    severity: Severity::Error,
    description: "A resource is neither \"*\" nor an ARN of at least six colon-separated parts \
                  (arn:partition:service:region:account:resource) with a partition, a service and \
                  a resource.",
};

pub const ARN_RESOURCE_TYPE_CASE: Rule = Rule {
    id: "iam-arn-resource-type-case",
    severity: Severity::Error,
    description: "An ARN's resource type matches one of the service's types only when case is \
                  ignored; ARNs match case-sensitively, so the resource matches nothing.",
};

pub const ARN_RESOURCE_TYPE_UNKNOWN: Rule = Rule {
    id: "iam-arn-resource-type-unknown",
    severity: Severity::Warning,
    description: "An ARN's resource type is not one tfgen knows for the service (only the \
                  services of this stack with typed ARNs are checked: states, sagemaker, \
                  codebuild, cloudformation, events, ecr, secretsmanager, logs, iam).",
};

pub const TRUSTED_SERVICE_UNUSED: Rule = Rule {
    id: "iam-trusted-service-unused",
    severity: Severity::Warning,
    description: "The trust policy lets a service principal assume the role, but no Allow \
                  statement granting iam:PassRole in the stack's identity policies names that \
                  service in an iam:PassedToService condition. A service acts as the role only \
                  after the role is passed to it, and a least-privilege policy says to which \
                  services; a PassRole statement without that condition names none.",
};

/// Every rule, in the order findings of one statement are reported.
pub const RULES: [Rule; 12] = [
    PASSROLE_ANY_RESOURCE,
    SERVICE_WILDCARD_ALL_RESOURCES,
    PERMISSIONS_ANY_RESOURCE,
    WRITE_ANY_RESOURCE,
    ALLOW_NOT_RESOURCE,
    ALLOW_NOT_ACTION,
    DUPLICATE_RESOURCE,
    DUPLICATE_ACTION,
    ARN_MALFORMED,
    ARN_RESOURCE_TYPE_CASE,
    ARN_RESOURCE_TYPE_UNKNOWN,
    TRUSTED_SERVICE_UNUSED,
];

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
pub fn lint_stack(stack: &Stack) -> Vec<Finding> {
    lint_policies(&stack.policies(), &|expr| stack.evaluate(expr))
}

/// Every finding of a set of policies that belong together (the trust rule
/// reads the identity policies). `resolve` gives a value's concrete text, or
/// `None` to skip it.
pub fn lint_policies(
    policies: &[PolicyRef<'_>],
    resolve: &dyn Fn(&Expr) -> Option<String>,
) -> Vec<Finding> {
    let passed_to_services = passed_to_services(policies, resolve);
    let mut findings = Vec::new();
    for policy in policies {
        for (index, statement) in policy.document.statements.iter().enumerate() {
            let checked = CheckedStatement::new(&policy.field, index, statement, resolve);
            checked.check_resource_scope(&mut findings);
            checked.check_negations(&mut findings);
            checked.check_duplicates(&mut findings);
            checked.check_arns(&mut findings);
            if policy.kind == PolicyKind::Trust {
                checked.check_trusted_services(&passed_to_services, &mut findings);
            }
        }
    }
    findings
}

/// A statement with its values resolved to text.
struct CheckedStatement<'a> {
    field: &'a str,
    index: usize,
    statement: &'a Statement,
    resolve: &'a dyn Fn(&Expr) -> Option<String>,
    actions: Vec<String>,
    resources: Vec<String>,
}

/// The resources a statement grants on, when that is every resource.
enum Unbounded {
    /// `Resource` holds this value: `"*"` or an ARN ending in `:*`.
    Resource(String),
    /// `NotResource` with this many values.
    AllExcept(usize),
}

impl Unbounded {
    /// `on Resource "*"` or `with NotResource`.
    fn written(&self) -> String {
        match self {
            Unbounded::Resource(value) => format!("on Resource \"{value}\""),
            Unbounded::AllExcept(_) => "with NotResource".to_string(),
        }
    }

    /// `every resource`, or `every resource except the 4 listed`.
    fn reach(&self, everything: &str) -> String {
        match self {
            Unbounded::Resource(_) => everything.to_string(),
            Unbounded::AllExcept(count) => format!("{everything} except the {count} listed"),
        }
    }
}

impl<'a> CheckedStatement<'a> {
    fn new(
        field: &'a str,
        index: usize,
        statement: &'a Statement,
        resolve: &'a dyn Fn(&Expr) -> Option<String>,
    ) -> Self {
        let texts = |values: Option<&Values>| -> Vec<String> {
            values
                .map(|values| values.items().iter().filter_map(resolve).collect())
                .unwrap_or_default()
        };
        CheckedStatement {
            field,
            index,
            statement,
            resolve,
            actions: texts(statement.action.as_ref().map(|action| &action.values)),
            resources: texts(statement.resource.as_ref().map(|resource| &resource.values)),
        }
    }

    fn finding(
        &self,
        rule: &Rule,
        severity: Severity,
        message: String,
        fix: impl Into<String>,
    ) -> Finding {
        Finding {
            rule: rule.id,
            severity,
            field: self.field.to_string(),
            statement: self.index + 1,
            sid: self.statement.sid.clone(),
            message,
            fix: fix.into(),
        }
    }

    fn is_allow(&self) -> bool {
        self.statement.effect == Some(Effect::Allow)
    }

    /// The actions of a positive `Action` list; empty for `NotAction`,
    /// which `iam-allow-not-action` reports instead.
    fn granted_actions(&self) -> &[String] {
        match &self.statement.action {
            Some(action) if !action.negated => &self.actions,
            _ => &[],
        }
    }

    fn unbounded(&self) -> Option<Unbounded> {
        let resource = self.statement.resource.as_ref()?;
        if resource.negated {
            return Some(Unbounded::AllExcept(resource.values.items().len()));
        }
        self.resources
            .iter()
            .find(|value| *value == "*" || parse_arn(value).is_ok_and(|arn| arn.resource == "*"))
            .map(|value| Unbounded::Resource(value.clone()))
    }

    fn has_condition(&self) -> bool {
        !self.statement.condition.is_empty()
    }

    /// `iam-passrole-any-resource`, `iam-service-wildcard-all-resources`,
    /// `iam-permissions-any-resource` and `iam-write-any-resource`: each
    /// action is reported by the first of these that applies.
    fn check_resource_scope(&self, findings: &mut Vec<Finding>) {
        if !self.is_allow() {
            return;
        }
        let Some(unbounded) = self.unbounded() else {
            return;
        };
        let mut pass_role = Vec::new();
        let mut service_wide = Vec::new();
        let mut permissions = Vec::new();
        let mut writes = Vec::new();
        for action in self.granted_actions() {
            let class = classify_action(action);
            if class == Some(ActionClass::Everything) {
                service_wide.push(action.as_str());
            }
            if glob_matches(&action.to_lowercase(), "iam:passrole") {
                pass_role.push(action.as_str());
            } else if class == Some(ActionClass::PermissionsManagement) {
                permissions.push(action.as_str());
            } else if class == Some(ActionClass::Write) {
                writes.push(action.as_str());
            }
        }
        if !pass_role.is_empty() {
            let actions = if pass_role
                .iter()
                .all(|action| action.eq_ignore_ascii_case("iam:PassRole"))
            {
                "iam:PassRole".to_string()
            } else {
                format!("{} (which includes iam:PassRole)", pass_role.join(", "))
            };
            let services = self.passed_to_services();
            let to = if services.is_empty() {
                "any service".to_string()
            } else {
                services.join(", ")
            };
            findings.push(self.finding(
                &PASSROLE_ANY_RESOURCE,
                PASSROLE_ANY_RESOURCE.severity,
                format!(
                    "{actions} {} lets the role pass {} to {to}",
                    unbounded.written(),
                    unbounded.reach("any role"),
                ),
                "list in Resource only the roles it must pass (e.g. \
                 \"${aws_iam_role.tf_mlops_role.arn}\") and name their services in an \
                 iam:PassedToService condition",
            ));
        }
        if !service_wide.is_empty() {
            let granted = if service_wide.contains(&"*") {
                "every action of every service".to_string()
            } else {
                let services: Vec<&str> = service_wide
                    .iter()
                    .map(|action| action.split(':').next().unwrap_or(action))
                    .collect();
                format!("every {} action", services.join(", "))
            };
            findings.push(self.finding(
                &SERVICE_WILDCARD_ALL_RESOURCES,
                SERVICE_WILDCARD_ALL_RESOURCES.severity,
                format!(
                    "{} {} grants {granted} on {}",
                    service_wide.join(", "),
                    unbounded.written(),
                    unbounded.reach("every resource"),
                ),
                "list the actions the pipeline calls, and in Resource the ARNs of the stack's \
                 own resources",
            ));
        }
        let scoped_fix = "list in Resource the ARNs these actions need; keep \"*\" only for \
                          actions AWS does not scope by resource, in a statement of their own";
        let narrowed = if self.has_condition() {
            "; the statement's Condition may narrow this"
        } else {
            ""
        };
        if !permissions.is_empty() {
            let severity = if self.has_condition() {
                PERMISSIONS_ANY_RESOURCE.severity.lowered()
            } else {
                PERMISSIONS_ANY_RESOURCE.severity
            };
            findings.push(self.finding(
                &PERMISSIONS_ANY_RESOURCE,
                severity,
                format!(
                    "{} {} can manage permissions on {}{narrowed}",
                    permissions.join(", "),
                    unbounded.written(),
                    unbounded.reach("every resource"),
                ),
                scoped_fix,
            ));
        }
        if !writes.is_empty() {
            let severity = if self.has_condition() {
                WRITE_ANY_RESOURCE.severity.lowered()
            } else {
                WRITE_ANY_RESOURCE.severity
            };
            findings.push(self.finding(
                &WRITE_ANY_RESOURCE,
                severity,
                format!(
                    "{} {} can change {}, not only the stack's{narrowed}",
                    writes.join(", "),
                    unbounded.written(),
                    unbounded.reach("every resource"),
                ),
                scoped_fix,
            ));
        }
    }

    /// The services of the statement's `iam:PassedToService` conditions.
    fn passed_to_services(&self) -> Vec<String> {
        self.statement
            .condition
            .iter()
            .flat_map(|condition| &condition.entries)
            .filter(|(key, _)| key.eq_ignore_ascii_case("iam:PassedToService"))
            .flat_map(|(_, values)| values.items().iter().filter_map(self.resolve))
            .collect()
    }

    /// `iam-allow-not-resource` and `iam-allow-not-action`.
    fn check_negations(&self, findings: &mut Vec<Finding>) {
        if !self.is_allow() {
            return;
        }
        if let Some(resource) = self.statement.resource.as_ref().filter(|r| r.negated) {
            findings.push(self.finding(
                &ALLOW_NOT_RESOURCE,
                ALLOW_NOT_RESOURCE.severity,
                format!(
                    "Allow with NotResource grants its actions on every resource except the {} \
                     listed, including resources created later",
                    resource.values.items().len()
                ),
                "list the resources in Resource instead; to carve out exceptions, add a Deny \
                 statement",
            ));
        }
        if let Some(action) = self.statement.action.as_ref().filter(|a| a.negated) {
            findings.push(self.finding(
                &ALLOW_NOT_ACTION,
                ALLOW_NOT_ACTION.severity,
                format!(
                    "Allow with NotAction grants every action of every service except the {} \
                     listed, including actions AWS adds later",
                    action.values.items().len()
                ),
                "list the actions in Action instead; to carve out exceptions, add a Deny \
                 statement",
            ));
        }
    }

    /// `iam-duplicate-resource` and `iam-duplicate-action`.
    fn check_duplicates(&self, findings: &mut Vec<Finding>) {
        let key = |resource: &Scoped<Values>| {
            if resource.negated {
                "NotResource"
            } else {
                "Resource"
            }
        };
        if let Some(resource) = &self.statement.resource {
            for (value, count) in repeated(&self.resources, |value| value.clone()) {
                findings.push(self.finding(
                    &DUPLICATE_RESOURCE,
                    DUPLICATE_RESOURCE.severity,
                    format!(
                        "\"{value}\" is listed {} in {}",
                        times(count),
                        key(resource)
                    ),
                    "remove the repeated value, or replace it with the resource that was meant \
                     (a bucket is arn:aws:s3:::NAME, its objects arn:aws:s3:::NAME/*)",
                ));
            }
        }
        if let Some(action) = &self.statement.action {
            let key = if action.negated {
                "NotAction"
            } else {
                "Action"
            };
            for (value, count) in repeated(&self.actions, |value| value.to_lowercase()) {
                findings.push(self.finding(
                    &DUPLICATE_ACTION,
                    DUPLICATE_ACTION.severity,
                    format!("\"{value}\" is listed {} in {key}", times(count)),
                    "remove the repeated action",
                ));
            }
        }
    }

    /// `iam-arn-malformed`, `iam-arn-resource-type-case` and
    /// `iam-arn-resource-type-unknown`, on Resource and NotResource values.
    fn check_arns(&self, findings: &mut Vec<Finding>) {
        for value in self.resources.iter().filter(|value| *value != "*") {
            let arn = match parse_arn(value) {
                Ok(arn) => arn,
                Err(problem) => {
                    let fix = match padded_arn(value) {
                        Some(padded) => format!(
                            "write all six parts, arn:partition:service:region:account:resource, \
                             with * for any region or account (e.g. \"{padded}\"), then narrow \
                             the resource part to the stack's own resources"
                        ),
                        None => "write \"*\" or a full ARN, \
                                 arn:partition:service:region:account:resource"
                            .to_string(),
                    };
                    findings.push(self.finding(
                        &ARN_MALFORMED,
                        ARN_MALFORMED.severity,
                        format!("\"{value}\" {problem}"),
                        fix,
                    ));
                    continue;
                }
            };
            let Some(known) = resource_types(arn.service) else {
                continue;
            };
            let Some(written) = arn.resource_type() else {
                continue;
            };
            if known.contains(&written) {
                continue;
            }
            match known
                .iter()
                .find(|known| known.eq_ignore_ascii_case(written))
            {
                Some(meant) => {
                    let corrected = arn.with_resource_type(meant);
                    findings.push(self.finding(
                        &ARN_RESOURCE_TYPE_CASE,
                        ARN_RESOURCE_TYPE_CASE.severity,
                        format!(
                            "\"{value}\" has resource type \"{written}\", but {} spells it \
                             \"{meant}\" and ARNs match case-sensitively, so this resource \
                             matches nothing",
                            arn.service
                        ),
                        format!("did you mean {meant}? write \"{corrected}\""),
                    ));
                }
                None => findings.push(self.finding(
                    &ARN_RESOURCE_TYPE_UNKNOWN,
                    ARN_RESOURCE_TYPE_UNKNOWN.severity,
                    format!(
                        "\"{value}\" has resource type \"{written}\", which is not a {} \
                         resource type tfgen knows",
                        arn.service
                    ),
                    format!("use one of: {}", known.join(", ")),
                )),
            }
        }
    }

    /// `iam-trusted-service-unused`, on a trust policy's statements.
    fn check_trusted_services(&self, passed_to_services: &[String], findings: &mut Vec<Finding>) {
        if !self.is_allow() {
            return;
        }
        let Some(principal) = self.statement.principal.as_ref().filter(|p| !p.negated) else {
            return;
        };
        let PrincipalValue::Typed(kinds) = &principal.values else {
            return;
        };
        let services = kinds
            .iter()
            .filter(|(kind, _)| kind == "Service")
            .flat_map(|(_, values)| values.items().iter().filter_map(self.resolve));
        for service in services {
            let used = passed_to_services
                .iter()
                .any(|pattern| glob_matches(pattern, &service));
            if !used {
                findings.push(self.finding(
                    &TRUSTED_SERVICE_UNUSED,
                    TRUSTED_SERVICE_UNUSED.severity,
                    format!(
                        "the role trusts {service}, but no iam:PassRole statement of the stack \
                         names it in iam:PassedToService, so nothing hands the role to it"
                    ),
                    format!(
                        "remove \"{service}\" from Principal.Service, or add it to the \
                         iam:PassedToService condition of the PassRole statement if the stack \
                         runs something on it"
                    ),
                ));
            }
        }
    }
}

/// The `iam:PassedToService` values of every Allow statement that grants
/// `iam:PassRole` in the identity policies.
fn passed_to_services(
    policies: &[PolicyRef<'_>],
    resolve: &dyn Fn(&Expr) -> Option<String>,
) -> Vec<String> {
    let mut services = Vec::new();
    for policy in policies
        .iter()
        .filter(|policy| policy.kind == PolicyKind::Identity)
    {
        for (index, statement) in policy.document.statements.iter().enumerate() {
            let checked = CheckedStatement::new(&policy.field, index, statement, resolve);
            let passes_role = checked
                .granted_actions()
                .iter()
                .any(|action| glob_matches(&action.to_lowercase(), "iam:passrole"));
            if checked.is_allow() && passes_role {
                services.extend(checked.passed_to_services());
            }
        }
    }
    services
}

/// The values that occur more than once (by `key`), with their count, in
/// order of first occurrence.
fn repeated(values: &[String], key: impl Fn(&String) -> String) -> Vec<(&str, usize)> {
    let mut seen: Vec<(String, &str, usize)> = Vec::new();
    for value in values {
        let value_key = key(value);
        match seen.iter_mut().find(|(known, _, _)| *known == value_key) {
            Some((_, _, count)) => *count += 1,
            None => seen.push((value_key, value, 1)),
        }
    }
    seen.into_iter()
        .filter(|(_, _, count)| *count > 1)
        .map(|(_, value, count)| (value, count))
        .collect()
}

fn times(count: usize) -> String {
    match count {
        2 => "twice".to_string(),
        count => format!("{count} times"),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ActionClass {
    /// `*` or `service:*`.
    Everything,
    Read,
    Write,
    PermissionsManagement,
}

/// Name prefixes of read actions (compared case-insensitively). `Query`
/// and `Validate` read too (`sagemaker:QueryLineage`,
/// `cloudformation:ValidateTemplate` change nothing).
const READ_VERBS: [&str; 9] = [
    "get",
    "list",
    "describe",
    "batchget",
    "batchcheck",
    "search",
    "gitpull",
    "query",
    "validate",
];

/// Words in a write action's name that make it permissions management.
const PERMISSION_WORDS: [&str; 4] = ["policy", "acl", "permission", "grant"];

/// Classifies an action by its verb (see the module documentation); `None`
/// for a value that is not `service:name`.
fn classify_action(action: &str) -> Option<ActionClass> {
    if action == "*" {
        return Some(ActionClass::Everything);
    }
    let (service, name) = action.split_once(':')?;
    if name == "*" {
        return Some(ActionClass::Everything);
    }
    let name = name.to_lowercase();
    let known = name.split(['*', '?']).next().unwrap_or_default();
    if READ_VERBS.iter().any(|verb| known.starts_with(verb)) {
        return Some(ActionClass::Read);
    }
    let permissions = service.eq_ignore_ascii_case("iam")
        || PERMISSION_WORDS.iter().any(|word| name.contains(word));
    Some(if permissions {
        ActionClass::PermissionsManagement
    } else {
        ActionClass::Write
    })
}

/// IAM wildcard matching: `*` is any run of characters, `?` any one.
fn glob_matches(pattern: &str, text: &str) -> bool {
    let pattern: Vec<char> = pattern.chars().collect();
    let text: Vec<char> = text.chars().collect();
    let (mut p, mut t) = (0, 0);
    let mut backtrack: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && (pattern[p] == '?' || pattern[p] == text[t]) {
            p += 1;
            t += 1;
        } else if p < pattern.len() && pattern[p] == '*' {
            backtrack = Some((p, t));
            p += 1;
        } else if let Some((star, matched)) = backtrack {
            p = star + 1;
            t = matched + 1;
            backtrack = Some((star, matched + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|c| *c == '*')
}

/// An ARN split into its parts; `resource` keeps any further colons.
#[derive(Debug, PartialEq, Eq)]
struct Arn<'a> {
    partition: &'a str,
    service: &'a str,
    region: &'a str,
    account: &'a str,
    resource: &'a str,
}

impl<'a> Arn<'a> {
    /// The resource type: the resource part up to its first `/` or `:`.
    /// `None` when there is no separator (services whose resources are bare
    /// names) or the type holds a wildcard, which cannot be judged.
    fn resource_type(&self) -> Option<&'a str> {
        let end = self.resource.find(['/', ':'])?;
        let written = &self.resource[..end];
        (!written.contains(['*', '?'])).then_some(written)
    }

    fn with_resource_type(&self, resource_type: &str) -> String {
        let rest = self
            .resource
            .find(['/', ':'])
            .map_or("", |end| &self.resource[end..]);
        format!(
            "arn:{}:{}:{}:{}:{resource_type}{rest}",
            self.partition, self.service, self.region, self.account
        )
    }
}

/// Parses `arn:partition:service:region:account:resource`; the error says
/// what is wrong, to follow the quoted value.
fn parse_arn(value: &str) -> Result<Arn<'_>, String> {
    let parts: Vec<&str> = value.splitn(6, ':').collect();
    if parts[0] != "arn" {
        return Err(
            "is neither \"*\" nor an ARN (arn:partition:service:region:account:resource)".into(),
        );
    }
    if parts.len() < 6 {
        return Err(format!(
            "has {} colon-separated parts; an ARN has at least 6 \
             (arn:partition:service:region:account:resource)",
            parts.len()
        ));
    }
    let arn = Arn {
        partition: parts[1],
        service: parts[2],
        region: parts[3],
        account: parts[4],
        resource: parts[5],
    };
    for (name, part) in [
        ("partition", arn.partition),
        ("service", arn.service),
        ("resource", arn.resource),
    ] {
        if part.is_empty() {
            return Err(format!("has an empty {name}"));
        }
    }
    Ok(arn)
}

/// A short ARN completed with `*` parts, when its partition and service
/// are there: `arn:aws:logs:*` becomes `arn:aws:logs:*:*:*`.
fn padded_arn(value: &str) -> Option<String> {
    let parts: Vec<&str> = value.split(':').collect();
    let named = parts.len() >= 3 && parts[0] == "arn" && !parts[1].is_empty();
    if !named || parts[2].is_empty() || parts.len() >= 6 {
        return None;
    }
    let mut padded = parts.clone();
    padded.resize(6, "*");
    Some(padded.join(":"))
}

/// The resource types of the services this stack uses whose ARNs carry a
/// type (`arn:aws:states:REGION:ACCOUNT:stateMachine:NAME`), from the AWS
/// Service Authorization Reference. S3, SNS, CodeCommit and CodePipeline
/// ARNs end in a bare name and are not checked.
fn resource_types(service: &str) -> Option<&'static [&'static str]> {
    let types: &'static [&'static str] = match service {
        "states" => &["activity", "execution", "express", "mapRun", "stateMachine"],
        "sagemaker" => &[
            "action",
            "algorithm",
            "app",
            "app-image-config",
            "artifact",
            "automl-job",
            "cluster",
            "code-repository",
            "compilation-job",
            "context",
            "data-quality-job-definition",
            "device",
            "device-fleet",
            "domain",
            "edge-deployment-plan",
            "edge-packaging-job",
            "endpoint",
            "endpoint-config",
            "experiment",
            "experiment-trial",
            "experiment-trial-component",
            "feature-group",
            "flow-definition",
            "hub",
            "hub-content",
            "human-loop",
            "human-task-ui",
            "hyper-parameter-tuning-job",
            "image",
            "image-version",
            "inference-component",
            "inference-experiment",
            "inference-recommendations-job",
            "labeling-job",
            "lineage-group",
            "mlflow-tracking-server",
            "model",
            "model-bias-job-definition",
            "model-card",
            "model-explainability-job-definition",
            "model-package",
            "model-package-group",
            "model-quality-job-definition",
            "monitoring-schedule",
            "notebook-instance",
            "notebook-instance-lifecycle-config",
            "pipeline",
            "processing-job",
            "project",
            "space",
            "studio-lifecycle-config",
            "training-job",
            "transform-job",
            "user-profile",
            "workforce",
            "workteam",
        ],
        "codebuild" => &[
            "build",
            "build-batch",
            "fleet",
            "project",
            "report",
            "report-group",
        ],
        "cloudformation" => &[
            "changeSet",
            "generatedTemplate",
            "resourceScan",
            "stack",
            "stackset",
            "stackset-target",
            "type",
        ],
        "events" => &[
            "api-destination",
            "archive",
            "connection",
            "endpoint",
            "event-bus",
            "event-source",
            "replay",
            "rule",
        ],
        "ecr" => &["repository"],
        "secretsmanager" => &["secret"],
        "logs" => &[
            "anomaly-detector",
            "delivery",
            "delivery-destination",
            "delivery-source",
            "destination",
            "log-group",
        ],
        "iam" => &[
            "group",
            "instance-profile",
            "mfa",
            "oidc-provider",
            "policy",
            "role",
            "saml-provider",
            "server-certificate",
            "user",
        ],
        _ => return None,
    };
    Some(types)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::policy::{PolicyDocument, many, one};

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
        let rules: Vec<&str> =
            lint_statement(Statement::allow().action(one("*")).resource(one("*")))
                .iter()
                .map(|finding| finding.rule)
                .collect();
        assert_eq!(
            rules,
            [PASSROLE_ANY_RESOURCE.id, SERVICE_WILDCARD_ALL_RESOURCES.id]
        );
    }

    #[test]
    fn service_wildcard_on_scoped_resources_is_fine() {
        let findings = lint_statement(
            Statement::allow()
                .action(one("sagemaker:*"))
                .resource(one("arn:aws:sagemaker:*:*:flow-definition/*")),
        );
        assert_eq!(findings, vec![]);
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
    fn write_actions_on_any_resource_are_a_warning_and_reads_are_not() {
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
            vec![expected(
                &WRITE_ANY_RESOURCE,
                Severity::Warning,
                "s3:CreateBucket, sagemaker:*App on Resource \"*\" can change every resource, \
                 not only the stack's",
                SCOPED_FIX,
            )]
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
        let findings = lint_statement(Statement::allow().action(one("s3:GetObject")).resource(
            many(["s3:::bucket", "${aws_s3_bucket.artifacts_bucket.arn}"]),
        ));
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
                 a ecr resource type tfgen knows",
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
    fn actions_are_classified_by_verb() {
        let class = |action| classify_action(action).unwrap();
        assert_eq!(class("*"), ActionClass::Everything);
        assert_eq!(class("sagemaker:*"), ActionClass::Everything);
        assert_eq!(class("ecr:Describe*"), ActionClass::Read);
        assert_eq!(class("s3:getobject"), ActionClass::Read);
        assert_eq!(class("codebuild:BatchGetBuilds"), ActionClass::Read);
        assert_eq!(class("codecommit:GitPull"), ActionClass::Read);
        assert_eq!(class("codecommit:GitPush"), ActionClass::Write);
        assert_eq!(class("sagemaker:*App"), ActionClass::Write);
        assert_eq!(class("sns:Subscribe"), ActionClass::Write);
        assert_eq!(class("iam:TagRole"), ActionClass::PermissionsManagement);
        assert_eq!(class("s3:PutObjectAcl"), ActionClass::PermissionsManagement);
        assert_eq!(classify_action("nonsense"), None);
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
            (
                policy.clone(),
                12,
                ARN_RESOURCE_TYPE_CASE.id,
                Severity::Error,
            ),
            (policy.clone(), 15, WRITE_ANY_RESOURCE.id, Severity::Warning),
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
}
