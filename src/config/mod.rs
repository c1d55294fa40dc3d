//! `tfgen.hcl`: which environments exist, with which profile and variables.
//!
//! Parse, then validate: the file is read with hcl-edit (which keeps byte
//! spans, so every problem points at `tfgen.hcl:LINE:COL`), then checked
//! into a [`Config`] that the rest of tfgen trusts. Every problem in the file
//! is reported at once, not only the first.
//!
//! Besides the environments, the file holds an optional `defaults` block
//! (the state bucket and tags every environment shares) and, per environment,
//! where its state lives, which account it may touch and how it is tagged;
//! the AWS rules those values must follow live in [`rules`].

pub mod rules;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use hcl_edit::Span;
use hcl_edit::expr::Expression;
use hcl_edit::structure::{Body, Structure};

use crate::error::{Diagnostic, Error, Origin, Result, Severity};
pub use crate::stack::Setting;
use crate::stack::remote_state::{EnvironmentSettings, S3Backend};
use crate::stack::rules::bucket_name_problems;
use crate::stack::source::{Approval, ConnectionSource, OutputFormat, PipelineSource};
use crate::stack::{Profile, StackInput, VARIABLES};
pub use rules::StateLocation;

/// The file tfgen looks for in the current directory.
pub const DEFAULT_FILE: &str = "tfgen.hcl";

/// The longest environment name: it becomes part of IAM role names.
pub const MAX_ENVIRONMENT_NAME: usize = 32;

#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub source: Source,
    pub environments: Vec<Environment>,
}

/// Where the environments were defined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    File(PathBuf),
    BuiltIn,
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::File(path) => write!(f, "{}", path.display()),
            Source::BuiltIn => f.write_str("built-in defaults"),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Environment {
    pub name: String,
    pub profile: Profile,
    /// Where the environment block starts.
    pub origin: Origin,
    /// Variables set explicitly; the others take the reference defaults.
    pub settings: Vec<Setting>,
    /// `pipeline = true`: the MLOps pipeline around the foundation.
    pub pipeline: bool,
    /// The S3 object of the environment's state, when a state bucket is set
    /// (in `defaults` or the environment); `None` keeps local state.
    pub state: Option<StateLocation>,
    /// The only account the environment may be applied to.
    pub account_id: Option<AccountId>,
    /// The IAM role Terraform assumes to deploy the environment.
    pub assume_role: Option<AssumeRole>,
    /// `defaults.tags` with the environment's own `tags` merged over them, in
    /// the order first set.
    pub tags: Vec<Tag>,
    /// `deletion_protection = false` lifts `hardened`'s protection of what
    /// holds data, to delete the environment on purpose (default true).
    pub deletion_protection: bool,
    /// `source { }`: where the pipelines get the code (CodeCommit unless set).
    pub source: PipelineSource,
    /// `approval { notify = [...] }`: who is emailed when an approval waits.
    pub approval: Option<Approval>,
}

/// A 12-digit AWS account ID, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountId {
    pub id: String,
    pub origin: Origin,
}

/// An IAM role ARN, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssumeRole {
    pub role_arn: String,
    pub origin: Origin,
}

/// One tag every resource of the environment carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    pub key: String,
    pub value: String,
    pub origin: Origin,
}

impl Environment {
    /// What the stack of this environment is built from.
    pub fn stack_input(&self) -> StackInput {
        StackInput {
            environment: self.name.clone(),
            profile: self.profile,
            origin: self.origin.clone(),
            settings: self.settings.clone(),
            pipeline: self.pipeline,
            remote: EnvironmentSettings {
                state: self.state.as_ref().map(|state| S3Backend {
                    bucket: state.bucket.clone(),
                    key: state.key.clone(),
                    region: state.region.clone(),
                }),
                account_id: self.account_id.as_ref().map(|account| account.id.clone()),
                assume_role: self.assume_role.as_ref().map(|role| role.role_arn.clone()),
                tags: self
                    .tags
                    .iter()
                    .map(|tag| (tag.key.clone(), tag.value.clone()))
                    .collect(),
            },
            deletion_protection: self.deletion_protection,
            source: self.source.clone(),
            approval: self.approval.clone(),
        }
    }
}

/// `Stack::build(&environment)`: the stack of a configured environment.
impl From<&Environment> for std::borrow::Cow<'_, StackInput> {
    fn from(environment: &Environment) -> Self {
        std::borrow::Cow::Owned(environment.stack_input())
    }
}

/// What an environment's entry in `tfgen.hcl` means, without where it was
/// written: what its stack is built from, with no origin, its variables
/// and tags in order of name. The same meaning builds the same stack, so a
/// comment, a moved block or reordered variables or tags are no change,
/// while a value set in `defaults` is part of every environment that
/// inherits it.
#[derive(Debug, Clone, PartialEq)]
pub struct Meaning(StackInput);

impl Environment {
    pub fn meaning(&self) -> Meaning {
        let mut input = self.stack_input();
        input.origin = Origin::BuiltIn(String::new());
        for setting in &mut input.settings {
            setting.origin = Origin::BuiltIn(String::new());
        }
        input
            .settings
            .sort_by(|one, other| one.name.cmp(&other.name));
        input.remote.tags.sort();
        if let crate::stack::source::PipelineSource::Connection(source) = &mut input.source {
            source.origin = Origin::BuiltIn(String::new());
        }
        Meaning(input)
    }
}

impl Environment {
    /// The region the environment's stack deploys to.
    pub fn region(&self) -> String {
        stack_region(&self.settings)
    }
}

