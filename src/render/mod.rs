//! Printers: one module per output syntax behind one entry point.
//!
//! Printers read only [`crate::model`]; they know Terraform's two syntaxes and
//! nothing about the stack they print.

mod hcl;
mod json;
pub mod jsonencode;

/// One expression on one line as the HCL printer writes it: what `diff`
/// shows, so a value is quoted and escaped in one place only.
pub(crate) use hcl::one_line as hcl_one_line;
pub use hcl::{MAX_WIDTH, render_hcl};
pub use json::render_json;

use crate::model::Document;

/// The two syntaxes Terraform reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    /// Terraform's native syntax, `.tf`.
    Hcl,
    /// Terraform's JSON syntax, `.tf.json`.
    Json,
}

impl Format {
    pub const ALL: [Format; 2] = [Format::Hcl, Format::Json];

    /// The file name suffix Terraform uses to pick the syntax.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Hcl => ".tf",
            Format::Json => ".tf.json",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Hcl => "hcl",
            Format::Json => "json",
        }
    }

    /// The syntax of a file, from its name.
    pub fn of_path(path: &std::path::Path) -> Option<Format> {
        let name = path.file_name()?.to_str()?;
        if name.ends_with(".tf.json") {
            Some(Format::Json)
        } else if name.ends_with(".tf") {
            Some(Format::Hcl)
        } else {
            None
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Renders a document in the given syntax.
pub fn render(document: &Document, format: Format) -> String {
    match format {
        Format::Hcl => render_hcl(document),
        Format::Json => render_json(document),
    }
}

/// `headless`, a document rendered without a header, with `header` added:
/// the same text as rendering the document with that header. A file rendered
/// once serves every environment whose file differs only in its header.
pub fn with_header(headless: &str, header: &[String], format: Format) -> String {
    match format {
        Format::Hcl => hcl::with_header(headless, header),
        Format::Json => json::with_header(headless, header),
    }
}

/// Doubles the template introducers `${` and `%{` so a string template keeps
/// them as text (`$${`, `%%{`), the escape both of Terraform's syntaxes use.
pub(crate) fn escape_template_into(out: &mut String, text: &str) {
    const INTRODUCERS: ByteSet = byte_set!(|byte| matches!(byte, b'$' | b'%'));
    escape_runs(out, text, &INTRODUCERS, |out, c, rest| {
        out.push(c);
        if rest.starts_with('{') {
            out.push(c);
        }
    });
}

/// The bytes an escaper stops at, as a table: the scan for them runs over
/// every byte of every string tfgen writes.
pub(crate) struct ByteSet([bool; 256]);

/// A [`ByteSet`] of the bytes for which the expression is true, built at
/// compile time: `const QUOTES: ByteSet = byte_set!(|b| b == b'"');`.
macro_rules! byte_set {
    (|$byte:ident| $member:expr) => {{
        let mut table = [false; 256];
        let mut index = 0;
        while index < 256 {
            let $byte = index as u8;
            table[index] = $member;
            index += 1;
        }
        $crate::render::ByteSet::from_table(table)
    }};
}
pub(crate) use byte_set;

impl ByteSet {
    pub(crate) const fn from_table(table: [bool; 256]) -> ByteSet {
        ByteSet(table)
    }

    fn contains(&self, byte: u8) -> bool {
        self.0[byte as usize]
    }

    /// The position of the first byte of the set in `bytes`. Sixteen bytes
    /// at a time are looked up without a branch between them, as nearly all
    /// of every text is bytes outside the set.
    fn find(&self, bytes: &[u8]) -> Option<usize> {
        let mut chunks = bytes.chunks_exact(16);
        let mut skipped = 0;
        for chunk in chunks.by_ref() {
            if chunk
                .iter()
                .fold(false, |any, byte| any | self.contains(*byte))
            {
                break;
            }
            skipped += 16;
        }
        bytes[skipped..]
            .iter()
            .position(|byte| self.contains(*byte))
            .map(|position| skipped + position)
    }
}

/// The loop every escaper shares: runs of characters that need no escape
/// (nearly all of the text) are copied in one go; each character whose first
/// byte is in `special` goes to `escape`, with the text that follows it.
pub(crate) fn escape_runs(
    out: &mut String,
    text: &str,
    special: &ByteSet,
    mut escape: impl FnMut(&mut String, char, &str),
) {
    let mut rest = text;
    while let Some(position) = special.find(rest.as_bytes()) {
        out.push_str(&rest[..position]);
        let c = rest[position..]
            .chars()
            .next()
            .expect("an ASCII byte or a lead byte starts a character");
        rest = &rest[position + c.len_utf8()..];
        escape(out, c, rest);
    }
    out.push_str(rest);
}

/// Writes the literal parts and interpolations of a template. `literal`
/// escapes text and `expression` writes an interpolated expression's source.
/// A literal that ends in `$` right before an interpolation would merge into
/// the `$${` escape, so its trailing `$`s are written as an interpolation of
/// a string: `${"$"}`.
pub(crate) fn write_template(
    out: &mut String,
    parts: &[crate::model::TemplatePart],
    literal: fn(&mut String, &str),
    expression: &mut dyn FnMut(&mut String, &crate::model::Expr) -> bool,
) -> bool {
    use crate::model::TemplatePart;
    for (index, part) in parts.iter().enumerate() {
        match part {
            TemplatePart::Literal(text) => {
                let before_interpolation =
                    matches!(parts.get(index + 1), Some(TemplatePart::Interpolation(_)));
                let head = text.trim_end_matches('$');
                if before_interpolation && head.len() < text.len() {
                    literal(out, head);
                    out.push_str("${\"");
                    out.push_str(&text[head.len()..]);
                    out.push_str("\"}");
                } else {
                    literal(out, text);
                }
            }
            TemplatePart::Interpolation(inner) => {
                out.push_str("${");
                if !expression(out, inner) {
                    return false;
                }
                out.push('}');
            }
        }
    }
    true
}
