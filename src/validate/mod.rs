//! The rules AWS enforces, checked before Terraform runs.
//!
//! Every name is checked as the concrete value an environment gives it
//! (`tf-mlops-role-${var.env}-1007` as `tf-mlops-role-prod-1007`), and every
//! policy document as the JSON AWS would receive. Each problem names the
//! environment, the field, the value, the rule and where the value came
//! from; all problems are returned, not only the first.

use crate::config::Config;
use crate::config::Environment;
use crate::error::{Diagnostic, Error, Origin, Result};
use crate::model::Expr;
use crate::policy::{PolicyDocument, PolicyKind, VERSION};
use crate::render::jsonencode::jsonencode;
use crate::stack::{ArtifactsBucket, ServiceRole, Stack};

pub const BUCKET_NAME_MIN: usize = 3;
pub const BUCKET_NAME_MAX: usize = 63;
pub const ROLE_NAME_MAX: usize = 64;
pub const POLICY_NAME_MAX: usize = 128;
pub const PATH_MAX: usize = 512;
pub const SESSION_MIN: i64 = 3600;
pub const SESSION_MAX: i64 = 43200;
pub const DESCRIPTION_MAX: usize = 1000;
/// Managed policy size, in characters not counting whitespace.
pub const MANAGED_POLICY_MAX: usize = 6144;
/// Role trust policy size (the default quota), in characters not counting whitespace.
pub const TRUST_POLICY_MAX: usize = 2048;
/// Bucket policy size, in bytes.
pub const BUCKET_POLICY_MAX: usize = 20480;

const BUCKET_PREFIXES: [&str; 3] = ["xn--", "sthree-", "amzn-s3-demo-"];
const BUCKET_SUFFIXES: [&str; 4] = ["-s3alias", "--ol-s3", ".mrap", "--x-s3"];

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

/// Checks one environment's stack.
pub fn validate(stack: &Stack) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut check = Checker {
        stack,
        problems: &mut problems,
    };
    check.bucket_name();
    check.role();
    check.policies();
    for policy in stack.policies() {
        check.policy_document(&policy.field, policy.kind, policy.document);
    }
    problems
}

/// Checks what environments must not share: S3 bucket names are global.
pub fn validate_across(_config: &Config, stacks: &[(&Environment, Stack)]) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut seen: Vec<(&str, String)> = Vec::new();
    for (environment, stack) in stacks {
        let Some(name) = stack.evaluate(&stack.artifacts_bucket.bucket) else {
            continue;
        };
        if let Some((first, _)) = seen.iter().find(|(_, seen_name)| *seen_name == name) {
            problems.push(Diagnostic {
                rule: "s3-bucket-name-unique",
                origin: origin_of(stack, &stack.artifacts_bucket.bucket),
                environment: Some(environment.name.clone()),
                field: Some(format!("{}.bucket", ArtifactsBucket::ADDRESS)),
                message: format!("bucket name \"{name}\" is also used by environment \"{first}\""),
                help: "S3 bucket names are global: give each environment its own artifacts_bucket_name".into(),
            });
        } else {
            seen.push((&environment.name, name));
        }
    }
    problems
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
/// resolved), counted without whitespace.
fn policy_text(stack: &Stack, document: &PolicyDocument) -> String {
    let resolved = document.to_expr().substitute(&|path| stack.resolve(path));
    jsonencode(&resolved).unwrap_or_else(|| {
        // A reference tfgen cannot resolve: count it as written.
        crate::render::render_json(&crate::model::Document::new(vec![
            crate::model::Block::new("locals", &[]).attr("policy", Expr::jsonencode(resolved)),
        ]))
    })
}

fn policy_size(stack: &Stack, document: &PolicyDocument) -> usize {
    policy_text(stack, document)
        .chars()
        .filter(|c| !c.is_whitespace())
        .count()
}