impl Config {
    /// `--config FILE` when given, else `./tfgen.hcl` when present, else the
    /// built-in `dev` and `prod`.
    ///
    /// The built-in environments are used only when nothing at all is at
    /// `./tfgen.hcl`: a path that exists but cannot be read (a dangling
    /// symbolic link, a directory, a FIFO, no permission) is an error, since
    /// falling back would make `render --all` remove the real environments.
    pub fn load(explicit: Option<&Path>) -> Result<Config> {
        let path = match explicit {
            Some(path) => path.to_path_buf(),
            None => match std::fs::symlink_metadata(DEFAULT_FILE) {
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                    return Ok(Config::built_in());
                }
                _ => PathBuf::from(DEFAULT_FILE),
            },
        };
        let unreadable = |what: &str| {
            Error::Usage(format!(
                "cannot read {}: {what}\n  help: make it a readable file of environments, or remove it to use the built-in ones",
                path.display()
            ))
        };
        match std::fs::metadata(&path) {
            Ok(metadata) if metadata.is_file() => {}
            Ok(metadata) if metadata.is_dir() => return Err(unreadable("it is a directory")),
            Ok(_) => {
                return Err(unreadable(
                    "it is not a regular file (a FIFO, socket or device)",
                ));
            }
            Err(error)
                if error.kind() == std::io::ErrorKind::NotFound
                    && std::fs::symlink_metadata(&path).is_ok() =>
            {
                return Err(unreadable(
                    "it is a symbolic link to a path that does not exist",
                ));
            }
            Err(source) => return Err(Error::io("read", &path, source)),
        }
        let bytes = std::fs::read(&path).map_err(|source| Error::io("read", &path, source))?;
        Config::parse(&path, &bytes)
    }

    /// The environments used when there is no `tfgen.hcl`: `dev` is exactly
    /// the reference defaults; `prod` deploys branch `main` into its own
    /// bucket, since S3 bucket names are global.
    pub fn built_in() -> Config {
        let origin = |what: &str| Origin::BuiltIn(what.to_string());
        let setting = |name: &str, value: &str| Setting {
            name: name.to_string(),
            value: value.to_string(),
            origin: origin(&format!("environment \"prod\", variable {name}")),
        };
        Config {
            source: Source::BuiltIn,
            environments: vec![
                Environment {
                    name: "dev".into(),
                    profile: Profile::Seed,
                    origin: origin("environment \"dev\""),
                    settings: Vec::new(),
                    pipeline: false,
                    state: None,
                    account_id: None,
                    assume_role: None,
                    tags: Vec::new(),
                    deletion_protection: true,
                    source: PipelineSource::CodeCommit,
                    approval: None,
                },
                Environment {
                    name: "prod".into(),
                    profile: Profile::Hardened,
                    origin: origin("environment \"prod\""),
                    pipeline: false,
                    settings: vec![
                        setting("repository_branch", "main"),
                        setting(
                            "artifacts_bucket_name",
                            "sagemaker-artifacts-pipeline-18345-prod",
                        ),
                    ],
                    state: None,
                    account_id: None,
                    assume_role: None,
                    tags: Vec::new(),
                    deletion_protection: true,
                    source: PipelineSource::CodeCommit,
                    approval: None,
                },
            ],
        }
    }

    /// Parses and checks the text of a `tfgen.hcl`.
    pub fn parse(path: &Path, bytes: &[u8]) -> Result<Config> {
        let lines = LineIndex::new(path, bytes);
        let text = std::str::from_utf8(bytes).map_err(|error| {
            let origin = lines.origin(error.valid_up_to());
            Error::Invalid(vec![config_error(
                "config-encoding",
                origin,
                "the file is not valid UTF-8".into(),
                "save tfgen.hcl as UTF-8",
            )])
        })?;
        let body = hcl_edit::parser::parse_body(text).map_err(|error| {
            let (line, column, message) = crate::hcl_syntax::syntax_error(&error);
            let origin = Origin::File {
                path: path.to_path_buf(),
                line,
                column,
            };
            Error::Invalid(vec![config_error(
                "config-syntax",
                origin,
                message,
                "fix the HCL syntax at this position",
            )])
        })?;
        let mut reader = Reader {
            lines: &lines,
            diagnostics: Vec::new(),
        };
        let environments = reader.environments(&body);
        if !reader.diagnostics.is_empty() {
            return Err(Error::Invalid(reader.diagnostics));
        }
        if environments.is_empty() {
            return Err(Error::Invalid(vec![config_error(
                "config-no-environment",
                lines.origin(0),
                "no environment is defined".into(),
                "add at least one `environment \"NAME\" { profile = \"seed\" }` block",
            )]));
        }
        Ok(Config {
            source: Source::File(path.to_path_buf()),
            environments,
        })
    }

    pub fn environment(&self, name: &str) -> Result<&Environment> {
        self.environments
            .iter()
            .find(|environment| environment.name == name)
            .ok_or_else(|| Error::UnknownEnvironment {
                name: name.to_string(),
                known: self.names().join(", "),
                source_name: self.source.to_string(),
            })
    }

    pub fn names(&self) -> Vec<&str> {
        self.environments
            .iter()
            .map(|environment| environment.name.as_str())
            .collect()
    }
}

/// Checks an environment name: lowercase letters, digits and `-`, starting
/// with a letter, not ending with `-`, at most [`MAX_ENVIRONMENT_NAME`]
/// characters. The name ends up in directory names and IAM names.
pub fn environment_name_problem(name: &str) -> Option<String> {
    let valid_chars = name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    let starts = name.chars().next().is_some_and(|c| c.is_ascii_lowercase());
    if name.is_empty() {
        Some("the environment name is empty".into())
    } else if name.len() > MAX_ENVIRONMENT_NAME {
        Some(format!(
            "environment name \"{name}\" is {} characters long; the limit is {MAX_ENVIRONMENT_NAME}",
            name.len()
        ))
    } else if !valid_chars || !starts || name.ends_with('-') {
        Some(format!(
            "environment name \"{name}\" does not match [a-z][a-z0-9-]* (lowercase letters, digits and '-', starting with a letter, not ending with '-')"
        ))
    } else {
        None
    }
}

