//! What a set of plans does, environment by environment, and the gate.
//!
//! Per resource: its action, and the attributes that change as paths
//! (`versioning_configuration[0].status`), each value as JSON text, a
//! sensitive one as `(sensitive value)` and one known only after apply as
//! `(known after apply)`; a policy document (an attribute holding the JSON
//! of an object with a `Statement`) is compared statement by statement,
//! with the matching of `tfgen diff`. What a policy newly grants is judged
//! by `tfgen lint`'s rules on the planned document.
//!
//! The gate: a destroy or replacement of what keeps data (a bucket, a
//! repository, a key, a log group: `stack::resources::KEEPERS` at tier
//! `Data`; the state bucket is a bucket) is an error unless allowed by
//! `--allow-destroy`; a new grant of Permissions management or on every
//! resource is a warning.

use std::collections::BTreeSet;
use std::fmt::Write;

use serde_json::Value;

use super::read::{Action, Plan, ResourceChange, Values};
use crate::diff::policy::{self, PolicyChange, Sign};
use crate::lint::catalogue::{AccessLevel, Catalogue};
use crate::lint::{self, Finding};
use crate::model::Expr;
use crate::policy::{PolicyDocument, PolicyKind};
use crate::stack::resources::{Tier, keeps, mirrored};
use crate::stack::{PolicyRef, SizeLimit};

/// What is shown for a value Terraform marks sensitive.
pub const SENSITIVE: &str = "(sensitive value)";
/// What is shown for a value known only after apply.
pub const UNKNOWN: &str = "(known after apply)";

/// `--allow-destroy`: an address, for one environment or every one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allowed {
    pub environment: Option<String>,
    pub address: String,
}

impl Allowed {
    /// `ENV:ADDRESS` or `ADDRESS`.
    pub fn parse(text: &str) -> Allowed {
        match text.split_once(':') {
            // An address has no colon; an environment name no dot.
            Some((environment, address)) if !environment.contains('.') => Allowed {
                environment: Some(environment.to_string()),
                address: address.to_string(),
            },
            _ => Allowed {
                environment: None,
                address: text.to_string(),
            },
        }
    }

    fn covers(&self, environment: &str, address: &str) -> bool {
        self.address == address
            && self
                .environment
                .as_deref()
                .is_none_or(|env| env == environment)
    }
}

/// Every environment's summary, and the gate over all of them.
#[derive(Debug, Clone)]
pub struct Summary {
    /// A refresh-only plan's drift, rather than what applying changes.
    pub drift: bool,
    pub environments: Vec<EnvironmentSummary>,
    pub gate: Gate,
}

#[derive(Debug, Clone)]
pub struct EnvironmentSummary {
    pub name: String,
    pub source: String,
    pub terraform_version: Option<String>,
    pub counts: Counts,
    /// The resources that change (no-ops left out, but moves and imports).
    pub resources: Vec<ResourceSummary>,
    pub outputs: Vec<OutputSummary>,
    /// lint's findings on the statements a policy gains or changes.
    pub findings: Vec<Finding>,
}

/// How many resources each action touches.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub add: usize,
    pub change: usize,
    pub replace: usize,
    pub destroy: usize,
    pub import: usize,
    pub forget: usize,
    pub moved: usize,
}

impl Counts {
    pub fn is_empty(&self) -> bool {
        *self == Counts::default()
    }

    fn add_up(&mut self, other: &Counts) {
        self.add += other.add;
        self.change += other.change;
        self.replace += other.replace;
        self.destroy += other.destroy;
        self.import += other.import;
        self.forget += other.forget;
        self.moved += other.moved;
    }

    /// `1 to add, 2 to change, 0 to replace, 0 to destroy`, and imports,
    /// forgets and moves when there are any.
    pub fn describe(&self) -> String {
        let mut parts = vec![
            format!("{} to add", self.add),
            format!("{} to change", self.change),
            format!("{} to replace", self.replace),
            format!("{} to destroy", self.destroy),
        ];
        for (count, what) in [
            (self.import, "to import"),
            (self.forget, "to forget"),
            (self.moved, "moved"),
        ] {
            if count > 0 {
                parts.push(format!("{count} {what}"));
            }
        }
        parts.join(", ")
    }
}

