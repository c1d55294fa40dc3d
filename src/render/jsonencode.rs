//! Terraform's `jsonencode`, reproduced byte for byte for constant values.
//!
//! The JSON printer writes a constant `jsonencode({...})` as the string
//! Terraform itself would compute, so the HCL and JSON outputs plan to
//! identical values. Terraform encodes through cty and Go's `encoding/json`:
//! object keys sorted bytewise, no whitespace, and HTML-safe escapes
//! (`<`, `>`, `&`, U+2028 and U+2029 as `\uXXXX`).

use super::{ByteSet, byte_set, escape_runs};
use crate::model::Expr;

/// The text `jsonencode(expr)` evaluates to, or `None` when `expr` is not
/// constant (it holds a reference, a template or a call).
pub fn jsonencode(expr: &Expr) -> Option<String> {
    let mut out = String::new();
    encode(&mut out, expr, None).then_some(out)
}

/// What a value that refers to others becomes once applied, as far as
/// `resolve` knows the references: `jsonencode` with every reference (alone
/// or in a template) replaced by its value, and a reference `resolve` does
/// not know written as `${path}`. For sizes and characters AWS will see.
pub fn jsonencode_resolved(
    expr: &Expr,
    resolve: &dyn Fn(&[String]) -> Option<String>,
) -> Option<String> {
    let mut out = String::new();
    encode(&mut out, expr, Some(resolve)).then_some(out)
}

/// `jsonencode(expr)` as the contents of a string in Terraform's JSON
/// syntax, quotes included: the text escaped as a template (`$${`) and then
/// as a JSON string, written in one pass. `false`, with nothing written, when
/// `expr` is not constant.
pub fn jsonencode_as_json_template(out: &mut String, expr: &Expr) -> bool {
    let start = out.len();
    out.push('"');
    if encode(&mut InJsonTemplate(out), expr, None) {
        out.push('"');
        true
    } else {
        out.truncate(start);
        false
    }
}

type Resolve<'r> = Option<&'r dyn Fn(&[String]) -> Option<String>>;

/// Where [`encode`] writes: JSON text itself, or JSON text escaped on the
/// way as the inside of a JSON string template.
trait Output {
    /// JSON's own characters: brackets, braces, commas, colons, literals.
    fn raw(&mut self, text: &str);
    /// A string value, quoted and escaped as Go's `encoding/json` does.
    fn string(&mut self, text: &str);
}

impl Output for String {
    fn raw(&mut self, text: &str) {
        self.push_str(text);
    }

    fn string(&mut self, text: &str) {
        encode_string(self, text);
    }
}

/// JSON text as a JSON string's contents in Terraform's JSON syntax: what
/// `write_json_string(template_text(jsonencode(..)))` would give, without
/// the two intermediate strings and three scans. JSON's own characters need
/// no escape; a string value's escapes are escaped again, its `${` and `%{`
/// doubled (a value's quotes keep an introducer from spanning two values).
struct InJsonTemplate<'a>(&'a mut String);

/// The bytes that start a character [`InJsonTemplate`] escapes: Go's HTML
/// escapes (see [`HTML_SAFE`]) and the template introducers' first bytes.
const IN_JSON_TEMPLATE: ByteSet = byte_set!(|b| b < 0x20
    || b == b'"'
    || b == b'\\'
    || b >= 0x80
    || b == b'<'
    || b == b'>'
    || b == b'&'
    || b == b'$'
    || b == b'%');

impl Output for InJsonTemplate<'_> {
    fn raw(&mut self, text: &str) {
        self.0.push_str(text);
    }

    fn string(&mut self, text: &str) {
        let out = &mut *self.0;
        out.push_str("\\\"");
        let mut buffer = [0u8; 6];
        escape_runs(out, text, &IN_JSON_TEMPLATE, |out, c, rest| {
            if matches!(c, '$' | '%') {
                out.push(c);
                if rest.starts_with('{') {
                    out.push(c);
                }
                return;
            }
            match json_escape(c, true, &mut buffer) {
                // The escape, escaped again for the string around it.
                Some(escape) => {
                    for byte in escape.chars() {
                        match byte {
                            '\\' => out.push_str("\\\\"),
                            '"' => out.push_str("\\\""),
                            other => out.push(other),
                        }
                    }
                }
                None => out.push(c),
            }
        });
        out.push_str("\\\"");
    }
}