const TOP_LEVEL_HELP: &str = "tfgen.hcl holds an optional `defaults { ... }` block and `environment \"NAME\" { ... }` blocks";

const ENVIRONMENT_HELP: &str = "an environment takes `profile`, `pipeline`, `deletion_protection`, `account_id`, `assume_role`, `state { ... }`, `source { ... }`, `approval { ... }`, `tags = { ... }` and `variables = { ... }`";

/// The keys of `source { }`.
const SOURCE_KEYS: [&str; 7] = [
    "kind",
    "provider",
    "build_repository",
    "deploy_repository",
    "connection_arn",
    "file_paths",
    "output_format",
];

/// A string value from the file and where it is.
type Located = (String, Origin);

/// What the `defaults` block gives every environment.
#[derive(Debug, Default)]
struct Defaults {
    bucket: Option<Located>,
    region: Option<Located>,
    tags: Vec<Tag>,
}

/// The environment's own tags over the defaults: a key set in both keeps the
/// default's position and takes the environment's value.
fn merge_tags(defaults: &[Tag], own: Vec<Tag>) -> Vec<Tag> {
    let mut merged = defaults.to_vec();
    for tag in own {
        match merged.iter_mut().find(|default| default.key == tag.key) {
            Some(default) => *default = tag,
            None => merged.push(tag),
        }
    }
    merged
}

/// The region a stack with these settings deploys to: its `region`
/// variable, or that variable's reference default.
fn stack_region(settings: &[Setting]) -> String {
    settings
        .iter()
        .find(|setting| setting.name == "region")
        .map(|setting| setting.value.clone())
        .or_else(|| {
            VARIABLES
                .iter()
                .find(|variable| variable.name == "region")
                .map(|variable| variable.default.to_string())
        })
        .unwrap_or_default()
}

/// An S3 object key of 1 to 1,024 bytes that names a file, not a folder.
fn state_key_problem(key: &str) -> Option<rules::Problem> {
    if key.is_empty() || key.len() > 1024 || key.ends_with('/') || key.starts_with('/') {
        return Some((
            "config-state-key",
            format!(
                "state key \"{key}\" must be 1 to 1024 bytes, and neither start nor end with '/'"
            ),
            "write a key such as \"prod/terraform.tfstate\"",
        ));
    }
    None
}

fn config_error(rule: &'static str, origin: Origin, message: String, help: &str) -> Diagnostic {
    Diagnostic {
        severity: Severity::Error,
        rule,
        origin,
        environment: None,
        field: None,
        message,
        help: help.to_string(),
    }
}

/// Byte offsets to `file:line:column` (1-based, columns in characters).
struct LineIndex<'a> {
    path: &'a Path,
    bytes: &'a [u8],
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    fn new(path: &'a Path, bytes: &'a [u8]) -> Self {
        let mut starts = vec![0];
        starts.extend(
            bytes
                .iter()
                .enumerate()
                .filter(|(_, b)| **b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex {
            path,
            bytes,
            starts,
        }
    }

    fn origin(&self, offset: usize) -> Origin {
        let line = self.starts.partition_point(|&start| start <= offset).max(1);
        let start = self.starts[line - 1];
        let end = offset.min(self.bytes.len()).max(start);
        let column = String::from_utf8_lossy(&self.bytes[start..end])
            .chars()
            .count()
            + 1;
        Origin::File {
            path: self.path.to_path_buf(),
            line,
            column,
        }
    }

    fn of(&self, item: &impl Span) -> Origin {
        self.origin(item.span().map_or(0, |span| span.start))
    }
}

struct Reader<'a> {
    lines: &'a LineIndex<'a>,
    diagnostics: Vec<Diagnostic>,
}

