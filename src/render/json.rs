//! The Terraform JSON printer: a [`Document`] as a `.tf.json` file.
//!
//! Blocks nest by type and labels (`resource` → type → name), repeated
//! blocks become arrays, and every string is written as Terraform will read
//! it: a template, so literal `${`/`%{` are doubled, except where Terraform
//! takes the value literally (a variable's `default` and `description`).
//! A constant `jsonencode(...)` is written as the exact string Terraform would
//! compute, so the plan matches the HCL output's; any other call is kept as a
//! `${...}` interpolation. Keys keep model order, so output is deterministic.

use serde_json::{Map, Value};

use super::{escape_template_into, hcl::one_line, jsonencode::jsonencode, write_template};
use crate::model::{Block, Body, BodyItem, Document, Expr};

pub fn render_json(document: &Document) -> String {
    let mut root = Map::new();
    if !document.header.is_empty() {
        root.insert("//".to_string(), Value::String(document.header.join("\n")));
    }
    for block in &document.blocks {
        insert_block(&mut root, block);
    }
    let mut text = serde_json::to_string_pretty(&Value::Object(root))
        .expect("a serde_json::Value always serializes");
    text.push('\n');
    text
}

/// Places a block's body at `kind` → label → label in `parent`, turning the
/// slot into an array when a block with the same address repeats.
fn insert_block(parent: &mut Map<String, Value>, block: &Block) {
    let mut slot = parent;
    let mut key = block.kind.as_str();
    for label in &block.labels {
        let next = slot
            .entry(key.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        if !next.is_object() {
            // A labelled block whose type slot already holds a body: only
            // reachable through a malformed document, kept rather than lost.
            *next = Value::Object(Map::new());
        }
        slot = next.as_object_mut().expect("just made an object");
        key = label;
    }
    let body = Value::Object(body_object(&block.body, &block.kind));
    match slot.get_mut(key) {
        None => {
            slot.insert(key.to_string(), body);
        }
        Some(Value::Array(items)) => items.push(body),
        Some(existing) => {
            let first = existing.take();
            *existing = Value::Array(vec![first, body]);
        }
    }
}

fn body_object(body: &Body, kind: &str) -> Map<String, Value> {
    let mut object = Map::new();
    for item in &body.items {
        match item {
            BodyItem::Attribute(attribute) if attribute.name == "depends_on" => {
                object.insert(attribute.name.clone(), bare_references(&attribute.value));
            }
            BodyItem::Attribute(attribute) => {
                let literal = kind == "variable"
                    && matches!(attribute.name.as_str(), "default" | "description");
                object.insert(attribute.name.clone(), value(&attribute.value, literal));
            }
            BodyItem::Block(block) => insert_block(&mut object, block),
            // The JSON syntax has no comments inside a body.
            BodyItem::Comment(_) => {}
        }
    }
    object
}

/// `depends_on` takes references, which the JSON syntax writes as bare
/// strings (`"aws_s3_bucket.b"`), not as `${...}` templates.
fn bare_references(expr: &Expr) -> Value {
    match expr {
        Expr::List(items) => Value::Array(items.iter().map(bare_references).collect()),
        Expr::Reference(path) => Value::String(path.join(".")),
        other => value(other, false),
    }
}

/// An expression as a JSON value. `literal` is true where Terraform does not
/// read strings as templates.
fn value(expr: &Expr, literal: bool) -> Value {
    match expr {
        Expr::Null => Value::Null,
        Expr::Bool(value) => Value::Bool(*value),
        Expr::Number(number) => Value::Number(number.clone()),
        Expr::String(text) if literal => Value::String(text.clone()),
        Expr::String(text) => Value::String(template_text(text)),
        Expr::List(items) => Value::Array(items.iter().map(|item| value(item, literal)).collect()),
        // Terraform reads an object's keys as templates too, where it reads
        // its values as templates.
        Expr::Object(entries) => Value::Object(
            entries
                .iter()
                .map(|(key, entry)| {
                    let key = if literal {
                        key.clone()
                    } else {
                        template_text(key)
                    };
                    (key, value(entry, literal))
                })
                .collect(),
        ),
        Expr::Template(parts) => {
            let mut text = String::new();
            let mut expression = |out: &mut String, inner: &Expr| {
                out.push_str(&one_line(inner));
                true
            };
            write_template(&mut text, parts, escape_template_into, &mut expression);
            Value::String(text)
        }
        Expr::Call(name, args) if name == "jsonencode" && args.len() == 1 => {
            match jsonencode(&args[0]) {
                Some(encoded) => Value::String(template_text(&encoded)),
                None => Value::String(format!("${{{}}}", one_line(expr))),
            }
        }
        Expr::Reference(_) | Expr::Call(..) => Value::String(format!("${{{}}}", one_line(expr))),
    }
}

fn template_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_template_into(&mut out, text);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nests_blocks_by_labels_and_escapes_templates() {
        let document = Document::new(vec![
            Block::new("variable", &["env"]).attr("default", "a${b}"),
            Block::new("resource", &["aws_s3_bucket", "bucket"])
                .attr("bucket", Expr::reference("var.env"))
                .attr("note", "a${b}"),
        ]);
        let value: Value = serde_json::from_str(&render_json(&document)).unwrap();
        assert_eq!(value["variable"]["env"]["default"], "a${b}");
        assert_eq!(
            value["resource"]["aws_s3_bucket"]["bucket"]["bucket"],
            "${var.env}"
        );
        assert_eq!(
            value["resource"]["aws_s3_bucket"]["bucket"]["note"],
            "a$${b}"
        );
    }

    #[test]
    fn folds_constant_jsonencode_and_keeps_the_rest_as_interpolation() {
        let constant = Expr::jsonencode(Expr::object([
            ("B", Expr::from("x")),
            ("A", Expr::from("${y}")),
        ]));
        let dynamic = Expr::jsonencode(Expr::object([("A", Expr::reference("var.env"))]));
        assert_eq!(
            value(&constant, false),
            Value::String(r#"{"A":"$${y}","B":"x"}"#.into())
        );
        assert_eq!(
            value(&dynamic, false),
            Value::String("${jsonencode({ A = var.env })}".into())
        );
    }

    #[test]
    fn repeated_blocks_become_arrays() {
        let document = Document::new(vec![
            Block::new("provider", &["aws"]).attr("region", "a"),
            Block::new("provider", &["aws"]).attr("region", "b"),
            Block::new("terraform", &[]),
            Block::new("resource", &["t", "x"]).block(Block::new("rule", &[]).attr("n", 1i64)),
        ]);
        let expected = serde_json::json!({
            "provider": {"aws": [{"region": "a"}, {"region": "b"}]},
            "terraform": {},
            "resource": {"t": {"x": {"rule": {"n": 1}}}}
        });
        let text = render_json(&document);
        assert_eq!(
            text,
            format!("{}\n", serde_json::to_string_pretty(&expected).unwrap())
        );
    }
}
