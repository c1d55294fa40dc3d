//! The Terraform JSON printer: a [`Document`] as a `.tf.json` file.
//!
//! Blocks nest by type and labels (`resource` → type → name), repeated
//! blocks become arrays, and every string is written as Terraform will read
//! it: a template, so literal `${`/`%{` are doubled, except where Terraform
//! takes the value literally (a variable's `default` and `description`).
//! A constant `jsonencode(...)` is written as the exact string Terraform would
//! compute, so the plan matches the HCL output's; any other call is kept as a
//! `${...}` interpolation. Keys keep model order, so output is deterministic.

use std::borrow::Cow;
use std::collections::HashMap;

use super::jsonencode::{jsonencode_as_json_template, write_json_string};
use super::{escape_template_into, hcl::one_line, write_template};
use crate::model::{Attribute, Block, Body, BodyItem, Document, Expr, find_introducer};

pub fn render_json(document: &Document) -> String {
    let mut root = Group::default();
    for block in &document.blocks {
        root.place(block);
    }
    let mut out = String::with_capacity(4096);
    root.write(&mut out, 0);
    out.push('\n');
    if !document.header.is_empty() {
        let header = header_property(&out, &document.header);
        out.replace_range(..OPENING, &header);
    }
    out
}

/// [`render_json`] of a document with `header`, from its rendering without
/// one.
pub(super) fn with_header(headless: &str, header: &[String]) -> String {
    if header.is_empty() {
        return headless.to_string();
    }
    let mut out = header_property(headless, header);
    out.push_str(&headless[OPENING..]);
    out
}

/// How much of a rendering without a header its header replaces: `{` and
/// the line break after it, or all of `{}` when there is no block.
const OPENING: usize = 2;

/// The `"//"` property a header becomes, first in the root object, with
/// the root's opening. The one place a header is written.
fn header_property(headless: &str, header: &[String]) -> String {
    let mut out = String::with_capacity(256);
    out.push_str("{\n  \"//\": ");
    write_string(&mut out, &header.join("\n"));
    // No block: the root object was `{}`.
    out.push_str(if headless.starts_with("{\n") {
        ",\n"
    } else {
        "\n}"
    });
    out
}

/// An object being laid out: blocks nest by type and labels (`resource` →
/// type → name), entries keep the order they first appear in. Nodes borrow
/// the model, and everything is written straight into the output, laid out
/// as serde_json's pretty printer would (two-space indentation).
#[derive(Default)]
struct Group<'a> {
    entries: Vec<(&'a str, Node<'a>)>,
    /// Where each key sits, once the group is too large to search: most
    /// groups (a block body) hold a handful of keys, where a scan is cheaper
    /// than hashing; a generated stack of thousands of resources is not.
    positions: Option<HashMap<&'a str, usize>>,
}

/// From this many entries on, a group finds keys through a map.
const INDEXED_FROM: usize = 16;

