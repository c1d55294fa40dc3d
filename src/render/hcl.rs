//! The HCL printer: a [`Document`] as a `.tf` file that `terraform fmt`
//! leaves alone, byte for byte.
//!
//! The layout follows `terraform fmt` (hclwrite): two-space indentation by
//! bracket depth, `=` aligned across runs of consecutive one-line
//! assignments (a multi-line value, a nested block, a comment line or a
//! blank line ends a run), one blank line between top-level blocks and
//! exactly one trailing newline. On top of that it chooses a layout made for
//! review: objects are always one entry per line and a list stays on one line
//! only when it fits in [`MAX_WIDTH`] columns, so adding an IAM action to a
//! long list is a one-line diff.

use unicode_segmentation::UnicodeSegmentation;

use super::{ByteSet, byte_set, escape_runs, write_template};
use crate::model::{Attribute, Block, Body, BodyItem, Document, Expr, TemplatePart};

/// Lists wider than this are written one item per line.
pub const MAX_WIDTH: usize = 100;

const INDENT: usize = 2;

pub fn render_hcl(document: &Document) -> String {
    let mut printer = Printer::default();
    for (index, block) in document.blocks.iter().enumerate() {
        if index > 0 {
            printer.out.push('\n');
        }
        printer.block(block, 0);
    }
    let mut out = printer.out;
    out.insert_str(0, &header_lines(&document.header, out.is_empty()));
    out
}

/// [`render_hcl`] of a document with `header`, from its rendering without
/// one.
pub(super) fn with_header(headless: &str, header: &[String]) -> String {
    let mut out = header_lines(header, headless.is_empty());
    out.push_str(headless);
    out
}

/// What a header puts before the blocks: its comment lines, then a blank
/// line unless there is no block. The one place a header is written.
fn header_lines(header: &[String], no_block: bool) -> String {
    let mut printer = Printer::default();
    for line in header {
        printer.comment(&format!(" {line}"), 0);
    }
    if !header.is_empty() && !no_block {
        printer.out.push('\n');
    }
    printer.out
}

/// One `key = value` line or group of lines inside a body or an object,
/// with the comment lines that stand above it.
struct Assignment<'a> {
    key: String,
    /// The key's width in columns.
    width: usize,
    value: &'a Expr,
    comments: Vec<&'a str>,
}

impl<'a> Assignment<'a> {
    fn new(key: String, value: &'a Expr, comments: Vec<&'a str>) -> Assignment<'a> {
        Assignment {
            width: width(&key),
            key,
            value,
            comments,
        }
    }
}

#[derive(Default)]
struct Printer {
    out: String,
    /// The one-line values of the runs of assignments being written, each
    /// call's above its caller's: laid out before they are written, as `=`
    /// aligns across a run, without a string per value.
    scratch: String,
}

impl Printer {
    fn indent(&mut self, depth: usize) {
        for _ in 0..depth {
            self.out.push(' ');
        }
    }

    /// `#` and the comment's text verbatim (trailing spaces trimmed, as
    /// `terraform fmt` would). Line breaks inside become separate comments.
    fn comment(&mut self, text: &str, depth: usize) {
        for line in text.split('\n') {
            self.indent(depth);
            self.out.push('#');
            self.out.push_str(line.trim_end());
            self.out.push('\n');
        }
    }

    fn block(&mut self, block: &Block, depth: usize) {
        for line in &block.comments {
            self.comment(line, depth);
        }
        self.indent(depth);
        self.out.push_str(&block.kind);
        for label in &block.labels {
            self.out.push_str(" \"");
            escape_into(&mut self.out, label);
            self.out.push('"');
        }
        if block.body.items.is_empty() {
            self.out.push_str(" {}\n");
            return;
        }
        self.out.push_str(" {\n");
        self.body(&block.body, depth + INDENT);
        self.indent(depth);
        self.out.push_str("}\n");
    }

