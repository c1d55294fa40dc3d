//! `tfgen lint PATH...`: the IAM policies of Terraform that tfgen did not
//! write (a root module directory, one `.tf`/`.tf.json` file) and of
//! standalone policy JSON files, each with the file and the place of its
//! statements, so a team can lint what it already has.
//!
//! Terraform is read with [`crate::read`], as `diff` reads it; policies are
//! found as `diff` finds them ([`crate::diff::policy::document`]: a
//! `jsonencode({...})` or JSON text, heredocs included), plus the
//! `aws_iam_policy_document` data source's `statement` blocks. Statement
//! positions come from [`super::locate`].

use std::path::{Path, PathBuf};

use super::locate::{PolicyPlace, Position, locate, locate_json};
use crate::error::{Error, Result};
use crate::model::{Block, Expr};
use crate::policy::{
    Condition, Effect, PolicyDocument, PolicyKind, PrincipalValue, Scoped, Statement, Values,
};
use crate::read::{SourceFile, parse};
use crate::render::Format;

/// One policy found in a file.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundPolicy {
    /// `aws_iam_policy.NAME.policy`, `data.aws_iam_policy_document.NAME`,
    /// or the file name for a standalone JSON policy.
    pub field: String,
    pub kind: PolicyKind,
    pub document: PolicyDocument,
    pub file: PathBuf,
    pub place: PolicyPlace,
}

/// Resource arguments that hold a policy document, and its kind.
const POLICY_ARGUMENTS: [(&str, &str, PolicyKind); 8] = [
    ("aws_iam_policy", "policy", PolicyKind::Identity),
    ("aws_iam_role_policy", "policy", PolicyKind::Identity),
    ("aws_iam_user_policy", "policy", PolicyKind::Identity),
    ("aws_iam_group_policy", "policy", PolicyKind::Identity),
    ("aws_iam_role", "assume_role_policy", PolicyKind::Trust),
    ("aws_s3_bucket_policy", "policy", PolicyKind::Resource),
    ("aws_sns_topic_policy", "policy", PolicyKind::Resource),
    ("aws_sqs_queue_policy", "policy", PolicyKind::Resource),
];

/// Every policy under the given paths, in path and file order. A directory
/// is a root module: its `*.tf` and `*.tf.json` files, not recursively, as
/// Terraform reads it; a `.json` file is a policy document.
pub fn read_policies(paths: &[PathBuf]) -> Result<Vec<FoundPolicy>> {
    let mut found = Vec::new();
    for path in paths {
        if path.is_dir() {
            for file in module_files(path)? {
                found.extend(module_file_policies(&read(&file)?)?);
            }
        } else if Format::of_path(path).is_some() {
            found.extend(module_file_policies(&read(path)?)?);
        } else {
            found.push(policy_file(&read(path)?)?);
        }
    }
    Ok(found)
}

fn read(path: &Path) -> Result<SourceFile> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::io("read", path, source))?;
    Ok(SourceFile {
        path: path.to_path_buf(),
        text,
    })
}

fn module_files(directory: &Path) -> Result<Vec<PathBuf>> {
    let entries = std::fs::read_dir(directory)
        .map_err(|source| Error::io("read directory", directory, source))?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|source| Error::io("read directory", directory, source))?
            .path();
        if path.is_file() && Format::of_path(&path).is_some() {
            files.push(path);
        }
    }
    files.sort();
    if files.is_empty() {
        return Err(Error::LintInput {
            path: directory.to_path_buf(),
            position: None,
            message: "no .tf or .tf.json files here to lint".into(),
        });
    }
    Ok(files)
}

