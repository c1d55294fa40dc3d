//! The AWS naming and limit rules that items check on themselves.
//!
//! An item's [`StackItem::check`](super::StackItem::check) calls the rules
//! that apply to it (a bucket its bucket-name rules, a role its name, path
//! and session length) through [`Checks`], which evaluates every value as
//! the concrete string the environment gives it and reports a
//! [`Diagnostic`] naming the environment, the field, the value, the rule and
//! where the value came from. `validate` runs the checks; the rules live
//! here so items can use them without knowing `validate`.

use crate::error::{Diagnostic, Origin, Severity};
use crate::model::Expr;

use super::Stack;

pub const BUCKET_NAME_MIN: usize = 3;
pub const BUCKET_NAME_MAX: usize = 63;
pub const ROLE_NAME_MAX: usize = 64;
pub const POLICY_NAME_MAX: usize = 128;
pub const PATH_MAX: usize = 512;
pub const SESSION_MIN: i64 = 3600;
pub const SESSION_MAX: i64 = 43200;
pub const DESCRIPTION_MAX: usize = 1000;

const BUCKET_PREFIXES: [&str; 3] = ["xn--", "sthree-", "amzn-s3-demo-"];
const BUCKET_SUFFIXES: [&str; 4] = ["-s3alias", "--ol-s3", ".mrap", "--x-s3"];

/// The problems found in one stack, and what checking needs: the stack to
/// evaluate values in.
pub struct Checks<'a> {
    stack: &'a Stack,
    problems: Vec<Diagnostic>,
    /// Warnings and notes: told, but no reason to stop.
    advice: Vec<Diagnostic>,
}

impl<'a> Checks<'a> {
    pub fn new(stack: &'a Stack) -> Self {
        Checks {
            stack,
            problems: Vec::new(),
            advice: Vec::new(),
        }
    }

    pub fn stack(&self) -> &'a Stack {
        self.stack
    }

    pub fn into_problems(self) -> Vec<Diagnostic> {
        self.problems
    }

    /// The errors, and the warnings and notes.
    pub fn into_parts(self) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
        (self.problems, self.advice)
    }

    /// A warning or a note: what works today but should change, or what a
    /// person must do that no API can.
    pub fn advise(
        &mut self,
        severity: Severity,
        rule: &'static str,
        origin: Origin,
        field: &str,
        message: String,
        help: &str,
    ) {
        self.advice.push(Diagnostic {
            severity,
            rule,
            origin,
            environment: Some(self.stack.environment.clone()),
            field: Some(field.to_string()),
            message,
            help: help.to_string(),
        });
    }

    /// The concrete value of `expr` in this environment, if tfgen can know it.
    pub fn evaluate(&self, expr: &Expr) -> Option<String> {
        self.stack.evaluate(expr)
    }

    /// The origin of the first variable an expression uses, which is where a
    /// user changes its value; the profile's own data otherwise.
    pub fn origin_of(&self, expr: &Expr) -> Origin {
        expr.references()
            .into_iter()
            .find_map(|path| match path {
                [root, name] if root == "var" => self
                    .stack
                    .variable(name)
                    .map(|variable| variable.origin.clone()),
                _ => None,
            })
            .unwrap_or_else(|| self.profile_origin())
    }

    /// Values a profile writes itself (paths, durations, policies).
    pub fn profile_origin(&self) -> Origin {
        Origin::BuiltIn(format!("profile {}", self.stack.profile))
    }

    pub fn report(
        &mut self,
        rule: &'static str,
        origin: Origin,
        field: &str,
        message: String,
        help: &str,
    ) {
        self.problems.push(Diagnostic {
            severity: Severity::Error,
            rule,
            origin,
            environment: Some(self.stack.environment.clone()),
            field: Some(field.to_string()),
            message,
            help: help.to_string(),
        });
    }

    /// Every S3 bucket-name rule, on the name `expr` evaluates to.
    pub fn bucket_name(&mut self, expr: &Expr, field: &str) {
        let Some(name) = self.evaluate(expr) else {
            return;
        };
        let origin = self.origin_of(expr);
        for (rule, message, help) in bucket_name_problems(&name) {
            self.report(rule, origin.clone(), field, message, help);
        }
    }

    /// An IAM role or policy name: its length and characters.
    pub fn iam_name(&mut self, expr: &Expr, field: &str, limit: usize, length_rule: &'static str) {
        let Some(name) = self.evaluate(expr) else {
            return;
        };
        let origin = self.origin_of(expr);
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

    /// An IAM path: 1 to 512 printable ASCII characters between slashes.
    pub fn iam_path(&mut self, path: &str, field: &str) {
        let length = path.chars().count();
        let well_formed = path.starts_with('/')
            && path.ends_with('/')
            && path.chars().all(|c| ('\u{21}'..='\u{7e}').contains(&c));
        if length == 0 || length > PATH_MAX || !well_formed {
            self.report(
                "iam-path",
                self.profile_origin(),
                field,
                format!("path \"{path}\" must be 1 to {PATH_MAX} printable ASCII characters that begin and end with '/'"),
                "use \"/\" or a path such as \"/service-role/\"",
            );
        }
    }

    /// A role's `max_session_duration`.
    pub fn session_duration(&mut self, seconds: i64, field: &str) {
        if !(SESSION_MIN..=SESSION_MAX).contains(&seconds) {
            self.report(
                "iam-max-session-duration",
                self.profile_origin(),
                field,
                format!(
                    "max_session_duration {seconds} is outside {SESSION_MIN} to {SESSION_MAX} seconds"
                ),
                "use a duration from 1 hour (3600) to 12 hours (43200)",
            );
        }
    }

    /// An IAM policy description.
    pub fn iam_description(&mut self, expr: &Expr, field: &str) {
        let Some(description) = self.evaluate(expr) else {
            return;
        };
        let length = description.chars().count();
        if length > DESCRIPTION_MAX {
            self.report(
                "iam-policy-description-length",
                self.origin_of(expr),
                field,
                format!(
                    "the description is {length} characters long; the limit is {DESCRIPTION_MAX}"
                ),
                "shorten the description",
            );
        }
    }
}