#[derive(Debug, Clone)]
pub struct ResourceSummary {
    pub address: String,
    pub kind: String,
    /// Its `name` (a role's, a policy's), when it has one: what people
    /// call it in the console.
    pub name: Option<String>,
    pub action: Action,
    /// The address it had before a `moved` block.
    pub moved_from: Option<String>,
    pub importing: bool,
    pub attributes: Vec<AttributeChange>,
    pub policies: Vec<PolicyChange>,
}

/// One attribute path's old and new value, as text (`None`: absent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttributeChange {
    pub path: String,
    pub old: Option<String>,
    pub new: Option<String>,
    /// Changing it makes Terraform replace the resource.
    pub forces_replacement: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputSummary {
    pub name: String,
    pub action: Action,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// The gate's verdict: errors stop the apply (exit 1).
#[derive(Debug, Clone, Default)]
pub struct Gate {
    pub errors: Vec<GateItem>,
    pub warnings: Vec<GateItem>,
    /// Errors the pull request allowed with `--allow-destroy`.
    pub allowed: Vec<GateItem>,
}

impl Gate {
    pub fn passed(&self) -> bool {
        self.errors.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GateItem {
    pub rule: &'static str,
    pub environment: String,
    pub address: String,
    pub message: String,
}

impl Summary {
    /// Every environment's counts added up.
    pub fn total(&self) -> Counts {
        let mut total = Counts::default();
        for environment in &self.environments {
            total.add_up(&environment.counts);
        }
        total
    }
}

impl Summary {
    /// The summaries of each environment's plan, and the gate over them
    /// (none with `drift`: a refresh-only plan applies nothing).
    pub fn new(drift: bool, environments: Vec<EnvironmentSummary>, allowed: &[Allowed]) -> Summary {
        let mut gate = Gate::default();
        if !drift {
            for environment in &environments {
                judge(environment, allowed, &mut gate);
            }
        }
        Summary {
            drift,
            environments,
            gate,
        }
    }
}

/// What one environment's plan does (with `drift`, what its refresh-only
/// plan found changed outside Terraform). `source` is where it was read.
pub fn environment(name: &str, source: &str, plan: &Plan, drift: bool) -> EnvironmentSummary {
    let changes = match drift {
        true => &plan.resource_drift,
        false => &plan.resource_changes,
    };
    let mut counts = Counts::default();
    let mut resources = Vec::new();
    let mut findings = Vec::new();
    for change in changes.iter().filter(|change| change.mode != "data") {
        let action = change.change.action();
        let importing = change.change.imports();
        let moved_from = change
            .previous_address
            .clone()
            .filter(|previous| *previous != change.address);
        match action {
            Action::Create => counts.add += 1,
            Action::Update => counts.change += 1,
            Action::Replace => counts.replace += 1,
            Action::Delete => counts.destroy += 1,
            Action::Forget => counts.forget += 1,
            Action::Read | Action::NoOp => {}
        }
        counts.import += usize::from(importing);
        counts.moved += usize::from(moved_from.is_some());
        if matches!(action, Action::Read | Action::NoOp) && !importing && moved_from.is_none() {
            continue;
        }
        // Only what changes is parsed: a plan is mostly resources it leaves
        // alone, each with its whole state twice.
        let values = change.change.values();
        let (mut attributes, mut policies) = attribute_changes(change, &values, action);
        if drift {
            // An echo of another resource's setting is not drift of its own.
            let mirrored = mirrored(&change.kind);
            let own =
                |path: &str| !mirrored.contains(&path.split(['.', '[']).next().unwrap_or_default());
            attributes.retain(|attribute| own(&attribute.path));
            policies.retain(|policy| own(&policy.attribute));
            if attributes.is_empty() && policies.is_empty() {
                counts.change -= usize::from(action == Action::Update);
                continue;
            }
        }
        findings.extend(new_grant_findings(change, &values, &policies));
        let name = [&values.after, &values.before]
            .into_iter()
            .find_map(|side| side.get("name").and_then(Value::as_str))
            .map(str::to_string);
        resources.push(ResourceSummary {
            address: change.address.clone(),
            kind: change.kind.clone(),
            name,
            action,
            moved_from,
            importing,
            attributes,
            policies,
        });
    }
    let outputs = plan
        .output_changes
        .iter()
        .filter(|(_, change)| !matches!(change.action(), Action::NoOp | Action::Read))
        .map(|(name, change)| {
            let values = change.values();
            OutputSummary {
                name: name.clone(),
                action: change.action(),
                old: leaf_text(&values.before, &values.before_sensitive, &Value::Null),
                new: leaf_text(
                    &values.after,
                    &values.after_sensitive,
                    &values.after_unknown,
                ),
            }
        })
        .collect();
    EnvironmentSummary {
        name: name.to_string(),
        source: source.to_string(),
        terraform_version: plan.terraform_version.clone(),
        counts,
        resources,
        outputs,
        findings,
    }
}

/// A whole value (an output's) as text, masked or unknown as it is.
fn leaf_text(value: &Value, sensitive: &Value, unknown: &Value) -> Option<String> {
    let unknown = is_marked(unknown);
    if value.is_null() && !unknown {
        return None;
    }
    Some(match (is_marked(sensitive), unknown) {
        (true, _) => SENSITIVE.into(),
        (false, true) => UNKNOWN.into(),
        (false, false) => value_text(value),
    })
}

/// A JSON value on one line.
fn value_text(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// True where a marks tree (`after_sensitive`, `after_unknown`) says so for
/// the whole value.
fn is_marked(marks: &Value) -> bool {
    marks == &Value::Bool(true)
}

/// True when a marks tree marks anything inside.
fn is_marked_partly(marks: &Value) -> bool {
    match marks {
        Value::Bool(flag) => *flag,
        Value::Object(map) => map.values().any(is_marked_partly),
        Value::Array(items) => items.iter().any(is_marked_partly),
        _ => false,
    }
}

/// One step into a marks tree (`after_sensitive`, `after_unknown`): a
/// marks tree that is not a container marks nothing below it.
fn mark_child<'a>(marks: &'a Value, key: Step) -> &'a Value {
    match (marks, key) {
        // A marks object has a few keys: compared, not hashed.
        (Value::Object(map), Step::Key(key)) if map.len() <= 16 => map
            .iter()
            .find_map(|(name, marks)| (name == key).then_some(marks))
            .unwrap_or(&Value::Null),
        (Value::Object(map), Step::Key(key)) => map.get(key).unwrap_or(&Value::Null),
        (Value::Array(items), Step::Index(index)) => items.get(index).unwrap_or(&Value::Null),
        _ => &Value::Null,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// A path of steps as a review reads it: `a.b[0].c`.
fn path_text(path: &[Step]) -> String {
    let mut text = String::new();
    for step in path {
        push_step(&mut text, *step);
    }
    text
}

fn push_step(text: &mut String, step: Step) {
    match step {
        Step::Key(key) => {
            if !text.is_empty() {
                text.push('.');
            }
            text.push_str(key);
        }
        Step::Index(index) => {
            let _ = write!(text, "[{index}]");
        }
    }
}

/// The values of one side of a change, by path, masked and unknown ones
/// said.
#[derive(Clone, Copy)]
struct Side<'a> {
    value: &'a Value,
    sensitive: &'a Value,
    unknown: &'a Value,
}

impl<'a> Side<'a> {
    fn child(self, value: &'a Value, step: Step) -> Side<'a> {
        Side {
            value,
            sensitive: mark_child(self.sensitive, step),
            unknown: mark_child(self.unknown, step),
        }
    }
}

/// Every leaf of a side: scalars, and empty lists and objects, each with
/// its text (masked, or unknown); a sensitive or unknown subtree is one
/// leaf. `path` is the text of where `side` is, and is as it was on return.
fn leaves<'a>(side: Side<'a>, path: &mut String, found: &mut Vec<(String, Leaf<'a>)>) {
    // Sensitive first: Terraform masks a value known only after apply too.
    if is_marked(side.sensitive) {
        if !side.value.is_null() || is_marked(side.unknown) {
            found.push((path.clone(), Leaf::Sensitive(side.value)));
        }
        return;
    }
    if is_marked(side.unknown) {
        found.push((path.clone(), Leaf::Unknown));
        return;
    }
    let mut descend = |step: Step, value: &'a Value, path: &mut String| {
        let length = path.len();
        push_step(path, step);
        leaves(side.child(value, step), path, found);
        path.truncate(length);
    };
    match side.value {
        Value::Object(map) if !map.is_empty() => {
            for (key, value) in map {
                descend(Step::Key(key), value, path);
            }
            // An object Terraform knows only in part shows its unknown
            // entries too.
            if let Value::Object(unknown) = side.unknown {
                for key in unknown.keys().filter(|key| !map.contains_key(key.as_str())) {
                    descend(Step::Key(key), &Value::Null, path);
                }
            }
        }
        Value::Array(items) if !items.is_empty() => {
            for (index, value) in items.iter().enumerate() {
                descend(Step::Index(index), value, path);
            }
        }
        // An empty list or object is no value, as null is: Terraform reads
        // `tags = {}` and no tags alike.
        Value::Null => {}
        Value::Object(_) | Value::Array(_) if !is_marked_partly(side.unknown) => {}
        other => found.push((path.clone(), Leaf::Value(other))),
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Leaf<'a> {
    Value(&'a Value),
    Sensitive(&'a Value),
    Unknown,
}

impl Leaf<'_> {
    fn text(&self) -> String {
        match self {
            Leaf::Value(value) => value_text(value),
            Leaf::Sensitive(_) => SENSITIVE.into(),
            Leaf::Unknown => UNKNOWN.into(),
        }
    }

    /// The policy document of a string attribute, when known and not
    /// masked: only a JSON object can be one.
    fn policy(&self) -> Option<PolicyDocument> {
        match self {
            Leaf::Value(Value::String(text)) if text.trim_start().starts_with('{') => {
                policy::document(&Expr::String(text.clone()))
            }
            _ => None,
        }
    }
}

/// The attributes of a change that differ, and the policy documents that
/// differ, compared statement by statement. A new resource lists what it
/// sets; a destroyed one, nothing.
fn attribute_changes(
    change: &ResourceChange,
    plan: &Values,
    action: Action,
) -> (Vec<AttributeChange>, Vec<PolicyChange>) {
    if matches!(action, Action::Delete | Action::Forget) {
        return (Vec::new(), Vec::new());
    }
    let mut before = Vec::new();
    let mut after = Vec::new();
    if action != Action::Create {
        let side = Side {
            value: &plan.before,
            sensitive: &plan.before_sensitive,
            unknown: &Value::Null,
        };
        leaves(side, &mut String::new(), &mut before);
    }
    let side = Side {
        value: &plan.after,
        sensitive: &plan.after_sensitive,
        unknown: &plan.after_unknown,
    };
    leaves(side, &mut String::new(), &mut after);
    let replacing: BTreeSet<String> = change
        .change
        .replace_paths
        .iter()
        .map(|path| {
            path_text(
                &path
                    .iter()
                    .map(|step| match step {
                        Value::Number(index) => Step::Index(index.as_u64().unwrap_or(0) as usize),
                        other => Step::Key(other.as_str().unwrap_or_default()),
                    })
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    // In the order of the new values, then what only the old had.
    let before_by_path: std::collections::HashMap<&str, &Leaf> = before
        .iter()
        .map(|(path, leaf)| (path.as_str(), leaf))
        .collect();
    let after_paths: std::collections::HashSet<&str> =
        after.iter().map(|(path, _)| path.as_str()).collect();
    let pairs = after
        .iter()
        .map(|(path, leaf)| (path, before_by_path.get(path.as_str()).copied(), Some(leaf)))
        .chain(
            before
                .iter()
                .filter(|(path, _)| !after_paths.contains(path.as_str()))
                .map(|(path, leaf)| (path, Some(leaf), None)),
        );
    let mut attributes = Vec::new();
    let mut policies = Vec::new();
    for (text, old, new) in pairs {
        if old == new {
            continue;
        }
        let (old, new) = (old.cloned(), new.cloned());
        let text = text.clone();
        // A new resource shows what it is given, not Terraform's
        // bookkeeping (`id`, `tags_all`).
        if action == Action::Create && (text == "id" || text.starts_with("tags_all")) {
            continue;
        }
        let (old_policy, new_policy) = (
            old.as_ref().and_then(Leaf::policy),
            new.as_ref().and_then(Leaf::policy),
        );
        // A policy on a side that is known, compared with the other side's
        // (or with none, when the resource is new or the attribute goes);
        // a policy whose new text is known only after apply (it names a
        // resource being created) is said so, not shown as removed.
        let comparable = |leaf: &Option<Leaf>, policy: &Option<PolicyDocument>| {
            leaf.is_none() || policy.is_some()
        };
        if (old_policy.is_some() || new_policy.is_some())
            && comparable(&old, &old_policy)
            && comparable(&new, &new_policy)
        {
            let compared = policy::compare(&text, old_policy.as_ref(), new_policy.as_ref());
            if !compared.is_empty() {
                policies.push(compared);
            }
            continue;
        }
        let describe = |leaf: Option<Leaf>, policy: &Option<PolicyDocument>| {
            leaf.map(|leaf| match policy {
                Some(document) => format!(
                    "(an IAM policy of {} statement(s))",
                    document.statements.len()
                ),
                None => leaf.text(),
            })
        };
        if old_policy.is_some() || new_policy.is_some() {
            attributes.push(AttributeChange {
                forces_replacement: replacing.contains(&text),
                path: text,
                old: describe(old, &old_policy),
                new: describe(new, &new_policy),
            });
            continue;
        }
        attributes.push(AttributeChange {
            forces_replacement: replacing.contains(&text),
            path: text,
            old: old.map(|leaf| leaf.text()),
            new: new.map(|leaf| leaf.text()),
        });
    }
    (attributes, policies)
}

/// lint's findings on what the planned policies newly grant: the
/// statements added or changed, judged on the planned document. Rules that
/// need the whole stack (who uses a role) are left to `tfgen lint`.
fn new_grant_findings(
    change: &ResourceChange,
    values: &Values,
    policies: &[PolicyChange],
) -> Vec<Finding> {
    const NEEDS_THE_STACK: [&str; 4] = [
        "iam-trusted-service-unused",
        "iam-role-unused",
        "iam-role-user-untrusted",
        "iam-arn-outside-stack",
    ];
    let mut findings = Vec::new();
    for change_of_policy in policies {
        let Some(Value::String(text)) = lookup(&values.after, &change_of_policy.attribute) else {
            continue;
        };
        let Some(document) = policy::document(&Expr::String(text.clone())) else {
            continue;
        };
        let kind = policy_kind(&change.kind, &change_of_policy.attribute);
        let reference = PolicyRef {
            field: format!("{}.{}", change.address, change_of_policy.attribute),
            kind,
            document: &document,
            limit: SizeLimit::of_kind(kind),
            star_is_this_resource: change.kind == "aws_kms_key",
        };
        let changed = changed_statements(&document, change_of_policy);
        let resolve = |expr: &Expr| expr.evaluate_string(&|_| None);
        findings.extend(
            lint::lint_policies(std::slice::from_ref(&reference), &resolve)
                .into_iter()
                .filter(|finding| !NEEDS_THE_STACK.contains(&finding.rule))
                .filter(|finding| changed.contains(&finding.statement)),
        );
    }
    findings
}

/// The 1-based positions of the new document's statements that a change
/// adds or changes.
fn changed_statements(document: &PolicyDocument, change: &PolicyChange) -> BTreeSet<usize> {
    let labels: Vec<&str> = change
        .statements
        .iter()
        .filter(|statement| statement.change != crate::diff::Change::Removed)
        .map(|statement| {
            statement
                .label
                .rsplit_once(" → ")
                .map_or(statement.label.as_str(), |(_, new)| new)
        })
        .collect();
    document
        .statements
        .iter()
        .enumerate()
        .filter(|(index, statement)| labels.contains(&statement.label(*index).as_str()))
        .map(|(index, _)| index + 1)
        .collect()
}

/// The value at a dotted attribute path (`policy`, `rule[0].x`).
fn lookup<'a>(value: &'a Value, path: &str) -> Option<&'a Value> {
    let mut current = value;
    for part in path.split('.') {
        let (key, index) = match part.split_once('[') {
            Some((key, rest)) => (key, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (part, None),
        };
        current = current.get(key)?;
        if let Some(index) = index {
            current = current.get(index)?;
        }
    }
    Some(current)
}

/// Which kind of policy a resource's attribute holds.
fn policy_kind(kind: &str, attribute: &str) -> PolicyKind {
    match (kind, attribute) {
        (_, "assume_role_policy") => PolicyKind::Trust,
        (
            "aws_iam_policy"
            | "aws_iam_role_policy"
            | "aws_iam_user_policy"
            | "aws_iam_group_policy",
            _,
        ) => PolicyKind::Identity,
        _ => PolicyKind::Resource,
    }
}

/// The gate's errors and warnings for one environment.
fn judge(summary: &EnvironmentSummary, allowed: &[Allowed], gate: &mut Gate) {
    for resource in &summary.resources {
        if matches!(resource.action, Action::Delete | Action::Replace)
            && let Some(kept) = keeps(&resource.kind).filter(|kept| kept.tier == Tier::Data)
        {
            let how = match resource.action {
                Action::Replace => {
                    let forcing: Vec<&str> = resource
                        .attributes
                        .iter()
                        .filter(|attribute| attribute.forces_replacement)
                        .map(|attribute| attribute.path.as_str())
                        .collect();
                    match forcing.as_slice() {
                        [] => "replaced".to_string(),
                        paths => format!("replaced (a change of {} forces it)", paths.join(", ")),
                    }
                }
                _ => "destroyed".to_string(),
            };
            let item = GateItem {
                rule: "plan-destroys-data",
                environment: summary.name.clone(),
                address: resource.address.clone(),
                message: format!("{} is {how}, and with it {}", resource.address, kept.what),
            };
            match allowed
                .iter()
                .any(|allow| allow.covers(&summary.name, &resource.address))
            {
                true => gate.allowed.push(item),
                false => gate.errors.push(item),
            }
        }
    }
    for resource in &summary.resources {
        for change in &resource.policies {
            for statement in &change.statements {
                if statement.change == crate::diff::Change::Removed {
                    continue;
                }
                let added = |field: &'static str| -> Vec<&str> {
                    statement
                        .lines
                        .iter()
                        .filter(|line| line.sign == Sign::Added && line.field == field)
                        .map(|line| line.value.as_str())
                        .collect()
                };
                let managing: Vec<&str> = added("Action")
                    .into_iter()
                    .filter(|action| grants_permissions_management(action))
                    .collect();
                // In a key policy, "*" is the key the policy is on.
                let every_resource =
                    resource.kind != "aws_kms_key" && added("Resource").contains(&"*");
                let mut reasons = Vec::new();
                if !managing.is_empty() {
                    reasons.push(format!("Permissions management ({})", managing.join(", ")));
                }
                if every_resource {
                    reasons.push("every resource (\"*\")".to_string());
                }
                if !reasons.is_empty() {
                    gate.warnings.push(GateItem {
                        rule: "plan-new-broad-grant",
                        environment: summary.name.clone(),
                        address: resource.address.clone(),
                        message: format!(
                            "{}.{} statement {} newly grants {}",
                            resource.address,
                            change.attribute,
                            statement.label,
                            reasons.join(" and ")
                        ),
                    });
                }
            }
        }
    }
}

/// Whether an action (or a wildcard) grants Permissions management, by
/// AWS's catalogue.
fn grants_permissions_management(action: &str) -> bool {
    if action == "*" {
        return true;
    }
    let Some((prefix, name)) = action.split_once(':') else {
        return false;
    };
    let Some(service) = Catalogue::get().service(prefix) else {
        return false;
    };
    service
        .matching(name)
        .iter()
        .any(|action| action.level == AccessLevel::PermissionsManagement)
}

/// What drifted, in a sentence for each change: a statement a policy
/// gained or lost, an attribute that changed outside Terraform.
pub fn drift_sentences(resource: &ResourceSummary) -> Vec<String> {
    let mut sentences = Vec::new();
    let whose = match &resource.name {
        Some(name) => format!("{name}'s ({})", resource.address),
        None => format!("{}'s", resource.address),
    };
    for change in &resource.policies {
        for statement in &change.statements {
            let values = |field: &str, sign: Sign| -> Vec<String> {
                statement
                    .lines
                    .iter()
                    .filter(|line| line.field == field && line.sign == sign)
                    .map(|line| format!("`{}`", line.value))
                    .collect()
            };
            let sentence = match statement.change {
                crate::diff::Change::Added => format!(
                    "a statement granting {} on {} was added to {whose} {}",
                    values("Action", Sign::Added).join(", "),
                    values("Resource", Sign::Added).join(", "),
                    change.attribute
                ),
                crate::diff::Change::Removed => format!(
                    "a statement granting {} was removed from {whose} {}",
                    values("Action", Sign::Removed).join(", "),
                    change.attribute
                ),
                crate::diff::Change::Changed => format!(
                    "statement {} of {whose} {} changed: {}",
                    statement.label,
                    change.attribute,
                    statement
                        .lines
                        .iter()
                        .map(|line| format!("{} {} `{}`", line.sign.mark(), line.field, line.value))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            sentences.push(sentence);
        }
    }
    for attribute in &resource.attributes {
        sentences.push(format!(
            "{}: {} changed from {} to {} outside Terraform",
            resource.address,
            attribute.path,
            attribute.old.as_deref().unwrap_or("(unset)"),
            attribute.new.as_deref().unwrap_or("(unset)")
        ));
    }
    sentences
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_allowed_destroy_names_an_environment_or_every_one() {
        let one = Allowed::parse("prod:aws_s3_bucket.artifacts_bucket");
        assert!(one.covers("prod", "aws_s3_bucket.artifacts_bucket"));
        assert!(!one.covers("dev", "aws_s3_bucket.artifacts_bucket"));
        let every = Allowed::parse("aws_s3_bucket.artifacts_bucket");
        assert!(every.covers("dev", "aws_s3_bucket.artifacts_bucket"));
        assert!(!every.covers("dev", "aws_s3_bucket.other"));
    }

    #[test]
    fn masked_and_unknown_values_are_said_not_shown() {
        let secret = serde_json::json!("hunter2");
        assert_eq!(
            leaf_text(&secret, &Value::Bool(true), &Value::Null).as_deref(),
            Some(SENSITIVE)
        );
        assert_eq!(
            leaf_text(&Value::Null, &Value::Bool(true), &Value::Bool(true)).as_deref(),
            Some(SENSITIVE)
        );
        assert_eq!(
            leaf_text(&Value::Null, &Value::Null, &Value::Bool(true)).as_deref(),
            Some(UNKNOWN)
        );
        assert_eq!(leaf_text(&Value::Null, &Value::Null, &Value::Null), None);
    }

    #[test]
    fn permissions_management_is_judged_by_the_catalogue() {
        assert!(grants_permissions_management("iam:PutRolePolicy"));
        assert!(grants_permissions_management("iam:Put*"));
        assert!(grants_permissions_management("*"));
        assert!(!grants_permissions_management("s3:GetObject"));
    }
}