fn module_file_policies(file: &SourceFile) -> Result<Vec<FoundPolicy>> {
    let format = Format::of_path(&file.path).unwrap_or(Format::Hcl);
    let document = parse(&file.text, format).map_err(|error| Error::LintInput {
        path: file.path.clone(),
        position: Some((error.line, error.column)),
        message: error.message,
    })?;
    let mut found = Vec::new();
    for block in &document.blocks {
        let labels: Vec<&str> = block.labels.iter().map(String::as_str).collect();
        let unplaced = || PolicyPlace {
            argument: Position { line: 1, column: 1 },
            statements: Vec::new(),
        };
        match (block.kind.as_str(), labels.as_slice()) {
            ("resource", [kind, name]) => {
                for (resource, argument, policy_kind) in POLICY_ARGUMENTS {
                    if *kind != resource {
                        continue;
                    }
                    let Some(value) = block.body.attribute(argument) else {
                        continue;
                    };
                    let Some(policy) = policy_of(value) else {
                        continue; // a reference to a data source, or a variable
                    };
                    let place = locate(&file.text, "resource", &[kind, name], Some(argument))
                        .unwrap_or_else(unplaced);
                    found.push(FoundPolicy {
                        field: format!("{kind}.{name}.{argument}"),
                        kind: policy_kind,
                        document: policy,
                        file: file.path.clone(),
                        place,
                    });
                }
            }
            ("data", ["aws_iam_policy_document", name]) => {
                let place = locate(&file.text, "data", &["aws_iam_policy_document", name], None)
                    .unwrap_or_else(unplaced);
                let document = policy_document_data(block);
                let kind = if document.statements.iter().any(|s| s.principal.is_some()) {
                    PolicyKind::Trust
                } else {
                    PolicyKind::Identity
                };
                found.push(FoundPolicy {
                    field: format!("data.aws_iam_policy_document.{name}"),
                    kind,
                    document,
                    file: file.path.clone(),
                    place,
                });
            }
            _ => {}
        }
    }
    Ok(found)
}

/// The document a policy argument holds: `jsonencode({...})`, or JSON text
/// (a string or heredoc, with `${...}` kept as text).
fn policy_of(value: &Expr) -> Option<PolicyDocument> {
    if let Some(document) = crate::diff::policy::document(value) {
        return Some(document);
    }
    let text = crate::diff::template_text(value);
    let json = serde_json::from_str(&text).ok()?;
    PolicyDocument::from_json(&json).ok()
}

/// A standalone policy document (`policy.json`): Trust when it lets a
/// principal assume a role, Resource when it names principals otherwise.
fn policy_file(file: &SourceFile) -> Result<FoundPolicy> {
    let json: serde_json::Value =
        serde_json::from_str(&file.text).map_err(|error| Error::LintInput {
            path: file.path.clone(),
            position: Some((error.line(), error.column().max(1))),
            message: format!("not a JSON policy document: {error}"),
        })?;
    let document = PolicyDocument::from_json(&json).map_err(|message| Error::LintInput {
        path: file.path.clone(),
        position: Some((1, 1)),
        message,
    })?;
    let assumes_role = |statement: &Statement| {
        statement.action.as_ref().is_some_and(|action| {
            action
                .values
                .literals()
                .any(|value| value.to_lowercase().starts_with("sts:assumerole"))
        })
    };
    let kind = if document.statements.iter().any(assumes_role) {
        PolicyKind::Trust
    } else if document.statements.iter().any(|s| s.principal.is_some()) {
        PolicyKind::Resource
    } else {
        PolicyKind::Identity
    };
    Ok(FoundPolicy {
        field: file.path.file_name().map_or_else(
            || file.path.display().to_string(),
            |name| name.to_string_lossy().into_owned(),
        ),
        kind,
        document,
        file: file.path.clone(),
        place: locate_json(&file.text),
    })
}