impl Reader<'_> {
    fn error(
        &mut self,
        rule: &'static str,
        origin: Origin,
        environment: Option<&str>,
        field: Option<String>,
        message: String,
        help: &str,
    ) {
        self.diagnostics.push(Diagnostic {
            severity: Severity::Error,
            rule,
            origin,
            environment: environment.map(str::to_string),
            field,
            message,
            help: help.to_string(),
        });
    }

    fn environments(&mut self, body: &Body) -> Vec<Environment> {
        let defaults = self.defaults(body);
        let mut environments: Vec<Environment> = Vec::new();
        // Environment name to its index in `environments`: a file of
        // thousands of environments is checked for duplicates in one pass.
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for structure in body.iter() {
            let block = match structure {
                Structure::Block(block) if block.ident.as_str() == "environment" => block,
                Structure::Block(block) if block.ident.as_str() == "defaults" => continue,
                Structure::Block(block) => {
                    let origin = self.lines.of(block);
                    self.error(
                        "config-unknown-block",
                        origin,
                        None,
                        None,
                        format!("unknown block `{}`", block.ident.as_str()),
                        TOP_LEVEL_HELP,
                    );
                    continue;
                }
                Structure::Attribute(attribute) => {
                    let origin = self.lines.of(attribute);
                    self.error(
                        "config-unknown-key",
                        origin,
                        None,
                        None,
                        format!("unknown top-level attribute `{}`", attribute.key.as_str()),
                        TOP_LEVEL_HELP,
                    );
                    continue;
                }
            };
            let origin = self.lines.of(block);
            let [label] = block.labels.as_slice() else {
                self.error(
                    "config-environment-label",
                    origin,
                    None,
                    None,
                    format!(
                        "an environment block takes exactly one label, found {}",
                        block.labels.len()
                    ),
                    "write it as `environment \"NAME\" { ... }`",
                );
                continue;
            };
            let name = label.as_str().to_string();
            let label_origin = self.lines.of(label);
            if let Some(problem) = environment_name_problem(&name) {
                self.error(
                    "config-environment-name",
                    label_origin.clone(),
                    Some(&name),
                    None,
                    problem,
                    "rename the environment, e.g. `dev`, `staging`, `prod-eu`",
                );
            }
            if let Some(&first) = seen.get(name.as_str()) {
                let first: &Environment = &environments[first];
                let message = format!(
                    "environment \"{name}\" is defined twice (first at {})",
                    first.origin
                );
                self.error(
                    "config-duplicate-environment",
                    label_origin,
                    Some(&name),
                    None,
                    message,
                    "merge the two blocks or rename one",
                );
                continue;
            }
            seen.insert(label.as_str(), environments.len());
            let environment = self.environment(name, origin, &block.body, &defaults);
            environments.push(environment);
        }
        self.diagnostics.extend(rules::shared_state_problems(
            environments.iter().filter_map(|environment| {
                Some((environment.name.as_str(), environment.state.as_ref()?))
            }),
        ));
        environments
    }

    /// The `defaults` block, when there is one (at most one).
    fn defaults(&mut self, body: &Body) -> Defaults {
        let mut defaults = Defaults::default();
        let mut first: Option<Origin> = None;
        for structure in body.iter() {
            let Structure::Block(block) = structure else {
                continue;
            };
            if block.ident.as_str() != "defaults" {
                continue;
            }
            let origin = self.lines.of(block);
            if let Some(first) = &first {
                let message = format!("`defaults` is defined twice (first at {first})");
                self.error(
                    "config-duplicate-key",
                    origin,
                    None,
                    Some("defaults".into()),
                    message,
                    "merge the two blocks",
                );
                continue;
            }
            first = Some(origin.clone());
            if !block.labels.is_empty() {
                self.error(
                    "config-defaults-label",
                    origin,
                    None,
                    Some("defaults".into()),
                    format!("`defaults` takes no label, found {}", block.labels.len()),
                    "write it as `defaults { ... }`",
                );
            }
            let mut seen = Vec::new();
            for structure in block.body.iter() {
                match structure {
                    Structure::Block(inner) if inner.ident.as_str() == "state" => {
                        if !self.first_time(&mut seen, "state", self.lines.of(inner), None) {
                            continue;
                        }
                        let values = self.string_block(None, inner, &["bucket", "region"]);
                        for (key, value) in values {
                            match key {
                                "bucket" => defaults.bucket = Some(value),
                                _ => defaults.region = Some(value),
                            }
                        }
                    }
                    Structure::Attribute(attribute) if attribute.key.as_str() == "tags" => {
                        if self.first_time(&mut seen, "tags", self.lines.of(attribute), None) {
                            defaults.tags = self.tags(None, &attribute.value);
                        }
                    }
                    other => {
                        let (key, origin) = match other {
                            Structure::Block(inner) => (inner.ident.as_str(), self.lines.of(inner)),
                            Structure::Attribute(attribute) => {
                                (attribute.key.as_str(), self.lines.of(attribute))
                            }
                        };
                        self.error(
                            "config-unknown-key",
                            origin,
                            None,
                            Some(format!("defaults.{key}")),
                            format!("unknown key `{key}` in defaults"),
                            "defaults takes `state { bucket, region }` and `tags = { ... }`",
                        );
                    }
                }
            }
        }
        defaults
    }

    /// Records a key as seen; false (after an error) when it was seen before.
    fn first_time(
        &mut self,
        seen: &mut Vec<(String, Origin)>,
        key: &str,
        origin: Origin,
        environment: Option<&str>,
    ) -> bool {
        if let Some((_, first)) = seen.iter().find(|(seen_key, _)| seen_key == key) {
            let message = format!("`{key}` is set twice (first at {first})");
            self.error(
                "config-duplicate-key",
                origin,
                environment,
                Some(key.to_string()),
                message,
                "keep one",
            );
            return false;
        }
        seen.push((key.to_string(), origin));
        true
    }

    fn environment(
        &mut self,
        name: String,
        origin: Origin,
        body: &Body,
        defaults: &Defaults,
    ) -> Environment {
        let mut profile = None;
        let mut pipeline = None;
        let mut deletion_protection = None;
        let mut settings: Vec<Setting> = Vec::new();
        let mut own_state: Vec<(&str, Located)> = Vec::new();
        let mut state_block: Option<Origin> = None;
        let mut account_id = None;
        let mut assume_role = None;
        let mut own_tags = Vec::new();
        let mut source_block = None;
        let mut approval_block = None;
        let mut seen = Vec::new();
        for structure in body.iter() {
            let attribute = match structure {
                Structure::Attribute(attribute) => attribute,
                Structure::Block(block)
                    if matches!(block.ident.as_str(), "source" | "approval") =>
                {
                    let key = block.ident.as_str();
                    if self.first_time(&mut seen, key, self.lines.of(block), Some(&name)) {
                        match key {
                            "source" => source_block = Some(block),
                            _ => approval_block = Some(block),
                        }
                    }
                    continue;
                }
                Structure::Block(block) if block.ident.as_str() == "state" => {
                    let block_origin = self.lines.of(block);
                    if self.first_time(&mut seen, "state", block_origin.clone(), Some(&name)) {
                        state_block = Some(block_origin);
                        own_state =
                            self.string_block(Some(&name), block, &["key", "bucket", "region"]);
                    }
                    continue;
                }
                Structure::Block(block) => {
                    let origin = self.lines.of(block);
                    self.error(
                        "config-unknown-key",
                        origin,
                        Some(&name),
                        Some(block.ident.as_str().to_string()),
                        format!("unknown block `{}` in an environment", block.ident.as_str()),
                        ENVIRONMENT_HELP,
                    );
                    continue;
                }
            };
            let key = attribute.key.as_str();
            let key_origin = self.lines.of(attribute);
            if !self.first_time(&mut seen, key, key_origin.clone(), Some(&name)) {
                continue;
            }
            match key {
                "profile" => profile = self.profile(&name, &attribute.value),
                "pipeline" => pipeline = self.boolean(&name, key, &attribute.value),
                "deletion_protection" => {
                    deletion_protection = self.boolean(&name, key, &attribute.value)
                }
                "variables" => settings = self.variables(&name, &attribute.value),
                "account_id" => {
                    account_id = self
                        .checked_string(&name, "account_id", &attribute.value, |value| {
                            rules::account_id_problem(value)
                        })
                        .map(|(id, origin)| AccountId { id, origin });
                }
                "assume_role" => {
                    assume_role = self
                        .checked_string(&name, "assume_role", &attribute.value, |value| {
                            rules::role_arn_account(value).err()
                        })
                        .map(|(role_arn, origin)| AssumeRole { role_arn, origin });
                }
                "tags" => own_tags = self.tags(Some(&name), &attribute.value),
                other => self.error(
                    "config-unknown-key",
                    key_origin,
                    Some(&name),
                    Some(other.to_string()),
                    format!("unknown key `{other}` in an environment"),
                    ENVIRONMENT_HELP,
                ),
            }
        }
        if let (Some(account), Some(role)) = (&account_id, &assume_role)
            && let Some((rule, message, help)) =
                rules::role_account_problem(&role.role_arn, &account.id)
        {
            self.error(
                rule,
                role.origin.clone(),
                Some(&name),
                Some("assume_role".into()),
                message,
                help,
            );
        }
        let state = self.state(&name, &origin, state_block, own_state, defaults, &settings);
        let pipeline = pipeline.unwrap_or(false);
        let region = stack_region(&settings);
        let account = account_id.as_ref().map(|account| account.id.as_str());
        let source = source_block
            .map(|block| self.source(&name, block, pipeline, account, &region))
            .unwrap_or_default();
        let approval = approval_block.and_then(|block| self.approval(&name, block, pipeline));
        Environment {
            name,
            profile: profile.unwrap_or(Profile::Seed),
            origin,
            settings,
            pipeline,
            state,
            account_id,
            assume_role,
            tags: merge_tags(&defaults.tags, own_tags),
            deletion_protection: deletion_protection.unwrap_or(true),
            source,
            approval,
        }
    }

    /// A block that only means something with the pipeline: an error
    /// without it.
    fn needs_pipeline(
        &mut self,
        environment: &str,
        block: &hcl_edit::structure::Block,
        pipeline: bool,
    ) -> bool {
        if pipeline {
            return true;
        }
        let key = block.ident.as_str();
        self.error(
            "config-pipeline-required",
            self.lines.of(block),
            Some(environment),
            Some(key.to_string()),
            format!("`{key}` configures the pipeline, and this environment has none"),
            "set `pipeline = true`, or remove the block",
        );
        false
    }

    /// `source { kind, provider, build_repository, deploy_repository,
    /// connection_arn, file_paths, output_format }`: every value checked,
    /// the connection against the environment's account and region.
    fn source(
        &mut self,
        environment: &str,
        block: &hcl_edit::structure::Block,
        pipeline: bool,
        account_id: Option<&str>,
        region: &str,
    ) -> PipelineSource {
        let block_origin = self.lines.of(block);
        if !self.needs_pipeline(environment, block, pipeline) {
            return PipelineSource::CodeCommit;
        }
        let mut values: Vec<(&str, Located)> = Vec::new();
        let mut file_paths: Option<Vec<String>> = None;
        let (attributes, mut broken) =
            self.known_attributes(Some(environment), block, &SOURCE_KEYS);
        for (known, field, value) in attributes {
            if known == "file_paths" {
                file_paths = self.file_paths(environment, value);
                broken |= file_paths.is_none();
                continue;
            }
            match self.string(Some(environment), &field, value) {
                Some(value) => values.push((known, value)),
                None => broken = true,
            }
        }
        let value = |key: &str| {
            values
                .iter()
                .find(|(have, _)| *have == key)
                .map(|(_, value)| value.clone())
        };
        let kind = match value("kind") {
            Some((kind, origin)) => {
                if let Some((rule, message, help)) = rules::source_kind_problem(&kind) {
                    self.error(
                        rule,
                        origin,
                        Some(environment),
                        Some("source.kind".into()),
                        message,
                        help,
                    );
                    return PipelineSource::CodeCommit;
                }
                kind
            }
            None => "codecommit".to_string(),
        };
        if kind == "codecommit" {
            for (key, (_, origin)) in values.iter().filter(|(key, _)| *key != "kind") {
                self.error(
                    "config-source-codecommit",
                    origin.clone(),
                    Some(environment),
                    Some(format!("source.{key}")),
                    format!("`{key}` is a setting of kind \"codeconnections\"; kind \"codecommit\" takes none"),
                    "the CodeCommit repositories are named by variables.build_repository_name and deploy_repository_name: remove the key, or set kind = \"codeconnections\"",
                );
            }
            return PipelineSource::CodeCommit;
        }
        let mut required = |key: &str, example: &str| {
            let found = value(key);
            if found.is_none() {
                self.error(
                    "config-source-missing",
                    block_origin.clone(),
                    Some(environment),
                    Some(format!("source.{key}")),
                    format!("a codeconnections source needs `{key}`"),
                    &format!("add {key} = \"{example}\""),
                );
            }
            found
        };
        let provider = required("provider", "GitHub");
        let build = required("build_repository", "example-org/model-build");
        let deploy = required("deploy_repository", "example-org/model-deploy");
        let (Some(provider), Some(build), Some(deploy)) = (provider, build, deploy) else {
            return PipelineSource::CodeCommit;
        };
        let provider = match rules::git_provider(&provider.0) {
            Ok(known) => known,
            Err((rule, message, help)) => {
                self.error(
                    rule,
                    provider.1,
                    Some(environment),
                    Some("source.provider".into()),
                    message,
                    help,
                );
                return PipelineSource::CodeCommit;
            }
        };
        for (key, (repository, origin)) in
            [("build_repository", &build), ("deploy_repository", &deploy)]
        {
            if let Some((rule, message, help)) = rules::repository_id_problem(provider, repository)
            {
                self.error(
                    rule,
                    origin.clone(),
                    Some(environment),
                    Some(format!("source.{key}")),
                    message,
                    help,
                );
                broken = true;
            }
        }
        let connection_arn = value("connection_arn");
        if let Some((arn, origin)) = &connection_arn
            && let Some((rule, message, help)) =
                rules::connection_arn_problem(arn, account_id, region)
        {
            self.error(
                rule,
                origin.clone(),
                Some(environment),
                Some("source.connection_arn".into()),
                message,
                help,
            );
            broken = true;
        }
        let output_format = match value("output_format") {
            None => OutputFormat::default(),
            Some((text, origin)) => match rules::output_format(&text) {
                Ok(format) => format,
                Err((rule, message, help)) => {
                    self.error(
                        rule,
                        origin,
                        Some(environment),
                        Some("source.output_format".into()),
                        message,
                        help,
                    );
                    broken = true;
                    OutputFormat::default()
                }
            },
        };
        if broken {
            return PipelineSource::CodeCommit;
        }
        PipelineSource::Connection(ConnectionSource {
            provider,
            build_repository: build.0,
            deploy_repository: deploy.0,
            connection_arn: connection_arn.map(|(arn, _)| arn),
            file_paths: file_paths.unwrap_or_default(),
            output_format,
            origin: block_origin,
        })
    }

    /// `file_paths = ["glob", ...]`: at most [`rules::FILE_PATHS_MAX`]
    /// patterns, each within CodePipeline's length.
    fn file_paths(&mut self, environment: &str, value: &Expression) -> Option<Vec<String>> {
        let field = "source.file_paths";
        let list =
            self.string_list(environment, field, value, "file_paths = [\"pipelines/**\"]")?;
        if list.len() > rules::FILE_PATHS_MAX {
            self.error(
                "config-source-file-paths",
                self.lines.of(value),
                Some(environment),
                Some(field.into()),
                format!(
                    "{} file path patterns; a trigger filter takes at most {}",
                    list.len(),
                    rules::FILE_PATHS_MAX
                ),
                "merge patterns with globs (\"pipelines/**\")",
            );
            return None;
        }
        let mut paths = Vec::new();
        let mut ok = true;
        for (path, origin) in list {
            if let Some((rule, message, help)) = rules::file_path_problem(&path) {
                self.error(
                    rule,
                    origin,
                    Some(environment),
                    Some(field.into()),
                    message,
                    help,
                );
                ok = false;
            }
            paths.push(path);
        }
        ok.then_some(paths)
    }

    /// A list of strings, each with where it is; a type error otherwise.
    fn string_list(
        &mut self,
        environment: &str,
        field: &str,
        value: &Expression,
        example: &str,
    ) -> Option<Vec<Located>> {
        let Expression::Array(array) = value else {
            self.error(
                "config-type",
                self.lines.of(value),
                Some(environment),
                Some(field.to_string()),
                format!(
                    "{field} must be a list of strings, found {}",
                    describe(value)
                ),
                &format!("write {example}"),
            );
            return None;
        };
        let mut items = Vec::new();
        let mut ok = true;
        for item in array.iter() {
            match self.string(Some(environment), field, item) {
                Some(located) => items.push(located),
                None => ok = false,
            }
        }
        ok.then_some(items)
    }

    /// `approval { notify = ["address", ...] }`: at least one address, each
    /// one SNS can subscribe, none twice.
    fn approval(
        &mut self,
        environment: &str,
        block: &hcl_edit::structure::Block,
        pipeline: bool,
    ) -> Option<Approval> {
        if !self.needs_pipeline(environment, block, pipeline) {
            return None;
        }
        let mut notify: Option<Vec<String>> = None;
        let attributes = self
            .known_attributes(Some(environment), block, &["notify"])
            .0;
        let given = !attributes.is_empty();
        for (_, field, value) in attributes {
            let Some(list) = self.string_list(
                environment,
                &field,
                value,
                "notify = [\"ml-approvers@example.com\"]",
            ) else {
                continue;
            };
            if list.is_empty() {
                self.error(
                    "config-approval-empty",
                    self.lines.of(value),
                    Some(environment),
                    Some(field),
                    "approval.notify names no one".into(),
                    "list at least one address, or remove the approval block",
                );
                continue;
            }
            let mut addresses: Vec<String> = Vec::new();
            let mut ok = true;
            for (address, origin) in list {
                if let Some((rule, message, help)) = rules::email_problem(&address) {
                    self.error(
                        rule,
                        origin,
                        Some(environment),
                        Some(field.clone()),
                        message,
                        help,
                    );
                    ok = false;
                    continue;
                }
                if addresses
                    .iter()
                    .any(|have| have.eq_ignore_ascii_case(&address))
                {
                    self.error(
                        "config-duplicate-key",
                        origin,
                        Some(environment),
                        Some(field.clone()),
                        format!("\"{address}\" is listed twice"),
                        "keep one",
                    );
                    ok = false;
                    continue;
                }
                addresses.push(address);
            }
            if ok {
                notify = Some(addresses);
            }
        }
        match notify {
            Some(notify) => Some(Approval { notify }),
            None => {
                if !given {
                    self.error(
                        "config-approval-empty",
                        self.lines.of(block),
                        Some(environment),
                        Some("approval.notify".into()),
                        "the approval block names no one to notify".into(),
                        "add notify = [\"ml-approvers@example.com\"]",
                    );
                }
                None
            }
        }
    }

    fn boolean(&mut self, environment: &str, key: &str, value: &Expression) -> Option<bool> {
        match value {
            Expression::Bool(flag) => Some(*flag.value()),
            other => {
                self.error(
                    "config-type",
                    self.lines.of(value),
                    Some(environment),
                    Some(key.to_string()),
                    format!("{key} must be a boolean, found {}", describe(other)),
                    &format!("write {key} = true or {key} = false"),
                );
                None
            }
        }
    }

    /// The environment's state location: its own `state` values over
    /// `defaults.state`; the key derived from the name when not set, the
    /// region that of the stack when set nowhere.
    fn state(
        &mut self,
        environment: &str,
        origin: &Origin,
        state_block: Option<Origin>,
        own: Vec<(&str, Located)>,
        defaults: &Defaults,
        settings: &[Setting],
    ) -> Option<StateLocation> {
        let own_value = |key: &str| {
            own.iter()
                .find(|(own_key, _)| *own_key == key)
                .map(|(_, value)| value.clone())
        };
        let Some(bucket) = own_value("bucket").or_else(|| defaults.bucket.clone()) else {
            if let Some(block_origin) = state_block {
                self.error(
                    "config-state-bucket-missing",
                    block_origin,
                    Some(environment),
                    Some("state.bucket".into()),
                    "the state block sets no bucket, and defaults sets none".into(),
                    "set `state { bucket = \"...\" }` in defaults (or in this environment)",
                );
            }
            return None;
        };
        let (key, key_origin) = own_value("key")
            .unwrap_or_else(|| (rules::default_state_key(environment), origin.clone()));
        let region = own_value("region")
            .or_else(|| defaults.region.clone())
            .map(|(region, _)| region)
            .unwrap_or_else(|| stack_region(settings));
        Some(StateLocation {
            bucket: bucket.0,
            key,
            region,
            origin: key_origin,
        })
    }

    /// The attributes of a block such as `state { ... }` whose keys are
    /// among `keys`, each with its field (`state.bucket`); an unknown key,
    /// a nested block or a repeat is an error, and makes the second value
    /// true.
    fn known_attributes<'b, 'k>(
        &mut self,
        environment: Option<&str>,
        block: &'b hcl_edit::structure::Block,
        keys: &[&'k str],
    ) -> (Vec<(&'k str, String, &'b Expression)>, bool) {
        let block_name = block.ident.as_str();
        let mut found = Vec::new();
        let mut seen = Vec::new();
        let mut broken = false;
        for structure in block.body.iter() {
            let (key, origin) = match structure {
                Structure::Attribute(attribute) => {
                    (attribute.key.as_str(), self.lines.of(attribute))
                }
                Structure::Block(inner) => (inner.ident.as_str(), self.lines.of(inner)),
            };
            let field = format!("{block_name}.{key}");
            let known = keys.iter().find(|known| **known == key);
            let (Some(known), Structure::Attribute(attribute)) = (known, structure) else {
                self.error(
                    "config-unknown-key",
                    origin,
                    environment,
                    Some(field),
                    format!("unknown key `{key}` in `{block_name}`"),
                    &format!("`{block_name}` takes: {}", keys.join(", ")),
                );
                broken = true;
                continue;
            };
            if !self.first_time(&mut seen, &field, origin, environment) {
                broken = true;
                continue;
            }
            found.push((*known, field, &attribute.value));
        }
        (found, broken)
    }

    /// The string attributes of a block such as `state { ... }`, each checked
    /// by its own rule; unknown keys, other types and repeats are errors.
    fn string_block<'k>(
        &mut self,
        environment: Option<&str>,
        block: &hcl_edit::structure::Block,
        keys: &[&'k str],
    ) -> Vec<(&'k str, Located)> {
        let mut values: Vec<(&'k str, Located)> = Vec::new();
        for (known, field, value) in self.known_attributes(environment, block, keys).0 {
            let Some((value, value_origin)) = self.string(environment, &field, value) else {
                continue;
            };
            let problem = match known {
                "bucket" => bucket_name_problems(&value).into_iter().next(),
                "region" => rules::region_problem(&value),
                _ => state_key_problem(&value),
            };
            if let Some((rule, message, help)) = problem {
                self.error(rule, value_origin, environment, Some(field), message, help);
                continue;
            }
            values.push((known, (value, value_origin)));
        }
        values
    }

    /// A string value and where it is; a type error otherwise.
    fn string(
        &mut self,
        environment: Option<&str>,
        field: &str,
        value: &Expression,
    ) -> Option<Located> {
        let origin = self.lines.of(value);
        let Expression::String(text) = value else {
            self.error(
                "config-type",
                origin,
                environment,
                Some(field.to_string()),
                format!("{field} must be a string, found {}", describe(value)),
                &format!("quote the value: {field} = \"...\""),
            );
            return None;
        };
        Some((text.as_str().to_string(), origin))
    }

    /// A string that must pass `rule`.
    fn checked_string(
        &mut self,
        environment: &str,
        field: &str,
        value: &Expression,
        rule: impl Fn(&str) -> Option<rules::Problem>,
    ) -> Option<Located> {
        let (text, origin) = self.string(Some(environment), field, value)?;
        if let Some((rule, message, help)) = rule(&text) {
            self.error(
                rule,
                origin,
                Some(environment),
                Some(field.to_string()),
                message,
                help,
            );
            return None;
        }
        Some((text, origin))
    }

    /// `tags = { Key = "value" }`, each key and value within AWS's tag rules.
    fn tags(&mut self, environment: Option<&str>, value: &Expression) -> Vec<Tag> {
        let field_of = |key: &str| match environment {
            Some(_) => format!("tags.{key}"),
            None => format!("defaults.tags.{key}"),
        };
        let Expression::Object(object) = value else {
            let origin = self.lines.of(value);
            self.error(
                "config-type",
                origin,
                environment,
                Some(field_of("").trim_end_matches('.').to_string()),
                format!("tags must be an object, found {}", describe(value)),
                "write tags = { Owner = \"ml-platform\" }",
            );
            return Vec::new();
        };
        let mut tags: Vec<Tag> = Vec::new();
        for (key, entry) in object.iter() {
            let key_origin = self.lines.of(key);
            let key = match crate::hcl_syntax::object_key_name(key) {
                Ok(key) => key,
                Err(other) => {
                    self.error(
                        "config-type",
                        key_origin,
                        environment,
                        Some(field_of("").trim_end_matches('.').to_string()),
                        format!(
                            "a tag key must be a name or a string, found {}",
                            describe(other)
                        ),
                        "write tags = { Owner = \"ml-platform\" } or { \"cost:center\" = \"42\" }",
                    );
                    continue;
                }
            };
            let field = field_of(&key);
            if let Some(first) = tags.iter().find(|tag| tag.key == key) {
                let message = format!("tag `{key}` is set twice (first at {})", first.origin);
                self.error(
                    "config-duplicate-key",
                    key_origin,
                    environment,
                    Some(field),
                    message,
                    "keep one",
                );
                continue;
            }
            if let Some((rule, message, help)) = rules::tag_key_problem(&key) {
                self.error(rule, key_origin, environment, Some(field), message, help);
                continue;
            }
            let Some((value, value_origin)) = self.string(environment, &field, entry.expr()) else {
                continue;
            };
            if let Some((rule, message, help)) = rules::tag_value_problem(&key, &value) {
                self.error(rule, value_origin, environment, Some(field), message, help);
                continue;
            }
            tags.push(Tag {
                key,
                value,
                origin: value_origin,
            });
        }
        tags
    }

    fn profile(&mut self, environment: &str, value: &Expression) -> Option<Profile> {
        let origin = self.lines.of(value);
        let field = Some("profile".to_string());
        let Expression::String(text) = value else {
            self.error(
                "config-type",
                origin,
                Some(environment),
                field,
                format!("profile must be a string, found {}", describe(value)),
                &format!(
                    "write one of: profile = \"{}\"",
                    Profile::names().join("\", \"")
                ),
            );
            return None;
        };
        match text.as_str().parse::<Profile>() {
            Ok(profile) => Some(profile),
            Err(_) => {
                self.error(
                    "config-unknown-profile",
                    origin,
                    Some(environment),
                    field,
                    format!("unknown profile \"{}\"", text.as_str()),
                    &format!("the profiles are: {}", Profile::names().join(", ")),
                );
                None
            }
        }
    }

    fn variables(&mut self, environment: &str, value: &Expression) -> Vec<Setting> {
        let origin = self.lines.of(value);
        let Expression::Object(object) = value else {
            self.error(
                "config-type",
                origin,
                Some(environment),
                Some("variables".into()),
                format!("variables must be an object, found {}", describe(value)),
                "write variables = { name = \"value\" }",
            );
            return Vec::new();
        };
        let mut settings: Vec<Setting> = Vec::new();
        for (key, entry) in object.iter() {
            let key_origin = self.lines.of(key);
            let name = match crate::hcl_syntax::object_key_name(key) {
                Ok(name) => name,
                Err(other) => {
                    self.error(
                        "config-type",
                        key_origin,
                        Some(environment),
                        Some("variables".into()),
                        format!(
                            "a variable name must be a name or a string, found {}",
                            describe(other)
                        ),
                        "write variables = { name = \"value\" }",
                    );
                    continue;
                }
            };
            let field = Some(format!("variables.{name}"));
            if !VARIABLES.iter().any(|variable| variable.name == name) {
                let known: Vec<&str> = VARIABLES.iter().map(|variable| variable.name).collect();
                self.error(
                    "config-unknown-variable",
                    key_origin,
                    Some(environment),
                    field,
                    format!("unknown variable `{name}`"),
                    &format!("the variables are: {}", known.join(", ")),
                );
                continue;
            }
            if let Some(first) = settings.iter().find(|setting| setting.name == name) {
                let message = format!("variable `{name}` is set twice (first at {})", first.origin);
                self.error(
                    "config-duplicate-key",
                    key_origin,
                    Some(environment),
                    field,
                    message,
                    "keep one",
                );
                continue;
            }
            let value_origin = self.lines.of(entry.expr());
            let Expression::String(text) = entry.expr() else {
                self.error(
                    "config-type",
                    value_origin,
                    Some(environment),
                    field,
                    format!(
                        "variable `{name}` must be a string, found {}",
                        describe(entry.expr())
                    ),
                    "quote the value: every variable of the stack is a string",
                );
                continue;
            };
            if let Some((rule, message, help)) = rules::variable_problem(&name, text.as_str()) {
                self.error(rule, value_origin, Some(environment), field, message, help);
                continue;
            }
            settings.push(Setting {
                name,
                value: text.as_str().to_string(),
                origin: value_origin,
            });
        }
        settings
    }
}

/// Names the kind of an expression for a type error.
fn describe(value: &Expression) -> &'static str {
    match value {
        Expression::Null(_) => "null",
        Expression::Bool(_) => "a boolean",
        Expression::Number(_) => "a number",
        Expression::String(_) => "a string",
        Expression::Array(_) => "a list",
        Expression::Object(_) => "an object",
        Expression::StringTemplate(_) | Expression::HeredocTemplate(_) => {
            "a string template (interpolation is not supported in tfgen.hcl)"
        }
        Expression::Variable(_) | Expression::Traversal(_) => "a reference",
        Expression::FuncCall(_) => "a function call",
        _ => "an expression",
    }
}

#[cfg(test)]
mod tests;
