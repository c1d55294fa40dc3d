//! A typed IAM policy document.
//!
//! Policies are data here, not strings: `lint`, the size checks and the
//! semantic diff read statements, actions and resources directly, and the
//! document lowers into a model expression (`jsonencode({...})`) only when a
//! printer needs it. A value keeps whether it was written as one string or as
//! a list, because `"s3:*"` and `["s3:*"]` encode to different JSON and the
//! `seed` profile must match the reference exactly.

use serde_json::Value;

use crate::model::Expr;

/// The only policy language version IAM accepts for current features.
pub const VERSION: &str = "2012-10-17";

/// What the document is attached to, which decides its rules and limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyKind {
    /// A managed or inline policy on an identity: no Principal, needs Resource.
    Identity,
    /// A role's trust (assume-role) policy.
    Trust,
    /// A policy on a resource, such as a bucket policy.
    Resource,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PolicyDocument {
    pub version: Option<String>,
    pub statements: Vec<Statement>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
}

/// One statement. Fields that IAM requires are still `Option`s so that a
/// document read back from disk can be represented, and rejected, as it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    /// Why the statement is as it is (a `*` AWS imposes, a name AWS
    /// assigns): a comment line above it in HCL; JSON has no comments.
    pub comment: Option<String>,
    pub sid: Option<String>,
    pub effect: Option<Effect>,
    pub principal: Option<Principals>,
    pub action: Option<Scoped<Values>>,
    pub resource: Option<Scoped<Values>>,
    pub condition: Vec<Condition>,
}

/// `Action` or `NotAction`, `Resource` or `NotResource`, `Principal` or
/// `NotPrincipal`: the same values with the meaning inverted.
#[derive(Debug, Clone, PartialEq)]
pub struct Scoped<T> {
    pub negated: bool,
    pub values: T,
}

/// One value or a list of them, as written.
#[derive(Debug, Clone, PartialEq)]
pub enum Values {
    One(Expr),
    Many(Vec<Expr>),
}

#[derive(Debug, Clone, PartialEq)]
pub enum PrincipalValue {
    /// `"Principal": "*"`.
    Anyone,
    /// `{"Service": [...], "AWS": ...}`.
    Typed(Vec<(String, Values)>),
}

pub type Principals = Scoped<PrincipalValue>;

/// One condition operator with its keys, e.g.
/// `StringEquals = { "iam:PassedToService" = "sagemaker.amazonaws.com" }`.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub operator: String,
    pub entries: Vec<(String, Values)>,
}

impl Effect {
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        }
    }
}

impl Values {
    pub fn items(&self) -> &[Expr] {
        match self {
            Values::One(item) => std::slice::from_ref(item),
            Values::Many(items) => items,
        }
    }

    /// The items known at render time (literal strings); interpolated ones
    /// such as `"${aws_s3_bucket.artifacts_bucket.arn}/*"` are skipped.
    pub fn literals(&self) -> impl Iterator<Item = &str> {
        self.items().iter().filter_map(Expr::as_literal)
    }

    fn to_expr(&self) -> Expr {
        match self {
            Values::One(item) => item.clone(),
            Values::Many(items) => Expr::List(items.clone()),
        }
    }
}

impl Scoped<Values> {
    pub fn allow(values: Values) -> Self {
        Scoped {
            negated: false,
            values,
        }
    }
}

/// `Values::One` from one string, as `"Action": "s3:GetObject"`.
pub fn one(value: &str) -> Values {
    Values::One(Expr::interpolated(value))
}

/// `Values::Many` from strings, as `"Action": ["s3:GetObject"]`. Strings may
/// hold interpolations: `"${aws_s3_bucket.artifacts_bucket.arn}/*"`.
pub fn many<const N: usize>(values: [&str; N]) -> Values {
    Values::Many(
        values
            .iter()
            .map(|value| Expr::interpolated(value))
            .collect(),
    )
}

/// How messages name a statement: `statement 3`, or `statement 3 (Sid X)`.
pub fn statement_label(position: usize, sid: Option<&str>) -> String {
    match sid {
        Some(sid) => format!("statement {position} (Sid {sid})"),
        None => format!("statement {position}"),
    }
}

impl Statement {
    fn with_effect(effect: Effect) -> Self {
        Statement {
            comment: None,
            sid: None,
            effect: Some(effect),
            principal: None,
            action: None,
            resource: None,
            condition: Vec::new(),
        }
    }

    pub fn allow() -> Self {
        Statement::with_effect(Effect::Allow)
    }

    pub fn deny() -> Self {
        Statement::with_effect(Effect::Deny)
    }

    pub fn comment(mut self, text: &str) -> Self {
        self.comment = Some(text.to_string());
        self
    }

    pub fn sid(mut self, sid: &str) -> Self {
        self.sid = Some(sid.to_string());
        self
    }

    pub fn action(mut self, values: Values) -> Self {
        self.action = Some(Scoped::allow(values));
        self
    }

    pub fn not_action(mut self, values: Values) -> Self {
        self.action = Some(Scoped {
            negated: true,
            values,
        });
        self
    }