fn encode(out: &mut impl Output, expr: &Expr, resolve: Resolve<'_>) -> bool {
    let value_of = |path: &[String]| {
        resolve
            .and_then(|resolve| resolve(path))
            .unwrap_or_else(|| format!("${{{}}}", path.join(".")))
    };
    match expr {
        // JSON has no comments: `jsonencode` sees only the value.
        Expr::Commented(_, value) => return encode(out, value, resolve),
        Expr::Reference(path) if resolve.is_some() => out.string(&value_of(path)),
        Expr::Template(parts) if resolve.is_some() => {
            let mut text = String::new();
            for part in parts {
                match part {
                    crate::model::TemplatePart::Literal(literal) => text.push_str(literal),
                    crate::model::TemplatePart::Interpolation(Expr::Reference(path)) => {
                        text.push_str(&value_of(path))
                    }
                    crate::model::TemplatePart::Interpolation(_) => return false,
                }
            }
            out.string(&text);
        }
        Expr::Null => out.raw("null"),
        Expr::Bool(value) => out.raw(if *value { "true" } else { "false" }),
        Expr::Number(number) => out.raw(&number.to_string()),
        Expr::String(text) => out.string(text),
        Expr::List(items) => {
            out.raw("[");
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.raw(",");
                }
                if !encode(out, item, resolve) {
                    return false;
                }
            }
            out.raw("]");
        }
        Expr::Object(entries) => {
            let mut sorted: Vec<&(String, Expr)> = entries.iter().collect();
            sorted.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            // An object constructor with a repeated key is an error in
            // Terraform; the first one is kept here and never reaches output.
            sorted.dedup_by(|later, earlier| later.0 == earlier.0);
            out.raw("{");
            for (index, (key, value)) in sorted.iter().enumerate() {
                if index > 0 {
                    out.raw(",");
                }
                out.string(key);
                out.raw(":");
                if !encode(out, value, resolve) {
                    return false;
                }
            }
            out.raw("}");
        }
        Expr::Template(_) | Expr::Reference(_) | Expr::Call(..) => return false,
    }
    true
}

/// A JSON string as Go's `encoding/json` writes it with HTML escaping on.
fn encode_string(out: &mut String, text: &str) {
    write_json_string(out, text, true);
}

/// The bytes that start a character [`write_json_string`] escapes:
/// control characters, `"` and `\\`; with HTML escapes also `<`, `>`, `&`
/// and every non-ASCII lead byte (Go escapes U+2028 and U+2029, which are
/// not ASCII, so those are looked at one by one).
const PLAIN: ByteSet = byte_set!(|b| b < 0x20 || b == b'"' || b == b'\\');
const HTML_SAFE: ByteSet = byte_set!(|b| b < 0x20
    || b == b'"'
    || b == b'\\'
    || b >= 0x80
    || b == b'<'
    || b == b'>'
    || b == b'&');

/// A quoted JSON string: quotes, backslashes and control characters escaped,
/// with JSON's short forms where it has them (as both serde_json and Go
/// write them). `html_safe` adds Go's HTML escapes: `<`, `>`, `&`, U+2028
/// and U+2029 as `\uXXXX`, which is what Terraform's `jsonencode` writes.
pub(crate) fn write_json_string(out: &mut String, text: &str, html_safe: bool) {
    out.push('"');
    let special = if html_safe { &HTML_SAFE } else { &PLAIN };
    let mut buffer = [0u8; 6];
    escape_runs(out, text, special, |out, c, _| {
        match json_escape(c, html_safe, &mut buffer) {
            Some(escape) => out.push_str(escape),
            None => out.push(c),
        }
    });
    out.push('"');
}

