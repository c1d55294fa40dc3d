//! The checks of one statement, each reporting the rules it owns.

use std::cell::OnceCell;

use super::actions::{Granted, glob_matches_ignoring_case, granted};
use super::arn::{padded_arn, parse_arn};
use super::catalogue::{
    AccessLevel, Catalogue, ResourceType, Service, closest, same_resources, split_arn,
};
use super::context::{Placement, StackContext};
use super::trust::unused_trusted_services;
use super::*;
use crate::policy::{Effect, PrincipalValue, Scoped, Statement, Values};
use crate::stack::RoleUser;

/// A statement with its values resolved to text, each once: resolving a
/// reference searches the stack, and the checks, the trust rules and
/// `iam-arn-outside-stack` all read the same values. What the catalogue
/// says of them is looked up once too, on first use.
pub(super) struct CheckedStatement<'a> {
    field: &'a str,
    index: usize,
    statement: &'a Statement,
    resolve: &'a dyn Fn(&Expr) -> Option<String>,
    actions: Vec<String>,
    resources: Vec<String>,
    /// The expression each of `resources` was resolved from.
    resource_exprs: Vec<&'a Expr>,
    /// What each of `actions` grants.
    grants: OnceCell<Vec<Granted>>,
    /// What the catalogue says of each of `resources`.
    resource_facts: OnceCell<Vec<ResourceFacts>>,
    passed_to_services: OnceCell<Vec<String>>,
    trusted_services: OnceCell<Vec<String>>,
}

/// What the catalogue says of one resource value.
struct ResourceFacts {
    /// Whether the value is a well-formed ARN.
    well_formed: bool,
    /// A well-formed ARN whose resource part is `*`: every resource of its
    /// service.
    every_resource: bool,
    /// The catalogue's service of a well-formed ARN, when it has it (`None`
    /// for anything else).
    service: Option<Service>,
    /// The service's resource types whose ARN pattern the value matches,
    /// case-sensitively.
    types: Vec<ResourceType>,
}

impl ResourceFacts {
    fn of(value: &str) -> ResourceFacts {
        let arn = parse_arn(value).ok();
        let service = arn
            .as_ref()
            .and_then(|arn| Catalogue::get().service(arn.service));
        let types = match (service, split_arn(value)) {
            (Some(service), Some(parts)) => service
                .resource_types()
                .filter(|kind| kind.matches_parts(&parts))
                .collect(),
            _ => Vec::new(),
        };
        ResourceFacts {
            well_formed: arn.is_some(),
            every_resource: arn.is_some_and(|arn| arn.resource == "*"),
            service,
            types,
        }
    }

    /// Whether the value matches one of its service's resource-type
    /// patterns exactly, or is no ARN of a service the catalogue has
    /// (nothing to judge it by). The others are `check_arns`' findings.
    fn names_catalogue_type(&self) -> bool {
        self.service.is_none() || !self.types.is_empty()
    }
}

