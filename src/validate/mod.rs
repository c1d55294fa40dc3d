//! The rules AWS enforces, checked before Terraform runs.
//!
//! Every name is checked as the concrete value an environment gives it
//! (`tf-mlops-role-${var.env}-1007` as `tf-mlops-role-prod-1007`), and every
//! policy document as the JSON AWS would receive. Each problem names the
//! environment, the field, the value, the rule and where the value came
//! from; all problems are returned, not only the first.

use crate::config::rules::{IamNames, iam_name_collisions};
use crate::config::{Config, Environment};
use crate::error::{Diagnostic, Error, Result};
use crate::policy::{PolicyDocument, PolicyKind, VERSION};
use crate::render::jsonencode::jsonencode;
use crate::stack::resources::{IamPolicy, IamRole, S3Bucket};
use crate::stack::{Checks, Stack, StackItem};

pub use crate::stack::rules::{
    BUCKET_NAME_MAX, BUCKET_NAME_MIN, DESCRIPTION_MAX, PATH_MAX, POLICY_NAME_MAX, ROLE_NAME_MAX,
    SESSION_MAX, SESSION_MIN, bucket_name_problems,
};

/// Managed policy size, in characters not counting whitespace.
pub const MANAGED_POLICY_MAX: usize = 6144;
/// Role trust policy size (the default quota), in characters not counting whitespace.
pub const TRUST_POLICY_MAX: usize = 2048;
/// Bucket policy size, in bytes.
pub const BUCKET_POLICY_MAX: usize = 20480;

/// Builds the stack of each environment and checks it; every problem of
/// every environment is reported together, and nothing is returned unless
/// all of them are valid.
pub fn build_valid<'a>(
    config: &Config,
    environments: Vec<&'a Environment>,
) -> Result<Vec<(&'a Environment, Stack)>> {
    let stacks: Vec<(&Environment, Stack)> = environments
        .into_iter()
        .map(|environment| (environment, Stack::build(environment)))
        .collect();
    let mut problems = Vec::new();
    for (_, stack) in &stacks {
        problems.extend(validate(stack));
    }
    problems.extend(validate_across(config, &stacks));
    if problems.is_empty() {
        Ok(stacks)
    } else {
        Err(Error::Invalid(problems))
    }
}

/// Checks one environment's stack: each item's own rules, then every policy
/// document against the rules and size limit of its kind.
pub fn validate(stack: &Stack) -> Vec<Diagnostic> {
    let mut checks = Checks::new(stack);
    for item in &stack.items {
        item.check(&mut checks);
    }
    for policy in stack.policies() {
        policy_document(&mut checks, &policy.field, policy.kind, policy.document);
    }
    checks.into_problems()
}

/// Checks what environments must not share: S3 bucket names are global,
/// IAM names are unique per account.
pub fn validate_across(_config: &Config, stacks: &[(&Environment, Stack)]) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut seen: Vec<(&str, String)> = Vec::new();
    for (environment, stack) in stacks {
        let checks = Checks::new(stack);
        for bucket in stack.items_of::<S3Bucket>() {
            let Some(name) = stack.evaluate(&bucket.bucket) else {
                continue;
            };
            if let Some((first, _)) = seen.iter().find(|(_, seen_name)| *seen_name == name) {
                problems.push(Diagnostic {
                    rule: "s3-bucket-name-unique",
                    origin: checks.origin_of(&bucket.bucket),
                    environment: Some(environment.name.clone()),
                    field: Some(format!("{}.bucket", bucket.address())),
                    message: format!("bucket name \"{name}\" is also used by environment \"{first}\""),
                    help: "S3 bucket names are global: give each environment its own artifacts_bucket_name".into(),
                });
            } else {
                seen.push((&environment.name, name));
            }
        }
    }
    problems.extend(iam_name_collisions(&iam_names(stacks)));
    problems
}

/// The IAM role and policy names each environment creates, resolved, for
/// the account-wide uniqueness rule.
fn iam_names<'a>(stacks: &'a [(&Environment, Stack)]) -> Vec<IamNames<'a>> {
    stacks
        .iter()
        .map(|(environment, stack)| {
            let checks = Checks::new(stack);
            let mut names = Vec::new();
            let roles = stack
                .items_of::<IamRole>()
                .map(|role| (StackItem::address(role).to_string(), &role.name));
            let policies = stack
                .items_of::<IamPolicy>()
                .map(|policy| (StackItem::address(policy).to_string(), &policy.name));
            for (address, name) in roles.chain(policies) {
                if let Some(value) = stack.evaluate(name) {
                    names.push((format!("{address}.name"), value, checks.origin_of(name)));
                }
            }
            IamNames {
                environment: &environment.name,
                account_id: environment
                    .account_id
                    .as_ref()
                    .map(|account| account.id.as_str()),
                names,
            }
        })
        .collect()
}

