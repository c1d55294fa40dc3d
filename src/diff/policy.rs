//! IAM policy documents compared as permissions.
//!
//! A statement is reduced to sets of facts: its `Effect`, principals,
//! actions, resources (each with its `Not` form kept apart) and conditions
//! (one fact per operator, key and value, since a condition's values are
//! alternatives). Order and the one-value-or-list spelling carry no meaning,
//! so `"s3:*"` and `["s3:*"]`, or two statements swapped, are the same.
//!
//! Statements are then matched between the old and new document, in rounds,
//! each round only among statements still unmatched:
//!
//! 1. **Same `Sid`.** A `Sid` names a statement; when both have one, that
//!    name is the match.
//! 2. **Same facts.** Identical statements (a pure `Sid` rename, or a
//!    statement that moved) are the same statement.
//! 3. **Best match.** Among the remaining pairs, the best is matched first,
//!    and so on while pairs remain. Pairs rank by the actions they share,
//!    then by having the same scope (equal `Effect`, principals, resources
//!    and conditions: the same grant whose actions changed), then by the
//!    action services they share, then by the principals, resources and
//!    conditions they share; on a tie, the earliest pair.
//!
//! Round 3 only pairs statements with the same `Effect` whose actions share
//! a service (`s3:GetObject` and `s3:*` do; `iam:PassRole` and `ecr:*` do
//! not): many unrelated statements share `Resource: "*"`, and a statement
//! that changes service reads better as one removed and one added. Shared
//! actions rank above a shared scope for the same reason. Two statements
//! with different `Sid`s are only matched in round 2 (a pure rename): two
//! names mean two statements.
//!
//! A matched pair is reported with the facts added and removed (a `Sid`
//! that changed included); anything unmatched is a statement added or
//! removed with all its facts.

use std::collections::BTreeSet;

use serde_json::Value;

use super::{Change, hcl_text, template_text};
use serde::Serialize;

use crate::model::Expr;
use crate::policy::{PolicyDocument, PrincipalValue, Statement, Values};

/// The policy-document attribute changes of one block.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PolicyChange {
    /// The attribute: `policy`, `assume_role_policy`.
    pub attribute: String,
    /// Changes outside the statements (the `Version`).
    pub document: Vec<PermissionLine>,
    /// Statements changed (in the new document's order), added, then removed.
    pub statements: Vec<StatementChange>,
}

impl PolicyChange {
    pub fn is_empty(&self) -> bool {
        self.document.is_empty() && self.statements.is_empty()
    }
}

/// One statement added, removed, or changed in its facts. As JSON (`diff`
/// and `plan-summary`): `{"label", "change", "lines": [{"sign", "field",
/// "value"}]}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatementChange {
    /// The statement's `Sid`, or `#N` (its 1-based position) without one;
    /// `old → new` when a matched pair is named differently.
    pub label: String,
    pub change: Change,
    /// The facts added and removed: all of them for an added or removed
    /// statement.
    pub lines: Vec<PermissionLine>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Sign {
    #[serde(rename = "-")]
    Removed,
    #[serde(rename = "+")]
    Added,
}

impl Sign {
    pub fn mark(self) -> char {
        match self {
            Sign::Added => '+',
            Sign::Removed => '-',
        }
    }
}

/// One fact added to or removed from a statement: `+ Action s3:GetObject`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PermissionLine {
    pub sign: Sign,
    /// `Effect`, `Principal`, `Action`, `NotResource`, `Condition`, ...
    pub field: &'static str,
    pub value: String,
}

/// The policy document an attribute's value holds, if it holds one: a
/// `jsonencode({...})` of an object with a `Statement`, or the JSON text of
/// one (what a constant `jsonencode` normalizes to). Interpolations inside
/// are kept as `${...}` text.
pub fn document(value: &Expr) -> Option<PolicyDocument> {
    let json = match value {
        Expr::String(text) => serde_json::from_str::<Value>(text).ok()?,
        Expr::Call(name, args) if name == "jsonencode" && args.len() == 1 => to_json(&args[0]),
        _ => return None,
    };
    let statement = json.as_object()?.get("Statement")?;
    if !(statement.is_array() || statement.is_object()) {
        return None;
    }
    PolicyDocument::from_json(&json).ok()
}

/// An expression as JSON, the way `jsonencode` sees it once known; what is
/// only known at plan time becomes its `${...}` text.
fn to_json(value: &Expr) -> Value {
    match value {
        Expr::Null => Value::Null,
        Expr::Bool(flag) => Value::Bool(*flag),
        Expr::Number(number) => Value::Number(number.clone()),
        Expr::String(text) => Value::String(text.clone()),
        Expr::List(items) => Value::Array(items.iter().map(to_json).collect()),
        Expr::Object(entries) => Value::Object(
            entries
                .iter()
                .map(|(key, value)| (key.clone(), to_json(value)))
                .collect(),
        ),
        Expr::Template(_) | Expr::Reference(_) | Expr::Call(..) => {
            Value::String(template_text(value))
        }
        Expr::Commented(_, value) => to_json(value),
    }
}