    /// Attributes in runs, nested blocks set apart by blank lines.
    fn body(&mut self, body: &Body, depth: usize) {
        let mut run: Vec<Assignment> = Vec::new();
        let mut pending_comments: Vec<&str> = Vec::new();
        let mut previous_was_block = false;
        for item in &body.items {
            match item {
                BodyItem::Comment(text) => pending_comments.push(text),
                BodyItem::Attribute(Attribute { name, value }) => {
                    if previous_was_block {
                        self.out.push('\n');
                        previous_was_block = false;
                    }
                    run.push(Assignment::new(
                        name.clone(),
                        value,
                        std::mem::take(&mut pending_comments),
                    ));
                }
                BodyItem::Block(block) => {
                    let had_attributes = !run.is_empty();
                    self.assignments(&std::mem::take(&mut run), depth);
                    if had_attributes || previous_was_block {
                        self.out.push('\n');
                    }
                    for text in pending_comments.drain(..) {
                        self.comment(text, depth);
                    }
                    self.block(block, depth);
                    previous_was_block = true;
                }
            }
        }
        self.assignments(&run, depth);
        for text in pending_comments {
            self.comment(text, depth);
        }
    }

    /// Writes assignments, aligning `=` across each run of one-line values.
    fn assignments(&mut self, assignments: &[Assignment], depth: usize) {
        let base = self.scratch.len();
        let layouts: Vec<Option<std::ops::Range<usize>>> = assignments
            .iter()
            .map(|assignment| {
                let start = depth + assignment.width + 3;
                let from = self.scratch.len();
                // A heredoc is one line to the alignment of `=`, as it is
                // to `terraform fmt`: its text is one token.
                (heredoc_into(&mut self.scratch, assignment.value)
                    || inline_fitting(&mut self.scratch, assignment.value, start, 0))
                .then_some(from..self.scratch.len())
            })
            .collect();
        let mut index = 0;
        while index < assignments.len() {
            if layouts[index].is_none() {
                let assignment = &assignments[index];
                for line in &assignment.comments {
                    self.comment(line, depth);
                }
                self.indent(depth);
                self.out.push_str(&assignment.key);
                self.out.push_str(" = ");
                self.expr(assignment.value, depth);
                self.out.push('\n');
                index += 1;
                continue;
            }
            // A comment line ends a run, as it does for `terraform fmt`.
            let end = (index + 1..assignments.len())
                .find(|&position| {
                    layouts[position].is_none() || !assignments[position].comments.is_empty()
                })
                .unwrap_or(assignments.len());
            let key_width = assignments[index..end]
                .iter()
                .map(|assignment| assignment.width)
                .max()
                .unwrap_or(0);
            for position in index..end {
                let assignment = &assignments[position];
                for line in &assignment.comments {
                    self.comment(line, depth);
                }
                self.indent(depth);
                self.out.push_str(&assignment.key);
                for _ in assignment.width..key_width {
                    self.out.push(' ');
                }
                self.out.push_str(" = ");
                if let Some(range) = &layouts[position] {
                    self.out.push_str(&self.scratch[range.clone()]);
                }
                self.out.push('\n');
            }
            index = end;
        }
        self.scratch.truncate(base);
    }

    /// Writes an expression that starts at the current column and whose
    /// inner lines are indented from `depth`.
    fn expr(&mut self, expr: &Expr, depth: usize) {
        match expr {
            Expr::Object(entries) if !entries.is_empty() => {
                self.out.push_str("{\n");
                let assignments: Vec<Assignment> = entries
                    .iter()
                    .map(|(key, value)| {
                        Assignment::new(object_key(key), value.uncommented(), comments_of(value))
                    })
                    .collect();
                self.assignments(&assignments, depth + INDENT);
                self.indent(depth);
                self.out.push('}');
            }
            Expr::List(items) if !items.is_empty() => {
                self.out.push_str("[\n");
                for item in items {
                    for line in comments_of(item) {
                        self.comment(line, depth + INDENT);
                    }
                    let item = item.uncommented();
                    self.indent(depth + INDENT);
                    if !inline_fitting(&mut self.out, item, depth + INDENT, 1) {
                        self.expr(item, depth + INDENT);
                    }
                    self.out.push_str(",\n");
                }
                self.indent(depth);
                self.out.push(']');
            }
            Expr::Call(name, args) => {
                self.out.push_str(name);
                self.out.push('(');
                for (index, arg) in args.iter().enumerate() {
                    if index > 0 {
                        self.out.push_str(", ");
                    }
                    if matches!(arg, Expr::List(_)) || !inline_or_keep(&mut self.out, arg) {
                        self.expr(arg, depth);
                    }
                }
                self.out.push(')');
            }
            _ => {
                inline_or_keep(&mut self.out, expr);
            }
        }
    }
}

