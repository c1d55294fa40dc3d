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

type Resolve<'r> = Option<&'r dyn Fn(&[String]) -> Option<String>>;

fn encode(out: &mut String, expr: &Expr, resolve: Resolve<'_>) -> bool {
    let value_of = |path: &[String]| {
        resolve
            .and_then(|resolve| resolve(path))
            .unwrap_or_else(|| format!("${{{}}}", path.join(".")))
    };
    match expr {
        // JSON has no comments: `jsonencode` sees only the value.
        Expr::Commented(_, value) => return encode(out, value, resolve),
        Expr::Reference(path) if resolve.is_some() => encode_string(out, &value_of(path)),
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
            encode_string(out, &text);
        }
        Expr::Null => out.push_str("null"),
        Expr::Bool(value) => out.push_str(if *value { "true" } else { "false" }),
        Expr::Number(number) => out.push_str(&number.to_string()),
        Expr::String(text) => encode_string(out, text),
        Expr::List(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                if !encode(out, item, resolve) {
                    return false;
                }
            }
            out.push(']');
        }
        Expr::Object(entries) => {
            let mut sorted: Vec<&(String, Expr)> = entries.iter().collect();
            sorted.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            // An object constructor with a repeated key is an error in
            // Terraform; the first one is kept here and never reaches output.
            sorted.dedup_by(|later, earlier| later.0 == earlier.0);
            out.push('{');
            for (index, (key, value)) in sorted.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                encode_string(out, key);
                out.push(':');
                if !encode(out, value, resolve) {
                    return false;
                }
            }
            out.push('}');
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
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    let special = if html_safe { &HTML_SAFE } else { &PLAIN };
    escape_runs(out, text, special, |out, c, _| match c {
        '"' => out.push_str("\\\""),
        '\\' => out.push_str("\\\\"),
        '\u{8}' => out.push_str("\\b"),
        '\u{c}' => out.push_str("\\f"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '<' | '>' | '&' | '\u{2028}' | '\u{2029}' if html_safe => {
            out.push_str(&format!("\\u{:04x}", c as u32));
        }
        c if (c as u32) < 0x20 => {
            let byte = c as u8;
            out.push_str("\\u00");
            out.push(HEX[(byte >> 4) as usize] as char);
            out.push(HEX[(byte & 0xf) as usize] as char);
        }
        c => out.push(c),
    });
    out.push('"');
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
}