/// A field of a statement, in report order (`Sid` first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Sid,
    Effect,
    Principal,
    NotPrincipal,
    Action,
    NotAction,
    Resource,
    NotResource,
    Condition,
}

impl Field {
    const ALL: [Field; 9] = [
        Field::Sid,
        Field::Effect,
        Field::Principal,
        Field::NotPrincipal,
        Field::Action,
        Field::NotAction,
        Field::Resource,
        Field::NotResource,
        Field::Condition,
    ];

    fn name(self) -> &'static str {
        match self {
            Field::Sid => "Sid",
            Field::Effect => "Effect",
            Field::Principal => "Principal",
            Field::NotPrincipal => "NotPrincipal",
            Field::Action => "Action",
            Field::NotAction => "NotAction",
            Field::Resource => "Resource",
            Field::NotResource => "NotResource",
            Field::Condition => "Condition",
        }
    }
}

/// A statement as sets of facts, one set per [`Field`].
#[derive(Debug, Clone, PartialEq, Eq)]
struct Facts {
    sid: Option<String>,
    sets: [BTreeSet<String>; Field::ALL.len()],
}

impl Facts {
    fn of(statement: &Statement) -> Facts {
        let mut sets: [BTreeSet<String>; Field::ALL.len()] = Default::default();
        let mut put = |field: Field, value: String| {
            sets[field as usize].insert(value);
        };
        if let Some(sid) = &statement.sid {
            put(Field::Sid, sid.clone());
        }
        if let Some(effect) = statement.effect {
            put(Field::Effect, effect.as_str().to_string());
        }
        if let Some(principal) = &statement.principal {
            let field = if principal.negated {
                Field::NotPrincipal
            } else {
                Field::Principal
            };
            match &principal.values {
                PrincipalValue::Anyone => put(field, "*".into()),
                PrincipalValue::Typed(kinds) => {
                    for (kind, values) in kinds {
                        for value in texts(values) {
                            put(field, format!("{kind}: {value}"));
                        }
                    }
                }
            }
        }
        for (scoped, field, not_field) in [
            (&statement.action, Field::Action, Field::NotAction),
            (&statement.resource, Field::Resource, Field::NotResource),
        ] {
            if let Some(scoped) = scoped {
                let field = if scoped.negated { not_field } else { field };
                for value in texts(&scoped.values) {
                    put(field, value);
                }
            }
        }
        for condition in &statement.condition {
            for (key, values) in &condition.entries {
                for value in texts(values) {
                    put(
                        Field::Condition,
                        format!("{} {key} = {value}", condition.operator),
                    );
                }
            }
        }
        Facts {
            sid: statement.sid.clone(),
            sets,
        }
    }

    fn set(&self, field: Field) -> &BTreeSet<String> {
        &self.sets[field as usize]
    }

    /// Everything but the `Sid`.
    fn meaning(&self) -> &[BTreeSet<String>] {
        &self.sets[1..]
    }

    /// Everything that says *to whom and where*, not *what*.
    fn scope(&self) -> [&BTreeSet<String>; 6] {
        [
            self.set(Field::Effect),
            self.set(Field::Principal),
            self.set(Field::NotPrincipal),
            self.set(Field::Resource),
            self.set(Field::NotResource),
            self.set(Field::Condition),
        ]
    }

    /// How well two statements match, best first when compared in
    /// descending order (see round 3 in the module documentation).
    fn affinity(&self, other: &Facts) -> (usize, bool, usize, usize) {
        let shared = |fields: &[Field]| {
            fields
                .iter()
                .map(|&field| self.set(field).intersection(other.set(field)).count())
                .sum::<usize>()
        };
        (
            shared(&[Field::Action, Field::NotAction]),
            self.scope() == other.scope(),
            self.services().intersection(&other.services()).count(),
            shared(&[
                Field::Principal,
                Field::NotPrincipal,
                Field::Resource,
                Field::NotResource,
                Field::Condition,
            ]),
        )
    }

    /// The services of the actions (`s3` for `s3:GetObject`), `NotAction`
    /// apart, lowercased as IAM compares them.
    fn services(&self) -> BTreeSet<String> {
        let service = |action: &String| action.split(':').next().unwrap_or("").to_lowercase();
        let actions = self.set(Field::Action).iter().map(service);
        let not_actions = self
            .set(Field::NotAction)
            .iter()
            .map(|action| format!("not {}", service(action)));
        actions.chain(not_actions).collect()
    }

    /// Whether two statements may be the same one in round 3.
    fn related(&self, other: &Facts) -> bool {
        !self.named_apart(other)
            && self.set(Field::Effect) == other.set(Field::Effect)
            && !self.services().is_disjoint(&other.services())
    }

    /// Two statements named differently are two statements.
    fn named_apart(&self, other: &Facts) -> bool {
        matches!((&self.sid, &other.sid), (Some(a), Some(b)) if a != b)
    }

    fn label(&self, index: usize) -> String {
        match &self.sid {
            Some(sid) => sid.clone(),
            None => format!("#{}", index + 1),
        }
    }