/// The comment lines of a value, outermost first.
fn comments_of(expr: &Expr) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut current = expr;
    while let Expr::Commented(comments, value) = current {
        lines.extend(comments.iter().map(String::as_str));
        current = value;
    }
    lines
}

/// Columns as `terraform fmt` counts them when it aligns `=`: grapheme
/// clusters, so `"é"` and `"👍🏽"` are three columns wide.
fn width(text: &str) -> usize {
    // ASCII is one cluster per byte but for CR LF (UAX #29: ASCII has no
    // extending characters), and `is_ascii` runs a word at a time. The
    // segmenter costs ~100 instructions a character and was a third of
    // `tfgen check`.
    if text.is_ascii() && !text.as_bytes().contains(&b'\r') {
        return text.len();
    }
    text.graphemes(true).count()
}

/// Writes a string of several lines that ends with a line break as a
/// heredoc (`<<EOT`, its text verbatim on the lines after it), the way
/// people write a buildspec or a script into a resource, and answers
/// whether it did. Only its template markers are escaped (`$${`, `%%{`);
/// text with a carriage return or another control character but tab stays
/// a quoted string, which spells them unambiguously. The marker is `EOT`,
/// or `EOT1`, `EOT2`, ... when the text has a line that reads `EOT`.
fn heredoc_into(out: &mut String, expr: &Expr) -> bool {
    let literal;
    let parts: &[TemplatePart] = match expr {
        Expr::Template(parts) => parts,
        Expr::String(text) => {
            literal = [TemplatePart::Literal(text.clone())];
            &literal
        }
        _ => return false,
    };
    let literals = || {
        parts.iter().filter_map(|part| match part {
            TemplatePart::Literal(text) => Some(text.as_str()),
            TemplatePart::Interpolation(_) => None,
        })
    };
    let ends_with_newline =
        matches!(parts.last(), Some(TemplatePart::Literal(text)) if text.ends_with('\n'));
    let plain = literals().all(|text| {
        !text
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
    });
    if !ends_with_newline || !plain {
        return false;
    }
    let mut marker = String::from("EOT");
    let mut suffix = 0;
    while literals().any(|text| text.lines().any(|line| line.trim() == marker)) {
        suffix += 1;
        marker = format!("EOT{suffix}");
    }
    let start = out.len();
    out.push_str("<<");
    out.push_str(&marker);
    out.push('\n');
    let mut expression = |out: &mut String, inner: &Expr| inline_into(out, inner, true);
    if !write_template(out, parts, escape_markers_into, &mut expression) {
        out.truncate(start);
        return false;
    }
    out.push_str(&marker);
    true
}

/// A heredoc's literal text: only the template markers `${` and `%{`
/// doubled so they stay text.
fn escape_markers_into(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(position) = rest.find(['$', '%']) {
        let (head, tail) = rest.split_at(position + 1);
        out.push_str(head);
        if tail.starts_with('{') {
            out.push_str(&head[position..]);
        }
        rest = tail;
    }
    out.push_str(rest);
}

/// Writes the one-line form of `expr` at the end of `out` when it is
/// allowed and fits: scalars always, lists and calls when they end before
/// [`MAX_WIDTH`] (`trailing` counts a comma that follows), objects only when
/// empty. Otherwise `out` is left as it was and the answer is `false`.
fn inline_fitting(out: &mut String, expr: &Expr, column: usize, trailing: usize) -> bool {
    let start = out.len();
    let scalar = !matches!(expr, Expr::List(_) | Expr::Call(..) | Expr::Object(_));
    if inline_into(out, expr, false)
        && (scalar || column + width(&out[start..]) + trailing <= MAX_WIDTH)
    {
        return true;
    }
    out.truncate(start);
    false
}

