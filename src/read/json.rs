//! `.tf.json` files back into the model: the inverse of
//! [`crate::render::render_json`] for the blocks tfgen writes.
//!
//! The JSON syntax leaves three things to the reader, decided here as
//! Terraform decides them:
//!
//! - **Labels** come from the block type: `resource` and `data` take two
//!   (type, name), `variable`, `output`, `provider` and `module` one,
//!   `terraform` and `locals` none. An array in place of a body means the
//!   block repeats.
//! - **Attribute or nested block?** JSON cannot tell `tags = {}` from
//!   `filter {}`; Terraform asks the provider's schema, and so does this
//!   reader: [`super::schema`] holds the pinned AWS provider's nested block
//!   names for every resource, data source and provider type, plus
//!   Terraform's meta blocks (`required_providers`, `backend`, `lifecycle`,
//!   `provisioner`, ...). Every other property is an attribute. A resource,
//!   data source or provider type the schema does not know is an error at
//!   its key, not a silent misread.
//! - **Strings are templates**: `${...}` interpolations are read back into
//!   expressions with the HCL reader (a constant `jsonencode(...)` stays the
//!   string the JSON printer wrote; other calls come back as calls), `$${`
//!   is a literal `${` and `%%{` a literal `%{`, and a lone interpolation is
//!   its expression (`"${var.env}"` is `var.env`). A variable's `default`
//!   and `description` are literal, `depends_on` holds bare references and a
//!   variable's `type` is an expression.
//!
//! The root `"//"` property is the header; a `"//"` property inside a body
//! is a comment. serde_json reports syntax errors with line and column;
//! a value the model cannot hold is reported at the first place its key or
//! value text occurs in the file.

use serde_json::{Map, Value};

use super::schema::BlockSchema;
use super::{ReadError, hcl};
use crate::model::{Attribute, Block, Body, BodyItem, Document, Expr};

/// Parses the text of a `.tf.json` file.
pub fn parse(text: &str) -> Result<Document, ReadError> {
    let root: Value = serde_json::from_str(text).map_err(|error| ReadError {
        line: error.line(),
        column: error.column(),
        message: format!("invalid JSON: {error}"),
    })?;
    let reader = Reader { text };
    let Value::Object(root) = root else {
        return Err(ReadError::at(
            text,
            0,
            "a Terraform JSON file is an object of block types",
        ));
    };
    let mut document = Document::default();
    for (kind, value) in &root {
        if kind == "//" {
            let Value::String(header) = value else {
                return Err(reader.error_at_key(kind, "the \"//\" header must be a string"));
            };
            document.header = header.split('\n').map(str::to_string).collect();
            continue;
        }
        let Some(label_count) = label_count(kind) else {
            return Err(reader.error_at_key(
                kind,
                format!(
                    "unknown block type \"{kind}\" (tfgen reads terraform, provider, variable, resource, data, output, locals and module)"
                ),
            ));
        };
        reader.blocks(
            kind,
            None,
            kind,
            "",
            label_count,
            Vec::new(),
            value,
            &mut document.blocks,
        )?;
    }
    Ok(document)
}

/// How many labels a top-level block type takes, or `None` for a type
/// tfgen does not read.
fn label_count(kind: &str) -> Option<usize> {
    match kind {
        "resource" | "data" => Some(2),
        "variable" | "output" | "provider" | "module" => Some(1),
        "terraform" | "locals" | "moved" | "removed" | "import" => Some(0),
        _ => None,
    }
}

/// How a string property is read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Strings {
    /// A string template, as almost every string in the JSON syntax.
    Template,
    /// Taken as it is: a variable's `default` and `description`.
    Literal,
}

struct Reader<'a> {
    text: &'a str,
}