/// A policy document's size against its limit, for `tfgen validate`.
pub struct PolicySize {
    pub field: String,
    pub characters: usize,
    pub limit: usize,
}

/// The size of each policy document of the stack, as AWS counts it.
pub fn policy_sizes(stack: &Stack) -> Vec<PolicySize> {
    stack
        .policies()
        .into_iter()
        .map(|policy| PolicySize {
            characters: policy_size(stack, policy.document),
            limit: size_limit(policy.kind),
            field: policy.field,
        })
        .collect()
}

fn size_limit(kind: PolicyKind) -> usize {
    match kind {
        PolicyKind::Identity => MANAGED_POLICY_MAX,
        PolicyKind::Trust => TRUST_POLICY_MAX,
        PolicyKind::Resource => BUCKET_POLICY_MAX,
    }
}

/// The document as AWS receives it (Terraform's `jsonencode`, references
/// resolved). A reference tfgen cannot resolve counts as written, `${...}`.
fn policy_text(stack: &Stack, document: &PolicyDocument) -> String {
    let resolved = document.to_expr().substitute(&|path| {
        stack
            .resolve(path)
            .or_else(|| Some(format!("${{{}}}", path.join("."))))
    });
    jsonencode(&resolved).unwrap_or_default()
}

fn policy_size(stack: &Stack, document: &PolicyDocument) -> usize {
    policy_text(stack, document)
        .chars()
        .filter(|c| !c.is_whitespace())
        .count()
}

/// A policy document: its size against its kind's limit, its characters,
/// its Version, and the elements every statement needs.
fn policy_document(checks: &mut Checks, field: &str, kind: PolicyKind, document: &PolicyDocument) {
    let origin = checks.profile_origin();
    let text = policy_text(checks.stack(), document);
    let size = text.chars().filter(|c| !c.is_whitespace()).count();
    let limit = size_limit(kind);
    if size > limit {
        let what = match kind {
            PolicyKind::Identity => "a managed policy",
            PolicyKind::Trust => "a role trust policy",
            PolicyKind::Resource => "a bucket policy",
        };
        checks.report(
                "iam-policy-size",
                origin.clone(),
                field,
                format!("the document is {size} characters (whitespace not counted); {what} allows {limit}"),
                "merge statements that share a resource, use wildcards in action names, or split the policy in two",
            );
    }
    if let Some(bad) = text
        .chars()
        .find(|c| !matches!(*c, '\t' | '\n' | '\r' | '\u{20}'..='\u{ff}'))
    {
        checks.report(
                "iam-policy-charset",
                origin.clone(),
                field,
                format!("the document contains {bad:?} (U+{:04X}); IAM accepts only tab, LF, CR and U+0020 to U+00FF", bad as u32),
                "remove the character from the policy's values",
            );
    }
    if document.version.as_deref() != Some(VERSION) {
        let found = document
            .version
            .as_deref()
            .map_or("no Version".to_string(), |v| format!("Version \"{v}\""));
        checks.report(
            "iam-policy-version",
            origin.clone(),
            field,
            format!("the document has {found}"),
            "set Version = \"2012-10-17\"",
        );
    }
    for (index, statement) in document.statements.iter().enumerate() {
        let label = statement.label(index);
        if statement.effect.is_none() {
            checks.report(
                "iam-statement-effect",
                origin.clone(),
                field,
                format!("{label} has no Effect"),
                "add Effect = \"Allow\" or \"Deny\"",
            );
        }
        let empty = |values: &crate::policy::Values| values.items().is_empty();
        if statement
            .action
            .as_ref()
            .is_none_or(|action| empty(&action.values))
        {
            checks.report(
                "iam-statement-action",
                origin.clone(),
                field,
                format!("{label} has neither Action nor NotAction"),
                "add exactly one of Action or NotAction",
            );
        }
        if kind == PolicyKind::Identity
            && statement
                .resource
                .as_ref()
                .is_none_or(|resource| empty(&resource.values))
        {
            checks.report(
                "iam-statement-resource",
                origin.clone(),
                field,
                format!("{label} has neither Resource nor NotResource"),
                "add exactly one of Resource or NotResource (identity policies need one)",
            );
        }
    }
}

#[cfg(test)]
mod tests;