/// Writes the one-line spelling of `expr` at the end of `out`; a non-empty
/// object, which is always written one entry per line, leaves `out` as it
/// was and answers `false`.
fn inline_or_keep(out: &mut String, expr: &Expr) -> bool {
    let start = out.len();
    if inline_into(out, expr, false) {
        return true;
    }
    out.truncate(start);
    false
}

/// Any expression on one line, objects included (`{ a = 1, b = 2 }`): the
/// form an interpolation inside a JSON string needs.
pub(crate) fn one_line(expr: &Expr) -> String {
    let mut out = String::new();
    inline_into(&mut out, expr, true);
    out
}

fn inline_into(out: &mut String, expr: &Expr, objects: bool) -> bool {
    match expr {
        Expr::Null => out.push_str("null"),
        Expr::Bool(value) => out.push_str(if *value { "true" } else { "false" }),
        Expr::Number(number) => out.push_str(&number.to_string()),
        Expr::String(text) => {
            out.push('"');
            escape_into(out, text);
            out.push('"');
        }
        Expr::Template(parts) => {
            out.push('"');
            let mut expression = |out: &mut String, inner: &Expr| inline_into(out, inner, objects);
            if !write_template(out, parts, escape_into, &mut expression) {
                return false;
            }
            out.push('"');
        }
        Expr::Reference(path) => out.push_str(&path.join(".")),
        Expr::Call(name, args) => {
            out.push_str(name);
            out.push('(');
            for (index, arg) in args.iter().enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                if !inline_into(out, arg, objects) {
                    return false;
                }
            }
            out.push(')');
        }
        Expr::List(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                if !inline_into(out, item, objects) {
                    return false;
                }
            }
            out.push(']');
        }
        // A comment needs a line of its own; one-line forms (inside a JSON
        // string) have no place for it and leave it out.
        Expr::Commented(_, value) => {
            if !objects {
                return false;
            }
            return inline_into(out, value, objects);
        }
        Expr::Object(entries) if entries.is_empty() => out.push_str("{}"),
        Expr::Object(entries) => {
            if !objects {
                return false;
            }
            out.push_str("{ ");
            for (index, (key, value)) in entries.iter().enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                out.push_str(&object_key(key));
                out.push_str(" = ");
                if !inline_into(out, value, objects) {
                    return false;
                }
            }
            out.push_str(" }");
        }
    }
    true
}

/// An object key as HCL spells it: a bare identifier where one is allowed,
/// a quoted string otherwise (`"iam:PassedToService"`). Keywords are quoted
/// because HCL would read `true = 1` as a boolean key.
fn object_key(key: &str) -> String {
    if is_identifier(key) && !matches!(key, "true" | "false" | "null" | "for" | "in" | "if") {
        key.to_string()
    } else {
        let mut out = String::with_capacity(key.len() + 2);
        out.push('"');
        escape_into(&mut out, key);
        out.push('"');
        out
    }
}