enum Node<'a> {
    Group(Group<'a>),
    Block(&'a Block),
    /// The same address more than once: Terraform reads an array of bodies.
    Repeated(Vec<&'a Block>),
    Attribute(&'a Expr, Strings),
}

/// How Terraform reads the strings of a value.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Strings {
    /// As templates: literal `${` and `%{` are doubled.
    Template,
    /// As they are: a variable's `default` and `description`.
    Literal,
    /// As references (`depends_on`), written bare: `"aws_s3_bucket.b"`.
    References,
}

impl<'a> Group<'a> {
    fn position(&self, key: &str) -> Option<usize> {
        match &self.positions {
            Some(positions) => positions.get(key).copied(),
            None => self.entries.iter().position(|(have, _)| *have == key),
        }
    }

    fn insert(&mut self, key: &'a str, node: Node<'a>) {
        match self.position(key) {
            Some(index) => self.entries[index].1 = node,
            None => {
                let index = self.entries.len();
                self.entries.push((key, node));
                match &mut self.positions {
                    Some(positions) => {
                        positions.insert(key, index);
                    }
                    None if index + 1 >= INDEXED_FROM => {
                        self.positions = Some(
                            self.entries
                                .iter()
                                .enumerate()
                                .map(|(index, (key, _))| (*key, index))
                                .collect(),
                        );
                    }
                    None => {}
                }
            }
        }
    }

    /// Places a block at its type and labels, turning the slot into an
    /// array when a block with the same address repeats.
    fn place(&mut self, block: &'a Block) {
        let mut group = self;
        let mut key = block.kind.as_str();
        for label in &block.labels {
            group = group.subgroup(key);
            key = label;
        }
        let Some(index) = group.position(key) else {
            group.insert(key, Node::Block(block));
            return;
        };
        let slot = &mut group.entries[index].1;
        match slot {
            Node::Repeated(blocks) => blocks.push(block),
            Node::Block(first) => *slot = Node::Repeated(vec![*first, block]),
            // A body where a group stood: only a malformed document does
            // that; the later block wins rather than mixing the two.
            _ => *slot = Node::Block(block),
        }
    }

    fn subgroup(&mut self, key: &'a str) -> &mut Group<'a> {
        let index = match self.position(key) {
            Some(index) => index,
            None => {
                self.insert(key, Node::Group(Group::default()));
                self.entries.len() - 1
            }
        };
        let slot = &mut self.entries[index].1;
        if !matches!(slot, Node::Group(_)) {
            *slot = Node::Group(Group::default());
        }
        match slot {
            Node::Group(group) => group,
            _ => unreachable!("just made a group"),
        }
    }

    fn write(&self, out: &mut String, depth: usize) {
        write_sequence(
            out,
            "{",
            "}",
            &self.entries,
            depth,
            |out, (key, node), depth| {
                write_string(out, key);
                out.push_str(": ");
                node.write(out, depth);
            },
        );
    }
}

impl Node<'_> {
    fn write(&self, out: &mut String, depth: usize) {
        match self {
            Node::Group(group) => group.write(out, depth),
            Node::Block(block) => write_body(out, &block.body, &block.kind, depth),
            Node::Repeated(blocks) => {
                write_sequence(out, "[", "]", blocks, depth, |out, block, depth| {
                    write_body(out, &block.body, &block.kind, depth)
                })
            }
            Node::Attribute(expr, strings) => write_value(out, expr, *strings, depth),
        }
    }
}

/// A block body: attributes, and nested blocks grouped by type.
fn write_body(out: &mut String, body: &Body, kind: &str, depth: usize) {
    let mut group = Group::default();
    for item in &body.items {
        match item {
            BodyItem::Attribute(Attribute { name, value }) => {
                let strings = match name.as_str() {
                    "depends_on" => Strings::References,
                    // The addresses of `moved`, `removed` and `import`.
                    "from" | "to" if matches!(kind, "moved" | "removed" | "import") => {
                        Strings::References
                    }
                    "default" | "description" if kind == "variable" => Strings::Literal,
                    _ => Strings::Template,
                };
                group.insert(name, Node::Attribute(value, strings));
            }
            BodyItem::Block(block) => group.place(block),
            // The JSON syntax has no comments inside a body.
            BodyItem::Comment(_) => {}
        }
    }
    group.write(out, depth);
}

/// An expression as JSON.
fn write_value(out: &mut String, expr: &Expr, strings: Strings, depth: usize) {
    match expr {
        // JSON has no comments.
        Expr::Commented(_, value) => write_value(out, value, strings, depth),
        Expr::Null => out.push_str("null"),
        Expr::Bool(value) => out.push_str(if *value { "true" } else { "false" }),
        Expr::Number(number) => out.push_str(&number.to_string()),
        Expr::String(text) if strings == Strings::Template => {
            write_string(out, &template_text(text))
        }
        Expr::String(text) => write_string(out, text),
        Expr::Reference(path) if strings == Strings::References => {
            write_string(out, &path.join("."))
        }
        Expr::List(items) => write_sequence(out, "[", "]", items, depth, |out, item, depth| {
            write_value(out, item, strings, depth)
        }),
        // Terraform reads an object's keys as templates too, where it reads
        // its values as templates.
        Expr::Object(entries) => {
            write_sequence(out, "{", "}", entries, depth, |out, (key, entry), depth| {
                match strings {
                    Strings::Template => write_string(out, &template_text(key)),
                    Strings::Literal | Strings::References => write_string(out, key),
                }
                out.push_str(": ");
                write_value(out, entry, strings, depth);
            })
        }
        Expr::Template(parts) => {
            let mut text = String::new();
            let mut expression = |out: &mut String, inner: &Expr| {
                out.push_str(&one_line(inner));
                true
            };
            write_template(&mut text, parts, escape_template_into, &mut expression);
            write_string(out, &text);
        }
        Expr::Call(name, args) if name == "jsonencode" && args.len() == 1 => {
            if !jsonencode_as_json_template(out, &args[0]) {
                write_string(out, &format!("${{{}}}", one_line(expr)));
            }
        }
        Expr::Reference(_) | Expr::Call(..) => {
            write_string(out, &format!("${{{}}}", one_line(expr)))
        }
    }
}

/// An array or object laid out as serde_json's pretty printer does: empty
/// as `[]`/`{}`, else one item per line, indented one level, comma-separated.
/// `item` writes one item at the depth it is given.
fn write_sequence<T>(
    out: &mut String,
    open: &str,
    close: &str,
    items: &[T],
    depth: usize,
    mut item: impl FnMut(&mut String, &T, usize),
) {
    out.push_str(open);
    if items.is_empty() {
        out.push_str(close);
        return;
    }
    out.push('\n');
    for (index, value) in items.iter().enumerate() {
        indent(out, depth + 1);
        item(out, value, depth + 1);
        out.push_str(if index + 1 < items.len() { ",\n" } else { "\n" });
    }
    indent(out, depth);
    out.push_str(close);
}

fn indent(out: &mut String, depth: usize) {
    for _ in 0..depth {
        out.push_str("  ");
    }
}

/// A JSON string escaped as serde_json escapes it (no HTML escapes).
fn write_string(out: &mut String, text: &str) {
    write_json_string(out, text, false);
}

/// `text` as a template that reads back as `text`: only a string with a
/// `${` or `%{` needs a copy.
fn template_text(text: &str) -> Cow<'_, str> {
    if find_introducer(text, b'$').is_none() && find_introducer(text, b'%').is_none() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 2);
    escape_template_into(&mut out, text);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

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
        let render = |expr: &Expr| {
            let mut out = String::new();
            write_value(&mut out, expr, Strings::Template, 0);
            serde_json::from_str::<Value>(&out).unwrap()
        };
        assert_eq!(
            render(&constant),
            Value::String(r#"{"A":"$${y}","B":"x"}"#.into())
        );
        assert_eq!(
            render(&dynamic),
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