    pub fn resource(mut self, values: Values) -> Self {
        self.resource = Some(Scoped::allow(values));
        self
    }

    pub fn not_resource(mut self, values: Values) -> Self {
        self.resource = Some(Scoped {
            negated: true,
            values,
        });
        self
    }

    pub fn principal(mut self, kind: &str, values: Values) -> Self {
        let entry = (kind.to_string(), values);
        match &mut self.principal {
            Some(Scoped {
                values: PrincipalValue::Typed(entries),
                ..
            }) => entries.push(entry),
            _ => {
                self.principal = Some(Scoped {
                    negated: false,
                    values: PrincipalValue::Typed(vec![entry]),
                })
            }
        }
        self
    }

    pub fn any_principal(mut self) -> Self {
        self.principal = Some(Scoped {
            negated: false,
            values: PrincipalValue::Anyone,
        });
        self
    }

    /// Adds `operator = { key = values }`, merging into an existing operator.
    pub fn condition(mut self, operator: &str, key: &str, values: Values) -> Self {
        let entry = (key.to_string(), values);
        match self
            .condition
            .iter_mut()
            .find(|condition| condition.operator == operator)
        {
            Some(condition) => condition.entries.push(entry),
            None => self.condition.push(Condition {
                operator: operator.to_string(),
                entries: vec![entry],
            }),
        }
        self
    }

    /// A short name for messages: the 1-based position and the Sid.
    pub fn label(&self, index: usize) -> String {
        statement_label(index + 1, self.sid.as_deref())
    }

    fn to_expr(&self) -> Expr {
        let mut entries: Vec<(String, Expr)> = Vec::new();
        if let Some(sid) = &self.sid {
            entries.push(("Sid".into(), Expr::from(sid.as_str())));
        }
        if let Some(effect) = self.effect {
            entries.push(("Effect".into(), Expr::from(effect.as_str())));
        }
        if let Some(principal) = &self.principal {
            let key = if principal.negated {
                "NotPrincipal"
            } else {
                "Principal"
            };
            let value = match &principal.values {
                PrincipalValue::Anyone => Expr::from("*"),
                PrincipalValue::Typed(kinds) => Expr::object(
                    kinds
                        .iter()
                        .map(|(kind, values)| (kind.clone(), values.to_expr())),
                ),
            };
            entries.push((key.into(), value));
        }
        if let Some(action) = &self.action {
            let key = if action.negated {
                "NotAction"
            } else {
                "Action"
            };
            entries.push((key.into(), action.values.to_expr()));
        }
        if let Some(resource) = &self.resource {
            let key = if resource.negated {
                "NotResource"
            } else {
                "Resource"
            };
            entries.push((key.into(), resource.values.to_expr()));
        }
        if !self.condition.is_empty() {
            let conditions = self.condition.iter().map(|condition| {
                let keys = condition
                    .entries
                    .iter()
                    .map(|(key, values)| (key.clone(), values.to_expr()));
                (condition.operator.clone(), Expr::object(keys))
            });
            entries.push(("Condition".into(), Expr::object(conditions)));
        }
        Expr::Object(entries)
    }
}

impl PolicyDocument {
    pub fn new(statements: Vec<Statement>) -> Self {
        PolicyDocument {
            version: Some(VERSION.to_string()),
            statements,
        }
    }

    /// The document as a model object, ready for `jsonencode`.
    pub fn to_expr(&self) -> Expr {
        let mut entries = Vec::new();
        if let Some(version) = &self.version {
            entries.push(("Version".to_string(), Expr::from(version.as_str())));
        }
        let statements = self
            .statements
            .iter()
            .map(|statement| match &statement.comment {
                Some(comment) => Expr::commented(comment, statement.to_expr()),
                None => statement.to_expr(),
            });
        entries.push(("Statement".to_string(), Expr::List(statements.collect())));
        Expr::Object(entries)
    }

    /// `jsonencode({...})`: how a policy argument is written.
    pub fn to_jsonencode(&self) -> Expr {
        Expr::jsonencode(self.to_expr())
    }

    /// Reads a policy document from its JSON form (as Terraform or AWS hold
    /// it). Strings are taken literally; unknown keys are ignored.
    pub fn from_json(value: &Value) -> Result<PolicyDocument, String> {
        let object = value
            .as_object()
            .ok_or("a policy document must be a JSON object")?;
        let version = match object.get("Version") {
            None => None,
            Some(Value::String(version)) => Some(version.clone()),
            Some(_) => return Err("Version must be a string".into()),
        };
        let statements = match object.get("Statement") {
            None => Vec::new(),
            Some(Value::Array(items)) => items
                .iter()
                .map(statement_from_json)
                .collect::<Result<_, _>>()?,
            Some(single @ Value::Object(_)) => vec![statement_from_json(single)?],
            Some(_) => return Err("Statement must be an object or a list of objects".into()),
        };
        Ok(PolicyDocument {
            version,
            statements,
        })
    }
}