impl Reader<'_> {
    /// An error at the first `"key":` in the file (the start when absent).
    fn error_at_key(&self, key: &str, message: impl Into<String>) -> ReadError {
        let needle = format!("{}:", Value::String(key.to_string()));
        let offset = self.text.find(&needle).unwrap_or(0);
        ReadError::at(self.text, offset, message)
    }

    /// An error at the first occurrence of a string value in the file, as
    /// the JSON printer spells it (the key's position when not found).
    fn error_at_string(&self, key: &str, value: &str, message: String) -> ReadError {
        let needle = Value::String(value.to_string()).to_string();
        match self.text.find(&needle) {
            Some(offset) => ReadError::at(self.text, offset, message),
            None => self.error_at_key(key, message),
        }
    }

    /// The blocks of type `kind` at `value`: `remaining` label levels deep,
    /// then one body, or a list of bodies for a repeated block. `top_kind`
    /// is the top-level block type; `schema` the nested block's schema, or
    /// `None` for a top-level block, whose schema its labels decide; `at`
    /// names the enclosing body in messages.
    #[allow(clippy::too_many_arguments)]
    fn blocks(
        &self,
        top_kind: &str,
        schema: Option<&BlockSchema>,
        kind: &str,
        at: &str,
        remaining: usize,
        labels: Vec<String>,
        value: &Value,
        out: &mut Vec<Block>,
    ) -> Result<(), ReadError> {
        let here = path(at, kind, &labels);
        let key = labels.last().map_or(kind, String::as_str);
        if remaining > 0 {
            let Value::Object(by_label) = value else {
                return Err(self.error_at_key(
                    key,
                    format!("{here} must be an object keyed by the block's next label"),
                ));
            };
            for (label, inner) in by_label {
                let mut labels = labels.clone();
                labels.push(label.clone());
                self.blocks(
                    top_kind,
                    schema,
                    kind,
                    at,
                    remaining - 1,
                    labels,
                    inner,
                    out,
                )?;
            }
            return Ok(());
        }
        let bodies: Vec<&Map<String, Value>> = match value {
            Value::Object(body) => vec![body],
            Value::Array(items) if items.iter().all(Value::is_object) => {
                items.iter().filter_map(Value::as_object).collect()
            }
            _ => {
                return Err(self.error_at_key(
                    key,
                    format!("{here} must be an object or a list of objects"),
                ));
            }
        };
        let top_level;
        let schema = match schema {
            Some(schema) => schema,
            None => {
                // An unknown type is reported at its own key.
                let type_key = labels.first().map_or(kind, String::as_str);
                top_level = super::schema::top_level(kind, &labels)
                    .map_err(|message| self.error_at_key(type_key, message))?;
                &top_level
            }
        };
        for body in bodies {
            out.push(Block {
                kind: kind.to_string(),
                labels: labels.clone(),
                body: self.body(top_kind, schema, &here, body)?,
                comments: Vec::new(),
            });
        }
        Ok(())
    }

    /// A block body. `schema` says which properties are nested blocks;
    /// `top_kind` (the top-level block type) how attributes read; `at` names
    /// the body in messages.
    fn body(
        &self,
        top_kind: &str,
        schema: &BlockSchema,
        at: &str,
        object: &Map<String, Value>,
    ) -> Result<Body, ReadError> {
        let mut items = Vec::new();
        for (name, value) in object {
            if name == "//" {
                if let Value::String(text) = value {
                    items.extend(text.split('\n').map(|line| BodyItem::Comment(line.into())));
                }
                continue;
            }
            let nested = schema.nested.get(name).filter(|_| is_body(value));
            if let Some(nested) = nested {
                let mut blocks = Vec::new();
                self.blocks(
                    top_kind,
                    Some(nested),
                    name,
                    at,
                    nested.labels,
                    Vec::new(),
                    value,
                    &mut blocks,
                )?;
                items.extend(blocks.into_iter().map(BodyItem::Block));
                continue;
            }
            let attribute_path = format!("{at}.{name}");
            let value = match (top_kind, name.as_str()) {
                (_, "depends_on") => self.references(name, value, &attribute_path)?,
                ("moved" | "removed" | "import", "from" | "to") => match value {
                    Value::String(text) => self.reference(name, text, &attribute_path)?,
                    _ => {
                        return Err(self
                            .error_at_key(name, format!("{attribute_path} must be a reference")));
                    }
                },
                ("variable", "default" | "description") => {
                    self.value(name, value, Strings::Literal, &attribute_path)?
                }
                ("variable", "type") => self.expression(name, value, &attribute_path)?,
                _ => self.value(name, value, Strings::Template, &attribute_path)?,
            };
            items.push(BodyItem::Attribute(Attribute {
                name: name.clone(),
                value,
            }));
        }
        Ok(Body { items })
    }

    /// Any JSON value as an expression; strings read as `strings` says.
    fn value(
        &self,
        key: &str,
        value: &Value,
        strings: Strings,
        at: &str,
    ) -> Result<Expr, ReadError> {
        Ok(match value {
            Value::Null => Expr::Null,
            Value::Bool(flag) => Expr::Bool(*flag),
            Value::Number(number) => Expr::Number(number.clone()),
            Value::String(text) if strings == Strings::Literal => Expr::String(text.clone()),
            Value::String(text) => hcl::parse_template(text).map_err(|error| {
                self.error_at_string(
                    key,
                    text,
                    format!("{at}: cannot read the string template: {}", error.message),
                )
            })?,
            Value::Array(items) => Expr::List(
                items
                    .iter()
                    .map(|item| self.value(key, item, strings, at))
                    .collect::<Result<_, _>>()?,
            ),
            Value::Object(entries) => Expr::Object(
                entries
                    .iter()
                    .map(|(entry, item)| {
                        let name = self.object_key(entry, strings, at)?;
                        Ok((name, self.value(entry, item, strings, at)?))
                    })
                    .collect::<Result<_, ReadError>>()?,
            ),
        })
    }

    /// An object key: Terraform reads keys as templates where it reads
    /// values as templates, so `$${` is a literal `${`. A key that
    /// interpolates is refused: tfgen's objects have literal keys.
    fn object_key(&self, key: &str, strings: Strings, at: &str) -> Result<String, ReadError> {
        if strings == Strings::Literal {
            return Ok(key.to_string());
        }
        match hcl::parse_template(key) {
            Ok(Expr::String(text)) => Ok(text),
            Ok(_) => Err(self.error_at_key(
                key,
                format!(
                    "{at}: an object key with an interpolation cannot be read into tfgen's model"
                ),
            )),
            Err(error) => Err(self.error_at_key(
                key,
                format!("{at}: cannot read the object key: {}", error.message),
            )),
        }
    }

    /// A string holding an expression in HCL's native syntax, as the JSON
    /// syntax writes a variable's `type` (`"string"`); a `${...}` template
    /// is read as one.
    fn expression(&self, key: &str, value: &Value, at: &str) -> Result<Expr, ReadError> {
        match value {
            Value::String(text) if text.contains("${") => {
                self.value(key, value, Strings::Template, at)
            }
            Value::String(text) => hcl::parse_expression(text).map_err(|error| {
                self.error_at_string(
                    key,
                    text,
                    format!("{at}: cannot read the expression: {}", error.message),
                )
            }),
            other => self.value(key, other, Strings::Template, at),
        }
    }

    /// `depends_on`: bare references (`"aws_s3_bucket.b"`); a `${...}`
    /// wrapper is accepted too.
    fn references(&self, key: &str, value: &Value, at: &str) -> Result<Expr, ReadError> {
        let Value::Array(items) = value else {
            return Err(self.error_at_key(key, format!("{at} must be a list of references")));
        };
        let mut references = Vec::new();
        for item in items {
            let Value::String(text) = item else {
                return Err(self.error_at_key(key, format!("{at} must be a list of references")));
            };
            references.push(self.reference(key, text, at)?);
        }
        Ok(Expr::List(references))
    }

    /// One bare reference (`"aws_s3_bucket.b"`, or `"${aws_s3_bucket.b}"`):
    /// an item of `depends_on`, the address of a `moved` block.
    fn reference(&self, key: &str, text: &str, at: &str) -> Result<Expr, ReadError> {
        let inner = text
            .strip_prefix("${")
            .and_then(|rest| rest.strip_suffix('}'))
            .unwrap_or(text);
        match hcl::parse_expression(inner) {
            Ok(reference @ Expr::Reference(_)) => Ok(reference),
            _ => {
                Err(self.error_at_string(key, text, format!("{at}: \"{text}\" is not a reference")))
            }
        }
    }
}

