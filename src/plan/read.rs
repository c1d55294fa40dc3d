//! Terraform's JSON plan representation (`terraform show -json PLAN`), as
//! far as a review reads it: each resource change (its address, actions,
//! the values before and after, what is unknown until apply and what is
//! sensitive, what forces a replacement, an import or a move), the drift a
//! refresh found, and the output changes. Everything else in the file (the
//! configuration, the prior state, the planned values) is skipped while
//! parsing, which is most of a plan's bytes.

use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;

/// A plan, as `terraform show -json` writes it, borrowing from its text:
/// the values of a change are kept as raw JSON until a summary needs them,
/// which for the resources a plan leaves alone is never.
#[derive(Debug, Clone, Deserialize)]
pub struct Plan<'a> {
    pub format_version: String,
    #[serde(default)]
    pub terraform_version: Option<String>,
    /// What applying changes.
    #[serde(default, borrow)]
    pub resource_changes: Vec<ResourceChange<'a>>,
    /// What changed outside Terraform since the last apply (a refresh).
    #[serde(default, borrow)]
    pub resource_drift: Vec<ResourceChange<'a>>,
    #[serde(default, borrow)]
    pub output_changes: std::collections::BTreeMap<String, Change<'a>>,
    /// True when the plan was cut short by an error.
    #[serde(default)]
    pub errored: bool,
}

/// One resource instance's change.
#[derive(Debug, Clone, Deserialize)]
pub struct ResourceChange<'a> {
    pub address: String,
    /// `managed` or `data`.
    #[serde(default)]
    pub mode: String,
    #[serde(rename = "type", default)]
    pub kind: String,
    /// Where the object was in the state before a `moved` block.
    #[serde(default)]
    pub previous_address: Option<String>,
    /// Why Terraform does what it does (`delete_because_no_resource_config`).
    #[serde(default)]
    pub action_reason: Option<String>,
    #[serde(borrow)]
    pub change: Change<'a>,
}

/// Before and after, with what is unknown and what is sensitive, each as
/// the raw JSON the plan holds ([`Change::values`] parses them).
#[derive(Debug, Clone, Deserialize)]
pub struct Change<'a> {
    pub actions: Vec<String>,
    #[serde(default, borrow)]
    pub before: Option<&'a RawValue>,
    #[serde(default, borrow)]
    pub after: Option<&'a RawValue>,
    /// `true` at a path whose value is known only after apply.
    #[serde(default, borrow)]
    pub after_unknown: Option<&'a RawValue>,
    /// `true` at a path whose value is sensitive.
    #[serde(default, borrow)]
    pub before_sensitive: Option<&'a RawValue>,
    #[serde(default, borrow)]
    pub after_sensitive: Option<&'a RawValue>,
    /// The attribute paths that force a replacement.
    #[serde(default)]
    pub replace_paths: Vec<Vec<Value>>,
    /// Set when the change imports an existing object.
    #[serde(default, borrow)]
    pub importing: Option<&'a RawValue>,
}

/// A change's values, parsed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Values {
    pub before: Value,
    pub after: Value,
    pub after_unknown: Value,
    pub before_sensitive: Value,
    pub after_sensitive: Value,
}

impl Change<'_> {
    /// The values, parsed from the plan's raw JSON (which the parse of the
    /// plan already checked).
    pub fn values(&self) -> Values {
        let parse = |raw: Option<&RawValue>| {
            raw.map_or(Value::Null, |raw| {
                serde_json::from_str(raw.get()).unwrap_or(Value::Null)
            })
        };
        Values {
            before: parse(self.before),
            after: parse(self.after),
            after_unknown: parse(self.after_unknown),
            before_sensitive: parse(self.before_sensitive),
            after_sensitive: parse(self.after_sensitive),
        }
    }

    /// Whether the change imports an object.
    pub fn imports(&self) -> bool {
        self.importing.is_some_and(|raw| raw.get() != "null")
    }
}

/// A plan file that is not what `terraform show -json` writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// What one change does, in words a review uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Action {
    Create,
    Update,
    Replace,
    Delete,
    Read,
    Forget,
    NoOp,
}

impl Action {
    pub fn name(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Replace => "replace",
            Action::Delete => "destroy",
            Action::Read => "read",
            Action::Forget => "forget",
            Action::NoOp => "no-op",
        }
    }

    /// The mark a plan prints: `+`, `~`, `-/+`, `-`.
    pub fn mark(self) -> &'static str {
        match self {
            Action::Create => "+",
            Action::Update => "~",
            Action::Replace => "-/+",
            Action::Delete => "-",
            Action::Read => "<=",
            Action::Forget => ".",
            Action::NoOp => " ",
        }
    }
}

impl Change<'_> {
    /// Terraform's list of actions as one: `["delete", "create"]` (or the
    /// other order) is a replacement.
    pub fn action(&self) -> Action {
        let has = |name: &str| self.actions.iter().any(|action| action == name);
        match () {
            _ if has("delete") && has("create") => Action::Replace,
            _ if has("create") => Action::Create,
            _ if has("delete") => Action::Delete,
            _ if has("update") => Action::Update,
            _ if has("read") => Action::Read,
            _ if has("forget") => Action::Forget,
            _ => Action::NoOp,
        }
    }
}

/// Reads a plan from the text of `terraform show -json`.
pub fn parse(text: &str) -> Result<Plan<'_>, PlanError> {
    let plan: Plan = serde_json::from_str(text).map_err(|error| PlanError {
        line: error.line(),
        column: error.column(),
        message: match error.classify() {
            serde_json::error::Category::Data => {
                format!("not a plan as `terraform show -json PLAN` writes it: {error}")
            }
            _ => format!("invalid JSON: {error}"),
        },
    })?;
    if !plan.format_version.starts_with("1.") {
        return Err(PlanError {
            line: 1,
            column: 1,
            message: format!(
                "plan format {} is not one tfgen reads (1.x, Terraform 1.0 and later)",
                plan.format_version
            ),
        });
    }
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_are_read_as_terraform_means_them() {
        let change = |actions: &[&str]| Change {
            actions: actions.iter().map(|a| a.to_string()).collect(),
            before: None,
            after: None,
            after_unknown: None,
            before_sensitive: None,
            after_sensitive: None,
            replace_paths: Vec::new(),
            importing: None,
        };
        assert_eq!(change(&["create", "delete"]).action(), Action::Replace);
        assert_eq!(change(&["delete", "create"]).action(), Action::Replace);
        assert_eq!(change(&["no-op"]).action(), Action::NoOp);
        assert_eq!(change(&["forget"]).action(), Action::Forget);
    }

    #[test]
    fn what_is_not_a_plan_says_where() {
        let error = parse("{\n  \"format_version\": 1\n}").unwrap_err();
        assert_eq!((error.line, error.column), (2, 21));
        assert!(error.message.starts_with("not a plan"), "{}", error.message);
        assert!(parse("{").unwrap_err().message.starts_with("invalid JSON"));
        let error = parse("{\"format_version\": \"0.1\"}").unwrap_err();
        assert!(error.message.contains("plan format 0.1"));
    }
}