    /// Every fact, as lines with `sign` (the `Sid` is the label instead).
    fn lines(&self, sign: Sign) -> Vec<PermissionLine> {
        let mut lines = Vec::new();
        for field in Field::ALL.into_iter().skip(1) {
            for value in self.set(field) {
                lines.push(PermissionLine {
                    sign,
                    field: field.name(),
                    value: value.clone(),
                });
            }
        }
        lines
    }
}

/// The values of a policy field as text: literal strings as they are,
/// interpolated ones as `${...}` text.
fn texts(values: &Values) -> Vec<String> {
    values
        .items()
        .iter()
        .map(|item| match item {
            Expr::String(text) => text.clone(),
            Expr::Bool(_) | Expr::Number(_) | Expr::Null => hcl_text(item),
            other => template_text(other),
        })
        .collect()
}

/// Compares two versions of one policy attribute; `None` is an absent (or
/// empty) document.
pub fn compare(
    attribute: &str,
    old: Option<&PolicyDocument>,
    new: Option<&PolicyDocument>,
) -> PolicyChange {
    let facts = |document: Option<&PolicyDocument>| -> Vec<Facts> {
        document
            .map(|document| document.statements.iter().map(Facts::of).collect())
            .unwrap_or_default()
    };
    let (old_facts, new_facts) = (facts(old), facts(new));
    let pairs = match_statements(&old_facts, &new_facts);

    let mut document = Vec::new();
    let version = |document: Option<&PolicyDocument>| document.and_then(|d| d.version.clone());
    if let (Some(_), Some(_)) = (old, new)
        && version(old) != version(new)
    {
        for (sign, value) in [(Sign::Removed, version(old)), (Sign::Added, version(new))] {
            if let Some(value) = value {
                document.push(PermissionLine {
                    sign,
                    field: "Version",
                    value,
                });
            }
        }
    }

    let mut statements = Vec::new();
    let mut matched_old = vec![false; old_facts.len()];
    let mut added = Vec::new();
    for (new_index, new_statement) in new_facts.iter().enumerate() {
        let Some(&(old_index, _)) = pairs.iter().find(|(_, j)| *j == new_index) else {
            added.push(StatementChange {
                change: Change::Added,
                label: new_statement.label(new_index),
                lines: new_statement.lines(Sign::Added),
            });
            continue;
        };
        matched_old[old_index] = true;
        let old_statement = &old_facts[old_index];
        let mut lines = Vec::new();
        for field in Field::ALL {
            let (old_set, new_set) = (old_statement.set(field), new_statement.set(field));
            for (sign, values) in [
                (Sign::Removed, old_set.difference(new_set)),
                (Sign::Added, new_set.difference(old_set)),
            ] {
                lines.extend(values.map(|value| PermissionLine {
                    sign,
                    field: field.name(),
                    value: value.clone(),
                }));
            }
        }
        if lines.is_empty() {
            continue;
        }
        let (old_label, new_label) = (
            old_statement.label(old_index),
            new_statement.label(new_index),
        );
        statements.push(StatementChange {
            change: Change::Changed,
            label: if old_label == new_label {
                new_label
            } else {
                format!("{old_label} → {new_label}")
            },
            lines,
        });
    }
    statements.extend(added);
    for (old_index, old_statement) in old_facts.iter().enumerate() {
        if !matched_old[old_index] {
            statements.push(StatementChange {
                change: Change::Removed,
                label: old_statement.label(old_index),
                lines: old_statement.lines(Sign::Removed),
            });
        }
    }
    PolicyChange {
        attribute: attribute.to_string(),
        document,
        statements,
    }
}

/// Pairs `(old index, new index)` of the statements that are the same
/// statement, by the rounds described in the module documentation.
fn match_statements(old: &[Facts], new: &[Facts]) -> Vec<(usize, usize)> {
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut old_free = vec![true; old.len()];
    let mut new_free = vec![true; new.len()];
    let mut round = |pairs: &mut Vec<(usize, usize)>, same: &dyn Fn(&Facts, &Facts) -> bool| {
        for (j, new_statement) in new.iter().enumerate() {
            if !new_free[j] {
                continue;
            }
            let found = (0..old.len()).find(|&i| old_free[i] && same(&old[i], new_statement));
            if let Some(i) = found {
                old_free[i] = false;
                new_free[j] = false;
                pairs.push((i, j));
            }
        }
    };
    round(&mut pairs, &|a, b| a.sid.is_some() && a.sid == b.sid);
    round(&mut pairs, &|a, b| a.meaning() == b.meaning());
    loop {
        let best = (0..old.len())
            .filter(|&i| old_free[i])
            .flat_map(|i| (0..new.len()).filter(|&j| new_free[j]).map(move |j| (i, j)))
            .filter(|&(i, j)| old[i].related(&new[j]))
            .map(|(i, j)| (old[i].affinity(&new[j]), i, j))
            // Most shared first; on a tie, the earliest pair.
            .min_by(|(a, ai, aj), (b, bi, bj)| b.cmp(a).then((ai, aj).cmp(&(bi, bj))));
        let Some((_, i, j)) = best else {
            break;
        };
        old_free[i] = false;
        new_free[j] = false;
        pairs.push((i, j));
    }
    pairs
}