/// An object or a non-empty list of objects: what a nested block looks like.
fn is_body(value: &Value) -> bool {
    match value {
        Value::Object(_) => true,
        Value::Array(items) => !items.is_empty() && items.iter().all(Value::is_object),
        _ => false,
    }
}

/// A block's place for messages: `resource.aws_s3_bucket.artifacts_bucket`,
/// or `resource.aws_s3_bucket_versioning.b.versioning_configuration` nested.
fn path(at: &str, kind: &str, labels: &[String]) -> String {
    let mut path = if at.is_empty() {
        kind.to_string()
    } else {
        format!("{at}.{kind}")
    };
    for label in labels {
        path.push('.');
        path.push_str(label);
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::TemplatePart;

    #[test]
    fn reads_labels_nested_blocks_and_templates() {
        let text = r#"{
  "//": "Generated by tfgen\nsecond line",
  "variable": {
    "env": { "description": "a ${literal}", "default": "dev", "type": "string" }
  },
  "resource": {
    "aws_s3_bucket_lifecycle_configuration": {
      "artifacts_bucket": {
        "bucket": "${aws_s3_bucket.artifacts_bucket.id}",
        "tags": {},
        "note": "a$${b} %%{c}",
        "name": "role-${var.env}",
        "rule": [{ "id": "one", "filter": {} }, { "id": "two" }],
        "policy": "${jsonencode({ A = var.env })}",
        "depends_on": ["aws_s3_bucket.artifacts_bucket"]
      }
    }
  }
}"#;
        let document = parse(text).unwrap();
        assert_eq!(document.header, ["Generated by tfgen", "second line"]);
        let variable = &document.blocks[0];
        assert_eq!(variable.address(), "var.env");
        assert_eq!(
            variable.body.attribute("description"),
            Some(&Expr::from("a ${literal}"))
        );
        assert_eq!(
            variable.body.attribute("type"),
            Some(&Expr::reference("string"))
        );
        let resource = &document.blocks[1];
        assert_eq!(
            resource.labels,
            ["aws_s3_bucket_lifecycle_configuration", "artifacts_bucket"]
        );
        let body = &resource.body;
        assert_eq!(
            body.attribute("bucket"),
            Some(&Expr::reference("aws_s3_bucket.artifacts_bucket.id"))
        );
        assert_eq!(body.attribute("tags"), Some(&Expr::Object(Vec::new())));
        assert_eq!(body.attribute("note"), Some(&Expr::from("a${b} %{c}")));
        assert_eq!(
            body.attribute("name"),
            Some(&Expr::Template(vec![
                TemplatePart::Literal("role-".into()),
                TemplatePart::Interpolation(Expr::reference("var.env")),
            ]))
        );
        assert_eq!(
            body.attribute("policy"),
            Some(&Expr::jsonencode(Expr::object([(
                "A",
                Expr::reference("var.env")
            )])))
        );
        assert_eq!(
            body.attribute("depends_on"),
            Some(&Expr::list([Expr::reference(
                "aws_s3_bucket.artifacts_bucket"
            )]))
        );
        let rules: Vec<&Block> = body.blocks().collect();
        assert_eq!(rules.len(), 2);
        assert_eq!(rules[0].body.blocks().next().unwrap().kind, "filter");
    }

    #[test]
    fn errors_name_the_line_and_column() {
        let error = parse("{\n  \"resource\": [\n").unwrap_err();
        assert_eq!(error.line, 3);
        assert!(error.message.starts_with("invalid JSON"), "{error}");

        let text = "{\n  \"locals\": {\n    \"a\": \"${var.x ? 1 : 2}\"\n  }\n}\n";
        let error = parse(text).unwrap_err();
        assert_eq!((error.line, error.column), (3, 10));
        assert!(error.message.contains("locals.a"), "{error}");
        assert!(error.message.contains("conditional"), "{error}");

        let error = parse("{\n  \"check\": {}\n}").unwrap_err();
        assert_eq!((error.line, error.column), (2, 3));
        assert!(error.message.contains("unknown block type"), "{error}");
    }
}