/// The resources a statement grants on, when that is every resource.
pub(super) enum Unbounded {
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
    pub(super) fn new(
        field: &'a str,
        index: usize,
        statement: &'a Statement,
        resolve: &'a dyn Fn(&Expr) -> Option<String>,
    ) -> Self {
        let actions = statement
            .action
            .iter()
            .flat_map(|action| action.values.items())
            .filter_map(resolve)
            .collect();
        let (resources, resource_exprs) = statement
            .resource
            .iter()
            .flat_map(|resource| resource.values.items())
            .filter_map(|expr| Some((resolve(expr)?, expr)))
            .unzip();
        CheckedStatement {
            field,
            index,
            statement,
            resolve,
            actions,
            resources,
            resource_exprs,
            grants: OnceCell::new(),
            resource_facts: OnceCell::new(),
            passed_to_services: OnceCell::new(),
            trusted_services: OnceCell::new(),
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

    /// What each of `actions` grants, in the same order.
    fn grants(&self) -> &[Granted] {
        self.grants
            .get_or_init(|| self.actions.iter().map(|action| granted(action)).collect())
    }

    /// What the catalogue says of each of `resources`, in the same order.
    fn resource_facts(&self) -> &[ResourceFacts] {
        self.resource_facts.get_or_init(|| {
            self.resources
                .iter()
                .map(|value| ResourceFacts::of(value))
                .collect()
        })
    }

    /// The granted actions with what each grants.
    fn granted_with_grants(&self) -> impl Iterator<Item = (&String, &Granted)> {
        self.granted_actions().iter().zip(self.grants())
    }

    fn unbounded(&self) -> Option<Unbounded> {
        let resource = self.statement.resource.as_ref()?;
        if resource.negated {
            return Some(Unbounded::AllExcept(resource.values.items().len()));
        }
        self.resources
            .iter()
            .zip(self.resource_facts())
            .find(|(value, facts)| *value == "*" || facts.every_resource)
            .map(|(value, _)| Unbounded::Resource(value.clone()))
    }

    fn has_condition(&self) -> bool {
        !self.statement.condition.is_empty()
    }

    /// `iam-passrole-any-resource`, `iam-service-wildcard-all-resources`,
    /// `iam-permissions-any-resource` and `iam-write-any-resource`: each
    /// action is reported by the first of these that applies.
    pub(super) fn check_resource_scope(&self, findings: &mut Vec<Finding>) {
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
        let mut reads = Vec::new();
        for (action, grant) in self.granted_with_grants() {
            if matches!(grant, Granted::Everything) {
                service_wide.push(action.clone());
            }
            let level = grant.worst_level();
            if glob_matches_ignoring_case(action, "iam:passrole") {
                pass_role.push(action.clone());
            } else if level == Some(AccessLevel::PermissionsManagement) {
                permissions.push(described(action, grant));
            } else if level.is_some_and(|level| !level.is_read()) && scopable(grant) {
                // An action AWS does not scope by resource can only be
                // granted on "*": that is no over-grant.
                writes.push(described(action, grant));
            } else if level.is_some() && scopable(grant) && self.resources.iter().any(|r| r == "*")
            {
                reads.push(described(action, grant));
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
            let granted = if service_wide.iter().any(|action| action == "*") {
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
        if !reads.is_empty() {
            findings.push(self.finding(
                &READ_ANY_RESOURCE,
                READ_ANY_RESOURCE.severity,
                format!(
                    "{} {} can read {}, though AWS lets these actions be scoped to \
                     resources{narrowed}",
                    reads.join(", "),
                    unbounded.written(),
                    unbounded.reach("every resource"),
                ),
                scoped_fix,
            ));
        }
    }

    /// The services of the statement's `iam:PassedToService` conditions.
    fn passed_to_services(&self) -> &[String] {
        self.passed_to_services.get_or_init(|| {
            self.statement
                .condition
                .iter()
                .flat_map(|condition| &condition.entries)
                .filter(|(key, _)| key.eq_ignore_ascii_case("iam:PassedToService"))
                .flat_map(|(_, values)| values.items().iter().filter_map(self.resolve))
                .collect()
        })
    }

    /// `iam-allow-not-resource` and `iam-allow-not-action`.
    pub(super) fn check_negations(&self, findings: &mut Vec<Finding>) {
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
    pub(super) fn check_duplicates(&self, findings: &mut Vec<Finding>) {
        let key = |resource: &Scoped<Values>| {
            if resource.negated {
                "NotResource"
            } else {
                "Resource"
            }
        };
        if let Some(resource) = &self.statement.resource {
            for (value, count) in repeated(&self.resources, |first, value| first == value) {
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
            for (value, count) in repeated(&self.actions, same_ignoring_case) {
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
    pub(super) fn check_arns(&self, findings: &mut Vec<Finding>) {
        let values = self.resources.iter().zip(self.resource_facts());
        for (value, facts) in values.filter(|(value, _)| *value != "*") {
            if facts.well_formed && facts.names_catalogue_type() {
                continue;
            }
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
            let Some(service) = facts.service else {
                continue;
            };
            let types = service.resource_types();
            let written = arn.resource_type();
            let meant = types.clone().find(|kind| {
                kind.matches(value, true)
                    && written.is_some_and(|written| kind.spelled().eq_ignore_ascii_case(written))
            });
            match (meant, written) {
                (Some(meant), Some(written)) => {
                    let meant = meant.spelled();
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
                _ => {
                    let mut spelled: Vec<&str> = types.map(|kind| kind.spelled()).collect();
                    spelled.sort_unstable();
                    spelled.dedup();
                    let what = match written {
                        Some(written) => format!("has resource type \"{written}\", which is not"),
                        None => "matches no ARN pattern of".to_string(),
                    };
                    findings.push(self.finding(
                        &ARN_RESOURCE_TYPE_UNKNOWN,
                        ARN_RESOURCE_TYPE_UNKNOWN.severity,
                        format!(
                            "\"{value}\" {what} a {} resource type in AWS's catalogue",
                            arn.service
                        ),
                        format!("use one of: {}", spelled.join(", ")),
                    ));
                }
            }
        }
    }

    /// `iam-action-unknown`, on Action and NotAction values.
    pub(super) fn check_actions_exist(&self, findings: &mut Vec<Finding>) {
        for (action, grant) in self.actions.iter().zip(self.grants()) {
            if let Granted::Unknown { problem, fix } = grant {
                findings.push(self.finding(
                    &ACTION_UNKNOWN,
                    ACTION_UNKNOWN.severity,
                    format!("\"{action}\" {problem}"),
                    fix,
                ));
            }
        }
    }

    /// `iam-resource-type-mismatch`: on a statement whose every resource is
    /// a well-formed ARN of a known type, the actions that take none of
    /// those types (so they are granted on nothing).
    pub(super) fn check_resource_types(&self, findings: &mut Vec<Finding>) {
        if !self.is_allow() || self.unbounded().is_some() || self.resources.is_empty() {
            return;
        }
        if self.resources.len()
            != self
                .statement
                .resource
                .as_ref()
                .map_or(0, |r| r.values.items().len())
        {
            return; // an unresolved value could be of any type
        }
        let mut typed: Vec<(&str, &str)> = Vec::new();
        for facts in self.resource_facts() {
            let Some(service) = facts.service else {
                return;
            };
            if facts.types.is_empty() {
                return; // iam-arn-resource-type-case or -unknown reports it
            }
            typed.extend(facts.types.iter().map(|kind| (service.prefix, kind.name)));
        }
        for (action, grant) in self.granted_with_grants() {
            let Granted::Actions { service, actions } = grant else {
                self.check_service_wildcard_types(action, &typed, findings);
                continue;
            };
            let takes_one = actions.iter().any(|candidate| {
                candidate.resource_types().any(|kind| {
                    typed
                        .iter()
                        .any(|(prefix, have)| *have == kind && same_resources(prefix, service))
                })
            });
            if takes_one {
                continue;
            }
            let mut takes: Vec<&str> = actions
                .iter()
                .flat_map(|candidate| candidate.resource_types())
                .collect();
            takes.sort_unstable();
            takes.dedup();
            let (problem, fix) = if takes.is_empty() {
                (
                    "accepts only Resource \"*\"".to_string(),
                    format!("move {action} to a statement of its own with Resource \"*\""),
                )
            } else {
                let spelled: Vec<String> = takes
                    .iter()
                    .map(|name| {
                        Catalogue::get()
                            .service(service)
                            .and_then(|known| known.resource_type(name))
                            .map_or((*name).to_string(), |kind| kind.arn.to_string())
                    })
                    .collect();
                (
                    format!("takes {} resources", takes.join(", ")),
                    format!(
                        "list in Resource an ARN of the form {}",
                        spelled.join(" or ")
                    ),
                )
            };
            findings.push(self.finding(
                &RESOURCE_TYPE_MISMATCH,
                RESOURCE_TYPE_MISMATCH.severity,
                format!(
                    "{} {problem}, and no Resource of the statement is one, so it is granted \
                     on nothing",
                    described(action, grant)
                ),
                fix,
            ));
        }
    }

    /// `iam-resource-type-mismatch` at info for `service:*` on typed ARNs:
    /// most of what it grants cannot apply to those resources.
    fn check_service_wildcard_types(
        &self,
        action: &str,
        typed: &[(&str, &str)],
        findings: &mut Vec<Finding>,
    ) {
        let Some((prefix, "*")) = action.split_once(':') else {
            return;
        };
        let Some(service) = Catalogue::get().service(prefix) else {
            return;
        };
        let applying = service
            .actions()
            .filter(|candidate| {
                candidate
                    .resource_types()
                    .any(|kind| typed.contains(&(service.prefix, kind)))
            })
            .count();
        let total = service.actions().len();
        if applying == total {
            return;
        }
        findings.push(self.finding(
            &RESOURCE_TYPE_MISMATCH,
            Severity::Info,
            format!(
                "{action} grants {total} {} actions, of which {applying} take the resource types \
                 of Resource; the other {} are granted on nothing here",
                service.prefix,
                total - applying
            ),
            "list the actions the pipeline calls on these resources",
        ));
    }

    /// `iam-condition-key-unknown`: a service's condition key that AWS does
    /// not define for that service (global `aws:` keys are not judged).
    pub(super) fn check_condition_keys(&self, findings: &mut Vec<Finding>) {
        for condition in &self.statement.condition {
            for (key, _) in &condition.entries {
                let Some((prefix, _)) = key.split_once(':') else {
                    continue;
                };
                if prefix.eq_ignore_ascii_case("aws") {
                    continue;
                }
                let Some(service) = Catalogue::get().service(prefix) else {
                    continue;
                };
                if service.has_condition_key(key) {
                    continue;
                }
                let fix = match closest(key, service.condition_keys()) {
                    Some(meant) => format!("did you mean {meant}?"),
                    None => format!(
                        "use a condition key {} defines, or a global aws: key",
                        service.prefix
                    ),
                };
                findings.push(self.finding(
                    &CONDITION_KEY_UNKNOWN,
                    CONDITION_KEY_UNKNOWN.severity,
                    format!(
                        "condition key \"{key}\" is not one {} defines, so the condition never \
                         matches (or, with IfExists, never applies)",
                        service.prefix
                    ),
                    fix,
                ));
            }
        }
    }

    /// The service principals an Allow statement of a trust policy trusts.
    fn trusted_services(&self) -> &[String] {
        self.trusted_services.get_or_init(|| {
            if !self.is_allow() {
                return Vec::new();
            }
            let Some(principal) = self.statement.principal.as_ref().filter(|p| !p.negated) else {
                return Vec::new();
            };
            let PrincipalValue::Typed(kinds) = &principal.values else {
                return Vec::new();
            };
            kinds
                .iter()
                .filter(|(kind, _)| kind == "Service")
                .flat_map(|(_, values)| values.items().iter().filter_map(self.resolve))
                .collect()
        })
    }

    /// `iam-arn-outside-stack`: each resource of an Allow statement against
    /// the stack's resources. `"*"`, ARNs whose resource part is `*` and
    /// malformed ARNs are left to the rules that own them.
    pub(super) fn check_outside_stack(&self, context: &StackContext, findings: &mut Vec<Finding>) {
        let negated = self.statement.resource.as_ref().is_none_or(|r| r.negated);
        if !self.is_allow() || negated {
            return;
        }
        let values = self.resources.iter().zip(&self.resource_exprs);
        for ((value, expr), facts) in values.zip(self.resource_facts()) {
            if !facts.well_formed || facts.every_resource || !facts.names_catalogue_type() {
                continue;
            }
            let from_stack = !expr.references().is_empty();
            let (message, fix) = match context.placement(value, from_stack) {
                Placement::Stack | Placement::Pattern => continue,
                Placement::OtherAccount(account) => (
                    format!(
                        "\"{value}\" is in account {account}, not the stack's, so it names no \
                         resource of the stack"
                    ),
                    "name the stack's own resource by reference (aws_<type>.<name>.arn), or the \
                     account with data.aws_caller_identity; if AWS owns the resource in an \
                     account the stack cannot name, say so in a comment on the statement"
                        .to_string(),
                ),
                Placement::NotTheStacks { kind, stack_arns } if stack_arns.is_empty() => (
                    format!(
                        "\"{value}\" is written as literal text and names no resource of the \
                         stack, which creates no {kind}"
                    ),
                    "write the ARN from the stack's values (${var.region}, the account from \
                     data.aws_caller_identity, the resource's .arn); if AWS owns the resource \
                     in an account the stack cannot name, say so in a comment on the statement"
                        .to_string(),
                ),
                Placement::NotTheStacks { kind, stack_arns } => (
                    format!(
                        "\"{value}\" names a {kind} the stack does not create (the stack's: {})",
                        stack_arns.join(", ")
                    ),
                    format!("refer to the stack's {kind} (its .arn), or remove the grant"),
                ),
            };
            findings.push(self.finding(
                &ARN_OUTSIDE_STACK,
                ARN_OUTSIDE_STACK.severity,
                message,
                fix,
            ));
        }
    }

    /// `iam-trusted-service-unused`, on a trust policy's statements.
    pub(super) fn check_trusted_services(
        &self,
        passed_to_services: &[String],
        known_role_users: &[String],
        findings: &mut Vec<Finding>,
    ) {
        let trusted = self.trusted_services();
        for service in unused_trusted_services(trusted, passed_to_services, known_role_users) {
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

/// Every statement of a policy, its values resolved.
pub(super) fn checked_statements<'a>(
    policy: &'a PolicyRef<'_>,
    resolve: &'a dyn Fn(&Expr) -> Option<String>,
) -> Vec<CheckedStatement<'a>> {
    policy
        .document
        .statements
        .iter()
        .enumerate()
        .map(|(index, statement)| CheckedStatement::new(&policy.field, index, statement, resolve))
        .collect()
}

/// Every service principal a trust policy's statements trust, in
/// statement order.
pub(super) fn trusted_services<'s>(statements: &'s [CheckedStatement<'_>]) -> Vec<&'s str> {
    statements
        .iter()
        .flat_map(|statement| statement.trusted_services())
        .map(String::as_str)
        .collect()
}

/// The first Allow statement of a trust policy (0-based), where role-level
/// findings are reported.
fn trust_statement(policy: &PolicyRef<'_>) -> usize {
    policy
        .document
        .statements
        .iter()
        .position(|statement| statement.effect == Some(Effect::Allow))
        .unwrap_or(0)
}

fn role_finding(policy: &PolicyRef<'_>, rule: &Rule, message: String, fix: String) -> Finding {
    let index = trust_statement(policy);
    Finding {
        rule: rule.id,
        severity: rule.severity,
        field: policy.field.clone(),
        statement: index + 1,
        sid: policy
            .document
            .statements
            .get(index)
            .and_then(|s| s.sid.clone()),
        message,
        fix,
    }
}

/// `iam-role-unused`, on the role's trust policy.
pub(super) fn role_unused(policy: &PolicyRef<'_>) -> Finding {
    let role = policy.field.trim_end_matches(".assume_role_policy");
    role_finding(
        policy,
        &ROLE_UNUSED,
        format!(
            "no resource of the stack runs as {role} and no iam:PassRole statement hands it to a \
             service it trusts, so nothing uses the role"
        ),
        format!(
            "remove {role}, or give it to the resource that should run as it (a build's \
             service_role, a pipeline's role_arn)"
        ),
    )
}

/// `iam-role-user-untrusted`: `user` makes a service act as the role, and
/// the role's trust policy does not trust that service.
pub(super) fn role_user_untrusted(policy: &PolicyRef<'_>, user: &RoleUser) -> Finding {
    let service = user.role_use.service;
    let how = if user.role_use.handed_on {
        "hands the role on to"
    } else {
        "runs as the role in"
    };
    role_finding(
        policy,
        &ROLE_USER_UNTRUSTED,
        format!(
            "{}.{} {how} {service}, which the trust policy does not let assume the role, so \
             {service} fails when it first uses it",
            user.user, user.role_use.argument
        ),
        format!(
            "add \"{service}\" to Principal.Service, or give {} a role that trusts {service}",
            user.user
        ),
    )
}

/// The `iam:PassedToService` values of every Allow statement that grants
/// `iam:PassRole` in the identity policies.
/// `statements` holds each policy's checked statements.
pub(super) fn passed_to_services(
    policies: &[PolicyRef<'_>],
    statements: &[Vec<CheckedStatement<'_>>],
) -> Vec<String> {
    let mut services = Vec::new();
    for (_, checked_statements) in policies
        .iter()
        .zip(statements)
        .filter(|(policy, _)| policy.kind == PolicyKind::Identity)
    {
        for checked in checked_statements {
            let passes_role = checked
                .granted_actions()
                .iter()
                .any(|action| glob_matches_ignoring_case(action, "iam:passrole"));
            if checked.is_allow() && passes_role {
                services.extend_from_slice(checked.passed_to_services());
            }
        }
    }
    services
}

/// The values that occur more than once (`same` as an earlier one), with
/// their count, in order of first occurrence.
pub(super) fn repeated(values: &[String], same: impl Fn(&str, &str) -> bool) -> Vec<(&str, usize)> {
    let mut seen: Vec<(&str, usize)> = Vec::new();
    for value in values {
        match seen.iter_mut().find(|(first, _)| same(first, value)) {
            Some((_, count)) => *count += 1,
            None => seen.push((value, 1)),
        }
    }
    seen.retain(|(_, count)| *count > 1);
    seen
}

/// Whether two action names are the same lowercased, as IAM compares
/// them: without lowercasing copies when both are ASCII, as names are.
fn same_ignoring_case(first: &str, value: &str) -> bool {
    if first.is_ascii() && value.is_ascii() {
        first.eq_ignore_ascii_case(value)
    } else {
        first.to_lowercase() == value.to_lowercase()
    }
}

pub(super) fn times(count: usize) -> String {
    match count {
        2 => "twice".to_string(),
        count => format!("{count} times"),
    }
}

/// An action value as findings name it: the plain name, or a wildcard with
/// what it expands to (`sagemaker:*App (2 actions, worst Write)`).
fn described(action: &str, grant: &Granted) -> String {
    match grant {
        Granted::Actions { actions, .. } if action.contains(['*', '?']) => format!(
            "{action} ({} action{}, worst {})",
            actions.len(),
            if actions.len() == 1 { "" } else { "s" },
            grant.worst_level().map_or("", AccessLevel::as_str)
        ),
        _ => action.to_string(),
    }
}

/// Whether any of the granted actions can be scoped to a resource type.
fn scopable(grant: &Granted) -> bool {
    match grant {
        Granted::Actions { actions, .. } => actions.iter().any(|action| action.is_scopable()),
        Granted::Everything | Granted::Unknown { .. } => false,
    }
}