pub(crate) fn is_identifier(text: &str) -> bool {
    let mut chars = text.chars();
    matches!(chars.next(), Some(first) if first.is_ascii_alphabetic() || first == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Escapes a literal for a quoted HCL string, as hclwrite does: quotes,
/// backslashes and control characters, and the template introducers `${` and
/// `%{` doubled so they stay text.
fn escape_into(out: &mut String, text: &str) {
    const SPECIAL: ByteSet = byte_set!(
        |byte| !matches!(byte, b' '..=b'~') || matches!(byte, b'"' | b'\\' | b'$' | b'%')
    );
    escape_runs(out, text, &SPECIAL, |out, c, rest| match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '"' => out.push_str("\\\""),
        '\\' => out.push_str("\\\\"),
        '$' | '%' => {
            out.push(c);
            if rest.starts_with('{') {
                out.push(c);
            }
        }
        c if c.is_control() => {
            let code = c as u32;
            if code < 0x10000 {
                out.push_str(&format!("\\u{code:04x}"));
            } else {
                out.push_str(&format!("\\U{code:08x}"));
            }
        }
        c => out.push(c),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_template_introducers_and_specials() {
        let mut out = String::new();
        escape_into(&mut out, "a${b} %{c} $${d} \"q\" \\ \n\t\u{1}é");
        assert_eq!(out, "a$${b} %%{c} $$${d} \\\"q\\\" \\\\ \\n\\t\\u0001é");
    }

    #[test]
    fn aligns_runs_and_breaks_them_at_multiline_values() {
        let block = Block::new("resource", &["t", "n"])
            .attr("a", "1")
            .attr("long_name", "2")
            .attr(
                "policy",
                Expr::jsonencode(Expr::object([("Version", Expr::from("2012-10-17"))])),
            )
            .attr("b", true);
        let text = render_hcl(&Document::new(vec![block]));
        assert_eq!(
            text,
            "resource \"t\" \"n\" {\n  a         = \"1\"\n  long_name = \"2\"\n  policy = jsonencode({\n    Version = \"2012-10-17\"\n  })\n  b = true\n}\n"
        );
    }

    #[test]
    fn text_of_several_lines_is_a_heredoc_aligned_with_its_run() {
        let script = Expr::interpolated("version: 0.2\n  - echo ${var.env} $${HOME} %{x}\n \n");
        let block = Block::new("resource", &["t", "n"])
            .attr("a", 1)
            .attr("buildspec", script)
            .attr("one_line", "no\nbreak at the end")
            .attr("control", "a\r\n")
            .attr("marker", "EOT\n");
        assert_eq!(
            render_hcl(&Document::new(vec![block])),
            "resource \"t\" \"n\" {\n  a         = 1\n  buildspec = <<EOT\nversion: 0.2\n  - echo ${var.env} $${HOME} %%{x}\n \nEOT\n  one_line  = \"no\\nbreak at the end\"\n  control   = \"a\\r\\n\"\n  marker    = <<EOT1\nEOT\nEOT1\n}\n"
        );
    }

    #[test]
    fn long_lists_go_one_item_per_line() {
        let short = Expr::list([Expr::from("a"), Expr::from("b")]);
        let long = Expr::list((0..20).map(|i| Expr::from(format!("item-number-{i}"))));
        let block = Block::new("locals", &[])
            .attr("short", short)
            .attr("long", long);
        let text = render_hcl(&Document::new(vec![block]));
        assert!(text.contains("  short = [\"a\", \"b\"]\n"));
        assert!(text.contains("  long = [\n    \"item-number-0\",\n"));
        assert!(text.ends_with("    \"item-number-19\",\n  ]\n}\n"));
    }

    #[test]
    fn comments_stand_above_list_items_and_object_entries_and_json_ignores_them() {
        let statement = Expr::object([("Sid", Expr::from("A")), ("Resource", Expr::from("*"))]);
        let value = Expr::object([
            ("Version", Expr::from("1")),
            ("Why", Expr::commented("an entry's reason", Expr::from("x"))),
            (
                "Statement",
                Expr::list([Expr::commented("a statement's reason", statement)]),
            ),
        ]);
        let block = Block::new("locals", &[]).attr("policy", Expr::jsonencode(value.clone()));
        assert_eq!(
            render_hcl(&Document::new(vec![block])),
            "locals {\n  policy = jsonencode({\n    Version = \"1\"\n    # an entry's reason\n    Why = \"x\"\n    Statement = [\n      # a statement's reason\n      {\n        Sid      = \"A\"\n        Resource = \"*\"\n      },\n    ]\n  })\n}\n"
        );
        assert_eq!(
            crate::render::jsonencode::jsonencode(&value),
            crate::render::jsonencode::jsonencode(&value.without_comments())
        );
        assert_eq!(one_line(&value), one_line(&value.without_comments()));
    }

    #[test]
    fn quotes_keys_that_are_not_identifiers() {
        assert_eq!(object_key("Effect"), "Effect");
        assert_eq!(object_key("iam:PassedToService"), "\"iam:PassedToService\"");
        assert_eq!(object_key("true"), "\"true\"");
    }

    #[test]
    fn width_counts_ascii_as_the_segmenter_does() {
        let mut ascii: String = (0u8..128).map(char::from).collect();
        ascii.push_str("\r\n\n\r\r\n");
        for text in [ascii.as_str(), "plain", "a\r\nb", "\r", "tab\there", ""] {
            assert_eq!(width(text), text.graphemes(true).count(), "{text:?}");
        }
        assert_eq!(width("\"é\""), 3);
    }
}