#[cfg(test)]
mod schema_tests {
    use super::*;

    #[test]
    fn nested_blocks_come_from_the_provider_schema() {
        // A CodeBuild project: `environment` and `source` are blocks by the
        // schema, `tags` an object attribute; no list in tfgen names them.
        let text = r#"{
  "resource": {
    "aws_codebuild_project": {
      "build": {
        "name": "b",
        "environment": { "image": "i", "environment_variable": [{ "name": "A", "value": "1" }] },
        "source": { "type": "CODEPIPELINE" },
        "tags": { "Environment": "dev" }
      }
    }
  }
}"#;
        let document = parse(text).unwrap();
        let body = &document.blocks[0].body;
        let kinds: Vec<String> = body
            .items
            .iter()
            .map(|item| match item {
                BodyItem::Block(block) => format!("block {}", block.kind),
                BodyItem::Attribute(attribute) => format!("attribute {}", attribute.name),
                BodyItem::Comment(_) => "comment".into(),
            })
            .collect();
        assert_eq!(
            kinds,
            [
                "attribute name",
                "block environment",
                "block source",
                "attribute tags"
            ]
        );
    }

    #[test]
    fn a_type_not_in_the_schema_is_an_error_at_its_key() {
        let text =
            "{\n  \"resource\": {\n    \"aws_no_such_thing\": {\n      \"x\": {}\n    }\n  }\n}\n";
        let error = parse(text).unwrap_err();
        assert_eq!((error.line, error.column), (3, 5), "{error}");
        assert!(
            error
                .message
                .starts_with("unknown resource type \"aws_no_such_thing\""),
            "{error}"
        );
    }
}