fn statement_from_json(value: &Value) -> Result<Statement, String> {
    let object = value
        .as_object()
        .ok_or("a statement must be a JSON object")?;
    let text = |key: &str| -> Result<Option<String>, String> {
        match object.get(key) {
            None => Ok(None),
            Some(Value::String(text)) => Ok(Some(text.clone())),
            Some(_) => Err(format!("{key} must be a string")),
        }
    };
    let effect = match text("Effect")?.as_deref() {
        None => None,
        Some("Allow") => Some(Effect::Allow),
        Some("Deny") => Some(Effect::Deny),
        Some(other) => return Err(format!("Effect must be Allow or Deny, not {other:?}")),
    };
    let scoped = |key: &str, not_key: &str| -> Result<Option<Scoped<Values>>, String> {
        match (object.get(key), object.get(not_key)) {
            (Some(_), Some(_)) => Err(format!("a statement has both {key} and {not_key}")),
            (Some(values), None) => Ok(Some(Scoped::allow(values_from_json(values)?))),
            (None, Some(values)) => Ok(Some(Scoped {
                negated: true,
                values: values_from_json(values)?,
            })),
            (None, None) => Ok(None),
        }
    };
    let principal = match (object.get("Principal"), object.get("NotPrincipal")) {
        (Some(value), None) => Some(Scoped {
            negated: false,
            values: principal_from_json(value)?,
        }),
        (None, Some(value)) => Some(Scoped {
            negated: true,
            values: principal_from_json(value)?,
        }),
        (None, None) => None,
        (Some(_), Some(_)) => return Err("a statement has both Principal and NotPrincipal".into()),
    };
    let mut condition = Vec::new();
    if let Some(value) = object.get("Condition") {
        let operators = value.as_object().ok_or("Condition must be an object")?;
        for (operator, keys) in operators {
            let keys = keys
                .as_object()
                .ok_or_else(|| format!("Condition {operator} must be an object"))?;
            let entries = keys
                .iter()
                .map(|(key, values)| Ok((key.clone(), values_from_json(values)?)))
                .collect::<Result<_, String>>()?;
            condition.push(Condition {
                operator: operator.clone(),
                entries,
            });
        }
    }
    Ok(Statement {
        comment: None,
        sid: text("Sid")?,
        effect,
        principal,
        action: scoped("Action", "NotAction")?,
        resource: scoped("Resource", "NotResource")?,
        condition,
    })
}

fn principal_from_json(value: &Value) -> Result<PrincipalValue, String> {
    match value {
        Value::String(text) if text == "*" => Ok(PrincipalValue::Anyone),
        Value::Object(kinds) => Ok(PrincipalValue::Typed(
            kinds
                .iter()
                .map(|(kind, values)| Ok((kind.clone(), values_from_json(values)?)))
                .collect::<Result<_, String>>()?,
        )),
        _ => Err("Principal must be \"*\" or an object".into()),
    }
}

fn values_from_json(value: &Value) -> Result<Values, String> {
    let scalar = |value: &Value| -> Result<Expr, String> {
        match value {
            Value::String(text) => Ok(Expr::String(text.clone())),
            Value::Bool(flag) => Ok(Expr::Bool(*flag)),
            Value::Number(number) => Ok(Expr::Number(number.clone())),
            _ => Err("a policy value must be a string, number, boolean or a list of them".into()),
        }
    };
    match value {
        Value::Array(items) => Ok(Values::Many(
            items.iter().map(scalar).collect::<Result<_, _>>()?,
        )),
        other => Ok(Values::One(scalar(other)?)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::jsonencode::jsonencode;

    #[test]
    fn lowers_and_reads_back() {
        let document = PolicyDocument::new(vec![
            Statement::allow()
                .sid("PassRole")
                .action(one("iam:PassRole"))
                .resource(many(["arn:aws:iam::*:role/*"]))
                .condition(
                    "StringEquals",
                    "iam:PassedToService",
                    one("sagemaker.amazonaws.com"),
                ),
            Statement::allow()
                .principal("Service", many(["a.amazonaws.com"]))
                .not_action(one("s3:*")),
        ]);
        let text = jsonencode(&document.to_expr()).unwrap();
        assert_eq!(
            text,
            r#"{"Statement":[{"Action":"iam:PassRole","Condition":{"StringEquals":{"iam:PassedToService":"sagemaker.amazonaws.com"}},"Effect":"Allow","Resource":["arn:aws:iam::*:role/*"],"Sid":"PassRole"},{"Effect":"Allow","NotAction":"s3:*","Principal":{"Service":["a.amazonaws.com"]}}],"Version":"2012-10-17"}"#
        );
        let value: Value = serde_json::from_str(&text).unwrap();
        let back = PolicyDocument::from_json(&value).unwrap();
        assert_eq!(jsonencode(&back.to_expr()).unwrap(), text);
    }

    #[test]
    fn rejects_both_action_and_not_action() {
        let value = serde_json::json!({"Statement": [{"Action": "a", "NotAction": "b"}]});
        assert_eq!(
            PolicyDocument::from_json(&value).unwrap_err(),
            "a statement has both Action and NotAction"
        );
    }
}