/// An `aws_iam_policy_document` data source as a policy document: each
/// `statement` block with its `sid`, `effect`, `actions`/`not_actions`,
/// `resources`/`not_resources`, `principals`/`not_principals` and
/// `condition` blocks.
fn policy_document_data(block: &Block) -> PolicyDocument {
    let list = |body: &crate::model::Body, name: &str| -> Option<Values> {
        match body.attribute(name)? {
            Expr::List(items) => Some(Values::Many(items.clone())),
            other => Some(Values::One(other.clone())),
        }
    };
    let statements = block
        .body
        .blocks()
        .filter(|nested| nested.kind == "statement")
        .map(|nested| {
            let body = &nested.body;
            let scoped = |positive: &str, negative: &str| {
                list(body, positive)
                    .map(|values| Scoped {
                        negated: false,
                        values,
                    })
                    .or_else(|| {
                        list(body, negative).map(|values| Scoped {
                            negated: true,
                            values,
                        })
                    })
            };
            let principals = |kind: &str| -> Option<Scoped<PrincipalValue>> {
                let typed: Vec<(String, Values)> = body
                    .blocks()
                    .filter(|principal| principal.kind == kind)
                    .filter_map(|principal| {
                        let name = principal.body.attribute("type")?.as_literal()?.to_string();
                        Some((name, list(&principal.body, "identifiers")?))
                    })
                    .collect();
                (!typed.is_empty()).then(|| Scoped {
                    negated: kind == "not_principals",
                    values: PrincipalValue::Typed(typed),
                })
            };
            let condition = body
                .blocks()
                .filter(|condition| condition.kind == "condition")
                .filter_map(|condition| {
                    let operator = condition.body.attribute("test")?.as_literal()?.to_string();
                    let key = condition
                        .body
                        .attribute("variable")?
                        .as_literal()?
                        .to_string();
                    let values = list(&condition.body, "values")?;
                    Some(Condition {
                        operator,
                        entries: vec![(key, values)],
                    })
                })
                .collect();
            let effect = match body.attribute("effect").and_then(Expr::as_literal) {
                Some("Deny") => Effect::Deny,
                _ => Effect::Allow,
            };
            Statement {
                comment: None,
                sid: body
                    .attribute("sid")
                    .and_then(Expr::as_literal)
                    .map(str::to_string),
                effect: Some(effect),
                principal: principals("principals").or_else(|| principals("not_principals")),
                action: scoped("actions", "not_actions"),
                resource: scoped("resources", "not_resources"),
                condition,
            }
        })
        .collect();
    PolicyDocument {
        version: Some(crate::policy::VERSION.to_string()),
        statements,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(directory: &Path, name: &str, text: &str) -> PathBuf {
        let path = directory.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn policies_are_found_in_hcl_heredocs_data_sources_and_json_files() {
        let directory = tempfile::tempdir().unwrap();
        write(
            directory.path(),
            "main.tf",
            "\
resource \"aws_iam_role\" \"r\" {
  name               = \"r\"
  assume_role_policy = <<EOF
{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"sts:AssumeRole\",
  \"Principal\": {\"Service\": \"lambda.amazonaws.com\"}}]}
EOF
}

data \"aws_iam_policy_document\" \"d\" {
  statement {
    actions   = [\"s3:GetObjet\"]
    resources = [\"*\"]
    condition {
      test     = \"StringEquals\"
      variable = \"s3:prefix\"
      values   = [\"home/\"]
    }
  }
}
",
        );
        let json = write(
            directory.path(),
            "policy.json",
            "{\n  \"Statement\": [\n    {\"Effect\": \"Allow\", \"Action\": \"iam:PassRole\", \"Resource\": \"*\"}\n  ]\n}\n",
        );
        let found = read_policies(&[directory.path().to_path_buf(), json]).unwrap();
        let summary: Vec<(&str, PolicyKind, usize, Position)> = found
            .iter()
            .map(|policy| {
                (
                    policy.field.as_str(),
                    policy.kind,
                    policy.document.statements.len(),
                    policy.place.statement(0),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                (
                    "aws_iam_role.r.assume_role_policy",
                    PolicyKind::Trust,
                    1,
                    Position {
                        line: 4,
                        column: 16
                    }
                ),
                (
                    "data.aws_iam_policy_document.d",
                    PolicyKind::Identity,
                    1,
                    Position {
                        line: 10,
                        column: 3
                    }
                ),
                (
                    "policy.json",
                    PolicyKind::Identity,
                    1,
                    Position { line: 3, column: 5 }
                ),
            ]
        );
        let data = &found[1].document.statements[0];
        assert_eq!(data.condition[0].entries[0].0, "s3:prefix");
    }

    #[test]
    fn unreadable_input_names_the_file_and_position() {
        let directory = tempfile::tempdir().unwrap();
        let broken = write(directory.path(), "broken.json", "{\n  \"Statement\": [\n}");
        let error = read_policies(std::slice::from_ref(&broken)).unwrap_err();
        let Error::LintInput { path, position, .. } = &error else {
            panic!("{error}");
        };
        assert_eq!(path, &broken);
        assert_eq!(*position, Some((3, 1)));
        let bad_hcl = write(directory.path(), "bad.tf", "resource \"a\" {\n  x = \n}\n");
        let error = read_policies(std::slice::from_ref(&bad_hcl)).unwrap_err();
        assert!(
            matches!(&error, Error::LintInput { path, position: Some(_), .. } if path == &bad_hcl)
        );
        let empty = tempfile::tempdir().unwrap();
        assert!(read_policies(&[empty.path().to_path_buf()]).is_err());
        let missing = directory.path().join("missing.json");
        assert!(matches!(read_policies(&[missing]), Err(Error::Io { .. })));
    }
}
