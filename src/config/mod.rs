//! `tfgen.hcl`: which environments exist, with which profile and variables.
//!
//! Parse, then validate: the file is read with hcl-edit (which keeps byte
//! spans, so every problem points at `tfgen.hcl:LINE:COL`), then checked
//! into a [`Config`] that the rest of tfgen trusts. Every problem in the file
//! is reported at once, not only the first.

use std::path::{Path, PathBuf};

use hcl_edit::Span;
use hcl_edit::expr::Expression;
use hcl_edit::structure::{Body, Structure};

use crate::error::{Diagnostic, Error, Origin, Result};
pub use crate::stack::Setting;
use crate::stack::{Profile, StackInput, VARIABLES};

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
        }
    }
}

/// `Stack::build(&environment)`: the stack of a configured environment.
impl From<&Environment> for std::borrow::Cow<'_, StackInput> {
    fn from(environment: &Environment) -> Self {
        std::borrow::Cow::Owned(environment.stack_input())
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

fn config_error(rule: &'static str, origin: Origin, message: String, help: &str) -> Diagnostic {
    Diagnostic {
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
            rule,
            origin,
            environment: environment.map(str::to_string),
            field,
            message,
            help: help.to_string(),
        });
    }

    fn environments(&mut self, body: &Body) -> Vec<Environment> {
        let mut environments: Vec<Environment> = Vec::new();
        for structure in body.iter() {
            let block = match structure {
                Structure::Block(block) if block.ident.as_str() == "environment" => block,
                Structure::Block(block) => {
                    let origin = self.lines.of(block);
                    self.error(
                        "config-unknown-block",
                        origin,
                        None,
                        None,
                        format!("unknown block `{}`", block.ident.as_str()),
                        "tfgen.hcl holds only `environment \"NAME\" { ... }` blocks",
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
                        "tfgen.hcl holds only `environment \"NAME\" { ... }` blocks",
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
            if let Some(first) = environments
                .iter()
                .find(|environment| environment.name == name)
            {
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
            let environment = self.environment(name, origin, &block.body);
            environments.push(environment);
        }
        environments
    }

    fn environment(&mut self, name: String, origin: Origin, body: &Body) -> Environment {
        let mut profile = None;
        let mut pipeline = None;
        let mut settings: Vec<Setting> = Vec::new();
        let mut seen: Vec<(&str, Origin)> = Vec::new();
        for structure in body.iter() {
            let attribute = match structure {
                Structure::Attribute(attribute) => attribute,
                Structure::Block(block) => {
                    let origin = self.lines.of(block);
                    self.error(
                        "config-unknown-key",
                        origin,
                        Some(&name),
                        Some(block.ident.as_str().to_string()),
                        format!("unknown block `{}` in an environment", block.ident.as_str()),
                        "an environment takes `profile = \"...\"` and `variables = { ... }`",
                    );
                    continue;
                }
            };
            let key = attribute.key.as_str();
            let key_origin = self.lines.of(attribute);
            if let Some((_, first)) = seen.iter().find(|(seen_key, _)| *seen_key == key) {
                let message = format!("`{key}` is set twice (first at {first})");
                self.error(
                    "config-duplicate-key",
                    key_origin,
                    Some(&name),
                    Some(key.to_string()),
                    message,
                    "keep one",
                );
                continue;
            }
            seen.push((key, key_origin.clone()));
            match key {
                "profile" => profile = self.profile(&name, &attribute.value),
                "pipeline" => pipeline = self.boolean(&name, key, &attribute.value),
                "variables" => settings = self.variables(&name, &attribute.value),
                other => self.error(
                    "config-unknown-key",
                    key_origin,
                    Some(&name),
                    Some(other.to_string()),
                    format!("unknown key `{other}` in an environment"),
                    "an environment takes `profile = \"...\"` and `variables = { ... }`",
                ),
            }
        }
        Environment {
            name,
            profile: profile.unwrap_or(Profile::Seed),
            origin,
            settings,
            pipeline: pipeline.unwrap_or(false),
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