/// How Go's `encoding/json` (and serde_json) escape `c` in a string, if
/// they do: JSON's short forms where it has them, else `\uXXXX`.
fn json_escape(c: char, html_safe: bool, buffer: &mut [u8; 6]) -> Option<&str> {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let short = match c {
        '"' => "\\\"",
        '\\' => "\\\\",
        '\u{8}' => "\\b",
        '\u{c}' => "\\f",
        '\n' => "\\n",
        '\r' => "\\r",
        '\t' => "\\t",
        '<' | '>' | '&' | '\u{2028}' | '\u{2029}' if html_safe => "",
        c if (c as u32) < 0x20 => "",
        _ => return None,
    };
    if !short.is_empty() {
        return Some(short);
    }
    let code = c as u32;
    *buffer = [
        b'\\',
        b'u',
        HEX[(code >> 12 & 0xf) as usize],
        HEX[(code >> 8 & 0xf) as usize],
        HEX[(code >> 4 & 0xf) as usize],
        HEX[(code & 0xf) as usize],
    ];
    std::str::from_utf8(buffer).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_keys_and_writes_no_whitespace() {
        let value = Expr::object([
            ("Version", Expr::from("2012-10-17")),
            (
                "Statement",
                Expr::list([Expr::object([("Effect", Expr::from("Allow"))])]),
            ),
        ]);
        assert_eq!(
            jsonencode(&value).unwrap(),
            r#"{"Statement":[{"Effect":"Allow"}],"Version":"2012-10-17"}"#
        );
    }

    #[test]
    fn escapes_like_go() {
        let value = Expr::from("a<b>&\"\\\n\u{1}\u{8}é\u{2028}${x}");
        assert_eq!(
            jsonencode(&value).unwrap(),
            r#""a\u003cb\u003e\u0026\"\\\n\u0001\bé\u2028${x}""#
        );
    }

    #[test]
    fn refuses_values_known_only_at_plan_time() {
        assert_eq!(jsonencode(&Expr::reference("var.env")), None);
    }

    /// The three passes [`jsonencode_as_json_template`] fuses: encode, escape
    /// as a template, escape as a JSON string.
    fn in_three_passes(expr: &Expr) -> Option<String> {
        let encoded = jsonencode(expr)?;
        let mut template = String::new();
        crate::render::escape_template_into(&mut template, &encoded);
        let mut out = String::new();
        write_json_string(&mut out, &template, false);
        Some(out)
    }

    fn in_one_pass(expr: &Expr) -> Option<String> {
        let mut out = String::from("kept");
        let written = jsonencode_as_json_template(&mut out, expr);
        if !written {
            assert_eq!(
                out, "kept",
                "nothing is left of a value that is not constant"
            );
        }
        written.then(|| out["kept".len()..].to_string())
    }

    #[test]
    fn as_a_json_template_in_one_pass_is_the_three_passes() {
        let tricky =
            "a<b>&\"q\"\\ \n\r\t\u{1}\u{8}\u{c}\u{1f} é \u{2028}\u{2029} ${x} $${y} %{z} $ % {";
        let value = Expr::object([
            (
                tricky,
                Expr::list([Expr::from(tricky), Expr::from("$"), Expr::from("{")]),
            ),
            ("n", Expr::Number((-15i64).into())),
            ("b", Expr::Bool(true)),
            ("z", Expr::Null),
            ("$", Expr::object([("%", Expr::from("${"))])),
        ]);
        assert_eq!(in_one_pass(&value), in_three_passes(&value));
        assert!(in_one_pass(&value).is_some());
        let dynamic = Expr::object([("a", Expr::from("x")), ("b", Expr::reference("var.env"))]);
        assert_eq!(in_one_pass(&dynamic), None);
    }

    proptest::proptest! {
        #[test]
        fn as_a_json_template_matches_the_three_passes_for_any_text(
            key in "(\\PC|[\\p{Cc}$%{}\"\\\\<>&\u{2028}\u{2029}]){0,12}",
            value in "(\\PC|[\\p{Cc}$%{}\"\\\\<>&\u{2028}\u{2029}]){0,24}",
        ) {
            let expr = Expr::object([(key.as_str(), Expr::list([Expr::from(value.as_str())]))]);
            proptest::prop_assert_eq!(in_one_pass(&expr), in_three_passes(&expr));
        }
    }
}