/// How far beyond its own environment a resource's name must be unique.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Everywhere: S3 bucket names.
    Global,
    /// In an account: IAM names.
    Account,
    /// In an account and region: most services' names.
    Region,
}

/// The namespace a resource's name is in: its rule, what the name is in
/// messages, its scope, and how to keep two environments apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Namespace {
    pub rule: &'static str,
    /// `IAM name`, `CodePipeline name`.
    pub what: &'static str,
    pub scope: Scope,
    pub help: &'static str,
}

/// Per environment: each name of the `seed` pipeline is upstream's, and
/// fixed.
const DISTINCT_NAMES: &str = "give the environments distinct `env` values, account_id values or regions; seed's pipeline keeps upstream's fixed names, hardened names each after its environment";

impl Namespace {
    pub const S3_BUCKET: Namespace = Namespace {
        rule: "s3-bucket-name-unique",
        what: "bucket name",
        scope: Scope::Global,
        help: "S3 bucket names are global: give each environment its own artifacts_bucket_name",
    };
    pub const IAM: Namespace = Namespace {
        rule: "iam-name-unique",
        what: "IAM name",
        scope: Scope::Account,
        help: "give the environments distinct `env` values, or distinct account_id values",
    };
    /// The git mirror's user and group: IAM names that `seed` fixes.
    pub const IAM_MIRROR: Namespace = Namespace {
        help: "give the environments distinct account_id values: seed's git mirror user and group keep upstream's fixed names (hardened names them after the environment)",
        ..Namespace::IAM
    };

    /// A regional namespace of `what` (`CodePipeline name`) whose names
    /// the profile derives from the environment.
    pub const fn regional(rule: &'static str, what: &'static str) -> Namespace {
        Namespace::regional_with(rule, what, DISTINCT_NAMES)
    }

    /// A regional namespace whose names come from variables: `help` says
    /// which to set.
    pub const fn regional_with(
        rule: &'static str,
        what: &'static str,
        help: &'static str,
    ) -> Namespace {
        Namespace {
            rule,
            what,
            scope: Scope::Region,
            help,
        }
    }
}

/// The naming rule of one kind of AWS resource: its length and the
/// characters it allows.
pub struct NameRule {
    /// The rule ids: `codebuild-project-name-length`, `-charset`.
    pub length_rule: &'static str,
    pub charset_rule: &'static str,
    /// The service whose rule it is, and what is named: `CodeBuild`,
    /// `project name`.
    pub service: &'static str,
    pub what: &'static str,
    pub min: usize,
    pub max: usize,
    pub allowed: fn(char) -> bool,
    /// The allowed characters, in words.
    pub allowed_text: &'static str,
}

impl Checks<'_> {
    /// A resource name against its kind's [`NameRule`]; returns the name, for
    /// rules of its own.
    pub fn resource_name(&mut self, expr: &Expr, field: &str, rule: &NameRule) -> Option<String> {
        let name = self.evaluate(expr)?;
        let origin = self.origin_of(expr);
        let length = name.chars().count();
        if !(rule.min..=rule.max).contains(&length) {
            self.report(
                rule.length_rule,
                origin.clone(),
                field,
                format!(
                    "{} \"{name}\" is {length} characters long; {} allows {} to {}",
                    rule.what, rule.service, rule.min, rule.max
                ),
                "shorten the variables the name is built from",
            );
        }
        if let Some(bad) = name.chars().find(|c| !(rule.allowed)(*c)) {
            self.report(
                rule.charset_rule,
                origin,
                field,
                format!(
                    "{} \"{name}\" contains {bad:?}; {} allows {}",
                    rule.what, rule.service, rule.allowed_text
                ),
                "remove the character from the variables the name is built from",
            );
        }
        Some(name)
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