/// The origin of the first variable an expression uses, which is where a
/// user changes its value; the profile's own data otherwise.
fn origin_of(stack: &Stack, expr: &Expr) -> Origin {
    expr.references()
        .into_iter()
        .find_map(|path| match path {
            [root, name] if root == "var" => {
                stack.variable(name).map(|variable| variable.origin.clone())
            }
            _ => None,
        })
        .unwrap_or_else(|| Origin::BuiltIn(format!("profile {}", stack.profile)))
}

struct Checker<'a> {
    stack: &'a Stack,
    problems: &'a mut Vec<Diagnostic>,
}

impl Checker<'_> {
    fn report(
        &mut self,
        rule: &'static str,
        origin: Origin,
        field: &str,
        message: String,
        help: &str,
    ) {
        self.problems.push(Diagnostic {
            rule,
            origin,
            environment: Some(self.stack.environment.clone()),
            field: Some(field.to_string()),
            message,
            help: help.to_string(),
        });
    }

    fn bucket_name(&mut self) {
        let expr = &self.stack.artifacts_bucket.bucket;
        let field = format!("{}.bucket", ArtifactsBucket::ADDRESS);
        let Some(name) = self.stack.evaluate(expr) else {
            return;
        };
        let origin = origin_of(self.stack, expr);
        for (rule, message, help) in bucket_name_problems(&name) {
            self.report(rule, origin.clone(), &field, message, help);
        }
    }

    fn role(&mut self) {
        let role = &self.stack.role;
        let field = |name: &str| format!("{}.{name}", ServiceRole::ADDRESS);
        self.iam_name(
            &role.name,
            &field("name"),
            ROLE_NAME_MAX,
            "iam-role-name-length",
        );
        self.iam_path(&role.path, &field("path"));
        if !(SESSION_MIN..=SESSION_MAX).contains(&role.max_session_duration) {
            let origin = Origin::BuiltIn(format!("profile {}", self.stack.profile));
            self.report(
                "iam-max-session-duration",
                origin,
                &field("max_session_duration"),
                format!(
                    "max_session_duration {} is outside {SESSION_MIN} to {SESSION_MAX} seconds",
                    role.max_session_duration
                ),
                "use a duration from 1 hour (3600) to 12 hours (43200)",
            );
        }
    }

    fn policies(&mut self) {
        for policy in &self.stack.policies {
            let field = |name: &str| format!("{}.{name}", policy.address());
            self.iam_name(
                &policy.name,
                &field("name"),
                POLICY_NAME_MAX,
                "iam-policy-name-length",
            );
            self.iam_path(&policy.path, &field("path"));
            let Some(description) = self.stack.evaluate(&policy.description) else {
                continue;
            };
            let length = description.chars().count();
            if length > DESCRIPTION_MAX {
                let origin = origin_of(self.stack, &policy.description);
                self.report(
                    "iam-policy-description-length",
                    origin,
                    &field("description"),
                    format!("the description is {length} characters long; the limit is {DESCRIPTION_MAX}"),
                    "shorten the description",
                );
            }
        }
    }

    fn iam_name(&mut self, expr: &Expr, field: &str, limit: usize, length_rule: &'static str) {
        let Some(name) = self.stack.evaluate(expr) else {
            return;
        };
        let origin = origin_of(self.stack, expr);
        let length = name.chars().count();
        if length == 0 || length > limit {
            self.report(
                length_rule,
                origin.clone(),
                field,
                format!("name \"{name}\" is {length} characters long; IAM allows 1 to {limit}"),
                "shorten the environment name or the variables the name is built from",
            );
        }
        if let Some(bad) = name.chars().find(|c| !is_iam_name_char(*c)) {
            self.report(
                "iam-name-charset",
                origin,
                field,
                format!("name \"{name}\" contains {bad:?}; IAM names allow only A-Z a-z 0-9 and + = , . @ _ -"),
                "remove the character from the values the name is built from",
            );
        }
    }

    fn iam_path(&mut self, path: &str, field: &str) {
        let origin = Origin::BuiltIn(format!("profile {}", self.stack.profile));
        let length = path.chars().count();
        let well_formed = path.starts_with('/')
            && path.ends_with('/')
            && path.chars().all(|c| ('\u{21}'..='\u{7e}').contains(&c));
        if length == 0 || length > PATH_MAX || !well_formed {
            self.report(
                "iam-path",
                origin,
                field,
                format!("path \"{path}\" must be 1 to {PATH_MAX} printable ASCII characters that begin and end with '/'"),
                "use \"/\" or a path such as \"/service-role/\"",
            );
        }
    }

    fn policy_document(&mut self, field: &str, kind: PolicyKind, document: &PolicyDocument) {
        let origin = Origin::BuiltIn(format!("profile {}", self.stack.profile));
        let text = policy_text(self.stack, document);
        let size = text.chars().filter(|c| !c.is_whitespace()).count();
        let limit = size_limit(kind);
        if size > limit {
            let what = match kind {
                PolicyKind::Identity => "a managed policy",
                PolicyKind::Trust => "a role trust policy",
                PolicyKind::Resource => "a bucket policy",
            };
            self.report(
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
            self.report(
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
            self.report(
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
                self.report(
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
                self.report(
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
                self.report(
                    "iam-statement-resource",
                    origin.clone(),
                    field,
                    format!("{label} has neither Resource nor NotResource"),
                    "add exactly one of Resource or NotResource (identity policies need one)",
                );
            }
        }
    }
}

fn is_iam_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "+=,.@_-".contains(c)
}

/// Every rule a bucket name breaks: (rule, message, help).
pub fn bucket_name_problems(name: &str) -> Vec<(&'static str, String, &'static str)> {
    let mut problems = Vec::new();
    let length = name.chars().count();
    if !(BUCKET_NAME_MIN..=BUCKET_NAME_MAX).contains(&length) {
        problems.push((
            "s3-bucket-name-length",
            format!("bucket name \"{name}\" is {length} characters long; S3 allows {BUCKET_NAME_MIN} to {BUCKET_NAME_MAX}"),
            "choose a name of 3 to 63 characters",
        ));
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '.' || *c == '-'))
    {
        problems.push((
            "s3-bucket-name-charset",
            format!("bucket name \"{name}\" contains {bad:?}; only lowercase letters, digits, '.' and '-' are allowed"),
            "use lowercase letters, digits, '.' and '-' only",
        ));
    }
    // Case is the charset rule's business; this one is about punctuation.
    let alphanumeric = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    if !name.is_empty()
        && (!alphanumeric(name.chars().next()) || !alphanumeric(name.chars().last()))
    {
        problems.push((
            "s3-bucket-name-edges",
            format!("bucket name \"{name}\" must begin and end with a lowercase letter or a digit"),
            "remove the leading or trailing '.' or '-'",
        ));
    }
    if name.contains("..") {
        problems.push((
            "s3-bucket-name-dots",
            format!("bucket name \"{name}\" contains two adjacent periods"),
            "remove one of the periods",
        ));
    }
    if looks_like_ipv4(name) {
        problems.push((
            "s3-bucket-name-ip",
            format!("bucket name \"{name}\" is formatted like an IP address"),
            "add letters to the name",
        ));
    }
    if let Some(prefix) = BUCKET_PREFIXES
        .iter()
        .find(|prefix| name.starts_with(*prefix))
    {
        problems.push((
            "s3-bucket-name-prefix",
            format!("bucket name \"{name}\" starts with the reserved prefix \"{prefix}\""),
            "names may not start with xn--, sthree- or amzn-s3-demo-",
        ));
    }
    if let Some(suffix) = BUCKET_SUFFIXES
        .iter()
        .find(|suffix| name.ends_with(*suffix))
    {
        problems.push((
            "s3-bucket-name-suffix",
            format!("bucket name \"{name}\" ends with the reserved suffix \"{suffix}\""),
            "names may not end with -s3alias, --ol-s3, .mrap or --x-s3",
        ));
    }
    problems
}

fn looks_like_ipv4(name: &str) -> bool {
    let parts: Vec<&str> = name.split('.').collect();
    parts.len() == 4
        && parts
            .iter()
            .all(|part| (1..=3).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests;
